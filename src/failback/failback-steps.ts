/**
 * The steps of runbooks/failback.yaml, one per function: the planned way back once the site is
 * reprotected. Each stage reads the devices (check) before it acts (apply) and after (verify), so
 * a resumed run never shuts down, breaks, registers or resyncs twice. Where every VM comes back
 * (host, name, power) is read once, before the first VM goes down, and kept in the journal.
 */
import { isMovedOrCopiedQuestion, movedChoiceKey, type PendingQuestion } from '../adapters/esxi/parsers.js';
import type { Action, ActionIO, ActionRegistry, CheckResult, ConfirmContent, Target } from '../engine/runner.js';
import { DrbookError, OperatorError, describeError } from '../errors.js';
import { failoverActions } from '../failover/actions.js';
import { vmfsPath } from '../failover/paths.js';
import { waitFor } from '../failover/wait.js';
import { wayBackMessages } from '../i18n/wayback.js';
import { splitVolumePath } from '../runbook/site.js';
import type { FailbackVm, WayBackContext } from './context.js';
import { refuseVmsOn, relationshipOf, siteTarget, sourceRecordOf, waitRelationship } from './reads.js';

const site = (ctx: WayBackContext): Target[] => [siteTarget(ctx)];

function placementOf(ctx: WayBackContext): FailbackVm[] {
  const p = ctx.recordedPlacement();
  if (!p) throw new DrbookError('the failback placement is missing from the journal', 'drbook resume reads it again');
  return p.vms;
}

function vmOf(ctx: WayBackContext, t: Target): FailbackVm {
  const vm = placementOf(ctx).find((v) => v.id === t.id);
  if (!vm) throw new DrbookError(`no recorded placement for ${t.label}`);
  return vm;
}

const vmTargets = (ctx: WayBackContext): Target[] =>
  placementOf(ctx).map((v) => ({ id: v.id, label: v.name, host: v.host, group: v.group }));

/** The VM's registration on its host from `datastore` (its .vmx path is the same on both volumes). */
async function registration(ctx: WayBackContext, vm: FailbackVm, datastore: string) {
  const inv = await ctx.esxi(vm.host).listVms();
  return inv.vms.find((r) => r.datastore === datastore && r.path === vm.path);
}

const mirrorDs = (ctx: WayBackContext) => ctx.site.datastores.mirror.name;
const primaryDs = (ctx: WayBackContext) => ctx.site.datastores.primary.name;

// ---- preflight and placement --------------------------------------------------------------------

const preflight = {
  targets: site,
  check: (): CheckResult => 'todo',
  async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
    const r = await relationshipOf(ctx, ctx.reverse);
    io.situation({
      kind: 'failback-preflight',
      observedAt: new Date().toISOString(),
      reverse: r ? { state: r.state, status: r.status, healthy: r.healthy, lagTime: r.lagTime ?? null } : null,
    });
  },
  verify: () => true as const,
};

/** Where every VM runs from the mirror, and whether it is on: read once (a resume keeps it). */
const placement = {
  targets: site,
  check: (ctx: WayBackContext): CheckResult => (ctx.recordedPlacement() ? 'done' : 'todo'),
  async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
    const vms: FailbackVm[] = [];
    const vcenter = ctx.site.vcenter?.vm;
    for (const e of ctx.site.endpoints.esxi) {
      const ops = ctx.esxi(e.name);
      const inv = await ops.listVms();
      for (const r of inv.vms.filter((x) => x.datastore === mirrorDs(ctx))) {
        const power = (await ops.powerState(r.vmid)) === 'on' ? 'on' : 'off';
        const g = ctx.site.priorityGroups.findIndex((x) => x.vms.includes(r.name));
        const star = ctx.site.priorityGroups.findIndex((x) => x.vms.includes('*'));
        const group = r.name === vcenter ? 0 : g >= 0 ? g + 1 : star >= 0 ? star + 1 : undefined;
        vms.push({ id: `vm:${r.path}`, name: r.name, host: e.name, path: r.path, power, group });
      }
    }
    io.situation({ kind: 'failback-placement', observedAt: new Date().toISOString(), vms });
  },
  verify: (ctx: WayBackContext) => (ctx.recordedPlacement() ? (true as const) : 'no placement recorded'),
};

// ---- shut down ----------------------------------------------------------------------------------

function failbackConfirmation(ctx: WayBackContext, targets: Target[]): ConfirmContent {
  const m = wayBackMessages(ctx.lang);
  const mirror = ctx.original.destination;
  return {
    title: m.failbackTitle({ mirror }),
    lines: [...m.failbackLines({ count: targets.length, mirror, primary: ctx.original.source }), m.failbackType({ mirror })],
    expect: mirror,
  };
}

