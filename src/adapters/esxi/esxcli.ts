/**
 * esxcli output: `vm process list` (blank-line separated blocks), `storage nfs list` (a table whose
 * dash underline gives the columns), `system version get` (`   Key: Value` lines).
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines } from './text.js';

// ---- vm process list ---------------------------------------------------------------------------

export interface VmProcess {
  /** The block's title line; not always the display name (esxi-vm-process-list-2). */
  title: string;
  worldId: number;
  processId: number;
  vmxCartelId: number;
  uuid: string;
  displayName: string;
  configFile: string;
}

const PROC_KIND = 'esxi-process-list';
const PROC_KEYS = {
  'World ID': 'worldId',
  'Process ID': 'processId',
  'VMX Cartel ID': 'vmxCartelId',
  UUID: 'uuid',
  'Display Name': 'displayName',
  'Config File': 'configFile',
} as const;
type ProcKey = (typeof PROC_KEYS)[keyof typeof PROC_KEYS];

export function parseProcessList(text: string): { processes: VmProcess[] } {
  const processes: VmProcess[] = [];
  let block: { title: string; line: number; fields: Partial<Record<ProcKey, string>> } | null = null;
  let lastKey: ProcKey | undefined;
  const finish = () => {
    if (!block) return;
    const b = block;
    block = null;
    const f = b.fields;
    for (const key of Object.values(PROC_KEYS)) {
      if (f[key] === undefined) throw new ParseError(PROC_KIND, b.line, `process block ${preview(b.title)} has no ${key} line`);
    }
    const num = (k: 'worldId' | 'processId' | 'vmxCartelId') => {
      if (!/^\d+$/.test(f[k]!)) throw new ParseError(PROC_KIND, b.line, `${k} is not a number: ${preview(f[k]!)}`);
      return Number(f[k]);
    };
    processes.push({
      title: b.title,
      worldId: num('worldId'),
      processId: num('processId'),
      vmxCartelId: num('vmxCartelId'),
      uuid: f.uuid!,
      displayName: f.displayName!,
      configFile: f.configFile!,
    });
  };
  for (const { no, text: line } of toLines(text)) {
    if (isBlank(line)) {
      finish();
      continue;
    }
    if (!/^[ \t]/.test(line)) {
      // A display name with a newline in it goes on at the start of the next line, in the title
      // and after `Display Name:`: the name is kept whole (a finding at capture), the host parses.
      if (block && Object.keys(block.fields).length === 0) {
        block.title += `\n${line}`;
        continue;
      }
      if (block && lastKey === 'displayName') {
        block.fields.displayName += `\n${line}`;
        continue;
      }
      if (block) throw new ParseError(PROC_KIND, no, `a new block starts without a blank line: ${preview(line)}`);
      block = { title: line, line: no, fields: {} };
      lastKey = undefined;
      continue;
    }
    const m = /^[ \t]+([^:\s][^:]*?): ?(.*)$/.exec(line);
    if (!block || !m) throw new ParseError(PROC_KIND, no, `expected "   Key: Value" inside a process block: ${preview(line)}`);
    const label = m[1]!;
    if (!Object.hasOwn(PROC_KEYS, label)) {
      lastKey = undefined;
      continue; // newer esxcli may add keys; they are not needed
    }
    const key = PROC_KEYS[label as keyof typeof PROC_KEYS];
    const b = block as { fields: Partial<Record<ProcKey, string>> };
    if (b.fields[key] !== undefined) throw new ParseError(PROC_KIND, no, `${label} twice in one block`);
    b.fields[key] = m[2]!;
    lastKey = key;
  }
  finish();
  return { processes };
}

// ---- storage nfs list --------------------------------------------------------------------------

export interface NfsMount {
  volumeName: string;
  host: string;
  share: string;
  accessible: boolean;
  mounted: boolean;
  /** null on 5.x, which has no Read-Only column. */
  readOnly: boolean | null;
  /** null on 5.x, which has no isPE column. */
  isPE: boolean | null;
  hardwareAcceleration: string;
}

const NFS_KIND = 'esxi-nfs-list';

/** One row of an esxcli dash-line table: the cells by header label, and the row's line number. */
export interface DashRow {
  no: number;
  cells: Map<string, string>;
}

/**
 * An esxcli table (`storage nfs list`, `storage filesystem list`). Columns come from the dash
 * underline (runs of `-` separated by blanks). Each cell is the slice under its run; the gaps
 * between runs must be blank in every row, otherwise the row does not fit the table and is an
 * error (this catches a value wider than its column, e.g. when esxcli pads by bytes and a name is
 * not ASCII). The last column takes the rest of the line. Empty output = no rows.
 */
export function parseDashTable(text: string, kind: string, required: readonly string[]): DashRow[] {
  const lines = toLines(text).filter((l) => !isBlank(l.text));
  if (lines.length === 0) return [];
  const [header, dashes, ...rows] = lines;
  if (!header || !dashes || !/^-+(?: +-+)*[ \t]*$/.test(dashes.text)) {
    throw new ParseError(kind, (dashes ?? header)!.no, 'expected a header line and a dash underline');
  }
  const spans: { start: number; end: number }[] = [];
  for (const m of dashes.text.matchAll(/-+/g)) spans.push({ start: m.index, end: m.index + m[0].length });
  const labels = spans.map((s, i) => header.text.slice(s.start, i + 1 < spans.length ? spans[i + 1]!.start : undefined).trim());
  for (const need of required) {
    if (!labels.includes(need)) throw new ParseError(kind, header.no, `the table has no ${need} column`);
  }
  return rows.map((row) => {
    const cells = new Map<string, string>();
    spans.forEach((s, i) => {
      const last = i + 1 === spans.length;
      const gapEnd = last ? row.text.length : spans[i + 1]!.start;
      const cell = row.text.slice(s.start, last ? undefined : s.end);
      const gap = last ? '' : row.text.slice(s.end, gapEnd);
      if (i === 0 && s.start > 0 && !isBlank(row.text.slice(0, s.start))) {
        throw new ParseError(kind, row.no, `text before the first column: ${preview(row.text)}`);
      }
      if (!isBlank(gap)) throw new ParseError(kind, row.no, `a value runs over its column: ${preview(row.text)}`);
      cells.set(labels[i]!, cell.trim());
    });
    return { no: row.no, cells };
  });
}

