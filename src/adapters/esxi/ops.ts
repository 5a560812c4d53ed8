/**
 * Typed ESXi operations over a RemoteHost. Every command line comes from ./commands.ts (built
 * from argv by src/transport/quote.ts), the same builders `drbook plan` prints. The exit status is never trusted alone (vim-cmd often exits 0 after
 * printing a fault): a fault block anywhere in the output, `Power on/off failed`, `not found`
 * (exit 127), unexpected text from a command whose success is silent, truncated output, or a
 * non-zero exit all become RemoteCommandError carrying the device's own words.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ParseError, RemoteCommandError } from '../../errors.js';
import { esxiCommands as cmd, REVERTIBLE_STATES, type KillType } from './commands.js';
import type { CommandResult, ExecOptions, ReadSubject, RemoteHost } from '../../transport/types.js';
import type { CommandIntent } from '../../transport/intent.js';
import {
  findVimFault,
  getVmx,
  parseGetAllVms,
  parseGuestInfo,
  parseHeartbeat,
  parseLockdown,
  parseNfsList,
  parseFilesystemList,
  parsePendingQuestion,
  parsePowerState,
  parseProcessList,
  parseRegisterVm,
  parseSnapshotTree,
  parseVersion,
  parseVmx,
  powerChangeFailure,
  serializeVmx,
  setVmx,
  type EsxiVersion,
  type GetAllVms,
  type GuestInfo,
  type Heartbeat,
  type NfsMount,
  type EsxiFilesystem,
  type PendingQuestion,
  type PowerState,
  type SnapshotTree,
  type VmProcess,
  type VmxLine,
} from './parsers.js';
import { parseTaskInfo, parseTaskList, type TaskInfo } from './tasks.js';

export type { KillType };

export interface EsxiOpsOptions {
  /** Per-command timeout passed to the transport. */
  timeoutMs?: number;
  /** Per-stream output cap passed to the transport. */
  maxOutputBytes?: number;
}

interface RunOptions {
  purpose: string;
  /** Success prints nothing: any output is the device saying something went wrong. */
  silent?: boolean;
  /** Exit codes that are answers, not failures (e.g. `test -e` → 1). */
  okExits?: readonly number[];
  /** File contents are data: a fault-looking line in them is not the device talking. */
  dataOutput?: boolean;
  /** What a mutating command does, journaled with its line. */
  intent?: CommandIntent;
  /** It changes nothing on the host (see ExecOptions.read). */
  read?: 'shared' | 'own';
  /** It reads this VM only (see ExecOptions.vmid). */
  vmid?: number;
  /** Any kept read of this VM no change made stale serves it (see ExecOptions.keptUntilChanged). */
  keptUntilChanged?: boolean;
  /** A host-wide read asked for what it says of these only (see ExecOptions.about). */
  about?: readonly ReadSubject[] | undefined;
  /** For a change: the reads its verify (and the next stage's check) will ask for, taken right after
   *  it in the same exec (see ExecOptions.readsAfter). */
  readsAfter?: readonly Read[];
  /** For a change: told when it has ended, before the reads after it (see ExecOptions.onEnded). */
  onEnded?: (() => void) | undefined;
}

/** A read's command line and how it is sent: the read methods and a change's readsAfter send the same. */
interface Read {
  line: string;
  o: RunOptions;
}

/** The shared reads of one VM, or of the host's inventory, as the read methods below send them. */
const reads = {
  allVms: (): Read => ({ line: cmd.getAllVms(), o: { purpose: 'list VMs', read: 'shared' } }),
  powerState: (vmid: number): Read => ({
    line: cmd.powerGetState(vmid),
    o: { purpose: `power state of vmid ${vmid}`, read: 'shared', vmid },
  }),
  snapshotTree: (vmid: number): Read => ({
    line: cmd.snapshotGet(vmid),
    o: { purpose: `snapshot tree of vmid ${vmid}`, read: 'shared', vmid },
  }),
  question: (vmid: number): Read => ({ line: cmd.message(vmid), o: { purpose: `pending question of vmid ${vmid}`, read: 'shared', vmid } }),
  heartbeat: (vmid: number): Read => ({ line: cmd.heartbeat(vmid), o: { purpose: `heartbeat of vmid ${vmid}`, read: 'shared', vmid } }),
};