const shutdown = {
  targets: vmTargets,
  confirmation: (ctx: WayBackContext, _s: unknown, targets: Target[]) => failbackConfirmation(ctx, targets),
  async check(ctx: WayBackContext, t: Target): Promise<CheckResult> {
    const row = await registration(ctx, vmOf(ctx, t), mirrorDs(ctx));
    if (!row) return 'done';
    return (await ctx.esxi(t.host!).powerState(row.vmid)) === 'on' ? 'todo' : 'done';
  },
  async apply(ctx: WayBackContext, t: Target, io: ActionIO) {
    const m = wayBackMessages(ctx.lang);
    const ops = ctx.esxi(t.host!);
    const row = await registration(ctx, vmOf(ctx, t), mirrorDs(ctx));
    if (!row) return;
    const off = async () => (await ops.powerState(row.vmid)) === 'off';
    try {
      await ops.shutdownGuest(row.vmid);
      if (await waitFor(off, ctx.wayBack.shutdownMs, ctx.options.pollMs, io.signal)) return;
      if (io.signal.aborted) return;
      io.note('warn', m.guestShutdownTimeout({ vm: t.label, seconds: Math.round(ctx.wayBack.shutdownMs / 1000) }));
    } catch (err) {
      io.note('warn', m.guestShutdownFailed({ vm: t.label, error: describeError(err) }));
    }
    if (!(await off())) await ops.powerOff(row.vmid);
  },
  async verify(ctx: WayBackContext, t: Target) {
    const row = await registration(ctx, vmOf(ctx, t), mirrorDs(ctx));
    if (!row) return true as const;
    return (await ctx.esxi(t.host!).powerState(row.vmid)) === 'off' ? (true as const) : wayBackMessages(ctx.lang).stillOn({ vm: t.label });
  },
};

/** Every recorded VM is off (or gone) on the mirror: what the final transfer and the break need. */
async function refuseRunningOnMirror(ctx: WayBackContext): Promise<void> {
  for (const vm of placementOf(ctx)) {
    const row = await registration(ctx, vm, mirrorDs(ctx));
    if (row && (await ctx.esxi(vm.host).powerState(row.vmid)) === 'on') {
      throw new OperatorError(wayBackMessages(ctx.lang).stillOn({ vm: vm.name }), 'drbook resume shuts it down first');
    }
  }
}

// ---- the final transfer and the break ------------------------------------------------------------

const finalUpdate = {
  targets: site,
  async check(ctx: WayBackContext): Promise<CheckResult> {
    const r = await relationshipOf(ctx, ctx.reverse);
    return !r || r.state === 'Broken-off' ? 'done' : 'todo';
  },
  async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
    await refuseRunningOnMirror(ctx);
    const before = await relationshipOf(ctx, ctx.reverse);
    await ctx.ontap.update(ctx.reverse.destination);
    const done = await waitRelationship(
      ctx,
      ctx.reverse,
      (r) => r?.status === 'Idle' && r.newestSnapshot !== before?.newestSnapshot,
      io.signal,
    );
    if (!done && !io.signal.aborted) {
      const m = wayBackMessages(ctx.lang);
      throw new DrbookError(
        m.transferStuck({ destination: ctx.reverse.destination, seconds: Math.round(ctx.wayBack.transferMs / 1000) }),
        m.transferStuckHint,
      );
    }
  },
  async verify(ctx: WayBackContext) {
    const r = await relationshipOf(ctx, ctx.reverse);
    return !r || r.status === 'Idle' ? (true as const) : `${ctx.reverse.destination}: ${r.status ?? '?'}`;
  },
};

const breakReverse = {
  targets: site,
  async check(ctx: WayBackContext): Promise<CheckResult> {
    const r = await relationshipOf(ctx, ctx.reverse);
    return !r || r.state === 'Broken-off' ? 'done' : 'todo';
  },
  async apply(ctx: WayBackContext) {
    await refuseRunningOnMirror(ctx);
    const r = await relationshipOf(ctx, ctx.reverse);
    if (r?.status !== 'Quiesced') await ctx.ontap.quiesce(ctx.reverse.destination);
    await ctx.ontap.break(ctx.reverse.destination);
  },
  async verify(ctx: WayBackContext) {
    const r = await relationshipOf(ctx, ctx.reverse);
    const { vserver, volume } = splitVolumePath(ctx.original.source);
    const vol = await ctx.ontap.volumeState(vserver, volume);
    if (r && r.state !== 'Broken-off')
      return wayBackMessages(ctx.lang).stateNot({ path: ctx.reverse.destination, state: r.state ?? '?', want: 'Broken-off' });
    return vol?.type === 'RW'
      ? (true as const)
      : wayBackMessages(ctx.lang).stateNot({ path: ctx.original.source, state: vol?.type ?? '?', want: 'RW' });
  },
};

