/**
 * A real in-process SSH server (ssh2 `Server`) on 127.0.0.1, port 0, for transport, adapter and
 * lab tests. It speaks real SSH; only the commands are scripted.
 *
 *   const srv = await startSshServer({ password: 's3cret', onExec: (cmd, ch) => respond(ch, { stdout: 'hi\n' }) });
 *   endpoint = { ..., address: '127.0.0.1', port: srv.port, hostKey: srv.hostKeyFingerprint };
 *   srv.commands        // every exec command line received, in order
 *   srv.connections     // connections accepted so far
 *   srv.dropConnections() // destroy every client socket (a network drop)
 *   srv.freezeConnections() // stop answering on every open connection (a hung device)
 *   await srv.close()
 *
 * Also: `generateClientKey()` for publickey auth, `respond()` to answer an exec,
 * `startSilentServer()` (accepts TCP, never speaks) and `closedPort()` (nothing listens).
 */
import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';
import { fingerprintOf } from '../../src/transport/ssh/fingerprint.js';
import { generateEd25519 } from '../../src/transport/ssh/keygen.js';

const { Server, utils } = ssh2;

export interface SshServerOptions {
  /** OpenSSH-format public keys (`ssh-ed25519 AAAA…`) accepted for publickey auth. */
  authorizedKeys?: string[];
  /** Accepted by `password` and `keyboard-interactive` auth. */
  password?: string;
  /** Ask for the password only by keyboard-interactive, as ESXi does. */
  keyboardInteractiveOnly?: boolean;
  /** Only this user may log in (default: any user). */
  user?: string;
  /** OpenSSH-format private host key; default a freshly generated ed25519 key. */
  hostKey?: string;
  /** Handles each exec request. Default: exit 127 with `sh: <cmd>: not found`. */
  onExec?: (command: string, channel: ServerChannel) => void;
}

export interface TestSshServer {
  readonly port: number;
  /** `SHA256:…` fingerprint of the host key, as drbook pins it. */
  readonly hostKeyFingerprint: string;
  /** Public host key line (`ssh-ed25519 AAAA…`), for known_hosts files. */
  readonly hostKeyPublic: string;
  /** The private host key, to start another server with the same identity. */
  readonly hostKeyPrivate: string;
  /** Every exec command line received, in order. */
  readonly commands: string[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Destroy every open client socket without a goodbye, as a network drop would. */
  dropConnections(): void;
  /** Stop reading from every open client socket: the link stays up but nothing answers (a hung device). */
  freezeConnections(): void;
  close(): Promise<void>;
}

export interface KeyPair {
  /** OpenSSH private key text. */
  private: string;
  /** `ssh-ed25519 AAAA… comment` */
  public: string;
}

/** A fresh ed25519 key pair; with a passphrase, the private key is encrypted (aes256-ctr). */
export function generateClientKey(passphrase?: string): KeyPair {
  return generateEd25519(passphrase ? { passphrase } : {});
}

/** Answer an exec: write stdout/stderr, then exit with a code or a signal, then close. */
export function respond(
  channel: ServerChannel,
  reply: { stdout?: string | Buffer; stderr?: string | Buffer; exitCode?: number; signal?: string },
): void {
  if (reply.stdout !== undefined) channel.write(reply.stdout);
  if (reply.stderr !== undefined) channel.stderr.write(reply.stderr);
  if (reply.signal) channel.exit(reply.signal, false, '');
  else channel.exit(reply.exitCode ?? 0);
  channel.end();
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startSshServer(options: SshServerOptions = {}): Promise<TestSshServer> {
  const hostKeyPrivate = options.hostKey ?? generateEd25519().private;
  const parsedHost = utils.parseKey(hostKeyPrivate);
  if (parsedHost instanceof Error) throw parsedHost;
  const hostPub = Array.isArray(parsedHost) ? parsedHost[0] : parsedHost;
  if (!hostPub) throw new Error('no host key');
  const hostBlob = hostPub.getPublicSSH();
  const authorized = (options.authorizedKeys ?? []).map((k) => {
    const p = utils.parseKey(k);
    if (p instanceof Error) throw p;
    const key = Array.isArray(p) ? p[0] : p;
    if (!key) throw new Error('bad authorized key');
    return key;
  });
  const commands: string[] = [];
  const conns = new Set<Connection>();
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const onExec = options.onExec ?? ((cmd: string, ch: ServerChannel) => respond(ch, { stderr: `sh: ${cmd}: not found\n`, exitCode: 127 }));

  const server = new Server({ hostKeys: [hostKeyPrivate] }, (client) => {
    connections++;
    conns.add(client);
    client.on('error', () => {
      /* drops and resets are part of the tests */
    });
    client.on('close', () => conns.delete(client));
    client.on('authentication', (ctx) => {
      if (options.user !== undefined && ctx.username !== options.user) return ctx.reject();
      switch (ctx.method) {
        case 'password':
          if (options.keyboardInteractiveOnly) return ctx.reject();
          if (options.password !== undefined && equalText(ctx.password, options.password)) return ctx.accept();
          return ctx.reject();
        case 'keyboard-interactive':
          if (options.password === undefined) return ctx.reject();
          ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
            if (answers[0] !== undefined && equalText(answers[0], options.password ?? '')) ctx.accept();
            else ctx.reject();
          });
          return;
        case 'publickey': {
          const key =
            authorized.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data)) ??
            // rsa-sha2-* signatures name an ssh-rsa key
            authorized.find((k) => k.getPublicSSH().equals(ctx.key.data));
          if (!key) return ctx.reject();
          if (!ctx.signature || !ctx.blob) return ctx.accept(); // the "would you accept this key" probe
          if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
          return ctx.reject();
        }
        default:
          return ctx.reject();
      }
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          commands.push(info.command);
          onExec(info.command, channel);
        });
      });
    });
  });
  // The ssh2 Server wraps a net.Server; keep the raw sockets so a test can cut them.
  const netServer = (server as unknown as { _srv: net.Server })._srv;
  netServer.on('connection', (sock: net.Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('ssh server has no address');

  return {
    port: address.port,
    hostKeyFingerprint: fingerprintOf(hostBlob),
    hostKeyPublic: `${hostPub.type} ${hostBlob.toString('base64')}`,
    hostKeyPrivate,
    commands,
    get connections() {
      return connections;
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    freezeConnections() {
      for (const s of sockets) s.pause();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP listener on 127.0.0.1 that accepts connections and never says a word. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address() as net.AddressInfo;
  return {
    port: addr.port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
