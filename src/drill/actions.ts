/**
 * The named helpers of runbooks/drill.yaml and runbooks/drill-cleanup.yaml. Built like the
 * failover's (src/failover/actions.ts): every stage observes (check), acts (apply) and observes
 * again (verify). What the failover already does the drill reuses: the preflight observation,
 * the lockdown exit and the evidence-based re-entry, VSC quiesce point matching.
 *
 * What a drill never does: break, quiesce, restore or resync the relationship, write to the
 * mirror volume, or touch a production registration. Everything it changes is inside its own
 * FlexClone and under its own datastore name, and every removal is checked on the device first.
 */
import { isMovedOrCopiedQuestion, type PendingQuestion } from '../adapters/esxi/parsers.js';
import { getVmx, type VmxLine } from '../adapters/esxi/vmx.js';
import type { ActionIO, ActionRegistry, CheckResult, StepInfo, Target, TargetsIO } from '../engine/runner.js';
import { DrbookError, describeError } from '../errors.js';
import { failoverActions } from '../failover/actions.js';
import { hostsSentLockdownExit } from '../site/lockdown.js';
import { groupIndexOf, recoverTargetId } from '../failover/context.js';
import { vmfsPath } from '../failover/paths.js';
import { waitFor } from '../failover/wait.js';
import { observeSituation } from '../failover/preflight.js';
import type { PreflightFacts } from '../failover/situation.js';
import { quiescePointFor } from '../failover/vsc.js';
import type { CapturedVm } from '../inventory/types.js';
import { CRASH_CONSISTENT, DRILL_SUFFIX, touchesDrill, type DrillContext, type ProductionRow } from './context.js';
import { summarizeDrill } from './report.js';
import { formatDuration } from '../reporters/format.js';

const SITE: Target = { id: 'site', label: 'site' };

/** The preflight board of a drill: the failover's, plus what the drill will create. */
export interface DrillSituation extends PreflightFacts {
  kind: 'drill';
  drill: {
    runId: string;
    mode: 'drill' | 'cleanup';
    clone: string;
    vserver: string;
    junction: string;
    datastore: string;
    /** Drill host → VMs it runs. */
    hosts: Record<string, number>;
    powerOn: boolean;
    keep: boolean;
  };
}

function plan(ctx: DrillContext) {
  const p = ctx.facts.situation?.plan;
  if (!p) throw new DrbookError('the preflight has not chosen a snapshot to clone', 'run the drill again');
  return p;
}

/** `ethernet0`, `ethernet1`… present in a .vmx. */
export function nicsOf(lines: readonly VmxLine[]): string[] {
  const out = new Set<string>();
  for (const l of lines) {
    if (l.kind !== 'pair') continue;
    const m = /^(ethernet\d+)\./i.exec(l.key);
    if (m) out.add(m[1]!.toLowerCase());
  }
  return [...out].sort();
}

/** NICs that would connect at power on (anything but startConnected FALSE). */
export function connectedNics(lines: readonly VmxLine[]): string[] {
  return nicsOf(lines).filter((n) => (getVmx(lines, `${n}.startConnected`) ?? 'TRUE').toUpperCase() !== 'FALSE');
}

/** The key of "I copied it" (a new UUID and MAC: the drill copy never poses as production). */
export function copiedChoiceKey(q: PendingQuestion): number | null {
  const c = q.choices.filter((x) => x.labelId === 'button.uuid.copiedTheVM' || /^I copied it$/i.test(x.label));
  return c.length === 1 ? c[0]!.key : null;
}

export function drillVmName(vm: CapturedVm): string {
  return `${vm.name.trimEnd()}${DRILL_SUFFIX}`;
}

/**
 * ESXi hosts where the drill may have left something: the evidence shows a command working on its
 * datastore was sent there (its intent is journaled before sending, so a mount or registration
 * whose answer never came counts). Hosts the preflight only looked at are not touched.
 */
export function touchedHosts(ctx: DrillContext): string[] {
  const site = new Set(ctx.site.endpoints.esxi.map((e) => e.name));
  const out = new Set<string>();
  for (const e of ctx.evidence())
    if (e.type === 'command.started' && site.has(e.host) && touchesDrill(e.intent, ctx.names)) out.add(e.host);
  return ctx.site.endpoints.esxi.map((e) => e.name).filter((h) => out.has(h));
}

