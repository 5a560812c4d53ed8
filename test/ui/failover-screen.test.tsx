import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import chalk from 'chalk';
import type { Lang } from '../../src/i18n/lang.js';
import { uiMessages } from '../../src/i18n/ui.js';
import { commonMessages } from '../../src/i18n/common.js';
import type { ViewModel } from '../../src/engine/view-model.js';
import { InkPrompter } from '../../src/ui/ink-prompter.js';
import { renderFailover, type RenderedScreen } from '../../src/ui/render-failover.js';
import { createStore } from '../../src/ui/store.js';
import { fakeTerminal, KEY, stripAnsi, type FakeTerminal } from '../helpers/ink.js';
import { runViewModel, vmName, hostName, T0 } from './fixtures.js';

const mounted: RenderedScreen[] = [];
afterEach(() => {
  for (const s of mounted.splice(0)) s.unmount();
});

interface Mount {
  term: FakeTerminal;
  prompter: InkPrompter;
  store: ReturnType<typeof createStore<ViewModel>>;
  pauses: string[];
  quits: number;
}

function mount(vm: ViewModel, o: { columns?: number; rows?: number; lang?: Lang; noColor?: boolean } = {}): Mount {
  const term = fakeTerminal(o.columns ?? 80, o.rows ?? 24);
  const prompter = new InkPrompter();
  const store = createStore(vm);
  const m: Mount = { term, prompter, store, pauses: [], quits: 0 };
  mounted.push(
    renderFailover({
      viewModelStore: store,
      prompter,
      lang: o.lang ?? 'en',
      noColor: o.noColor ?? true,
      onPause: (how) => m.pauses.push(how),
      onQuit: () => {
        m.quits++;
      },
      frameMs: 0,
      debug: true,
      now: T0 + 40_000,
      ...term.streams,
    }),
  );
  return m;
}

/** Every line fits the terminal and the frame fits its height. */
function expectFits(frame: string, columns: number, rows: number) {
  const lines = stripAnsi(frame).replace(/\n$/, '').split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const l of lines) expect(stringWidth(l), `too wide: ${l}`).toBeLessThanOrEqual(columns);
}

/** Display column where `cell` starts on `line`. */
function columnOf(line: string, cell: string): number {
  const i = line.indexOf(cell);
  return i < 0 ? -1 : stringWidth(line.slice(0, i));
}

