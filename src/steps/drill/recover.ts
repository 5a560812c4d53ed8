/**
 * Recover, per VM, in parallel across hosts: every NIC of its .vmx in the clone disconnected,
 * registered as `NAME [drill]`, into the vCenter drill folder, reverted to VSC's VMware snapshot
 * (then that snapshot removed), isolated again (a revert may bring its NICs back), powered on
 * answering "I copied it", and its VMware Tools heartbeat awaited.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { vcenterCalls } from '../../adapters/vcenter/commands.js';
import { drillVmName } from '../../drill/actions.js';
import type { DrillContext } from '../../drill/context.js';
import { recoverTargetId } from '../../failover/context.js';
import { vmfsPath } from '../../failover/paths.js';
import type { PlanStep } from '../../plan/model.js';
import { NEW_VMID, QUESTION_ID, SNAPSHOT_ID } from '../failover/plan-context.js';
import type { StepModule } from '../step.js';
import { COPIED_CHOICE, DC_VM_FOLDER, DRILL_FOLDER, DRILL_VM, VMX_CONTENT, type DrillPlanContext } from './plan-context.js';
import {
  cloneVmx,
  connectedNics,
  copiedChoiceKey,
  drillRegistration,
  drillSnapshotPlan,
  quiescePoint,
  vmidOf,
} from '../../drill/actions.js';
import type { ActionIO, CheckResult, StepInfo, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import { heartbeatStage } from '../heartbeat.js';
import { powerOnAnswering } from '../power-on.js';
import { isMovedOrCopiedQuestion } from '../../adapters/esxi/parsers.js';
import { groupIndexOf, vmOf } from '../../failover/context.js';
import { CRASH_CONSISTENT } from '../../drill/context.js';
import { drillFolderStage } from '../../drill/folder.js';

const recover = {
  targets: (ctx: DrillContext, _step: StepInfo): Target[] =>
    ctx.primaryVms.map((vm) => ({ id: recoverTargetId(vm), label: vm.name, host: ctx.hostFor(vm), group: groupIndexOf(ctx.site, vm) })),
};

/** Every NIC of the VM's .vmx IN THE CLONE starts disconnected (run before registering, and again after the revert). */
const isolate = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    const path = cloneVmx(ctx, vmOf(ctx, t));
    const ops = ctx.esxi(t.host!);
    // Both at once (one exec when the host joins reads); when the file is missing, only that counts.
    const exists = ops.fileExists(path);
    const vmx = ops.readVmx(path);
    vmx.catch(() => undefined);
    if (!(await exists))
      throw new DrbookError(`${path} is not in the clone`, `was ${t.label} in ${drillSnapshotPlan(ctx).snapshot}? skip it`);
    return connectedNics(await vmx).length ? 'todo' : 'done';
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
    const inv = await ctx.esxi(t.host!).listVms([{ vmx: cloneVmx(ctx, vm) }, { name: drillVmName(vm) }]);
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

const revert = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if (await quiescePoint(ctx, t)) return 'todo';
    ctx.facts.crashConsistent.add(t.id);
    return { skip: CRASH_CONSISTENT };
  },
  async apply(ctx: DrillContext, t: Target, io: ActionIO) {
    const qp = await quiescePoint(ctx, t);
    if (qp?.id == null) throw new DrbookError(`${t.label}: the VSC snapshot has no id on this host`);
    // The host reverts only a clone VM it reads off in the same line (nothing of the drill powers
    // it on before; someone else might).
    const vmid = await vmidOf(ctx, t);
    const ops = ctx.esxi(t.host!);
    // Once the revert's line has ended the slot goes on: what follows here only reads.
    if ((await ops.revertUnlessOn(vmid, qp.id, true, io.changesEnded)) === null)
      throw new DrbookError(
        `${t.label}: not reverted: the host did not read it off right before the revert (it reads ${await ops.powerState(vmid, { fresh: true })} now)`,
        'power the drill VM off in the host client, then drbook resume',
      );
  },
  async verify(ctx: DrillContext, t: Target) {
    const state = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t));
    return state === 'off' ? (true as const) : `the VM is ${state} after the revert`;
  },
};

const removeSnapshot = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if (ctx.facts.crashConsistent.has(t.id)) return { skip: 'no quiesce point' };
    // The revert's verify read, kept while no change made it stale (as the failover's: ESXi deletes no snapshot that is gone).
    return (await quiescePoint(ctx, t, { keptUntilChanged: true })) ? 'todo' : 'done';
  },
  async apply(ctx: DrillContext, t: Target, io: ActionIO) {
    const qp = await quiescePoint(ctx, t, { keptUntilChanged: true });
    if (qp?.id == null) return;
    await ctx.esxi(t.host!).removeSnapshot(await vmidOf(ctx, t), qp.id, io.changesEnded);
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
    // "I copied it": the drill copy gets its own UUID and MAC and never poses as the production VM.
    const on = await powerOnAnswering(ctx.esxi(t.host!), await vmidOf(ctx, t), {
      answer: (q) => (isMovedOrCopiedQuestion(q) ? copiedChoiceKey(q) : null),
      onAnswered: () => io.note('info', `${t.label}: answered "I copied it"`),
      onAlreadyOn: () => io.note('warn', `${t.label} was on already when drbook powered it on: someone started it`),
      unanswerable: (q) => new DrbookError(`${t.label} asks a question drbook does not answer: ${q.text}`, 'answer it in the host client'),
      pollMs: ctx.drill.pollMs,
      timeoutMs: ctx.drill.powerOnMs,
      signal: io.signal,
    });
    if (!on) throw new DrbookError(`${t.label} did not power on`, 'look at the drill VM in the host client');
  },
  async verify(ctx: DrillContext, t: Target) {
    return (await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) === 'on' ? (true as const) : 'not powered on';
  },
};