/** Hosts a lockdown exit was sent to by the drill or any cleanup of it (sent counts: re-entering is harmless). */
export function drillHostsOutOfLockdown(ctx: DrillContext): string[] {
  return hostsSentLockdownExit(ctx.evidence());
}

const drillHosts = (ctx: DrillContext): string[] => {
  const set = new Set(ctx.primaryVms.map((v) => ctx.hostFor(v)));
  return ctx.site.endpoints.esxi.map((e) => e.name).filter((h) => set.has(h));
};

const hostTarget = (h: string): Target => ({ id: `host:${h}`, label: h, host: h });

// ---- preflight ---------------------------------------------------------------------------------

const preflight = {
  targets: () => [SITE],
  check: (ctx: DrillContext): CheckResult => (ctx.facts.situation?.plan ? 'done' : 'todo'),
  async apply(ctx: DrillContext, _t: Target, io: ActionIO) {
    const observed = await observeSituation(ctx);
    const hosts = drillHosts(ctx);
    const problems = observed.problems.filter(
      // A drill runs while production is up: the source being online is the normal case, and an
      // unreachable host that runs no drill VM does not matter.
      (p) => !/ is still online$/.test(p.message) && !/cannot be reached/.test(p.message) && !/are not in /.test(p.message),
    );
    for (const h of observed.hosts) {
      if (hosts.includes(h.name) && !h.reachable) {
        problems.push({
          blocking: true,
          message: `drill host ${h.name} cannot be reached: ${h.error ?? 'unknown error'}`,
          hint: 'pass --host with hosts that can be reached',
        });
      }
    }
    if (observed.relationship && observed.relationship.state !== 'Snapmirrored') {
      problems.push({
        blocking: false,
        message: `the relationship is ${observed.relationship.state ?? '?'}, not Snapmirrored`,
        hint: 'a failover may be under way; the drill still clones the mirror as it is',
      });
    }
    if (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone)) {
      problems.push({
        blocking: true,
        message: `a volume ${ctx.names.vserver}:${ctx.names.clone} already exists`,
        hint: `drbook drill cleanup ${ctx.drillRunId} removes it`,
      });
    }
    for (const id of ctx.leftBehind) {
      // Its drill VMs would hold the names this drill registers under: clean up first.
      problems.push({
        blocking: true,
        message: `drill ${id} may have left its clone, mounts or VMs behind`,
        hint: `run drbook drill cleanup ${id} first`,
      });
    }
    const perHost: Record<string, number> = {};
    for (const v of ctx.primaryVms) perHost[ctx.hostFor(v)] = (perHost[ctx.hostFor(v)] ?? 0) + 1;
    const situation: DrillSituation = {
      ...observed,
      kind: 'drill',
      // A clone deletes nothing: no newer snapshot is lost.
      plan: observed.plan ? { ...observed.plan, newer: [] } : null,
      hosts: observed.hosts.map((h) => ({ ...h, staleRegistered: null, staleRunning: null })),
      missingFromMirror: null,
      problems,
      drill: {
        runId: ctx.drillRunId,
        mode: 'drill',
        clone: ctx.names.clone,
        vserver: ctx.names.vserver,
        junction: ctx.names.junction,
        datastore: ctx.names.datastore,
        hosts: perHost,
        powerOn: ctx.drill.powerOn,
        keep: ctx.drill.keep,
      },
    };
    io.situation(situation);
    for (const p of problems) io.note(p.blocking ? 'error' : 'warn', p.hint ? `${p.message} — ${p.hint}` : p.message);
    const blocking = problems.find((p) => p.blocking);
    if (blocking) throw new DrbookError(`cannot drill: ${blocking.message}`, blocking.hint);
    ctx.facts.situation = situation;
  },
  verify: (ctx: DrillContext) => (ctx.facts.situation?.plan ? (true as const) : 'no snapshot chosen'),
};

// ---- lockdown: the failover's helpers, on the drill's hosts only -----------------------------------

const lockdownExit = {
  ...failoverActions['lockdown-exit'],
  targets: (ctx: DrillContext): Target[] => (ctx.mode === 'drill' ? drillHosts(ctx) : touchedHosts(ctx)).map(hostTarget),
};

const lockdownEnter = {
  ...failoverActions['lockdown-enter'],
  targets: (ctx: DrillContext): Target[] => drillHostsOutOfLockdown(ctx).map(hostTarget),
};

// ---- the clone and its datastore --------------------------------------------------------------------

