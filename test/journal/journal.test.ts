import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { hostname as osHostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperatorError } from '../../src/errors.js';
import { JournalWriteError } from '../../src/journal/db.js';
import { Journal, newRunId } from '../../src/journal/journal.js';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { createRedactor } from '../../src/transport/redact.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drbook-journal-'));
  file = path.join(dir, 'drbook.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('events', () => {
  it('streams a run as runEvents reads it, an old run upgraded the same way', () => {
    const j = Journal.open(file);
    const id = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: '/s.yaml' });
    // A run of the first version (no eventsVersion): its kill line is read as an intent.
    j.append(id, { type: 'run.started', at: 1, runId: id, site: 'lab', runbook: 'vsc', resumed: false });
    j.append(id, { type: 'command.started', at: 2, id: 'c1', host: 'h', command: 'esxcli vm process kill --type=soft --world-id=7' });
    j.append(id, { type: 'situation', at: 3, data: { relationship: { state: 'Broken-off' } } });
    const streamed = [...j.streamRunEvents(id)];
    expect(streamed).toEqual(j.runEvents(id));
    expect(streamed[1]).toMatchObject({ intent: { op: 'kill', type: 'soft', worldId: 7 } });
    j.close();
  });

  it("streams a run's commands (with each attempt's run.started) or all the rest: together, the run", () => {
    const j = Journal.open(file);
    const id = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: '/s.yaml' });
    j.append(id, { type: 'run.started', at: 1, runId: id, site: 'lab', runbook: 'vsc', resumed: false });
    j.append(id, { type: 'command.started', at: 2, id: 'c1', host: 'h', command: 'esxcli vm process kill --type=soft --world-id=7' });
    j.append(id, { type: 'note', at: 3, level: 'info', text: 'between' });
    j.append(id, {
      type: 'command.finished',
      at: 4,
      id: 'c1',
      host: 'h',
      exitCode: 0,
      signal: null,
      durationMs: 2,
      stdoutTail: '',
      stderrTail: '',
    });
    j.append(id, { type: 'run.started', at: 5, runId: id, site: 'lab', runbook: 'vsc', resumed: true });
    const all = [...j.streamRunEvents(id)];
    const commands = [...j.streamRunEvents(id, 'commands')];
    const others = [...j.streamRunEvents(id, 'others')];
    expect(commands.map((e) => e.type)).toEqual(['run.started', 'command.started', 'command.finished', 'run.started']);
    expect(others.map((e) => e.type)).toEqual(['run.started', 'note', 'run.started']);
    // Each part is upgraded as the whole is: the version-1 kill line is read as an intent here too.
    expect(commands[1]).toEqual(all[1]);
    expect(commands[1]).toMatchObject({ intent: { op: 'kill', worldId: 7 } });
    j.close();
  });
});

describe('runs', () => {
  it('creates, lists and updates runs with short sortable ids', () => {
    let t = Date.UTC(2026, 10, 22, 1, 42);
    const j = Journal.open(file, { now: () => t });
    const a = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: '/s.yaml', options: { confirm: 'svm2:vol2' } });
    t += 60_000;
    const b = j.createRun({ site: 'other', kind: 'drill', runbook: 'vsc', siteFile: '/o.yaml' });
    expect(a).toMatch(/^20261122-0142-[0-9a-f]{4}$/);
    expect(b).toMatch(/^20261122-0143-[0-9a-f]{4}$/);
    expect(j.getRun(a)).toEqual({
      id: a,
      site: 'lab',
      kind: 'failover',
      runbook: 'vsc',
      siteFile: '/s.yaml',
      options: { confirm: 'svm2:vol2' },
      status: 'active',
      createdAt: Date.UTC(2026, 10, 22, 1, 42),
      updatedAt: Date.UTC(2026, 10, 22, 1, 42),
    });
    expect(j.listRuns().map((r) => r.id)).toEqual([b, a]);
    expect(j.listRuns({ site: 'lab' }).map((r) => r.id)).toEqual([a]);
    t += 1000;
    j.setRunStatus(a, 'stopped');
    expect(j.getRun(a)?.status).toBe('stopped');
    expect(j.getRun(a)?.updatedAt).toBe(t);
    expect(() => j.setRunStatus('nope', 'done')).toThrow('no run nope');
    expect(j.getRun('nope')).toBeUndefined();
    j.close();
  });

  it('never hands out the same id twice within a minute', () => {
    const j = Journal.open(file, { now: () => 0 });
    const ids = new Set(Array.from({ length: 100 }, () => j.createRun({ site: 's', kind: 'drill', runbook: 'r', siteFile: 'f' })));
    expect(ids.size).toBe(100);
    j.close();
    expect(newRunId(new Date(Date.UTC(2026, 0, 2, 3, 4)))).toMatch(/^20260102-0304-[0-9a-f]{4}$/);
  });
});

