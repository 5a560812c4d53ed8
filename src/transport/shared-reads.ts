/**
 * Reads that many callers share, read once per host per moment. Two hundred VMs' checks and
 * verifies ask the same host for `getallvms`, `esxcli vm process list` or a filesystem list within
 * a few milliseconds of each other, and one VM's stages read its power state, snapshot tree or
 * heartbeat again a moment after the previous stage did; an adapter marks such a command
 * `read: 'shared'` (it changes nothing on the device), and the host wrapped here sends it once for
 * all of them (`read: 'own'` is sent after its caller asked: file contents that another host may
 * have written, a guard read right before a destructive command; callers that asked for the same
 * line before it left share it).
 *
 * Reads and changes have a scope, taken from typed data the adapter already gives, never from the
 * command line: a read of one VM carries its vmid (ExecOptions.vmid), a change its intent
 * (src/transport/intent.ts; changeScope below). The freshness rule, which keeps every verify a
 * read taken after its action:
 * - a read result is shared only among callers that asked for the same command line within
 *   `freshMs` of when it was sent, answered or still in flight (a poll always gets a read sent
 *   after its previous one: the window is shorter than the poll interval). Sent is when the read left for the
 *   device (ExecOptions.onSent), not when it was queued for a free channel: its answer is at least
 *   that new, and with 25 VMs polling one host's few channels the queue alone outlasted the moment;
 * - a change makes earlier reads stale, at the moment it is sent and again when it ends, so a read
 *   sent while the change was in flight serves nobody after the change is answered. Which reads:
 *   - a read of one VM: a change to that VM (power, revert, snapshot remove, answer, unregister, a
 *     kill whose caller says the VM), or one whose VM is unknown (a kill that does not say; any
 *     other command). A register leaves them: the VM it creates has a vmid no read asked about;
 *   - a read of the whole host (getallvms, the process list…): what its caller asks of it decides
 *     (ExecOptions.about: is vmid 5 registered? does world 7 run? is this .vmx or name taken?).
 *     A change touches subjects (changeScope: an unregister touches its VM and every .vmx and
 *     name; a kill its world and its VM; a register its .vmx, its name and every vmid; an unknown
 *     command everything), and the read serves a caller only while no change counted since it was
 *     asked for touched the caller's subjects. A caller that names none is served only while
 *     nothing at all changed on the host. So 25 VMs' kill polls share one process list although
 *     each kill changes it: each asks after its own world;
 * - a change sent to the storage (ONTAP) makes every read of every host stale: the hosts see its
 *   volumes;
 * - a change vCenter makes on a host (a registration through it) is declared by its caller
 *   (changedElsewhere) and stales that host's reads like the same change sent to the host;
 * - the reads a change took right after it in its exec (ExecOptions.readsAfter: its verify's, the
 *   next stage's check's) count as sent when its answer came, after its own staling. What another
 *   change began or ended on the host meanwhile may have come after them: a VM's read is then
 *   dropped when that change was of its VM, a host-wide one serves no caller about what that change
 *   touched (and none who names no subject).
 * - a caller of a VM's read may accept any read of it still kept (ExecOptions.keptUntilChanged):
 *   one no change since made stale, however old. Only for a check whose change the device refuses
 *   in the state that read may have missed (a power-on's check: ESXi powers on no VM that is on);
 *   what someone else did meanwhile then costs a refused command, never a wrong one.
 * Several host-wide reads of one line may be fresh at once (one taken right after a change, one
 * another caller sent since, which that change's end makes stale for the first change's verify);
 * a caller gets the newest that serves it.
 * Failed reads are never kept; a read with its own abort signal is never shared.
 * The journal records every command that reaches a device, once; a caller served by a shared read
 * sent no command.
 */
import type { CommandIntent } from './intent.js';
import type { CommandResult, ExecOptions, HostPool, ReadAfter, ReadSubject, RemoteHost } from './types.js';