/** A baseline's new volume has no junction yet: the datastore's share is mounted where it was. */
const junction = {
  targets: site,
  async check(ctx: WayBackContext): Promise<CheckResult> {
    const { vserver, volume } = splitVolumePath(ctx.original.source);
    return (await ctx.ontap.volumeState(vserver, volume))?.junctionPath === ctx.site.datastores.primary.share ? 'done' : 'todo';
  },
  async apply(ctx: WayBackContext) {
    const { vserver, volume } = splitVolumePath(ctx.original.source);
    await ctx.ontap.mount(vserver, volume, ctx.site.datastores.primary.share);
  },
  async verify(ctx: WayBackContext) {
    const { vserver, volume } = splitVolumePath(ctx.original.source);
    const j = (await ctx.ontap.volumeState(vserver, volume))?.junctionPath ?? '-';
    return j === ctx.site.datastores.primary.share
      ? (true as const)
      : wayBackMessages(ctx.lang).stateNot({ path: ctx.original.source, state: j, want: ctx.site.datastores.primary.share });
  },
};

// ---- off the mirror, onto the original -----------------------------------------------------------

const unregister = {
  targets: vmTargets,
  check: async (ctx: WayBackContext, t: Target): Promise<CheckResult> =>
    (await registration(ctx, vmOf(ctx, t), mirrorDs(ctx))) ? 'todo' : 'done',
  async apply(ctx: WayBackContext, t: Target) {
    const ops = ctx.esxi(t.host!);
    const row = await registration(ctx, vmOf(ctx, t), mirrorDs(ctx));
    if (!row) return;
    if ((await ops.powerState(row.vmid)) === 'on')
      throw new DrbookError(wayBackMessages(ctx.lang).stillOn({ vm: t.label }), 'drbook resume shuts it down first');
    await ops.unregister(row.vmid);
  },
  verify: async (ctx: WayBackContext, t: Target) =>
    (await registration(ctx, vmOf(ctx, t), mirrorDs(ctx)))
      ? wayBackMessages(ctx.lang).stillRegistered({ vm: t.label, host: t.host! })
      : (true as const),
};

const hostsOfPlacement = (ctx: WayBackContext): Target[] =>
  [...new Set(placementOf(ctx).map((v) => v.host))].map((h) => ({ id: `host:${h}`, label: h, host: h }));

async function primaryMounted(ctx: WayBackContext, host: string): Promise<'accessible' | 'inaccessible' | 'missing'> {
  const m = (await ctx.esxi(host).nfsList()).find((x) => x.volumeName === primaryDs(ctx));
  return !m ? 'missing' : m.mounted && m.accessible ? 'accessible' : 'inaccessible';
}

const mount = {
  targets: hostsOfPlacement,
  async check(ctx: WayBackContext, t: Target): Promise<CheckResult> {
    const state = await primaryMounted(ctx, t.host!);
    if (state === 'inaccessible')
      throw new DrbookError(
        wayBackMessages(ctx.lang).datastoreNotAccessible({ datastore: primaryDs(ctx), host: t.host! }),
        'esxcli storage nfs list on the host says why',
      );
    return state === 'accessible' ? 'done' : 'todo';
  },
  apply: async (ctx: WayBackContext, t: Target) => {
    const d = ctx.site.datastores.primary;
    await ctx.esxi(t.host!).nfsAdd(d.nfsHost, d.share, d.name);
  },
  verify: async (ctx: WayBackContext, t: Target) =>
    (await primaryMounted(ctx, t.host!)) === 'accessible'
      ? (true as const)
      : wayBackMessages(ctx.lang).datastoreNotAccessible({ datastore: primaryDs(ctx), host: t.host! }),
};

async function vmidOnPrimary(ctx: WayBackContext, t: Target): Promise<number> {
  const row = await registration(ctx, vmOf(ctx, t), primaryDs(ctx));
  if (!row) throw new DrbookError(wayBackMessages(ctx.lang).notRegistered({ vm: t.label, host: t.host! }));
  return row.vmid;
}

