/**
 * Recover, per VM, in parallel across hosts: restore its folder from its own job's snapshot when
 * that is not the restored one, register the .vmx from the mirror under its recorded name, revert
 * to VSC's VMware snapshot, delete that snapshot only, power on by priority group ("I moved it"),
 * wait for the VMware Tools heartbeat. One plan section per priority group.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { recoverTargetId, type FailoverContext } from '../../failover/context.js';
import type { PlanSection, PlanStep } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { NEW_VMID, SNAPSHOT_ID, formatTime, groupKeyOf, type FailoverPlanContext } from './plan-context.js';
import { powerOnCommands, reachableStep, registerCommands } from './vm-commands.js';
import { heartbeatStage } from '../heartbeat.js';
import { powerOnMovedBack } from '../power-on.js';
import type { ActionIO, CheckResult, StepInfo, Target, TargetsIO } from '../../engine/runner.js';
import { DrbookError, OperatorError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import { RESTORE_PATH_PUNCTUATION, restoreFilePathProblem } from '../../adapters/ontap/ops.js';
import { normaliseUuid } from '../../failover/preflight.js';
import { registersThroughVcenter, registerThroughVcenter } from '../../failover/register-vcenter.js';
import {
  plan,
  worldAlive,
  worldSeenGone,
  vmOf,
  datastoreOf,
  mirrorVmx,
  mirrorRegistration,
  vmidOf,
  vmTargets,
  pointOf,
  quiescePoint,
} from './helpers.js';
import { vmfsPath } from '../../failover/paths.js';
import { revertInDoubt } from '../../failover/revert-in-doubt.js';
import { answeredOk, sentChanges } from '../../engine/sent-changes.js';
import type { SnapshotNode } from '../../adapters/esxi/snapshot-tree.js';

const recover = {
  targets: (ctx: FailoverContext, _step: StepInfo, io: TargetsIO) =>
    vmTargets(
      ctx,
      io,
      ctx.primaryVms.filter((v) => v !== ctx.vcenter),
    ),
};

/**
 * Several VSC jobs: the volume holds one job's quiesce points; a VM of another job gets its whole
 * folder (.vmx, disks, .vmsd, .vmsn, delta disks) back from its own job's snapshot with
 * `volume snapshot restore-file`, before it is registered. Each file is one journaled command, and
 * restoring a file again before the VM is registered changes nothing, so a resume may repeat it.
 */
const restoreFiles = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const point = pointOf(ctx, t);
    const m = failoverMessages(ctx.lang);
    if (!point || point.via !== 'restore-file') return { skip: point ? m.skipPointInVolume : m.skipNoPointToRestore };
    return 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    const point = pointOf(ctx, t)!;
    const folder = vmfsPath(ctx.mirror.datastore, '.snapshot', point.snapshot, vm.vmxDir);
    const files = (await ctx.esxi(t.host!).listDir(folder)).filter((f) => f !== '.' && f !== '..');
    if (files.length === 0)
      throw new DrbookError(
        failoverMessages(ctx.lang).errFolderEmpty({ folder }),
        failoverMessages(ctx.lang).errFolderEmptyHint({ snapshot: point.snapshot, vm: vm.name }),
      );
    // Every path is checked before the first file is restored: none or all of the folder.
    for (const f of files) {
      const problem = restoreFilePathProblem(`/${vm.vmxDir}/${f}`);
      if (problem) {
        const m = failoverMessages(ctx.lang);
        throw new DrbookError(
          m.errRestorePath({ vm: vm.name, path: `/${vm.vmxDir}/${f}`, problem }),
          m.errRestorePathHint({ allowed: RESTORE_PATH_PUNCTUATION }),
        );
      }
    }
    for (const [i, f] of files.entries()) {
      io.progress(i + 1, files.length, f);
      await ctx.ontap.restoreFile(ctx.mirror.vserver, ctx.mirror.volume, point.snapshot, `/${vm.vmxDir}/${f}`);
    }
    io.note('info', failoverMessages(ctx.lang).filesRestored({ vm: vm.name, count: files.length, snapshot: point.snapshot }));
  },
  async verify(ctx: FailoverContext, t: Target) {
    const vm = vmOf(ctx, t);
    const names = await ctx.esxi(t.host!).listDir(vmfsPath(ctx.mirror.datastore, vm.vmxDir));
    return names.some((n) => n.endsWith('.vmsd')) ? (true as const) : failoverMessages(ctx.lang).checkNoVmsd({ dir: vm.vmxDir });
  },
};

