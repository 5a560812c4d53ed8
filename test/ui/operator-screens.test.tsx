/**
 * What a tired operator reads at 80x24: dialog text wrapped at word boundaries, checklist items
 * whole, the finished screen about the recovered VMs, lockdown warnings only when true.
 */
import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import type { EngineEvent } from '../../src/engine/events.js';
import { foldEvents, type ViewModel } from '../../src/engine/view-model.js';
import { commonMessages } from '../../src/i18n/common.js';
import { InkPrompter } from '../../src/ui/ink-prompter.js';
import { createScreenMapper } from '../../src/ui/from-view-model.js';
import { renderFailover, type RenderedScreen } from '../../src/ui/render-failover.js';
import { createStore } from '../../src/ui/store.js';
import { wrapWords } from '../../src/ui/text.js';
import type { Lang } from '../../src/i18n/lang.js';
import { fakeTerminal, KEY, stripAnsi, type FakeTerminal } from '../helpers/ink.js';
import { runEvents, runViewModel, T0 } from './fixtures.js';

const mounted: RenderedScreen[] = [];
afterEach(() => {
  for (const s of mounted.splice(0)) s.unmount();
});

function mount(
  vm: ViewModel,
  o: { columns?: number; rows?: number; lang?: Lang } = {},
): { term: FakeTerminal; prompter: InkPrompter; screen: RenderedScreen } {
  const term = fakeTerminal(o.columns ?? 80, o.rows ?? 24);
  const prompter = new InkPrompter();
  const screen = renderFailover({
    viewModelStore: createStore(vm),
    prompter,
    lang: o.lang ?? 'en',
    noColor: true,
    onPause: () => undefined,
    onQuit: () => undefined,
    frameMs: 0,
    debug: true,
    now: T0 + 40_000,
    ...term.streams,
  });
  mounted.push(screen);
  return { term, prompter, screen };
}

function linesOf(frame: string): string[] {
  return stripAnsi(frame).replace(/\n$/, '').split('\n');
}

function expectFits(frame: string, columns: number, rows: number) {
  const lines = linesOf(frame);
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const l of lines) expect(stringWidth(l), `too wide: ${l}`).toBeLessThanOrEqual(columns);
}

/** The words of `text`, in order, in the frame's lines joined back (each line's frame margin trimmed). */
function expectWholeWords(frame: string, text: string) {
  const joined = linesOf(frame)
    .map((l) => l.trim())
    .join(' ');
  for (const word of text.split(/\s+/)) expect(joined.split(' '), `the word "${word}" is cut`).toContain(word);
}

describe('wrapWords', () => {
  it('breaks at spaces and never inside a word', () => {
    const text =
      'A later resync back to the original source starts from this snapshot or an older common one; changes made on the source after it are overwritten.';
    const lines = wrapWords(text, 78);
    expect(lines.join(' ')).toBe(text);
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(78);
    expect(lines[0]).toMatch(/ an$/);
    expect(lines[1]).toMatch(/^older common one;/);
  });

  it('puts a long token that fits a line on a line of its own, and cuts only one longer than the line', () => {
    const name = 'snapmirror.fdb7664d-adf3-ecb1-ebd5-ef1d0ade4be1_2147483144.2026-11-22_024118.';
    expect(wrapWords(`Snapshots newer than it are deleted: ${name}`, 78)).toEqual(['Snapshots newer than it are deleted:', name]);
    const cut = wrapWords('x'.repeat(30), 12);
    expect(cut).toEqual(['x'.repeat(12), 'x'.repeat(12), 'x'.repeat(6)]);
  });

  it('measures Japanese in columns, breaks between its characters and keeps 。、） off the start of a line', () => {
    const text = 'スナップショット smvi__job1_recent（ジョブ job1）を復元します。これより新しいスナップショットは削除されます。';
    for (const cols of [20, 31, 40, 41]) {
      const lines = wrapWords(text, cols);
      for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(cols);
      for (const l of lines.slice(1)) expect(l).not.toMatch(/^[、。）]/);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      expect(lines.some((l) => l.includes('smvi__job1_recent'))).toBe(true);
    }
  });
});

