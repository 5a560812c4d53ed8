/**
 * `vim-cmd vmsvc/getallvms`. Header offsets do not predict the data columns (fixtures README), so a
 * row is read by anchors: vmid = leading digits; File = `[datastore] path.vmx`; Name = what lies
 * between; then Guest OS, `vmx-NN` and the annotation (the rest).
 *
 * Name choice (documented because it cannot be exact): the name is the text between the gap after
 * the vmid and the `[` that opens File, with the column padding (all trailing blanks) removed. A
 * name that itself ends in blanks therefore loses them; `nameRaw` keeps the exact bytes including
 * the padding. When a name contains ` [`, the `[` preceded by a 3+-blank gap wins (the column gap),
 * then any `[` preceded by a blank (the ESX 4 sample has a 1-space gap). Names are display only:
 * drbook identifies VMs by datastore + vmx path.
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines, trimBlanksEnd, trimBlanksStart } from './text.js';

const KIND = 'esxi-getallvms';

export interface GetAllVmsRow {
  vmid: number;
  /** Display name without the column padding. */
  name: string;
  /** The exact text between the vmid gap and `[`, padding included. */
  nameRaw: string;
  /** Datastore name, without brackets (may contain `:`). */
  datastore: string;
  /** The .vmx path inside the datastore, e.g. `centos-00/centos-00.vmx` (`.vmtx` for a template). */
  path: string;
  /** `[datastore] path` as printed. */
  file: string;
  /** Empty when the device printed no guest id. */
  guestOs: string;
  version: string;
  /** Multi-line annotations keep their newlines. */
  annotation: string;
}

export interface GetAllVms {
  vms: GetAllVmsRow[];
  /** vmids from `Skipping invalid VM 'N'` lines. */
  skipped: number[];
}

const HEADER = /^Vmid[ \t]+Name[ \t]+File[ \t]+Guest OS[ \t]+Version[ \t]+Annotation[ \t]*$/;
const SKIPPING = /^Skipping invalid VM '(\d+)'[ \t]*$/;
const VMID = /^(\d+)[ \t]+/;
// After `.vmx`: a gap, an optional guest id, a gap, the hardware version, then a blank or the end.
const TAIL = /[ \t]+(?:((?!vmx-\d+(?:[ \t]|$))\S+)[ \t]+)?(vmx-\d+)(?=[ \t]|$)/y;

interface FileMatch {
  bracket: number;
  datastore: string;
  path: string;
  guestOs: string;
  version: string;
  annotationStart: number;
}

interface VmxEnd {
  /** Index of `.vmx` / `.vmtx`. */
  at: number;
  /** Index just after it. */
  end: number;
  guestOs: string;
  version: string;
  annotationStart: number;
}

/**
 * Every `.vmx` (or `.vmtx`, a registered template) followed by the guest/version tail. Each check
 * is local, so this is linear.
 */
function vmxEnds(line: string): VmxEnd[] {
  const out: VmxEnd[] = [];
  for (const hit of line.matchAll(/\.vmt?x/g)) {
    const at = hit.index;
    TAIL.lastIndex = at + hit[0].length;
    const m = TAIL.exec(line);
    if (m) out.push({ at, end: at + hit[0].length, guestOs: m[1] ?? '', version: m[2] ?? '', annotationStart: TAIL.lastIndex });
  }
  return out;
}