export const register = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    // The inventory only: another VM's register a moment ago often read it already. The guard (is
    // the .vmx on the mirror?) is read by the host in the register's own line.
    const inv = await ctx.esxi(t.host!).listVms([{ vmx: mirrorVmx(ctx, vm) }, { name: vm.name }]);
    const mine = inv.vms.find((r) => r.datastore === datastoreOf(ctx, vm) && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
    if (mine) {
      ctx.facts.vmids.set(t.id, mine.vmid);
      return 'done';
    }
    const clash = inv.vms.find((r) => r.name === vm.name.trimEnd() || r.nameRaw.trimEnd() === vm.name.trimEnd());
    if (clash) {
      throw new DrbookError(
        failoverMessages(ctx.lang).errNameTaken({ host: t.host!, vm: vm.name, vmid: String(clash.vmid), file: clash.file }),
        failoverMessages(ctx.lang).errNameTakenHint,
      );
    }
    // Its stale copy still running (the fence failed): a second copy from the mirror would run
    // beside it with the same identity (uuid, MACs). This VM stops here instead.
    const stale = vm.uuidBios === '' ? undefined : ctx.facts.staleRunningByUuid.get(normaliseUuid(vm.uuidBios));
    // A world the fence saw gone after its kill stays gone: no read.
    if (stale && !worldSeenGone(ctx, stale.host, stale.worldId!) && (await worldAlive(ctx, stale.host, stale.worldId!))) {
      throw new DrbookError(
        failoverMessages(ctx.lang).errStaleRunning({ vm: vm.name, host: stale.host, worldId: String(stale.worldId) }),
        failoverMessages(ctx.lang).errStaleRunningHint,
      );
    }
    return 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    const ops = ctx.esxi(t.host!);
    const notOnMirror = () =>
      new DrbookError(
        failoverMessages(ctx.lang).errNotOnMirror({ path: mirrorVmx(ctx, vm) }),
        failoverMessages(ctx.lang).errNotOnMirrorHint({ vm: vm.name }),
      );
    // vCenter up from the start: through it, straight into the recorded folder and pool.
    if (registersThroughVcenter(ctx, vm)) {
      if (!(await ops.fileExists(mirrorVmx(ctx, vm)))) throw notOnMirror();
      if (await registerThroughVcenter(ctx, t, vm, io)) return;
    }
    // The inventory read after it is the verify's: the slot goes on meanwhile.
    const vmid = await ops.registerIfPresent(mirrorVmx(ctx, vm), vm.name, io.changesEnded);
    if (vmid === null) throw notOnMirror();
    ctx.facts.vmids.set(t.id, vmid);
  },
  async verify(ctx: FailoverContext, t: Target) {
    const row = await mirrorRegistration(ctx, t, vmOf(ctx, t));
    if (!row) return failoverMessages(ctx.lang).checkNotInInventory;
    ctx.facts.vmids.set(t.id, row.vmid);
    return true as const;
  },
};

/**
 * Whether this run already reverted this VM: a revert of this target that the host answered
 * without error. The host cannot show it (before and after a revert the VM is off at the same
 * snapshot), so a resume reads it from the journal instead of reverting twice.
 */
function revertedBefore(ctx: FailoverContext, t: Target): boolean {
  return sentChanges(ctx.events(), 'snapshot-revert').some((c) => c.started.targetId === t.id && answeredOk(c));
}

/**
 * The snapshot to revert to, as this attempt's check read it a moment before its apply: the apply
 * need not read the tree again (that read had often outlived the shared reads' moment). Its id
 * names that snapshot for the VM's life (ids come from the .vmsd's `snapshot.lastUID`, which only
 * grows: fixtures esxi-vmsd-1/2), so one deleted since makes the revert fail, never go elsewhere;
 * what can change unseen, the power state, is read by the host in the revert's own line.
 */
const checkedPoint = new WeakMap<ActionIO, SnapshotNode>();