const heartbeat = heartbeatStage<DrillContext>({
  vmid: vmidOf,
  timing: (ctx) => ctx.drill,
  words: (_ctx, t) => ({
    notOn: 'not powered on',
    timedOut: (seconds) =>
      new DrbookError(
        `${t.label}: no VMware Tools heartbeat ${seconds} s after power on`,
        'look at its console in the host client (drill --keep leaves it there)',
      ),
    none: 'no heartbeat',
  }),
});

export const drillRecoverStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'recover',
  actions: {
    recover,
    isolate,
    register,
    'drill-folder': drillFolderStage,
    revert,
    'remove-snapshot': removeSnapshot,
    'power-on': powerOn,
    heartbeat,
  },
  plan(p, step) {
    const { m, d, names, onHost, onVcenter, once, example } = p;
    const steps = [...p.primaryVms].sort(p.byHostThenName).map((vm): PlanStep => {
      const h = vm.host;
      const vmx = vmfsPath(names.datastore, vm.vmxDir, vm.vmxFile);
      // What the isolate stage sends: the file must be there, read, written back with every NIC disconnected.
      const isolate = [
        onHost(h, esxi.fileExists(vmx), { text: d.isolateCheck }),
        onHost(h, esxi.readFile(vmx)),
        onHost(h, esxi.writeFile(vmx, VMX_CONTENT), { text: d.isolateWrite, ...once(d.isolateWriteExpect) }),
      ];
      const powerOn = vm.power === 'on' || vm.isVcenter;
      const powerWord = vm.power === 'on' ? m.powerOn : vm.power === 'off' ? m.powerOff : m.powerSuspended;
      return {
        id: recoverTargetId(vm),
        title: d.recoverStep({ host: h, name: vm.name }),
        host: h,
        vm: vm.name,
        target: recoverTargetId(vm),
        text: [d.recoverPlaced({ host: h, path: vm.vmxPath }), ...(powerOn ? [] : [d.recoverLeaveOff({ power: powerWord })])],
        commands: [
          ...isolate,
          onHost(h, esxi.readFile(vmx), once(d.isolateVerifyExpect)),
          onHost(h, esxi.getAllVms(), { text: d.registerCheck }),
          onHost(h, esxi.register(vmx, drillVmName(vm)), { ...once(d.registerExpect), ...example('registerVm') }),
          onHost(h, esxi.getAllVms()),
          ...(p.hasVcenterApi
            ? [
                onVcenter(vcenterCalls.createFolder(DC_VM_FOLDER, p.folderName), { text: d.folderMove }),
                onVcenter(vcenterCalls.moveIntoFolder(DRILL_FOLDER, [DRILL_VM])),
              ]
            : []),
          onHost(h, esxi.snapshotGet(NEW_VMID), { text: d.revertText, ...example('snapshotGet') }),
          onHost(h, esxi.snapshotRevertUnlessOn(NEW_VMID, SNAPSHOT_ID, true), { ...example('snapshotRevert') }),
          onHost(h, esxi.powerGetState(NEW_VMID), once(d.revertExpect)),
          onHost(h, esxi.snapshotRemove(NEW_VMID, SNAPSHOT_ID), { text: d.removeText, ...once(d.removeExpect) }),
          // Again after the revert: the same reads and write, and a registration anew when it wrote.
          onHost(h, esxi.fileExists(vmx), { text: d.reisolateText }),
          onHost(h, esxi.readFile(vmx)),
          onHost(h, esxi.writeFile(vmx, VMX_CONTENT)),
          onHost(h, esxi.unregister(NEW_VMID)),
          onHost(h, esxi.register(vmx, drillVmName(vm))),
          ...(powerOn
            ? [
                onHost(h, esxi.readFile(vmx), { text: d.powerOnText }),
                onHost(h, esxi.powerGetState(NEW_VMID)),
                onHost(h, esxi.powerOn(NEW_VMID)),
                onHost(h, esxi.message(NEW_VMID)),
                onHost(h, esxi.answer(NEW_VMID, QUESTION_ID, COPIED_CHOICE)),
                onHost(h, esxi.powerGetState(NEW_VMID), once(d.powerOnExpect)),
                onHost(h, esxi.heartbeat(NEW_VMID), {
                  text: d.heartbeatText({ seconds: p.site.timeouts.heartbeatSeconds }),
                  ...once(d.heartbeatExpect),
                }),
              ]
            : []),
        ],
      };
    });
    return [{ id: step.id, title: p.numbered(d.secRecover), text: [d.recoverIntro], steps }];
  },
};