describe('failover screen layout', () => {
  for (const [columns, rows] of [
    [80, 24],
    [160, 48],
  ] as const) {
    for (const lang of ['en', 'ja'] as const) {
      it(`fits ${columns}x${rows} in ${lang}, Japanese names aligned`, async () => {
        const vm = runViewModel({ vms: 40, japanese: true });
        const { term } = mount(vm, { columns, rows, lang });
        const frame = await term.waitFor((f) => f.includes(vmName(0, true)), 'the VM table');
        expectFits(frame, columns, rows);
        const msg = uiMessages(lang);
        expect(frame).toContain(lang === 'ja' ? msg.stepTitles.recover! : 'Register, revert, power on');
        expect(frame).toContain('8/40'.replace('8', String(Math.floor(40 / 3) + 0)));
        // The host cell starts at the same column on every VM row, whatever the name's width.
        const vmRow = /[› ][✔✘>.?-] (app-\w+-\d{4}|[^\p{ASCII}]+-\d{3}) /u;
        const rowsWithVm = term.lines().filter((l) => vmRow.test(l));
        expect(rowsWithVm.length).toBeGreaterThan(3);
        const hostCols = rowsWithVm.map((l, i) => {
          // Search after the VM name: at 160 columns the board on the left lists hosts too.
          const at = l.search(vmRow);
          const rest = l.slice(at);
          const host = [1, 2, 3, 4].map((h) => hostName(h, true).slice(0, 8)).find((h) => rest.includes(h));
          return { i, col: host ? stringWidth(l.slice(0, at)) + columnOf(rest, host) : -1 };
        });
        const cols = new Set(hostCols.map((h) => h.col));
        expect([...cols].every((c) => c > 0)).toBe(true);
        expect(cols.size).toBe(1);
      });
    }
  }

  it('reflows on resize', async () => {
    const { term } = mount(runViewModel({ vms: 30 }), { columns: 160, rows: 48 });
    await term.waitFor((f) => f.includes('app-web-0000'));
    term.stdout.resize(80, 24);
    const frame = await term.waitFor(
      (f) =>
        stripAnsi(f)
          .split('\n')
          .every((l) => stringWidth(l) <= 80),
      'a frame 80 wide',
    );
    expectFits(frame, 80, 24);
  });

  it('renders only the visible rows of a 2,000-VM table', async () => {
    const vm = runViewModel({ vms: 2000, registered: 600 });
    const { term } = mount(vm);
    const frame = await term.waitFor((f) => f.includes('app-web-0000'));
    expectFits(frame, 80, 24);
    const vmLines = term.lines().filter((l) => /app-(web|db|cache|batch)-\d{4} /.test(l) && !l.includes('vim-cmd'));
    expect(vmLines.length).toBeGreaterThan(3);
    expect(vmLines.length).toBeLessThan(20);
    await term.type(KEY.pageDown, KEY.pageDown);
    const after = await term.waitFor((f) => !f.includes('app-web-0000 '), 'the table scrolled');
    expect(after).toMatch(/app-\w+-00(1|2)\d/);
  });

  it('filters the table with / and clears it with Esc', async () => {
    const { term } = mount(runViewModel({ vms: 24 }));
    await term.waitFor((f) => f.includes('VMs: 24 of 24'));
    await term.type('/', 'd', 'b');
    const f = await term.waitFor((fr) => fr.includes('VMs: 6 of 24'), 'the filtered count');
    expect(f).toContain('app-db-0001');
    expect(f).not.toContain('app-web-0000');
    await term.type(KEY.enter, KEY.escape);
    await term.waitFor((fr) => fr.includes('VMs: 24 of 24'), 'the filter cleared');
  });

  it("shows a VM's command, output and timing on Enter", async () => {
    const { term } = mount(runViewModel({ vms: 24 }));
    await term.waitFor((f) => f.includes('app-web-0000'));
    await term.type(KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    const f = await term.waitFor((fr) => fr.includes('VM app-web-0004'), 'the detail panel');
    expect(f).toContain('vim-cmd solo/registervm');
    expect(f).toContain('already exists');
    expect(f).toContain('exit 1');
    await term.type(KEY.escape);
    await term.waitFor((fr) => fr.includes('VMs: 24 of 24'));
  });
});

describe('dialogs through the Ink prompter', () => {
  const typed = {
    promptId: 'break-1',
    title: 'Break the SnapMirror relationship',
    lines: ['snapmirror break -destination-path svm2:vol_vm_mirror'],
    expect: 'svm2:vol_vm_mirror',
  };

  it('TypedConfirm refuses wrong text and accepts the exact one', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    let answer: boolean | undefined;
    void prompter.confirmTyped(typed).then((a) => (answer = a));
    await term.waitFor((f) => f.includes('To go on, type exactly: svm2:vol_vm_mirror'));
    expect(term.lastFrame()).toContain('Waiting for you: Break the SnapMirror relationship');
    await term.type('svm2:vol_vm', KEY.enter);
    await term.waitFor((f) => f.includes('That is not the expected text'));
    expect(answer).toBeUndefined();
    await term.type('_mirrorX', KEY.backspace, KEY.enter);
    await term.waitFor(() => answer !== undefined, 'the answer');
    expect(answer).toBe(true);
    await term.waitFor((f) => !f.includes('To go on'), 'the dialog closed');
  });

  it('a burst of keys in one read (a paste over SSH) loses nothing', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const p = prompter.confirmTyped(typed);
    await term.waitFor((f) => f.includes('To go on'));
    await term.type(`${typed.expect}\r`);
    await expect(p).resolves.toBe(true);
    await term.type(KEY.down + KEY.down + KEY.down + KEY.down + KEY.enter);
    await term.waitFor((f) => f.includes('VM app-web-0004'), 'the fifth VM selected in one burst');
  });

  it('Esc asks before refusing a typed confirmation; n goes back, y refuses', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    let answer: boolean | undefined;
    const p = prompter.confirmTyped(typed).then((a) => (answer = a));
    await term.waitFor((f) => f.includes('To go on'));
    await term.type(KEY.escape);
    await term.waitFor((f) => f.includes(uiMessages('en').refuseAsk), 'the stop question');
    expect(answer).toBeUndefined();
    await term.type('n');
    await term.waitFor((f) => !f.includes(uiMessages('en').refuseAsk), 'back to the confirmation');
    expect(answer).toBeUndefined();
    await term.type(KEY.escape, 'y');
    await p;
    expect(answer).toBe(false);
  });

  it('Ctrl+U clears the typed text', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const p = prompter.confirmTyped(typed);
    await term.waitFor((f) => f.includes('To go on'));
    await term.type('svm9:wrong');
    await term.waitFor((f) => f.includes('You typed: svm9:wrong|'));
    await term.type('\u0015');
    await term.waitFor((f) => f.includes('You typed: |'), 'the typed text cleared');
    await term.type(typed.expect, KEY.enter);
    await expect(p).resolves.toBe(true);
  });

  it('a checklist needs every item ticked', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }), { lang: 'ja' });
    const p = prompter.checklist({
      promptId: 'vc',
      title: 'vCenter を復元',
      items: ['コンソールを開く', 'バックアップから復元', '起動を確認'],
    });
    await term.waitFor((f) => f.includes('[ ] コンソールを開く'));
    await term.type(KEY.space, KEY.enter);
    await term.waitFor((f) => f.includes(uiMessages('ja').checklistNotAll({ left: 2 })));
    await term.type(KEY.down, KEY.space, KEY.down, KEY.space, KEY.enter);
    await expect(p).resolves.toBe(true);
  });

  it('the error panel names VM, host, command and the device message; Enter takes the default', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const p = prompter.choose({
      promptId: 'err-1',
      title: 'Registering a VM failed',
      lines: [],
      options: [
        { key: 'retry', label: 'Retry' },
        { key: 'skip', label: 'Skip' },
        { key: 'abort', label: 'Abort' },
      ],
      default: 'skip',
      failure: { vm: 'app-db-0004', host: 'esx01', command: 'vim-cmd solo/registervm x y', message: 'already exists' },
    });
    const f = await term.waitFor((fr) => fr.includes('The device said: already exists'));
    expect(f).toContain('VM: app-db-0004');
    expect(f).toContain('Host: esx01');
    expect(f).toContain('Command: vim-cmd solo/registervm x y');
    expect(f).toMatch(/› 2\. Skip this one and go on/);
    await term.type(KEY.enter);
    await expect(p).resolves.toBe('skip');
  });

  it('queues a second question until the first is answered', async () => {
    const { term, prompter } = mount(runViewModel({ vms: 10 }));
    const a = prompter.confirmTyped(typed);
    const b = prompter.confirmTyped({ ...typed, promptId: 'restore-1', title: 'SnapRestore the mirror' });
    await term.waitFor((f) => f.includes('Waiting for you: Break'));
    await term.type(KEY.escape, 'y');
    await expect(a).resolves.toBe(false);
    await term.waitFor((f) => f.includes('Waiting for you: SnapRestore'));
    await term.type(typed.expect, KEY.enter);
    await expect(b).resolves.toBe(true);
  });
});