/** Index of the first element whose key is >= x (binary search), or -1. */
function firstAtOrAfter<T>(sorted: readonly T[], key: (t: T) => number, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(sorted[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? lo : -1;
}

/**
 * Try one `[` position: `[ds] path.vmx` followed by the guest/version tail. The datastore ends at
 * the first `] `; the path at the first `.vmx` after it that has the tail.
 */
function matchFileAt(line: string, bracket: number, closes: readonly number[], ends: readonly VmxEnd[]): FileMatch | null {
  const c = firstAtOrAfter(closes, (n) => n, bracket + 1);
  if (c < 0) return null;
  const close = closes[c]!;
  const pathStart = close + 2;
  // A path never starts with a blank; this rejects a `[` inside the name (`web   [old]   [ds] …`).
  if (close === bracket + 1 || line[pathStart] === ' ' || line[pathStart] === '\t') return null;
  const e = firstAtOrAfter(ends, (v) => v.at, pathStart);
  if (e < 0) return null;
  const end = ends[e]!;
  return {
    bracket,
    datastore: line.slice(bracket + 1, close),
    path: line.slice(pathStart, end.end),
    guestOs: end.guestOs,
    version: end.version,
    annotationStart: end.annotationStart,
  };
}

function findFile(line: string, nameStart: number): FileMatch | null {
  const wide: number[] = [];
  const narrow: number[] = [];
  for (let i = line.indexOf('[', nameStart); i >= 0; i = line.indexOf('[', i + 1)) {
    if (i === nameStart) continue; // the name cannot be empty
    if (/[ \t]{3}$/.test(line.slice(Math.max(nameStart, i - 3), i))) wide.push(i);
    else if (line[i - 1] === ' ' || line[i - 1] === '\t') narrow.push(i);
  }
  if (wide.length === 0 && narrow.length === 0) return null;
  const closes: number[] = [];
  for (let i = line.indexOf('] ', nameStart); i >= 0; i = line.indexOf('] ', i + 1)) closes.push(i);
  const ends = vmxEnds(line);
  for (const i of [...wide, ...narrow]) {
    const m = matchFileAt(line, i, closes, ends);
    if (m) return m;
  }
  return null;
}

function parseRow(line: string): GetAllVmsRow | null {
  const v = VMID.exec(line);
  if (!v) return null;
  const nameStart = v[0].length;
  const f = findFile(line, nameStart);
  if (!f) return null;
  const nameRaw = line.slice(nameStart, f.bracket);
  const name = trimBlanksEnd(nameRaw);
  if (name === '') return null;
  return {
    vmid: Number(v[1]),
    name,
    nameRaw,
    datastore: f.datastore,
    path: f.path,
    file: line.slice(f.bracket, f.bracket + f.datastore.length + 3 + f.path.length),
    guestOs: f.guestOs,
    version: f.version,
    // Only the padding of the last column goes; the annotation's own leading text stays.
    annotation: trimBlanksEnd(trimBlanksStart(line.slice(f.annotationStart))),
  };
}

/** Lines a display name may span: a name with this many newlines is not a name any more. */
const MAX_NAME_LINES = 8;

/**
 * A row whose display name holds newlines (vim-cmd prints the name as it is): a line that starts
 * with a vmid and does not parse, joined with the lines after it until the whole parses as one
 * row. A joined line that parses as a row on its own (or starts with a vmid) is never swallowed,
 * so a multi-line annotation that happens to start with digits cannot hide the next VM.
 */
function rowSplitByNewlines(lines: readonly { text: string }[], start: number): { row: GetAllVmsRow; next: number } | null {
  if (!VMID.test(lines[start]!.text)) return null;
  let joined = lines[start]!.text;
  for (let i = start + 1; i < lines.length && i - start < MAX_NAME_LINES; i++) {
    const text = lines[i]!.text;
    if (VMID.test(text) || SKIPPING.test(text) || HEADER.test(text)) return null;
    joined += `\n${text}`;
    const row = parseRow(joined);
    if (row) return row.name.includes('\n') ? { row, next: i + 1 } : null;
  }
  return null;
}

/**
 * Parse getallvms output (header optional, so `| grep` output is accepted). Lines after a row that
 * do not start a new row are that row's annotation continued. A line that starts with a vmid and
 * holds `[` and `.vmx` but does not parse is an error rather than a guess.
 */
export function parseGetAllVms(text: string): GetAllVms {
  const lines = toLines(text);
  // Trailing blank lines are output framing, not annotation text.
  while (lines.length > 0 && isBlank(lines[lines.length - 1]!.text)) lines.pop();
  const vms: GetAllVmsRow[] = [];
  const skipped: number[] = [];
  let sawHeader = false;
  let current: { row: GetAllVmsRow; extra: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    if (current.extra.length > 0) {
      const last = current.extra.length - 1;
      current.extra[last] = trimBlanksEnd(current.extra[last]!);
      current.row.annotation = [current.row.annotation, ...current.extra].join('\n');
    }
    vms.push(current.row);
    current = null;
  };
  let skipTo = 0;
  for (const [index, { no, text: line }] of lines.entries()) {
    if (index < skipTo) continue;
    const skip = SKIPPING.exec(line);
    if (skip) {
      skipped.push(Number(skip[1]));
      continue;
    }
    if (HEADER.test(line)) {
      if (sawHeader || current || vms.length > 0) throw new ParseError(KIND, no, 'a second header line');
      sawHeader = true;
      continue;
    }
    const row = parseRow(line);
    if (row) {
      flush();
      current = { row, extra: [] };
      continue;
    }
    const split = rowSplitByNewlines(lines, index);
    if (split) {
      flush();
      current = { row: split.row, extra: [] };
      skipTo = split.next;
      continue;
    }
    const looksLikeRow = VMID.test(line) && line.includes('[') && /\.vmt?x/.test(line);
    if (current && !looksLikeRow) {
      current.extra.push(line);
      continue;
    }
    if (!current && isBlank(line)) continue;
    throw new ParseError(
      KIND,
      no,
      `not a getallvms row (expected "<vmid>  <name>  [<datastore>] <path>.vmx  <guest>  vmx-NN"): ${preview(line)}`,
    );
  }
  flush();
  return { vms, skipped };
}