/** The FlexClone row of `volume clone show`, or null when no clone of that name exists. */
function cloneRow(ctx: DrillContext): Promise<{ parentVolume: string | null; parentSnapshot: string | null } | null> {
  return ctx.ontap.cloneOrigin(ctx.names.vserver, ctx.names.clone);
}

const clone = {
  targets: (ctx: DrillContext): Target[] => [
    { id: `clone:${ctx.names.vserver}:${ctx.names.clone}`, label: `clone ${ctx.mirror.volume}@${plan(ctx).snapshot}` },
  ],
  async check(ctx: DrillContext): Promise<CheckResult> {
    return (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone)) ? 'done' : 'todo';
  },
  async apply(ctx: DrillContext) {
    await ctx.ontap.cloneCreate(ctx.names.vserver, ctx.names.clone, ctx.mirror.volume, plan(ctx).snapshot, ctx.names.junction);
  },
  async verify(ctx: DrillContext) {
    const v = await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone);
    if (!v) return 'the clone does not exist';
    if (v.state !== 'online') return `the clone is ${v.state ?? 'in an unknown state'}`;
    return v.junctionPath === ctx.names.junction
      ? (true as const)
      : `the clone is mounted at ${v.junctionPath ?? 'no junction'}, not ${ctx.names.junction}`;
  },
};

function productionRows(ctx: DrillContext, inv: Awaited<ReturnType<ReturnType<DrillContext['esxi']>['listVms']>>): ProductionRow[] {
  return inv.vms.filter((r) => r.datastore === ctx.primary.datastore).map((r) => ({ vmid: r.vmid, name: r.name, path: r.path, power: '' }));
}

async function baselineOf(ctx: DrillContext, host: string): Promise<ProductionRow[]> {
  const ops = ctx.esxi(host);
  const rows = productionRows(ctx, await ops.listVms());
  for (const r of rows) r.power = await ops.powerState(r.vmid);
  return rows;
}

const mount = {
  targets: (ctx: DrillContext): Target[] => drillHosts(ctx).map(hostTarget),
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    // Production as it is before the drill datastore arrives: compared at the end.
    if (!ctx.drillFacts.baseline.has(t.host!)) ctx.drillFacts.baseline.set(t.host!, await baselineOf(ctx, t.host!));
    const m = (await ctx.esxi(t.host!).nfsList()).find((x) => x.volumeName === ctx.names.datastore);
    if (!m) return 'todo';
    if (m.share !== ctx.names.junction)
      throw new DrbookError(
        `${t.host}: a datastore ${ctx.names.datastore} already exists with share ${m.share}`,
        "it is not this drill's; rename it or run the drill later",
      );
    return m.mounted && m.accessible ? 'done' : 'todo';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).nfsAdd(ctx.names.nfsHost, ctx.names.junction, ctx.names.datastore),
  async verify(ctx: DrillContext, t: Target) {
    const m = (await ctx.esxi(t.host!).nfsList()).find((x) => x.volumeName === ctx.names.datastore);
    return m?.mounted && m.accessible ? (true as const) : `${ctx.names.datastore} is not mounted and accessible`;
  },
};

// ---- the drill VMs ------------------------------------------------------------------------------

function vmOf(ctx: DrillContext, t: Target): CapturedVm {
  const vm = ctx.primaryVms.find((v) => recoverTargetId(v) === t.id);
  if (!vm) throw new DrbookError(`target ${t.id} is not in capture ${ctx.capture.id}`);
  return vm;
}

function cloneVmx(ctx: DrillContext, vm: CapturedVm): string {
  return vmfsPath(ctx.names.datastore, vm.vmxDir, vm.vmxFile);
}

