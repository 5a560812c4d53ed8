/**
 * `drbook demo` in a real terminal: tmux gives it an 80x24 pty, the test reads the screen the
 * way an operator would, types the two confirmations, ticks the vCenter checklist, leaves the
 * finished screen, and then checks the end state on disk (journal and report).
 *
 * tmux runs on its own socket (-L) with no config file, so a user's tmux server is never touched.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { loadSqlite } from '../../src/journal/sqlite.js';
import stringWidth from 'string-width';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/i18n/lang.js';
import { commonMessages } from '../../src/i18n/common.js';
import { uiMessages } from '../../src/i18n/ui.js';

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COLS = 80;
const ROWS = 24;

function tmuxInstalled(): boolean {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  return r.status === 0;
}

/** One tmux server of our own: every call names the socket and ignores ~/.tmux.conf. */
class Terminal {
  readonly socket = `drbook-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  /** Every distinct screen seen, for the width check and for failure messages. */
  readonly frames: string[] = [];

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  private socketPath: string | undefined;

  start(command: string): void {
    this.tmux('new-session', '-d', '-s', 'demo', '-x', String(COLS), '-y', String(ROWS), command);
    this.socketPath = this.tmux('display-message', '-p', '-t', 'demo', '#{socket_path}').trim() || undefined;
  }

  screen(): string {
    const s = this.tmux('capture-pane', '-p', '-t', 'demo');
    if (this.frames[this.frames.length - 1] !== s) this.frames.push(s);
    return s;
  }

  /** Polls the screen until `test` passes; on timeout, fails with what was on screen. */
  async waitFor(what: string, test: (screen: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${s}`);
      await delay(100);
    }
  }

  /** Literal text (never read as key names), then the keys. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'demo', '-l', text);
  }

  key(name: string): void {
    this.tmux('send-keys', '-t', 'demo', name);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
    // tmux leaves its socket file behind.
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}

const dirs: string[] = [];
const terminals: Terminal[] = [];
afterAll(() => {
  for (const t of terminals) t.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The demo in tmux up to its exit, the way an operator drives it; returns the lab folder. */
async function driveDemo(lang: Lang): Promise<{ lab: string; screens: { finished: string } }> {
  // Not a skip: without tmux this test cannot prove the demo works, so it must say so.
  expect(
    tmuxInstalled(),
    'tmux is not installed: this end-to-end test drives drbook demo in tmux (apt-get install tmux; .ci/run installs it)',
  ).toBe(true);
  const m = uiMessages(lang);
  const common = commonMessages(lang);

  const tmp = mkdtempSync(path.join(tmpdir(), 'drbook-e2e-'));
  dirs.push(tmp);
  const lab = path.join(tmp, 'lab');
  const term = new Terminal();
  terminals.push(term);
  // The language comes from LANG, as on an operator's jump host. EXIT= tells the test the demo's
  // exit code; the shell then waits so the pane stays readable.
  const cli = ['node', path.join(ROOT, 'dist/cli.js'), 'demo', '--dir', lab, '--latency', 'none'].map((a) => `'${a}'`).join(' ');
  const locale = lang === 'ja' ? 'ja_JP.UTF-8' : 'C.UTF-8';
  // CI runs this test with CI=true; an operator's terminal has no CI variable (with one, drbook
  // falls back to plain output because Ink does not draw frames in CI).
  term.start(
    `cd '${ROOT}' && env -u NO_COLOR -u LC_ALL -u LC_MESSAGES -u CI -u CONTINUOUS_INTEGRATION LANG=${locale} ${cli}; echo EXIT=$?; sleep 600`,
  );
  const titleOf = (screen: string) => screen.split('\n')[1] ?? '';

  // 1. The break confirmation. The destination to type is the site's own.
  let s = await term.waitFor('the break confirmation', (x) => x.includes(m.typedKeys));
  const site = parseYaml(readFileSync(path.join(lab, 'site.yaml'), 'utf8')) as { relationship: { destination: string } };
  const destination = site.relationship.destination;
  expect(s).toContain(m.typedInstruction({ expect: destination }));
  // The status line says drbook waits for the operator (with the title when it fits).
  expect(s.includes(m.statusWaitingYou({ title: titleOf(s).trim() })) || s.includes(m.statusWaitingYouShort)).toBe(true);
  const breakTitle = titleOf(s);
  term.type(destination);
  await term.waitFor('the typed destination to show', (x) => x.includes(`${m.typedYouTyped} ${destination}|`));
  term.key('Enter');

  // 2. The SnapRestore confirmation: a new dialog, naming the VSC snapshot.
  s = await term.waitFor(
    'the SnapRestore confirmation',
    (x) => x.includes(m.typedKeys) && titleOf(x) !== breakTitle && x.includes(`${m.typedYouTyped} |`),
  );
  expect(titleOf(s)).toMatch(/smvi__\S+/);
  // Words are never cut at the end of a line (the lead saw "an old" / "er common one").
  if (lang === 'en') expect(s).toContain('older common one');
  term.type(destination);
  await term.waitFor('the typed destination to show', (x) => x.includes(`${m.typedYouTyped} ${destination}|`));
  term.key('Enter');

  // 3. The vCenter checklist: every item readable (wrapped, not cut), ticked one by one.
  s = await term.waitFor('the vCenter checklist', (x) => x.includes(m.checklistKeys) && /\[ \]/.test(x));
  expect(s).not.toContain('…');
  const items = s.split('\n').filter((l) => /^ [› ] \[[ x]\] /.test(l)).length;
  expect(items).toBeGreaterThan(0);
  for (let i = 0; i < items; i++) {
    if (i > 0) term.key('Down');
    term.type(' ');
    await term.waitFor(`item ${i + 1} ticked`, (x) => (x.match(/\[x\]/g) ?? []).length === i + 1);
  }
  term.key('Enter');

  // 4. The finished screen: the recovered VMs, the outcome, the report (written just after the
  //    run finishes: the screen then says where).
  const reportLine = m.reportAt({ path: path.join(lab, 'reports', 'failover-') });
  const finished = await term.waitFor(
    'the finished screen with the report',
    (x) => x.includes(m.statusDone) && x.includes(reportLine),
    90_000,
  );
  expect(finished).toContain(m.keysDone);
  expect(finished).not.toContain(common.lockdownStillOff({ hosts: '' }).slice(0, 12));
  term.key('q');
  s = await term.waitFor('the demo to exit', (x) => /EXIT=\d+/.test(x));
  expect(s).toContain('EXIT=0');

  // No frame ever drew past the terminal's width.
  for (const frame of term.frames) {
    for (const line of frame.split('\n')) {
      expect(stringWidth(line), `a line wider than ${COLS} columns:\n${line}\nin the frame:\n${frame}`).toBeLessThanOrEqual(COLS);
    }
  }
  return { lab, screens: { finished } };
}

