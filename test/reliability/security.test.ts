/**
 * Issue 11 §5 and §6: secrets never leave drbook's memory, and host keys are pinned.
 *
 * Secrets: the lab logs in by key only, so the failover runs with the lab's client key encrypted
 * under a passphrase (passphraseEnv); a password login goes to an in-process SSH server. Every
 * output is scanned for the secret: stdout/stderr, the database bytes (with its WAL), journal
 * events, reports, YAML/CSV exports, error messages, and the running drbook's /proc/PID/cmdline.
 * Host keys: an unknown key is refused in a non-interactive run, a changed key always, each with
 * one line naming the host and what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/lab/server.js';
import { cliEnv, runCli, type CliResult } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, cloneTemplate, prepareTemplate, quickTimeouts, startCase, tempDir, type Template } from '../helpers/lab-fixture.js';
import { respond, startSshServer } from '../helpers/ssh-server.js';

let root: string;
let template: Template;

beforeAll(async () => {
  root = tempDir('drbook-security-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 6, seed: 5, noCapture: true, noDisaster: true });
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}

/** Where the secret shows up, in any of the encodings a leak would take. */
function leaks(secret: string, where: Record<string, Buffer | string>): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64')];
  const out: string[] = [];
  for (const [name, content] of Object.entries(where)) {
    const buf = typeof content === 'string' ? Buffer.from(content) : content;
    for (const f of forms)
      if (buf.includes(Buffer.from(f))) out.push(`${name} contains ${f === secret ? 'the secret' : `an encoding of it (${f})`}`);
  }
  return out;
}

const SECRET = 'Pw-5ecret-DRBOOK-\u00e9t\u00e9-7f3a91';

