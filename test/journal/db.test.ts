import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalWriteError, SCHEMA_VERSION, openDatabase } from '../../src/journal/db.js';
import { MIGRATIONS } from '../../src/journal/migrations.js';
import { Journal } from '../../src/journal/journal.js';
import { OperatorError } from '../../src/errors.js';

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drbook-db-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (f: string): number => statSync(f).mode & 0o777;

describe('openDatabase', () => {
  it('creates the folder and a 0600 file in WAL mode with synchronous=FULL and foreign keys', () => {
    const file = path.join(dir, 'nested', 'inventory', 'drbook.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Write something so the -wal and -shm files exist, then check every file's mode.
    const j = new Journal(db);
    j.createRun({ site: 'lab', kind: 'failover', runbook: 'rb', siteFile: 'site.yaml' });
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(f), f).toBe(true);
      expect(mode(f), f).toBe(0o600);
    }
    db.close();
  });

  it('tightens the mode of an existing database file to 0600', () => {
    const file = path.join(dir, 'drbook.db');
    writeFileSync(file, '', { mode: 0o644 });
    openDatabase(file).close();
    expect(mode(file)).toBe(0o600);
  });

  it('migrates an older database step by step and keeps its data', () => {
    const file = path.join(dir, 'drbook.db');
    const db = openDatabase(file);
    const j = new Journal(db);
    const id = j.createRun({ site: 'lab', kind: 'drill', runbook: 'rb', siteFile: 's.yaml' });
    db.close();
    // Roll the version back to 1 and drop the tables of migration 2: reopening must re-apply 2 only.
    const raw = new Database(file);
    raw.exec('DROP TRIGGER captures_immutable_update; DROP TRIGGER captures_immutable_delete;');
    raw.exec('DROP TRIGGER capture_vms_immutable_update; DROP TRIGGER capture_vms_immutable_delete;');
    raw.exec('DROP TABLE capture_vms; DROP TABLE captures;');
    raw.pragma('user_version = 1');
    raw.close();
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(new Journal(again).getRun(id)?.kind).toBe('drill');
    expect(again.prepare("SELECT name FROM sqlite_master WHERE name = 'captures'").get()).toBeDefined();
    again.close();
  });

  it('migration 4: an aborted run that never acted becomes refused; the others, their events and the foreign keys stay', () => {
    const file = path.join(dir, 'drbook.db');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    for (const sql of MIGRATIONS.slice(0, 3)) raw.exec(sql);
    raw.pragma('user_version = 3');
    const run = raw.prepare(
      "INSERT INTO runs (id, site, kind, runbook, site_file, status, created_at, updated_at) VALUES (?, 'lab', ?, 'rb', 's.yaml', ?, 1, 1)",
    );
    run.run('never-acted', 'failover', 'aborted');
    run.run('drill-gone', 'drill', 'aborted');
    run.run('finished', 'failover', 'done');
    const ev = raw.prepare("INSERT INTO events (run_id, seq, type, at, payload) VALUES (?, 1, 'run.started', 1, '{}')");
    ev.run('drill-gone');
    ev.run('finished');
    raw.close();

    const db = openDatabase(file);
    const j = new Journal(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(j.getRun('never-acted')?.status).toBe('refused');
    expect(j.getRun('drill-gone')?.status).toBe('aborted');
    expect(j.getRun('finished')?.status).toBe('done');
    expect(j.events('finished')).toHaveLength(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare("INSERT INTO events (run_id, seq, type, at, payload) VALUES ('no-such-run', 1, 'x', 1, '{}')").run()).toThrow(
      /FOREIGN KEY/,
    );
    j.setRunStatus('finished', 'refused');
    expect(j.getRun('finished')?.status).toBe('refused');
    db.close();
  });

  it('refuses a database from a newer drbook, naming both schema numbers', () => {
    const file = path.join(dir, 'drbook.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const open = (): unknown => openDatabase(file);
    expect(open).toThrow(OperatorError);
    expect(open).toThrow(`${file} has schema ${SCHEMA_VERSION + 5}; this drbook knows up to ${SCHEMA_VERSION}`);
    // Also read-only.
    expect(() => openDatabase(file, { readonly: true })).toThrow(`has schema ${SCHEMA_VERSION + 5}`);
    // And it was not touched.
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    check.close();
  });

  it('names a file that is not a database', () => {
    const file = path.join(dir, 'drbook.db');
    writeFileSync(file, 'this is not sqlite at all, just some text that is long enough '.repeat(40));
    const open = (): unknown => openDatabase(file);
    expect(open).toThrow(OperatorError);
    expect(open).toThrow(`${file} is not a drbook database or is damaged`);
  });

  it('read-only: a missing database is an operator error, not a new file', () => {
    const file = path.join(dir, 'none.db');
    expect(() => openDatabase(file, { readonly: true })).toThrow(`no drbook database at ${file}`);
    expect(existsSync(file)).toBe(false);
  });
});

describe('a full disk while writing', () => {
  it('throws JournalWriteError(full) and keeps everything written before', () => {
    const file = path.join(dir, 'drbook.db');
    const j = Journal.open(file);
    const runId = j.createRun({ site: 'lab', kind: 'failover', runbook: 'rb', siteFile: 's.yaml' });
    // Cap the database at its current size: the next page it needs cannot be had (SQLITE_FULL).
    const pages = j.db.pragma('page_count', { simple: true }) as number;
    j.db.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(2000);
    const written: number[] = [];
    let failure: unknown;
    for (let i = 0; i < 1000 && !failure; i++) {
      try {
        written.push(j.append(runId, { type: 'note', at: 1000 + i, text: big, i }));
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(JournalWriteError);
    expect((failure as JournalWriteError).reason).toBe('full');
    expect((failure as JournalWriteError).sqliteCode).toBe('SQLITE_FULL');
    expect((failure as Error).message).toContain(file);
    j.close();

    const again = Journal.open(file);
    const events = again.events(runId);
    expect(events.map((e) => e.seq)).toEqual(written);
    expect(events.map((e) => e.event.i)).toEqual(written.map((_, i) => i));
    // And with room again, the journal carries on where it was.
    expect(again.append(runId, { type: 'note', at: 5000 })).toBe(written.length + 1);
    again.close();
  });
});
