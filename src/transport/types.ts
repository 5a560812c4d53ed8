/**
 * The transport port: what the adapters, capture and engine use to run a command on a device.
 * ssh/ implements it over ssh2; the lab and tests reach it the same way.
 */

import type { BatchShell } from './batch.js';
import type { CommandIntent } from './intent.js';

export type DeviceKind = 'esxi' | 'ontap' | 'hyperv';

export type AuthSpec =
  | { method: 'agent'; socket?: string | undefined }
  | { method: 'key'; keyFile: string; passphraseEnv?: string | undefined }
  | { method: 'password'; passwordEnv?: string | undefined };

/** How to reach one device. Secrets are never here: only where to find them. */
export interface Endpoint {
  /** The name the site file gives the device; every message names it. */
  name: string;
  kind: DeviceKind;
  address: string;
  port: number;
  user: string;
  auth: AuthSpec;
  /** Pinned `SHA256:` fingerprint (OpenSSH format, base64 without padding). */
  hostKey?: string | undefined;
}

export interface ExecOptions {
  /** Per-command timeout; when it passes the channel is closed and CommandTimeoutError thrown. */
  timeoutMs?: number;
  /** Cap on stdout and on stderr each; the rest is dropped and `truncated` set. */
  maxOutputBytes?: number;
  /** What this command is for, for the audit log (e.g. `kill soft web01`). */
  purpose?: string;
  /** What a mutating command does, as data: journaled with its line (src/transport/intent.ts). */
  intent?: CommandIntent | undefined;
  /** Aborting closes the channel (or drops the queued command) and rejects with the abort reason. */
  signal?: AbortSignal | undefined;
  /** The command changes nothing on the device. `shared`: an identical read sent a moment ago may
   *  answer it; `own`: it is answered by a read that left for the device after this caller asked
   *  (file contents another host may have written; a guard read right before a destructive action,
   *  which must see anything done since the check), shared only with callers that asked for the
   *  same line before it left.
   *  Unmarked commands count as changes, scoped by their `intent` (src/transport/shared-reads.ts). */
  read?: 'shared' | 'own';
  /** A read of one VM only (power state, snapshot tree, heartbeat…): its vmid. A change to another
   *  VM of the host leaves it shared; without it a read is of the whole host. */
  vmid?: number | undefined;
  /** On a shared read of one VM (`vmid`): any read of it still kept serves it, however long ago it
   *  was sent, as long as no change counted since made it stale (src/transport/shared-reads.ts).
   *  For a check whose change the device itself refuses in the state that read could have missed
   *  (ESXi powers on no VM that is on): a change someone else made meanwhile costs a refused
   *  command, never a wrong one. */
  keptUntilChanged?: boolean | undefined;
  /** A read of the whole host asked for what it says of some VMs, processes, files or names only
   *  (is vmid 5 registered? does world 7 still run?): a change that touches none of them leaves it
   *  shared for this caller (src/transport/shared-reads.ts). Without it, any change makes it stale. */
  about?: readonly ReadSubject[] | undefined;
  /** Called when the command leaves for the device, after any wait for a free channel: a shared
   *  read's answer is at least that new (src/transport/shared-reads.ts). */
  onSent?: (() => void) | undefined;
  /** A read the device's shell can run in one script with other reads of the host asked for at
   *  the same moment (src/transport/batch.ts); its result, exit status and journal entry stay its
   *  own. Ignored with a `signal` (one read cannot be stopped inside a shared script). */
  batch?: BatchShell | undefined;
  /** On a change whose device shell joins reads (`batch`): reads to take right after it, in the
   *  same exec. Each still gets its own result and journal entry (CommandResult.readsAfter); they are
   *  answers taken after the change ended, so a verify can be served one of them rather than send
   *  its own (src/transport/shared-reads.ts). A host that cannot join them sends the change alone. */
  readsAfter?: readonly ReadAfter[] | undefined;
  /** Called once the command has ended on the device, as soon as that is known: for a change with
   *  reads after it (readsAfter), when its end marker arrives, before they are answered (the exec
   *  may still fail after); alone, with its answer (not when the exec fails). */
  onEnded?: (() => void) | undefined;
}

/** What a caller asks a host-wide read about: a VM by vmid, a process by world id, a .vmx by path, a display name. */
export type ReadSubject = { vmid: number } | { world: number } | { vmx: string } | { name: string };

/** A read sent right after a change, in its exec (ExecOptions.readsAfter). */
export interface ReadAfter {
  line: string;
  options: ExecOptions;
}

export interface CommandResult {
  host: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  durationMs: number;
  truncated: boolean;
  /** The answers to ExecOptions.readsAfter, in order, when they went with the change; one the
   *  script ended before has no exit status (nothing is known of it). */
  readsAfter?: readonly CommandResult[] | undefined;
}

/** One device, one connection, many commands. */
export interface RemoteHost {
  readonly endpoint: Endpoint;
  exec(commandLine: string, options?: ExecOptions): Promise<CommandResult>;
}

/** A command about to leave for a device, as the journal records it. */
export interface CommandStarted {
  id: string;
  host: string;
  command: string;
  purpose?: string | undefined;
  intent?: CommandIntent | undefined;
  at: number;
  /** Several commands sent in one script (src/transport/batch.ts): the same id for each of them. */
  script?: string | undefined;
}

/** Where every command and result goes, raw: a sink that stores or shows them redacts them (src/transport/redact.ts). */
export interface AuditSink {
  /**
   * A command is about to leave. When this returns a promise, the command is sent once it resolves
   * (its intent is on record) and not at all when it rejects.
   */
  commandStarted(event: CommandStarted): void | Promise<void>;
  commandFinished(event: { id: string; result: CommandResult; error?: string | undefined }): void;
}

export interface PoolStats {
  connections: Record<string, number>;
  commands: Record<string, number>;
}

/** A set of RemoteHosts keyed by endpoint name: at most one live connection per host. */
export interface HostPool {
  host(name: string): RemoteHost;
  stats(): PoolStats;
  close(): Promise<void>;
}