const NO_PERMISSION = /NoPermission|Permission to perform this operation was denied/i;

/** True when the device refused because of permissions, typically lockdown mode. */
export function isNoPermission(err: unknown): boolean {
  return (
    err instanceof RemoteCommandError &&
    ((err.fault !== undefined && /\.NoPermission$/.test(err.fault)) || NO_PERMISSION.test(err.deviceMessage))
  );
}

/**
 * True when the host refused a power change because of the VM's power state: the fault (fixture
 * esxi-power-off-already-off-1 shows it for power.off), or the bare `Power on failed` / `Power off
 * failed` of ESXi 6.x (esxi-power-off-already-off-2). A question left unanswered names no fault.
 */
export function isRefusedForPowerState(err: unknown): boolean {
  return (
    err instanceof RemoteCommandError &&
    (err.fault === 'vim.fault.InvalidPowerState' || (err.fault === undefined && /^Power (on|off) failed$/.test(err.deviceMessage.trim())))
  );
}

/**
 * A shared read hands one CommandResult to every caller it serves (src/transport/shared-reads.ts):
 * 25-50 VMs' kill polls take one process list. Each result is checked and parsed once; the
 * parsed value is frozen, so no caller can change what the next one is given.
 */
const kept = new WeakMap<CommandResult, { checks?: string; parsed: Map<Parser<unknown>, unknown> }>();

function keptOf(r: CommandResult): { checks?: string; parsed: Map<Parser<unknown>, unknown> } {
  let k = kept.get(r);
  if (!k) kept.set(r, (k = { parsed: new Map<Parser<unknown>, unknown>() }));
  return k;
}

/** A parser of a command's stdout (most say nothing of the rest of its result). */
type Parser<T> = (stdout: string, result: CommandResult) => T;

/** getallvms; `Skipping invalid VM` may come on stderr: it is information, not failure. */
function parseAllVmsResult(stdout: string, r: CommandResult): GetAllVms {
  const out = parseGetAllVms(stdout);
  for (const m of r.stderr.matchAll(/^Skipping invalid VM '(\d+)'/gm)) out.skipped.push(Number(m[1]));
  return out;
}

