/**
 * Issue 15 items 8 and 9, on the lab through the real CLI: a site whose password is a word the
 * devices print (`Idle`) or a digit (`0`) still fails over, and the password reaches neither
 * stdout, the JSON report nor the events table; callouts never see the password variable, and what
 * they print is redacted like device output; a VM with a newline in its display name is a finding
 * and the other VMs of its host come back; a read-only database is read by read commands and
 * refused, in one line, by write commands.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../src/lab/lab.js';
import { CLI, cliEnv, runCli } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  cloneTemplate,
  patchSite,
  prepareTemplate,
  quickTimeouts,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

let root: string;
let template: Template;

beforeAll(async () => {
  root = tempDir('drbook-mistakes-secrets-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 8, seed: 11 });
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Where `secret` is visible in `text`: anywhere (4+ characters), or as a word of its own (shorter). */
function visible(secret: string, text: string): boolean {
  if (secret.length >= 4) return text.includes(secret);
  const d = String.raw`\s"'\x60()\[\]{}<>,;=|`;
  return new RegExp(`(?<![^${d}])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[${d}]|[.!?](?:$|\\s))`, 'u').test(text);
}

const PW_VAR = 'DRBOOK_TEST_SITE_PASSWORD';

describe.each(['Idle', '0'])('a site whose password is %j', (password) => {
  let dir: string;
  let stdout = '';
  let stderr = '';
  let code: number | null = null;
  let events: unknown[] = [];
  let report: unknown;
  let after: ReturnType<Awaited<ReturnType<typeof startCase>>['status']>;

  beforeAll(async () => {
    // The case folder's name must not spell the password: the report path is printed.
    dir = cloneTemplate(template.dir, path.join(root, `password-${password.length}`));
    // A callout that tells what it sees of the environment, and one that prints the password it
    // read from a file (as a badly written script might): drbook must redact both.
    const envReport = path.join(dir, 'callout-env.json');
    const secretFile = path.join(dir, 'secret.txt');
    writeFileSync(secretFile, `the password is ${password}\n`);
    const lab = await startCase(dir, { password }, (site) => {
      quickTimeouts(site);
      const auth = { method: 'password', passwordEnv: PW_VAR };
      (site['esxi'] as Record<string, unknown>)['auth'] = auth;
      (site['ontap'] as Record<string, unknown>)['auth'] = auth;
      site['callouts'] = [
        {
          name: 'env-report',
          at: 'before-break',
          run: [
            process.execPath,
            '-e',
            `require('fs').writeFileSync(${JSON.stringify(envReport)}, JSON.stringify(process.env)); console.log('saw ${PW_VAR}:', process.env.${PW_VAR} === undefined ? 'no' : 'yes')`,
          ],
          env: ['DRBOOK_TEST_ALLOWED'],
        },
        {
          name: 'leaky',
          at: 'end',
          run: [process.execPath, '-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(secretFile)}, 'utf8'))`],
        },
      ];
    });
    try {
      // The lab logs in by key too: take the key away so only the password can open the devices.
      rmSync(path.join(dir, 'id_ed25519'));
      const db = path.join(dir, 'drbook.db');
      const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'], {
        env: cliEnv({ [PW_VAR]: password, DRBOOK_TEST_ALLOWED: 'passed-on', DRBOOK_TEST_NOT_ALLOWED: 'kept-back' }),
        timeoutMs: 180_000,
      });
      ({ stdout, stderr, code } = r);
      after = lab.status();
      const conn = new Database(db, { readonly: true });
      try {
        events = (conn.prepare('SELECT payload FROM events').all() as { payload: string }[]).map((e) => JSON.parse(e.payload) as unknown);
      } finally {
        conn.close();
      }
      const reports = path.join(dir, 'reports');
      const json = readdirSync(reports).find((f) => f.endsWith('.json'))!;
      report = JSON.parse(readFileSync(path.join(reports, json), 'utf8'));
    } finally {
      await lab.stop();
    }
  }, 240_000);

  it('fails over correctly: the parsers read the devices as they are', () => {
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(after.mirror.state).toBe('Broken-off');
    const live = after.vms.filter((v) => !v.stale);
    expect(live.map((v) => v.name).sort()).toEqual(template.before.vms.map((v) => v.name).sort());
    for (const v of live) expect(v.datastore, v.name).toBe('ds_vm1_mirror');
  });

  it('the password is in no stdout or stderr line, no string of the JSON report, no event', () => {
    expect(stdout.split('\n').filter((l) => visible(password, l))).toEqual([]);
    expect(stderr.split('\n').filter((l) => visible(password, l))).toEqual([]);
    expect(strings(report).filter((s) => visible(password, s))).toEqual([]);
    expect(strings(events).filter((s) => visible(password, s))).toEqual([]);
    // Redacted, not dropped: the callout's line is there, blanked.
    expect(strings(events).some((s) => /callout leaky: exit \*\*\*|callout leaky: exit 0: the password is \*\*\*/.test(s))).toBe(true);
  });

  it('callouts get the allowed variables and the run facts, never the password variable', () => {
    const seen = JSON.parse(readFileSync(path.join(dir, 'callout-env.json'), 'utf8')) as Record<string, string>;
    expect(seen).not.toHaveProperty(PW_VAR);
    expect(seen).not.toHaveProperty('DRBOOK_TEST_NOT_ALLOWED');
    expect(seen['DRBOOK_TEST_ALLOWED']).toBe('passed-on');
    expect(seen['DRBOOK_SITE']).toBe('lab');
    expect(seen['DRBOOK_POINT']).toBe('before-break');
    expect(seen['DRBOOK_RUN_ID']).toMatch(/\S/);
    expect(Object.values(seen)).not.toContain(password === '0' ? 'never-matches' : password);
    expect(strings(events).some((s) => s.includes(`saw ${PW_VAR}: no`))).toBe(true);
  });
});

