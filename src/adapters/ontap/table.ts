/**
 * The two layouts every ONTAP `show` command prints (fixtures README, "ONTAP tables"):
 *
 * - tables (default view and `-fields`): a header, a dash line whose runs give the column starts,
 *   then records of 1–4 physical lines. A value longer than its column either ends the physical
 *   line (wrapped: the next field starts a new line at its own column) or is followed by one space
 *   (squeezed: later fields at max(natural, previous end + 2)). Both shapes occur in one table.
 * - `Label: value` lines (`-instance`, or any show that matched exactly one record).
 *
 * Field boundaries are found from positions, never from whitespace alone, because values contain
 * spaces (`09/19 07:58:29`, `Sun Dec  1 02:00:00 2019`, `8.2 and above`).
 */
import { ParseError } from '../../errors.js';

export const NO_ENTRIES = 'There are no entries matching your query.';
/** What a show prints when the table has no rows at all and no query narrowed it (NetApp docs). */
export const TABLE_EMPTY = 'This table is currently empty.';
/** Every sentence ONTAP prints for an empty result; a show that prints one has no records. */
export const EMPTY_RESULTS: readonly string[] = [NO_ENTRIES, TABLE_EMPTY];

export interface OntapColumn {
  /** Header words of the column, joined by a space (`Mirror State`, `source-path`). */
  name: string;
  /** 0-based start and exclusive end of the column's dash run. */
  start: number;
  end: number;
}

/** One record. `-` (ONTAP's "no value") is null; a carried-forward group value is copied. */
export interface OntapRow {
  /** 1-based physical line where the record starts. */
  line: number;
  values: Record<string, string | null>;
}

export interface OntapTable {
  columns: OntapColumn[];
  rows: OntapRow[];
  /** N from `N entries were displayed.` when printed (blog quotes drop it or get it wrong: do not trust it). */
  displayedCount: number | null;
  /** True for `There are no entries matching your query.` */
  noEntries: boolean;
}

export interface OntapTableSpec {
  /** Names the kind of output in ParseError messages. */
  kind?: string;
}

export interface OntapInstanceRecord {
  line: number;
  /** Labels as printed (trimmed), in order; `-` is null. */
  values: Record<string, string | null>;
}

const DASH_LINE = /^-+(?: +-+)*$/;
const FOOTER = /^(\d+) entries were displayed\.$/;
const MAX_HEADER_LINES = 5;
// ONTAP's widest tables (`-fields` with many fields) have tens of columns; a dash line with
// hundreds is not a table header, and refusing it keeps the work per row bounded.
const MAX_COLUMNS = 400;

/** `---Blocks---` spans several columns: a super-header, not part of any name. */
function isSuperHeader(word: string): boolean {
  return word.length >= 4 && word.startsWith('--') && word.endsWith('--');
}

/** Lines without `\r` and trailing blanks (sources differ in both; positions are unaffected). */
export function outputLines(text: string): string[] {
  // A loop, not `/[ \r]+$/`: that regex is quadratic on a long run of blanks inside a line.
  return text.split('\n').map((l) => {
    let end = l.length;
    while (end > 0 && (l[end - 1] === ' ' || l[end - 1] === '\r')) end--;
    return l.slice(0, end);
  });
}

/** Shorten a line for an error message, keeping it on one line. */
export function quoteLine(s: string): string {
  const t = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return JSON.stringify(t);
}

function firstNonBlank(lines: readonly string[], from = 0): number {
  for (let i = from; i < lines.length; i++) if (lines[i] !== '') return i;
  return -1;
}

/** True when the only non-blank line is one of ONTAP's empty-result sentences. */
export function isNoEntries(text: string): boolean {
  const lines = outputLines(text).filter((l) => l.trim() !== '');
  return lines.length === 1 && EMPTY_RESULTS.includes(lines[0]!.trim());
}

function columnsFromDashLine(dash: string): OntapColumn[] {
  const cols: OntapColumn[] = [];
  for (const m of dash.matchAll(/-+/g)) cols.push({ name: '', start: m.index, end: m.index + m[0].length });
  return cols;
}