const register = {
  async check(ctx: WayBackContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    const m = wayBackMessages(ctx.lang);
    const inv = await ctx.esxi(vm.host).listVms();
    if (inv.vms.some((r) => r.datastore === primaryDs(ctx) && r.path === vm.path)) return 'done';
    const clash = inv.vms.find((r) => r.name === vm.name);
    if (clash)
      throw new DrbookError(m.nameTaken({ vm: vm.name, host: vm.host, path: `[${clash.datastore}] ${clash.path}` }), m.nameTakenHint);
    const file = vmfsPath(primaryDs(ctx), vm.path);
    if (!(await ctx.esxi(vm.host).fileExists(file))) throw new DrbookError(m.notOnPrimary({ path: file }), m.notOnPrimaryHint);
    return 'todo';
  },
  async apply(ctx: WayBackContext, t: Target) {
    const vm = vmOf(ctx, t);
    await ctx.esxi(vm.host).register(vmfsPath(primaryDs(ctx), vm.path), vm.name);
  },
  verify: async (ctx: WayBackContext, t: Target) =>
    (await registration(ctx, vmOf(ctx, t), primaryDs(ctx)))
      ? (true as const)
      : wayBackMessages(ctx.lang).notRegistered({ vm: t.label, host: t.host! }),
};

const powerOn = {
  async check(ctx: WayBackContext, t: Target): Promise<CheckResult> {
    if (vmOf(ctx, t).power !== 'on') return { skip: wayBackMessages(ctx.lang).wasOff, end: true };
    return (await ctx.esxi(t.host!).powerState(await vmidOnPrimary(ctx, t))) === 'on' ? 'done' : 'todo';
  },
  async apply(ctx: WayBackContext, t: Target, io: ActionIO) {
    const m = wayBackMessages(ctx.lang);
    const ops = ctx.esxi(t.host!);
    const vmid = await vmidOnPrimary(ctx, t);
    // The files came back from the other volume: "I moved it" keeps the UUID and MAC addresses.
    const answer = (q: PendingQuestion) => (isMovedOrCopiedQuestion(q) ? movedChoiceKey(q) : null);
    const { answered } = await ops.powerOnAnsweringQuestions(vmid, answer, { pollMs: ctx.options.pollMs, signal: io.signal });
    if (answered.length) io.note('info', m.answeredMoved({ vm: t.label }));
    const on = await waitFor(
      async () => {
        const q = await ops.pendingQuestion(vmid);
        const key = q ? answer(q) : null;
        if (q && key !== null) {
          await ops.answerQuestion(vmid, q.id, key);
          io.note('info', m.answeredMoved({ vm: t.label }));
        }
        return (await ops.powerState(vmid)) === 'on';
      },
      ctx.options.killVerifyMs * 2,
      ctx.options.pollMs,
      io.signal,
    );
    if (!on) throw new DrbookError(m.noPowerOn({ vm: t.label }));
  },
  verify: async (ctx: WayBackContext, t: Target) =>
    (await ctx.esxi(t.host!).powerState(await vmidOnPrimary(ctx, t))) === 'on'
      ? (true as const)
      : wayBackMessages(ctx.lang).stillOn({ vm: t.label }),
};

async function toolsUp(ctx: WayBackContext, t: Target): Promise<boolean> {
  return (await ctx.esxi(t.host!).heartbeat(await vmidOnPrimary(ctx, t))) === 'green';
}

const heartbeat = {
  async check(ctx: WayBackContext, t: Target): Promise<CheckResult> {
    if ((await ctx.esxi(t.host!).powerState(await vmidOnPrimary(ctx, t))) !== 'on') return { skip: wayBackMessages(ctx.lang).wasOff };
    return (await toolsUp(ctx, t)) ? 'done' : 'todo';
  },
  async apply(ctx: WayBackContext, t: Target, io: ActionIO) {
    if (!(await waitFor(() => toolsUp(ctx, t), ctx.options.heartbeatMs, ctx.options.pollMs, io.signal))) {
      const m = wayBackMessages(ctx.lang);
      throw new DrbookError(m.noHeartbeat({ vm: t.label, seconds: Math.round(ctx.options.heartbeatMs / 1000) }), m.noHeartbeatHint);
    }
  },
  verify: async (ctx: WayBackContext, t: Target) =>
    (await toolsUp(ctx, t)) ? (true as const) : wayBackMessages(ctx.lang).noHeartbeat({ vm: t.label, seconds: 0 }),
};

// ---- the original direction again ----------------------------------------------------------------

