/**
 * The exact ONTAP command lines drbook sends, as pure functions of their arguments. OntapOps sends
 * these and `drbook plan` prints them, so the printed procedure cannot drift from the run.
 *
 * `ontapTokens.*` are the commands themselves; `ontapCommands.*` are the whole lines sent over SSH:
 * `set -confirmations off; rows 0; <command>`. The clustershell runs `;`-separated commands in
 * order, `set -confirmations off` answers the `{y|n}` prompts (a non-interactive exec cannot), and
 * `rows 0` turns the pager off so long tables are not cut at one screen.
 */
import { ontapLine, type OntapToken } from '../../transport/quote.js';

const p = (name: string): OntapToken => ({ param: name });

/** The session settings sent in front of every command. */
export const ONTAP_SESSION_PREFIX: readonly (readonly OntapToken[])[] = [
  ['set', p('-confirmations'), 'off'],
  ['rows', '0'],
];

/** The exact line sent for one ONTAP command: the session prefix and the command, `;`-separated. */
export function ontapSessionLine(tokens: readonly OntapToken[]): string {
  return [...ONTAP_SESSION_PREFIX, tokens].map((t) => ontapLine(t)).join('; ');
}

export const SNAPMIRROR_FIELDS = [
  'source-path',
  'destination-path',
  'type',
  'state',
  'status',
  'healthy',
  'lag-time',
  'newest-snapshot',
  'newest-snapshot-timestamp',
] as const;

/** `volume show` of one volume, only these fields. */
const volumeShowFields = (vserver: string, volume: string, fields: string[]): OntapToken[] => [
  'volume',
  'show',
  p('-vserver'),
  vserver,
  p('-volume'),
  volume,
  p('-fields'),
  { list: fields },
];

export const ontapTokens = {
  /** `snapmirror show [-destination-path X] -fields …`: every relationship, or the one into X. */
  relationships(filter: { destination?: string } = {}): OntapToken[] {
    const tokens: OntapToken[] = ['snapmirror', 'show'];
    if (filter.destination !== undefined) tokens.push(p('-destination-path'), filter.destination);
    tokens.push(p('-fields'), { list: SNAPMIRROR_FIELDS });
    return tokens;
  },
  quiesce: (destination: string): OntapToken[] => ['snapmirror', 'quiesce', p('-destination-path'), destination],
  break: (destination: string): OntapToken[] => ['snapmirror', 'break', p('-destination-path'), destination],
  update: (destination: string): OntapToken[] => ['snapmirror', 'update', p('-destination-path'), destination],
  resync: (destination: string): OntapToken[] => ['snapmirror', 'resync', p('-destination-path'), destination],
  snapshots: (vserver: string, volume: string): OntapToken[] => [
    'volume',
    'snapshot',
    'show',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-fields'),
    'create-time',
  ],
  createSnapshot: (vserver: string, volume: string, snapshot: string): OntapToken[] => [
    'volume',
    'snapshot',
    'create',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-snapshot'),
    snapshot,
  ],
  deleteSnapshot: (vserver: string, volume: string, snapshot: string): OntapToken[] => [
    'volume',
    'snapshot',
    'delete',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-snapshot'),
    snapshot,
  ],
  /** SnapRestore: the whole volume back to the snapshot; everything newer is lost. */
  restoreVolume: (vserver: string, volume: string, snapshot: string): OntapToken[] => [
    'volume',
    'snapshot',
    'restore',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-snapshot'),
    snapshot,
  ],
  /** Single-file SnapRestore of `path` (volume-relative), optionally to `restorePath`. */
  restoreFile(vserver: string, volume: string, snapshot: string, path: string, restorePath?: string): OntapToken[] {
    const tokens: OntapToken[] = [
      'volume',
      'snapshot',
      'restore-file',
      p('-vserver'),
      vserver,
      p('-volume'),
      volume,
      p('-snapshot'),
      snapshot,
      p('-path'),
      path,
    ];
    if (restorePath !== undefined) tokens.push(p('-restore-path'), restorePath);
    return tokens;
  },
  cloneCreate: (vserver: string, clone: string, parentVolume: string, parentSnapshot: string, junctionPath: string): OntapToken[] => [
    'volume',
    'clone',
    'create',
    p('-vserver'),
    vserver,
    p('-flexclone'),
    clone,
    p('-parent-volume'),
    parentVolume,
    p('-parent-snapshot'),
    parentSnapshot,
    p('-junction-path'),
    junctionPath,
  ],
  /** One of the three commands that delete a FlexClone, in this order: unmount, offline, delete. */
  volumeVerb: (verb: 'unmount' | 'offline' | 'delete', vserver: string, volume: string): OntapToken[] => [
    'volume',
    verb,
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
  ],
  volumeState: (vserver: string, volume: string): OntapToken[] => volumeShowFields(vserver, volume, ['state', 'type', 'junction-path']),
  /** Is VOLUME a FlexClone, and of which volume and snapshot. */
  cloneShow: (vserver: string, clone: string): OntapToken[] => [
    'volume',
    'clone',
    'show',
    p('-vserver'),
    vserver,
    p('-flexclone'),
    clone,
    p('-fields'),
    'parent-volume,parent-snapshot',
  ],
  mount: (vserver: string, volume: string, junctionPath: string): OntapToken[] => [
    'volume',
    'mount',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-junction-path'),
    junctionPath,
  ],
  unmount: (vserver: string, volume: string): OntapToken[] => ['volume', 'unmount', p('-vserver'), vserver, p('-volume'), volume],
  // ---- the way back (reprotect, failback): NetApp's "reactivate the original source volume" ----
  /** A relationship (XDP, mirror every snapshot, as the lab's and VSC's sites use). Run on the destination's cluster. */
  create: (source: string, destination: string): OntapToken[] => [
    'snapmirror',
    'create',
    p('-source-path'),
    source,
    p('-destination-path'),
    destination,
    p('-type'),
    'XDP',
    p('-policy'),
    'MirrorAllSnapshots',
  ],
  /** The size and duration of a relationship's last transfer: the link's rate, for a baseline's time estimate. */
  lastTransfer: (destination: string): OntapToken[] => [
    'snapmirror',
    'show',
    p('-destination-path'),
    destination,
    p('-fields'),
    { list: ['last-transfer-size', 'last-transfer-duration'] },
  ],
  /** The baseline transfer of an uninitialized relationship: the whole volume. */
  initialize: (destination: string): OntapToken[] => ['snapmirror', 'initialize', p('-destination-path'), destination],
  /** Remove the relationship on the destination's cluster (the volumes and snapshots stay). */
  deleteRelationship: (destination: string): OntapToken[] => ['snapmirror', 'delete', p('-destination-path'), destination],
  /** Remove the source side's record only; `-relationship-info-only true` keeps its snapshots (the common one). */
  release: (destination: string): OntapToken[] => [
    'snapmirror',
    'release',
    p('-destination-path'),
    destination,
    p('-relationship-info-only'),
    'true',
  ],
  /** The source side's records of relationships into `destination` (deleted ones stay until released). */
  listDestinations: (destination: string): OntapToken[] => [
    'snapmirror',
    'list-destinations',
    p('-destination-path'),
    destination,
    p('-fields'),
    { list: ['type', 'status', 'relationship-id'] },
  ],
  /** The space a volume uses: what a baseline transfer of it moves. */
  volumeUsed: (vserver: string, volume: string): OntapToken[] =>
    volumeShowFields(vserver, volume, ['state', 'type', 'junction-path', 'used', 'aggregate', 'size']),
  volumeRename: (vserver: string, volume: string, newName: string): OntapToken[] => [
    'volume',
    'rename',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-newname'),
    newName,
  ],
  /** A new, empty data-protection volume (a baseline's destination), not mounted. */
  volumeCreateDp: (vserver: string, volume: string, aggregate: string, size: string): OntapToken[] => [
    'volume',
    'create',
    p('-vserver'),
    vserver,
    p('-volume'),
    volume,
    p('-aggregate'),
    aggregate,
    p('-size'),
    size,
    p('-type'),
    'DP',
  ],
} as const;