const revert = {
  async check(ctx: FailoverContext, t: Target, io: ActionIO): Promise<CheckResult> {
    const vmid = await vmidOf(ctx, t);
    // Both reads at once (neither depends on the other): one round trip in the host's slot, not two.
    const [power, point] = await Promise.all([ctx.esxi(t.host!).powerState(vmid), quiescePoint(ctx, t)]);
    if (revertedBefore(ctx, t) && power === 'off') return 'done';
    // Sent earlier without a clear answer: the host's task list says whether it ran.
    if (power === 'off' && (await revertInDoubt(ctx, t, vmid, io)) === 'done') return 'done';
    // Running from the mirror already (an earlier failover, or someone started it): recovered.
    if (power === 'on') return { skip: failoverMessages(ctx.lang).skipRunningNotReverted };
    if (point) {
      checkedPoint.set(io, point);
      return 'todo';
    }
    const m = failoverMessages(ctx.lang);
    const vm = vmOf(ctx, t);
    if (vm.power !== 'on' && !vm.isVcenter) {
      // Left off (power-on skips it): no crash-consistent question, and a note that says so.
      ctx.facts.crashConsistent.add(t.id);
      io.note('info', m.offNoPointNote({ vm: t.label, power: vm.power }));
      return { skip: m.skipOffNoPoint({ power: vm.power }) };
    }
    const answer = await io.choose({
      key: `crash.${t.id}`,
      title: m.crashTitle({ vm: t.label, snapshot: pointOf(ctx, t)?.snapshot ?? plan(ctx).snapshot }),
      lines: [m.crashWhy, m.crashMeans],
      options: [
        { key: 'power-on', label: m.crashPowerOn },
        { key: 'skip', label: m.crashLeaveOff },
      ],
      default: ctx.options.crashConsistent ?? 'power-on',
      flag: { name: '--crash-consistent', value: ctx.options.crashConsistent, values: ['power-on', 'skip'] },
    });
    ctx.facts.crashConsistent.add(t.id);
    io.note('warn', answer === 'skip' ? m.crashNoteOff({ vm: t.label }) : m.crashNoteOn({ vm: t.label }));
    return answer === 'skip' ? { skip: m.skipCrashOff, end: true } : { skip: m.skipCrashOn };
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const vmid = await vmidOf(ctx, t);
    const m = failoverMessages(ctx.lang);
    const qp = checkedPoint.get(io) ?? (await quiescePoint(ctx, t));
    if (qp?.id == null) throw new DrbookError(m.errNoSnapshotId({ vm: t.label }), m.errNoSnapshotIdHint);
    // The guard (not on: a revert of a running VM throws away what it wrote since) is read by the
    // host in the revert's own line, right before it: not the check's read, which may be old. Once
    // that line has ended the slot goes on: what follows here only reads.
    const ops = ctx.esxi(t.host!);
    if ((await ops.revertUnlessOn(vmid, qp.id, true, io.changesEnded)) !== null) return;
    const power = await ops.powerState(vmid, { fresh: true });
    if (power === 'on') throw new OperatorError(m.errRevertRunning({ vm: t.label }), m.errRevertRunningHint);
    throw new DrbookError(m.errRevertNotRun({ vm: t.label, power }), m.errRevertNotRunHint);
  },
  async verify(ctx: FailoverContext, t: Target) {
    const state = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t));
    return state === 'off' ? (true as const) : failoverMessages(ctx.lang).checkAfterRevert({ state });
  },
};

const removeSnapshot = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    if (ctx.facts.crashConsistent.has(t.id)) return { skip: failoverMessages(ctx.lang).skipNoPoint };
    // The tree the revert's verify read serves, however long this VM waited for a slot since, while
    // no change made it stale: ESXi deletes no snapshot that is gone (someone else's delete
    // meanwhile costs a refused command, never a wrong one).
    return (await quiescePoint(ctx, t, { keptUntilChanged: true })) ? 'todo' : 'done';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const qp = await quiescePoint(ctx, t, { keptUntilChanged: true });
    if (qp?.id == null) return;
    // Only VSC's snapshot: the revert discarded what came after it, so nothing is merged, and the
    // VM's own snapshots stay.
    await ctx.esxi(t.host!).removeSnapshot(await vmidOf(ctx, t), qp.id, io.changesEnded);
  },
  async verify(ctx: FailoverContext, t: Target) {
    return (await quiescePoint(ctx, t)) ? failoverMessages(ctx.lang).checkSnapshotLeft : (true as const);
  },
};

export const powerOn = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    if (vm.power !== 'on' && !vm.isVcenter) return { skip: failoverMessages(ctx.lang).skipWasPower({ power: vm.power }), end: true };
    // The state the snapshot delete's verify read may serve, however long the priority gate held
    // this VM since, while no change made it stale: ESXi refuses to power on a VM someone started
    // meanwhile, and the apply then reads it again (powerOnAnswering).
    const state = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t), { keptUntilChanged: true });
    return state === 'on' ? 'done' : 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    // Files that moved make ESXi ask "moved or copied?": "I moved it" keeps the UUID and MACs.
    const on = await powerOnMovedBack(ctx, t, await vmidOf(ctx, t), io, failoverMessages(ctx.lang).answeredMoved({ vm: t.label }));
    if (!on) throw new DrbookError(failoverMessages(ctx.lang).errNoPowerOn({ vm: t.label }), failoverMessages(ctx.lang).errNoPowerOnHint);
  },
  async verify(ctx: FailoverContext, t: Target) {
    return (await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) === 'on' ? (true as const) : failoverMessages(ctx.lang).checkNotOn;
  },
};

