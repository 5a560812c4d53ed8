import stringWidth from 'string-width';
import { stripTerminalControl } from '../text/control.js';

/**
 * Cell text for a terminal: widths are measured in columns (string-width), so Japanese
 * double-width characters keep the columns of a table aligned.
 */

// C0/C1 controls and ANSI sequences from devices would move the cursor or recolour the screen.

/** One line safe to print: no escapes, no control characters, tabs as spaces, newlines as ' ⏎ '. */
export function oneLine(s: string): string {
  return stripTerminalControl(s.replace(/\r?\n/g, ' ⏎ ').replace(/\t/g, '  '));
}

/** Text safe to print as several lines. */
export function cleanLines(s: string): string[] {
  return s
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => stripTerminalControl(l.replace(/\t/g, '  ')));
}

// string-width's Unicode segmentation is the costliest part of laying out a row, and a frame
// measures mostly the same cells as the last one: printable ASCII is one column a character,
// other text is measured once (a bounded memo; clocks and counters make new strings all run long).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const measured = new Map<string, number>();

export function width(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let w = measured.get(s);
  if (w === undefined) {
    w = stringWidth(s);
    if (measured.size >= 10_000) measured.clear();
    measured.set(s, w);
  }
  return w;
}

// One segmenter for the process: building one costs more than segmenting a line with it.
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(s: string): string[] {
  // Printable ASCII has one grapheme per character.
  if (PRINTABLE_ASCII.test(s)) return s.split('');
  return Array.from(graphemeSegmenter.segment(s), (g) => g.segment);
}

/** At most `cols` columns; cut text ends with an ellipsis. */
export function truncate(s: string, cols: number): string {
  if (cols <= 0) return '';
  if (width(s) <= cols) return s;
  let out = '';
  let used = 0;
  for (const g of graphemes(s)) {
    const w = width(g);
    if (used + w > cols - 1) break;
    out += g;
    used += w;
  }
  return `${out}…`;
}

/** Exactly `cols` columns: truncated, then padded with spaces. */
export function fit(s: string, cols: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, cols);
  const pad = ' '.repeat(Math.max(0, cols - width(t)));
  return align === 'left' ? t + pad : pad + t;
}

/**
 * `fit` for the last cell of a line: truncated, not padded. Ink starts every frame from a blank
 * grid and pays per written character (tokenising, measuring), so trailing spaces cost time and
 * show nothing. Never empty: an empty Text has no height and would pull the lines below up.
 * Not for inverse or background text, whose trailing spaces are visible.
 */
export function fitEnd(s: string, cols: number): string {
  const t = truncate(s, cols).replace(/ +$/, '');
  return t === '' && cols > 0 ? ' ' : t;
}

/** Break text into lines of at most `cols` columns (for full commands and device output). */
export function wrap(s: string, cols: number): string[] {
  if (cols <= 0) return [];
  const out: string[] = [];
  let line = '';
  let used = 0;
  for (const g of graphemes(s)) {
    const w = width(g);
    if (used + w > cols) {
      out.push(line);
      line = '';
      used = 0;
    }
    line += g;
    used += w;
  }
  out.push(line);
  return out;
}

// Japanese punctuation that must not start a line (kinsoku), and brackets that must not end one.
const NO_LINE_START = new Set(Array.from('、。，．・：；？！）」』】〕〉》’”ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々…'));
const NO_LINE_END = new Set(Array.from('（「『【〔〈《‘“'));

/**
 * Tokens that a line may break between: runs of narrow text split at spaces, and each wide
 * (Japanese) character on its own, its closing punctuation glued to it. Spaces are their own tokens.
 */
function wrapTokens(s: string): { text: string; space: boolean }[] {
  const tokens: { text: string; space: boolean }[] = [];
  let glue = false;
  for (const g of graphemes(s)) {
    const last = tokens[tokens.length - 1];
    const space = g === ' ';
    const wide = width(g) > 1;
    if (space) {
      if (last?.space) last.text += g;
      else tokens.push({ text: g, space: true });
      glue = false;
      continue;
    }
    const joins = last !== undefined && !last.space && (glue || NO_LINE_START.has(g) || (!wide && !wideEnd(last.text)));
    if (joins) last.text += g;
    else tokens.push({ text: g, space: false });
    glue = NO_LINE_END.has(g);
  }
  return tokens;
}

function wideEnd(text: string): boolean {
  const gs = graphemes(text);
  const g = gs[gs.length - 1];
  return g !== undefined && width(g) > 1 && !NO_LINE_END.has(g);
}

/**
 * Break prose into lines of at most `cols` columns at word boundaries (between Japanese
 * characters too). A word longer than a line is cut; a long token (a snapshot name) that fits
 * a line gets a line of its own rather than being cut.
 */
export function wrapWords(s: string, cols: number): string[] {
  if (cols <= 0) return [];
  const out: string[] = [];
  let line = '';
  let used = 0;
  let pending = '';
  for (const t of wrapTokens(s)) {
    if (t.space) {
      if (used > 0) pending = t.text;
      continue;
    }
    const w = width(t.text);
    if (used > 0 && used + width(pending) + w <= cols) {
      line += pending + t.text;
      used += width(pending) + w;
      pending = '';
      continue;
    }
    if (used > 0) out.push(line);
    pending = '';
    if (w <= cols) {
      line = t.text;
      used = w;
      continue;
    }
    const pieces = wrap(t.text, cols);
    out.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1] ?? '';
    used = width(line);
  }
  if (used > 0 || out.length === 0) out.push(line);
  return out;
}

/** 1h 02m, 3m 05s, 12s: short, for cells and ETAs. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** 01:02:03 for the header clock. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

/** Local wall-clock time of an event, HH:MM:SS. */
export function timeOfDay(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A progress bar of `cols` columns; ▰▱ are narrow even where East Asian "ambiguous" is wide. */
export function bar(done: number, total: number, cols: number): string {
  if (cols <= 0) return '';
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(ratio * cols);
  return '▰'.repeat(full) + '▱'.repeat(cols - full);
}