async function drillRegistration(ctx: DrillContext, t: Target, vm: CapturedVm) {
  const inv = await ctx.esxi(t.host!).listVms();
  return inv.vms.find((r) => r.datastore === ctx.names.datastore && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
}

async function vmidOf(ctx: DrillContext, t: Target): Promise<number> {
  const known = ctx.facts.vmids.get(t.id);
  if (known !== undefined) return known;
  const row = await drillRegistration(ctx, t, vmOf(ctx, t));
  if (!row) throw new DrbookError(`${t.label} is not registered on ${t.host}`);
  ctx.facts.vmids.set(t.id, row.vmid);
  return row.vmid;
}

const recover = {
  targets: (ctx: DrillContext, _step: StepInfo): Target[] =>
    ctx.primaryVms.map((vm) => ({ id: recoverTargetId(vm), label: vm.name, host: ctx.hostFor(vm), group: groupIndexOf(ctx.site, vm) })),
};

/** Every NIC of the VM's .vmx IN THE CLONE starts disconnected (run before registering, and again after the revert). */
const isolate = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    const path = cloneVmx(ctx, vmOf(ctx, t));
    if (!(await ctx.esxi(t.host!).fileExists(path)))
      throw new DrbookError(`${path} is not in the clone`, `was ${t.label} in ${plan(ctx).snapshot}? skip it`);
    return connectedNics(await ctx.esxi(t.host!).readVmx(path)).length ? 'todo' : 'done';
  },
  async apply(ctx: DrillContext, t: Target, io: ActionIO) {
    const path = cloneVmx(ctx, vmOf(ctx, t));
    const nics = connectedNics(await ctx.esxi(t.host!).readVmx(path));
    await ctx.esxi(t.host!).editVmx(path, Object.fromEntries(nics.map((n) => [`${n}.startConnected`, 'FALSE'])));
    if (io.stage !== 'isolate') {
      // Registered already: the host holds the configuration the revert brought back. Register the
      // VM again so what it powers on with is the file as it is now.
      const ops = ctx.esxi(t.host!);
      await ops.unregister(await vmidOf(ctx, t));
      ctx.facts.vmids.delete(t.id);
      ctx.facts.vmids.set(t.id, await ops.register(path, drillVmName(vmOf(ctx, t))));
      io.note('warn', `${t.label}: the revert brought back connected NICs (${nics.join(', ')}); disconnected again and registered anew`);
    }
  },
  async verify(ctx: DrillContext, t: Target) {
    const left = connectedNics(await ctx.esxi(t.host!).readVmx(cloneVmx(ctx, vmOf(ctx, t))));
    return left.length ? `${left.join(', ')} would still connect` : (true as const);
  },
};

const register = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    const inv = await ctx.esxi(t.host!).listVms();
    const mine = inv.vms.find((r) => r.datastore === ctx.names.datastore && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
    if (mine) {
      ctx.facts.vmids.set(t.id, mine.vmid);
      return 'done';
    }
    const name = drillVmName(vm);
    const clash = inv.vms.find((r) => r.name === name || r.nameRaw.trimEnd() === name);
    if (clash)
      throw new DrbookError(
        `${t.host}: a VM named ${name} is already registered (vmid ${clash.vmid}, ${clash.file})`,
        'an earlier drill left it: drbook drill cleanup removes it',
      );
    return 'todo';
  },
  async apply(ctx: DrillContext, t: Target) {
    const vm = vmOf(ctx, t);
    ctx.facts.vmids.set(t.id, await ctx.esxi(t.host!).register(cloneVmx(ctx, vm), drillVmName(vm)));
  },
  async verify(ctx: DrillContext, t: Target) {
    const row = await drillRegistration(ctx, t, vmOf(ctx, t));
    if (!row) return 'not in the host inventory after registration';
    ctx.facts.vmids.set(t.id, row.vmid);
    return true as const;
  },
};

async function quiescePoint(ctx: DrillContext, t: Target) {
  const p = plan(ctx);
  const tree = await ctx.esxi(t.host!).snapshotTree(await vmidOf(ctx, t));
  return quiescePointFor(tree.snapshots, { name: p.snapshot, createTime: p.createTime });
}

const revert = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if (await quiescePoint(ctx, t)) return 'todo';
    ctx.facts.crashConsistent.add(t.id);
    return { skip: CRASH_CONSISTENT };
  },
  async apply(ctx: DrillContext, t: Target) {
    const qp = await quiescePoint(ctx, t);
    if (qp?.id == null) throw new DrbookError(`${t.label}: the VSC snapshot has no id on this host`);
    await ctx.esxi(t.host!).revert(await vmidOf(ctx, t), qp.id, true);
  },
  async verify(ctx: DrillContext, t: Target) {
    const state = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t));
    return state === 'off' ? (true as const) : `the VM is ${state} after the revert`;
  },
};