/** The end state on disk: the journal says done, and the report lists every VM as done. */
function expectRecovered(lab: string, lang: Lang, finished: string) {
  // 5. The end state: the journal says done, and the report lists every VM as done.
  const db = new Database(path.join(lab, 'drbook.db'), { readonly: true });
  let runs: { id: string; status: string; kind: string }[];
  try {
    runs = db.prepare('SELECT id, status, kind FROM runs').all() as typeof runs;
  } finally {
    db.close();
  }
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ kind: 'failover', status: 'done' });
  const runId = runs[0]!.id;
  const reports = readdirSync(path.join(lab, 'reports'));
  expect(reports).toEqual(expect.arrayContaining([`failover-${runId}.md`, `failover-${runId}.json`, `failover-${runId}.html`]));
  const report = JSON.parse(readFileSync(path.join(lab, 'reports', `failover-${runId}.json`), 'utf8')) as {
    outcome: string;
    targets: { label: string; state: string; steps: { stepId: string; state: string }[] }[];
  };
  expect(report.outcome).toBe('done');
  const vms = report.targets.filter((t) => t.steps.some((x) => x.stepId === 'recover' || x.stepId === 'vcenter'));
  // The demo's lab has 24 VMs (--vms default): every one came back.
  expect(vms.map((v) => v.label).sort()).toHaveLength(24);
  for (const vm of vms) expect(vm, vm.label).toMatchObject({ state: 'done' });
  const md = readFileSync(path.join(lab, 'reports', `failover-${runId}.md`), 'utf8');
  // The report is in the run's language too.
  const done = commonMessages(lang).stateDone;
  for (const vm of vms) expect(md, `${vm.label} in the Markdown report`).toMatch(new RegExp(`^\\| ${vm.label} \\|.*\\| ${done} \\|`, 'm'));
  // The screen's outcome line counts the same VMs.
  const recovered = vms.filter((v) => v.steps.some((x) => x.stepId === 'recover')).length;
  expect(finished).toContain(
    uiMessages(lang).resultLine({ done: recovered, total: recovered, failed: 0, skipped: 0, notReached: 0, crashConsistent: 0 }),
  );
}

describe('drbook demo in a real terminal (tmux, 80x24)', () => {
  it('an operator types the confirmations, ticks the vCenter checklist and reaches the end of the failover', async () => {
    const { lab, screens } = await driveDemo('en');
    expectRecovered(lab, 'en', screens.finished);
  }, 150_000);

  it('with LANG=ja_JP.UTF-8 every screen is in Japanese and fits 80 columns', async () => {
    const { lab, screens } = await driveDemo('ja');
    expectRecovered(lab, 'ja', screens.finished);
  }, 150_000);
});