interface Entry {
  /** When it left for the device (until then: when it was asked for). */
  sent: { at: number };
  result: Promise<CommandResult>;
  /** The host's change count when it was asked for (HostReads.seq): a change counted after it may
   *  have come before the device answered. */
  seq: number;
  /** For a read taken right after a change: the subjects other changes touched while that change
   *  ran (they may have come after the read). */
  tainted?: ReadonlySet<string>;
}

/** One host's reads still fresh enough to share, by scope then command line. */
interface HostReads {
  /** Reads of the whole host, oldest first: several of one line may be fresh at once, each serving
   *  different callers (a VM's read-after stays for its verify when a later read, which another
   *  change ended during, does not serve it). */
  host: Map<string, Entry[]>;
  /** Reads of one VM, by vmid. */
  vms: Map<number, Map<string, Entry>>;
  /** Changes begun or ended on the host so far, of any scope (each begin and each end counts). */
  seq: number;
  /** For each subject key a change touched (`vm:5`, `world:*`, `*`…): the count when it last did. */
  touched: Map<string, number>;
  /** The last touches, oldest first: what other changes touched while one change ran. */
  log: { seq: number; touches: readonly string[] }[];
  /** Changes begun or ended that make every VM's own reads stale. */
  wholeHost: number;
  /** The same per VM, for changes scoped to it. */
  vmChanges: Map<number, number>;
  /** Own reads (`read: 'own'`) asked for and not yet sent, by command line (SharedReads.ownRead). */
  unsent: Map<string, UnsentRead>;
}

interface UnsentRead {
  result: Promise<CommandResult> | undefined;
  /** It has left for the device (or ended without leaving): a caller asking now needs another. */
  left: boolean;
}

/** Touches kept per host for the reads taken after a change; a change that outlasts them keeps none. */
const LOG_SIZE = 512;

/** Fresh reads kept per host-wide command line; the oldest goes first. */
const PER_LINE = 16;

/**
 * What a change may make stale on its host: the subjects of host-wide reads it may change (keys as
 * subjectKey writes them; `family:*` every subject of a family, `*` every one), and the VMs whose
 * own reads (ExecOptions.vmid) it may change.
 */
export interface ChangeScope {
  touches: readonly string[];
  vms: readonly number[] | 'all';
}

const WHOLE_HOST: ChangeScope = { touches: ['*'], vms: 'all' };

/**
 * The scope of a change, from its intent. What each changes, as ESXi answers its host-wide lists:
 * - power, snapshot remove, answer: that VM (its power, its process) and some world (one starts or
 *   ends); a revert may also bring back the name the VM had at the snapshot;
 * - unregister: that VM, and which .vmx and names are registered (the vmid does not say which); no
 *   world (ESXi unregisters only a VM that is off);
 * - register: the .vmx and the name it registers, and some vmid (a new one);
 * - kill: that world, and its VM when the caller says which (else every VM);
 * - a .vmx written: that file and every name (no VM's own reads: the host reads the file again only
 *   when the VM is registered again);
 * - anything else, or no intent: everything on the host.
 */
export function changeScope(intent: CommandIntent | undefined): ChangeScope {
  switch (intent?.op) {
    case 'power-on':
    case 'power-off':
    case 'guest-shutdown':
    case 'snapshot-remove':
    case 'answer-question':
      return { touches: [vmKey(intent.vmid), 'world:*'], vms: [intent.vmid] };
    case 'snapshot-revert':
      return { touches: [vmKey(intent.vmid), 'world:*', 'name:*'], vms: [intent.vmid] };
    case 'unregister':
      return { touches: [vmKey(intent.vmid), 'vmx:*', 'name:*'], vms: [intent.vmid] };
    case 'register':
      return {
        touches: ['vm:*', vmxKey(intent.vmxPath) ?? 'vmx:*', intent.name === undefined ? 'name:*' : nameKey(intent.name)],
        vms: [],
      };
    case 'kill':
      return intent.vmid === undefined
        ? { touches: [worldKey(intent.worldId), 'vm:*'], vms: 'all' }
        : { touches: [worldKey(intent.worldId), vmKey(intent.vmid)], vms: [intent.vmid] };
    case 'write-file': {
      // A .vmx written on disk: hostd keeps the configuration it registered until the VM is
      // registered again, so only what names that file (and, conservatively, every name) moves.
      const vmx = intent.path.endsWith('.vmx') ? vmxKey(intent.path) : null;
      return vmx ? { touches: [vmx, 'name:*'], vms: [] } : WHOLE_HOST;
    }
    default:
      return WHOLE_HOST;
  }
}