const removeSnapshot = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if (ctx.facts.crashConsistent.has(t.id)) return { skip: 'no quiesce point' };
    return (await quiescePoint(ctx, t)) ? 'todo' : 'done';
  },
  async apply(ctx: DrillContext, t: Target) {
    const qp = await quiescePoint(ctx, t);
    if (qp?.id == null) return;
    await ctx.esxi(t.host!).removeSnapshot(await vmidOf(ctx, t), qp.id);
  },
  async verify(ctx: DrillContext, t: Target) {
    return (await quiescePoint(ctx, t)) ? 'the VSC snapshot is still there' : (true as const);
  },
};

const powerOn = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    if (!ctx.drill.powerOn) return { skip: '--no-power-on: left off', end: true };
    if (vm.power !== 'on' && !vm.isVcenter) return { skip: `${vm.power} in production: left off`, end: true };
    // The last word before anything runs: never power on a drill VM that could reach the network.
    const left = connectedNics(await ctx.esxi(t.host!).readVmx(cloneVmx(ctx, vm)));
    if (left.length)
      throw new DrbookError(
        `${t.label}: ${left.join(', ')} would connect at power on; refusing to power it on`,
        'look at the .vmx in the clone',
      );
    return (await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) === 'on' ? 'done' : 'todo';
  },
  async apply(ctx: DrillContext, t: Target, io: ActionIO) {
    const ops = ctx.esxi(t.host!);
    const vmid = await vmidOf(ctx, t);
    // "I copied it": the drill copy gets its own UUID and MAC and never poses as the production VM.
    const answer = (q: PendingQuestion): number | null => (isMovedOrCopiedQuestion(q) ? copiedChoiceKey(q) : null);
    const { answered } = await ops.powerOnAnsweringQuestions(vmid, answer, { pollMs: ctx.drill.pollMs, signal: io.signal });
    if (answered.length) io.note('info', `${t.label}: answered "I copied it"`);
    // Hosts that return from power.on before the question is answered: answer it here.
    const on = await waitFor(
      async () => {
        const q = await ops.pendingQuestion(vmid);
        if (q) {
          const key = answer(q);
          if (key === null)
            throw new DrbookError(`${t.label} asks a question drbook does not answer: ${q.text}`, 'answer it in the host client');
          await ops.answerQuestion(vmid, q.id, key);
          io.note('info', `${t.label}: answered "I copied it"`);
        }
        return (await ops.powerState(vmid)) === 'on';
      },
      ctx.drill.powerOnMs,
      ctx.drill.pollMs,
      io.signal,
    );
    if (!on) throw new DrbookError(`${t.label} did not power on`, 'look at the drill VM in the host client');
  },
  async verify(ctx: DrillContext, t: Target) {
    return (await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) === 'on' ? (true as const) : 'not powered on';
  },
};

async function toolsUp(ctx: DrillContext, t: Target): Promise<boolean> {
  return (await ctx.esxi(t.host!).heartbeat(await vmidOf(ctx, t))) === 'green';
}

const heartbeat = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if ((await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) !== 'on') return { skip: 'not powered on' };
    return (await toolsUp(ctx, t)) ? 'done' : 'todo';
  },
  async apply(ctx: DrillContext, t: Target, io: ActionIO) {
    if (!(await waitFor(() => toolsUp(ctx, t), ctx.drill.heartbeatMs, ctx.drill.pollMs, io.signal, 4 * ctx.drill.pollMs))) {
      throw new DrbookError(
        `${t.label}: no VMware Tools heartbeat ${Math.round(ctx.drill.heartbeatMs / 1000)} s after power on`,
        'look at its console in the host client (drill --keep leaves it there)',
      );
    }
  },
  verify: async (ctx: DrillContext, t: Target) => ((await toolsUp(ctx, t)) ? (true as const) : 'no heartbeat'),
};

// ---- teardown: found on the devices, limited to what the evidence says the drill touched ------------

const skipWhenKept = (ctx: DrillContext): boolean => ctx.mode === 'drill' && ctx.drill.keep;

const teardown = {
  async targets(ctx: DrillContext, _step: StepInfo, io: TargetsIO): Promise<Target[]> {
    ctx.drillFacts.drillVms.clear();
    if (skipWhenKept(ctx)) return [];
    const out: Target[] = [];
    for (const host of touchedHosts(ctx)) {
      let inv;
      try {
        inv = await ctx.esxi(host).listVms();
      } catch (err) {
        io.note('error', `${host}: cannot list its VMs, drill VMs there are not removed: ${describeError(err)}`);
        continue;
      }
      // Only registrations whose .vmx is on the drill datastore: nothing else is ever removed.
      for (const r of inv.vms.filter((x) => x.datastore === ctx.names.datastore)) {
        const id = `drill-vm:${host}:${r.vmid}`;
        ctx.drillFacts.drillVms.set(id, { host, vmid: r.vmid, name: r.name, path: r.path });
        out.push({ id, label: r.name, host });
      }
    }
    return out;
  },
};

