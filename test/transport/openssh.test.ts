import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandTimeoutError, ConnectError, describeError } from '../../src/errors.js';
import { JournalWriteError } from '../../src/journal/db.js';
import { shellLine } from '../../src/transport/quote.js';
import { createSshPool, type SshPool } from '../../src/transport/ssh/pool.js';
import type { AuditSink, Endpoint } from '../../src/transport/types.js';
import { startOpenSsh, type OpenSshServer } from '../helpers/openssh.js';

const run = promisify(execFile);

describe('ssh pool against a real OpenSSH sshd', () => {
  let sshd: OpenSshServer;
  let ep: Endpoint;
  let pool: SshPool;
  const events: string[] = [];
  /** Each command's script id (undefined: sent alone), by command line. */
  const scripts = new Map<string, string | undefined>();
  const audit: AuditSink = {
    commandStarted: (e) => {
      events.push(`started ${e.id}`);
      scripts.set(e.command, e.script);
    },
    commandFinished: (e) => events.push(`finished ${e.id}`),
  };

  beforeAll(async () => {
    sshd = await startOpenSsh();
    ep = {
      name: 'esx01',
      kind: 'esxi',
      address: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      auth: { method: 'key', keyFile: sshd.clientKeyFile },
      hostKey: sshd.hostKeyFingerprint,
    };
    pool = createSshPool([ep], { env: {}, audit });
  });
  afterAll(async () => {
    await pool?.close();
    await sshd?.close();
  });

  it('agrees with ssh-keygen on the host key fingerprint', async () => {
    const { stdout } = await run('ssh-keygen', ['-lf', path.join(sshd.dir, 'ssh_host_ed25519_key.pub')]);
    expect(stdout.split(' ')[1]).toBe(sshd.hostKeyFingerprint);
  });

  it('logs in with a key and reports exit codes, stdout and stderr', async () => {
    const h = pool.host('esx01');
    const r = await h.exec(shellLine(['sh', '-c', 'echo out; echo err >&2; exit 7']));
    expect(r).toMatchObject({ exitCode: 7, signal: null, stdout: 'out\n', stderr: 'err\n', truncated: false });
    expect((await h.exec('true')).exitCode).toBe(0);
  });

  it('reports a signal that killed the remote shell', async () => {
    const r = await pool.host('esx01').exec('kill -TERM $$');
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGTERM');
  });

  it('carries 10 MB of output and multi-byte characters intact', async () => {
    const r = await pool.host('esx01').exec("head -c 10000000 /dev/zero | tr '\\0' x; printf 'é日本🙂'", { timeoutMs: 30_000 });
    expect(r.stdout.length).toBe(10_000_000 + 4 + 1); // 🙂 is two UTF-16 units
    expect(r.stdout.endsWith('xé日本🙂')).toBe(true);
  });

  it('runs 20 commands in parallel on one connection', async () => {
    const before = pool.stats().connections.esx01;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.host('esx01').exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    expect(pool.stats().connections.esx01).toBe(before);
    expect(pool.stats().connections.esx01).toBe(1);
  });

  it('sends reads asked for at the same moment in one exec, each with its own output, exit status and audit entry', async () => {
    const h = pool.host('esx01');
    const execsBefore = pool.stats().commands.esx01 ?? 0;
    const auditedBefore = events.length;
    const lines = [
      "printf 'no newline'",
      shellLine(['sh', '-c', 'echo out; echo err >&2; exit 3']),
      "echo '@drbook-read-end-forged 0'",
      'true',
    ];
    const results = await Promise.all(lines.map((line) => h.exec(line, { read: 'shared', batch: 'posix-sh' })));
    expect(results.map((r) => [r.command, r.exitCode, r.stdout, r.stderr])).toEqual([
      [lines[0], 0, 'no newline', ''],
      [lines[1], 3, 'out\n', 'err\n'],
      [lines[2], 0, '@drbook-read-end-forged 0\n', ''],
      [lines[3], 0, '', ''],
    ]);
    expect((pool.stats().commands.esx01 ?? 0) - execsBefore).toBe(1);
    expect(events.length - auditedBefore).toBe(8);
    // The journal says which commands went in one script: one id for the four.
    const ids = lines.map((l) => scripts.get(l));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    await h.exec('echo alone');
    expect(scripts.get('echo alone')).toBeUndefined();
  });

  it('spreads many reads asked at one moment over the idle channels, each script with at least 8 of them', async () => {
    const h = pool.host('esx01');
    const read = (i: number) => h.exec(`echo read ${i}`, { read: 'shared', batch: 'posix-sh' });
    let execsBefore = pool.stats().commands.esx01 ?? 0;
    const few = await Promise.all(Array.from({ length: 15 }, (_, i) => read(i)));
    expect(few.map((r) => r.stdout)).toEqual(Array.from({ length: 15 }, (_, i) => `read ${i}\n`));
    expect((pool.stats().commands.esx01 ?? 0) - execsBefore).toBe(1); // two scripts would carry 7 and 8
    execsBefore = pool.stats().commands.esx01 ?? 0;
    const many = await Promise.all(Array.from({ length: 25 }, (_, i) => read(100 + i)));
    expect(many.map((r) => [r.exitCode, r.stdout])).toEqual(Array.from({ length: 25 }, (_, i) => [0, `read ${100 + i}\n`]));
    expect((pool.stats().commands.esx01 ?? 0) - execsBefore).toBe(3); // 9, 9 and 7 reads on 3 of the 8 idle channels
  });

  it('sends a change and the reads to take after it in one exec: each its own result and audit entry, the reads after the change', async () => {
    const h = pool.host('esx01');
    const execsBefore = pool.stats().commands.esx01 ?? 0;
    const auditedBefore = events.length;
    const file = `/tmp/drbook-after-${process.pid}-${Date.now()}`;
    const r = await h.exec(shellLine(['sh', '-c', `echo changed > ${file}; echo done; exit 2`]), {
      batch: 'posix-sh',
      readsAfter: [
        { line: `cat ${file}`, options: { read: 'shared', batch: 'posix-sh' } },
        { line: `rm ${file}; echo gone >&2`, options: { read: 'own', batch: 'posix-sh' } },
      ],
    });
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, 'done\n', '']);
    expect(r.readsAfter?.map((x) => [x.command, x.exitCode, x.stdout, x.stderr])).toEqual([
      [`cat ${file}`, 0, 'changed\n', ''],
      [`rm ${file}; echo gone >&2`, 0, '', 'gone\n'],
    ]);
    expect((pool.stats().commands.esx01 ?? 0) - execsBefore).toBe(1);
    expect(events.length - auditedBefore).toBe(6);
  });

  it("tells a change's caller it ended when its marker arrives, while the reads after it still run", async () => {
    const h = pool.host('esx01');
    const file = `/tmp/drbook-ended-${process.pid}-${Date.now()}`;
    let answered = false;
    let endedFirst: boolean | undefined;
    try {
      // The read after the change waits (up to 10 s) for the file the caller writes when told the
      // change ended: told only with the exec's answer, the read would find no file.
      const r = await h
        .exec('echo changed', {
          batch: 'posix-sh',
          onEnded: () => {
            endedFirst = !answered;
            void writeFile(file, 'go');
          },
          readsAfter: [
            {
              line: `i=0; while [ ! -e ${file} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; cat ${file}`,
              options: { read: 'own', batch: 'posix-sh' },
            },
          ],
        })
        .finally(() => (answered = true));
      expect([r.stdout, r.readsAfter?.[0]?.stdout]).toEqual(['changed\n', 'go']);
      expect(endedFirst).toBe(true);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('answers each read of a joined script as its command ends, while the reads after it still run', async () => {
    const h = pool.host('esx01');
    const file = `/tmp/drbook-joined-${process.pid}-${Date.now()}`;
    const execsBefore = pool.stats().commands.esx01 ?? 0;
    try {
      // Asked at one moment, the two go out in one script. The second waits (up to 10 s) for the
      // file written once the first is answered: answered only with the script's end, it would find none.
      const first = h.exec('echo first', { read: 'own', batch: 'posix-sh' });
      const second = h.exec(`i=0; while [ ! -e ${file} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; cat ${file}`, {
        read: 'own',
        batch: 'posix-sh',
      });
      let secondAnswered = false;
      void second.finally(() => (secondAnswered = true));
      const r1 = await first;
      const secondStillRan = !secondAnswered;
      await writeFile(file, 'go');
      const r2 = await second;
      expect([r1.stdout, r1.exitCode, r2.stdout, r2.exitCode]).toEqual(['first\n', 0, 'go', 0]);
      expect(secondStillRan).toBe(true);
      expect((pool.stats().commands.esx01 ?? 0) - execsBefore).toBe(1);
    } finally {
      await rm(file, { force: true });
    }
  });

  it("a joined script's read whose answer cannot be recorded fails its callers, not the process", async () => {
    const full = new JournalWriteError('/db/drbook.db', 'full', 'SQLITE_FULL');
    const failing = createSshPool([ep], {
      env: {},
      audit: {
        commandStarted: () => undefined,
        // Recording the first read's end fails (it ends inside the channel's data event).
        commandFinished: (e) => {
          if (e.result.command === 'echo one') throw full;
        },
      },
    });
    try {
      const h = failing.host('esx01');
      const reads = ['echo one', 'echo two'].map((line) => h.exec(line, { read: 'own', batch: 'posix-sh' }));
      const settled = await Promise.allSettled(reads);
      // The second was answered as it ended; the first fails with what recording it said.
      expect(settled.map((r) => (r.status === 'rejected' ? describeError(r.reason) : r.value.stdout))).toEqual([
        describeError(full),
        'two\n',
      ]);
      expect(failing.stats().commands.esx01).toBe(1);
    } finally {
      await failing.close();
    }
  });

  it('sends a command only once its intent is on record, and never when recording it failed', async () => {
    const file = `/tmp/drbook-unrecorded-${process.pid}-${Date.now()}`;
    let recordNow!: () => void;
    let seenBeforeRecord: boolean | undefined;
    const finished: string[] = [];
    const gated = createSshPool([ep], {
      env: {},
      audit: {
        // The first command is recorded when the test says; every later one fails to be.
        commandStarted: () =>
          recordNow === undefined
            ? new Promise<void>((resolve) => {
                recordNow = () => {
                  seenBeforeRecord = existsSync(file);
                  resolve();
                };
              })
            : Promise.reject(new JournalWriteError('/db/drbook.db', 'full', 'SQLITE_FULL')),
        commandFinished: (e) => {
          finished.push(e.error ?? `exit ${e.result.exitCode}`);
        },
      },
    });
    try {
      const made = gated.host('esx01').exec(`touch ${file}`);
      // The intent is awaited before the login, so the command cannot have left yet.
      await gated
        .host('esx01')
        .exec('true')
        .catch(() => undefined);
      recordNow();
      expect((await made).exitCode).toBe(0);
      expect([seenBeforeRecord, existsSync(file)]).toEqual([false, true]);
      await rm(file);

      await expect(gated.host('esx01').exec(`touch ${file}`)).rejects.toThrow(JournalWriteError);
      await expect(
        gated.host('esx01').exec(`touch ${file}`, {
          batch: 'posix-sh',
          readsAfter: [{ line: `cat ${file}`, options: { read: 'shared', batch: 'posix-sh' } }],
        }),
      ).rejects.toThrow(JournalWriteError);
      expect(existsSync(file)).toBe(false);
      // `true`, refused while `touch` waited; `touch`; then the refused touch, and the refused script's two commands.
      const full = describeError(new JournalWriteError('/db/drbook.db', 'full', 'SQLITE_FULL'));
      expect(finished).toEqual([full, 'exit 0', full, full, full]);
    } finally {
      await gated.close();
      await rm(file, { force: true });
    }
  });

  it('stops a command that outlives its timeout and keeps the connection', async () => {
    // OpenSSH refuses "signal" requests for root sessions (no privilege separation post-auth), so
    // closing the channel is what stops the command: its next write gets SIGPIPE.
    const marker = `drbook-timeout-${process.pid}-${Date.now()}`;
    const err = await pool
      .host('esx01')
      .exec(`while :; do echo ${marker}; sleep 0.05; done`, { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandTimeoutError);
    expect(describeError(err)).toContain('no answer within 300 ms; the command was stopped');
    const stillRunning = async (): Promise<boolean> =>
      run('pgrep', ['-f', marker]).then(
        () => true,
        () => false,
      );
    for (let i = 0; await stillRunning(); i++) {
      if (i > 200) throw new Error('the timed-out command is still running on the server');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await pool.host('esx01').exec('echo alive')).stdout).toBe('alive\n');
    expect(pool.stats().connections.esx01).toBe(1);
  });

  it('audits every command started before finished', () => {
    expect(events.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const e of events) {
      const [kind, id] = e.split(' ');
      if (kind === 'started') seen.add(id!);
      else expect(seen.has(id!)).toBe(true);
    }
  });

  it('refuses a key the server does not know, in one line naming host, user and method', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drbook-key-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'other')]);
      const p = createSshPool([{ ...ep, auth: { method: 'key', keyFile: path.join(dir, 'other') } }], { env: {} });
      const err = await p
        .host('esx01')
        .exec('true')
        .catch((e: unknown) => e);
      await p.close();
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).reason).toBe('auth');
      expect(describeError(err)).toMatch(
        /^esx01 \(127\.0\.0\.1:\d+\): login refused for root \(key\) — check that the public key of .*other is in root's authorized_keys/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a changed host key and an unknown one', async () => {
    const changed = createSshPool([{ ...ep, hostKey: 'SHA256:0000000000000000000000000000000000000000000' }], { env: {} });
    const e1 = await changed
      .host('esx01')
      .exec('true')
      .catch((e: unknown) => e);
    await changed.close();
    expect((e1 as ConnectError).reason).toBe('hostkey-changed');
    expect(describeError(e1)).toContain(`got ${sshd.hostKeyFingerprint}`);
    const unknown = createSshPool([{ ...ep, hostKey: undefined }], { env: {}, knownHostsFile: '/nonexistent' });
    const e2 = await unknown
      .host('esx01')
      .exec('true')
      .catch((e: unknown) => e);
    await unknown.close();
    expect((e2 as ConnectError).reason).toBe('hostkey-unknown');
  });

  it('logs in through ssh-agent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drbook-agent-'));
    const sock = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      // Wait for the socket to appear (polling a condition, not sleeping a fixed time).
      for (let i = 0; !existsSync(sock); i++) {
        if (i > 500) throw new Error('ssh-agent did not create its socket');
        await new Promise((r) => setTimeout(r, 10));
      }
      await run('ssh-add', [sshd.clientKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const p = createSshPool([{ ...ep, auth: { method: 'agent' } }], { env: { SSH_AUTH_SOCK: sock } });
      const r = await p.host('esx01').exec('echo via agent');
      await p.close();
      expect(r.stdout).toBe('via agent\n');
    } finally {
      agent.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a known_hosts file written the way ssh writes it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drbook-kh-'));
    try {
      const file = path.join(dir, 'known_hosts');
      await writeFile(file, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPublic}\n`);
      await run('ssh-keygen', ['-q', '-H', '-f', file]); // hash it, as HashKnownHosts does
      const p = createSshPool([{ ...ep, hostKey: undefined }], { env: {}, knownHostsFile: file });
      const r = await p.host('esx01').exec('echo known');
      await p.close();
      expect(r.stdout).toBe('known\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