describe('events', () => {
  it('keeps every event in order with its payload, across a reopen', () => {
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const other = j.createRun({ site: 'lab2', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const evs = [
      { type: 'step.state', at: 1, step: 'break', state: 'running' },
      { type: 'command.started', at: 2, host: 'esx1', line: "vim-cmd solo/registervm '/vmfs/volumes/ds2/a b/a b.vmx' 'a b'" },
      { type: 'command.finished', at: 3, host: 'esx1', exitCode: 0, stdout: '42\n' },
      { type: 'prompt.requested', at: 4, prompt: 'type the destination' },
      { type: 'prompt.answered', at: 5, by: 'alice', answer: 'svm2:vol2' },
      { type: 'note', at: 6, text: '日本語の名前, "quotes"\nnewline' },
    ];
    const seqs = evs.map((e, i) => {
      if (i === 2) j.append(other, { type: 'noise', at: 0 });
      return j.append(run, e);
    });
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    j.close();
    const again = Journal.open(file);
    expect(again.events(run)).toEqual(evs.map((event, i) => ({ seq: i + 1, event })));
    expect(again.events(run, 4).map((e) => e.seq)).toEqual([5, 6]);
    expect(again.events(other)).toEqual([{ seq: 1, event: { type: 'noise', at: 0 } }]);
    again.close();
  });

  it('refuses an event without a type or time, and an event of an unknown run', () => {
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    expect(() => j.append(run, { type: '', at: 1 })).toThrow('needs a type');
    expect(() => j.append(run, { type: 'x', at: Number.NaN })).toThrow('numeric time');
    expect(() => j.append('nope', { type: 'x', at: 1 })).toThrow(/FOREIGN KEY/);
    j.close();
  });

  it('an event is on disk when append returns: a process killed right after keeps it', () => {
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    j.close();
    const journalJs = path.join(root, 'dist/journal/journal.js');
    const script = `
      const { Journal } = await import(${JSON.stringify(journalJs)});
      const j = Journal.open(${JSON.stringify(file)});
      for (let i = 0; i < 50; i++) j.append(${JSON.stringify(run)}, { type: 'command.started', at: i, i });
      process.kill(process.pid, 'SIGKILL');
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const again = Journal.open(file);
    expect(again.events(run).map((e) => e.event.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    again.close();
  });
});

describe('events queued for one commit (enqueue)', () => {
  const stored = (runId: string): number[] => {
    // A second connection sees only what is committed.
    const db = new (loadSqlite())(file, { readonly: true });
    try {
      return (db.prepare('SELECT seq FROM events WHERE run_id = ? ORDER BY seq').all(runId) as { seq: number }[]).map((r) => r.seq);
    } finally {
      db.close();
    }
  };

  it('commits the events of one turn of the event loop together, in order, and before anything else the journal does', async () => {
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const commits = [0, 1, 2].map((i) => j.enqueue(run, { type: 'note', at: i, i }));
    expect(new Set(commits).size).toBe(1);
    expect(stored(run)).toEqual([]);
    await j.durable();
    expect(stored(run)).toEqual([1, 2, 3]);

    void j.enqueue(run, { type: 'note', at: 3, i: 3 });
    void j.enqueue(run, { type: 'note', at: 4, i: 4 });
    expect(j.append(run, { type: 'note', at: 5, i: 5 })).toBe(6);
    expect(j.events(run).map((e) => e.event['i'])).toEqual([0, 1, 2, 3, 4, 5]);
    await expect(j.durable()).resolves.toBeUndefined();
    expect(() => j.enqueue(run, { type: '', at: 1 })).toThrow('needs a type');
    j.close();
  });

  it('after a burst failed, no later burst is committed: the journal has no hole', async () => {
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    await j.enqueue(run, { type: 'note', at: 0 });
    j.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'boom' BEGIN SELECT RAISE(FAIL, 'no room'); END`);
    const lost = j.enqueue(run, { type: 'note', at: 1 });
    void j.enqueue(run, { type: 'boom', at: 2 });
    await expect(lost).rejects.toThrow('no room');
    await expect(j.enqueue(run, { type: 'note', at: 3 })).rejects.toThrow('no room');
    void j.enqueue(run, { type: 'note', at: 4 });
    expect(() => j.flush()).toThrow('no room');
    expect(stored(run)).toEqual([1]);
    j.close();
  });

  it('a commit that fails rejects its promise with JournalWriteError and keeps everything committed before', async () => {
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    await j.enqueue(run, { type: 'note', at: 0 });
    j.db.pragma(`max_page_count = ${j.db.pragma('page_count', { simple: true }) as number}`);
    const big = 'x'.repeat(2000);
    const commit = j.enqueue(run, { type: 'note', at: 1, text: big });
    for (let i = 0; i < 500; i++) void j.enqueue(run, { type: 'note', at: 2 + i, text: big });
    const failure = await commit.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(JournalWriteError);
    expect((failure as JournalWriteError).reason).toBe('full');
    expect(stored(run)).toEqual([1]);
    j.close();
  });
});

describe('site lock', () => {
  const me = { pid: process.pid, hostname: osHostname(), kind: 'failover' as const };

  it('refuses a second run while the holder lives, naming it', () => {
    const t = Date.UTC(2026, 10, 22, 1, 42);
    const j = Journal.open(file, { now: () => t });
    const a = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const b = j.createRun({ site: 'lab', kind: 'drill', runbook: 'vsc', siteFile: 's' });
    expect(j.acquireLock('lab', a, me)).toEqual({ takenOver: null });
    // The same run in the same process may ask again.
    expect(j.acquireLock('lab', a, me)).toEqual({ takenOver: null });
    let err: unknown;
    try {
      j.acquireLock('lab', b, { ...me, kind: 'drill' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as Error).message).toBe(
      `site lab is held by failover run ${a} (pid ${process.pid} on host ${osHostname()}, since 2026-11-22 01:42 UTC)`,
    );
    expect((err as OperatorError).hint).toBe('wait for it, or stop it; drbook runs shows it');
    expect(j.lockHolder('lab')?.runId).toBe(a);
    // Another site is independent.
    expect(j.acquireLock('lab2', b, me)).toEqual({ takenOver: null });
    // Release by a run that does not hold it does nothing; by the holder frees it.
    expect(j.releaseLock('lab', b)).toBe(false);
    expect(j.releaseLock('lab', a)).toBe(true);
    expect(j.lockHolder('lab')).toBeUndefined();
    expect(j.acquireLock('lab', b, me)).toEqual({ takenOver: null });
    j.close();
  });

  it('takes over the lock of a holder whose process is gone, and says so', () => {
    const j = Journal.open(file);
    const a = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const b = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const dead = deadPid();
    j.acquireLock('lab', a, { ...me, pid: dead });
    const got = j.acquireLock('lab', b, me);
    expect(got.takenOver).toMatchObject({ site: 'lab', runId: a, pid: dead, hostname: osHostname(), kind: 'failover' });
    expect(j.lockHolder('lab')).toMatchObject({ runId: b, pid: process.pid });
    j.close();
  });

  it('a holder on another host is assumed alive unless forced', () => {
    const j = Journal.open(file);
    const a = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const b = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    j.acquireLock('lab', a, { ...me, hostname: 'elsewhere', pid: deadPid() });
    expect(() => j.acquireLock('lab', b, me)).toThrow(/held by failover run .* on host elsewhere/);
    expect(j.acquireLock('lab', b, { ...me, force: true }).takenOver?.runId).toBe(a);
    j.close();
  });

  it('a resumed run in a new process takes its own stale lock back', () => {
    const j = Journal.open(file);
    const a = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    j.acquireLock('lab', a, { ...me, pid: deadPid() });
    expect(j.acquireLock('lab', a, me).takenOver?.runId).toBe(a);
    j.close();
  });

  it('is held across processes: another drbook on the same database is refused', () => {
    const j = Journal.open(file);
    const a = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    j.acquireLock('lab', a, me);
    const journalJs = path.join(root, 'dist/journal/journal.js');
    const script = `
      const os = await import('node:os');
      const { Journal } = await import(${JSON.stringify(journalJs)});
      const j = Journal.open(${JSON.stringify(file)});
      const b = j.createRun({ site: 'lab', kind: 'drill', runbook: 'vsc', siteFile: 's' });
      try { j.acquireLock('lab', b, { pid: process.pid, hostname: os.hostname(), kind: 'drill' }); console.log('ACQUIRED'); }
      catch (e) { console.log(e.name + ': ' + e.message); }
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).toContain(`OperatorError: site lab is held by failover run ${a} (pid ${process.pid}`);
    j.close();
  });
});

describe('secrets', () => {
  it('a password redacted by the transport never reaches the database files', () => {
    const password = 'Sup3r-S3cret-Pa55word!';
    const redactor = createRedactor();
    redactor.add(password);
    const j = Journal.open(file);
    const run = j.createRun({ site: 'lab', kind: 'failover', runbook: 'vsc', siteFile: 's' });
    const raw = `ssh: login root:${password}@esx1 failed; retry with ${password}`;
    j.append(run, { type: 'command.finished', at: 1, stderr: redactor.redact(raw) });
    j.append(run, { type: 'note', at: 2, text: redactor.redact(`password=${password}`) });
    expect(j.events(run)[0]?.event.stderr).toBe('ssh: login root:***@esx1 failed; retry with ***');
    j.close();
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, f));
      expect(bytes.includes(Buffer.from(password)), f).toBe(false);
      expect(bytes.includes(Buffer.from(password, 'utf16le')), f).toBe(false);
    }
  });
});