function cellBool(row: DashRow, label: string, kind: string): boolean | null {
  const v = row.cells.get(label);
  if (v === undefined) return null;
  if (v !== 'true' && v !== 'false') throw new ParseError(kind, row.no, `${label} is not true/false: ${preview(v)}`);
  return v === 'true';
}

function cellText(row: DashRow, label: string, kind: string): string {
  const v = row.cells.get(label) ?? '';
  if (v === '') throw new ParseError(kind, row.no, `${label} is empty`);
  return v;
}

/** `esxcli storage nfs list`, both the 5.x layout and the one with Read-Only and isPE. */
export function parseNfsList(text: string): { mounts: NfsMount[] } {
  const K = NFS_KIND;
  const rows = parseDashTable(text, K, ['Volume Name', 'Host', 'Share', 'Accessible', 'Mounted', 'Hardware Acceleration']);
  return {
    mounts: rows.map((r) => ({
      volumeName: cellText(r, 'Volume Name', K),
      host: cellText(r, 'Host', K),
      share: cellText(r, 'Share', K),
      accessible: cellBool(r, 'Accessible', K)!,
      mounted: cellBool(r, 'Mounted', K)!,
      readOnly: cellBool(r, 'Read-Only', K),
      isPE: cellBool(r, 'isPE', K),
      hardwareAcceleration: cellText(r, 'Hardware Acceleration', K),
    })),
  };
}

// ---- storage filesystem list -------------------------------------------------------------------

export interface EsxiFilesystem {
  /** `/vmfs/volumes/<uuid>`; '' for a volume that is not mounted (the KB shows none then). */
  mountPoint: string;
  /** '' for a volume without a name (the boot and scratch `vfat` partitions). */
  volumeName: string;
  /** VMFS: 4 groups (`595d1290-79d25d9f-5c14-00e0ed438c52`); NFS: 2 groups (`2707af93-17b6f4d4`). */
  uuid: string;
  mounted: boolean;
  /** `VMFS-5`, `VMFS-6`, `NFS`, `NFS41`, `vfat`, `vsan`… as printed. */
  type: string;
  /** Bytes; null when the host printed no Size/Free column. */
  size: number | null;
  free: number | null;
}

const FS_KIND = 'esxi-filesystem-list';

function cellBytes(row: DashRow, label: string, kind: string): number | null {
  const v = row.cells.get(label);
  if (v === undefined) return null;
  if (!/^\d+$/.test(v)) throw new ParseError(kind, row.no, `${label} is not a number of bytes: ${preview(v)}`);
  return Number(v);
}

/**
 * `esxcli storage filesystem list`: which `/vmfs/volumes/<uuid>` is which datastore (ESXi 5.5 to
 * 8.x samples: esxi-storage-filesystem-list-*.txt). Every column is read by its label from the dash
 * line's spans, whose widths grow with the data; nameless partitions have an empty Volume Name.
 */
export function parseFilesystemList(text: string): { filesystems: EsxiFilesystem[] } {
  const K = FS_KIND;
  const rows = parseDashTable(text, K, ['Mount Point', 'Volume Name', 'UUID', 'Mounted', 'Type']);
  return {
    filesystems: rows.map((r) => {
      const mounted = cellBool(r, 'Mounted', K)!;
      return {
        mountPoint: mounted ? cellText(r, 'Mount Point', K) : (r.cells.get('Mount Point') ?? ''),
        volumeName: r.cells.get('Volume Name') ?? '',
        uuid: cellText(r, 'UUID', K),
        mounted,
        type: cellText(r, 'Type', K),
        size: cellBytes(r, 'Size', K),
        free: cellBytes(r, 'Free', K),
      };
    }),
  };
}

// ---- system version get ------------------------------------------------------------------------

export interface EsxiVersion {
  product: string;
  version: string;
  build: string;
  update?: string;
  patch?: string;
  maintenance?: string;
  /** Any other key, camelCased. */
  [key: string]: string | undefined;
}

const VERSION_KIND = 'esxi-version';

function camel(label: string): string {
  const words = label.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
}

export function parseVersion(text: string): EsxiVersion {
  const out = Object.create(null) as Record<string, string>;
  for (const { no, text: line } of toLines(text)) {
    if (isBlank(line)) continue;
    const m = /^[ \t]+([^:\s][^:]*?): ?(.*)$/.exec(line);
    if (!m) throw new ParseError(VERSION_KIND, no, `expected "   Key: Value": ${preview(line)}`);
    const key = camel(m[1]!);
    if (key === '') throw new ParseError(VERSION_KIND, no, `no key name: ${preview(line)}`);
    if (key in out) throw new ParseError(VERSION_KIND, no, `${m[1]} twice`);
    out[key] = m[2]!.trimEnd();
  }
  for (const need of ['product', 'version', 'build']) {
    if (!out[need]) throw new ParseError(VERSION_KIND, null, `no "${need[0]!.toUpperCase()}${need.slice(1)}:" line`);
  }
  return { ...out } as EsxiVersion;
}
