/**
 * Reads that many callers share, read once per host per moment. Two hundred VMs' checks and
 * verifies ask the same host for `getallvms`, `esxcli vm process list` or a filesystem list within
 * a few milliseconds of each other, and one VM's stages read its power state, snapshot tree or
 * heartbeat again a moment after the previous stage did; an adapter marks such a command
 * `read: 'shared'` (it changes nothing on the device), and the host wrapped here sends it once for
 * all of them (`read: 'own'` is sent for its caller: file contents that another host may have
 * written, a guard read right before a destructive command).
 *
 * Reads and changes have a scope, taken from typed data the adapter already gives, never from the
 * command line: a read of one VM carries its vmid (ExecOptions.vmid), a change its intent
 * (src/transport/intent.ts; changeScope below). The freshness rule, which keeps every verify a
 * read taken after its action:
 * - a read result is shared only among callers that asked for the same command line while it was
 *   in flight or within `freshMs` of when it was sent (a poll always gets a read sent after its
 *   previous one: the window is shorter than the poll interval). Sent is when the read left for the
 *   device (ExecOptions.onSent), not when it was queued for a free channel: its answer is at least
 *   that new, and with 25 VMs polling one host's few channels the queue alone outlasted the moment;
 * - a change makes earlier reads stale, at the moment it is sent and again when it ends, so a read
 *   sent while the change was in flight serves nobody after the change is answered. Which reads:
 *   - a change to one VM (power, revert, snapshot remove, answer, unregister: its intent names the
 *     vmid) → that VM's reads and the host-wide ones (getallvms, process list, filesystems…);
 *   - a register → the host-wide reads (the VM it creates has a vmid no read could have asked
 *     about: drbook learns it from the register's answer or a getallvms read after it);
 *   - anything else sent to the host (a kill names a world, not a vmid; lockdown, NFS, files; any
 *     command without an intent) → every read of the host: an unknown scope is the whole host;
 * - a change sent to the storage (ONTAP) makes every read of every host stale: the hosts see its
 *   volumes;
 * - a change vCenter makes on a host (a registration through it) is declared by its caller
 *   (changedElsewhere) and stales that host's reads like the same change sent to the host;
 * - the reads a change took right after it in its exec (ExecOptions.readsAfter: its verify's, the
 *   next stage's check's) count as sent when its answer came, after its own staling, unless another
 *   change of their scope began or ended on the host meanwhile: that change may have come after
 *   them, so they are dropped and the next caller reads anew.
 * Failed reads are never kept; a read with its own abort signal is never shared.
 * The journal records every command that reaches a device, once; a caller served by a shared read
 * sent no command.
 */
import type { CommandIntent } from './intent.js';
import type { CommandResult, ExecOptions, HostPool, ReadAfter, RemoteHost } from './types.js';

interface Entry {
  /** When it left for the device (until then: when it was asked for). */
  sent: { at: number };
  result: Promise<CommandResult>;
}

/** One host's reads still fresh enough to share, by scope then command line. */
interface HostReads {
  /** Reads of the whole host. */
  host: Map<string, Entry>;
  /** Reads of one VM, by vmid. */
  vms: Map<number, Map<string, Entry>>;
  /** Changes begun or ended on the host so far, of any scope: a host-wide read taken after a change
   *  is worth keeping only when nothing else changed the host while it ran. */
  changes: number;
  /** The same, counting only changes that make every read of the host stale (scope `host`). */
  wholeHost: number;
  /** The same per VM, for changes scoped to it. */
  vmChanges: Map<number, number>;
}

/** What a change makes stale on its host: one VM's reads (and the host-wide ones), the host-wide reads only, or every read. */
export type ChangeScope = { vmid: number } | 'inventory' | 'host';