/** A .vmx by its path inside the datastore (`dir/name.vmx`): `/vmfs/volumes/<ds>/…` and `[<ds>] …`
 *  name the same file, and a datastore's name and uuid the same datastore, so the datastore is left
 *  out (two datastores with the same path count as one: staler, never fresher). */
function vmxKey(path: string): string | null {
  const m = /^\[[^\]]+\] (.+)$/.exec(path) ?? /^\/vmfs\/volumes\/[^/]+\/(.+)$/.exec(path);
  return m ? `vmx:${m[1]!.replace(/\/{2,}/g, '/')}` : null;
}

/** The key of a read's subject; null when it cannot be said (the read is then shared as one of no subject). */
function subjectKey(s: ReadSubject): string | null {
  if ('vmid' in s) return vmKey(s.vmid);
  if ('world' in s) return worldKey(s.world);
  if ('vmx' in s) return vmxKey(s.vmx);
  return nameKey(s.name);
}

const vmKey = (vmid: number): string => `vm:${vmid}`;
const worldKey = (worldId: number): string => `world:${worldId}`;
const nameKey = (name: string): string => `name:${name.trimEnd()}`;

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
        if (opts.read === 'own' && !opts.signal) return this.ownRead(state, inner, line, opts);
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
      s = { host: new Map(), vms: new Map(), seq: 0, touched: new Map(), log: [], wholeHost: 0, vmChanges: new Map(), unsent: new Map() };
      this.hosts.set(name, s);
    }
    return s;
  }

  private read(state: HostReads, inner: RemoteHost, line: string, opts: ExecOptions): Promise<CommandResult> {
    const now = this.now();
    const fresh = (e: Entry): boolean => now - e.sent.at <= this.options.freshMs;
    if (opts.vmid !== undefined) {
      const reads = state.vms.get(opts.vmid) ?? new Map<string, Entry>();
      state.vms.set(opts.vmid, reads);
      const known = reads.get(line);
      if (known && (fresh(known) || opts.keptUntilChanged)) return this.served(known);
      const entry = this.send(inner, line, opts, state.seq);
      reads.set(line, entry);
      entry.result.catch(() => {
        if (reads.get(line) === entry) reads.delete(line);
      });
      return entry.result;
    }
    const kept = (state.host.get(line) ?? []).filter(fresh);
    // The newest that serves this caller.
    for (let i = kept.length - 1; i >= 0; i--) if (serves(state, kept[i]!, opts.about)) return this.served(kept[i]!);
    const entry = this.send(inner, line, opts, state.seq);
    keepHostRead(state, line, entry, kept);
    entry.result.catch(() => forgetHostRead(state, line, entry));
    return entry.result;
  }

  /**
   * A read sent for its caller (`own`) is one that leaves for the device after the caller asked:
   * callers asking for the same line before it has left share it (several kill guards of one
   * moment on a host, waiting for a free channel or joined in one script); once it has left, the
   * next caller gets a read of its own.
   */
  private ownRead(state: HostReads, inner: RemoteHost, line: string, opts: ExecOptions): Promise<CommandResult> {
    const waiting = state.unsent.get(line);
    if (waiting?.result) {
      this.counts.shared++;
      return waiting.result;
    }
    const read: UnsentRead = { result: undefined, left: false };
    const leaves = (): void => {
      read.left = true;
      if (state.unsent.get(line) === read) state.unsent.delete(line);
    };
    this.counts.sent++;
    read.result = inner.exec(line, {
      ...opts,
      onSent: () => {
        leaves();
        opts.onSent?.();
      },
    });
    if (!read.left) state.unsent.set(line, read);
    // A read refused before it left (a closed pool) leaves the list too.
    read.result.then(leaves, leaves);
    return read.result;
  }

  private served(entry: Entry): Promise<CommandResult> {
    this.counts.shared++;
    return entry.result;
  }

  /** A read sent for this caller; sent is when it left for the device (until then: now). */
  private send(inner: RemoteHost, line: string, opts: ExecOptions, seq: number): Entry {
    const sent = { at: this.now() };
    const onSent = () => {
      sent.at = this.now();
      opts.onSent?.();
    };
    this.counts.sent++;
    return { sent, seq, result: inner.exec(line, { ...opts, onSent }) };
  }

  /**
   * A change to host `name` made through another path than its own commands (vCenter registering a
   * VM on it): the reads it makes stale are forgotten around it, as around the command `intent` says.
   */
  changedElsewhere<T>(name: string, intent: CommandIntent, change: () => Promise<T>): Promise<T> {
    return this.around(this.stateOf(name), changeScope(intent), change).then((r) => r.value);
  }

  /**
   * A change to one host (state) or, for the storage (null), to what every host sees. The reads
   * taken right after it in its exec (ExecOptions.readsAfter) are kept as reads sent now: they were
   * taken after the change ended. What another change of the host touched while this one ran is
   * not taken from them: that change may have come after them.
   */
  private async change(
    state: HostReads | null,
    scope: ChangeScope,
    inner: RemoteHost,
    line: string,
    opts: ExecOptions,
  ): Promise<CommandResult> {
    const reads = opts.readsAfter;
    if (!state || !reads?.length) return (await this.around(state, scope, () => inner.exec(line, opts))).value;
    let begun: Marks | undefined;
    const { value: result, seqs } = await this.around(state, scope, () => {
      begun = marksOf(state, reads);
      return inner.exec(line, opts);
    });
    // The one change since it began that may be: its own end.
    const expected = begun && withChange(begun, scope);
    if (expected && seqs && result.readsAfter) this.keepReadsAfter(state, reads, result.readsAfter, expected, seqs);
    return result;
  }

  private keepReadsAfter(
    state: HostReads,
    asked: readonly ReadAfter[],
    answers: readonly CommandResult[],
    expected: Marks,
    own: { begin: number; end: number },
  ): void {
    const at = this.now();
    const now = marksOf(state, asked);
    const tainted = touchedBetween(state, own);
    answers.forEach((r, i) => {
      const read = asked[i];
      // Shared reads only, and only answered ones (no exit status: the script ended before it).
      if (read?.options.read !== 'shared' || read.options.signal || r.exitCode === null) return;
      const vmid = read.options.vmid;
      if (vmid === undefined) {
        if (!tainted || tainted.has('*')) return;
        const kept = (state.host.get(read.line) ?? []).filter((e) => at - e.sent.at <= this.options.freshMs);
        keepHostRead(state, read.line, { sent: { at }, seq: own.end, tainted, result: Promise.resolve(r) }, kept);
        return;
      }
      if (now.wholeHost !== expected.wholeHost || now.vms.get(vmid) !== expected.vms.get(vmid)) return;
      const kept = state.vms.get(vmid) ?? new Map<string, Entry>();
      state.vms.set(vmid, kept);
      kept.set(read.line, { sent: { at }, seq: state.seq, result: Promise.resolve(r) });
    });
  }

  /** The change, with the host's counts its start and its end were given (none for the storage). */
  private async around<T>(
    state: HostReads | null,
    scope: ChangeScope,
    change: () => Promise<T>,
  ): Promise<{ value: T; seqs: { begin: number; end: number } | null }> {
    const begin = this.stale(state, scope);
    let end: number | null = null;
    try {
      const value = await change();
      end = this.stale(state, scope);
      return { value, seqs: begin === null || end === null ? null : { begin, end } };
    } finally {
      if (end === null) this.stale(state, scope);
    }
  }

  /** Count a change's start or end on its host (every host for the storage); returns the host's new count. */
  private stale(state: HostReads | null, scope: ChangeScope): number | null {
    if (!state) {
      for (const s of this.hosts.values()) this.stale(s, WHOLE_HOST);
      return null;
    }
    const seq = ++state.seq;
    for (const k of scope.touches) state.touched.set(k, seq);
    state.log.push({ seq, touches: scope.touches });
    if (state.log.length > LOG_SIZE) state.log.splice(0, state.log.length - LOG_SIZE);
    if (scope.vms === 'all') {
      state.wholeHost++;
      state.vms.clear();
    } else {
      for (const vmid of scope.vms) {
        state.vmChanges.set(vmid, (state.vmChanges.get(vmid) ?? 0) + 1);
        state.vms.delete(vmid);
      }
    }
    return seq;
  }
}

