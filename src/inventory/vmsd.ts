/**
 * A tolerant reader of VMware's .vmsd (snapshot metadata) files:
 *
 *   .encoding = "UTF-8"
 *   snapshot.numSnapshots = "1"
 *   snapshot.current = "1"
 *   snapshot0.uid = "1"
 *   snapshot0.filename = "web-Snapshot1.vmsn"
 *   snapshot0.displayName = "smvi_daily_…"
 *   snapshot0.createTimeHigh = "378893"
 *   snapshot0.createTimeLow = "-1717986918"
 *   snapshot0.disk0.fileName = "web-000001.vmdk"
 *
 * The file comes out of a NetApp snapshot of a live datastore, so it may be half-written: lines
 * that do not parse are never fatal; their numbers are kept in `unread`, so none is lost silently.
 */

export interface VmsdSnapshot {
  /** N of `snapshotN.*` */
  index: number;
  uid: string | null;
  displayName: string;
  description: string;
  /** The .vmsn file of this snapshot. */
  filename: string | null;
  /** ISO 8601, or null when the times are missing or not numbers. */
  createdAt: string | null;
  /** The disk files the snapshot points at (`snapshotN.diskM.fileName`). */
  disks: string[];
}

export interface Vmsd {
  numSnapshots: number | null;
  current: string | null;
  snapshots: VmsdSnapshot[];
  /** 1-based numbers of the non-blank lines that are not `key = "value"`. */
  unread: number[];
}

const LINE = /^\s*([A-Za-z0-9_.:-]+)\s*=\s*(?:"([^"]*)"?|(\S*))\s*$/;

/** VMware config files escape bytes as `|XX` (hex): `|22` is a double quote, `|7C` a pipe. */
function unescapeValue(v: string): string {
  return v.replace(/\|([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** microseconds since the epoch, split in two 32-bit halves; the low half is written signed. */
function createTime(high: string | undefined, low: string | undefined): string | null {
  if (high === undefined || low === undefined) return null;
  const h = Number(high);
  const l = Number(low);
  if (!Number.isInteger(h) || !Number.isInteger(l)) return null;
  const micros = h * 2 ** 32 + (l < 0 ? l + 2 ** 32 : l);
  const d = new Date(Math.floor(micros / 1000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function parseVmsd(text: string): Vmsd {
  const values = new Map<string, string>();
  const unread: number[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const m = LINE.exec(raw);
    if (!m) {
      if (raw.trim() !== '') unread.push(i + 1);
      continue;
    }
    const key = (m[1] as string).toLowerCase();
    values.set(key, unescapeValue(m[2] ?? m[3] ?? ''));
  }
  const indexes = new Set<number>();
  for (const key of values.keys()) {
    const m = /^snapshot(\d+)\./.exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  const snapshots: VmsdSnapshot[] = [...indexes]
    .sort((a, b) => a - b)
    .map((i) => {
      const get = (k: string): string | undefined => values.get(`snapshot${i}.${k.toLowerCase()}`);
      const disks: string[] = [];
      for (const [key, value] of values) {
        if (new RegExp(`^snapshot${i}\\.disk\\d+\\.filename$`).test(key)) disks.push(value);
      }
      return {
        index: i,
        uid: get('uid') ?? null,
        displayName: get('displayName') ?? '',
        description: get('description') ?? '',
        filename: get('filename') ?? null,
        createdAt: createTime(get('createTimeHigh'), get('createTimeLow')),
        disks,
      };
    });
  const n = values.get('snapshot.numsnapshots');
  return {
    numSnapshots: n !== undefined && /^\d+$/.test(n) ? Number(n) : null,
    current: values.get('snapshot.current') ?? null,
    snapshots,
    unread,
  };
}
