import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { answeredOk, sentChanges } from '../../src/engine/sent-changes.js';
import { findByKey } from '../../src/failover/lookup.js';
import type { CommandIntent } from '../../src/transport/intent.js';

const started = (id: string, intent?: CommandIntent, targetId?: string): EngineEvent => ({
  type: 'command.started',
  at: Number(id.slice(1)),
  id,
  host: 'esx01',
  command: `cmd ${id}`,
  intent,
  targetId,
});
const finished = (id: string, exitCode = 0): EngineEvent => ({
  type: 'command.finished',
  at: 100,
  id,
  host: 'esx01',
  exitCode,
  signal: null,
  durationMs: 1,
  stdoutTail: '',
  stderrTail: exitCode ? 'refused' : '',
});

describe('sentChanges', () => {
  it('lists the changes of one kind with their answers, and what a growing list gained since the last call', () => {
    const events: EngineEvent[] = [started('c1', { op: 'snapshot-revert', vmid: 5, snapshotId: 1 }, 'vm:a'), started('c2'), finished('c2')];
    const reverts = () => sentChanges(events, 'snapshot-revert');
    expect(reverts().map((c) => [c.started.id, c.finished?.exitCode])).toEqual([['c1', undefined]]);
    expect(sentChanges(events, 'kill')).toEqual([]);
    // Appended after the first call: indexed on the next one, the answer joined to its change.
    events.push(
      finished('c1', 1),
      started('c3', { op: 'kill', worldId: 7, type: 'soft' }),
      started('c4', { op: 'snapshot-revert', vmid: 5, snapshotId: 1 }, 'vm:a'),
      finished('c4'),
    );
    expect(reverts().map((c) => [c.started.id, c.finished?.exitCode, answeredOk(c)])).toEqual([
      ['c1', 1, false],
      ['c4', 0, true],
    ]);
    expect(sentChanges(events, 'kill').map((c) => [c.started.id, c.finished])).toEqual([['c3', undefined]]);
  });

  it('indexes a list that is not the one it indexed before afresh', () => {
    const a: EngineEvent[] = [started('c1', { op: 'lockdown-exit' })];
    expect(sentChanges(a, 'lockdown-exit')).toHaveLength(1);
    expect(sentChanges([...a, started('c2', { op: 'lockdown-exit' })], 'lockdown-exit')).toHaveLength(2);
    expect(sentChanges([], 'lockdown-exit')).toHaveLength(0);
  });
});

describe('findByKey', () => {
  const keyOf = (v: { name: string }) => v.name;
  it('finds what list.find would (the first of equal keys), and an item added since', () => {
    const list = [
      { name: 'a', n: 1 },
      { name: 'b', n: 2 },
      { name: 'a', n: 3 },
    ];
    expect(findByKey(list, keyOf, 'a')).toEqual({ name: 'a', n: 1 });
    expect(findByKey(list, keyOf, 'c')).toBeUndefined();
    list.push({ name: 'c', n: 4 });
    expect(findByKey(list, keyOf, 'c')).toEqual({ name: 'c', n: 4 });
    expect(findByKey(list, (v) => String(v.n), '3')).toEqual({ name: 'a', n: 3 });
  });
});
