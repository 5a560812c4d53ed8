/**
 * Issue 15 §2, §5, §6, §7 and issue 21 §2, on the lab through the real CLI: a second database
 * cannot run the site beside the first; a lost terminal (SIGHUP) or a closed pipe stops a run
 * safely and leaves it resumable; a script run stops at a question no flag answers; a stale lock
 * is broken by `drbook unlock` and a live one is not; the demo's resume hint works as printed.
 * Every case asserts on what the lab's devices were asked to do (`actions`, connections).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCli } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  actionsSince,
  appliedTwice,
  cloneTemplate,
  prepareTemplate,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';
import { loadSqlite } from '../../src/journal/sqlite.js';

// hosts 2, vms 6, seed 7; app01's VMware snapshot fails at backup: it has no quiesce point.
const FAULTS = { vms: { app01: { snapshotFails: true } }, hosts: {} };
const ANSWERS = ['--confirm', MIRROR_PATH, '--ack-manual', '--crash-consistent', 'power-on'];

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

let root: string;
let template: Template;

beforeAll(async () => {
  root = tempDir('drbook-lifecycle-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 6, seed: 7, faults: FAULTS });
}, 120_000);

/** Every drbook a case started: none may outlive its case and reach a later case's lab (ports are reused). */
const spawned: ChildProcess[] = [];
afterEach(() => {
  for (const c of spawned.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

afterAll(() => {
  if (root && !process.env['DRBOOK_KEEP']) rmSync(root, { recursive: true, force: true });
  else if (root) console.error(`kept ${root}`);
});

interface JournalRun {
  id: string;
  status: string;
  events: { type: string; [k: string]: unknown }[];
}

function journal(db: string): JournalRun[] {
  const d = new Database(db, { readonly: true });
  try {
    const runs = d.prepare('SELECT id, status FROM runs ORDER BY created_at, id').all() as { id: string; status: string }[];
    return runs.map((r) => ({
      ...r,
      events: (d.prepare('SELECT payload FROM events WHERE run_id = ? ORDER BY seq').all(r.id) as { payload: string }[]).map(
        (e) => JSON.parse(e.payload) as JournalRun['events'][number],
      ),
    }));
  } finally {
    d.close();
  }
}

/** A failover as a child process, its stdout read line by line until `until` says so. */
function startFailover(args: string[], until: (line: string) => boolean) {
  const child = spawn(process.execPath, [CLI, 'failover', ...args], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const reached = new Promise<void>((resolve, reject) => {
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      partial += d;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        if (until(line)) resolve();
      }
    });
    void exited.then((code) => reject(new Error(`drbook exited (${code}) before the expected line:\n${stdout}\n${stderr}`)));
  });
  return { child, reached, exited, out: () => stdout, err: () => stderr };
}

/** An NDJSON line: some host has left lockdown (the run is well under way, with something to put back). */
const lockdownExited = (line: string): boolean => {
  try {
    const e = JSON.parse(line) as { type: string; stepId?: string; state?: string };
    return e.type === 'target.state' && e.stepId === 'lockdown-exit' && e.state === 'done';
  } catch {
    return false;
  }
};

describe('one lock per site, not per database', () => {
  it('a failover from a second database while one runs is refused naming the holder, and changes nothing', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'two-dbs'));
    const lab = await startCase(dir, { faults: FAULTS });
    try {
      let runId = '';
      const first = startFailover(['--site', lab.siteFile, '--db', path.join(dir, 'drbook.db'), '--json', ...ANSWERS], (line) => {
        const e = JSON.parse(line) as { type: string; runId?: string };
        if (e.type === 'run.started') runId = e.runId!;
        return runId !== '';
      });
      await first.reached;
      // Frozen while the second one tries: the first can open no connection and send nothing new,
      // so whatever the lab sees meanwhile would be the second drbook's doing.
      first.child.kill('SIGSTOP');
      const before = lab.status();
      const otherDb = path.join(root, 'two-dbs-other.db');
      const second = await runCli(['failover', '--site', lab.siteFile, '--db', otherDb, '--plain', ...ANSWERS], {
        env: cliEnv(),
        timeoutMs: 60_000,
      });
      const after = lab.status();
      first.child.kill('SIGCONT');
      expect(second.code, second.stderr).toBe(2);
      expect(second.stderr).toContain(`site lab is held by failover run ${runId} (pid ${first.child.pid} on host ${os.hostname()}`);
      expect(after.stats.connections).toEqual(before.stats.connections);
      expect(actionsSince(before, after)).toEqual([]);
      // Refused before it read or recorded anything: no run in the other database.
      expect(existsSync(otherDb) ? journal(otherDb) : []).toEqual([]);
      expect(await first.exited, first.err()).toBe(0);
      expect(appliedTwice(actionsSince(template.before, lab.status()))).toEqual([]);
      expect(existsSync(`${lab.siteFile}.lock`)).toBe(false);
    } finally {
      await lab.stop();
    }
  }, 180_000);
});

