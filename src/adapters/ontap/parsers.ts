/**
 * Parsers of the ONTAP `show` outputs drbook reads. Each accepts every layout ONTAP prints for that
 * command (default table, `-fields`, `-instance` / single record) because operators paste all three,
 * and throws ParseError naming the line instead of returning a half-filled record.
 */
import { ParseError } from '../../errors.js';
import { findOntapError } from './messages.js';
import {
  camelKey,
  isNoEntries,
  outputLines,
  parseOntapInstance,
  parseOntapTable,
  type OntapInstanceRecord,
  type OntapRow,
} from './table.js';

export { parseOntapTable, parseOntapInstance, camelKey, isNoEntries, NO_ENTRIES, TABLE_EMPTY, EMPTY_RESULTS } from './table.js';
export type { OntapColumn, OntapRow, OntapTable, OntapTableSpec, OntapInstanceRecord } from './table.js';
export { parseOntapMessage, findOntapError } from './messages.js';
export type { OntapMessage, OntapMessageKind, OntapJob, OntapPrompt } from './messages.js';

/** Every field of a record, keyed by camelCase field name (`lagTime`, `relationshipId`); `-` is null. */
export type OntapFields = Record<string, string | null>;

export interface SnapmirrorRelationship {
  source: string;
  destination: string;
  /** `XDP`, `DP`, `RST`… or null when the output did not show it. */
  type: string | null;
  /** Mirror state as printed: `Snapmirrored`, `Broken-off`, `Uninitialized`, `Quiesced`… */
  state: string | null;
  /** Relationship status as printed: `Idle`, `Transferring`, `Quiesced`, `InSync`… */
  status: string | null;
  healthy: boolean | null;
  totalProgress: string | null;
  /** `Progress Last Updated` (`09/19 07:58:29`), as printed. */
  lastUpdated: string | null;
  lagTime?: string | null;
  newestSnapshot?: string | null;
  newestSnapshotTimestamp?: string | null;
  /** The 1-based line where the record starts in the text given. */
  line: number;
  fields: OntapFields;
}

export interface OntapSnapshot {
  vserver: string;
  volume: string;
  name: string;
  size?: string | null;
  state?: string | null;
  /** ISO 8601 local time of the cluster, no zone (`2019-12-01T02:00:00`): ONTAP prints none. */
  createTime?: string | null;
  /** The create time as printed (`Sun Dec  1 02:00:00 2019`). */
  createTimeText?: string | null;
  line: number;
  fields: OntapFields;
}

export interface OntapVolumeRow {
  vserver: string;
  volume: string;
  state: string | null;
  type: string | null;
  junctionPath: string | null;
  line: number;
  fields: OntapFields;
}

export interface OntapCloneRow {
  vserver: string;
  flexclone: string;
  parentVserver: string | null;
  parentVolume: string | null;
  parentSnapshot: string | null;
  /** Default view only (`online`), or when asked with -fields. */
  state?: string | null;
  type?: string | null;
  line: number;
  fields: OntapFields;
}

/** Header names, `-fields` names and `-instance` labels of `snapmirror show`, by output key. */
const SNAPMIRROR_NAMES: Record<string, string> = {
  sourcePath: 'source',
  destinationPath: 'destination',
  type: 'type',
  relationshipType: 'type',
  mirrorState: 'state',
  state: 'state',
  relationshipStatus: 'status',
  status: 'status',
  healthy: 'healthy',
  totalProgress: 'totalProgress',
  progressLastUpdated: 'lastUpdated',
  lagTime: 'lagTime',
  newestSnapshot: 'newestSnapshot',
  newestSnapshotTimestamp: 'newestSnapshotTimestamp',
};

const SNAPSHOT_NAMES: Record<string, string> = {
  vserver: 'vserver',
  volume: 'volume',
  snapshot: 'name',
  state: 'state',
  size: 'size',
  createTime: 'createTime',
  creationTime: 'createTime',
};

const VOLUME_NAMES: Record<string, string> = {
  vserver: 'vserver',
  volume: 'volume',
  state: 'state',
  volumeState: 'state',
  type: 'type',
  volumeType: 'type',
  junctionPath: 'junctionPath',
};

const CLONE_NAMES: Record<string, string> = {
  vserver: 'vserver',
  flexclone: 'flexclone',
  parentVserver: 'parentVserver',
  parentVolume: 'parentVolume',
  parentSnapshot: 'parentSnapshot',
  state: 'state',
  type: 'type',
};

interface Generic {
  line: number;
  /** Raw fields by camelCase name. */
  fields: OntapFields;
  /** Known fields by output key; absent when the output did not have that column or label. */
  known: Record<string, string | null>;
}

function keyed(line: number, values: Record<string, string | null>, names: Record<string, string>): Generic {
  const fields: OntapFields = {};
  const known: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(values)) {
    const k = camelKey(name);
    fields[k] = value;
    const out = names[k];
    if (out !== undefined && !(out in known)) known[out] = value;
  }
  return { line, fields, known };
}

/**
 * Read any of the layouts into generic records. `There are no entries matching your query.` is [];
 * an `Error:` is a ParseError quoting it (the parse command shows it; adapters check errors first).
 */
