import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommandTimeoutError, ConnectError, describeError } from '../../src/errors.js';
import { auditToEvents } from '../../src/engine/audit.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { redactingSink } from '../../src/engine/redact-events.js';
import { createRedactor, type Redactor } from '../../src/transport/redact.js';
import { createSshPool, type SshPoolOptions } from '../../src/transport/ssh/pool.js';
import type { AuditSink, Endpoint, HostPool } from '../../src/transport/types.js';
import { closedPort, generateClientKey, respond, startSilentServer, startSshServer, type TestSshServer } from '../helpers/ssh-server.js';

const PASSWORD = 'pa$$ w0rd "quoted"';
const BIG_CHARS = 3_333_334; // 10 000 002 bytes of UTF-8

function endpoint(srv: { port: number }, patch: Partial<Endpoint> = {}): Endpoint {
  return {
    name: 'esx01',
    kind: 'esxi',
    address: '127.0.0.1',
    port: srv.port,
    user: 'root',
    auth: { method: 'password', passwordEnv: 'ESX_PW' },
    ...patch,
  };
}

interface Recorded {
  events: string[];
  sink: AuditSink;
  text(): string;
}
function recorder(): Recorded {
  const events: string[] = [];
  const all: unknown[] = [];
  return {
    events,
    text: () => JSON.stringify(all),
    sink: {
      commandStarted(e) {
        events.push(`started ${e.id} ${e.command}`);
        all.push(e);
      },
      commandFinished(e) {
        events.push(`finished ${e.id}`);
        all.push(e);
      },
    },
  };
}

/** The pool's audit as a session keeps it: engine events through the one redacting sink. */
function redactedEvents(redactor: Redactor): { audit: AuditSink; text(): string } {
  const events: EngineEvent[] = [];
  return { audit: auditToEvents(redactingSink({ emit: (e) => void events.push(e) }, redactor)), text: () => JSON.stringify(events) };
}