describe('a lost terminal and a closed pipe', () => {
  it('SIGHUP mid-run: stops at the next safe point, lockdown as it was, journaled stopped, exit 4; resume finishes it', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'sighup'));
    const db = path.join(dir, 'drbook.db');
    const lab = await startCase(dir, { faults: FAULTS });
    try {
      const before = lab.status();
      const run = startFailover(['--site', lab.siteFile, '--db', db, '--json', ...ANSWERS], lockdownExited);
      await run.reached;
      run.child.kill('SIGHUP');
      expect(await run.exited, run.err()).toBe(4);
      const stopped = lab.status();
      expect(stopped.lockdown).toEqual(before.lockdown);
      const [j] = journal(db);
      expect(j!.status).toBe('stopped');
      expect(j!.events.at(-1)).toMatchObject({
        type: 'run.finished',
        outcome: 'stopped',
        error: expect.stringContaining('the terminal went away (SIGHUP)'),
      });
      // --db is beside the site file: the hint needs only the site file.
      expect(run.err()).toContain(`Continue it with: drbook resume ${j!.id} --site ${lab.siteFile}\n`);

      const resumed = await runCli(['resume', j!.id, '--site', lab.siteFile, '--db', db, '--plain', ...ANSWERS], {
        env: cliEnv(),
        timeoutMs: 120_000,
      });
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
      const done = lab.status();
      expect(journal(db)[0]!.status).toBe('done');
      expect(done.lockdown).toEqual(before.lockdown);
      expect(appliedTwice(actionsSince(before, done))).toEqual([]);
    } finally {
      await lab.stop();
    }
  }, 240_000);

  it('a closed pipe (drbook failover --plain | head): never exit 0 mid-run; stops safely, says how to resume on stderr, and that command finishes it', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'epipe'));
    const lab = await startCase(dir, { faults: FAULTS });
    try {
      const before = lab.status();
      // The database beside the site file, by the default rule: the printed hint needs no --db.
      const run = startFailover(['--site', lab.siteFile, '--plain', ...ANSWERS], (line) => /step Exit lockdown mode: done/.test(line));
      await run.reached;
      run.child.stdout.destroy();
      expect(await run.exited, run.err()).toBe(4);
      expect(lab.status().lockdown).toEqual(before.lockdown);
      const db = path.join(dir, 'drbook.db');
      const [j] = journal(db);
      expect(j!.status).toBe('stopped');
      expect(run.err()).toContain('stopped: the output was closed');
      const hint = /Continue it with: (drbook resume \S+ --site \S+)$/m.exec(run.err());
      expect(hint?.[1]).toBe(`drbook resume ${j!.id} --site ${lab.siteFile}`);

      // As printed, from another folder.
      const resumed = await runCli([...hint![1]!.split(' ').slice(1), '--plain', ...ANSWERS], {
        env: cliEnv(),
        cwd: os.tmpdir(),
        timeoutMs: 120_000,
      });
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
      const done = lab.status();
      expect(done.lockdown).toEqual(before.lockdown);
      expect(appliedTwice(actionsSince(before, done))).toEqual([]);
    } finally {
      await lab.stop();
    }
  }, 240_000);
});