async function stillDrillVm(ctx: DrillContext, t: Target): Promise<boolean> {
  const d = ctx.drillFacts.drillVms.get(t.id)!;
  const inv = await ctx.esxi(d.host).listVms();
  return inv.vms.some((r) => r.vmid === d.vmid && r.datastore === ctx.names.datastore && r.path === d.path);
}

const powerOff = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if (!(await stillDrillVm(ctx, t))) return { skip: 'no longer registered', end: true };
    return (await ctx.esxi(t.host!).powerState(ctx.drillFacts.drillVms.get(t.id)!.vmid)) === 'off' ? 'done' : 'todo';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).powerOff(ctx.drillFacts.drillVms.get(t.id)!.vmid),
  async verify(ctx: DrillContext, t: Target) {
    return (await ctx.esxi(t.host!).powerState(ctx.drillFacts.drillVms.get(t.id)!.vmid)) === 'off' ? (true as const) : 'still powered on';
  },
};

const unregister = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    return (await stillDrillVm(ctx, t)) ? 'todo' : 'done';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).unregister(ctx.drillFacts.drillVms.get(t.id)!.vmid),
  async verify(ctx: DrillContext, t: Target) {
    return (await stillDrillVm(ctx, t)) ? 'still registered' : (true as const);
  },
};

const unmount = {
  targets: (ctx: DrillContext): Target[] => (skipWhenKept(ctx) ? [] : touchedHosts(ctx).map(hostTarget)),
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    const ops = ctx.esxi(t.host!);
    const m = (await ops.nfsList()).find((x) => x.volumeName === ctx.names.datastore);
    if (!m) return 'done';
    if (m.share !== ctx.names.junction)
      throw new DrbookError(
        `${t.host}: datastore ${ctx.names.datastore} has share ${m.share}, not the drill's ${ctx.names.junction}; left alone`,
      );
    const left = (await ops.listVms()).vms.filter((r) => r.datastore === ctx.names.datastore);
    if (left.length)
      throw new DrbookError(
        `${t.host}: ${left.length} VM(s) are still registered on ${ctx.names.datastore} (${left[0]!.name}…)`,
        'they must be removed first: retry, or drbook drill cleanup',
      );
    return 'todo';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).nfsRemove(ctx.names.datastore),
  async verify(ctx: DrillContext, t: Target) {
    return (await ctx.esxi(t.host!).nfsList()).some((x) => x.volumeName === ctx.names.datastore) ? 'still mounted' : (true as const);
  },
};

const deleteClone = {
  targets: (ctx: DrillContext): Target[] =>
    skipWhenKept(ctx)
      ? []
      : [{ id: `clone:${ctx.names.vserver}:${ctx.names.clone}`, label: `delete clone ${ctx.names.vserver}:${ctx.names.clone}` }],
  async check(ctx: DrillContext): Promise<CheckResult> {
    const v = await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone);
    if (!v) return 'done';
    // Only a FlexClone of the mirror volume under the drill's name is ever deleted.
    const row = await cloneRow(ctx);
    if (!row)
      throw new DrbookError(
        `${ctx.names.vserver}:${ctx.names.clone} exists but is not a FlexClone; left alone`,
        'look at it on the cluster (volume show)',
      );
    if (row.parentVolume !== ctx.mirror.volume)
      throw new DrbookError(`${ctx.names.clone} is a clone of ${row.parentVolume ?? '?'}, not of ${ctx.mirror.volume}; left alone`);
    return 'todo';
  },
  async apply(ctx: DrillContext) {
    const v = (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone))!;
    // An interrupted delete finishes from where it stopped.
    await ctx.ontap.cloneDelete(ctx.names.vserver, ctx.names.clone, { unmounted: !v.junctionPath, offline: v.state === 'offline' });
  },
  async verify(ctx: DrillContext) {
    return (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone)) ? 'the clone still exists' : (true as const);
  },
};

// ---- verify: production exactly as it was -------------------------------------------------------