const pools: HostPool[] = [];
function pool(eps: Endpoint[], opts: Partial<SshPoolOptions> = {}): HostPool {
  const p = createSshPool(eps, { env: { ESX_PW: PASSWORD }, knownHostsFile: '/nonexistent', ...opts });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('ssh pool against the in-process server', () => {
  let srv: TestSshServer;
  const clientKey = generateClientKey();
  const lockedKey = generateClientKey('key pass phrase');
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drbook-ssh-'));
    await writeFile(path.join(dir, 'id'), clientKey.private, { mode: 0o600 });
    await writeFile(path.join(dir, 'locked'), lockedKey.private, { mode: 0o600 });
    srv = await startSshServer({
      password: PASSWORD,
      authorizedKeys: [clientKey.public, lockedKey.public],
      onExec(cmd, ch) {
        if (cmd === 'echo hi') return respond(ch, { stdout: 'hi\n' });
        if (cmd === 'fail') return respond(ch, { stdout: 'partial', stderr: 'Error: nope\n', exitCode: 3 });
        if (cmd === 'signal') return respond(ch, { signal: 'TERM' });
        if (cmd === 'big') {
          // 10 MB in 64 KiB writes, with 3-byte characters split across write boundaries.
          const unit = Buffer.from('あ'.repeat(BIG_CHARS));
          for (let i = 0; i < unit.length; i += 65_537) ch.write(unit.subarray(i, i + 65_537));
          return respond(ch, {});
        }
        if (cmd.startsWith('slow ')) {
          setTimeout(() => respond(ch, { stdout: cmd.slice(5) }), 30);
          return;
        }
        if (cmd === 'hang') return; // never answers
        return respond(ch, { stderr: `sh: ${cmd}: not found\n`, exitCode: 127 });
      },
    });
  });
  afterAll(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs in with a password from the environment and reports exit code, stdout and stderr', async () => {
    const p = pool([endpoint(srv, { hostKey: srv.hostKeyFingerprint })]);
    const ok = await p.host('esx01').exec('echo hi');
    expect(ok).toMatchObject({
      host: 'esx01',
      command: 'echo hi',
      exitCode: 0,
      signal: null,
      stdout: 'hi\n',
      stderr: '',
      truncated: false,
    });
    const bad = await p.host('esx01').exec('fail');
    expect(bad).toMatchObject({ exitCode: 3, stdout: 'partial', stderr: 'Error: nope\n' });
    const sig = await p.host('esx01').exec('signal');
    expect(sig).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    expect(p.stats()).toEqual({ connections: { esx01: 1 }, commands: { esx01: 3 } });
  });

  it('asks for a password once per host when no environment variable holds it, and teaches it to the redactor', async () => {
    const asked: string[] = [];
    const redactor = createRedactor();
    const stored = redactedEvents(redactor);
    const p = pool([endpoint(srv, { auth: { method: 'password' }, hostKey: srv.hostKeyFingerprint })], {
      env: {},
      audit: stored.audit,
      redactor,
      askSecret: async (prompt) => {
        asked.push(prompt);
        return PASSWORD;
      },
    });
    await p.host('esx01').exec(`echo ${PASSWORD}`);
    await p.host('esx01').exec('echo hi');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('root@esx01');
    // What a session keeps of the commands (through its redacting sink) holds no password.
    expect(stored.text()).not.toContain(PASSWORD);
    expect(stored.text()).toContain('***');
  });

  it('answers keyboard-interactive password prompts (how ESXi asks)', async () => {
    const kbd = await startSshServer({
      password: PASSWORD,
      keyboardInteractiveOnly: true,
      onExec: (_c, ch) => respond(ch, { stdout: 'ok' }),
    });
    try {
      const p = pool([endpoint(kbd, { hostKey: kbd.hostKeyFingerprint })]);
      expect((await p.host('esx01').exec('x')).stdout).toBe('ok');
    } finally {
      await kbd.close();
    }
  });

  it('refuses a wrong password with one line naming host, user and method, without the password', async () => {
    const p = pool([endpoint(srv, { hostKey: srv.hostKeyFingerprint })], { env: { ESX_PW: 'wrong-secret' } });
    const err = await rejection(p.host('esx01').exec('echo hi'));
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).reason).toBe('auth');
    const line = describeError(err);
    expect(line).toBe(
      `esx01 (127.0.0.1:${srv.port}): login refused for root (password) — check the password in $ESX_PW and that root may log in over SSH`,
    );
    expect(line).not.toContain('wrong-secret');
  });

  it('logs in with a key file, and with an encrypted key whose passphrase comes from env or a prompt', async () => {
    const p = pool(
      [
        endpoint(srv, { name: 'a', auth: { method: 'key', keyFile: path.join(dir, 'id') }, hostKey: srv.hostKeyFingerprint }),
        endpoint(srv, {
          name: 'b',
          auth: { method: 'key', keyFile: path.join(dir, 'locked'), passphraseEnv: 'KP' },
          hostKey: srv.hostKeyFingerprint,
        }),
        endpoint(srv, { name: 'c', auth: { method: 'key', keyFile: path.join(dir, 'locked') }, hostKey: srv.hostKeyFingerprint }),
      ],
      { env: { KP: 'key pass phrase' }, askSecret: async () => 'key pass phrase' },
    );
    for (const h of ['a', 'b', 'c']) expect((await p.host(h).exec('echo hi')).stdout).toBe('hi\n');
  });

  it('asks for a passphrase once per host, also across reconnects', async () => {
    let asked = 0;
    const p = pool([endpoint(srv, { auth: { method: 'key', keyFile: path.join(dir, 'locked') }, hostKey: srv.hostKeyFingerprint })], {
      askSecret: async () => {
        asked++;
        return 'key pass phrase';
      },
    });
    await p.host('esx01').exec('echo hi');
    await p.close();
    await p.host('esx01').exec('echo hi');
    expect(p.stats().connections).toEqual({ esx01: 2 });
    expect(asked).toBe(1);
  });

  it('refuses an agent login without a usable agent as an auth problem', async () => {
    const noAgent = pool([endpoint(srv, { auth: { method: 'agent' }, hostKey: srv.hostKeyFingerprint })], { env: {} });
    const e1 = (await rejection(noAgent.host('esx01').exec('echo hi'))) as ConnectError;
    expect(e1.reason).toBe('auth');
    expect(describeError(e1)).toContain('SSH_AUTH_SOCK is not set');
    const deadAgent = pool([
      endpoint(srv, { auth: { method: 'agent', socket: path.join(dir, 'no-such.sock') }, hostKey: srv.hostKeyFingerprint }),
    ]);
    const e2 = (await rejection(deadAgent.host('esx01').exec('echo hi'))) as ConnectError;
    expect(e2.reason).toBe('auth');
    expect(describeError(e2)).toMatch(/^esx01 \(127\.0\.0\.1:\d+\): /);
  });

  it('refuses a wrong passphrase before connecting', async () => {
    const p = pool(
      [endpoint(srv, { auth: { method: 'key', keyFile: path.join(dir, 'locked'), passphraseEnv: 'KP' }, hostKey: srv.hostKeyFingerprint })],
      {
        env: { KP: 'nope' },
      },
    );
    const err = (await rejection(p.host('esx01').exec('echo hi'))) as ConnectError;
    expect(err.reason).toBe('auth');
    expect(describeError(err)).toContain('wrong passphrase');
    expect(describeError(err)).not.toContain('nope');
  });

  it('refuses an unknown host key when not interactive, showing the fingerprint and how to pin it', async () => {
    const p = pool([endpoint(srv)]);
    const err = (await rejection(p.host('esx01').exec('echo hi'))) as ConnectError;
    expect(err.reason).toBe('hostkey-unknown');
    expect(describeError(err)).toContain(srv.hostKeyFingerprint);
    expect(describeError(err)).toContain(`hostKey: ${srv.hostKeyFingerprint}`);
    expect(srv.commands.filter((c) => c === 'never-sent')).toHaveLength(0);
  });

  it('accepts an unknown host key when the operator confirms it, asking once', async () => {
    const shown: string[] = [];
    const p = pool([endpoint(srv)], {
      confirmUnknownHostKey: async (ep, fp) => {
        shown.push(`${ep.name} ${fp}`);
        return true;
      },
    });
    expect((await p.host('esx01').exec('echo hi')).exitCode).toBe(0);
    expect(shown).toEqual([`esx01 ${srv.hostKeyFingerprint}`]);
  });

  it('does not count the time the operator spends reading a fingerprint against the connect timeout', async () => {
    // The operator reads longer than the connect timeout allows; the login after the answer gets a
    // timeout of its own. (Generous numbers: a loaded CI machine must still log in within 2 s.)
    const p = pool([endpoint(srv)], {
      readyTimeout: 2000,
      confirmUnknownHostKey: () => new Promise((resolve) => setTimeout(() => resolve(true), 2500)),
    });
    expect((await p.host('esx01').exec('echo hi')).stdout).toBe('hi\n');
  });

  it('refuses an unknown host key the operator declines, without logging in', async () => {
    const p = pool([endpoint(srv)], { confirmUnknownHostKey: async () => false });
    const err = (await rejection(p.host('esx01').exec('echo declined'))) as ConnectError;
    expect(err.reason).toBe('hostkey-unknown');
    expect(srv.commands).not.toContain('echo declined');
  });

  it('always refuses a changed host key, even when a confirm callback would say yes', async () => {
    const pinned = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const before = srv.commands.length;
    const p = pool([endpoint(srv, { hostKey: pinned })], { confirmUnknownHostKey: async () => true });
    const err = (await rejection(p.host('esx01').exec('echo hi'))) as ConnectError;
    expect(err.reason).toBe('hostkey-changed');
    expect(describeError(err)).toContain(`expected ${pinned}, got ${srv.hostKeyFingerprint}`);
    expect(describeError(err)).toContain("device's console");
    expect(srv.commands.length).toBe(before);
  });

  it('checks host keys against known_hosts: plain, hashed, and a changed entry', async () => {
    const { createHmac, randomBytes } = await import('node:crypto');
    const name = `[127.0.0.1]:${srv.port}`;
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
    const other = generateClientKey().public.split(' ').slice(0, 2).join(' ');
    const files = {
      plain: `# comment\nother.example ${other}\n${name} ${srv.hostKeyPublic}\n`,
      hashed: `${hashed} ${srv.hostKeyPublic}\n`,
      changed: `${name},10.0.0.1 ${other}\n`,
    };
    for (const [kind, text] of Object.entries(files)) {
      const file = path.join(dir, `known_${kind}`);
      await writeFile(file, text);
      const p = pool([endpoint(srv)], { knownHostsFile: file });
      const r = p.host('esx01').exec('echo hi');
      if (kind === 'changed') expect(((await rejection(r)) as ConnectError).reason).toBe('hostkey-changed');
      else expect((await r).stdout).toBe('hi\n');
    }
  });

  it('reads ~/.ssh/known_hosts from env.HOME by default', async () => {
    const home = path.join(dir, 'home');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(home, '.ssh'), { recursive: true });
    await writeFile(path.join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${srv.port} ${srv.hostKeyPublic}\n`);
    const p = createSshPool([endpoint(srv)], { env: { ESX_PW: PASSWORD, HOME: home } });
    pools.push(p);
    expect((await p.host('esx01').exec('echo hi')).stdout).toBe('hi\n');
  });

  it('collects 10 MB of output and decodes UTF-8 split across chunks; caps output when asked', async () => {
    const p = pool([endpoint(srv, { hostKey: srv.hostKeyFingerprint })]);
    const r = await p.host('esx01').exec('big', { timeoutMs: 30_000 });
    expect(r.stdout.length).toBe(BIG_CHARS);
    expect(r.stdout === 'あ'.repeat(BIG_CHARS)).toBe(true);
    expect(r.truncated).toBe(false);
    const capped = await p.host('esx01').exec('big', { maxOutputBytes: 1000 });
    expect(capped.truncated).toBe(true);
    // 1000 bytes would end inside a character: the text stops before it instead of ending in U+FFFD.
    expect(capped.stdout).toBe('あ'.repeat(333));
  });

  it('runs 20 commands in parallel on one connection', async () => {
    const before = srv.connections;
    const p = pool([endpoint(srv, { hostKey: srv.hostKeyFingerprint })], { perHostLimit: 8 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => p.host('esx01').exec(`slow ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(p.stats().connections).toEqual({ esx01: 1 });
    expect(p.stats().commands).toEqual({ esx01: 20 });
    expect(srv.connections - before).toBe(1);
  });

  it('closes the channel of a command that outlives its timeout, and the connection stays usable', async () => {
    let closed!: () => void;
    const channelClosed = new Promise<void>((r) => (closed = r));
    const hang = await startSshServer({
      password: PASSWORD,
      onExec(cmd, ch) {
        if (cmd === 'hang') {
          ch.resume(); // a stream only reports 'close' once its readable side has been drained
          ch.on('close', () => closed());
        } else respond(ch, { stdout: 'still here' });
      },
    });
    try {
      const p = pool([endpoint(hang, { hostKey: hang.hostKeyFingerprint })]);
      const err = await rejection(p.host('esx01').exec('hang', { timeoutMs: 200 }));
      expect(err).toBeInstanceOf(CommandTimeoutError);
      expect(describeError(err)).toContain('esx01: hang: no answer within');
      await channelClosed;
      expect((await p.host('esx01').exec('next')).stdout).toBe('still here');
      expect(p.stats().connections).toEqual({ esx01: 1 });
    } finally {
      await hang.close();
    }
  });

  it('fails a command with "dropped" when the connection drops mid-command, then reconnects', async () => {
    const dropper: TestSshServer = await startSshServer({
      password: PASSWORD,
      onExec(cmd, ch) {
        if (cmd === 'drop') {
          ch.write('partial output');
          setImmediate(() => dropper.dropConnections());
        } else respond(ch, { stdout: 'back' });
      },
    });
    try {
      const audit = recorder();
      const p = pool([endpoint(dropper, { hostKey: dropper.hostKeyFingerprint })], { audit: audit.sink });
      const err = (await rejection(p.host('esx01').exec('drop'))) as ConnectError;
      expect(err).toBeInstanceOf(ConnectError);
      expect(err.reason).toBe('dropped');
      expect(describeError(err)).toContain(`esx01 (127.0.0.1:${dropper.port}): the connection dropped while running: drop`);
      expect((await p.host('esx01').exec('again')).stdout).toBe('back');
      expect(p.stats().connections).toEqual({ esx01: 2 });
      expect(dropper.connections).toBe(2);
      expect(audit.events.map((e) => e.split(' ')[0])).toEqual(['started', 'finished', 'started', 'finished']);
    } finally {
      await dropper.close();
    }
  });

  it('treats a link that stops answering keepalives as dropped', async () => {
    const frozen: TestSshServer = await startSshServer({
      password: PASSWORD,
      onExec(cmd, ch) {
        if (cmd === 'freeze') setImmediate(() => frozen.freezeConnections());
        else respond(ch, { stdout: 'fresh' });
      },
    });
    try {
      const p = pool([endpoint(frozen, { hostKey: frozen.hostKeyFingerprint })], { keepaliveInterval: 50, keepaliveCountMax: 2 });
      const err = (await rejection(p.host('esx01').exec('freeze'))) as ConnectError;
      expect(err.reason).toBe('dropped');
      expect((await p.host('esx01').exec('again')).stdout).toBe('fresh');
      expect(p.stats().connections).toEqual({ esx01: 2 });
    } finally {
      await frozen.close();
    }
  });

  it('closes the channel when the caller aborts, and skips a command aborted while queued', async () => {
    let closed!: () => void;
    const channelClosed = new Promise<void>((r) => (closed = r));
    let started!: () => void;
    const execStarted = new Promise<void>((r) => (started = r));
    const hang = await startSshServer({
      password: PASSWORD,
      onExec(cmd, ch) {
        if (cmd === 'hang') {
          ch.resume();
          ch.on('close', () => closed());
          started();
        } else respond(ch, {});
      },
    });
    try {
      const p = pool([endpoint(hang, { hostKey: hang.hostKeyFingerprint })], { perHostLimit: 1 });
      const ac = new AbortController();
      const running = p.host('esx01').exec('hang', { signal: ac.signal });
      const queued = p.host('esx01').exec('queued', { signal: ac.signal });
      await execStarted;
      ac.abort(new Error('operator stopped the run'));
      expect(((await rejection(running)) as Error).message).toBe('operator stopped the run');
      expect(((await rejection(queued)) as Error).message).toBe('operator stopped the run');
      await channelClosed;
      expect(hang.commands).toEqual(['hang']);
    } finally {
      await hang.close();
    }
  });

  it('times out on a host that accepts TCP and never speaks', async () => {
    const silent = await startSilentServer();
    try {
      const p = pool([endpoint(silent, { hostKey: srv.hostKeyFingerprint })], { readyTimeout: 300 });
      const err = (await rejection(p.host('esx01').exec('echo hi'))) as ConnectError;
      expect(err.reason).toBe('timeout');
      expect(describeError(err)).toMatch(/^esx01 \(127\.0\.0\.1:\d+\): cannot connect: no SSH answer within 0\.3 s — check the address/);
    } finally {
      await silent.close();
    }
  });

  it('says "connection refused" in one line when nothing listens', async () => {
    const port = await closedPort();
    const p = pool([endpoint({ port })]);
    const err = (await rejection(p.host('esx01').exec('echo hi'))) as ConnectError;
    expect(err.reason).toBe('unreachable');
    expect(describeError(err)).toBe(
      `esx01 (127.0.0.1:${port}): cannot connect: connection refused — check the address and port in the site file and that SSH is enabled on the host`,
    );
  });

  it('sends commandStarted before the exec request and commandFinished after; output raw to the caller, redacted where it is kept', async () => {
    const audit = recorder();
    const redactor = createRedactor();
    const stored = redactedEvents(redactor);
    const seenAtExec: string[][] = [];
    const spy = await startSshServer({
      password: PASSWORD,
      onExec(_cmd, ch) {
        seenAtExec.push([...audit.events]);
        respond(ch, { stdout: `echo of ${PASSWORD}`, stderr: PASSWORD });
      },
    });
    try {
      const both: AuditSink = {
        commandStarted: (e) => (audit.sink.commandStarted(e), stored.audit.commandStarted(e)),
        commandFinished: (e) => (audit.sink.commandFinished(e), stored.audit.commandFinished(e)),
      };
      const p = pool([endpoint(spy, { hostKey: spy.hostKeyFingerprint })], { audit: both, redactor });
      const r = await p.host('esx01').exec(`printf ${PASSWORD}`, { purpose: 'test' });
      // The parsers read the device's output as it is; only what is kept or shown is redacted.
      expect(r.stdout).toBe(`echo of ${PASSWORD}`);
      expect(r.stderr).toBe(PASSWORD);
      expect(stored.text()).not.toContain(PASSWORD);
      expect(stored.text()).toContain('echo of ***');
      expect(seenAtExec[0]).toHaveLength(1);
      expect(seenAtExec[0]?.[0]).toMatch(/^started /);
      expect(audit.events.map((e) => e.split(' ')[0])).toEqual(['started', 'finished']);
      expect(audit.events[0]?.split(' ')[1]).toBe(audit.events[1]?.split(' ')[1]);
    } finally {
      await spy.close();
    }
  });
});