describe('a VM with a newline in its display name', () => {
  it('is a finding at capture; its host is read, and the other VMs of that host recover', async () => {
    const dir = path.join(root, 'newline');
    const lab = await startLab({ dir, hosts: 2, vms: 8, seed: 11 });
    try {
      patchSite(lab.siteFile, quickTimeouts);
      const host = lab.state.hosts[0]!;
      const victim = host.registrations.find((r) => r.name !== 'vcenter01')!;
      const original = victim.name;
      victim.name = `${original}\nrm -rf /`;
      await lab.backup();
      const db = path.join(dir, 'drbook.db');
      const cap = await runCli(['capture', '--site', lab.siteFile, '--db', db, '--json'], { env: cliEnv(), timeoutMs: 60_000 });
      expect(cap.code, cap.stderr).toBe(3);
      const findings = (JSON.parse(cap.stdout) as { findings: { code: string; vm?: string; host?: string }[]; unreachableHosts: number })
        .findings;
      expect(findings.filter((f) => f.code === 'host-unreachable')).toEqual([]);
      expect(findings.find((f) => f.code === 'name-control-character')).toMatchObject({ vm: victim.name, host: host.name });
      const others = host.registrations.filter((r) => r !== victim).map((r) => ({ name: r.name, power: r.power }));
      expect(others.length).toBeGreaterThan(0);

      await lab.disaster();
      // The renamed VM was a priority-group member: its recorded name no longer matches the group's.
      const f = await runCli(
        ['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual', '--ack-unknown-priority'],
        {
          env: cliEnv(),
          timeoutMs: 180_000,
        },
      );
      const status = lab.status();
      for (const o of others) {
        const back = status.vms.find((v) => v.name === o.name && !v.stale);
        expect(back, `${o.name}\n${f.stdout}\n${f.stderr}`).toBeDefined();
        expect(back!.datastore).toBe('ds_vm1_mirror');
        expect(back!.power).toBe(o.power);
      }
    } finally {
      await lab.stop();
    }
  }, 300_000);
});

/** Runs `script` in a private mount namespace where `dir` is mounted read-only (root or user namespaces). */
function readOnlyMountWorks(): boolean {
  const r = spawnSync(
    'unshare',
    ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount --bind "$d" "$d" && mount -o remount,ro,bind "$d" && umount "$d" && rmdir "$d"'],
    { stdio: 'ignore' },
  );
  return r.status === 0;
}

describe('a read-only database', () => {
  it.skipIf(!readOnlyMountWorks())('read commands read it; write commands say it is read-only, never "start a new one"', () => {
    const dir = path.join(root, 'readonly');
    cpSync(template.dir, dir, { recursive: true });
    const db = path.join(dir, 'drbook.db');
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const cli = (args: string[]) => `${q(process.execPath)} ${q(CLI)} ${args.map(q).join(' ')}`;
    const script = [
      `mount --bind ${q(dir)} ${q(dir)} && mount -o remount,ro,bind ${q(dir)} || exit 90`,
      `${cli(['inventory', 'show', '--db', db])} > ${q(`${root}/ro-show.out`)} 2>&1; echo "show $?" >> ${q(`${root}/ro-codes`)}`,
      `${cli(['runs', '--db', db])} > ${q(`${root}/ro-runs.out`)} 2>&1; echo "runs $?" >> ${q(`${root}/ro-codes`)}`,
      `${cli(['capture', '--site', path.join(dir, 'site.yaml'), '--db', db])} > ${q(`${root}/ro-capture.out`)} 2>&1; echo "capture $?" >> ${q(`${root}/ro-codes`)}`,
    ].join('\n');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { env: cliEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const codes = readFileSync(path.join(root, 'ro-codes'), 'utf8');
    expect(codes).toContain('show 0');
    expect(codes).toContain('runs 0');
    expect(codes).toContain('capture 2');
    expect(readFileSync(path.join(root, 'ro-show.out'), 'utf8')).toMatch(/capture \S+ of site lab/);
    const refused = readFileSync(path.join(root, 'ro-capture.out'), 'utf8').trim();
    expect(refused.split('\n')).toHaveLength(1);
    expect(refused).toMatch(/drbook\.db is read-only \(EROFS\) and this command writes to it — make it writable/);
    expect(refused).not.toMatch(/starts a new one/);
  });
});
