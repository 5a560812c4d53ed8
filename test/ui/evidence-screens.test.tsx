/**
 * What a new operator tripped over (issue 21, items 6–10): the drill called a failover, a clock
 * before the run, evidence hidden after a step, the step list gone behind a question, hosts
 * counted as VMs, and a confirmation cut below 80x24. At 80x24 and 60x20, in English and Japanese.
 */
import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import type { EngineEvent } from '../../src/engine/events.js';
import { foldEvents, initialViewModel, type ViewModel } from '../../src/engine/view-model.js';
import type { Lang } from '../../src/i18n/lang.js';
import { uiMessages } from '../../src/i18n/ui.js';
import { InkPrompter } from '../../src/ui/ink-prompter.js';
import { renderFailover, type RenderedScreen } from '../../src/ui/render-failover.js';
import { createStore } from '../../src/ui/store.js';
import { fakeTerminal, KEY, stripAnsi, type FakeTerminal } from '../helpers/ink.js';
import { fenceAndPollEvents, runEvents, T0 } from './fixtures.js';

const mounted: RenderedScreen[] = [];
afterEach(() => {
  for (const s of mounted.splice(0)) s.unmount();
});

const SIZES = [
  [80, 24],
  [60, 20],
] as const;

function mount(vm: ViewModel, o: { columns: number; rows: number; lang?: Lang }): { term: FakeTerminal; prompter: InkPrompter } {
  const term = fakeTerminal(o.columns, o.rows);
  const prompter = new InkPrompter();
  mounted.push(
    renderFailover({
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
    }),
  );
  return { term, prompter };
}

function linesOf(frame: string): string[] {
  return stripAnsi(frame).replace(/\n$/, '').split('\n');
}

function expectFits(frame: string, columns: number, rows: number) {
  const lines = linesOf(frame);
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const l of lines) expect(stringWidth(l), `too wide: ${l}`).toBeLessThanOrEqual(columns);
}

/** The fixture's run, as a drill: same events, the drill runbook's name and kind. */
function drillEvents(): EngineEvent[] {
  return runEvents({ vms: 6, registered: 6, outcome: 'done' }).map((e) =>
    e.type === 'run.started' ? { ...e, runbook: 'drbook-drill', runbookKind: 'drill' as const } : e,
  );
}

describe('the drill is titled as a drill', () => {
  for (const [columns, rows] of SIZES) {
    for (const lang of ['en', 'ja'] as const) {
      it(`header and finished line at ${columns}x${rows} in ${lang}`, async () => {
        const m = uiMessages(lang);
        const { term } = mount(foldEvents(drillEvents()), { columns, rows, lang });
        const f = await term.waitFor((fr) => fr.includes(m.statusDoneDrill), 'the finished drill');
        expectFits(f, columns, rows);
        expect(linesOf(f)[0]).toContain(m.titleDrill);
        expect(f).not.toContain(m.titleFailover);
        expect(f).not.toContain(m.statusDone);
      });
    }
  }

  it('a failover is still called a failover', async () => {
    const { term } = mount(foldEvents(runEvents({ vms: 6, registered: 6, outcome: 'done' })), { columns: 80, rows: 24 });
    const f = await term.waitFor((fr) => fr.includes(uiMessages('en').statusDone));
    expect(linesOf(f)[0]).toContain('drbook failover');
  });
});

describe('no clock before the run starts', () => {
  for (const [columns, rows] of SIZES) {
    it(`at ${columns}x${rows}`, async () => {
      const { term } = mount(initialViewModel(), { columns, rows });
      const f = await term.waitFor((fr) => fr.includes(uiMessages('en').phasePreflight));
      expect(linesOf(f)[0]).not.toMatch(/\d+:\d\d:\d\d/);
      // Once it started, the clock counts from the first event.
      const { term: t2 } = mount(foldEvents(runEvents({ vms: 3 })), { columns, rows });
      const g = await t2.waitFor((fr) => fr.includes('app-web-0000'));
      expect(linesOf(g)[0]).toMatch(/· 00:00:40/);
    });
  }
});