type Lines = { [K in keyof typeof ontapTokens]: (...args: Parameters<(typeof ontapTokens)[K]>) => string };

/** The whole line sent for each command (session prefix included). */
export const ontapCommands: Lines = {
  relationships: (...a) => ontapSessionLine(ontapTokens.relationships(...a)),
  quiesce: (...a) => ontapSessionLine(ontapTokens.quiesce(...a)),
  break: (...a) => ontapSessionLine(ontapTokens.break(...a)),
  update: (...a) => ontapSessionLine(ontapTokens.update(...a)),
  resync: (...a) => ontapSessionLine(ontapTokens.resync(...a)),
  snapshots: (...a) => ontapSessionLine(ontapTokens.snapshots(...a)),
  createSnapshot: (...a) => ontapSessionLine(ontapTokens.createSnapshot(...a)),
  deleteSnapshot: (...a) => ontapSessionLine(ontapTokens.deleteSnapshot(...a)),
  restoreVolume: (...a) => ontapSessionLine(ontapTokens.restoreVolume(...a)),
  restoreFile: (...a) => ontapSessionLine(ontapTokens.restoreFile(...a)),
  cloneCreate: (...a) => ontapSessionLine(ontapTokens.cloneCreate(...a)),
  volumeVerb: (...a) => ontapSessionLine(ontapTokens.volumeVerb(...a)),
  volumeState: (...a) => ontapSessionLine(ontapTokens.volumeState(...a)),
  cloneShow: (...a) => ontapSessionLine(ontapTokens.cloneShow(...a)),
  mount: (...a) => ontapSessionLine(ontapTokens.mount(...a)),
  unmount: (...a) => ontapSessionLine(ontapTokens.unmount(...a)),
  create: (...a) => ontapSessionLine(ontapTokens.create(...a)),
  lastTransfer: (...a) => ontapSessionLine(ontapTokens.lastTransfer(...a)),
  initialize: (...a) => ontapSessionLine(ontapTokens.initialize(...a)),
  deleteRelationship: (...a) => ontapSessionLine(ontapTokens.deleteRelationship(...a)),
  release: (...a) => ontapSessionLine(ontapTokens.release(...a)),
  listDestinations: (...a) => ontapSessionLine(ontapTokens.listDestinations(...a)),
  volumeUsed: (...a) => ontapSessionLine(ontapTokens.volumeUsed(...a)),
  volumeRename: (...a) => ontapSessionLine(ontapTokens.volumeRename(...a)),
  volumeCreateDp: (...a) => ontapSessionLine(ontapTokens.volumeCreateDp(...a)),
};