/** Keep a host-wide read after the fresh ones of its line (`fresh`), at most PER_LINE of them. */
function keepHostRead(state: HostReads, line: string, entry: Entry, fresh: Entry[]): void {
  fresh.push(entry);
  state.host.set(line, fresh.length > PER_LINE ? fresh.slice(-PER_LINE) : fresh);
}

/** A failed read is never kept. */
function forgetHostRead(state: HostReads, line: string, entry: Entry): void {
  const list = state.host.get(line);
  const i = list?.indexOf(entry) ?? -1;
  if (i >= 0) list!.splice(i, 1);
}

/**
 * Whether a host-wide read serves a caller asking about `about`: no change counted since it was
 * asked for touched any of those subjects, their family, or everything. A caller that says no
 * subject (or one that cannot be keyed) is served only when nothing at all changed since.
 */
function serves(state: HostReads, entry: Entry, about: readonly ReadSubject[] | undefined): boolean {
  const keys = (about ?? []).map(subjectKey);
  if (keys.length === 0 || keys.includes(null)) return state.seq === entry.seq && !entry.tainted?.size;
  const since = (k: string): boolean => (state.touched.get(k) ?? 0) > entry.seq || entry.tainted?.has(k) === true;
  if (since('*')) return false;
  return (keys as string[]).every((k) => !since(k) && !since(`${k.slice(0, k.indexOf(':'))}:*`));
}

