import type { CommandIntent } from '../transport/intent.js';
import type { CommandFinishedEvent, CommandStartedEvent, EngineEvent } from './events.js';

/** A command with an intent that a run sent, and the host's answer once it came. */
export interface SentChange {
  started: CommandStartedEvent & { intent: CommandIntent };
  /** Absent while (or because) no answer was journaled: in flight, or drbook died with it. */
  finished?: CommandFinishedEvent | undefined;
}

interface ChangeIndex {
  /** How many of the list's events are indexed. */
  seen: number;
  byOp: Map<CommandIntent['op'], SentChange[]>;
  unanswered: Map<string, SentChange>;
}

const indexes = new WeakMap<readonly EngineEvent[], ChangeIndex>();

/**
 * The changes of kind `op` in `events` (a run's events: ctx.events()), in the order sent. Each
 * step asks this per VM, and walking every event each time made a 2,000-VM failover quadratic;
 * so each list is indexed once, and only what was appended since is indexed on the next call.
 * The lists a run keeps only grow; a list rebuilt per call is simply indexed afresh.
 */
export function sentChanges(events: readonly EngineEvent[], op: CommandIntent['op']): readonly SentChange[] {
  let ix = indexes.get(events);
  if (!ix || ix.seen > events.length) {
    ix = { seen: 0, byOp: new Map(), unanswered: new Map() };
    indexes.set(events, ix);
  }
  for (; ix.seen < events.length; ix.seen++) {
    const e = events[ix.seen]!;
    if (e.type === 'command.started' && e.intent) {
      const change: SentChange = { started: e as SentChange['started'] };
      ix.unanswered.set(e.id, change);
      const list = ix.byOp.get(e.intent.op);
      if (list) list.push(change);
      else ix.byOp.set(e.intent.op, [change]);
    } else if (e.type === 'command.finished') {
      const change = ix.unanswered.get(e.id);
      if (change) {
        change.finished = e;
        ix.unanswered.delete(e.id);
      }
    }
  }
  return ix.byOp.get(op) ?? [];
}

/** Whether the host answered a change without an error. */
export function answeredOk(c: SentChange): boolean {
  return c.finished !== undefined && c.finished.exitCode === 0 && !c.finished.error;
}
