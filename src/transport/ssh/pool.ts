/**
 * The SSH implementation of the transport port: one lazily opened ssh2 connection per host, reused
 * by every command, with several exec channels at once up to a per-host limit.
 */
import { AsyncResource } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { Client as ClientType, ClientChannel, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import pLimit from 'p-limit';
import { CommandTimeoutError, ConnectError, OperatorError, describeError } from '../../errors.js';
import { ScriptSplitter, batchScript, type BatchPart } from '../batch.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { AuditSink, CommandResult, Endpoint, ExecOptions, HostPool, PoolStats, ReadAfter, RemoteHost } from '../types.js';
import { fingerprintOf } from './fingerprint.js';
import { socketFailure } from './socket-errors.js';
import { lookupKnownHosts, type KnownKey } from './known-hosts.js';

const { Client, utils } = ssh2;

export interface SshPoolOptions {
  /** Environment for SSH_AUTH_SOCK, HOME and the `passwordEnv` / `passphraseEnv` variables. */
  env: Record<string, string | undefined>;
  /** Ask the operator for a secret (no echo). Without it, a missing secret is a ConnectError. */
  askSecret?: ((prompt: string) => Promise<string>) | undefined;
  /** Interactive runs pass this to show an unknown host key for confirmation. */
  confirmUnknownHostKey?: ((endpoint: Endpoint, fingerprint: string) => Promise<boolean>) | undefined;
  /** Default ~/.ssh/known_hosts from env.HOME; consulted when an endpoint has no pinned hostKey. */
  knownHostsFile?: string | undefined;
  audit?: AuditSink | undefined;
  /** Shared with the sinks that store and show output; the pool adds every password and passphrase it learns. */
  redactor?: Redactor | undefined;
  /** Exec channels open at once on one host (default 8; OpenSSH allows 10 sessions by default). */
  perHostLimit?: number | undefined;
  /** Connect + handshake + login timeout in ms (default 20 000). */
  readyTimeout?: number | undefined;
  /** Keepalive interval in ms (default 15 000) and missed answers before the link counts as dropped (default 3). */
  keepaliveInterval?: number | undefined;
  keepaliveCountMax?: number | undefined;
  /** Per-command timeout when ExecOptions has none (default 10 minutes). */
  commandTimeoutMs?: number | undefined;
  /** Cap on stdout and on stderr each when ExecOptions has none (default 16 MiB). */
  maxOutputBytes?: number | undefined;
}

export interface SshPool extends HostPool {
  readonly redactor: Redactor;
}

const DEFAULT_LIMIT = 8;
/** Reads joined in one script at most: its output stays a few hundred kB even for big listings. */
const MAX_BATCH = 32;
/**
 * A moment's reads go out in several scripts, on channels idle now, only when each still carries
 * this many: a script's reads run one after another on the device, so 25 VMs' reads in one script
 * cost 25 reads' time, and over 3 idle channels a third of it, for 2 more sessions.
 */
const SPREAD_MIN = 8;
const DEFAULT_READY_TIMEOUT = 20_000;
const DEFAULT_COMMAND_TIMEOUT = 10 * 60_000;
const DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;
// ssh2's own default order; known_hosts key types are moved to the front so the server presents
// the key we have on record rather than another type we would have to call "changed".
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

export function createSshPool(endpoints: Endpoint[], options: SshPoolOptions): SshPool {
  const redactor = options.redactor ?? createRedactor();
  const hosts = new Map<string, SshHost>();
  for (const ep of endpoints) {
    if (hosts.has(ep.name)) throw new OperatorError(`two devices are named ${ep.name}`, 'give every device in the site file its own name');
    hosts.set(ep.name, new SshHost(ep, options, redactor));
  }
  return {
    redactor,
    host(name) {
      const h = hosts.get(name);
      if (!h) throw new OperatorError(`no device named ${name}`, `known devices: ${[...hosts.keys()].join(', ') || 'none'}`);
      return h;
    },
    stats(): PoolStats {
      const s: PoolStats = { connections: {}, commands: {} };
      for (const [name, h] of hosts) {
        s.connections[name] = h.connectionCount;
        s.commands[name] = h.commandCount;
      }
      return s;
    },
    async close() {
      await Promise.all([...hosts.values()].map((h) => h.close()));
    },
  };
}

interface Live {
  client: ClientType;
  /** Set as soon as the connection is gone, before ssh2 tears its channels down. */
  dead: boolean;
  closed: Promise<void>;
}

/** One command of a joined script (src/transport/batch.ts). */
interface ScriptPart {
  line: string;
  opts: ExecOptions;
  /** Runs a function in the caller's async context: its journal entry is tagged with the caller's step and VM. */
  inScope: <T>(f: () => T) => T;
}

/** A read waiting to go out in one script with others (ExecOptions.batch). */
interface BatchMember extends ScriptPart {
  resolve: (r: CommandResult) => void;
  reject: (e: unknown) => void;
}

type AuthConfig = Pick<ConnectConfig, 'agent' | 'privateKey' | 'passphrase' | 'password' | 'tryKeyboard'>;

class SshHost implements RemoteHost {
  connectionCount = 0;
  commandCount = 0;
  private live: Promise<Live> | null = null;
  private current: Live | null = null;
  /** Secrets learned for this host, kept in memory only so a reconnect does not ask again. */
  private password: string | undefined;
  private passphrase: string | undefined;
  private acceptedUnknownKey: string | undefined;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly label: string;
  /** Batchable reads asked for at this moment, not yet given a channel (ExecOptions.batch). */
  private gathering: BatchMember[] | null = null;

  constructor(
    readonly endpoint: Endpoint,
    private readonly options: SshPoolOptions,
    private readonly redactor: Redactor,
  ) {
    this.limit = pLimit(options.perHostLimit ?? DEFAULT_LIMIT);
    this.label = `${endpoint.name} (${endpoint.address}:${endpoint.port})`;
  }

  exec(commandLine: string, execOptions: ExecOptions = {}): Promise<CommandResult> {
    if (execOptions.batch && !execOptions.signal) {
      if (execOptions.read) return this.join(commandLine, execOptions);
      const reads = execOptions.readsAfter;
      if (reads?.length) return this.limit(() => this.runWithReadsAfter(commandLine, execOptions, reads));
    }
    return this.limit(() => this.run(commandLine, execOptions));
  }

  /**
   * A batchable read joins the reads asked for at the same moment (this turn of the event loop)
   * and those asked for while they wait for a free channel; when the channel is theirs they go out
   * as one script (src/transport/batch.ts), or alone when there is only one.
   */
  private join(line: string, opts: ExecOptions): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve, reject) => {
      // The caller's async context, for journaling the read under its step and VM when the script
      // goes out. A plain resource: AsyncResource.bind also makes deprecation wrappers per call.
      const caller = new AsyncResource('drbook.read');
      const member: BatchMember = { line, opts, resolve, reject, inScope: (f) => caller.runInAsyncScope(f) };
      if (this.gathering && this.gathering.length < MAX_BATCH) {
        this.gathering.push(member);
        return;
      }
      const members = [member];
      this.gathering = members;
      setImmediate(() => {
        // Spread over the channels idle now, or one script that reads asked while it waits for a
        // channel still join.
        const scripts = this.spread(members);
        if (scripts.length > 1 && this.gathering === members) this.gathering = null;
        for (const script of scripts)
          void this.limit(() => {
            if (this.gathering === script) this.gathering = null;
            return this.runBatch(script);
          });
      });
    });
  }

  /** A moment's reads as scripts: one, or as many as channels are idle now when each keeps SPREAD_MIN reads. */
  private spread(members: BatchMember[]): BatchMember[][] {
    const idle = this.limit.concurrency - this.limit.activeCount - this.limit.pendingCount;
    const count = Math.min(idle, Math.floor(members.length / SPREAD_MIN));
    if (count <= 1) return [members];
    const size = Math.ceil(members.length / count);
    const scripts: BatchMember[][] = [];
    for (let i = 0; i < members.length; i += size) scripts.push(members.slice(i, i + size));
    return scripts;
  }

  private async runBatch(members: BatchMember[]): Promise<void> {
    if (members.length === 1) {
      const [m] = members as [BatchMember];
      await m.inScope(() => this.run(m.line, m.opts)).then(m.resolve, m.reject);
      return;
    }
    try {
      // Each read is answered as its own command ends, while the script runs on.
      await this.runScript(members, (i, result) => members[i]!.resolve(result));
    } catch (err) {
      // Those answered already keep their answer.
      for (const m of members) m.reject(err);
    }
  }

  /**
   * A change and the reads to take right after it (ExecOptions.readsAfter) in one script: the
   * change's result carries theirs. The reads run after the change has ended, whatever its exit
   * status: they say what it left.
   */
  private async runWithReadsAfter(line: string, opts: ExecOptions, reads: readonly ReadAfter[]): Promise<CommandResult> {
    const here = <T>(f: () => T): T => f();
    const [change, ...after] = await this.runScript([
      { line, opts, inScope: here },
      ...reads.map((r) => ({ line: r.line, opts: r.options, inScope: here })),
    ]);
    return { ...change!, readsAfter: after };
  }

  /**
   * Several commands in one POSIX sh script (src/transport/batch.ts), one after another: each gets
   * its own journal entry, output and exit status, as soon as it has ended (`onPart`, and its
   * ExecOptions.onEnded). A command the script ended before gets no exit status. When the exec
   * itself fails, the entry of every command not ended yet says so and the error is thrown.
   */
  private async runScript(parts: readonly ScriptPart[], onPart?: (index: number, result: CommandResult) => void): Promise<CommandResult[]> {
    const audit = this.options.audit;
    const startedAt = Date.now();
    const scriptId = randomUUID();
    const sent = parts.map((m) => m.inScope(() => this.sent(m.line, m.opts, startedAt, scriptId)));
    const ids = sent.map((x) => x.id);
    const nonce = randomBytes(8).toString('hex');
    const script = batchScript(
      parts.map((m) => m.line),
      nonce,
    );
    const caps = parts.map((m) => m.opts.maxOutputBytes);
    const whole = this.pending(script, startedAt);
    const results: CommandResult[] = [];
    const ended = (i: number, part: BatchPart | null): void => {
      const m = parts[i]!;
      // No end marker: the script was cut short before this command ended; what it printed is unknown.
      const result: CommandResult = {
        ...whole,
        command: m.line,
        exitCode: part ? part.exitCode : null,
        signal: part ? null : whole.signal,
        stdout: part?.stdout ?? '',
        stderr: part ? part.stderr : 'the command was sent in one script with others, and the script ended before it did',
        truncated: part ? false : whole.truncated,
        durationMs: part ? Date.now() - startedAt : whole.durationMs,
      };
      results[i] = result;
      m.inScope(() => audit?.commandFinished({ id: ids[i]!, result }));
      if (part) m.opts.onEnded?.();
      onPart?.(i, result);
    };
    // A part ends inside the channel's data event: what its journal entry throws (a full disk) is
    // thrown from here after the exec, not into ssh2.
    let endFailure: { error: unknown } | undefined;
    const splitter = new ScriptSplitter(nonce, parts.length, (i, part) => {
      try {
        ended(i, part);
      } catch (error) {
        endFailure ??= { error };
      }
    });
    try {
      await Promise.all(sent.map((x) => Promise.resolve(x.onRecord)));
      const live = await this.connection();
      await this.execOn(
        live,
        script,
        {
          timeoutMs: Math.max(...parts.map((m) => m.opts.timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT)),
          ...(caps.every((c) => c !== undefined) ? { maxOutputBytes: caps.reduce((a, c) => a + c, 0) } : {}),
        },
        whole,
        splitter,
      );
    } catch (err) {
      whole.durationMs = Date.now() - startedAt;
      parts.forEach((m, i) => {
        if (results[i] === undefined)
          m.inScope(() => audit?.commandFinished({ id: ids[i]!, result: { ...whole, command: m.line }, error: describeError(err) }));
      });
      throw err;
    }
    // The parts whole only now are told by end(); those whose markers never came, here.
    splitter.end().forEach((part, i) => {
      if (results[i] === undefined) ended(i, part);
    });
    if (endFailure) throw endFailure.error;
    return results;
  }

  async close(): Promise<void> {
    const pending = this.live;
    this.live = null;
    this.current = null;
    // A connection still logging in is waited for and ended too, so nothing outlives the pool.
    const live = pending ? await pending.catch(() => null) : null;
    if (live && !live.dead) {
      live.client.end();
      await live.closed;
    }
  }

  private async run(commandLine: string, opts: ExecOptions): Promise<CommandResult> {
    const startedAt = Date.now();
    const audit = this.options.audit;
    const { id, onRecord } = this.sent(commandLine, opts, startedAt);
    const partial = this.pending(commandLine, startedAt);
    try {
      await onRecord;
      opts.signal?.throwIfAborted();
      const live = await this.connection();
      const result = await this.execOn(live, commandLine, opts, partial);
      // The device's output as it is: the parsers read it. What is stored or shown of it is
      // redacted by the sinks (src/engine/redact-events.ts), never here.
      audit?.commandFinished({ id, result });
      opts.onEnded?.();
      return result;
    } catch (err) {
      partial.durationMs = Date.now() - startedAt;
      audit?.commandFinished({ id, result: { ...partial }, error: describeError(err) });
      throw err;
    }
  }

  /**
   * A command leaves for the device, alone or in a joined script: its caller is told (onSent) and
   * the journal gets its start, the same for both. Returns its id and what to wait for before it is
   * sent (its intent on record: AuditSink.commandStarted).
   */
  private sent(command: string, opts: ExecOptions, startedAt: number, script?: string): { id: string; onRecord: void | Promise<void> } {
    const id = randomUUID();
    opts.onSent?.();
    const onRecord = this.options.audit?.commandStarted({
      id,
      host: this.endpoint.name,
      command,
      purpose: opts.purpose,
      intent: opts.intent,
      at: startedAt,
      ...(script === undefined ? {} : { script }),
    });
    return { id, onRecord };
  }

  /** The result of a command not answered yet: execOn fills it in. */
  private pending(command: string, startedAt: number): CommandResult {
    return {
      host: this.endpoint.name,
      command,
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: '',
      startedAt,
      durationMs: 0,
      truncated: false,
    };
  }

  private connection(): Promise<Live> {
    // Every caller shares one attempt; a failed attempt is forgotten so the next exec retries.
    if (this.live) return this.live;
    const attempt = this.connect();
    this.live = attempt;
    attempt.catch(() => {
      if (this.live === attempt) this.live = null;
    });
    return attempt;
  }

  /**
   * Connects; an unknown host key is shown for confirmation between two attempts rather than inside
   * the handshake, so the operator's reading time does not count against readyTimeout.
   */
  private async connect(): Promise<Live> {
    const confirm = this.options.confirmUnknownHostKey;
    try {
      return await this.connectOnce(confirm !== undefined);
    } catch (err) {
      if (!(err instanceof UnknownHostKey) || !confirm) throw err;
      const ok = await confirm(this.endpoint, err.fingerprint).catch(() => false);
      if (!ok) throw this.unknownKeyError(err.fingerprint);
      this.acceptedUnknownKey = err.fingerprint;
      return await this.connectOnce(false);
    }
  }

  private unknownKeyError(fingerprint: string): ConnectError {
    return new ConnectError(
      this.endpoint.name,
      'hostkey-unknown',
      `${this.label}: unknown host key ${fingerprint}`,
      `check it on the device's console, then pin it as \`hostKey: ${fingerprint}\` for ${this.endpoint.name} in the site file (or run \`drbook init\`)`,
    );
  }

  private async connectOnce(mayConfirm: boolean): Promise<Live> {
    const ep = this.endpoint;
    const auth = await this.authConfig();
    const knownFile = this.knownHostsFile();
    const known = ep.hostKey || !knownFile ? [] : await this.knownKeys(knownFile);
    const client = new Client();
    let hostKeyError: Error | undefined;

    const hostVerifier = (key: Buffer): boolean => {
      const got = fingerprintOf(key);
      const expected = ep.hostKey
        ? [ep.hostKey]
        : this.acceptedUnknownKey
          ? [this.acceptedUnknownKey] // confirmed a moment ago: a different key now is a change
          : known.filter((k) => !k.revoked).map((k) => k.fingerprint);
      const revoked = known.some((k) => k.revoked && k.fingerprint === got);
      if (!revoked && expected.includes(got)) return true;
      if (revoked || expected.length > 0) {
        hostKeyError = new ConnectError(
          ep.name,
          'hostkey-changed',
          `${this.label}: HOST KEY CHANGED: expected ${expected.join(' or ') || '(revoked key)'}, got ${got}`,
          ep.hostKey
            ? `verify the key on the device's console (ssh-keygen -lf on its host key) before updating hostKey for ${ep.name} in the site file; until then this host is refused`
            : `verify the key on the device's console (ssh-keygen -lf on its host key) before changing its entry in ${knownFile}; until then this host is refused`,
        );
        return false;
      }
      hostKeyError = mayConfirm ? new UnknownHostKey(got) : this.unknownKeyError(got);
      return false;
    };

    const preferred = [...new Set(known.flatMap((k) => algorithmsFor(k.keyType)))];
    const config: ConnectConfig = {
      host: ep.address,
      port: ep.port,
      username: ep.user,
      readyTimeout: this.options.readyTimeout ?? DEFAULT_READY_TIMEOUT,
      keepaliveInterval: this.options.keepaliveInterval ?? 15_000,
      keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
      hostVerifier,
      ...auth,
      ...(preferred.length > 0
        ? {
            algorithms: {
              serverHostKey: [...preferred, ...HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))] as ServerHostKeyAlgorithm[],
            },
          }
        : {}),
    };

    return new Promise<Live>((resolve, reject) => {
      let ready = false;
      let firstError: Error | undefined;
      let resolveClosed!: () => void;
      const live: Live = { client, dead: false, closed: new Promise<void>((res) => (resolveClosed = res)) };
      client.setMaxListeners(0);
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
        // ESXi asks for the password by keyboard-interactive; answer every hidden prompt with it.
        finish(prompts.map(() => auth.password ?? ''));
      });
      client.on('ready', () => {
        ready = true;
        // Small request packets (channel open, exec) must not wait for a delayed ACK (Nagle):
        // without it every command paid ~40 ms of idle time on the wire.
        client.setNoDelay(true);
        this.current = live;
        this.connectionCount++;
        resolve(live);
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        if (!ready) {
          firstError ??= err;
          if (hostKeyError) return reject(hostKeyError);
          reject(this.mapConnectError(err));
        }
        // After ready, the 'close' that follows is what fails the running commands.
      });
      const gone = (): void => {
        live.dead = true;
        if (this.current === live) {
          this.current = null;
          this.live = null;
        }
      };
      client.on('end', gone);
      client.on('close', () => {
        gone();
        resolveClosed();
        if (!ready) {
          reject(
            hostKeyError ??
              (firstError
                ? this.mapConnectError(firstError)
                : new ConnectError(
                    ep.name,
                    'unreachable',
                    `${this.label}: cannot connect: the host closed the connection during login`,
                    'check that the address and port in the site file point at an SSH server',
                  )),
          );
        }
      });
      client.connect(config);
    });
  }

  private mapConnectError(err: Error & { level?: string; code?: string }): ConnectError {
    const ep = this.endpoint;
    const cannot = `${this.label}: cannot connect`;
    const netHint = 'check the address and port in the site file and that SSH is enabled on the host';
    if (err.level === 'client-authentication') {
      if (ep.auth.method === 'password') this.password = undefined; // a typo must not stick for the whole run
      const what =
        ep.auth.method === 'password'
          ? ep.auth.passwordEnv
            ? `check the password in $${ep.auth.passwordEnv} and that ${ep.user} may log in over SSH`
            : `check the password and that ${ep.user} may log in over SSH`
          : ep.auth.method === 'key'
            ? `check that the public key of ${ep.auth.keyFile} is in ${ep.user}'s authorized_keys on the device`
            : `check that ssh-agent holds a key the device accepts for ${ep.user} (ssh-add -l)`;
      return new ConnectError(ep.name, 'auth', `${this.label}: login refused for ${ep.user} (${ep.auth.method})`, what, {
        cause: err,
      });
    }
    if (err.level === 'agent') {
      const socket = ep.auth.method === 'agent' ? (ep.auth.socket ?? this.options.env.SSH_AUTH_SOCK) : undefined;
      return new ConnectError(
        ep.name,
        'auth',
        `${this.label}: ssh-agent at ${socket ?? '?'} failed: ${err.message}`,
        'check that ssh-agent runs and SSH_AUTH_SOCK (or auth.socket in the site file) points at it',
        { cause: err },
      );
    }
    if (err.level === 'client-timeout') {
      const secs = (this.options.readyTimeout ?? DEFAULT_READY_TIMEOUT) / 1000;
      return new ConnectError(
        ep.name,
        'timeout',
        `${cannot}: no SSH answer within ${secs} s`,
        `${netHint}, and that no firewall drops it`,
        { cause: err },
      );
    }
    const { why, reason } = socketFailure(err);
    return new ConnectError(ep.name, reason, `${cannot}: ${why}`, netHint, { cause: err });
  }

  private knownHostsFile(): string | undefined {
    return this.options.knownHostsFile ?? (this.options.env.HOME ? path.join(this.options.env.HOME, '.ssh', 'known_hosts') : undefined);
  }

  private async knownKeys(file: string): Promise<KnownKey[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return []; // no known_hosts: every key is unknown, which is refused unless confirmed
    }
    return lookupKnownHosts(text, this.endpoint.address, this.endpoint.port);
  }

  private async secret(envName: string | undefined, prompt: string, what: string, fix: string): Promise<string> {
    const fromEnv = envName ? this.options.env[envName] : undefined;
    let value = fromEnv;
    if (value === undefined || value === '') {
      if (!this.options.askSecret) {
        throw new ConnectError(
          this.endpoint.name,
          'auth',
          `${this.label}: no ${what} for ${this.endpoint.user}${envName ? ` ($${envName} is not set)` : ''}`,
          fix,
        );
      }
      value = await this.options.askSecret(prompt);
    }
    this.redactor.add(value);
    return value;
  }

  private async authConfig(): Promise<AuthConfig> {
    const ep = this.endpoint;
    const auth = ep.auth;
    if (auth.method === 'agent') {
      const socket = auth.socket ?? this.options.env.SSH_AUTH_SOCK;
      if (!socket) {
        throw new ConnectError(
          ep.name,
          'auth',
          `${this.label}: no ssh-agent for ${ep.user} (agent): SSH_AUTH_SOCK is not set`,
          'start ssh-agent and ssh-add your key, or use auth method key in the site file',
        );
      }
      return { agent: socket };
    }
    if (auth.method === 'password') {
      this.password ??= await this.secret(
        auth.passwordEnv,
        `Password for ${ep.user}@${ep.name} (${ep.address}:${ep.port}): `,
        'password',
        auth.passwordEnv
          ? `export ${auth.passwordEnv}, or run interactively to be asked`
          : 'run interactively to be asked, or set passwordEnv in the site file',
      );
      return { password: this.password, tryKeyboard: true };
    }
    let keyData: Buffer;
    try {
      keyData = await readFile(auth.keyFile);
    } catch (err) {
      throw new ConnectError(
        ep.name,
        'auth',
        `${this.label}: cannot read key file ${auth.keyFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        'fix keyFile in the site file',
        { cause: err },
      );
    }
    const plain = utils.parseKey(keyData);
    if (!(plain instanceof Error)) return { privateKey: keyData };
    if (!/passphrase/i.test(plain.message)) {
      throw new ConnectError(
        ep.name,
        'auth',
        `${this.label}: key file ${auth.keyFile} is not a private key ssh2 can read: ${plain.message}`,
        'point keyFile at an OpenSSH or PEM private key',
      );
    }
    this.passphrase ??= await this.secret(
      auth.passphraseEnv,
      `Passphrase for ${auth.keyFile}: `,
      `passphrase for ${auth.keyFile}`,
      auth.passphraseEnv
        ? `export ${auth.passphraseEnv}, or run interactively to be asked`
        : 'run interactively to be asked, or set passphraseEnv in the site file',
    );
    const passphrase = this.passphrase;
    const parsed = utils.parseKey(keyData, passphrase);
    if (parsed instanceof Error) {
      this.passphrase = undefined; // ask again next time rather than repeat a typo
      throw new ConnectError(
        ep.name,
        'auth',
        `${this.label}: wrong passphrase for ${auth.keyFile}`,
        auth.passphraseEnv ? `check $${auth.passphraseEnv}` : 'try again with the right passphrase',
      );
    }
    return { privateKey: keyData, passphrase };
  }

  /** `watch` sees the output as it arrives, up to the output limit (a joined script's parts: ScriptSplitter). */
  private execOn(
    live: Live,
    commandLine: string,
    opts: ExecOptions,
    result: CommandResult,
    watch?: { stdout(chunk: Buffer): void; stderr(chunk: Buffer): void },
  ): Promise<CommandResult> {
    const timeoutMs = opts.timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT;
    const cap = opts.maxOutputBytes ?? this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const out = new Capped(cap);
    const err = new Capped(cap);
    const dropped = (): ConnectError =>
      new ConnectError(
        this.endpoint.name,
        'dropped',
        `${this.label}: the connection dropped while running: ${commandLine}`,
        'check the network to the device; the next command reconnects, and a resumed run re-checks before acting',
      );

    return new Promise<CommandResult>((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        live.client.removeListener('close', onGone);
        opts.signal?.removeEventListener('abort', onAbort);
        result.stdout = out.text();
        result.stderr = err.text();
        result.truncated = out.truncated || err.truncated;
        result.durationMs = Date.now() - result.startedAt;
        if (error) reject(error);
        else resolve(result);
      };
      const onGone = (): void => finish(dropped());
      live.client.once('close', onGone);
      const stopChannel = (): void => {
        if (!channel) return;
        // Ask the server to kill the process (OpenSSH honours it for non-root users), then close the
        // channel regardless; a process that ignores both dies on its next write (SIGPIPE).
        try {
          channel.signal('KILL');
        } catch {
          /* the channel may already be closing */
        }
        channel.close();
      };
      const onAbort = (): void => {
        stopChannel();
        finish(abortReason(opts.signal));
      };
      if (opts.signal?.aborted) return finish(abortReason(opts.signal));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        stopChannel();
        finish(new CommandTimeoutError(this.endpoint.name, commandLine, timeoutMs));
      }, timeoutMs);

      if (live.dead) return finish(dropped());
      this.commandCount++;
      live.client.exec(commandLine, (openErr, ch) => {
        if (openErr) {
          if (live.dead) return finish(dropped());
          return finish(
            new ConnectError(
              this.endpoint.name,
              'unreachable',
              `${this.label}: could not open a command channel: ${openErr.message}`,
              'the device may limit SSH sessions (MaxSessions); lower perHostLimit',
              { cause: openErr },
            ),
          );
        }
        channel = ch;
        if (settled) {
          ch.close(); // timed out or aborted while the channel was opening
          return;
        }
        ch.on('data', (chunk: Buffer) => {
          const kept = out.push(chunk);
          if (kept.length) watch?.stdout(kept);
        });
        ch.stderr.on('data', (chunk: Buffer) => {
          const kept = err.push(chunk);
          if (kept.length) watch?.stderr(kept);
        });
        ch.on('exit', (code: number | null, signal?: string) => {
          result.exitCode = typeof code === 'number' ? code : null;
          result.signal = signal ?? null;
        });
        ch.on('close', () => {
          // ssh2 marks the connection gone before it closes its channels, so this tells a
          // dropped link from a command that ended without an exit status.
          if (live.dead) finish(dropped());
          else finish();
        });
      });
    });
  }
}

/** Collects raw bytes up to a cap; decoded once at the end so split UTF-8 sequences survive. */
class Capped {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  /** Returns the bytes kept (none once the cap is reached). */
  push(chunk: Buffer): Buffer {
    const room = this.cap - this.size;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return chunk.subarray(0, 0);
    }
    const take = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (take.length < chunk.length) this.truncated = true;
    this.chunks.push(take);
    this.size += take.length;
    return take;
  }
  text(): string {
    const all = Buffer.concat(this.chunks, this.size);
    // A cut in the middle of a character would decode to U+FFFD: end the text before it.
    return (this.truncated ? all.subarray(0, utf8Boundary(all)) : all).toString('utf8');
  }
}

/** Length of `buf` without a trailing incomplete UTF-8 sequence. */
function utf8Boundary(buf: Buffer): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const byte = buf[buf.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error
    ? reason
    : new Error(typeof reason === 'string' || typeof reason === 'number' ? String(reason) : 'aborted');
}

/** Internal: the handshake stopped at an unknown key that the operator may still confirm. */
class UnknownHostKey extends Error {
  constructor(readonly fingerprint: string) {
    super(`unknown host key ${fingerprint}`);
  }
}

function algorithmsFor(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return HOST_KEY_ALGORITHMS.includes(keyType) ? [keyType] : [];
}
