/**
 * Issue 11 §4: bad files. A truncated or invalid site file, a database of a newer schema, a
 * journal held by another live drbook, and a full disk while the journal is written. Every one
 * ends in one clear line and a safe state, through the real CLI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/journal/db.js';
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

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

let root: string;
let template: Template;

beforeAll(async () => {
  root = tempDir('drbook-badfiles-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 6, seed: 3 });
}, 120_000);

afterAll(() => {
  if (root && !process.env['DRBOOK_KEEP']) rmSync(root, { recursive: true, force: true });
  else if (root) console.error(`kept ${root}`);
});

/** stderr is exactly one line (the CLI's "drbook: … — what to do"). */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('a truncated or invalid site file', () => {
  const site = () => readFileSync(path.join(template.dir, 'site.yaml'), 'utf8');

  it('truncated in the middle of the hosts: exit 2, one line naming the file, the line and the field', async () => {
    const text = site();
    const cut = text.indexOf('address', text.indexOf('- name: esx02'));
    const file = path.join(root, 'truncated.yaml');
    writeFileSync(file, text.slice(0, cut));
    for (const args of [
      ['failover', '--site', file, '--plain', '--confirm', MIRROR_PATH],
      ['capture', '--site', file],
    ]) {
      const r = await runCli([...args, '--db', path.join(root, 'unused.db')], { env: cliEnv() });
      expect(r.code, r.stderr).toBe(2);
      const line = oneLine(r.stderr);
      expect(line).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: site field esxi\\.hosts\\.1\\.address`));
      expect(line).toMatch(/fix esxi\.hosts\.1\.address/);
    }
  });

  it('a value of the wrong type: the field and its line', async () => {
    const text = site();
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s+port: \d+/.test(l));
    lines[at] = lines[at]!.replace(/port: \d+/, 'port: twenty-two');
    const file = path.join(root, 'badport.yaml');
    writeFileSync(file, lines.join('\n'));
    const r = await runCli(['failover', '--site', file, '--db', path.join(root, 'unused.db'), '--plain', '--confirm', MIRROR_PATH], {
      env: cliEnv(),
    });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`${file}:${at + 1}: site field esxi.hosts.0.port`);
  });

  it('not YAML at all (cut inside a flow collection): the line where it breaks', async () => {
    const file = path.join(root, 'broken.yaml');
    writeFileSync(file, 'site: lab\nesxi:\n  user: root\n  hosts: [ { name: esx01, port: 22\n');
    const r = await runCli(['capture', '--site', file, '--db', path.join(root, 'unused.db')], { env: cliEnv() });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`broken\\.yaml:\\d+: not valid YAML`));
  });
});

describe('a database written by a newer drbook', () => {
  it('is refused by every command with both schema versions, and left untouched', async () => {
    const db = path.join(root, 'newer.db');
    const d = new Database(db);
    d.exec('CREATE TABLE future (x)');
    d.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    d.close();
    const before = readFileSync(db);
    const site = path.join(template.dir, 'site.yaml');
    for (const args of [
      ['runs'],
      ['resume', '--plain'],
      ['failover', '--site', site, '--plain', '--confirm', MIRROR_PATH],
      ['capture', '--site', site],
    ]) {
      const r = await runCli([...args, '--db', db], { env: cliEnv() });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      const line = oneLine(r.stderr);
      expect(line).toContain(`schema ${SCHEMA_VERSION + 3}`);
      expect(line).toContain(`up to ${SCHEMA_VERSION}`);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('a journal held by another live drbook', () => {
  it('is refused naming the holder (run, pid, host); once the holder is gone, resume takes over and finishes', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'held'));
    const db = path.join(dir, 'drbook.db');
    // A slow host keeps the first drbook busy (and alive) long enough to be caught holding the site.
    let lab = await startCase(dir, { faults: { vms: {}, hosts: { esx01: { slowMs: 1500 } } } });
    try {
      let runId = '';
      let first: ChildProcess | undefined;
      const firstDone = runCli(['failover', '--site', lab.siteFile, '--db', db, '--json', '--confirm', MIRROR_PATH, '--ack-manual'], {
        env: cliEnv(),
        timeoutMs: 180_000,
        onLine: (line, child) => {
          const e = JSON.parse(line) as { type: string; runId?: string };
          if (e.type === 'run.started' && !runId) {
            runId = e.runId!;
            first = child;
          }
        },
      });
      await waitUntil(() => runId !== '');
      for (const args of [
        ['failover', '--site', lab.siteFile, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'],
        ['resume', runId, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'],
      ]) {
        const r = await runCli([...args, '--db', db], { env: cliEnv(), timeoutMs: 60_000 });
        expect(r.code, r.stderr + r.stdout).toBe(2);
        const line = oneLine(r.stderr);
        expect(line).toContain(`site lab is held by failover run ${runId} (pid ${first!.pid} on host ${os.hostname()}`);
        expect(line).toMatch(/wait for it, or stop it/);
      }
      first!.kill('SIGKILL');
      expect((await firstDone).signal).toBe('SIGKILL');
      await lab.stop();
      lab = await startCase(dir, { faults: { vms: {}, hosts: {} } });
      const r = await runCli(['resume', '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'], {
        env: cliEnv(),
        timeoutMs: 120_000,
      });
      expect(r.code, r.stderr).toBe(0);
      // The same run continues: its dead holder's lock is taken over, never a new run started.
      expect(r.stdout).toContain(`run ${runId}: vsc-snapmirror-failover on site lab (resumed)`);
      expect(r.stdout).toContain(`drbook: run ${runId} done.`);
    } finally {
      await lab.stop();
    }
  }, 240_000);
});

async function waitUntil(cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Can this process mount a tmpfs in a private mount namespace (root, or user namespaces)? */
function canMountTmpfs(): boolean {
  if (os.platform() !== 'linux') return false;
  const r = spawnSync(
    'unshare',
    ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d" && rmdir "$d"'],
    { stdio: 'ignore' },
  );
  return r.status === 0;
}

describe('a full disk while the journal is written', () => {
  const mountable = canMountTmpfs();

  it.skipIf(!mountable)(
    'stops safely (exit non-zero, one message), keeps every event written before, and resume finishes once space is freed',
    async () => {
      const dir = cloneTemplate(template.dir, path.join(root, 'full'));
      const out = path.join(dir, 'out');
      mkdirSync(path.join(out, 'full'), { recursive: true });
      mkdirSync(path.join(out, 'final'), { recursive: true });
      const mnt = path.join(dir, 'mnt');
      mkdirSync(mnt);
      const lab = await startCase(dir);
      const before = lab.status();
      try {
        // The database lives on a tmpfs just larger than it: the WAL fills the rest mid-run.
        const size = Math.ceil(statSync(path.join(dir, 'drbook.db')).size / 4096) * 4096 + 160 * 1024;
        const flags = `--plain --confirm ${MIRROR_PATH} --ack-manual --report-dir ${out}/reports`;
        const script = [
          'set -u',
          `mount -t tmpfs -o size=${size} tmpfs ${mnt} || exit 90`,
          `cp ${dir}/drbook.db ${mnt}/drbook.db || exit 91`,
          `"${process.execPath}" ${CLI} failover --site ${lab.siteFile} --db ${mnt}/drbook.db ${flags} > ${out}/1.out 2> ${out}/1.err; echo $? > ${out}/1.rc`,
          `cp ${mnt}/drbook.db* ${out}/full/`,
          // Free space: the same mount, grown.
          `mount -o remount,size=64m ${mnt} || exit 92`,
          `"${process.execPath}" ${CLI} resume --db ${mnt}/drbook.db ${flags} > ${out}/2.out 2> ${out}/2.err; echo $? > ${out}/2.rc`,
          `cp ${mnt}/drbook.db* ${out}/final/`,
        ].join('\n');
        await new Promise<void>((resolve, reject) => {
          const child = spawn('unshare', ['-m', 'sh', '-c', script], { env: cliEnv(), stdio: 'ignore' });
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the tmpfs script exited ${code}`))));
        });
        const rc1 = Number(readFileSync(path.join(out, '1.rc'), 'utf8'));
        const said1 = readFileSync(path.join(out, '1.out'), 'utf8') + readFileSync(path.join(out, '1.err'), 'utf8');
        expect(rc1, said1).not.toBe(0);
        expect(said1).toMatch(
          /cannot write the journal .*drbook\.db: the disk \(or the database size limit\) is full \(SQLITE_FULL\); everything recorded before this is kept/,
        );
        expect(said1).toContain('free disk space, then `drbook resume` continues the run');

        // What was on the full disk: readable, in order, no hole, the run not marked finished.
        const full = new Database(path.join(out, 'full', 'drbook.db'), { readonly: true });
        const runs = full.prepare('SELECT id, status FROM runs').all() as { id: string; status: string }[];
        const rows = full.prepare('SELECT seq, payload FROM events WHERE run_id = ? ORDER BY seq').all(runs[0]!.id) as {
          seq: number;
          payload: string;
        }[];
        full.close();
        expect(runs).toHaveLength(1);
        expect(runs[0]!.status).not.toBe('done');
        expect(rows.length).toBeGreaterThan(10);
        rows.forEach((r, i) => expect(r.seq).toBe(i + 1));
        for (const r of rows) expect(() => JSON.parse(r.payload)).not.toThrow();
        expect((JSON.parse(rows[0]!.payload) as { type: string }).type).toBe('run.started');

        // Space freed: resume finishes the same run, everything back, nothing applied twice.
        const rc2 = Number(readFileSync(path.join(out, '2.rc'), 'utf8'));
        expect(rc2, readFileSync(path.join(out, '2.out'), 'utf8') + readFileSync(path.join(out, '2.err'), 'utf8')).toBe(0);
        const final = new Database(path.join(out, 'final', 'drbook.db'), { readonly: true });
        const finalRuns = final.prepare('SELECT id, status FROM runs').all() as { id: string; status: string }[];
        const kept = final
          .prepare('SELECT seq, payload FROM events WHERE run_id = ? AND seq <= ? ORDER BY seq')
          .all(runs[0]!.id, rows.length) as { seq: number; payload: string }[];
        final.close();
        expect(finalRuns).toEqual([{ id: runs[0]!.id, status: 'done' }]);
        expect(kept).toEqual(rows);
        const s = lab.status();
        for (const v of s.vms) {
          expect(v.datastore, v.name).toBe('ds_vm1_mirror');
          expect(v.power, v.name).toBe('on');
          const q = template.quiesced[v.name];
          if (q != null) expect(v.bootMarker, v.name).toBe(q);
        }
        expect(s.lockdown).toEqual(before.lockdown);
        expect(appliedTwice(actionsSince(before, s))).toEqual([]);
        expect(existsSync(path.join(out, 'reports')) ? readdirSync(path.join(out, 'reports')).length : 0).toBeGreaterThan(0);
      } finally {
        await lab.stop();
        spawnSync('umount', [mnt], { stdio: 'ignore' });
      }
    },
    240_000,
  );
});