describe('honest answers', () => {
  it('a script run without --crash-consistent stops at the question (exit 4) naming the flag; resumed with it, the journal says the flag answered', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'no-flag'));
    const db = path.join(dir, 'drbook.db');
    const lab = await startCase(dir, { faults: FAULTS });
    try {
      const before = lab.status();
      const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'], {
        env: cliEnv(),
        timeoutMs: 120_000,
      });
      expect(r.code, r.stdout + r.stderr).toBe(4);
      expect(r.stdout).toMatch(
        /app01.*this run cannot ask, and --crash-consistent does not answer it — pass --crash-consistent power-on\|skip/,
      );
      const stopped = lab.status();
      // Actions name a VM by its .vmx path (`[ds_vm1_mirror] app01/app01.vmx`).
      const app01 = (s: typeof stopped) => actionsSince(before, s).filter((a) => a.target.includes('] app01/'));
      // Nothing was decided for app01: neither powered on nor left off by drbook's choice.
      expect(app01(stopped).filter((a) => a.action === 'power-on')).toEqual([]);
      expect(stopped.vms.filter((v) => v.name === 'app01' && !v.stale).map((v) => v.power)).not.toContain('on');
      expect(stopped.lockdown).toEqual(before.lockdown);
      let [j] = journal(db);
      expect(j!.status).toBe('stopped');
      expect(j!.events.filter((e) => e.type === 'prompt.answered' && String(e['promptId']).includes('crash.'))).toEqual([]);

      const resumed = await runCli(['resume', '--db', db, '--plain', ...ANSWERS], { env: cliEnv(), timeoutMs: 120_000 });
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/answered "power-on" by \S+ \(flag --crash-consistent power-on\)/);
      [j] = journal(db);
      const answer = j!.events.find((e) => e.type === 'prompt.answered' && String(e['promptId']).includes('crash.'));
      expect(answer).toMatchObject({ answer: 'power-on', via: 'flag', flag: '--crash-consistent power-on', by: os.userInfo().username });
      expect(
        lab
          .status()
          .vms.filter((v) => v.name === 'app01' && !v.stale)
          .map((v) => v.power),
      ).toEqual(['on']);
      expect(app01(lab.status()).filter((a) => a.count > 1)).toEqual([]);
      expect(appliedTwice(actionsSince(before, lab.status()))).toEqual([]);
    } finally {
      await lab.stop();
    }
  }, 240_000);

  it('a script run without --on-vm-failure stops at the failure panel (exit 4) naming the flag; resumed with it, the journal says the flag answered', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'no-failure-flag'));
    const db = path.join(dir, 'drbook.db');
    // Every registration on esx02 fails: its VMs reach the failure panel.
    const faults = { ...FAULTS, hosts: { esx02: { failFirst: { match: 'solo/registervm', times: 999 } } } };
    const lab = await startCase(dir, { faults });
    try {
      const before = lab.status();
      const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', ...ANSWERS], {
        env: cliEnv(),
        timeoutMs: 120_000,
      });
      expect(r.code, r.stdout + r.stderr).toBe(4);
      expect(r.stdout).toMatch(
        /failed: this run cannot ask, and --on-vm-failure does not answer it — pass --on-vm-failure skip\|abort; drbook resume continues the run from here/,
      );
      // Nobody answered the panel: no answer in the journal, and the run is resumable.
      let [j] = journal(db);
      expect(j!.status).toBe('stopped');
      expect(j!.events.filter((e) => e.type === 'prompt.answered' && String(e['promptId']).includes('.failed.'))).toEqual([]);
      expect(lab.status().lockdown).toEqual(before.lockdown);

      const resumed = await runCli(['resume', '--db', db, '--plain', ...ANSWERS, '--on-vm-failure', 'skip'], {
        env: cliEnv(),
        timeoutMs: 120_000,
      });
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(1);
      [j] = journal(db);
      expect(j!.status).toBe('failed');
      const answers = j!.events.filter((e) => e.type === 'prompt.answered' && String(e['promptId']).includes('.failed.'));
      const [siteLevel, vmLevel] = [
        answers.filter((a) => String(a['promptId']).startsWith('verify.')),
        answers.filter((a) => !String(a['promptId']).startsWith('verify.')),
      ];
      expect(vmLevel.length).toBeGreaterThan(0);
      for (const a of vmLevel)
        expect(a).toMatchObject({ answer: 'skip', via: 'flag', flag: '--on-vm-failure skip', by: os.userInfo().username });
      // Verify (a site-level step) then fails: it ends the run, its documented default, said as drbook's.
      expect(siteLevel).toEqual([expect.objectContaining({ answer: 'abort', via: 'default', by: 'drbook' })]);
      // The VMs of esx01 came back; nothing was sent twice.
      const after = lab.status();
      expect(after.vms.filter((v) => v.host === 'esx01' && v.datastore === 'ds_vm1_mirror' && v.power === 'on').length).toBeGreaterThan(0);
      expect(after.vms.filter((v) => v.host === 'esx02' && v.datastore === 'ds_vm1_mirror')).toEqual([]);
      expect(appliedTwice(actionsSince(before, after))).toEqual([]);
    } finally {
      await lab.stop();
    }
  }, 240_000);
});

