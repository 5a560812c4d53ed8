import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { Rows } from '../../src/engine/rows.js';
import { foldEvents, initialViewModel, reduce, stepRow, targetRow } from '../../src/engine/view-model.js';

function bigRun(n: number): EngineEvent[] {
  let at = 1_000;
  const ev: EngineEvent[] = [{ type: 'run.started', at: at++, runId: 'r', site: 's', runbook: 'rb', resumed: false }];
  ev.push({ type: 'step.state', at: at++, stepId: 'vms', state: 'running', title: 'VMs' });
  const targets = Array.from({ length: n }, (_, i) => ({ id: `vm${i}`, label: `vm${i}`, host: `esx${i % 16}`, group: i % 3 }));
  ev.push({ type: 'step.targets', at: at++, stepId: 'vms', stages: ['fence', 'register', 'revert', 'power'], targets });
  for (const stage of ['fence', 'register', 'revert', 'power']) {
    for (const t of targets) {
      ev.push({ type: 'target.state', at: at++, stepId: 'vms', targetId: t.id, state: 'running', stage });
      ev.push({
        type: 'command.started',
        at: at++,
        id: `${stage}-${t.id}`,
        host: t.host,
        command: `vim-cmd ${stage} ${t.id}`,
        stepId: 'vms',
        targetId: t.id,
      });
      ev.push({
        type: 'command.finished',
        at: at++,
        id: `${stage}-${t.id}`,
        host: t.host,
        exitCode: 0,
        signal: null,
        durationMs: 5,
        stdoutTail: '',
        stderrTail: '',
      });
      ev.push({ type: 'target.state', at: at++, stepId: 'vms', targetId: t.id, state: 'done', stage });
    }
  }
  for (const t of targets)
    ev.push({
      type: 'target.state',
      at: at++,
      stepId: 'vms',
      targetId: t.id,
      state: t.id === 'vm7' ? 'failed' : 'done',
      error: t.id === 'vm7' ? 'boom' : undefined,
    });
  ev.push({ type: 'step.state', at: at++, stepId: 'vms', state: 'failed', note: '1 of 2000 failed' });
  ev.push({ type: 'run.finished', at, outcome: 'failed', error: 'vm7 failed' });
  return ev;
}

describe('reduce', () => {
  it('folds 2,000 VMs × 4 stages with exact counts and bounded logs', () => {
    const events = bigRun(2000);
    const vm = foldEvents(events);
    const step = stepRow(vm, 'vms')!;
    expect(step).toMatchObject({
      title: 'VMs',
      state: 'failed',
      total: 2000,
      done: 1999,
      failed: 1,
      skipped: 0,
      stages: ['fence', 'register', 'revert', 'power'],
    });
    expect(vm.targets.size).toBe(2000);
    expect(targetRow(vm, 'vms', 'vm7')).toMatchObject({
      state: 'failed',
      error: 'boom',
      stagesDone: ['fence', 'register', 'revert', 'power'],
    });
    expect(targetRow(vm, 'vms', 'vm1999')).toMatchObject({ state: 'done', host: 'esx15', group: 1 });
    expect(vm.commands).toHaveLength(50);
    expect(vm.commandCount).toBe(8000);
    expect(vm.commands.at(-1)).toMatchObject({ id: 'power-vm1999', finished: true, exitCode: 0 });
    expect(vm.header).toMatchObject({ phase: 'failed', runId: 'r' });
    expect(vm.outcome).toMatchObject({ outcome: 'failed', error: 'vm7 failed' });
  });

  it('is pure: never changes the model it was given, and shares what did not change', () => {
    const events = bigRun(200);
    const before = foldEvents(events.slice(0, 10));
    const snapshot = JSON.stringify({ ...before, targets: before.targets.toArray(), targetIndex: [...before.targetIndex] });
    const after = reduce(before, events[10]!);
    expect(JSON.stringify({ ...before, targets: before.targets.toArray(), targetIndex: [...before.targetIndex] })).toBe(snapshot);
    expect(after).not.toBe(before);
    expect(after.targets).not.toBe(before.targets);
    // Only the changed row is new; a row in another chunk is the very same object.
    expect(after.targets.get(199)).toBe(before.targets.get(199));
  });

  it('keeps the pending prompt until it is answered and records who answered', () => {
    let vm = initialViewModel();
    vm = reduce(vm, { type: 'prompt.requested', at: 1, promptId: 'p1', kind: 'typed', title: 'Break', lines: ['x'], expect: 'svm2:vol2' });
    expect(vm.header.phase).toBe('needs-you');
    expect(vm.prompt).toMatchObject({ promptId: 'p1', expect: 'svm2:vol2' });
    vm = reduce(vm, { type: 'prompt.answered', at: 5, promptId: 'p1', answer: 'yes', by: 'alice', via: 'tty' });
    expect(vm.prompt).toBeUndefined();
    expect(vm.answers).toEqual([
      { promptId: 'p1', kind: 'typed', title: 'Break', answer: 'yes', by: 'alice', via: 'tty', requestedAt: 1, at: 5 },
    ]);
  });

  it('a resumed run.started keeps the rows and the first start time', () => {
    const events = bigRun(3);
    const vm = foldEvents([...events, { type: 'run.started', at: 99_999, runId: 'r', site: 's', runbook: 'rb', resumed: true }]);
    expect(vm.header).toMatchObject({ resumed: true, phase: 'running', startedAt: 1000 });
    expect(vm.outcome).toBeUndefined();
    expect(vm.targets.size).toBe(3);
  });

  it('a target event without a step.targets announcement still gets a row', () => {
    const vm = foldEvents([{ type: 'target.state', at: 1, stepId: 'a', targetId: 't', state: 'running' }]);
    expect(targetRow(vm, 'a', 't')).toMatchObject({ state: 'running', label: 't' });
    expect(stepRow(vm, 'a')).toMatchObject({ total: 1 });
  });

  it('estimates the time left from the pace so far', () => {
    const vm = foldEvents([
      { type: 'step.state', at: 0, stepId: 's', state: 'running' },
      { type: 'step.targets', at: 0, stepId: 's', stages: [], targets: [1, 2, 3, 4].map((i) => ({ id: `t${i}`, label: `t${i}` })) },
      { type: 'target.state', at: 1000, stepId: 's', targetId: 't1', state: 'done' },
    ]);
    expect(stepRow(vm, 's')?.etaMs).toBe(3000);
  });
});

describe('Rows', () => {
  it('appends, replaces and slices across chunks', () => {
    const r = Rows.of(Array.from({ length: 200 }, (_, i) => i));
    const r2 = r.with(130, -1);
    expect(r.get(130)).toBe(130);
    expect(r2.get(130)).toBe(-1);
    expect(r2.slice(128, 132)).toEqual([128, 129, -1, 131]);
    expect([...r2.append([7, 8])].slice(-3)).toEqual([199, 7, 8]);
    expect(r2.append([7]).size).toBe(201);
    expect(() => r.with(200, 0)).toThrow(RangeError);
  });
});
