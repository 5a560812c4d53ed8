import type { EngineEvent } from './events.js';

/**
 * The events a run keeps in memory while it runs (ctx.events(), the lockdown check at its end):
 * every event but the commands that only read. Steps and resume decide from what the run changed
 * (commands with an intent: kills, reverts, the SnapRestore, lockdown, vCenter calls; their
 * answers, output included), the boards, steps and targets, never from a read's output; and
 * reads are nearly all of a big run's events (a 2,000-VM failover sends ~70,000 commands). The
 * journal keeps every event: the report reads them there.
 */
export class DecisionEvents {
  readonly list: EngineEvent[] = [];
  /** Reads started and not finished yet: their command.finished is left out too. */
  private readonly reads = new Set<string>();

  constructor(events: Iterable<EngineEvent> = []) {
    for (const e of events) this.add(e);
  }

  add(e: EngineEvent): void {
    if (e.type === 'command.started' && !e.intent) this.reads.add(e.id);
    else if (e.type !== 'command.finished' || !this.reads.delete(e.id)) this.list.push(e);
  }
}