describe('dialogs at 80x24', () => {
  it('wraps the SnapRestore confirmation at word boundaries, the snapshot name whole', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const lines = [
      'Snapshot smvi__job1_recent of job job1, taken 2026-11-22T02:41:17 (0 min ago).',
      'Snapshots newer than it are deleted: snapmirror.fdb7664d-adf3-ecb1-ebd5-ef1d0ade4be1_2147483144.2026-11-22_024118.',
      'A later resync back to the original source starts from this snapshot or an older common one; changes made on the source after it are overwritten.',
    ];
    // Left open: unmounting after the test rejects it as stopped.
    prompter
      .confirmTyped({
        promptId: 'restore',
        title: 'SnapRestore svm2:vm_vol1_mirror to smvi__job1_recent',
        lines,
        expect: 'svm2:vm_vol1_mirror',
      })
      .catch(() => undefined);
    const f = await term.waitFor((fr) => fr.includes('To go on'));
    expectFits(f, 80, 24);
    for (const l of lines) expectWholeWords(f, l);
    expect(linesOf(f).map((l) => l.trimEnd())).toContain(' snapmirror.fdb7664d-adf3-ecb1-ebd5-ef1d0ade4be1_2147483144.2026-11-22_024118.');
  });

  it('wraps long checklist items under their text instead of cutting them', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const items = [
      'vcenter01 is registered on esx01 from ds_vm1_mirror; open its console in the ESXi host client.',
      'Boot it from the Windows Server recovery media and run a bare-metal restore from the latest Windows Server Backup.',
      'Let the restore finish and the VM shut down (drbook powers it on next).',
    ];
    const p = prompter.checklist({ promptId: 'vc', title: 'Restore vCenter vcenter01 from its Windows Server Backup', items });
    const f = await term.waitFor((fr) => fr.includes('[ ] vcenter01'));
    expectFits(f, 80, 24);
    expect(stripAnsi(f)).not.toContain('…');
    for (const item of items) expectWholeWords(f, item);
    // The continuation sits under the item's text, not under its box.
    expect(linesOf(f).map((l) => l.trimEnd())).toContain('       the ESXi host client.');
    await term.type(KEY.space, KEY.down, KEY.space, KEY.down, KEY.space, KEY.enter);
    await expect(p).resolves.toBe(true);
  });

  it('keys that arrive in one read (a slow jump host, tmux send-keys) each count: Space then Enter, Space Space', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const p = prompter.checklist({ promptId: 'vc', title: 'Restore vCenter', items: ['Restore it', 'Boot it'] });
    await term.waitFor((fr) => fr.includes('[ ] Restore it'));
    // Space, Down, Space, Space, Space and Enter in one chunk: ticked, unticked, ticked again, answered.
    await term.type(`${KEY.space}${KEY.down}${KEY.space}${KEY.space}${KEY.space}`);
    await term.waitFor((fr) => fr.includes('[x] Boot it') && fr.includes('[x] Restore it'));
    await term.type(`${KEY.space}${KEY.enter}`);
    await term.waitFor((fr) => fr.includes('[ ] Boot it'));
    await term.type(`${KEY.space}${KEY.enter}`);
    await expect(p).resolves.toBe(true);
  });

  it("a question that is not an error panel keeps the engine's own option labels", async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    prompter
      .choose({
        promptId: 'recover.vm1.revert.crash.vm1',
        title: 'crm01 has no quiesce point in smvi__job1_recent',
        lines: ['Powered on, it comes back crash-consistent: like after a power cut.'],
        options: [
          { key: 'power-on', label: 'power it on crash-consistent' },
          { key: 'skip', label: 'leave it powered off' },
        ],
      })
      .catch(() => undefined);
    const f = await term.waitFor((fr) => fr.includes('crm01 has no quiesce point'));
    expect(f).toContain('2. leave it powered off');
    expect(f).not.toContain('Skip this one and go on');
  });

  it('the error panel shows the failure once (not the engine lines that repeat it)', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    prompter
      .choose({
        promptId: 'e',
        title: 'Register, revert, power on: app01 failed',
        lines: ['esx01: vim-cmd solo/registervm /vmfs/volumes/ds/app01/app01.vmx app01: already exists', 'host: esx01'],
        options: [
          { key: 'retry', label: 'Retry' },
          { key: 'skip', label: 'Skip app01; the others go on' },
          { key: 'abort', label: 'Abort the run' },
        ],
        default: 'skip',
        failure: {
          vm: 'app01',
          host: 'esx01',
          command: 'vim-cmd solo/registervm /vmfs/volumes/ds/app01/app01.vmx app01',
          message: 'already exists',
        },
      })
      .catch(() => undefined);
    const f = await term.waitFor((fr) => fr.includes('The device said: already exists'));
    expectFits(f, 80, 24);
    expect(f).toContain('Command: vim-cmd solo/registervm /vmfs/volumes/ds/app01/app01.vmx app01');
    expect(f).not.toContain('host: esx01');
    expect(f).toContain('Waiting for you: app01 failed');
  });
});