/** What changes other than `own` touched between its start and its end; null when the log no longer reaches back. */
function touchedBetween(state: HostReads, own: { begin: number; end: number }): Set<string> | null {
  if (state.log.length === 0 || state.log[0]!.seq > own.begin) return null;
  const out = new Set<string>();
  for (const t of state.log) if (t.seq > own.begin && t.seq < own.end) for (const k of t.touches) out.add(k);
  return out;
}

/** How many changes a host had seen at one moment (HostReads), for the VMs some reads are of. */
interface Marks {
  wholeHost: number;
  vms: Map<number, number>;
}

function marksOf(state: HostReads, reads: readonly ReadAfter[]): Marks {
  const vms = new Map<number, number>();
  for (const r of reads) if (r.options.vmid !== undefined) vms.set(r.options.vmid, state.vmChanges.get(r.options.vmid) ?? 0);
  return { wholeHost: state.wholeHost, vms };
}

/** The marks after one more change of `scope` (as stale() counts it). */
function withChange(m: Marks, scope: ChangeScope): Marks {
  const vms = new Map(m.vms);
  if (scope.vms !== 'all') for (const vmid of scope.vms) if (vms.has(vmid)) vms.set(vmid, vms.get(vmid)! + 1);
  return { wholeHost: m.wholeHost + (scope.vms === 'all' ? 1 : 0), vms };
}