/** The scope of a change, from its intent; no intent, or one that names no VM, is the whole host. */
export function changeScope(intent: CommandIntent | undefined): ChangeScope {
  switch (intent?.op) {
    case 'unregister':
    case 'power-on':
    case 'power-off':
    case 'guest-shutdown':
    case 'snapshot-revert':
    case 'snapshot-remove':
    case 'answer-question':
      return { vmid: intent.vmid };
    case 'register':
      return 'inventory';
    default:
      return 'host';
  }
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
        return this.change(role.storage ? null : state, changeScope(opts.intent), inner, line, opts);
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
      s = { host: new Map(), vms: new Map(), changes: 0, wholeHost: 0, vmChanges: new Map() };
      this.hosts.set(name, s);
    }
    return s;
  }

  private read(state: HostReads, inner: RemoteHost, line: string, opts: ExecOptions): Promise<CommandResult> {
    let reads = state.host;
    if (opts.vmid !== undefined) {
      reads = state.vms.get(opts.vmid) ?? new Map<string, Entry>();
      state.vms.set(opts.vmid, reads);
    }
    const now = this.now();
    const known = reads.get(line);
    if (known && now - known.sent.at <= this.options.freshMs) {
      this.counts.shared++;
      return known.result;
    }
    const sent = { at: now };
    const onSent = () => {
      sent.at = this.now();
      opts.onSent?.();
    };
    const entry: Entry = { sent, result: inner.exec(line, { ...opts, onSent }) };
    reads.set(line, entry);
    this.counts.sent++;
    entry.result.catch(() => {
      if (reads.get(line) === entry) reads.delete(line);
    });
    return entry.result;
  }

  /**
   * A change to host `name` made through another path than its own commands (vCenter registering a
   * VM on it): the reads it makes stale are forgotten around it, as around a command of `scope`.
   */
  changedElsewhere<T>(name: string, scope: ChangeScope, change: () => Promise<T>): Promise<T> {
    return this.around(this.stateOf(name), scope, change);
  }

  /**
   * A change to one host (state) or, for the storage (null), to what every host sees. The reads
   * taken right after it in its exec (ExecOptions.readsAfter) are kept as reads sent now: they were
   * taken after the change ended. Only when no other change of their scope began or ended since
   * this one began: such a change may have come after they were taken.
   */
  private async change(
    state: HostReads | null,
    scope: ChangeScope,
    inner: RemoteHost,
    line: string,
    opts: ExecOptions,
  ): Promise<CommandResult> {
    const reads = opts.readsAfter;
    if (!state || !reads?.length) return this.around(state, scope, () => inner.exec(line, opts));
    let begun: Marks | undefined;
    const result = await this.around(state, scope, () => {
      begun = marksOf(state, reads);
      return inner.exec(line, opts);
    });
    // The one change since it began that may be: its own end.
    const expected = begun && withChange(begun, scope);
    if (expected && result.readsAfter) this.keepReadsAfter(state, reads, result.readsAfter, expected);
    return result;
  }

  private keepReadsAfter(state: HostReads, asked: readonly ReadAfter[], answers: readonly CommandResult[], expected: Marks): void {
    const at = this.now();
    const now = marksOf(state, asked);
    answers.forEach((r, i) => {
      const read = asked[i];
      // Shared reads only, and only answered ones (no exit status: the script ended before it).
      if (read?.options.read !== 'shared' || read.options.signal || r.exitCode === null) return;
      const vmid = read.options.vmid;
      let kept = state.host;
      if (vmid === undefined) {
        if (now.changes !== expected.changes) return;
      } else {
        if (now.wholeHost !== expected.wholeHost || now.vms.get(vmid) !== expected.vms.get(vmid)) return;
        kept = state.vms.get(vmid) ?? new Map<string, Entry>();
        state.vms.set(vmid, kept);
      }
      kept.set(read.line, { sent: { at }, result: Promise.resolve(r) });
    });
  }

  private async around<T>(state: HostReads | null, scope: ChangeScope, change: () => Promise<T>): Promise<T> {
    this.stale(state, scope);
    try {
      return await change();
    } finally {
      this.stale(state, scope);
    }
  }

  /** Forget the reads a change makes stale: a forgotten read serves nobody, so the next caller sends its own. */
  private stale(state: HostReads | null, scope: ChangeScope): void {
    if (!state) {
      for (const s of this.hosts.values()) this.stale(s, 'host');
      return;
    }
    state.changes++;
    state.host.clear();
    if (scope === 'host') {
      state.wholeHost++;
      state.vms.clear();
    } else if (scope !== 'inventory') {
      state.vmChanges.set(scope.vmid, (state.vmChanges.get(scope.vmid) ?? 0) + 1);
      state.vms.delete(scope.vmid);
    }
  }
}

/** How many changes a host had seen at one moment (HostReads), for the VMs some reads are of. */
interface Marks {
  changes: number;
  wholeHost: number;
  vms: Map<number, number>;
}

function marksOf(state: HostReads, reads: readonly ReadAfter[]): Marks {
  const vms = new Map<number, number>();
  for (const r of reads) if (r.options.vmid !== undefined) vms.set(r.options.vmid, state.vmChanges.get(r.options.vmid) ?? 0);
  return { changes: state.changes, wholeHost: state.wholeHost, vms };
}

/** The marks after one more change of `scope` (as stale() counts it). */
function withChange(m: Marks, scope: ChangeScope): Marks {
  const vms = new Map(m.vms);
  if (typeof scope === 'object' && vms.has(scope.vmid)) vms.set(scope.vmid, vms.get(scope.vmid)! + 1);
  return { changes: m.changes + 1, wholeHost: m.wholeHost + (scope === 'host' ? 1 : 0), vms };
}