/** A finished run whose last step (lockdown re-entry) has hosts as targets. */
function finishedEvents(o: { lockdownExitSent: string[]; reentered: string[]; lockedAtPreflight: (boolean | null)[] }): EngineEvent[] {
  const ev = runEvents({ vms: 12, registered: 12 });
  let at = ev[ev.length - 1]!.at;
  const hosts = ['esx01.dc1.example', 'esx02.dc1.example'];
  // The failover preflight's own Situation (what the engine really emits).
  ev.push({
    type: 'situation',
    at: ++at,
    data: {
      relationship: { destination: 'svm2:vol_vm_mirror', state: 'snapmirrored', healthy: true, lagTime: '0:10:00' },
      snapshots: [{ name: 'smvi__daily_recent', createTime: null, quiesced: 12, total: 12, chosen: true }],
      hosts: hosts.map((name, i) => ({ name, reachable: true, lockdown: o.lockedAtPreflight[i] ?? null, staleRegistered: 0 })),
      missingFromMirror: [],
    },
  });
  ev.push({ type: 'step.state', at: ++at, stepId: 'recover', state: 'failed', note: '1 of 12 failed' });
  // Lockdown exit ran on both hosts: only the ones in lockdown got a lockdown_mode_exit.
  ev.push({ type: 'step.state', at: ++at, stepId: 'lockdown-exit', state: 'running', title: 'Exit lockdown mode' });
  ev.push({
    type: 'step.targets',
    at: ++at,
    stepId: 'lockdown-exit',
    stages: [],
    targets: hosts.map((h) => ({ id: `host:${h}`, label: h, host: h })),
  });
  for (const h of hosts) {
    if (o.lockdownExitSent.includes(h)) {
      ev.push({
        type: 'command.started',
        at: ++at,
        id: `x-${h}`,
        host: h,
        command: 'vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit',
        intent: { op: 'lockdown-exit' },
        stepId: 'lockdown-exit',
        targetId: `host:${h}`,
      });
      ev.push({
        type: 'command.finished',
        at: ++at,
        id: `x-${h}`,
        host: h,
        exitCode: 0,
        signal: null,
        durationMs: 10,
        stdoutTail: '',
        stderrTail: '',
        stepId: 'lockdown-exit',
        targetId: `host:${h}`,
      });
    }
    ev.push({ type: 'target.state', at: ++at, stepId: 'lockdown-exit', targetId: `host:${h}`, state: 'done' });
  }
  ev.push({ type: 'step.state', at: ++at, stepId: 'lockdown-enter', state: 'running', title: 'Re-enter lockdown mode' });
  ev.push({
    type: 'step.targets',
    at: ++at,
    stepId: 'lockdown-enter',
    stages: [],
    targets: o.lockdownExitSent.map((h) => ({ id: `host:${h}`, label: h, host: h })),
  });
  for (const h of o.reentered) ev.push({ type: 'target.state', at: ++at, stepId: 'lockdown-enter', targetId: `host:${h}`, state: 'done' });
  // Enough later commands that the lockdown exits fell out of the model's command tail.
  for (let i = 0; i < 60; i++) {
    ev.push({
      type: 'command.started',
      at: ++at,
      id: `v${i}`,
      host: hosts[0]!,
      command: 'vim-cmd vmsvc/power.getstate 1',
      stepId: 'verify',
      targetId: 'site',
    });
  }
  ev.push({ type: 'run.finished', at: at + 1, outcome: 'failed', error: '1 target(s) failed: app-web-0004' });
  return ev;
}

