/**
 * Journals written before events carried their facts as data (no `eventsVersion` on `run.started`):
 * their commands have no intent and the engine's notes are English sentences. This is the one
 * place that reads that old text, once, as the events are loaded: resume, the screens and the
 * report then see every journal in today's shape (test/fixtures/journal-v1 is such a journal).
 */
import { EVENTS_VERSION, type EngineEvent } from '../engine/events.js';
import type { EngineNote, Note } from '../engine/notes.js';
import { VCENTER_METHODS, type CommandIntent } from '../transport/intent.js';
import { splitOntapLine } from '../transport/quote.js';

/** The command lines of version 1 that later code reads facts from: kills, lockdown, SnapRestore, revert. */
const LEGACY_KILL = /^esxcli vm process kill --type=(soft|hard|force) --world-id=(\d+)$/;
const LEGACY_LOCKDOWN = /^vim-cmd -U dcui vimsvc\/auth\/lockdown_mode_(exit|enter)$/;
const LEGACY_REVERT = /^vim-cmd vmsvc\/snapshot\.revert (\d+) (\d+) [01]$/;
/** After the clustershell session prefix; a name with spaces was double-quoted. */
const LEGACY_RESTORE = / volume snapshot restore -vserver ("[^"]*"|\S+) -volume ("[^"]*"|\S+) -snapshot ("[^"]*"|\S+)$/;
const unquote = (w: string): string => (w.startsWith('"') ? w.slice(1, -1) : w);

/** The session prefix every version-1 clustershell line began with (ontapSessionLine). */
const LEGACY_ONTAP_PREFIX = 'set -confirmations off; rows 0; ';

/**
 * A version-1 shell line's words, undoing shellQuote (bare words, `'…'`, and `'\''` for a quote).
 * `>` and `&&` come back as words of their own: the builders never left them unquoted inside one.
 */
function shellWords(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      if (word !== null) out.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return [];
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i]!;
    } else word = (word ?? '') + c;
  }
  if (word !== null) out.push(word);
  return out;
}

/** The values after `-name` parameters of one version-1 clustershell command, when its words are exactly `verbs` then those. */
function ontapParams(line: string, verbs: readonly string[], names: readonly string[]): string[] | undefined {
  if (!line.startsWith(LEGACY_ONTAP_PREFIX)) return undefined;
  let words;
  try {
    words = splitOntapLine(line.slice(LEGACY_ONTAP_PREFIX.length));
  } catch {
    return undefined;
  }
  if (words.length !== verbs.length + names.length * 2 || verbs.some((v, i) => words[i] !== v)) return undefined;
  const values: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = words[verbs.length + 2 * i];
    const value = words[verbs.length + 2 * i + 1];
    if (typeof name !== 'object' || name.param !== names[i] || typeof value !== 'string') return undefined;
    values.push(value);
  }
  return values;
}

/** The drill's version-1 lines (clone, datastore, registrations, .vmx writes, power). */
function legacyDrillIntent(command: string): CommandIntent | undefined {
  const clone = ontapParams(
    command,
    ['volume', 'clone', 'create'],
    ['-vserver', '-flexclone', '-parent-volume', '-parent-snapshot', '-junction-path'],
  );
  if (clone) {
    const [vserver, flexclone, parent, snapshot, junctionPath] = clone as [string, string, string, string, string];
    return { op: 'clone-create', clone: `${vserver}:${flexclone}`, parent: `${vserver}:${parent}`, snapshot, junctionPath };
  }
  const mount = ontapParams(command, ['volume', 'mount'], ['-vserver', '-volume', '-junction-path']);
  if (mount) return { op: 'volume-mount', volume: `${mount[0]}:${mount[1]}`, junctionPath: mount[2]! };
  for (const verb of ['unmount', 'offline', 'delete'] as const) {
    const v = ontapParams(command, ['volume', verb], ['-vserver', '-volume']);
    if (v) return { op: `volume-${verb}`, volume: `${v[0]}:${v[1]}` };
  }
  const w = shellWords(command);
  const [a, b] = w;
  const n = (i: number): number | undefined => (w.length === i + 1 && /^\d+$/.test(w[i]!) ? Number(w[i]) : undefined);
  if (a === 'vim-cmd' && b === 'solo/registervm' && (w.length === 3 || w.length === 4))
    return { op: 'register', vmxPath: w[2]!, name: w[3] };
  if (a === 'vim-cmd' && b === 'vmsvc/unregister' && n(2) !== undefined) return { op: 'unregister', vmid: n(2)! };
  if (a === 'vim-cmd' && b === 'vmsvc/power.on' && n(2) !== undefined) return { op: 'power-on', vmid: n(2)! };
  if (a === 'vim-cmd' && b === 'vmsvc/power.off' && n(2) !== undefined) return { op: 'power-off', vmid: n(2)! };
  if (a === 'esxcli' && b === 'storage' && w[2] === 'nfs') {
    if (w[3] === 'add' && w.length === 10 && w[4] === '-H' && w[6] === '-s' && w[8] === '-v')
      return { op: 'nfs-add', nfsHost: w[5]!, share: w[7]!, name: w[9]! };
    if (w[3] === 'remove' && w.length === 6 && w[4] === '-v') return { op: 'nfs-remove', name: w[5]! };
  }
  // printf %s CONTENT > PATH.drbook-tmp && mv PATH.drbook-tmp PATH
  if (a === 'printf' && w.length === 9 && w[3] === '>' && w[5] === '&&' && w[6] === 'mv' && w[4] === w[7] && w[7] === `${w[8]}.drbook-tmp`)
    return { op: 'write-file', path: w[8]! };
  return undefined;
}

