import { describe, expect, it } from 'vitest';
import { DecisionEvents } from '../../src/engine/decision-events.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { CommandIntent } from '../../src/transport/intent.js';

const started = (id: string, intent?: CommandIntent): EngineEvent => ({
  type: 'command.started',
  at: 1,
  id,
  host: 'ontap',
  command: `cmd ${id}`,
  intent,
});
const finished = (id: string): EngineEvent => ({
  type: 'command.finished',
  at: 2,
  id,
  host: 'ontap',
  exitCode: 0,
  signal: null,
  durationMs: 1,
  stdoutTail: `out ${id}`,
  stderrTail: '',
});

describe('DecisionEvents', () => {
  it('keeps every event but the reads: a command with an intent and its answer (output included) stay', () => {
    const step: EngineEvent = { type: 'step.state', at: 0, stepId: 'snaprestore', state: 'running' };
    const restore = started('c2', { op: 'restore', volume: 'vol2', snapshot: 'daily.0' });
    const kept = new DecisionEvents([step, started('c1'), restore, finished('c1')]);
    kept.add(finished('c2'));
    kept.add(started('c3'));
    kept.add(finished('c3'));
    expect(kept.list).toEqual([step, restore, finished('c2')]);
  });

  it("keeps an answer whose command it never saw (it cannot tell it is a read's)", () => {
    const kept = new DecisionEvents();
    kept.add(finished('c9'));
    expect(kept.list).toEqual([finished('c9')]);
  });
});
