import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { renderProgress } from '../../src/ui/render-progress.js';
import type { RenderedScreen } from '../../src/ui/render-failover.js';
import { createStore } from '../../src/ui/store.js';
import type { ProgressScreenData } from '../../src/ui/types.js';
import { fakeTerminal, stripAnsi } from '../helpers/ink.js';
import { T0 } from './fixtures.js';

const screens: RenderedScreen[] = [];
afterEach(() => {
  for (const s of screens.splice(0)) s.unmount();
});

const running: ProgressScreenData = {
  kind: 'capture',
  site: 'dc1',
  startedAt: T0,
  rows: [
    { id: 'h1', label: 'esx01.dc1.example', state: 'done', done: 40, total: 40, startedAt: T0, finishedAt: T0 + 5000 },
    { id: 'h2', label: '東京-esx02', state: 'running', done: 12, total: 40, activity: 'vim-cmd vmsvc/get.summary 17', startedAt: T0 },
    { id: 'h3', label: 'esx03.dc1.example', state: 'waiting', done: 0, total: 0 },
  ],
  log: [{ id: 'c1', host: '東京-esx02', command: 'vim-cmd vmsvc/get.summary 17', startedAt: T0 }],
  findings: [],
};

describe('progress screen (capture, drill)', () => {
  it('shows per-host progress, then the findings, within the width, and leaves by itself', async () => {
    const term = fakeTerminal(80, 24);
    const store = createStore(running);
    const screen = renderProgress({ store, lang: 'ja', noColor: true, frameMs: 0, debug: true, ...term.streams });
    screens.push(screen);
    const f = await term.waitFor((fr) => fr.includes('東京-esx02'));
    expect(f).toContain('12/40');
    expect(f).toContain('esx01.dc1.example');
    store.set({
      ...running,
      finishedAt: T0 + 60_000,
      rows: running.rows.map((r) => ({ ...r, state: 'done' as const, done: r.total, finishedAt: T0 + 60_000 })),
      findings: [
        { severity: 'warn', subject: 'app-db-0004', text: 'VSC snapshot missing: the VM is crash-consistent only' },
        { severity: 'error', subject: '会計サーバー-000', text: '.vmx の displayName が記録と異なります' },
      ],
      outcome: 'findings',
    });
    await screen.waitUntilExit();
    const last = term.lastFrame();
    expect(last).toContain('指摘事項: 2件');
    expect(last).toContain('会計サーバー-000');
    for (const l of stripAnsi(last).split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(80);
  });
});
