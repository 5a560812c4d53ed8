/**
 * The reprotect and failback screens speak of themselves (issue 17): the finished line names the
 * run's kind, the board shows the way back's own boards in the plain output's words, and a run
 * whose targets are the site counts steps, a failback VMs brought back. At 80x24, en and ja.
 */
import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import type { EngineEvent } from '../../src/engine/events.js';
import { foldEvents } from '../../src/engine/view-model.js';
import type { FailbackBoard, FailbackPlacement, ReprotectPlan } from '../../src/failback/context.js';
import { wayBackSituationLines } from '../../src/failback/session.js';
import type { Lang } from '../../src/i18n/lang.js';
import { uiMessages } from '../../src/i18n/ui.js';
import { statusMessages } from '../../src/i18n/status.js';
import { wayBackMessages } from '../../src/i18n/wayback.js';
import { parseSite } from '../../src/runbook/site.js';
import { InkPrompter } from '../../src/ui/ink-prompter.js';
import { renderFailover, type RenderedScreen } from '../../src/ui/render-failover.js';
import { createStore } from '../../src/ui/store.js';
import { fakeTerminal, stripAnsi, type FakeTerminal } from '../helpers/ink.js';
import { T0 } from './fixtures.js';

const mounted: RenderedScreen[] = [];
afterEach(() => {
  for (const s of mounted.splice(0)) s.unmount();
});

const site = parseSite(
  `
site: lab
esxi:
  hosts:
    - { name: esx1, address: 127.0.0.1 }
    - { name: esx2, address: 127.0.0.1 }
    - { name: esx3, address: 127.0.0.1 }
ontap: { name: cl1, address: 127.0.0.1 }
relationship: { source: 'svm1:vol_vm', destination: 'svm2:vol_vm_mirror' }
datastores:
  primary: { name: ds1, nfsHost: 10.0.0.1, share: /vol_vm }
  mirror: { name: ds2, nfsHost: 10.0.0.2, share: /vol_vm_mirror }
jobs: [daily]
priorityGroups:
  - { name: rest, vms: ['*'] }
`,
  '/tmp/way-back-site.yaml',
);

function mount(events: EngineEvent[], lang: Lang): FakeTerminal {
  const term = fakeTerminal(80, 24);
  mounted.push(
    renderFailover({
      viewModelStore: createStore(foldEvents(events)),
      prompter: new InkPrompter(),
      lang,
      noColor: true,
      onPause: () => undefined,
      onQuit: () => undefined,
      frameMs: 0,
      debug: true,
      now: T0 + 40_000,
      formatBoard: wayBackSituationLines(site, lang),
      ...term.streams,
    }),
  );
  return term;
}

function expectFits(frame: string) {
  const lines = stripAnsi(frame).replace(/\n$/, '').split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect(stringWidth(l), `too wide: ${l}`).toBeLessThanOrEqual(80);
}

const baselinePlan: ReprotectPlan = {
  kind: 'reprotect-plan',
  observedAt: new Date(T0).toISOString(),
  mode: 'baseline',
  common: null,
  discarded: [],
  baselineBytes: 3 * 2 ** 30,
  aside: 'vol_vm_drbook_aside',
  originalState: null,
  primary: { state: 'online', type: 'RW' },
};

/** A finished reprotect: every step's one target is the site. */
function reprotectEvents(): EngineEvent[] {
  let at = T0;
  const steps = ['rp-preflight', 'rp-delete', 'rp-create'];
  const ev: EngineEvent[] = [
    { type: 'run.started', at, runId: 'r-rp', site: 'lab', runbook: 'drbook-reprotect', runbookKind: 'reprotect', resumed: false },
    ...steps.map((stepId): EngineEvent => ({ type: 'step.state', at: ++at, stepId, state: 'waiting', title: stepId })),
    { type: 'situation', at: ++at, data: baselinePlan },
  ];
  for (const stepId of steps) {
    ev.push({ type: 'step.state', at: ++at, stepId, state: 'running' });
    ev.push({ type: 'step.targets', at: ++at, stepId, per: 'site', stages: [], targets: [{ id: 'site', label: 'site' }] });
    ev.push({ type: 'target.state', at: ++at, stepId, targetId: 'site', state: 'done' });
    ev.push({ type: 'step.state', at: ++at, stepId, state: 'done' });
  }
  ev.push({ type: 'run.finished', at: ++at, outcome: 'done' });
  return ev;
}

const preflight = (lagTime: string): FailbackBoard => ({
  kind: 'failback-preflight',
  observedAt: new Date(T0).toISOString(),
  reverse: { state: 'Snapmirrored', status: 'Idle', healthy: true, lagTime },
});

/**
 * A finished failback: 2 VMs shut down and brought back; 3 hosts re-enter lockdown (more rows than
 * VMs). `preflights`: the lags its preflight boards said (a resumed run's preflight says it again).
 */