describe('drbook unlock', () => {
  const holder = (o: Record<string, unknown>) => ({
    site: 'lab',
    runId: '20261203-0700-dead',
    kind: 'failover',
    pid: process.pid,
    hostname: os.hostname(),
    user: 'alice',
    command: 'drbook failover --site site.yaml',
    startedAt: Date.UTC(2026, 11, 3, 7, 0),
    ...o,
  });

  it('refuses a live holder; breaks a stale one (dead pid, other boot, other host) after the site name is typed; a failover then runs', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'unlock'));
    const lab = await startCase(dir, { faults: FAULTS });
    const lock = `${lab.siteFile}.lock`;
    const unlock = (...extra: string[]) => runCli(['unlock', '--site', lab.siteFile, ...extra], { env: cliEnv(), timeoutMs: 30_000 });
    try {
      const before = lab.status();
      // Live: this test's own process, on this machine, this boot.
      writeFileSync(lock, JSON.stringify(holder({})));
      let r = await unlock('--confirm', 'lab');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toContain('run: 20261203-0700-dead');
      expect(r.stderr).toContain(`the holder (pid ${process.pid}) is running on this machine; drbook unlock never breaks a live lock`);
      expect(existsSync(lock)).toBe(true);
      // A failover meanwhile is refused and touches nothing.
      r = await runCli(['failover', '--site', lab.siteFile, '--plain', ...ANSWERS], { env: cliEnv(), timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('site lab is held by failover run 20261203-0700-dead');
      expect(lab.status().stats.connections).toEqual(before.stats.connections);

      // Stale: the same pid, but from before a reboot.
      writeFileSync(lock, JSON.stringify(holder({ bootId: 'a-boot-long-gone' })));
      r = await unlock();
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('pass --confirm lab');
      r = await unlock('--confirm', 'labx');
      expect(r.code).toBe(2);
      expect(existsSync(lock)).toBe(true);
      r = await unlock('--confirm', 'lab');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('the machine has rebooted since it was taken');
      expect(r.stdout).toContain(`drbook resume 20261203-0700-dead --site ${lab.siteFile}`);
      expect(existsSync(lock)).toBe(false);

      // Stale: a pid that is gone.
      const gone = spawn(process.execPath, ['-e', '']);
      await new Promise((res) => gone.on('exit', res));
      writeFileSync(lock, JSON.stringify(holder({ pid: gone.pid })));
      r = await unlock('--confirm', 'lab');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('its process is gone');
      expect(existsSync(lock)).toBe(false);

      // Another host (a container that came back under a new name): cannot be checked; the operator decides.
      writeFileSync(lock, JSON.stringify(holder({ hostname: 'old-container' })));
      r = await runCli(['failover', '--site', lab.siteFile, '--plain', ...ANSWERS], { env: cliEnv(), timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`drbook unlock --site ${lab.siteFile}`);
      r = await unlock('--confirm', 'lab');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('drbook cannot check that process from here');
      expect(actionsSince(before, lab.status())).toEqual([]);

      r = await unlock();
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('site lab is not locked');
      r = await runCli(['failover', '--site', lab.siteFile, '--plain', ...ANSWERS], { env: cliEnv(), timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(appliedTwice(actionsSince(before, lab.status()))).toEqual([]);
    } finally {
      await lab.stop();
    }
  }, 240_000);
});

describe('where the database is', () => {
  it('read-only commands create no database and say where they looked; --site takes a name', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'where'));
    const site = path.join(dir, 'site.yaml');
    const elsewhere = tempDir('drbook-elsewhere-');
    for (const args of [['runs'], ['resume', '--plain'], ['report', 'nope'], ['inventory', 'list']]) {
      const r = await runCli(args, { env: cliEnv(), cwd: elsewhere });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(
        `no drbook database at ${path.join(elsewhere, 'drbook.db')} (in the working directory: no --db, no $DRBOOK_DB, no site file)`,
      );
    }
    const typo = await runCli(['runs', '--db', 'typo.db'], { env: cliEnv(), cwd: elsewhere });
    expect(typo.stderr).toContain(`no drbook database at ${path.join(elsewhere, 'typo.db')} (given by --db)`);
    expect(existsSync(path.join(elsewhere, 'drbook.db')) || existsSync(path.join(elsewhere, 'typo.db'))).toBe(false);

    // Beside the site file, given as a file from anywhere, or as a name in its folder.
    for (const [args, cwd] of [
      [['runs', '--site', site, '--json'], elsewhere],
      [['runs', '--site', 'lab', '--json'], dir],
      [['inventory', 'list', '--site', 'lab', '--json'], dir],
    ] as const) {
      const r = await runCli([...args], { env: cliEnv(), cwd });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const listed = await runCli(['inventory', 'list', '--site', site, '--json'], { env: cliEnv(), cwd: elsewhere });
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(1);
    expect(readFileSync(site, 'utf8')).toContain('site: lab');
  }, 60_000);

  it("the demo's hint after a stop works as printed: start the lab again, resume, done", async () => {
    const dir = path.join(root, 'demo');
    let stopped = false;
    const demo = spawn(process.execPath, [CLI, 'demo', '--dir', dir, '--hosts', '2', '--vms', '6', '--latency', 'none', '--plain'], {
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(demo);
    let out = '';
    demo.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    demo.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!stopped && /step Exit lockdown mode: done/.test(out)) {
        stopped = true;
        demo.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => demo.on('close', res));
    expect(code, out).toBe(4);
    const lines = out.split('\n').map((l) => l.trim());
    const at = lines.findIndex((l) => l.startsWith('drbook lab up --dir'));
    expect(at, out).toBeGreaterThan(0);
    const [up, resume, down] = lines.slice(at, at + 3);
    expect(up).toBe(`drbook lab up --dir ${dir} --detach`);
    expect(resume).toMatch(new RegExp(`^drbook resume \\S+ --site ${dir}/site.yaml --plain --confirm \\S+ --ack-manual$`));
    expect(down).toBe(`drbook lab down --dir ${dir}`);
    const elsewhere = tempDir('drbook-demo-cwd-');
    const run = (line: string, timeoutMs: number) => runCli(line.split(' ').slice(1), { env: cliEnv(), cwd: elsewhere, timeoutMs });
    expect((await run(up!, 60_000)).code).toBe(0);
    try {
      const r = await run(resume!, 120_000);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/drbook: run \S+ done\./);
    } finally {
      await run(down!, 60_000);
    }
  }, 240_000);
});