describe('pause, quit and Ctrl+C', () => {
  it('Ctrl+C pauses, says how to resume and names the hosts still out of lockdown', async () => {
    const m = mount(runViewModel({ vms: 10 }));
    await m.term.waitFor((f) => f.includes('app-web-0000'));
    await m.term.type(KEY.ctrlC);
    const f = await m.term.waitFor((fr) => fr.includes('drbook resume r20261122-0100'), 'the resume hint');
    expect(m.pauses).toEqual(['ctrl-c']);
    expect(f).toContain(commonMessages('en').lockdownStillOff({ hosts: 'esx01.dc1.example' }));
    expect(f).toContain('No command is killed halfway');
  });

  it('Ctrl+C during a question stops it with a resumable StoppedError', async () => {
    const m = mount(runViewModel({ vms: 10 }));
    const p = m.prompter.confirmTyped({ promptId: 'x', title: 'Break', lines: [], expect: 'a:b' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await m.term.waitFor((f) => f.includes('To go on'));
    await m.term.type(KEY.ctrlC);
    expect(await p).toMatchObject({ name: 'StoppedError', exitCode: 4 });
    await m.term.waitFor((f) => f.includes('drbook resume r20261122-0100'));
  });

  it('q asks first; y quits at the next safe point, n goes back', async () => {
    const m = mount(runViewModel({ vms: 10 }));
    await m.term.waitFor((f) => f.includes('app-web-0000'));
    await m.term.type('q');
    await m.term.waitFor((f) => f.includes('Quit? The run stays resumable.'));
    await m.term.type('n');
    await m.term.waitFor((f) => !f.includes('Quit?'));
    expect(m.quits).toBe(0);
    await m.term.type('q', 'y');
    await m.term.waitFor((f) => f.includes('Pausing at the next safe point'));
    expect(m.quits).toBe(1);
  });

  it('a question that comes while "Quit?" is asked takes the keyboard: the quit prompt gives way', async () => {
    const m = mount(runViewModel({ vms: 10 }));
    await m.term.waitFor((f) => f.includes('app-web-0000'));
    await m.term.type('q');
    await m.term.waitFor((f) => f.includes('Quit? The run stays resumable.'));
    const p = m.prompter.checklist({ promptId: 'vc', title: 'Restore vCenter', items: ['Restore it'] });
    await m.term.waitFor((f) => f.includes('[ ] Restore it') && !f.includes('Quit?'));
    await m.term.type(KEY.space);
    await m.term.waitFor((f) => f.includes('[x] Restore it'));
    await m.term.type(KEY.enter);
    await expect(p).resolves.toBe(true);
    expect(m.quits).toBe(0);
  });

  it('p asks for a pause at the next safe point', async () => {
    const m = mount(runViewModel({ vms: 10 }));
    await m.term.waitFor((f) => f.includes('app-web-0000'));
    await m.term.type('p');
    await m.term.waitFor((f) => f.includes('Pausing at the next safe point'));
    expect(m.pauses).toEqual(['key']);
  });

  it('? shows the keys', async () => {
    const m = mount(runViewModel({ vms: 10 }), { lang: 'ja' });
    await m.term.waitFor((f) => f.includes('app-db-0001'));
    await m.term.type('?');
    const f = await m.term.waitFor((fr) => fr.includes(uiMessages('ja').helpTitle));
    expectFits(f, 80, 24);
    expect(f).toContain('安全に一時停止');
  });

  it('the finished screen shows the outcome and leaves on q', async () => {
    const m = mount(runViewModel({ vms: 10, registered: 10, outcome: 'done' }));
    await m.term.waitFor((f) => f.includes('The failover finished.'));
    await m.term.type('q');
    await mounted[mounted.length - 1]!.waitUntilExit();
  });
});

describe('NO_COLOR', () => {
  it('has no ANSI escapes at all, and colours otherwise', async () => {
    const level = chalk.level;
    chalk.level = 3;
    try {
      const plain = mount(runViewModel({ vms: 24 }), { noColor: true });
      const f = await plain.term.waitFor((fr) => fr.includes('app-web-0000'));
      expect(f).not.toContain('\u001b[');
      expect(f).toContain('✘');
      const coloured = mount(runViewModel({ vms: 10 }), { noColor: false });
      const g = await coloured.term.waitFor((fr) => fr.includes('app-web-0000'));
      expect(g).toContain('\u001b[');
    } finally {
      chalk.level = level;
    }
  });
});

describe('frames drawn from earlier frames', () => {
  // Ink is patched (patches/ink+6.8.0.patch) to reuse a row's text when the row's writes are the
  // same as in an earlier frame: a screen that changed must look as if it was drawn afresh.
  for (const lang of ['en', 'ja'] as const) {
    it(`after an update, a screen equals a fresh one of the same state (${lang}, colour, wide names)`, async () => {
      const level = chalk.level;
      chalk.level = 3;
      try {
        const before = runViewModel({ vms: 40, japanese: true, registered: 4 });
        const after = runViewModel({ vms: 40, japanese: true, registered: 27 });
        const updated = mount(before, { columns: 100, rows: 30, lang, noColor: false });
        const first = await updated.term.waitFor((f) => f.includes(vmName(0, true)), 'the first frame');
        const fresh = mount(after, { columns: 100, rows: 30, lang, noColor: false });
        const expected = await fresh.term.waitFor((f) => f.includes(vmName(0, true)), 'the fresh frame');
        expect(expected).not.toBe(first);
        updated.store.set(after);
        await updated.term.waitFor((f) => f === expected, 'the updated frame to equal the fresh one');
        // And back: rows cached from the first frame come back as they were.
        updated.store.set(before);
        await updated.term.waitFor((f) => f === first, 'the frame to return to the first one');
      } finally {
        chalk.level = level;
      }
    });
  }
});

describe('unmounting', () => {
  it('a question asked after the screen is gone fails as stopped instead of hanging', async () => {
    const m = mount(runViewModel({ vms: 5 }));
    await m.term.waitFor((f) => f.includes('app-web-0000'));
    const screen = mounted.pop()!;
    screen.unmount();
    await screen.waitUntilExit();
    await expect(m.prompter.confirmTyped({ promptId: 'late', title: 't', lines: [], expect: 'x' })).rejects.toMatchObject({
      name: 'StoppedError',
    });
  });
});
