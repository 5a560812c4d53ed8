import { describe, expect, it } from 'vitest';
import { RemoteCommandError } from '../../src/errors.js';
import type { ChooseRequest } from '../../src/engine/ports.js';
import { runRunbook } from '../../src/engine/runner.js';
import { fakeActions, makeWorld, recorder, testPrompter, testRunbook, type World } from './fake-world.js';

describe('the plan is announced', () => {
  it('lists every step as waiting, with its title, right after run.started', async () => {
    const rec = recorder();
    await runRunbook({
      runbook: testRunbook(),
      actions: fakeActions(),
      context: makeWorld(1, 1),
      sink: rec,
      prompter: testPrompter(),
      runId: 'r',
      site: 'lab',
      limits: { perHost: 1 },
    });
    const ids = testRunbook().steps.map((s) => s.id);
    expect(rec.events[0]?.type).toBe('run.started');
    expect(rec.events.slice(1, 1 + ids.length)).toEqual(
      testRunbook().steps.map((s) => expect.objectContaining({ type: 'step.state', stepId: s.id, state: 'waiting', title: s.title })),
    );
  });
});

describe('the error panel gets the failure', () => {
  it('names the VM, and the host, command and words of the device that refused', async () => {
    const world = makeWorld(1, 2);
    const asked: ChooseRequest[] = [];
    const prompter = testPrompter({
      choose: (req) => {
        asked.push(req);
        return 'skip';
      },
    });
    const actions = {
      ...fakeActions(),
      register: {
        check: () => 'todo' as const,
        apply: (_c: World, t: { id: string }) => {
          if (t.id === 'esx1-vm2')
            throw new RemoteCommandError(
              'esx1',
              "vim-cmd solo/registervm '/vmfs/volumes/ds2/vm2/vm2.vmx' esx1-vm2",
              'The specified key, name, or identifier already exists.',
            );
        },
        verify: () => true as const,
      },
    };
    const result = await runRunbook({
      runbook: testRunbook(),
      actions,
      context: world,
      sink: recorder(),
      prompter,
      runId: 'run-1',
      site: 'lab',
      limits: { perHost: 2 },
      operator: 'alice',
    });
    expect(result.outcome).toBe('failed');
    const panel = asked.find((r) => r.promptId.includes('.failed.'));
    expect(panel?.failure).toEqual({
      vm: 'esx1-vm2',
      host: 'esx1',
      command: "vim-cmd solo/registervm '/vmfs/volumes/ds2/vm2/vm2.vmx' esx1-vm2",
      message: 'The specified key, name, or identifier already exists.',
    });
  });
});