describe('the finished screen', () => {
  it('shows the VMs of the recovery step with an outcome line and the report, not the lockdown hosts', async () => {
    const { term, screen } = mount(
      foldEvents(
        finishedEvents({ lockdownExitSent: ['esx01.dc1.example'], reentered: ['esx01.dc1.example'], lockedAtPreflight: [true, false] }),
      ),
    );
    screen.showReport?.('/srv/drbook/reports/failover-r20261122-0100.md');
    const f = await term.waitFor((fr) => fr.includes('Report: /srv/drbook/reports/failover-r20261122-0100.md'));
    expectFits(f, 80, 24);
    expect(f).toContain('VMs: 12 of 12');
    expect(f).toContain('app-web-0000');
    expect(f).toMatch(/^11 of 12 VMs recovered · 1 failed *$/m);
    expect(f).toContain('The run stopped with failures. Press q to leave.');
    // esx02 was never in lockdown: its "exit" target was done without a command; esx01 is back in.
    expect(f).not.toContain(commonMessages('en').lockdownStillOff({ hosts: 'X' }).split('X')[0]!);
  });

  it('a run stopped before the recovery step says no VM was recovered and keeps the step it stopped in', async () => {
    let at = T0;
    const steps: [string, string][] = [
      ['fence', 'Fence stale VMs (kill, unregister)'],
      ['recover', 'Register, revert, power on'],
    ];
    const ev: EngineEvent[] = [
      { type: 'run.started', at, runId: 'r1', site: 'dc1', runbook: 'vsc-snapmirror-failover', resumed: false },
      ...steps.map(([stepId, title]): EngineEvent => ({ type: 'step.state', at: ++at, stepId, state: 'waiting', title })),
      { type: 'step.state', at: ++at, stepId: 'fence', state: 'running', title: steps[0]![1] },
      {
        type: 'step.targets',
        at: ++at,
        stepId: 'fence',
        stages: ['kill', 'unregister'],
        targets: [{ id: 'vm1', label: 'stale-vm-01', host: 'esx01' }],
      },
      { type: 'target.state', at: ++at, stepId: 'fence', targetId: 'vm1', state: 'running', stage: 'kill' },
      {
        type: 'target.state',
        at: ++at,
        stepId: 'fence',
        targetId: 'vm1',
        state: 'waiting',
        stage: 'kill',
        note: 'stopped here; drbook resume continues',
      },
      { type: 'step.state', at: ++at, stepId: 'fence', state: 'waiting', note: 'stopped' },
      { type: 'run.finished', at: ++at, outcome: 'stopped', error: 'paused by the operator' },
    ];
    const { term } = mount(foldEvents(ev));
    const f = await term.waitFor((fr) => fr.includes('No VM was recovered'));
    expectFits(f, 80, 24);
    expect(f).toContain('No VM was recovered: the run ended before "Register, revert, power on".');
    expect(f).toContain('stale-vm-01');
    expect(f).toContain('drbook resume r1');
  });

  it('names a host still out of lockdown only when drbook took it out and did not put it back', () => {
    const map = createScreenMapper();
    // Fed frame by frame like the screen: the mapper remembers exits that left the command tail.
    // The preflight could not read esx01's lockdown: only the exit command says drbook took it out.
    const events = finishedEvents({ lockdownExitSent: ['esx01.dc1.example'], reentered: [], lockedAtPreflight: [null, false] });
    let vm = foldEvents([]);
    let data = map(vm);
    for (const e of events) {
      vm = foldEvents([e], vm);
      data = map(vm);
    }
    const exited = (data.situation?.hosts ?? []).filter((h) => h.lockdown === 'exited').map((h) => h.name);
    expect(exited).toContain('esx01.dc1.example');
    expect(exited).not.toContain('esx02.dc1.example');
  });

  it('keeps the run id in the header when Japanese words make it long', async () => {
    const { term } = mount(runViewModel({ vms: 10 }), { lang: 'ja' });
    const f = await term.waitFor((fr) => fr.includes('app-db-0001'));
    expect(linesOf(f)[0]).toContain('r20261122-0100');
    expectFits(f, 80, 24);
  });
});

describe('the detail panel', () => {
  it('always shows the newest command and its timing; a long output is cut from the top', async () => {
    const ev = runEvents({ vms: 3, registered: 0 });
    let at = ev[ev.length - 1]!.at;
    const output = Array.from({ length: 60 }, (_, i) => `   line ${i} of the process list`).join('\n');
    ev.push({
      type: 'command.started',
      at: ++at,
      id: 'big',
      host: 'esx01.dc1.example',
      command: 'esxcli vm process list',
      stepId: 'recover',
      targetId: 'vm0',
    });
    ev.push({
      type: 'command.finished',
      at: at + 1200,
      id: 'big',
      host: 'esx01.dc1.example',
      exitCode: 0,
      signal: null,
      durationMs: 1200,
      stdoutTail: output,
      stderrTail: '',
      stepId: 'recover',
      targetId: 'vm0',
    });
    const { term } = mount(foldEvents(ev));
    await term.waitFor((f) => f.includes('app-web-0000'));
    await term.type(KEY.enter);
    const f = await term.waitFor((fr) => fr.includes('VM app-web-0000'), 'the detail panel');
    expectFits(f, 80, 24);
    expect(f).toContain('$ esxcli vm process list');
    expect(f).toMatch(/On esx01\.dc1\.example at \d\d:\d\d:\d\d, took 1s, exit 0/);
    expect(f).toMatch(/… \d+ earlier lines not shown/);
    expect(f).toContain('line 59 of the process list');
  });
});