/** The checks run() applies that depend on its options (a result passed them once for these). */
function checksOf(o: RunOptions): string {
  return `${o.dataOutput ? 'data' : ''}|${o.silent ? 'silent' : ''}|${(o.okExits ?? []).join(',')}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** What the device said, for an error: its stderr, else its stdout, trimmed and capped. */
function deviceWords(r: Pick<CommandResult, 'stdout' | 'stderr'>): string {
  return (r.stderr.trim() || r.stdout.trim()).slice(0, 2000);
}

/** `/vmfs/volumes/<ds>/<path>` or `[<ds>] <path>` → datastore and path inside it. */
export function splitDatastorePath(vmxPath: string): { datastore: string; path: string } | null {
  const bracket = /^\[([^\]]+)\] (.+)$/.exec(vmxPath);
  if (bracket) return { datastore: bracket[1]!, path: bracket[2]! };
  const abs = /^\/vmfs\/volumes\/([^/]+)\/(.+)$/.exec(vmxPath);
  if (abs) return { datastore: abs[1]!, path: abs[2]! };
  return null;
}

export class EsxiOps {
  constructor(
    readonly host: RemoteHost,
    private readonly opts: EsxiOpsOptions = {},
  ) {}

  private get hostName(): string {
    return this.host.endpoint.name;
  }

  private fail(command: string, message: string, fault?: string): never {
    throw new RemoteCommandError(this.hostName, command, message, fault);
  }

  private execOptions(o: RunOptions): ExecOptions {
    const exec: ExecOptions = { purpose: o.purpose, intent: o.intent };
    if (o.read) {
      exec.read = o.read;
      // ESXi's shell is busybox ash: reads asked for at the same moment go out in one script.
      exec.batch = 'posix-sh';
    }
    if (o.readsAfter?.length) {
      // …and a change's shell runs the reads asked of it after it, in the same script.
      exec.batch = 'posix-sh';
      exec.readsAfter = o.readsAfter.map((r) => ({ line: r.line, options: this.execOptions(r.o) }));
    }
    if (o.vmid !== undefined) exec.vmid = o.vmid;
    if (o.onEnded) exec.onEnded = o.onEnded;
    if (o.keptUntilChanged) exec.keptUntilChanged = true;
    if (o.about?.length) exec.about = o.about;
    if (this.opts.timeoutMs !== undefined) exec.timeoutMs = this.opts.timeoutMs;
    if (this.opts.maxOutputBytes !== undefined) exec.maxOutputBytes = this.opts.maxOutputBytes;
    return exec;
  }

  /** A read as the read methods send it. */
  private read(r: Read): Promise<CommandResult> {
    return this.run(r.line, r.o);
  }

  /** Run one command line and apply the checks every ESXi command needs. */
  private async run(line: string, o: RunOptions): Promise<CommandResult> {
    const r = await this.host.exec(line, this.execOptions(o));
    const checks = checksOf(o);
    if (kept.get(r)?.checks === checks) return r;
    for (const stream of o.dataOutput ? [r.stderr] : [r.stdout, r.stderr]) {
      let fault;
      try {
        fault = findVimFault(stream);
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        // A fault block we cannot read is still a fault: report the device's text as it is.
        this.fail(line, stream.trim());
      }
      if (fault) this.fail(line, fault.message || fault.fault, fault.fault);
    }
    if (r.truncated) this.fail(line, 'the output was longer than the limit and was cut; nothing was read from it');
    const said = deviceWords(r);
    if (r.exitCode === 127 || /(^|: )not found$/m.test(r.stderr)) this.fail(line, said || 'command not found');
    if (r.exitCode === null) this.fail(line, said || `stopped by signal ${r.signal ?? 'unknown'}`);
    if (r.exitCode !== 0 && !(o.okExits ?? []).includes(r.exitCode)) this.fail(line, said || `exit status ${r.exitCode}`);
    if (o.silent && (r.stdout.trim() !== '' || r.stderr.trim() !== '')) this.fail(line, said);
    keptOf(r).checks = checks;
    return r;
  }

  /** Parse stdout; a ParseError becomes a RemoteCommandError naming the command. */
  private parse<T>(line: string, r: CommandResult, parser: Parser<T>): T {
    const parsed = kept.get(r)?.parsed;
    if (parsed?.has(parser)) return parsed.get(parser) as T;
    try {
      const value = deepFreeze(parser(r.stdout, r));
      keptOf(r).parsed.set(parser, value);
      return value;
    } catch (err) {
      if (err instanceof ParseError) this.fail(line, `unexpected output: ${err.message}`);
      throw err;
    }
  }

  // ---- inventory ------------------------------------------------------------------------------

  /** `about`: the VMs, .vmx files or names the caller asks after (a change to others leaves the list shared for it). */
  async listVms(about?: readonly ReadSubject[]): Promise<GetAllVms> {
    const read = reads.allVms();
    const r = await this.run(read.line, { ...read.o, about });
    return this.parse(read.line, r, parseAllVmsResult);
  }

  /**
   * Register a .vmx (`/vmfs/volumes/…` or `[ds] path`) and return its vmid. Some versions print the
   * vmid, others nothing; then the vmid is found in getallvms by datastore and path.
   */
  async register(vmxPath: string, name?: string): Promise<number> {
    const line = cmd.register(vmxPath, name);
    return this.vmidRegistered(line, vmxPath, await this.run(line, this.registering(vmxPath, name)));
  }

  /**
   * Register a .vmx only if the host finds it, right before, in the same line
   * (cmd.registerIfPresent): its vmid, or null when there was no such file (nothing registered).
   * `onEnded`: told when the host has answered the line, before the inventory read after it.
   */
  async registerIfPresent(vmxPath: string, name?: string, onEnded?: () => void): Promise<number | null> {
    const line = cmd.registerIfPresent(vmxPath, name);
    const r = await this.run(line, { ...this.registering(vmxPath, name), okExits: [1], onEnded });
    if (r.exitCode === 1) {
      // `test` ends the line silently with 1; a registervm that did the same (it prints a fault
      // when it fails) is told apart by asking again whether the file is there.
      if (r.stdout.trim() === '' && r.stderr.trim() === '' && !(await this.fileExists(vmxPath))) return null;
      this.fail(line, deviceWords(r) || 'exit status 1');
    }
    return this.vmidRegistered(line, vmxPath, r);
  }

  private registering(vmxPath: string, name: string | undefined): RunOptions {
    // The inventory after it: what the verify reads, and where a vmid it did not print is found.
    return { purpose: `register ${name ?? vmxPath}`, intent: { op: 'register', vmxPath, name }, readsAfter: [reads.allVms()] };
  }

  private async vmidRegistered(line: string, vmxPath: string, r: CommandResult): Promise<number> {
    const { vmid } = this.parse(line, r, parseRegisterVm);
    if (vmid !== null) return vmid;
    const where = splitDatastorePath(vmxPath);
    const { vms } = await this.listVms();
    const found = where ? vms.filter((v) => v.datastore === where.datastore && v.path === where.path) : [];
    if (found.length !== 1) {
      this.fail(
        line,
        found.length === 0
          ? `registervm printed no vmid and getallvms lists no VM with ${vmxPath}`
          : `registervm printed no vmid and getallvms lists ${found.length} VMs with ${vmxPath}`,
      );
    }
    return found[0]!.vmid;
  }

  /** `onEnded`: told when the host has answered, before the inventory read after it. */
  async unregister(vmid: number, onEnded?: () => void): Promise<void> {
    await this.run(cmd.unregister(vmid), {
      purpose: `unregister vmid ${vmid}`,
      silent: true,
      intent: { op: 'unregister', vmid },
      readsAfter: [reads.allVms()],
      onEnded,
    });
  }

  /**
   * Unregister, unless the host knows no such vmid: ESXi then answers NotFound and unregisters
   * nothing (fixture esxi-vimcmd-notfound-3, `vim-cmd vmsvc/unregister 16`), so its own lookup is
   * the guard, with no round trip before it. False when it did not know it and the list read after
   * it (in the same exec) does not show it either; a NotFound for a vmid the list shows is thrown.
   */
  async unregisterIfRegistered(vmid: number, onEnded?: () => void): Promise<boolean> {
    try {
      await this.unregister(vmid, onEnded);
      return true;
    } catch (err) {
      if (!(err instanceof RemoteCommandError) || err.fault !== 'vim.fault.NotFound') throw err;
      if (await this.isRegistered(vmid)) throw err;
      return false;
    }
  }

  /** Whether the inventory lists the vmid (also as a VM it skips as invalid: its datastore gone). */
  async isRegistered(vmid: number): Promise<boolean> {
    const { vms, skipped } = await this.listVms([{ vmid }]);
    return vms.some((v) => v.vmid === vmid) || skipped.includes(vmid);
  }

  // ---- power ----------------------------------------------------------------------------------

  /**
   * `fresh`: a state read after this call, never one another caller asked for a moment ago (a guard
   * right before an unregister; why a revert was not run). `keptUntilChanged`: any read of it no
   * change since made stale, however old (ExecOptions.keptUntilChanged: a power-on's check).
   */
  async powerState(vmid: number, opts: { fresh?: boolean; keptUntilChanged?: boolean } = {}): Promise<PowerState> {
    const read = reads.powerState(vmid);
    const r = await this.run(read.line, {
      ...read.o,
      read: opts.fresh ? 'own' : 'shared',
      ...(opts.keptUntilChanged && !opts.fresh ? { keptUntilChanged: true } : {}),
    });
    return this.parse(read.line, r, parsePowerState).state;
  }

  async powerOn(vmid: number): Promise<void> {
    await this.powerChange('on', vmid);
  }

  async powerOff(vmid: number): Promise<void> {
    await this.powerChange('off', vmid);
  }

  /** Ask the guest to shut down (VMware Tools); it returns at once, the VM goes off later. */
  async shutdownGuest(vmid: number): Promise<void> {
    const line = cmd.powerShutdown(vmid);
    const r = await this.run(line, { purpose: `shut down the guest of vmid ${vmid}`, intent: { op: 'guest-shutdown', vmid } });
    const failure = powerChangeFailure(`${r.stdout}\n${r.stderr}`);
    if (failure) this.fail(line, failure.message, failure.fault);
  }

  private async powerChange(to: 'on' | 'off', vmid: number): Promise<void> {
    const line = to === 'on' ? cmd.powerOn(vmid) : cmd.powerOff(vmid);
    // After it, what the power-on's wait reads first: a question, and the state. (A host whose
    // power.on waits for the question to be answered makes them useless: the answer, a change to the
    // same VM while the power-on ran, means they are not kept. They cost a read each then.)
    const r = await this.run(line, {
      purpose: `power ${to} vmid ${vmid}`,
      intent: { op: to === 'on' ? 'power-on' : 'power-off', vmid },
      readsAfter: to === 'on' ? [reads.question(vmid), reads.powerState(vmid)] : [reads.powerState(vmid)],
    });
    const failure = powerChangeFailure(`${r.stdout}\n${r.stderr}`);
    if (failure) this.fail(line, failure.message, failure.fault);
  }

  /**
   * Power on while answering the questions that block it. On a real host `power.on` does not
   * return while a question (the "moved or copied" one after a failover) is pending (virtuallyhyper,
   * "Cloning a VM from the command line", 2012: "the VM will not power on until the question is
   * answered, we will background the command"; public scripts do `power.on … &` then answer), so
   * plain powerOn() would sit until its timeout. This polls
   * `vmsvc/message` while the power-on runs and answers with `choose(question)`. When `choose`
   * returns null the question is left for the operator and a RemoteCommandError carries its text;
   * the power-on command then ends with its own timeout.
   */
  async powerOnAnsweringQuestions(
    vmid: number,
    choose: (q: PendingQuestion) => number | null,
    opts: { pollMs?: number; signal?: AbortSignal } = {},
  ): Promise<{ answered: { question: PendingQuestion; choice: number }[] }> {
    const pollMs = opts.pollMs ?? 2000;
    let settled = false;
    const on = this.powerOn(vmid).finally(() => {
      settled = true;
    });
    const observed = on.then(
      () => undefined,
      () => undefined,
    );
    const answered: { question: PendingQuestion; choice: number }[] = [];
    // Our own abort ends the pending poll delay as soon as we return, so no timer outlives the call.
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    try {
      while (!settled) {
        const tick = delay(pollMs, undefined, { signal }).catch((err: unknown) => {
          if (opts.signal?.aborted) throw err;
        });
        await Promise.race([observed, tick]);
        if (settled) break;
        const q = await this.pendingQuestion(vmid);
        if (!q || answered.some((a) => a.question.id === q.id)) continue;
        const choice = choose(q);
        const line = cmd.powerOn(vmid);
        if (choice === null) this.fail(line, `power-on waits for an answer drbook will not give: ${q.text}`);
        if (!q.choices.some((c) => c.key === choice)) this.fail(line, `choice ${choice} is not offered for: ${q.text}`);
        await this.answerQuestion(vmid, q.id, choice);
        answered.push({ question: q, choice });
      }
    } finally {
      stop.abort();
    }
    await on;
    return { answered };
  }

  // ---- processes ------------------------------------------------------------------------------

  /**
   * `fresh`: a list read after this call, never one another caller asked for a moment ago (a guard
   * right before a kill). `about`: the worlds the caller asks after (see listVms).
   */
  async processList(opts: { fresh?: boolean; about?: readonly ReadSubject[] } = {}): Promise<VmProcess[]> {
    const line = cmd.processList();
    const r = await this.run(line, { purpose: 'list VM processes', read: opts.fresh ? 'own' : 'shared', about: opts.about });
    return this.parse(line, r, parseProcessList).processes;
  }

  /** `vmid`: the VM whose process the world is, when known (see the kill intent). */
  async kill(worldId: number, type: KillType, vmid?: number): Promise<void> {
    if (!Number.isSafeInteger(worldId) || worldId <= 0) throw new TypeError(`bad world id ${worldId}`);
    const line = cmd.kill(worldId, type);
    const intent: CommandIntent = vmid === undefined ? { op: 'kill', worldId, type } : { op: 'kill', worldId, type, vmid };
    await this.run(line, { purpose: `kill ${type} world ${worldId}`, silent: true, intent });
  }

  // ---- snapshots ------------------------------------------------------------------------------

  /** `keptUntilChanged`: any read of it no change since made stale, however old (a snapshot delete's check: ESXi deletes no snapshot that is gone). */
  async snapshotTree(vmid: number, opts: { keptUntilChanged?: boolean } = {}): Promise<SnapshotTree> {
    const read = reads.snapshotTree(vmid);
    const r = await this.run(read.line, { ...read.o, ...(opts.keptUntilChanged ? { keptUntilChanged: true } : {}) });
    return this.parse(read.line, r, parseSnapshotTree);
  }

  /**
   * Revert, unless the VM is on in a state read right before it on the host, in the same command
   * line (cmd.snapshotRevertUnlessOn): a revert of a running VM throws away what it wrote since.
   * With suppressPowerOn the VM stays off whatever state the snapshot recorded. Returns the tree,
   * or null when the host did not revert because the state it read was not off or suspended (the
   * caller reads it again to say why). The journal records the line either way; the intent of one
   * the host did not revert ends with grep's exit status 1, so it never counts as an answered revert.
   */
  async revertUnlessOn(vmid: number, snapId: number, suppressPowerOn = true, onEnded?: () => void): Promise<SnapshotTree | null> {
    const line = cmd.snapshotRevertUnlessOn(vmid, snapId, suppressPowerOn);
    const r = await this.run(line, {
      purpose: `revert vmid ${vmid} to snapshot ${snapId} unless it is on`,
      intent: { op: 'snapshot-revert', vmid, snapshotId: snapId },
      okExits: [1],
      readsAfter: [reads.powerState(vmid), reads.snapshotTree(vmid)],
      onEnded,
    });
    // grep echoes the state it let through as the first line; the revert's own output follows.
    const guard = new RegExp(`^(?:${REVERTIBLE_STATES})\n`).exec(r.stdout);
    if (!guard) {
      if (r.exitCode === 1 && r.stdout.trim() === '') return null;
      this.fail(line, deviceWords(r) || `exit status ${r.exitCode}`);
    }
    const reverted = { ...r, stdout: r.stdout.slice(guard[0].length) };
    if (r.exitCode !== 0) this.fail(line, deviceWords(reverted) || `exit status ${r.exitCode}`);
    return this.parse(line, reverted, parseSnapshotTree);
  }

  /** Keys of the VM's recent tasks, oldest first. */
  async recentTasks(vmid: number): Promise<string[]> {
    const line = cmd.taskList(vmid);
    const r = await this.run(line, { purpose: `recent tasks of vmid ${vmid}`, read: 'own', vmid });
    return this.parse(line, r, parseTaskList);
  }

  /** One task; null when hostd no longer knows it (ManagedObjectNotFound: it dropped it). */
  async taskInfo(key: string): Promise<TaskInfo | null> {
    const line = cmd.taskInfo(key);
    try {
      const r = await this.run(line, { purpose: `task ${key}`, read: 'own' });
      return this.parse(line, r, parseTaskInfo);
    } catch (err) {
      if (err instanceof RemoteCommandError && err.fault === 'vmodl.fault.ManagedObjectNotFound') return null;
      throw err;
    }
  }

  /** `onEnded`: told when the host has answered, before the tree and the state read after it. */
  async removeSnapshot(vmid: number, snapId: number, onEnded?: () => void): Promise<SnapshotTree> {
    const line = cmd.snapshotRemove(vmid, snapId);
    const r = await this.run(line, {
      purpose: `remove snapshot ${snapId} of vmid ${vmid}`,
      intent: { op: 'snapshot-remove', vmid, snapshotId: snapId },
      readsAfter: [reads.snapshotTree(vmid), reads.powerState(vmid)],
      onEnded,
    });
    return this.parse(line, r, parseSnapshotTree);
  }

  // ---- questions and guest ----------------------------------------------------------------------

  async pendingQuestion(vmid: number): Promise<PendingQuestion | null> {
    const read = reads.question(vmid);
    return this.parse(read.line, await this.read(read), parsePendingQuestion);
  }

  async answerQuestion(vmid: number, questionId: string, choiceKey: number): Promise<void> {
    const line = cmd.answer(vmid, questionId, choiceKey);
    await this.run(line, {
      purpose: `answer question ${questionId} of vmid ${vmid} with ${choiceKey}`,
      silent: true,
      intent: { op: 'answer-question', vmid, questionId, choice: choiceKey },
      readsAfter: [reads.powerState(vmid)],
    });
  }

  async guestInfo(vmid: number): Promise<GuestInfo> {
    const line = cmd.getGuest(vmid);
    const r = await this.run(line, { purpose: `guest info of vmid ${vmid}`, read: 'shared', vmid });
    return this.parse(line, r, parseGuestInfo);
  }

  /** The tools heartbeat (`green` once the guest's tools report in). */
  async heartbeat(vmid: number): Promise<Heartbeat> {
    const read = reads.heartbeat(vmid);
    return this.parse(read.line, await this.read(read), parseHeartbeat).heartbeat;
  }

  // ---- lockdown -------------------------------------------------------------------------------

  async lockdownEnabled(): Promise<boolean> {
    const line = cmd.lockdownIsEnabled();
    const r = await this.run(line, { purpose: 'is lockdown enabled', read: 'shared' });
    return this.parse(line, r, parseLockdown).enabled;
  }

  async exitLockdown(): Promise<void> {
    await this.run(cmd.lockdownExit(), { purpose: 'exit lockdown', silent: true, intent: { op: 'lockdown-exit' } });
  }

  async enterLockdown(): Promise<void> {
    await this.run(cmd.lockdownEnter(), { purpose: 'enter lockdown', silent: true, intent: { op: 'lockdown-enter' } });
  }

  // ---- NFS and version ------------------------------------------------------------------------

  async nfsList(): Promise<NfsMount[]> {
    const line = cmd.nfsList();
    const r = await this.run(line, { purpose: 'list NFS datastores', read: 'shared' });
    return this.parse(line, r, parseNfsList).mounts;
  }

  /** Which `/vmfs/volumes/<uuid>` is which datastore: processes name their .vmx by uuid path. */
  async filesystemList(): Promise<EsxiFilesystem[]> {
    const line = cmd.filesystemList();
    const r = await this.run(line, { purpose: 'list filesystems (datastore uuids)', read: 'shared' });
    return this.parse(line, r, parseFilesystemList).filesystems;
  }

  async nfsAdd(host: string, share: string, name: string): Promise<void> {
    const line = cmd.nfsAdd(host, share, name);
    await this.run(line, { purpose: `mount NFS datastore ${name}`, silent: true, intent: { op: 'nfs-add', name, nfsHost: host, share } });
  }

  async nfsRemove(name: string): Promise<void> {
    const line = cmd.nfsRemove(name);
    await this.run(line, { purpose: `unmount NFS datastore ${name}`, silent: true, intent: { op: 'nfs-remove', name } });
  }

  async version(): Promise<EsxiVersion> {
    const line = cmd.version();
    const r = await this.run(line, { purpose: 'ESXi version', read: 'shared' });
    return this.parse(line, r, parseVersion);
  }

  // ---- files ----------------------------------------------------------------------------------

  async readFile(path: string): Promise<string> {
    const r = await this.run(cmd.readFile(path), { purpose: `read ${path}`, dataOutput: true, read: 'own' });
    return r.stdout;
  }

  /** Names in a directory, without `.` and `..`. A name holding a newline cannot be told apart. */
  async listDir(path: string): Promise<string[]> {
    const r = await this.run(cmd.listDir(path), { purpose: `list ${path}`, dataOutput: true, read: 'own' });
    return r.stdout.split('\n').filter((n) => n !== '' && n !== '.' && n !== '..');
  }

  async fileExists(path: string): Promise<boolean> {
    const r = await this.run(cmd.fileExists(path), { purpose: `does ${path} exist`, okExits: [1], read: 'own' });
    return r.exitCode === 0;
  }

  /** Written through a temporary file and `mv` (see esxiCommands.writeFile). */
  async writeFile(path: string, content: string): Promise<void> {
    const line = cmd.writeFile(path, content);
    await this.run(line, { purpose: `write ${path}`, silent: true, intent: { op: 'write-file', path } });
  }

  async readVmx(path: string): Promise<VmxLine[]> {
    return parseVmx(await this.readFile(path));
  }

  /** Set (string) or remove (null) keys, keeping every other line as it was. Returns the new file. */
  async editVmx(path: string, edits: Record<string, string | null>): Promise<VmxLine[]> {
    let lines = await this.readVmx(path);
    for (const [key, value] of Object.entries(edits)) lines = setVmx(lines, key, value);
    await this.writeFile(path, serializeVmx(lines));
    return lines;
  }

  /**
   * Some keys of many .vmx files, read in one command (a host's VMs at capture): for each path,
   * its lines that set one of `keys` (the other lines are not read). Any file that cannot be read
   * fails the whole call, as `cat` of that one file would.
   */
  async readVmxKeys(paths: readonly string[], keys: readonly string[]): Promise<Map<string, VmxLine[]>> {
    const line = cmd.grepVmxKeys(paths, keys);
    // grep: 0 = lines found, 1 = none in any file, 2 = a file could not be read.
    const r = await this.run(line, { purpose: `read ${paths.length} .vmx files`, dataOutput: true, okExits: [1], read: 'own' });
    if (r.stderr.trim() !== '') this.fail(line, r.stderr.trim().slice(0, 2000));
    const texts = new Map(paths.map((p) => [p, [] as string[]]));
    for (const l of r.stdout.split('\n')) {
      if (l === '') continue;
      // The longest asked path before a `:` (a path may hold `:` itself, and be a prefix of another
      // one): tried from the last `:` back, each a map lookup rather than a scan of the batch.
      let p: string | undefined;
      for (let i = l.lastIndexOf(':'); i > 0 && p === undefined; i = l.lastIndexOf(':', i - 1)) {
        const head = l.slice(0, i);
        if (texts.has(head)) p = head;
      }
      if (p === undefined) this.fail(line, `unexpected output: a line names no file that was asked: ${l.slice(0, 200)}`);
      texts.get(p)!.push(l.slice(p.length + 1));
    }
    return new Map([...texts].map(([p, ls]) => [p, parseVmx(ls.map((x) => `${x}\n`).join(''))]));
  }

  /** The `displayName` a .vmx records, for registering without a trusted inventory record. */
  async vmxDisplayName(path: string): Promise<string | undefined> {
    return getVmx(await this.readVmx(path), 'displayName');
  }
}
