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
import { isBlank, preview, toLines } from './text.js';

const KIND = 'esxi-getallvms';

export interface GetAllVmsRow {
  vmid: number;
  /** Display name without the column padding. */
  name: string;
  /** The exact text between the vmid gap and `[`, padding included. */
  nameRaw: string;
  /** Datastore name, without brackets (may contain `:`). */
  datastore: string;
  /** The .vmx path inside the datastore, e.g. `centos-00/centos-00.vmx`. */
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

/** Try one `[` position: `[ds] path.vmx` followed by the guest/version tail. */
function matchFileAt(line: string, bracket: number): FileMatch | null {
  const close = line.indexOf('] ', bracket + 1);
  if (close < 0) return null;
  const pathStart = close + 2;
  let from = pathStart;
  for (;;) {
    const at = line.indexOf('.vmx', from);
    if (at < 0) return null;
    const end = at + 4;
    TAIL.lastIndex = end;
    const m = TAIL.exec(line);
    if (m && end > pathStart) {
      return {
        bracket,
        datastore: line.slice(bracket + 1, close),
        path: line.slice(pathStart, end),
        guestOs: m[1] ?? '',
        version: m[2] ?? '',
        annotationStart: TAIL.lastIndex,
      };
    }
    from = at + 1;
  }
}

function findFile(line: string, nameStart: number): FileMatch | null {
  const wide: number[] = [];
  const narrow: number[] = [];
  for (let i = line.indexOf('[', nameStart); i >= 0; i = line.indexOf('[', i + 1)) {
    if (i === nameStart) continue; // the name cannot be empty
    if (/[ \t]{3}$/.test(line.slice(Math.max(nameStart, i - 3), i))) wide.push(i);
    else if (line[i - 1] === ' ' || line[i - 1] === '\t') narrow.push(i);
  }
  for (const i of [...wide, ...narrow]) {
    const m = matchFileAt(line, i);
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
  const name = nameRaw.replace(/[ \t]+$/, '');
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
    annotation: line.slice(f.annotationStart).replace(/^[ \t]+/, '').replace(/[ \t]+$/, ''),
  };
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
      current.extra[last] = current.extra[last]!.replace(/[ \t]+$/, '');
      current.row.annotation = [current.row.annotation, ...current.extra].join('\n');
    }
    vms.push(current.row);
    current = null;
  };
  for (const { no, text: line } of lines) {
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
    const looksLikeRow = VMID.test(line) && line.includes('[') && line.includes('.vmx');
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
