import { createHash, timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, Server as SshServerType } from 'ssh2';
import type { HostFault } from './faults.js';

const { Server, utils } = ssh2;

/** One SSH endpoint of the lab: key-only login for one user, exec requests only. */
export interface ExecOutcome {
  stdout: string;
  stderr: string;
  code: number;
  /** The output was written as it came (ExecWriter): only the exit status is left to send. */
  streamed?: boolean;
}

/** Output written to the channel while the command still runs. */
export interface ExecWriter {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface SshEndpointOptions {
  name: string;
  hostKey: string;
  port: number;
  user: string;
  clientPublicKey: string;
  /** Also accept this password (password and keyboard-interactive, as ESXi asks); default: key only. */
  password?: string | undefined;
  fault: () => HostFault | undefined;
  onConnection: () => void;
  /** Run one exec request. `connectionCommands` is the count on this connection so far. */
  exec: (line: string, connectionCommands: number, write: ExecWriter) => Promise<ExecOutcome | 'drop'>;
}

export interface SshEndpoint {
  name: string;
  port: number;
  fingerprint: string;
  close(): Promise<void>;
}

export function makeKeyPair(comment: string): { private: string; public: string } {
  // ssh2 0.5% of the time writes an ed25519 key its own parser rejects ("Malformed OpenSSH private
  // key"): keep only keys that parse.
  for (let i = 0; i < 20; i++) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(k.private) instanceof Error) && !(utils.parseKey(k.public) instanceof Error))
      return { private: k.private, public: k.public };
  }
  throw new Error('could not generate an ed25519 key that ssh2 can read');
}

/** `SHA256:…` as OpenSSH prints it (base64 without padding). */
export function fingerprintOf(privateOrPublicKey: string): string {
  const parsed = utils.parseKey(privateOrPublicKey);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  return `SHA256:${createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
}

export async function startSshEndpoint(o: SshEndpointOptions): Promise<SshEndpoint> {
  const allowedRaw = utils.parseKey(o.clientPublicKey);
  if (allowedRaw instanceof Error) throw allowedRaw;
  const allowed = (Array.isArray(allowedRaw) ? allowedRaw[0] : allowedRaw) as ParsedKey;
  const allowedBlob = allowed.getPublicSSH();
  const clients = new Set<Connection>();
  const server: SshServerType = new Server({ hostKeys: [o.hostKey], ident: 'OpenSSH_8.8' }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    if (o.fault()?.refuse) {
      // Closed before the SSH handshake: the client sees the connection go away at once.
      const sock = (client as unknown as { _sock?: { destroy(): void } })._sock;
      if (sock) sock.destroy();
      else client.end();
      return;
    }
    o.onConnection();
    // Answer at once like a device on a LAN: no Nagle wait between the output and exit-status packets.
    (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true); // at runtime; @types/ssh2 lacks it
    let commands = 0;
    const methods: ('publickey' | 'password' | 'keyboard-interactive')[] =
      o.password === undefined ? ['publickey'] : ['publickey', 'password', 'keyboard-interactive'];
    client.on('authentication', (ctx) => {
      if (o.password !== undefined && ctx.username === o.user) {
        if (ctx.method === 'password') return ctx.password === o.password ? ctx.accept() : ctx.reject(methods);
        if (ctx.method === 'keyboard-interactive') {
          return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) =>
            answers[0] === o.password ? ctx.accept() : ctx.reject(methods),
          );
        }
      }
      if (ctx.method !== 'publickey' || ctx.username !== o.user) return ctx.reject(methods);
      const blob = ctx.key.data;
      if (ctx.key.algo !== allowed.type || blob.length !== allowedBlob.length || !timingSafeEqual(blob, allowedBlob))
        return ctx.reject(methods);
      if (ctx.signature && ctx.blob) {
        if (allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(methods);
      }
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('shell', (accept) => {
          const stream = accept();
          stream.write(`This lab ${o.name} accepts commands only: ssh ${o.user}@host 'COMMAND'\r\n`);
          stream.exit(1);
          stream.end();
        });
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          commands++;
          const n = commands;
          const write: ExecWriter = {
            stdout: (text) => void (text && stream.write(text)),
            stderr: (text) => void (text && stream.stderr.write(text)),
          };
          o.exec(info.command, n - 1, write).then(
            (r) => {
              if (r === 'drop') {
                // Mid-command: the command ran, its answer never arrives.
                const sock = (client as unknown as { _sock?: { destroy(): void } })._sock;
                if (sock) sock.destroy();
                else client.end();
                return;
              }
              if (!r.streamed) {
                if (r.stdout) stream.write(r.stdout);
                if (r.stderr) stream.stderr.write(r.stderr);
              }
              stream.exit(r.code);
              stream.end();
            },
            (err: unknown) => {
              stream.stderr.write(`lab internal error: ${(err as Error).message}\n`);
              stream.exit(1);
              stream.end();
            },
          );
        });
      });
    });
  });
  const port = await listen(server, o.port);
  return {
    name: o.name,
    port,
    fingerprint: fingerprintOf(o.hostKey),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
        setTimeout(resolve, 500).unref();
      }),
  };
}

/** Listen on 127.0.0.1:port, or on a free port when that one is taken. */
function listen(server: SshServerType, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      if (port !== 0 && err.code === 'EADDRINUSE') {
        server.removeListener('error', onError);
        listen(server, 0).then(resolve, reject);
      } else reject(err);
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}
