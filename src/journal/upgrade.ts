/**
 * Journals written before events carried their facts as data (no `eventsVersion` on `run.started`):
 * their commands have no intent and the engine's notes are English sentences. This is the one
 * place that reads that old text, once, as the events are loaded: resume, the screens and the
 * report then see every journal in today's shape (test/fixtures/journal-v1 is such a journal).
 */
import { EVENTS_VERSION, type EngineEvent } from '../engine/events.js';
import type { EngineNote, Note } from '../engine/notes.js';
import type { CommandIntent } from '../transport/intent.js';

/** The command lines of version 1 that later code reads facts from: kills, lockdown, SnapRestore, revert. */
const LEGACY_KILL = /^esxcli vm process kill --type=(soft|hard|force) --world-id=(\d+)$/;
const LEGACY_LOCKDOWN = /^vim-cmd -U dcui vimsvc\/auth\/lockdown_mode_(exit|enter)$/;
const LEGACY_REVERT = /^vim-cmd vmsvc\/snapshot\.revert (\d+) (\d+) [01]$/;
/** After the clustershell session prefix; a name with spaces was double-quoted. */
const LEGACY_RESTORE = / volume snapshot restore -vserver ("[^"]*"|\S+) -volume ("[^"]*"|\S+) -snapshot ("[^"]*"|\S+)$/;
const unquote = (w: string): string => (w.startsWith('"') ? w.slice(1, -1) : w);

function legacyIntent(command: string): CommandIntent | undefined {
  const kill = LEGACY_KILL.exec(command);
  if (kill) return { op: 'kill', type: kill[1] as 'soft' | 'hard' | 'force', worldId: Number(kill[2]) };
  const lockdown = LEGACY_LOCKDOWN.exec(command);
  if (lockdown) return { op: lockdown[1] === 'exit' ? 'lockdown-exit' : 'lockdown-enter' };
  const revert = LEGACY_REVERT.exec(command);
  if (revert) return { op: 'snapshot-revert', vmid: Number(revert[1]), snapshotId: Number(revert[2]) };
  const restore = LEGACY_RESTORE.exec(command);
  if (restore) return { op: 'restore', volume: `${unquote(restore[1]!)}:${unquote(restore[2]!)}`, snapshot: unquote(restore[3]!) };
  return undefined;
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
 * A run's stored events in today's shape. Events before the first `run.started` that names its
 * version are version 1 (a run started by an older drbook and resumed by this one has both).
 */
export function upgradeEvents(events: readonly EngineEvent[]): EngineEvent[] {
  let legacy = true;
  return events.map((e) => {
    if (e.type === 'run.started' && (e.eventsVersion ?? 1) >= EVENTS_VERSION) legacy = false;
    return legacy ? upgradeV1(e) : e;
  });
}