const verifyProduction = {
  targets: (ctx: DrillContext): Target[] => (ctx.facts.situation ? [{ id: 'production', label: 'production untouched' }] : []),
  check: (): CheckResult => 'todo',
  async apply(ctx: DrillContext, _t: Target, io: ActionIO) {
    const problems: string[] = [];
    const before = ctx.facts.situation!;
    const rel = (await ctx.ontap.relationships({ destination: ctx.mirror.path })).find((r) => r.destination === ctx.mirror.path);
    const was = before.relationship;
    // State and health, not status: a scheduled transfer (Idle → Transferring) during a drill is
    // SnapMirror working, not something the drill did.
    if (was && (!rel || rel.state !== was.state || rel.healthy !== was.healthy)) {
      problems.push(
        `relationship ${ctx.mirror.path}: was ${was.state} (healthy ${was.healthy}), now ${rel ? `${rel.state} (healthy ${rel.healthy})` : 'gone'}`,
      );
    }
    const snaps = new Set((await ctx.ontap.snapshots(ctx.mirror.vserver, ctx.mirror.volume)).map((s) => s.name));
    const p = before.plan;
    if (p && !snaps.has(p.snapshot)) problems.push(`the mirror no longer has ${p.snapshot}`);
    for (const [host, rows] of ctx.drillFacts.baseline) {
      let now: ProductionRow[];
      try {
        now = await baselineOf(ctx, host);
      } catch (err) {
        problems.push(`${host}: cannot read its VMs: ${describeError(err)}`);
        continue;
      }
      for (const r of rows) {
        const n = now.find((x) => x.vmid === r.vmid);
        if (!n) problems.push(`${host}: production VM ${r.name} (vmid ${r.vmid}) is no longer registered`);
        else if (n.name !== r.name || n.path !== r.path || n.power !== r.power)
          problems.push(`${host}: production VM ${r.name} changed (${n.name}, ${n.path}, ${n.power})`);
      }
      for (const n of now)
        if (!rows.some((r) => r.vmid === n.vmid)) problems.push(`${host}: a new registration ${n.name} on ${ctx.primary.datastore}`);
    }
    for (const x of problems) io.note('error', x);
    if (problems.length)
      throw new DrbookError(`production differs after the drill: ${problems[0]}${problems.length > 1 ? ', …' : ''}`, 'see the report');
    if (ctx.mode === 'drill') {
      const d = summarizeDrill(ctx.events());
      io.note(
        'info',
        `drill: ${d.counts.heartbeat}/${d.counts.total} VM(s) up with a heartbeat (${d.counts.quiesced} quiesced, ${d.counts.crashConsistent} crash-consistent, ${d.counts.failed} failed); recovery time ${d.recoveryMs === null ? '—' : formatDuration(d.recoveryMs)} from the first register to the last ${d.powerOn ? 'heartbeat' : 'VM ready'}`,
      );
    }
    io.note(
      'info',
      `production untouched: relationship ${was?.state ?? '?'}/${was?.status ?? '?'}, ${p?.snapshot ?? '?'} on the mirror, ${[...ctx.drillFacts.baseline.values()].reduce((a, r) => a + r.length, 0)} production VM(s) as they were`,
    );
  },
  verify: () => true as const,
};

// ---- cleanup: what the journal says, shown before anything is removed ---------------------------------

const cleanupPlan = {
  targets: () => [SITE],
  check: (): CheckResult => 'todo',
  apply(ctx: DrillContext, _t: Target, io: ActionIO) {
    const hosts = touchedHosts(ctx);
    const exits = drillHostsOutOfLockdown(ctx);
    io.note(
      'info',
      `drill ${ctx.drillRunId}: clone ${ctx.names.vserver}:${ctx.names.clone}, datastore ${ctx.names.datastore}; hosts it touched: ${hosts.join(', ') || 'none'}; lockdown exited on: ${exits.join(', ') || 'none'}. Each is checked on the device before anything is removed.`,
    );
  },
  verify: () => true as const,
};

export const drillActions: ActionRegistry<DrillContext> = {
  preflight,
  'lockdown-exit': lockdownExit,
  clone,
  mount,
  recover,
  isolate,
  register,
  revert,
  'remove-snapshot': removeSnapshot,
  'power-on': powerOn,
  heartbeat,
  teardown,
  'power-off': powerOff,
  unregister,
  unmount,
  'delete-clone': deleteClone,
  'verify-production': verifyProduction,
  'cleanup-plan': cleanupPlan,
  'lockdown-enter': lockdownEnter,
};
