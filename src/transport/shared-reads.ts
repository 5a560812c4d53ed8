/**
 * Reads that many targets share, read once per host per moment. Two hundred VMs' checks and
 * verifies ask the same host for `getallvms`, `esxcli vm process list` or a power state within a
 * few milliseconds of each other; an adapter marks such a command `read: true` (it changes
 * nothing on the device) and `read: 'shared'`, and the host wrapped here sends it once for all of
 * them (`read: 'own'`, file contents that another host may have written, is sent for its caller).
 *
 * The freshness rule, which keeps every verify a read taken after its action:
 * - a read result is shared only among callers that asked for the same command line while it was
 *   in flight or within `freshMs` of when it was sent (a poll always gets a read sent after its
 *   previous one: the window is shorter than the poll interval);
 * - any other command sent to a host (anything not marked as a read counts as a change) makes
 *   every earlier read of that host stale, at the moment it is sent and again when it ends, so a
 *   read sent while a change was in flight serves nobody after the change is answered;
 * - a change sent to the storage (ONTAP) makes every host's reads stale: the hosts see its
 *   volumes.
 * Failed reads are never kept; a read with its own abort signal is never shared.
 * The journal records every command that reaches a device, once; a caller served by a shared read
 * sent no command.
 */
import type { CommandResult, ExecOptions, HostPool, RemoteHost } from './types.js';

interface HostReads {
  /** Bumped when a change is sent and when it ends. */
  generation: number;
  reads: Map<string, { generation: number; sentAt: number; result: Promise<CommandResult> }>;
}

export interface SharedReadsOptions {
  /** How long after it was sent a read still serves a caller that asks for the same (ms). */
  freshMs: number;
  /** For tests: the clock. */
  now?: () => number;
}

export interface SharedReadStats {
  /** Reads sent to a device. */
  sent: number;
  /** Reads answered by one already sent. */
  shared: number;
}

/** One site's shared reads: wrap each host once (`host()`); the same name gives the same wrapper. */
export class SharedReads {
  private readonly hosts = new Map<string, HostReads>();
  private readonly wrapped = new Map<string, RemoteHost>();
  private readonly counts: SharedReadStats = { sent: 0, shared: 0 };
  private readonly now: () => number;

  constructor(private readonly options: SharedReadsOptions) {
    this.now = options.now ?? Date.now;
  }

  stats(): SharedReadStats {
    return { ...this.counts };
  }

  /**
   * The host with its reads shared. `storage`: its changes make every host's reads stale (the
   * ONTAP cluster whose volumes the hosts mount).
   */
  host(inner: RemoteHost, role: { storage?: boolean } = {}): RemoteHost {
    const name = inner.endpoint.name;
    const known = this.wrapped.get(name);
    if (known) return known;
    const state = this.stateOf(name);
    const wrapper: RemoteHost = {
      endpoint: inner.endpoint,
      exec: (line, opts = {}) => {
        if (opts.read === 'shared' && !opts.signal) return this.read(state, inner, line, opts);
        if (opts.read) return inner.exec(line, opts);
        return this.change(role.storage ? null : state, inner, line, opts);
      },
    };
    this.wrapped.set(name, wrapper);
    return wrapper;
  }

  /** The pool with every host's reads shared; `storage` names the hosts whose changes every host sees. */
  pool(inner: HostPool, storage: readonly string[]): HostPool {
    return {
      host: (name) => this.host(inner.host(name), { storage: storage.includes(name) }),
      stats: () => inner.stats(),
      close: () => inner.close(),
    };
  }

  private stateOf(name: string): HostReads {
    let s = this.hosts.get(name);
    if (!s) {
      s = { generation: 0, reads: new Map() };
      this.hosts.set(name, s);
    }
    return s;
  }

  private read(state: HostReads, inner: RemoteHost, line: string, opts: ExecOptions): Promise<CommandResult> {
    const now = this.now();
    const known = state.reads.get(line);
    if (known && known.generation === state.generation && now - known.sentAt <= this.options.freshMs) {
      this.counts.shared++;
      return known.result;
    }
    const entry = { generation: state.generation, sentAt: now, result: inner.exec(line, opts) };
    state.reads.set(line, entry);
    this.counts.sent++;
    entry.result.catch(() => {
      if (state.reads.get(line) === entry) state.reads.delete(line);
    });
    return entry.result;
  }

  /** A change to one host (state) or, for the storage (null), to what every host sees. */
  private async change(state: HostReads | null, inner: RemoteHost, line: string, opts: ExecOptions): Promise<CommandResult> {
    this.stale(state);
    try {
      return await inner.exec(line, opts);
    } finally {
      this.stale(state);
    }
  }

  private stale(state: HostReads | null): void {
    for (const s of state ? [state] : this.hosts.values()) {
      s.generation++;
      s.reads.clear();
    }
  }
}