describe('the screen keeps the evidence', () => {
  for (const [columns, rows] of SIZES) {
    it(`a finished step's details show its commands at ${columns}x${rows}`, async () => {
      const { term } = mount(foldEvents(fenceAndPollEvents()), { columns, rows });
      await term.waitFor((f) => f.includes('app-web-0000'));
      // Tab to the steps, down to "Fence" (the 7th), Enter.
      await term.type(KEY.tab, ...Array.from({ length: 6 }, () => KEY.down));
      await term.waitFor((fr) => fr.includes('app-old-0001'), 'the fence step selected');
      await term.type(KEY.enter);
      const f = await term.waitFor((fr) => fr.includes('Step: Fence'), 'the fence step details');
      expectFits(f, columns, rows);
      expect(f).not.toContain(uiMessages('en').detailNoCommand);
      expect(f).toContain('esxcli vm process kill --type=force');
      // The soft and hard attempts are above: scroll to the top.
      await term.type(KEY.home);
      const top = await term.waitFor((fr) => fr.includes('--type=soft'), 'the first kill');
      expectFits(top, columns, rows);
    });

    it(`a VM's details keep every heartbeat poll and scroll at ${columns}x${rows}`, async () => {
      const { term } = mount(foldEvents(fenceAndPollEvents()), { columns, rows });
      await term.waitFor((f) => f.includes('app-web-0000'));
      await term.type(KEY.enter);
      const f = await term.waitFor((fr) => fr.includes('VM app-web-0000'), 'the VM details');
      expectFits(f, columns, rows);
      expect(f).toContain('vim-cmd vmsvc/get.guest 159');
      expect(f).toMatch(/lines above, 0 below/);
      await term.type(KEY.pageUp);
      await term.waitFor((fr) => !fr.includes('get.guest 159') && /\d+ below/.test(fr), 'a page up');
      await term.type(KEY.home);
      const top = await term.waitFor((fr) => fr.includes('vim-cmd vmsvc/get.guest 100'), 'the first poll');
      expectFits(top, columns, rows);
      expect(top).toMatch(/0 lines above/);
      await term.type(KEY.down);
      await term.waitFor((fr) => /1 lines above/.test(fr), 'one line down');
      await term.type(KEY.escape);
      await term.waitFor((fr) => !fr.includes('VM app-web-0000 on'), 'the panel closed');
    });
  }

  it('the help names the detail scrolling keys', async () => {
    const { term } = mount(foldEvents(runEvents({ vms: 3 })), { columns: 80, rows: 24 });
    await term.waitFor((f) => f.includes('app-web-0000'));
    await term.type('?');
    const f = await term.waitFor((fr) => fr.includes('Keys'));
    expect(f).toContain('PgUp/PgDn Home/End scroll');
  });

  it('counts hosts as hosts during a host step', async () => {
    const ev = runEvents({ vms: 3, registered: 0 }).filter(
      (e) =>
        !(e.type === 'step.state' && e.stepId === 'recover') &&
        !(e.type === 'step.targets' && e.stepId === 'recover') &&
        !('stepId' in e && e.stepId === 'recover'),
    );
    let at = ev[ev.length - 1]!.at;
    ev.push({ type: 'step.state', at: ++at, stepId: 'lockdown-enter', state: 'running', title: 'Re-enter lockdown mode' });
    ev.push({
      type: 'step.targets',
      at: at + 1,
      stepId: 'lockdown-enter',
      per: 'host',
      stages: [],
      targets: [1, 2, 3, 4].map((i) => ({ id: `esx0${i}`, label: `esx0${i}.dc1.example`, host: `esx0${i}.dc1.example` })),
    });
    const { term } = mount(foldEvents(ev), { columns: 80, rows: 24 });
    const f = await term.waitFor((fr) => fr.includes('esx04.dc1.example'));
    expect(f).toContain('Hosts: 4 of 4');
    expect(f).not.toContain('VMs: 4 of 4');
  });
});

describe('a confirmation below 80x24', () => {
  const lines = [
    'Snapshot smvi__job1_recent of job job1, taken 2026-11-22T02:41:17 (0 min ago).',
    'Snapshots newer than it are deleted: snapmirror.fdb7664d-adf3-ecb1-ebd5-ef1d0ade4be1_2147483144.2026-11-22_024118.',
    '23 of 23 VM(s) come back at their quiesce point in this snapshot.',
    'A later resync back to the original source starts from this snapshot or an older common one; changes made on the source after it are overwritten.',
  ];
  for (const [columns, rows] of [...SIZES, [60, 16]] as const) {
    for (const lang of ['en', 'ja'] as const) {
      it(`keeps the steps in view, the answer line whole, and scrolls to the resync warning at ${columns}x${rows} in ${lang}`, async () => {
        const m = uiMessages(lang);
        const { term, prompter } = mount(foldEvents(runEvents({ vms: 10 })), { columns, rows, lang });
        const answered = prompter.confirmTyped({
          promptId: 'restore',
          title: 'SnapRestore svm2:vm_vol1_mirror to smvi__job1_recent',
          lines,
          expect: 'svm2:vm_vol1_mirror',
        });
        const instruction = m.typedInstruction({ expect: 'svm2:vm_vol1_mirror' });
        // The instruction, and the path to type on its line or the next (it wraps at 60 columns).
        const typeLine = (fr: string) => {
          const ls = linesOf(fr);
          const i = ls.findIndex((l) => l.includes(instruction.slice(0, 6)));
          return (
            i >= 0 &&
            ls
              .slice(i, i + 2)
              .join(' ')
              .includes('svm2:vm_vol1_mirror')
          );
        };
        const f = await term.waitFor(typeLine, 'the line that says what to type');
        expectFits(f, columns, rows);
        // The step list beside the question: the running step is named.
        if (rows >= 20) expect(f).toContain(lang === 'en' ? 'Register, revert, power on' : m.stepTitles.recover!);
        // Scroll down until the resync warning's last word shows; the answer line stays.
        for (let i = 0; i < 10 && !term.lastFrame().includes('overwritten') && !term.lastFrame().includes('overwritten.'); i++)
          await term.type(KEY.pageDown);
        const g = await term.waitFor((fr) => fr.includes('overwritten.'), 'the end of the resync warning');
        expectFits(g, columns, rows);
        if (rows >= 20) expect(typeLine(g)).toBe(true);
        await term.type('svm2:vm_vol1_mirror', KEY.enter);
        await expect(answered).resolves.toBe(true);
      });
    }
  }
});
