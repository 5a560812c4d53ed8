import { describe, expect, it } from 'vitest';
import { exitCodeOf, OperatorError, StoppedError } from '../../src/errors.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { createFlagPrompter } from '../../src/engine/ports.js';
import { runRunbook, type ActionIO, type RunOptions, type StageAction, type Target } from '../../src/engine/runner.js';
import { currentScope } from '../../src/engine/scope.js';
import { foldEvents } from '../../src/engine/view-model.js';
import { localizeNote } from '../../src/i18n/engine.js';
import { fakeActions, indexOf, makeWorld, recorder, stageEvent, testPrompter, testRunbook, RUNBOOK_YAML, World } from './fake-world.js';

function options(world: World, over: Partial<RunOptions<World>> = {}): RunOptions<World> & { events: EngineEvent[] } {
  const rec = recorder();
  return {
    runbook: testRunbook(),
    actions: fakeActions(),
    context: world,
    sink: rec,
    prompter: testPrompter(),
    runId: 'run-1',
    site: 'lab',
    limits: { perHost: 2 },
    operator: 'alice',
    events: rec.events,
    ...over,
  };
}

const ALL_STAGES = ['fence', 'register', 'power'];

function expectComplete(world: World) {
  expect(world.broken).toBe(true);
  for (const vm of world.vms) for (const s of ALL_STAGES) expect(world.done.has(`${s}:${vm.id}`), `${s}:${vm.id}`).toBe(true);
  for (const h of world.hosts) expect(world.lockdown.get(h)).toBe(true);
}