function failbackEvents(preflights: string[] = ['0:0:30']): EngineEvent[] {
  let at = T0;
  const vms = [
    { id: 'vm-1', label: 'app-web-0001', host: 'esx1' },
    { id: 'vm-2', label: 'app-db-0002', host: 'esx2' },
  ];
  const hosts = ['esx1', 'esx2', 'esx3'].map((h) => ({ id: `host:${h}`, label: h, host: h }));
  const placement: FailbackPlacement = {
    kind: 'failback-placement',
    observedAt: new Date(T0).toISOString(),
    vms: vms.map((v) => ({ id: v.id, name: v.label, host: v.host, path: `${v.label}/${v.label}.vmx`, power: 'on', group: 1 })),
  };
  const steps: [string, 'site' | 'vm' | 'host', typeof vms][] = [
    ['fb-preflight', 'site', [{ id: 'site', label: 'site', host: '' }]],
    ['fb-placement', 'site', [{ id: 'site', label: 'site', host: '' }]],
    ['fb-shutdown', 'vm', vms],
    ['fb-recover', 'vm', vms],
    ['lockdown-enter', 'host', hosts],
  ];
  const ev: EngineEvent[] = [
    { type: 'run.started', at, runId: 'r-fb', site: 'lab', runbook: 'drbook-failback', runbookKind: 'failback', resumed: false },
    ...steps.map(([stepId]): EngineEvent => ({ type: 'step.state', at: ++at, stepId, state: 'waiting', title: stepId })),
  ];
  for (const [stepId, per, targets] of steps) {
    ev.push({ type: 'step.state', at: ++at, stepId, state: 'running' });
    ev.push({ type: 'step.targets', at: ++at, stepId, per, stages: [], targets });
    if (stepId === 'fb-preflight') for (const lag of preflights) ev.push({ type: 'situation', at: ++at, data: preflight(lag) });
    if (stepId === 'fb-placement') ev.push({ type: 'situation', at: ++at, data: placement });
    for (const t of targets) ev.push({ type: 'target.state', at: ++at, stepId, targetId: t.id, state: 'done' });
    ev.push({ type: 'step.state', at: ++at, stepId, state: 'done' });
  }
  ev.push({ type: 'run.finished', at: ++at, outcome: 'done' });
  return ev;
}

describe('the way back screens', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`a reprotect says it finished, shows its plan and counts steps (${lang})`, async () => {
      const m = uiMessages(lang);
      const w = wayBackMessages(lang);
      const term = mount(reprotectEvents(), lang);
      const f = await term.waitFor((fr) => fr.includes(m.statusDoneReprotect), 'the finished reprotect');
      expectFits(f);
      expect(f).not.toContain(m.statusDone);
      expect(f).not.toContain(m.boardNotYet);
      // The plain output's lines: the way back relationship and the full baseline with its size.
      expect(f).toContain(w.boardReverse({ source: 'svm2:vol_vm_mirror', destination: 'svm1:vol_vm' }));
      expect(f).toContain(w.boardBaseline({ size: '3.0 GB' }));
      expect(f).toContain(m.resultSteps({ done: 3, total: 3, failed: 0, skipped: 0, notReached: 0 }));
      expect(f).not.toContain(m.resultLine({ done: 1, total: 1, failed: 0, skipped: 0, notReached: 0, crashConsistent: 0 }));
      expect(f).toContain(m.siteTitle);
      expect(f).not.toContain(m.vmsTitle({ shown: 1, total: 1 }));
    });

    it(`a failback says it finished, shows the VMs to bring back and counts VMs brought back (${lang})`, async () => {
      const m = uiMessages(lang);
      const w = wayBackMessages(lang);
      const term = mount(failbackEvents(), lang);
      const f = await term.waitFor((fr) => fr.includes(m.statusDoneFailback), 'the finished failback');
      expectFits(f);
      expect(f).not.toContain(m.statusDone);
      expect(f).toContain(w.boardVms({ count: 2, on: 2, hosts: 'esx1, esx2' }));
      expect(f).toContain(m.resultLineFailback({ done: 2, total: 2, failed: 0, skipped: 0, notReached: 0 }));
      // The table is the VMs brought back, not the hosts that re-entered lockdown.
      expect(f).toContain(m.vmsTitle({ shown: 2, total: 2 }));
      expect(f).toContain('app-db-0002');
    });

    it(`a failback keeps its preflight's way back and lag beside the placement, the newest of each (${lang})`, async () => {
      const m = uiMessages(lang);
      const w = wayBackMessages(lang);
      const lines = wayBackSituationLines(site, lang);
      const term = mount(failbackEvents(['0:5:0', '0:0:30']), lang);
      const f = await term.waitFor((fr) => fr.includes(m.statusDoneFailback), 'the finished failback');
      expectFits(f);
      // The screen shows what the plain output printed: the preflight's lines, then the placement's.
      const lag = (s: number) => w.boardLag({ lag: statusMessages(lang).duration(s) });
      const placed = w.boardVms({ count: 2, on: 2, hosts: 'esx1, esx2' });
      for (const l of [...lines(preflight('0:0:30')), placed]) expect(f).toContain(l);
      expect(f).toContain(lag(30));
      // The older preflight's lag is replaced by the newer, not shown beside it.
      expect(f).not.toContain(lag(300));
      const at = (text: string) => stripAnsi(f).indexOf(text);
      expect(at(lag(30))).toBeLessThan(at(placed));
      // Said as a person reads it: no raw ONTAP lag, no true/false.
      expect(f).not.toMatch(/0:0:30|true|false/);
    });
  }
});