function legacyIntent(command: string): CommandIntent | undefined {
  const kill = LEGACY_KILL.exec(command);
  if (kill) return { op: 'kill', type: kill[1] as 'soft' | 'hard' | 'force', worldId: Number(kill[2]) };
  const lockdown = LEGACY_LOCKDOWN.exec(command);
  if (lockdown) return { op: lockdown[1] === 'exit' ? 'lockdown-exit' : 'lockdown-enter' };
  const revert = LEGACY_REVERT.exec(command);
  if (revert) return { op: 'snapshot-revert', vmid: Number(revert[1]), snapshotId: Number(revert[2]) };
  const restore = LEGACY_RESTORE.exec(command);
  if (restore) return { op: 'restore', volume: `${unquote(restore[1]!)}:${unquote(restore[2]!)}`, snapshot: unquote(restore[3]!) };
  return legacyDrillIntent(command);
}

const FIXED: Record<string, EngineNote> = {
  'nothing to do': { key: 'nothingToDo' },
  'stopped here; drbook resume continues': { key: 'stoppedHere' },
  'stopped at its confirmation; drbook resume asks again': { key: 'stoppedAtConfirmation' },
  'skipped by the operator; the others go on': { key: 'skippedByOperator' },
};
const COUNTED = [
  ['stoppedNotFinished', /^stopped with (\d+) of (\d+) not finished; drbook resume continues$/],
  ['failedCount', /^(\d+) of (\d+) failed$/],
  ['blockedCount', /^(\d+) of (\d+) not done: they failed in an earlier step$/],
] as const;

/** A version-1 note: the engine's English sentence back to its key; an action's own text as it is. */
export function legacyNote(note: string): Note {
  const fixed = FIXED[note];
  if (fixed) return fixed;
  const step = /^failed in step (\S+)$/.exec(note);
  if (step) return { key: 'failedInStep', params: { step: step[1]! } };
  for (const [key, re] of COUNTED) {
    const m = re.exec(note);
    if (m) return { key, params: { n: Number(m[1]), total: Number(m[2]) } };
  }
  return note;
}

/** One version-1 event in today's shape. */
function upgradeV1(e: EngineEvent): EngineEvent {
  switch (e.type) {
    case 'command.started': {
      if (e.intent) return e;
      const intent = legacyIntent(e.command);
      return intent ? { ...e, intent } : e;
    }
    case 'step.state':
    case 'target.state':
      return typeof e.note === 'string' ? { ...e, note: legacyNote(e.note) } : e;
    default:
      return e;
  }
}

/**
 * A board written before boards named their kind (src/runbook/board.ts), by what only that board
 * holds: the Hyper-V board its platform, the drill's its drill block, the failover's its snapshots.
 * The way back's boards named theirs from the start.
 */
function withKind(data: unknown): object | undefined {
  if (typeof data !== 'object' || data === null || 'kind' in data) return undefined;
  const kind =
    'platform' in data && data.platform === 'hyperv'
      ? 'hyperv'
      : 'drill' in data
        ? 'drill'
        : 'snapshots' in data && 'hosts' in data
          ? 'failover'
          : undefined;
  return kind ? { kind, ...data } : undefined;
}

/**
 * A vCenter call journaled before vCenter calls carried an intent (within version 2 too): its
 * line is the method, then its arguments (VcenterClient.changing).
 */
function vcenterIntent(e: EngineEvent): CommandIntent | undefined {
  if (e.type !== 'command.started' || e.intent || e.host !== 'vcenter') return undefined;
  const method = VCENTER_METHODS.find((m) => e.command === m || e.command.startsWith(`${m} `));
  return method ? { op: 'vcenter-call', method } : undefined;
}

/**
 * A run's stored events in today's shape. Events before the first `run.started` that names its
 * version are version 1 (a run started by an older drbook and resumed by this one has both).
 */
export function upgradeEvents(events: readonly EngineEvent[]): EngineEvent[] {
  return events.map(eventUpgrader());
}

/** upgradeEvents one event at a time, in order (for events read as a stream). */
export function eventUpgrader(): (e: EngineEvent) => EngineEvent {
  let legacy = true;
  return (e) => {
    if (e.type === 'run.started' && (e.eventsVersion ?? 1) >= EVENTS_VERSION) legacy = false;
    // Boards got their kind within version 2: a board without one is older whatever the version.
    const board = e.type === 'situation' ? withKind(e.data) : undefined;
    const vcenter = vcenterIntent(e);
    const shaped = board ? { ...e, data: board } : vcenter ? { ...e, intent: vcenter } : e;
    return legacy ? upgradeV1(shaped) : shaped;
  };
}
