import { describe, expect, it } from 'vitest';
import { OperatorError, StoppedError, exitCodeOf } from '../../src/errors.js';
import { auditToEvents, tail } from '../../src/engine/audit.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { answerVia, createFlagPrompter, fanOut } from '../../src/engine/ports.js';
import { runInScope } from '../../src/engine/scope.js';

const choose = (keys: string[]) => ({ promptId: 'p', title: 'web01 failed', lines: [], options: keys.map((key) => ({ key, label: key })) });

describe('flag prompter', () => {
  it('answers only the typed confirmation equal to --confirm', async () => {
    const p = createFlagPrompter({ confirm: 'svm2:vol2' });
    expect(p.via).toBe('flag');
    await expect(p.confirmTyped({ promptId: 'b', title: 'Break', lines: [], expect: 'svm2:vol2' })).resolves.toBe(true);
    await expect(p.confirmTyped({ promptId: 'b', title: 'Break', lines: [], expect: 'svm9:x' })).rejects.toThrow(
      /--confirm svm2:vol2 does not match svm9:x/,
    );
    const none = createFlagPrompter({});
    const err = await none.confirmTyped({ promptId: 'b', title: 'Break', lines: [], expect: 'svm2:vol2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as OperatorError).hint).toMatch(/pass --confirm svm2:vol2/);
  });

  it('checklists need --ack-manual, else the run stops (resumable)', async () => {
    await expect(
      createFlagPrompter({ ackManual: true }).checklist({ promptId: 'c', title: 'Restore vCenter', items: ['a'] }),
    ).resolves.toBe(true);
    const err = await createFlagPrompter({})
      .checklist({ promptId: 'c', title: 'Restore vCenter', items: ['a'] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoppedError);
    expect((err as StoppedError).hint).toMatch(/--ack-manual/);
  });

  it('choose: skip for VM-level errors, abort for site-level, or the configured answer', async () => {
    await expect(createFlagPrompter({}).choose(choose(['retry', 'skip', 'abort']))).resolves.toBe('skip');
    await expect(createFlagPrompter({}).choose(choose(['retry', 'abort']))).resolves.toBe('abort');
    await expect(createFlagPrompter({ chooseDefault: () => 'retry' }).choose(choose(['retry', 'abort']))).resolves.toBe('retry');
    await expect(createFlagPrompter({ chooseDefault: () => 'nope' }).choose(choose(['retry', 'abort']))).rejects.toThrow(
      /no answer 'nope'/,
    );
  });

  it("a question a flag answers: the flag's value, or a stop naming the flag when it was not given; never a default", async () => {
    const crash = (value: string | undefined) => ({
      ...choose(['power-on', 'skip']),
      title: 'app01 has no quiesce point',
      default: 'power-on',
      flag: { name: '--crash-consistent', value, values: ['power-on', 'skip'] },
    });
    const p = createFlagPrompter({ chooseDefault: () => 'power-on' });
    await expect(p.choose(crash('skip'))).resolves.toBe('skip');
    const err = await p.choose(crash(undefined)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoppedError);
    expect(exitCodeOf(err)).toBe(4);
    expect((err as StoppedError).message).toMatch(/app01 has no quiesce point: .*--crash-consistent/);
    expect((err as StoppedError).hint).toMatch(/pass --crash-consistent power-on\|skip/);
    const host = { ...choose(['esx02', 'skip']), flag: { name: '--unreachable-host', value: 'stop', values: ['skip', 'stop'] } };
    await expect(p.choose(host)).rejects.toThrow(/as --unreachable-host stop says/);
  });

  it("records who answered: the terminal operator, the flag, or drbook's default", () => {
    const flag = { name: '--crash-consistent', value: 'skip', values: ['power-on', 'skip'] };
    const p = createFlagPrompter({});
    expect(answerVia(p, 'choose', flag)).toBe('flag');
    expect(answerVia(p, 'choose', undefined)).toBe('default');
    expect(answerVia(p, 'typed', undefined)).toBe('flag');
    expect(answerVia({ ...p, via: 'tty' }, 'choose', undefined)).toBe('tty');
  });
});

describe('auditToEvents', () => {
  it('tags commands with the scope they started in, even when they finish outside it', () => {
    const events: EngineEvent[] = [];
    const seen: EngineEvent[] = [];
    const audit = auditToEvents(fanOut({ emit: (e) => void events.push(e) }, { emit: (e) => void seen.push(e) }), { now: () => 42 });
    runInScope({ stepId: 'vms', targetId: 'web01' }, () =>
      audit.commandStarted({ id: 'c1', host: 'esx1', command: 'vim-cmd x', purpose: 'kill soft web01', at: 40 }),
    );
    audit.commandFinished({
      id: 'c1',
      result: {
        host: 'esx1',
        command: 'vim-cmd x',
        exitCode: 1,
        signal: null,
        stdout: 'a\nb\n',
        stderr: 'bad thing\n',
        startedAt: 40,
        durationMs: 2,
        truncated: false,
      },
    });
    expect(events).toEqual([
      {
        type: 'command.started',
        at: 40,
        id: 'c1',
        host: 'esx1',
        command: 'vim-cmd x',
        purpose: 'kill soft web01',
        stepId: 'vms',
        targetId: 'web01',
      },
      {
        type: 'command.finished',
        at: 42,
        id: 'c1',
        host: 'esx1',
        exitCode: 1,
        signal: null,
        durationMs: 2,
        stdoutTail: 'a\nb',
        stderrTail: 'bad thing',
        error: undefined,
        stepId: 'vms',
        targetId: 'web01',
      },
    ]);
    expect(seen).toHaveLength(2);
  });

  it('tail keeps the last lines', () => {
    expect(tail(Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n'), 3)).toBe('l27\nl28\nl29');
  });
});
