/** ONTAP clustershell layouts, after the samples in shared/fixtures. */

export interface Col {
  start: number;
  width: number;
  right?: boolean;
}

/**
 * One record of a fixed-column table. A value longer than its column ends the physical line and
 * the next field starts a new line at its own column (the "wrapped" shape of the samples).
 */
export function wrapRecord(cols: Col[], values: string[]): string[] {
  const lines: string[] = [];
  let line = '';
  values.forEach((v, i) => {
    const c = cols[i]!;
    if (v === '') return;
    const at = c.right ? c.start + c.width - v.length : c.start;
    if (line.length > 0 && line.length > at) {
      lines.push(line);
      line = '';
    }
    line = line.padEnd(Math.max(at, line.length)) + v;
    if (!c.right && v.length > c.width && i < values.length - 1) {
      lines.push(line);
      line = '';
    }
  });
  if (line) lines.push(line);
  return lines;
}

export const SNAPMIRROR_HEADER = [
  '                                                                       Progress',
  'Source            Destination Mirror  Relationship   Total             Last',
  'Path        Type  Path        State   Status         Progress  Healthy Updated',
  '----------- ---- ------------ ------- -------------- --------- ------- --------',
];
export const SNAPMIRROR_COLS: Col[] = [
  { start: 0, width: 11 },
  { start: 12, width: 4 },
  { start: 17, width: 12 },
  { start: 30, width: 7 },
  { start: 38, width: 14 },
  { start: 53, width: 9 },
  { start: 63, width: 7 },
  { start: 71, width: 8 },
];

export const SNAPSHOT_HEADER = [
  '                                                                 ---Blocks---',
  'Vserver  Volume   Snapshot                                  Size Total% Used%',
  '-------- -------- ------------------------------------- -------- ------ -----',
];

export const VOLUME_HEADER = [
  'Vserver   Volume       Aggregate    State      Type       Size  Available Used%',
  '--------- ------------ ------------ ---------- ---- ---------- ---------- -----',
];
export const VOLUME_COLS: Col[] = [
  { start: 0, width: 9 },
  { start: 10, width: 12 },
  { start: 23, width: 12 },
  { start: 36, width: 10 },
  { start: 47, width: 4 },
  { start: 52, width: 10, right: true },
  { start: 63, width: 10, right: true },
  { start: 74, width: 5, right: true },
];

export function footer(n: number): string[] {
  return n > 1 ? [`${n} entries were displayed.`] : [];
}

export const NO_ENTRIES = 'There are no entries matching your query.';
/** What a show without a query prints on an empty table (NetApp docs: `snapmirror mediator show`). */
export const TABLE_EMPTY = 'This table is currently empty.';

/** The empty-result sentence: NO_ENTRIES when a query narrowed the show, TABLE_EMPTY otherwise. */
export function emptyResult(c: { params: ReadonlyMap<string, string>; words: readonly string[] }): string {
  return c.words.length > 0 || [...c.params.keys()].some((k) => k !== 'fields') ? NO_ENTRIES : TABLE_EMPTY;
}

/** `-fields` output: lowercase header, a dash line per column, one line per record. */
export function fieldsTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join(' ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)];
}

/** `Label: value` lines with the labels right-aligned as the live CLI prints them. */
export function instanceBlock(pairs: [string, string][]): string[] {
  const w = Math.max(...pairs.map(([l]) => l.length));
  return pairs.map(([l, v]) => `${l.padStart(w)}: ${v}`);
}

/** `Error: command failed: …`, wrapped at 100 columns with a 7-space continuation. */
export function ontapError(text: string, commandFailed = true): string[] {
  const first = commandFailed ? `Error: command failed: ${text}` : `Error: ${text}`;
  const out: string[] = [];
  let rest = first;
  let indent = '';
  while ((indent + rest).length > 100) {
    const cut = (indent + rest).lastIndexOf(' ', 100) - indent.length;
    if (cut <= 0) break;
    out.push(indent + rest.slice(0, cut));
    rest = rest.slice(cut + 1);
    indent = '       ';
  }
  out.push(indent + rest);
  return out;
}

export function ctime(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `09/19 07:58:29` */
export function shortStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** `64:17:2`: h:m:s unpadded. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 3600)}:${Math.floor((s % 3600) / 60)}:${s % 60}`;
}