describe('runRunbook', () => {
  it('runs every step to the end and says so in events', async () => {
    const world = makeWorld(2, 3);
    const o = options(world);
    const result = await runRunbook(o);
    expect(result).toEqual({ outcome: 'done', failedTargets: [] });
    expectComplete(world);
    expect(o.events[0]).toMatchObject({ type: 'run.started', runId: 'run-1', site: 'lab', runbook: 'test-failover', resumed: false });
    expect(o.events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'done' });
    const vm = foldEvents(o.events);
    expect(vm.steps.map((s) => [s.id, s.state, s.done, s.total])).toEqual([
      ['lockdown-exit', 'done', 2, 2],
      ['break', 'done', 1, 1],
      ['vms', 'done', 6, 6],
      ['lockdown-enter', 'done', 2, 2],
    ]);
    // The typed confirmation was asked once and recorded with who answered it and how.
    expect(vm.answers).toEqual([
      expect.objectContaining({ promptId: 'break.confirm', kind: 'typed', answer: 'yes', by: 'alice', via: 'test' }),
    ]);
    for (const [k, n] of world.applies) expect(n, k).toBe(1);
  });

  it('lets each VM flow through its stages without a barrier between stages', async () => {
    const world = makeWorld(2, 6);
    const o = options(world, { limits: { perHost: 2 } });
    await runRunbook(o);
    const first = world.vms[0]!.id;
    const last = world.vms.at(-1)!.id;
    // The first VM is powered on before the last VM has even been fenced.
    const firstPowered = indexOf(o.events, stageEvent('vms', first, 'power', 'done'));
    const lastFenced = indexOf(o.events, stageEvent('vms', last, 'fence', 'done'));
    expect(firstPowered).toBeGreaterThan(-1);
    expect(lastFenced).toBeGreaterThan(firstPowered);
    // And the device log agrees: a power apply started before some fence apply.
    expect(world.log.indexOf(`start power:${first}`)).toBeLessThan(world.log.indexOf(`start fence:${last}`));
  });

  it('a VM that finishes a stage keeps its slot for its next one: VMs waiting to start wait for it', async () => {
    const world = makeWorld(1, 3);
    await runRunbook(options(world, { limits: { perHost: 1 } }));
    // One slot: each VM goes fence, register, power before the next VM is fenced (released first,
    // the slot went to a VM waiting to start, and every VM waited a whole stage between its own).
    const starts = world.log.filter((l) => l.startsWith('start ') && l.includes('-vm'));
    expect(starts).toEqual(world.vms.flatMap((vm) => ALL_STAGES.map((s) => `start ${s}:${vm.id}`)));
    expect(world.maxActive.get('esx1')).toBe(1);
  });

  it("a host's last VMs, fewer than its slots, start before those under way finish: no slot idles at the tail", async () => {
    // Two slots, three VMs: finishing first, the third would start only after a whole VM and then
    // run its three stages alone, one slot idle. Fewer waiting to start than slots, it goes first.
    const world = makeWorld(1, 3);
    const result = await runRunbook(options(world, { limits: { perHost: 2 } }));
    expect(result.outcome).toBe('done');
    expectComplete(world);
    const third = world.log.indexOf('start fence:esx1-vm3');
    const firstPower = world.log.findIndex((l) => l.startsWith('start power:'));
    expect(third).toBeGreaterThan(-1);
    expect(third).toBeLessThan(firstPower);
    expect(world.maxActive.get('esx1')).toBe(2);
  });

  it('a stage whose changes have ended gives its slot on while it reads; a retry takes one again', async () => {
    // One slot, two VMs. vm1's fence says its changes ended, then reads until vm2's fence has run:
    // held to the end, the slot would never reach vm2 and the run would not finish.
    const world = makeWorld(1, 2);
    const [vm1, vm2] = world.vms.map((v) => v.id) as [string, string];
    const base = fakeActions();
    const fence = base.fence as StageAction<World>;
    let vm2Fenced!: () => void;
    const vm2FencedNow = new Promise<void>((resolve) => (vm2Fenced = resolve));
    let attempts = 0;
    const actions = {
      ...base,
      fence: {
        ...fence,
        async apply(w: World, t: Target, io: ActionIO) {
          if (t.id !== vm1) {
            await fence.apply(w, t, io);
            return vm2Fenced();
          }
          if (++attempts === 1) {
            io.changesEnded();
            io.changesEnded(); // a second call frees nothing more
            await vm2FencedNow;
            // Failed after its slot went on: the retry takes a slot again (else it would act
            // beside vm2's next stages, two on a one-slot host).
            throw new Error('read failed');
          }
          await fence.apply(w, t, io);
        },
      },
    };
    const result = await runRunbook(options(world, { actions, limits: { perHost: 1 } }));
    expect(result.outcome).toBe('done');
    expectComplete(world);
    expect(attempts).toBe(2);
    expect(world.log.indexOf(`end fence:${vm2}`)).toBeLessThan(world.log.indexOf(`start fence:${vm1}`));
    // Never two device actions on the host at once, the retry's included.
    expect(world.maxActive.get('esx1')).toBe(1);
  });

  it('a gated next stage does not keep the slot: the VMs behind it run while it waits', async () => {
    // Two groups on one host, one slot: group 1's power waits for group 0's; its slot goes on meanwhile.
    const world = makeWorld(1, 4, 2);
    const result = await runRunbook(options(world, { limits: { perHost: 1 } }));
    expect(result.outcome).toBe('done');
    expectComplete(world);
    expect(world.maxActive.get('esx1')).toBe(1);
  });

  it('never runs more stages on a host than its limit, and uses the limit', async () => {
    const world = makeWorld(3, 8);
    const o = options(world, { limits: { perHost: 3 } });
    await runRunbook(o);
    for (const h of world.hosts) expect(world.maxActive.get(h)).toBe(3);
    expect(world.maxHostsActive).toBe(3);
  });

  it('limits the hosts worked on at once and the total', async () => {
    const world = makeWorld(3, 4);
    await runRunbook(options(world, { limits: { perHost: 4, hosts: 1 } }));
    expect(world.maxHostsActive).toBe(1);
    const w2 = makeWorld(3, 4);
    await runRunbook(options(w2, { limits: { perHost: 4, total: 2 } }));
    expect(w2.maxTotalActive).toBe(2);
    expectComplete(w2);
  });

  it('a step concurrency.perHost overrides the run limit', async () => {
    const world = makeWorld(1, 6);
    const rb = testRunbook().steps.map((s) => (s.id === 'vms' ? { ...s, concurrency: { perHost: 1 } } : s));
    await runRunbook(options(world, { runbook: { ...testRunbook(), steps: rb }, limits: { perHost: 4 } }));
    expect(world.maxActive.get('esx1')).toBe(1);
  });

  it('starts the gated power stage of group k only after groups below k finished it', async () => {
    const world = makeWorld(2, 6, 3);
    const o = options(world, { limits: { perHost: 4 } });
    await runRunbook(o);
    const groupOf = new Map(world.vms.map((v) => [v.id, v.group!]));
    const powerStarts = world.log.filter((l) => l.startsWith('start power:')).map((l) => l.slice('start power:'.length));
    const powerEnds = world.log.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('end power:'));
    for (const vm of powerStarts) {
      const g = groupOf.get(vm)!;
      const startAt = world.log.indexOf(`start power:${vm}`);
      for (const [l, endAt] of powerEnds) {
        const other = l.slice('end power:'.length);
        if (groupOf.get(other)! < g)
          expect(endAt, `${other} (group ${groupOf.get(other)}) before ${vm} (group ${g})`).toBeLessThan(startAt);
      }
    }
    // Ungated stages of later groups ran ahead meanwhile: some group-2 VM was registered before group 0 was all powered.
    const lastGroup0Power = Math.max(...world.vms.filter((v) => v.group === 0).map((v) => world.log.indexOf(`end power:${v.id}`)));
    const firstGroup2Register = Math.min(...world.vms.filter((v) => v.group === 2).map((v) => world.log.indexOf(`end register:${v.id}`)));
    expect(firstGroup2Register).toBeLessThan(lastGroup0Power);
  });

  it('a gate does not wait for a VM that failed before reaching it', async () => {
    const world = makeWorld(1, 4, 2);
    world.failures.set('fence:esx1-vm1', 99); // group 0
    const o = options(world);
    const result = await runRunbook(o);
    expect(result.outcome).toBe('failed');
    for (const v of world.vms.filter((v) => v.id !== 'esx1-vm1')) expect(world.done.has(`power:${v.id}`)).toBe(true);
  });

  it('retries per policy, then the operator skips the VM and the others continue', async () => {
    const world = makeWorld(2, 3);
    world.failures.set('register:esx1-vm2', 5);
    const prompter = testPrompter({ choose: () => 'skip' });
    const o = options(world, { prompter });
    const result = await runRunbook(o);
    expect(result.outcome).toBe('failed');
    expect(result.failedTargets).toEqual([
      {
        stepId: 'vms',
        targetId: 'esx1-vm2',
        label: 'esx1-vm2',
        stage: 'register',
        error: expect.stringContaining('register:esx1-vm2: device said no'),
      },
    ]);
    expect(world.attempts.get('register:esx1-vm2')).toBe(2); // attempts: 2
    expect(world.applies.get('register:esx1-vm2')).toBeUndefined();
    expect(world.attempts.get('power:esx1-vm2')).toBeUndefined();
    for (const v of world.vms.filter((v) => v.id !== 'esx1-vm2')) expect(world.done.has(`power:${v.id}`)).toBe(true);
    expect(prompter.asked).toEqual(['break.confirm', expect.stringMatching(/^vms\.esx1-vm2\.register\.failed\./)]);
    expect(o.events.some((e) => e.type === 'note' && e.level === 'warn' && e.text.includes('attempt 1 of 2 failed'))).toBe(true);
    const vm = foldEvents(o.events);
    expect(vm.steps.find((s) => s.id === 'vms')).toMatchObject({ state: 'failed', done: 5, failed: 1 });
    expect(world.lockdown.get('esx1')).toBe(true);
  });

  it('retry from the error panel runs the stage again', async () => {
    const world = makeWorld(1, 2);
    world.failures.set('fence:esx1-vm1', 2);
    const result = await runRunbook(options(world, { prompter: testPrompter({ choose: () => 'retry' }) }));
    expect(result.outcome).toBe('done');
    expect(world.attempts.get('fence:esx1-vm1')).toBe(3);
    expect(world.applies.get('fence:esx1-vm1')).toBe(1);
    expectComplete(world);
  });

  it('a site-level failure stops the run before any later step; always-steps still run', async () => {
    const world = makeWorld(2, 2);
    world.failures.set('break:mirror', 99);
    const o = options(world, { prompter: createFlagPrompter({ confirm: 'svm2:vol2' }) });
    const result = await runRunbook(o);
    expect(result.outcome).toBe('failed');
    expect(exitCodeOf(result.error)).toBe(1);
    expect([...world.attempts.keys()].some((k) => k.startsWith('fence:'))).toBe(false);
    for (const h of world.hosts) expect(world.lockdown.get(h)).toBe(true);
    // Nobody chose it: the failure panel's documented default answered, and the journal says so.
    expect(o.events.some((e) => e.type === 'prompt.answered' && e.answer === 'abort' && e.via === 'default' && e.by === 'drbook')).toBe(
      true,
    );
    expect(
      o.events.some(
        (e) => e.type === 'prompt.answered' && e.promptId === 'break.confirm' && e.via === 'flag' && e.flag === '--confirm svm2:vol2',
      ),
    ).toBe(true);
  });

  it('abort: no new apply starts, in-flight ones finish, always-steps run, outcome stopped', async () => {
    const world = makeWorld(2, 6);
    const ac = new AbortController();
    let appliesAtAbort = -1;
    world.onApply = (key) => {
      if (key === 'register:esx1-vm1' && !ac.signal.aborted) {
        appliesAtAbort = world.log.length;
        ac.abort();
      }
    };
    const o = options(world, { signal: ac.signal });
    const result = await runRunbook(o);
    expect(result.outcome).toBe('stopped');
    expect(result.error).toBeInstanceOf(StoppedError);
    // After the abort only in-flight applies ended, plus the lockdown re-entry of the always-step.
    const after = world.log.slice(appliesAtAbort + 1).filter((l) => l.startsWith('start '));
    expect(after.every((l) => l.startsWith('start lockdown-enter:'))).toBe(true);
    expect(world.done.has('register:esx1-vm1')).toBe(true); // the in-flight one finished
    for (const h of world.hosts) expect(world.lockdown.get(h)).toBe(true);
    const vm = foldEvents(o.events);
    for (const t of vm.targets) if (t.state === 'running') expect(t.note, t.targetId).toBeTruthy();
    for (const s of vm.steps) if (s.state === 'running') throw new Error(`${s.id} left running`);
    // Notes are keys (src/engine/notes.ts): the sentence is what the operator reads.
    expect(localizeNote(vm.steps.find((s) => s.id === 'vms')?.note, 'en')).toMatch(/drbook resume/);
    expect(o.events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'stopped' });
  });

  it('prompter abort after a VM failure stops the run', async () => {
    const world = makeWorld(1, 4);
    world.failures.set('fence:esx1-vm1', 99);
    const result = await runRunbook(options(world, { prompter: testPrompter({ choose: () => 'abort' }), limits: { perHost: 1 } }));
    expect(result.outcome).toBe('stopped');
    expect(exitCodeOf(result.error)).toBe(4);
    expect(result.failedTargets.map((f) => f.targetId)).toEqual(['esx1-vm1']);
    expect(world.done.has('power:esx1-vm4')).toBe(false);
    expect(world.lockdown.get('esx1')).toBe(true);
  });

  it('refuses a typed confirmation without --confirm, naming the flag; nothing destructive ran', async () => {
    const world = makeWorld(1, 2);
    const o = options(world, { prompter: createFlagPrompter({}) });
    const result = await runRunbook(o);
    expect(result.outcome).toBe('stopped');
    expect(result.error).toBeInstanceOf(OperatorError);
    expect((result.error as OperatorError).hint).toContain('--confirm svm2:vol2');
    expect(world.broken).toBe(false);
    expect(world.lockdown.get('esx1')).toBe(true);
    const wrong = await runRunbook(options(makeWorld(1, 1), { prompter: createFlagPrompter({ confirm: 'svm2:other' }) }));
    expect((wrong.error as Error).message).toContain('does not match');
    const right = options(makeWorld(1, 1), { prompter: createFlagPrompter({ confirm: 'svm2:vol2' }) });
    expect((await runRunbook(right)).outcome).toBe('done');
    expect(right.events).toContainEqual(
      expect.objectContaining({ type: 'prompt.answered', promptId: 'break.confirm', answer: 'yes', via: 'flag', by: 'alice' }),
    );
  });

  it('a confirmation `through` a later step is asked by the first step it guards that has work to do', async () => {
    const yaml = RUNBOOK_YAML.replace('confirm: { kind: typed }', 'confirm: { kind: typed, through: vms }');
    // The break was done already (by an earlier run, or by hand): the VMs' step asks before its first apply.
    const declined = makeWorld(1, 2);
    declined.broken = true;
    const asked: string[] = [];
    const no = await runRunbook(
      options(declined, { runbook: testRunbook(yaml), prompter: testPrompter({ typed: (req) => (asked.push(req.promptId), false) }) }),
    );
    expect(no.outcome).toBe('stopped');
    expect(asked).toEqual(['break.confirm']);
    expect([...declined.done].filter((d) => !d.startsWith('lockdown'))).toEqual([]);
    // Confirmed: asked once for the whole range, shown under the step that asked.
    const world = makeWorld(1, 2);
    world.broken = true;
    const o = options(world, { runbook: testRunbook(yaml) });
    expect((await runRunbook(o)).outcome).toBe('done');
    const prompts = o.events.filter((e) => e.type === 'prompt.requested');
    expect(prompts).toEqual([expect.objectContaining({ promptId: 'break.confirm', stepId: 'vms' })]);
    expect(foldEvents(o.events).steps.find((s) => s.id === 'break')?.state).toBe('done');
    // Nothing to do anywhere in the range: nothing asked.
    const idle = makeWorld(1, 0);
    idle.broken = true;
    const quiet = options(idle, { runbook: testRunbook(yaml) });
    expect((await runRunbook(quiet)).outcome).toBe('done');
    expect(quiet.events.filter((e) => e.type === 'prompt.requested')).toEqual([]);
    // A `through` that names no later step is refused when the runbook loads.
    expect(() => testRunbook(RUNBOOK_YAML.replace('confirm: { kind: typed }', 'confirm: { kind: typed, through: lockdown-exit }'))).toThrow(
      /must name a later step than break/,
    );
  });

  it('a typed confirmation declined on a TTY stops the run', async () => {
    const world = makeWorld(1, 1);
    const result = await runRunbook(options(world, { prompter: testPrompter({ typed: () => false }) }));
    expect(result.outcome).toBe('stopped');
    expect(exitCodeOf(result.error)).toBe(4);
    expect(world.broken).toBe(false);
  });

  it('a checklist without --ack-manual stops the run (exit 4); resume with it continues', async () => {
    const yaml = `
name: manual
version: 1
steps:
  - { id: break, title: Break, action: break, per: site }
  - id: restore
    title: Restore vCenter from Windows Server Backup
    action: restore
    per: site
    confirm: { kind: checklist, items: [Restore the system state, Reboot vCenter] }
  - { id: vms, title: VMs, action: vms, per: vm, stages: [fence, register, power] }
`;
    const world = makeWorld(1, 2);
    const first = options(world, { runbook: testRunbook(yaml), prompter: createFlagPrompter({}) });
    const r1 = await runRunbook(first);
    expect(r1.outcome).toBe('stopped');
    expect(r1.error).toBeInstanceOf(StoppedError);
    expect(exitCodeOf(r1.error)).toBe(4);
    expect((r1.error as StoppedError).hint).toContain('--ack-manual');
    expect(world.done.has('restore:vcenter')).toBe(false);
    expect(world.done.has('fence:esx1-vm1')).toBe(false);

    const second = options(world, {
      runbook: testRunbook(yaml),
      prompter: createFlagPrompter({ ackManual: true }),
      priorEvents: first.events,
    });
    const r2 = await runRunbook(second);
    expect(r2.outcome).toBe('done');
    expect(second.events[0]).toMatchObject({ type: 'run.started', resumed: true });
    expect(world.applies.get('break:mirror')).toBe(1);
    expect(second.events).toContainEqual(
      expect.objectContaining({ type: 'prompt.answered', promptId: 'restore.confirm.2', answer: 'yes', via: 'flag' }),
    );
  });

  it('resumes after a crash at EVERY event prefix: same end state, nothing done applied twice', async () => {
    const base = makeWorld(2, 3, 2);
    const snapshots: World[] = [];
    const events: EngineEvent[] = [];
    // The journal appends inside emit(): a crash right after event k leaves events[0..k] and the world as it is now.
    const sink = { emit: (e: EngineEvent) => (events.push(e), void snapshots.push(base.clone())) };
    const full = await runRunbook({ ...options(base), sink });
    expect(full.outcome).toBe('done');
    const finalState = base.state();
    expect(events.length).toBeGreaterThan(40);
    // Two crashes per prefix: the journal and the world agree (world as at event k-1), or the world
    // is one event ahead of the journal (world as at event k: the device acted, the event was lost).
    const cases: [number, () => World][] = [];
    for (let k = 0; k <= events.length; k++) {
      cases.push([k, () => (k === 0 ? makeWorld(2, 3, 2) : snapshots[k - 1]!.clone())]);
      if (k < events.length) cases.push([k, () => snapshots[k]!.clone()]);
    }
    for (const [k, worldAt] of cases) {
      const world = worldAt();
      const o = options(world, { priorEvents: events.slice(0, k) });
      const r = await runRunbook(o);
      expect(r.outcome, `prefix ${k}`).toBe('done');
      expect(world.state(), `prefix ${k}`).toEqual(finalState);
      // The fold of both journals says done everywhere too.
      const vm = foldEvents([...events.slice(0, k), ...o.events]);
      expect(
        vm.steps.every((s) => s.state === 'done'),
        `prefix ${k}`,
      ).toBe(true);
    }
  });

  it('resume skips verified stages without a check, and re-checks the in-doubt one before acting', async () => {
    const world = makeWorld(1, 3);
    const full = options(world);
    expect((await runRunbook(full)).outcome).toBe('done');
    // Crash right after power of vm1 started: the device did it, the journal never heard back.
    const cut = indexOf(full.events, stageEvent('vms', 'esx1-vm1', 'power', 'running')) + 1;
    const calls: string[] = [];
    const actions = fakeActions();
    const spy = (name: 'fence' | 'register' | 'power'): StageAction<World> => {
      const a = actions[name] as StageAction<World>;
      return { ...a, check: (w, t, io) => (calls.push(`${name}:${t.id}`), a.check(w, t, io)) };
    };
    const second = options(world, {
      priorEvents: full.events.slice(0, cut),
      actions: { ...actions, fence: spy('fence'), register: spy('register'), power: spy('power') },
    });
    expect((await runRunbook(second)).outcome).toBe('done');
    expect(calls).not.toContain('fence:esx1-vm1'); // verified done before the crash: not even re-checked
    expect(calls).toContain('power:esx1-vm1'); // in doubt: re-checked, found done, not applied again
    for (const [k, n] of world.applies) expect(n, k).toBe(1);
    const vm = foldEvents([...full.events.slice(0, cut), ...second.events]);
    expect(vm.steps.every((s) => s.state === 'done')).toBe(true);
  });

  it('recheck: a step an always-step undid is re-checked on resume', async () => {
    const yaml = testRunbook().steps.map((s) => (s.id === 'lockdown-exit' ? { ...s, recheck: true } : s));
    const rb = { ...testRunbook(), steps: yaml };
    const world = makeWorld(1, 3);
    const ac = new AbortController();
    world.onApply = (key) => key === 'register:esx1-vm1' && ac.abort();
    const first = options(world, { signal: ac.signal, runbook: rb });
    await runRunbook(first);
    expect(world.lockdown.get('esx1')).toBe(true); // re-entered by the always-step
    const seen: boolean[] = [];
    world.onApply = (key) => key.startsWith('power:') && seen.push(world.lockdown.get('esx1')!);
    expect((await runRunbook(options(world, { runbook: rb, priorEvents: first.events }))).outcome).toBe('done');
    expect(seen.every((locked) => locked === false)).toBe(true);
    expect(world.lockdown.get('esx1')).toBe(true);
  });

  it('tags the current step and target in an AsyncLocalStorage scope', async () => {
    const world = makeWorld(1, 2);
    const seen: string[] = [];
    const actions = fakeActions();
    const fence = actions['fence'] as StageAction<World>;
    const o = options(world, {
      actions: {
        ...actions,
        fence: {
          ...fence,
          apply: async (w, t, io) => {
            await new Promise((r) => setImmediate(r));
            const s = currentScope();
            seen.push(`${s?.stepId}/${s?.targetId}/${s?.stage}`);
            await fence.apply(w, t, io);
          },
        },
      },
    });
    await runRunbook(o);
    expect(seen.sort()).toEqual(['vms/esx1-vm1/fence', 'vms/esx1-vm2/fence']);
    expect(currentScope()).toBeUndefined();
  });

  it('refuses a registry that lacks an action the runbook names', async () => {
    const { fence: _f, ...rest } = fakeActions();
    await expect(runRunbook(options(makeWorld(1, 1), { actions: rest }))).rejects.toThrow(/action fence has no check\/apply\/verify/);
  });

  it('check() skip: the stage is skipped, the VM goes on; end: true ends its pipeline', async () => {
    const world = makeWorld(1, 2);
    const actions = fakeActions();
    const fence = actions['fence'] as StageAction<World>;
    const register = actions['register'] as StageAction<World>;
    const o = options(world, {
      actions: {
        ...actions,
        fence: { ...fence, check: (_w, t) => (t.id === 'esx1-vm1' ? { skip: 'not registered anywhere' } : 'todo') },
        register: { ...register, check: (w, t, io) => (t.id === 'esx1-vm2' ? { skip: 'excluded', end: true } : register.check(w, t, io)) },
      },
    });
    expect((await runRunbook(o)).outcome).toBe('done');
    expect(world.done.has('fence:esx1-vm1')).toBe(false);
    expect(world.done.has('power:esx1-vm1')).toBe(true);
    expect(world.done.has('power:esx1-vm2')).toBe(false);
    const vm = foldEvents(o.events);
    expect(vm.steps.find((s) => s.id === 'vms')).toMatchObject({ state: 'done', done: 2 });
  });

  it('actions can ask mid-apply (queued, recorded, needs-you) and publish the situation', async () => {
    const world = makeWorld(1, 3);
    const actions = fakeActions();
    const fence = actions['fence'] as StageAction<World>;
    const prompter = testPrompter({ choose: (req) => (req.options.some((o) => o.key === 'hard') ? 'hard' : 'skip') });
    const o = options(world, {
      prompter,
      actions: {
        ...actions,
        fence: {
          ...fence,
          apply: async (w, t, io) => {
            if (t.id === 'esx1-vm1') io.situation({ hosts: 1 });
            const pick = await io.choose({
              key: 'kill',
              title: `${t.label} did not stop`,
              lines: [],
              options: [
                { key: 'hard', label: 'kill --type=hard' },
                { key: 'abort', label: 'abort' },
              ],
            });
            expect(pick).toBe('hard');
            await fence.apply(w, t, io);
          },
        },
      },
    });
    expect((await runRunbook(o)).outcome).toBe('done');
    expect(prompter.asked.filter((p) => p.endsWith('.fence.kill')).sort()).toEqual([
      'vms.esx1-vm1.fence.kill',
      'vms.esx1-vm2.fence.kill',
      'vms.esx1-vm3.fence.kill',
    ]);
    // One dialog at a time: every requested is answered before the next is requested.
    const dialog = o.events.filter((e) => e.type === 'prompt.requested' || e.type === 'prompt.answered').map((e) => e.type);
    for (let i = 0; i < dialog.length; i += 2) expect(dialog.slice(i, i + 2)).toEqual(['prompt.requested', 'prompt.answered']);
    expect(o.events).toContainEqual(expect.objectContaining({ type: 'situation', data: { hosts: 1 } }));
    expect(o.events).toContainEqual(
      expect.objectContaining({ type: 'target.state', targetId: 'esx1-vm2', state: 'needs-you', stage: 'fence' }),
    );
  });

  it('a checklist inside an action without --ack-manual stops the run instead of retrying', async () => {
    const world = makeWorld(1, 1);
    const actions = fakeActions();
    const register = actions['register'] as StageAction<World>;
    const o = options(world, {
      prompter: createFlagPrompter({ confirm: 'svm2:vol2' }),
      actions: {
        ...actions,
        register: {
          ...register,
          apply: async (w, t, io) => (await io.checklist({ title: 'Restore vCenter', items: ['restore'] }), register.apply(w, t, io)),
        },
      },
    });
    const r = await runRunbook(o);
    expect(r.outcome).toBe('stopped');
    expect(exitCodeOf(r.error)).toBe(4);
    expect(o.events.filter((e) => e.type === 'prompt.requested')).toHaveLength(2); // break + the checklist, no retry
    expect(world.lockdown.get('esx1')).toBe(true);
  });

  it('gateAfter: group k starts a stage only after lower groups finished a later stage', async () => {
    const yaml = RUNBOOK_YAML.replace(
      'stages: [fence, register, { id: power, gate: priority }]',
      'stages: [fence, { id: register, gate: priority, gateAfter: power }, power]',
    );
    const world = makeWorld(2, 4, 2);
    await runRunbook(options(world, { runbook: testRunbook(yaml), limits: { perHost: 4 } }));
    expectComplete(world);
    const lastGroup0Power = Math.max(...world.vms.filter((v) => v.group === 0).map((v) => world.log.indexOf(`end power:${v.id}`)));
    for (const v of world.vms.filter((v) => v.group === 1))
      expect(world.log.indexOf(`start register:${v.id}`)).toBeGreaterThan(lastGroup0Power);
    expect(() =>
      testRunbook(RUNBOOK_YAML.replace('{ id: power, gate: priority }', '{ id: power, gate: priority, gateAfter: fence }')),
    ).toThrow(/gateAfter: must name this stage or a later stage/);
  });

  it('slot: false — a stage that only waits runs beyond the per-host limit; slotted stages stay within it', async () => {
    // heartbeat waits until every VM of its host is waiting in it: only possible when waiting holds
    // no slot (with slots, 2 waiters would block the other 4 VMs; the bounded wait then gives up).
    const yaml = RUNBOOK_YAML.replace(
      'stages: [fence, register, { id: power, gate: priority }]',
      'stages: [fence, register, { id: power, gate: priority }, { id: heartbeat, slot: false }]',
    );
    const world = makeWorld(2, 6, 2);
    const waiting = new Map<string, number>();
    let maxWaiting = 0;
    let gaveUp = 0;
    const perHostVms = 6;
    const actions = {
      ...fakeActions(),
      heartbeat: {
        check: (w: World, t: { id: string }) => (w.done.has(`heartbeat:${t.id}`) ? ('done' as const) : ('todo' as const)),
        apply: async (w: World, t: { id: string; host?: string | undefined }) => {
          const h = t.host!;
          waiting.set(h, (waiting.get(h) ?? 0) + 1);
          maxWaiting = Math.max(maxWaiting, waiting.get(h)!);
          let ticks = 0;
          while (waiting.get(h)! < perHostVms && w.done.has(`heartbeat-all:${h}`) === false) {
            if (++ticks > 500) {
              gaveUp++;
              break;
            }
            await new Promise((r) => setImmediate(r));
          }
          w.done.add(`heartbeat-all:${h}`);
          w.done.add(`heartbeat:${t.id}`);
          waiting.set(h, waiting.get(h)! - 1);
        },
        verify: (w: World, t: { id: string }) => (w.done.has(`heartbeat:${t.id}`) ? true : 'no heartbeat'),
      } satisfies StageAction<World>,
    };
    const o = options(world, { runbook: testRunbook(yaml), actions, limits: { perHost: 2 } });
    const result = await runRunbook(o);
    expect(result.outcome).toBe('done');
    expectComplete(world);
    expect(gaveUp).toBe(0);
    expect(maxWaiting).toBe(perHostVms);
    // world.act counts only the slotted stages (fence, register, power): never above the limit.
    for (const h of world.hosts) expect(world.maxActive.get(h)).toBe(2);
    // The gate still applies to the slotted, gated stage that follows group 0's stages.
    const groupOf = new Map(world.vms.map((v) => [v.id, v.group!]));
    const lastGroup0Power = Math.max(
      ...world.vms.filter((v) => groupOf.get(v.id) === 0).map((v) => world.log.indexOf(`end power:${v.id}`)),
    );
    for (const v of world.vms.filter((v) => v.group === 1))
      expect(world.log.indexOf(`start power:${v.id}`)).toBeGreaterThan(lastGroup0Power);
  });

  it('slot: false on a gated stage: the gate still holds it back until lower groups are past', async () => {
    const yaml = RUNBOOK_YAML.replace(
      'stages: [fence, register, { id: power, gate: priority }]',
      'stages: [fence, register, { id: power, gate: priority, slot: false }]',
    );
    const world = makeWorld(2, 4, 2);
    await runRunbook(options(world, { runbook: testRunbook(yaml), limits: { perHost: 1 } }));
    expectComplete(world);
    const lastGroup0Power = Math.max(...world.vms.filter((v) => v.group === 0).map((v) => world.log.indexOf(`end power:${v.id}`)));
    for (const v of world.vms.filter((v) => v.group === 1))
      expect(world.log.indexOf(`start power:${v.id}`)).toBeGreaterThan(lastGroup0Power);
    // The slotless power stage ran next to a slotted one on the same host (limit 1): 2 at once.
    expect(Math.max(...world.hosts.map((h) => world.maxActive.get(h)!))).toBeGreaterThan(1);
  });

  it('a sink that throws fails the run safely: the always-steps still run, nothing left running', async () => {
    const world = makeWorld(1, 3);
    const rec = recorder();
    let thrown = false;
    const sink = {
      emit: (e: EngineEvent) => {
        rec.emit(e);
        if (!thrown && e.type === 'target.state' && e.stage === 'register' && e.state === 'done') {
          thrown = true;
          throw new Error('display crashed');
        }
      },
    };
    const r = await runRunbook(options(world, { sink }));
    expect(r.outcome).toBe('failed');
    expect((r.error as Error).message).toBe('display crashed');
    expect(world.lockdown.get('esx1')).toBe(true);
    const vm = foldEvents(rec.events);
    for (const s of vm.steps) expect(s.state, s.id).not.toBe('running');
    for (const t of vm.targets) if (t.state === 'running') expect(t.note, t.targetId).toBeTruthy();
  });

  it('pause: no new stage starts while paused, in-flight ones finish, then it continues', async () => {
    const world = makeWorld(1, 4);
    let release: (() => void) | undefined;
    let paused: Promise<void> | undefined;
    world.onApply = (key) => {
      if (key === 'register:esx1-vm1' && !paused) paused = new Promise<void>((r) => (release = r));
    };
    const run = runRunbook(options(world, { waitWhilePaused: () => paused ?? Promise.resolve() }));
    // Wait until every pipeline is parked at the pause, then count what started meanwhile.
    while (!paused || world.log.filter((l) => l.startsWith('end ')).length < world.log.filter((l) => l.startsWith('start ')).length) {
      await new Promise((r) => setImmediate(r));
    }
    const startsWhilePaused = world.log.length;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(world.log.length).toBe(startsWhilePaused);
    release!();
    paused = Promise.resolve();
    expect((await run).outcome).toBe('done');
    expectComplete(world);
  });
});