/** Index of the column whose span [start-1, nextStart-1) holds position p; header words sit ±1 off. */
function columnAt(cols: readonly OntapColumn[], p: number): number {
  // Binary search: the last column with start - 1 <= p.
  let lo = 0;
  let hi = cols.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cols[mid]!.start - 1 <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function nameColumns(cols: OntapColumn[], header: readonly string[]): void {
  const words: string[][] = cols.map(() => []);
  for (const line of header) {
    for (const m of line.matchAll(/\S+/g)) {
      if (isSuperHeader(m[0])) continue;
      words[columnAt(cols, m.index)]!.push(m[0]);
    }
  }
  const seen = new Map<string, number>();
  cols.forEach((c, i) => {
    let name = words[i]!.join(' ') || `column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) name = `${name} #${n}`;
    c.name = name;
  });
}

interface Pending {
  line: number;
  values: (string | null)[];
  next: number;
}

/**
 * Parse an ONTAP table (default view or `-fields`). Throws ParseError naming the line when the
 * text is not a table or a record is incomplete; never returns a half-filled record.
 */
export function parseOntapTable(text: string, spec: OntapTableSpec = {}): OntapTable {
  const kind = spec.kind ?? 'ontap-table';
  const lines = outputLines(text);
  const first = firstNonBlank(lines);
  if (first === -1) throw new ParseError(kind, null, 'the output is empty: no table');
  if (isNoEntries(text)) return { columns: [], rows: [], displayedCount: 0, noEntries: true };

  const dashAt = lines.findIndex((l) => DASH_LINE.test(l));
  if (dashAt === -1) {
    throw new ParseError(kind, first + 1, `no dash line under a header, so this is not an ONTAP table: ${quoteLine(lines[first]!)}`);
  }
  if (dashAt === first) throw new ParseError(kind, dashAt + 1, 'the dash line has no header above it');
  // The header is the block of non-blank lines right above the dash line; nothing may precede it.
  let headerStart = dashAt;
  while (headerStart > 0 && lines[headerStart - 1] !== '') headerStart--;
  if (headerStart !== first) {
    throw new ParseError(kind, first + 1, `text before the table header: ${quoteLine(lines[first]!)}`);
  }
  if (dashAt - headerStart > MAX_HEADER_LINES) {
    throw new ParseError(kind, headerStart + 1, `a table header has at most ${MAX_HEADER_LINES} lines`);
  }
  const cols = columnsFromDashLine(lines[dashAt]!);
  if (cols.length > MAX_COLUMNS)
    throw new ParseError(kind, dashAt + 1, `a dash line with ${cols.length} columns is not an ONTAP table header`);
  nameColumns(cols, lines.slice(headerStart, dashAt));
  const n = cols.length;

  const rows: OntapRow[] = [];
  let cur: Pending | null = null;
  let displayedCount: number | null = null;
  let lastLine = dashAt + 1;

  const finish = (): void => {
    if (!cur) return;
    const values: Record<string, string | null> = {};
    cols.forEach((c, i) => {
      values[c.name] = cur!.values[i] ?? null;
    });
    rows.push({ line: cur.line, values });
  };

  const spanOf = (k: number): string => `col ${cols[k]!.start + 1}`;

  for (let j = dashAt + 1; j < lines.length; j++) {
    const s = lines[j]!;
    const lineNo = j + 1;
    if (s === '') continue;
    if (s.includes('\t')) throw new ParseError(kind, lineNo, 'a tab in a table row: columns cannot be located');
    const footer = FOOTER.exec(s);
    if (footer) {
      if (cur && cur.next < n) {
        throw new ParseError(kind, lineNo, `the footer comes before the row of line ${cur.line} has its "${cols[cur.next]!.name}" column`);
      }
      displayedCount = Number(footer[1]);
      const after = firstNonBlank(lines, j + 1);
      if (after !== -1) throw new ParseError(kind, after + 1, `text after the table footer: ${quoteLine(lines[after]!)}`);
      break;
    }
    const p = s.search(/\S/);
    if (p === 0) {
      if (cur && cur.next < n) {
        throw new ParseError(kind, lineNo, `a new row starts before the row of line ${cur.line} has its "${cols[cur.next]!.name}" column`);
      }
      finish();
      cur = { line: lineNo, values: [], next: 0 };
    } else if (cur && cur.next < n) {
      // Continuation of a wrapped record: the next field starts at its own column.
      const k = cur.next;
      if (columnAt(cols, p) !== k) {
        throw new ParseError(
          kind,
          lineNo,
          `text at col ${p + 1} where the "${cols[k]!.name}" column (${spanOf(k)}) continues the row of line ${cur.line}`,
        );
      }
    } else {
      // A grouped row: the leading columns are blank and carry the previous row's values.
      const c = columnAt(cols, p);
      if (!cur)
        throw new ParseError(kind, lineNo, `a row that starts at col ${p + 1} with no row above it to carry "${cols[0]!.name}" from`);
      if (c === 0) throw new ParseError(kind, lineNo, `a row indented inside the first column: ${quoteLine(s)}`);
      const carried: (string | null)[] = cur.values.slice(0, c);
      finish();
      cur = { line: lineNo, values: carried, next: c };
    }
    fillFromLine(cur, s, p, cols, kind, lineNo);
    lastLine = lineNo;
  }
  if (cur && cur.next < n) {
    throw new ParseError(
      kind,
      lastLine,
      `the output ends inside the row of line ${cur.line}: its "${cols[cur.next]!.name}" column is missing`,
    );
  }
  finish();
  if (rows.length === 0) {
    // ONTAP says "There are no entries matching your query." when nothing matches: a header with
    // no rows is a cut output, and reading it as "none" would hide relationships or snapshots.
    throw new ParseError(kind, dashAt + 1, 'a table header with no rows: the output looks cut short');
  }
  return { columns: cols, rows, displayedCount, noEntries: false };
}

/**
 * Read the fields of one physical line, starting with field `rec.next` at position p. A field ends
 * where the next one starts: the first word start at or after the next column's start (less one:
 * doc-edited rows sit one column early) that follows a space. That one rule reads both shapes:
 * a value that fits ends before the next column; an overflowing value is followed by a single
 * space (squeezed) or by the end of the line (wrapped). Only the last column keeps the rest.
 * A value with spaces that overflows a middle column is ambiguous and refused.
 */
function fillFromLine(rec: Pending, s: string, p: number, cols: readonly OntapColumn[], kind: string, lineNo: number): void {
  const n = cols.length;
  let k = rec.next;
  let pos = p;
  for (;;) {
    let q = -1;
    if (k + 1 < n) {
      const min = Math.max(cols[k + 1]!.start - 1, pos + 1);
      for (let x = min; x < s.length; x++) {
        if (s[x - 1] === ' ' && s[x] !== ' ') {
          q = x;
          break;
        }
      }
    }
    const raw = (q === -1 ? s.slice(pos) : s.slice(pos, q)).trim();
    // A value with a space can only be told apart from the next field while it fits its column
    // (only the last column's values, like `09/19 07:58:29`, run past it).
    if (k + 1 < n && /\s/.test(raw) && pos + raw.length > cols[k]!.end + 1) {
      throw new ParseError(kind, lineNo, `cannot tell where the "${cols[k]!.name}" value ends: ${quoteLine(raw)} runs past its column`);
    }
    rec.values[k] = raw === '-' ? null : raw;
    k++;
    if (q === -1) break;
    pos = q;
  }
  rec.next = k;
}

const LABEL_LINE = /^( *)([A-Za-z][^:]*?):(?: (.*))?$/;

/**
 * Parse `Label: value` output (`-instance`, or a show that matched one record). Labels may be
 * right-aligned (live CLI) or flush left (the docs). Records are separated by blank lines or by a
 * label that repeats. A line indented exactly to the previous value's column continues that value.
 */
export function parseOntapInstance(text: string, spec: OntapTableSpec = {}): OntapInstanceRecord[] {
  const kind = spec.kind ?? 'ontap-instance';
  const lines = outputLines(text);
  if (firstNonBlank(lines) === -1) throw new ParseError(kind, null, 'the output is empty');
  if (isNoEntries(text)) return [];
  const records: OntapInstanceRecord[] = [];
  let cur: OntapInstanceRecord | null = null;
  let lastLabel: string | null = null;
  let valueCol = -1;
  for (let j = 0; j < lines.length; j++) {
    const s = lines[j]!;
    const lineNo = j + 1;
    if (s === '') {
      cur = null;
      lastLabel = null;
      continue;
    }
    if (FOOTER.test(s)) {
      const after = firstNonBlank(lines, j + 1);
      if (after !== -1) throw new ParseError(kind, after + 1, `text after the footer: ${quoteLine(lines[after]!)}`);
      break;
    }
    const indent = s.search(/\S/);
    if (cur && lastLabel !== null && indent > 0 && indent === valueCol) {
      const prev = cur.values[lastLabel];
      cur.values[lastLabel] = prev === null || prev === undefined ? s.trim() : `${prev} ${s.trim()}`;
      continue;
    }
    const m = LABEL_LINE.exec(s);
    if (!m) throw new ParseError(kind, lineNo, `expected "Label: value": ${quoteLine(s)}`);
    const label = m[2]!.trim();
    const value = (m[3] ?? '').trim();
    if (!cur || label in cur.values) {
      cur = { line: lineNo, values: {} };
      records.push(cur);
    }
    cur.values[label] = value === '-' || value === '' ? null : value;
    lastLabel = label;
    valueCol = m[1]!.length + m[2]!.length + 2;
  }
  return records;
}

/** `Relationship ID` → `relationshipId`, `lag-time` → `lagTime`, `Throttle (KB/sec)` → `throttleKbSec`. */
export function camelKey(name: string): string {
  const words = name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}
