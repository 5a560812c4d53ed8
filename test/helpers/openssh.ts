/**
 * A REAL OpenSSH sshd for tests, on a free 127.0.0.1 port, with everything in its own temp dir:
 * config, ed25519 host key, a generated client key and its authorized_keys. It never reads or
 * touches /etc/ssh or the machine's own sshd. Public key auth only (password auth needs PAM and
 * real users; the in-process server covers it). Runs as root, logging in as root.
 *
 *   const sshd = await startOpenSsh();
 *   endpoint = { address: '127.0.0.1', port: sshd.port, user: sshd.user,
 *                auth: { method: 'key', keyFile: sshd.clientKeyFile }, hostKey: sshd.hostKeyFingerprint };
 *   await sshd.close();
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fingerprintOf } from '../../src/transport/ssh/fingerprint.js';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

export interface OpenSshServer {
  readonly port: number;
  readonly user: string;
  /** The temp dir holding config, keys and logs. */
  readonly dir: string;
  readonly hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA…` for known_hosts files. */
  readonly hostKeyPublic: string;
  /** Private key accepted by authorized_keys (encrypted when a passphrase was given). */
  readonly clientKeyFile: string;
  /** What sshd printed so far (-e sends its log to stderr); handy in failure messages. */
  log(): string;
  close(): Promise<void>;
}

export interface OpenSshOptions {
  /** Encrypt the generated client key with this passphrase. */
  clientKeyPassphrase?: string;
  /** Extra sshd_config lines. */
  extraConfig?: string[];
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startOpenSsh(options: OpenSshOptions = {}): Promise<OpenSshServer> {
  if (!existsSync(SSHD)) {
    throw new Error(
      `${SSHD} is missing: install Debian's openssh-server (see .ci/run: policy-rc.d, then apt-get install -y openssh-server) to run the real-sshd tests`,
    );
  }
  // sshd refuses to start without its privilege-separation dir; systemd normally creates it.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });

  const dir = await mkdtemp(path.join(os.tmpdir(), 'drbook-sshd-'));
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const clientKey = path.join(dir, 'client_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'drbook-test-host', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', options.clientKeyPassphrase ?? '', '-C', 'drbook-test-client', '-f', clientKey]);
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  const blob = Buffer.from(hostPub.split(' ')[1] ?? '', 'base64');
  await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${clientKey}.pub`, 'utf8'), { mode: 0o600 });

  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'LogLevel VERBOSE',
    ...(options.extraConfig ?? []),
  ];
  const configFile = path.join(dir, 'sshd_config');
  await writeFile(configFile, `${config.join('\n')}\n`);

  let log = '';
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let exited: string | undefined;
  const exitedP = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      resolve();
    });
    child.once('error', (e) => {
      exited = `could not start: ${e.message}`;
      resolve();
    });
  });

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`sshd ${exited}: ${log.trim()}`);
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not listen on 127.0.0.1:${port} within 15 s: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20)); // poll interval, not a wait-and-hope
  }

  return {
    port,
    user: 'root',
    dir,
    hostKeyFingerprint: fingerprintOf(blob),
    hostKeyPublic: hostPub,
    clientKeyFile: clientKey,
    log: () => log,
    async close() {
      if (!exited) {
        child.kill('SIGTERM');
        await exitedP;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