const deleteReverse = {
  targets: site,
  check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.reverse)) ? 'todo' : 'done'),
  apply: async (ctx: WayBackContext) => void (await ctx.ontap.deleteRelationship(ctx.reverse.destination)),
  verify: async (ctx: WayBackContext) =>
    (await relationshipOf(ctx, ctx.reverse)) ? `${ctx.reverse.source} → ${ctx.reverse.destination}` : (true as const),
};

const releaseReverse = {
  targets: site,
  check: async (ctx: WayBackContext): Promise<CheckResult> => ((await sourceRecordOf(ctx, ctx.reverse)) ? 'todo' : 'done'),
  apply: async (ctx: WayBackContext) => void (await ctx.ontap.release(ctx.reverse.destination)),
  verify: async (ctx: WayBackContext) =>
    (await sourceRecordOf(ctx, ctx.reverse)) ? `${ctx.reverse.source} → ${ctx.reverse.destination}` : (true as const),
};

const createOriginal = {
  targets: site,
  check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.original)) ? 'done' : 'todo'),
  apply: async (ctx: WayBackContext) => void (await ctx.ontap.createRelationship(ctx.original.source, ctx.original.destination)),
  verify: async (ctx: WayBackContext) =>
    (await relationshipOf(ctx, ctx.original)) ? (true as const) : `${ctx.original.source} → ${ctx.original.destination}`,
};

/** The mirror is overwritten from the original: never while a VM is registered or runs from it. */
const resyncOriginal = {
  targets: site,
  check: async (ctx: WayBackContext): Promise<CheckResult> =>
    (await relationshipOf(ctx, ctx.original))?.state === 'Snapmirrored' ? 'done' : 'todo',
  async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
    await refuseVmsOn(ctx, 'mirror');
    await ctx.ontap.resync(ctx.original.destination);
    await waitRelationship(ctx, ctx.original, (r) => r?.state === 'Snapmirrored' && r.status !== 'Transferring', io.signal);
  },
  async verify(ctx: WayBackContext) {
    const r = await relationshipOf(ctx, ctx.original);
    return r?.state === 'Snapmirrored'
      ? (true as const)
      : wayBackMessages(ctx.lang).verifyNoProtection({ ...ctx.original, state: r?.state ?? '-' });
  },
};

const verify = {
  targets: site,
  check: (): CheckResult => 'todo',
  async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
    const m = wayBackMessages(ctx.lang);
    const problems: string[] = [];
    for (const vm of placementOf(ctx)) {
      const row = await registration(ctx, vm, primaryDs(ctx));
      if (!row) {
        problems.push(m.notRegistered({ vm: vm.name, host: vm.host }));
        continue;
      }
      if (row.name !== vm.name) problems.push(`${vm.name} is registered as ${row.name}`);
      const power = await ctx.esxi(vm.host).powerState(row.vmid);
      if (power !== vm.power) problems.push(m.verifyPower({ vm: vm.name, power, want: vm.power }));
    }
    const [original, reverse] = await Promise.all([relationshipOf(ctx, ctx.original), relationshipOf(ctx, ctx.reverse)]);
    if (original?.state !== 'Snapmirrored' || original.healthy === false)
      problems.push(m.verifyNoProtection({ ...ctx.original, state: original?.state ?? '-' }));
    if (reverse) problems.push(m.verifyNoProtection({ ...ctx.reverse, state: `${reverse.state ?? '?'} (still there)` }));
    for (const p of problems) io.note('error', p);
    if (problems.length) throw new DrbookError(m.verifyProblem({ count: problems.length, first: problems[0]! }), m.verifyProblemHint);
    io.note('info', m.verifyAllGood({ count: placementOf(ctx).length, primary: primaryDs(ctx) }));
  },
  verify: () => true as const,
};

export const failbackActions: ActionRegistry<WayBackContext> = {
  'fb.preflight': preflight,
  // A way-back context is a failover context: the failover's lockdown steps run on it unchanged.
  'lockdown-exit': failoverActions['lockdown-exit'] as unknown as Action<WayBackContext>,
  'lockdown-enter': failoverActions['lockdown-enter'] as unknown as Action<WayBackContext>,
  'fb.placement': placement,
  'fb.shutdown': shutdown,
  'fb.final-update': finalUpdate,
  'fb.break': breakReverse,
  'fb.junction': junction,
  'fb.unregister': unregister,
  'fb.mount': mount,
  'fb.recover': { targets: vmTargets },
  'fb.register': register,
  'fb.power-on': powerOn,
  'fb.heartbeat': heartbeat,
  'fb.delete-reverse': deleteReverse,
  'fb.release-reverse': releaseReverse,
  'fb.create-original': createOriginal,
  'fb.resync-original': resyncOriginal,
  'fb.verify': verify,
};