function readShow(kind: string, text: string, names: Record<string, string>, required: readonly string[]): Generic[] {
  const lines = outputLines(text);
  if (lines.every((l) => l === '')) throw new ParseError(kind, null, 'the output is empty');
  if (isNoEntries(text)) return [];
  const err = findOntapError(text);
  if (err !== null) {
    const at = lines.findIndex((l) => l.startsWith(err.slice(0, 20)));
    throw new ParseError(kind, at === -1 ? null : at + 1, `the device answered with an error, not a table: ${err}`);
  }
  const isTable = lines.some((l) => /^-+(?: +-+)*$/.test(l));
  let records: Generic[];
  if (isTable) {
    const table = parseOntapTable(text, { kind });
    records = table.rows.map((r: OntapRow) => keyed(r.line, r.values, names));
    const seen = new Set(table.columns.map((c) => names[camelKey(c.name)]).filter((k) => k !== undefined));
    const missing = required.filter((k) => !seen.has(k));
    if (missing.length > 0) {
      const header = lines.findIndex((l) => l !== '');
      throw new ParseError(
        kind,
        header + 1,
        `the header has no ${missing.join('/')} column: not ${kind.replace(/^ontap-/, '').replace(/-/g, ' ')} output`,
      );
    }
  } else {
    records = parseOntapInstance(text, { kind }).map((r: OntapInstanceRecord) => keyed(r.line, r.values, names));
  }
  for (const r of records) {
    for (const k of required) {
      if (r.known[k] === undefined || r.known[k] === null) {
        throw new ParseError(kind, r.line, `the record has no ${k} value`);
      }
    }
  }
  return records;
}

function parseHealthy(kind: string, r: Generic): boolean | null {
  const v = r.known.healthy;
  if (v === undefined || v === null) return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ParseError(kind, r.line, `Healthy is ${JSON.stringify(v)}, expected true or false`);
}

/** `snapmirror show` in any layout: default table (wrapped or squeezed), `-fields`, `-instance`. */
export function parseSnapmirrorShow(text: string): { relationships: SnapmirrorRelationship[] } {
  const kind = 'ontap-snapmirror-show';
  const records = readShow(kind, text, SNAPMIRROR_NAMES, ['source', 'destination']);
  return {
    relationships: records.map((r) => {
      const rel: SnapmirrorRelationship = {
        source: r.known.source!,
        destination: r.known.destination!,
        type: r.known.type ?? null,
        state: r.known.state ?? null,
        status: r.known.status ?? null,
        healthy: parseHealthy(kind, r),
        totalProgress: r.known.totalProgress ?? null,
        lastUpdated: r.known.lastUpdated ?? null,
        line: r.line,
        fields: r.fields,
      };
      for (const k of ['lagTime', 'newestSnapshot', 'newestSnapshotTimestamp'] as const) {
        if (k in r.known) rel[k] = r.known[k] ?? null;
      }
      return rel;
    }),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CTIME = /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * ONTAP's ctime-style time (`Sun Dec  1 02:00:00 2019`, two spaces before a 1-digit day) as an ISO
 * 8601 local time without zone (`2019-12-01T02:00:00`), or null when it is not that format.
 */
export function parseOntapCtime(text: string): string | null {
  const m = CTIME.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!) + 1;
  const [day, hour, min, sec, year] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (month === 0 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCDate() !== day) return null;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${year}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(min)}:${p2(sec)}`;
}

/** `volume snapshot show` in any layout (default table with or without `---Blocks---`/State, `-fields`). */
export function parseSnapshotShow(text: string): { snapshots: OntapSnapshot[] } {
  const kind = 'ontap-snapshot-show';
  const records = readShow(kind, text, SNAPSHOT_NAMES, ['vserver', 'volume', 'name']);
  return {
    snapshots: records.map((r) => {
      const snap: OntapSnapshot = {
        vserver: r.known.vserver!,
        volume: r.known.volume!,
        name: r.known.name!,
        line: r.line,
        fields: r.fields,
      };
      if ('size' in r.known) snap.size = r.known.size ?? null;
      if ('state' in r.known) snap.state = r.known.state ?? null;
      if ('createTime' in r.known) {
        const t = r.known.createTime ?? null;
        snap.createTimeText = t;
        if (t === null) snap.createTime = null;
        else {
          const iso = parseOntapCtime(t);
          if (iso === null) throw new ParseError(kind, r.line, `create time ${JSON.stringify(t)} is not like "Sun Dec  1 02:00:00 2019"`);
          snap.createTime = iso;
        }
      }
      return snap;
    }),
  };
}

/** `volume show -vserver V -volume VOL -fields state,type,junction-path` (or any volume show layout). */
export function parseVolumeShow(text: string): { volumes: OntapVolumeRow[] } {
  const kind = 'ontap-volume-show';
  const records = readShow(kind, text, VOLUME_NAMES, ['vserver', 'volume']);
  return {
    volumes: records.map((r) => ({
      vserver: r.known.vserver!,
      volume: r.known.volume!,
      state: r.known.state ?? null,
      type: r.known.type ?? null,
      junctionPath: r.known.junctionPath ?? null,
      line: r.line,
      fields: r.fields,
    })),
  };
}

/**
 * `volume clone show` (default view, where a record wraps over up to 4 lines, or `-fields
 * parent-volume,parent-snapshot`): which volume and snapshot each FlexClone was made from.
 */
export function parseVolumeCloneShow(text: string): { clones: OntapCloneRow[] } {
  const kind = 'ontap-volume-clone-show';
  const records = readShow(kind, text, CLONE_NAMES, ['vserver', 'flexclone']);
  return {
    clones: records.map((r) => {
      const row: OntapCloneRow = {
        vserver: r.known.vserver!,
        flexclone: r.known.flexclone!,
        parentVserver: r.known.parentVserver ?? null,
        parentVolume: r.known.parentVolume ?? null,
        parentSnapshot: r.known.parentSnapshot ?? null,
        line: r.line,
        fields: r.fields,
      };
      if ('state' in r.known) row.state = r.known.state ?? null;
      if ('type' in r.known) row.type = r.known.type ?? null;
      return row;
    }),
  };
}