export const heartbeat = heartbeatStage<FailoverContext>({
  vmid: vmidOf,
  timing: (ctx) => ctx.options,
  words: (ctx, t) => {
    const m = failoverMessages(ctx.lang);
    return {
      notOn: m.skipNotPoweredOn,
      timedOut: (seconds) => new DrbookError(m.errNoHeartbeat({ vm: t.label, seconds }), m.errNoHeartbeatHint),
      none: m.checkNoHeartbeat,
    };
  },
  // vCenter boots alone and the whole run waits for it: polled every interval (its polls join no other VM's).
  pollEvery: (ctx, t) => (ctx.vcenter && t.id === recoverTargetId(ctx.vcenter) ? 1 : 4),
});

export const recoverStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'recover',
  actions: {
    recover: recover,
    'restore-files': restoreFiles,
    register: register,
    revert,
    'remove-snapshot': removeSnapshot,
    'power-on': powerOn,
    heartbeat: heartbeat,
  },
  plan(p, step) {
    const { m, site, capture, snap, onHost, once, example } = p;
    const recoverVms = p.primaryVms.filter((v) => v !== p.vcenter);
    const groupKeys = [...new Set(recoverVms.map((v) => groupKeyOf(site, v)))].sort((a, b) => a - b);
    return groupKeys.map((key, gi): PlanSection => {
      const members = recoverVms.filter((v) => groupKeyOf(site, v) === key).sort(p.byHostThenName);
      const group = key === Infinity ? m.noGroup : site.priorityGroups[key]!.name;
      const steps = members.map((vm): PlanStep => {
        const audit = capture.audit.vms.find((a) => a.vm === vm.name && a.host === vm.host && a.vmxPath === vm.vmxPath);
        const point = audit?.points.find((pt) => pt.snapshot === snap.name);
        const pointText = !audit
          ? m.recoverNotAudited
          : point?.quiesced && point.vmwareSnapshot
            ? point.vmwareSnapshot.createdAt
              ? m.recoverExpectedPoint({ name: point.vmwareSnapshot.name, time: formatTime(point.vmwareSnapshot.createdAt) })
              : m.recoverExpectedPointNoTime({ name: point.vmwareSnapshot.name })
            : m.recoverNoPoint;
        const powerWord = vm.power === 'on' ? m.powerOn : vm.power === 'off' ? m.powerOff : m.powerSuspended;
        return {
          id: recoverTargetId(vm),
          title: m.recoverStep({ host: vm.host, name: vm.name }),
          host: vm.host,
          vm: vm.name,
          target: recoverTargetId(vm),
          text: [
            m.recoverPlaced({ host: vm.host, path: vm.vmxPath }),
            ...(vm.power === 'on' ? [] : [m.recoverLeaveOff({ power: powerWord })]),
          ],
          commands: [
            ...registerCommands(p, vm),
            onHost(vm.host, esxi.powerGetState(NEW_VMID), { text: m.recoverPowerBefore }),
            onHost(vm.host, esxi.snapshotGet(NEW_VMID), {
              text: `${m.recoverSnapshotGet} ${pointText}`,
              ...once(m.recoverSnapshotGetExpect),
              ...example('snapshotGet'),
            }),
            onHost(vm.host, esxi.snapshotRevertUnlessOn(NEW_VMID, SNAPSHOT_ID, true), {
              text: m.recoverRevert,
              ...once(m.recoverRevertExpect),
              ...example('snapshotRevert'),
            }),
            onHost(vm.host, esxi.snapshotRemove(NEW_VMID, SNAPSHOT_ID), { text: m.recoverRemove, ...once(m.recoverRemoveExpect) }),
            ...(vm.power === 'on' ? powerOnCommands(p, vm) : []),
          ],
        };
      });
      return {
        id: `${step.id}:${gi + 1}`,
        title: m.secRecover({ n: p.nextNumber(), group, index: gi + 1, count: groupKeys.length }),
        text: [
          ...(gi === 0 ? [m.recoverIntro, m.recoverGateFirst] : [m.recoverGate]),
          m.recoverPickRule({ snapshot: snap.name, time: formatTime(snap.createTime) }),
        ],
        // The first group's section also shows the reads that choose the step's targets.
        steps: gi === 0 ? [reachableStep(p, `${step.id}:hosts`), ...steps] : steps,
      };
    });
  },
};