describe('secrets', () => {
  it('a passphrase-protected key through capture, failover and report: the passphrase is nowhere, files are 0600', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'passphrase'));
    const db = path.join(dir, 'drbook.db');
    // The lab's client key, encrypted under the secret (same key pair, so the lab accepts it).
    execFileSync('cp', [path.join(dir, 'id_ed25519'), path.join(dir, 'id_enc')]);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', SECRET, '-f', path.join(dir, 'id_enc')]);
    expect(readFileSync(path.join(dir, 'id_enc'), 'utf8')).not.toContain(SECRET);
    const lab = await startCase(dir, {}, (site) => {
      quickTimeouts(site);
      const auth = { method: 'key', keyFile: 'id_enc', passphraseEnv: 'DRBOOK_TEST_PASSPHRASE' };
      (site['esxi'] as Record<string, unknown>)['auth'] = auth;
      (site['ontap'] as Record<string, unknown>)['auth'] = auth;
    });
    const outputs: Record<string, Buffer | string> = {};
    const cmdlines: string[] = [];
    const env = cliEnv({ DRBOOK_TEST_PASSPHRASE: SECRET });
    const run = async (name: string, args: string[], ok: number[] = [0]): Promise<CliResult> => {
      const r = await runCli(args, {
        env,
        timeoutMs: 120_000,
        onSpawn: (child) => {
          // The arguments of the running drbook, as `ps` shows them to every user.
          try {
            cmdlines.push(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'));
          } catch {
            // already gone
          }
        },
      });
      outputs[`${name} stdout`] = r.stdout;
      outputs[`${name} stderr`] = r.stderr;
      expect(ok, `${name}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
      return r;
    };
    try {
      await run('capture', ['capture', '--site', lab.siteFile, '--db', db], [0, 3]);
      await lab.disaster();
      const f = await run('failover', [
        'failover',
        '--site',
        lab.siteFile,
        '--db',
        db,
        '--plain',
        '--confirm',
        MIRROR_PATH,
        '--ack-manual',
      ]);
      const runId = /run (\S+) done/.exec(f.stdout)![1]!;
      await run('report', ['report', runId, '--db', db, '--format', 'json', '--out', path.join(dir, 'report.json')]);
      await run('report md', ['report', runId, '--db', db]);
      await run('runs', ['runs', '--db', db, '--json']);
      // A wrong passphrase: the error names the key file, never what was typed.
      const wrong = 'Wr0ng-DRBOOK-passphrase-1b2c';
      const bad = await runCli(['capture', '--site', lab.siteFile, '--db', path.join(dir, 'other.db')], {
        env: cliEnv({ DRBOOK_TEST_PASSPHRASE: wrong }),
        timeoutMs: 60_000,
      });
      expect(bad.stdout + bad.stderr).toMatch(/wrong passphrase for \S*id_enc — check \$DRBOOK_TEST_PASSPHRASE/);
      expect(leaks(wrong, { 'wrong-passphrase stdout': bad.stdout, 'wrong-passphrase stderr': bad.stderr })).toEqual([]);
    } finally {
      await lab.stop();
    }
    for (const file of [...filesUnder(dir).filter((f) => /drbook\.db|reports|report\.json|\.ya?ml$|\.csv$/.test(f))])
      outputs[file] = readFileSync(file);
    cmdlines.forEach((c, i) => (outputs[`cmdline ${i}`] = c));
    expect(cmdlines.length).toBeGreaterThan(0);
    expect(Object.keys(outputs).some((k) => k.endsWith('drbook.db'))).toBe(true);
    expect(Object.keys(outputs).some((k) => k.includes('reports'))).toBe(true);
    expect(leaks(SECRET, outputs)).toEqual([]);

    // The database (and its WAL/SHM) and every report: readable by their owner only.
    const privateFiles = filesUnder(dir).filter((f) => /drbook\.db(-wal|-shm)?$|\/reports\/|report\.json$/.test(f));
    expect(privateFiles.length).toBeGreaterThan(3);
    for (const file of privateFiles) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
  });

  it('a password login (keyboard-interactive, as ESXi asks): not in the output, the database or the error message, right or wrong', () =>
    passwordCase(false));

  // The parsers read the raw output; every sink (events, captures, error lines) redacts, so a device
  // that echoes the password cannot carry it into error messages, findings or the database.
  it('a password echoed back by the device: not in the output, the database or the error message', () => passwordCase(true));
});

/** A capture logging in by password to an in-process SSH server (the other devices unreachable). */
async function passwordCase(echo: boolean): Promise<void> {
  // echo: a device that echoes the password back (a banner, a misconfigured wrapper): drbook must
  // blank it out of everything it keeps or prints, not merely never send it anywhere itself.
  const srv = await startSshServer({
    password: SECRET,
    user: 'root',
    ...(echo
      ? {
          onExec: (_cmd: string, ch: Parameters<typeof respond>[0]) =>
            respond(ch, { stdout: `welcome root (password ${SECRET})\n`, stderr: `sh: denied for ${SECRET}\n`, exitCode: 1 }),
        }
      : {}),
  });
  try {
    const dir = cloneTemplate(template.dir, path.join(root, echo ? 'password-echo' : 'password'));
    const lab = await startCase(dir, {}, (site) => {
      quickTimeouts(site);
      const esxi = site['esxi'] as { hosts: Record<string, unknown>[] };
      esxi.hosts[0] = {
        ...esxi.hosts[0],
        port: srv.port,
        hostKey: srv.hostKeyFingerprint,
        auth: { method: 'password', passwordEnv: 'DRBOOK_TEST_PASSWORD' },
      };
    });
    await lab.stop();
    const outputs: Record<string, Buffer | string> = {};
    for (const [label, pw] of [
      ['right', SECRET],
      ['wrong', `${SECRET}-x`],
    ] as const) {
      const db = path.join(dir, `${label}.db`);
      const r = await runCli(['capture', '--site', lab.siteFile, '--db', db], {
        env: cliEnv({ DRBOOK_TEST_PASSWORD: pw }),
        timeoutMs: 60_000,
      });
      outputs[`${label} stdout`] = r.stdout;
      outputs[`${label} stderr`] = r.stderr;
      for (const f of filesUnder(dir).filter((x) => x.includes(`${label}.db`))) outputs[f] = readFileSync(f);
      if (label === 'wrong') expect(r.stdout + r.stderr).toMatch(/esx01/);
    }
    // The server did see logins: the secret was really used.
    expect(srv.connections).toBeGreaterThan(0);
    expect(leaks(SECRET, outputs)).toEqual([]);
  } finally {
    await srv.close();
  }
}

describe('host keys, end to end through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = cloneTemplate(template.dir, path.join(root, 'hostkeys'));
    // A capture taken while the keys were right, so that a failover can start.
    const lab = await startCase(dir);
    try {
      const r = await runCli(['capture', '--site', lab.siteFile, '--db', path.join(dir, 'drbook.db')], {
        env: cliEnv(),
        timeoutMs: 60_000,
      });
      expect([0, 3]).toContain(r.code);
    } finally {
      await lab.stop();
    }
  }, 120_000);

  async function withSite(edit: (site: Record<string, unknown>) => void, args: (siteFile: string) => string[]): Promise<CliResult> {
    const lab = await startCase(dir, {}, (site) => {
      quickTimeouts(site);
      edit(site);
    });
    try {
      // HOME without a known_hosts file: nothing but the site file can vouch for a key.
      return await runCli(args(lab.siteFile), { env: cliEnv({ HOME: path.join(dir, 'home') }), timeoutMs: 60_000 });
    } finally {
      await lab.stop();
    }
  }

  const hosts = (site: Record<string, unknown>) => (site['esxi'] as { hosts: Record<string, unknown>[] }).hosts;
  const otherKey = () => fingerprintOf(readFileSync(path.join(template.dir, 'hostkeys', 'cluster1_ed25519'), 'utf8'));

  it('an unknown host key is refused in a non-interactive capture, naming the host and how to pin it', async () => {
    const r = await withSite(
      (site) => delete hosts(site)[1]!['hostKey'],
      (f) => ['capture', '--site', f, '--db', path.join(dir, 'unknown.db')],
    );
    expect(r.code).not.toBe(0);
    const line = (r.stdout + r.stderr).split('\n').find((l) => /unknown host key/.test(l));
    expect(line, r.stdout + r.stderr).toMatch(/esx02.*unknown host key SHA256:\S+.*pin it as `hostKey: SHA256:\S+` for esx02/);
  });

  it('a changed host key is refused, naming the host and saying to verify it on the console', async () => {
    const r = await withSite(
      (site) => (hosts(site)[1]!['hostKey'] = otherKey()),
      (f) => ['capture', '--site', f, '--db', path.join(dir, 'changed.db')],
    );
    expect(r.code).not.toBe(0);
    const line = (r.stdout + r.stderr).split('\n').find((l) => /esx02/.test(l) && /host key/.test(l));
    expect(line, r.stdout + r.stderr).toMatch(/esx02/);
    expect(line).toMatch(/verify the key on the device's console/);
  });

  it('a changed key on the cluster stops a failover before anything is changed: one line, exit non-zero', async () => {
    const r = await withSite(
      (site) =>
        ((site['ontap'] as Record<string, unknown>)['hostKey'] = fingerprintOf(
          readFileSync(path.join(template.dir, 'hostkeys', 'esx01_ed25519'), 'utf8'),
        )),
      (f) => ['failover', '--site', f, '--db', path.join(dir, 'drbook.db'), '--plain', '--confirm', MIRROR_PATH, '--ack-manual'],
    );
    expect(r.code).not.toBe(0);
    const said = r.stdout + r.stderr;
    expect(said).toMatch(/cluster1.*host key/);
    expect(said).toMatch(/verify the key on the device's console/);
    // Nothing destructive was even attempted.
    expect(said).not.toMatch(/snapmirror break .*: done/);
  });
});
