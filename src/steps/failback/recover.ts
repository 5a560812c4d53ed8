/**
 * Register every VM from the original datastore on its recorded host under its recorded name,
 * power on by priority group ("I moved it": UUID and MAC addresses kept), wait for the VMware
 * Tools heartbeat; the vCenter VM first. A VM that was off is registered and left off.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { vmfsPath } from '../../failover/paths.js';
import { heartbeatStage } from '../heartbeat.js';
import { powerOnMovedBack } from '../power-on.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import { MOVED_CHOICE, NEW_VMID, QUESTION_ID } from '../failover/plan-context.js';
import type { StepModule } from '../step.js';
import { plannedVms, primaryDs, registration, vmOf, vmPlanStep, vmTargets } from './common.js';

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
    return 'todo';
  },
  async apply(ctx: WayBackContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    const m = wayBackMessages(ctx.lang);
    // The guard (is the .vmx on the primary?) is read by the host in the register's own line.
    const file = vmfsPath(primaryDs(ctx), vm.path);
    if ((await ctx.esxi(vm.host).registerIfPresent(file, vm.name, io.changesEnded)) === null)
      throw new DrbookError(m.notOnPrimary({ path: file }), m.notOnPrimaryHint);
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
    // The files came back from the other volume: "I moved it" keeps the UUID and MAC addresses.
    const on = await powerOnMovedBack(ctx, t, await vmidOnPrimary(ctx, t), io, m.answeredMoved({ vm: t.label }));
    if (!on) throw new DrbookError(m.noPowerOn({ vm: t.label }));
  },
  verify: async (ctx: WayBackContext, t: Target) =>
    (await ctx.esxi(t.host!).powerState(await vmidOnPrimary(ctx, t))) === 'on'
      ? (true as const)
      : wayBackMessages(ctx.lang).stillOn({ vm: t.label }),
};

const heartbeat = heartbeatStage<WayBackContext>({
  vmid: vmidOnPrimary,
  timing: (ctx) => ctx.options,
  words: (ctx, t) => {
    const m = wayBackMessages(ctx.lang);
    return {
      notOn: m.wasOff,
      timedOut: (seconds) => new DrbookError(m.noHeartbeat({ vm: t.label, seconds }), m.noHeartbeatHint),
      // The verify follows the wait, which gave the guest the whole heartbeat timeout.
      none: m.noHeartbeat({ vm: t.label, seconds: Math.round(ctx.options.heartbeatMs / 1000) }),
    };
  },
});

export const fbRecoverStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.recover',
  actions: {
    'fb.recover': { targets: vmTargets },
    'fb.register': register,
    'fb.power-on': powerOn,
    'fb.heartbeat': heartbeat,
  },
  plan(p, step) {
    const { m, pm, onHost, once } = p;
    // The run's order: the vCenter VM (group 0), the site's groups, then VMs of no group.
    const vms = [...plannedVms(p)].sort((a, b) => (a.group ?? Infinity) - (b.group ?? Infinity));
    const steps = vms.map((vm) => {
      const vmx = vmfsPath(p.primaryDs, vm.path);
      return vmPlanStep(p, 'fb-recover', vm, vm.power === 'on' ? [] : [m.fbLeaveOff], [
        onHost(vm.host, esxi.getAllVms()),
        onHost(vm.host, esxi.registerIfPresent(vmx, vm.name)),
        // The check's getallvms may be shared with another VM's: the verify's comes after.
        onHost(vm.host, esxi.getAllVms(), once(m.fbRegisterExpect)),
        ...(vm.power === 'on'
          ? [
              onHost(vm.host, esxi.powerGetState(NEW_VMID)),
              // The new vmid is read (getallvms, which VMs of one host may share) before each stage acts.
              onHost(vm.host, esxi.getAllVms()),
              onHost(vm.host, esxi.powerOn(NEW_VMID), { text: pm.recoverPowerOn, ...once(pm.recoverPowerOnExpect) }),
              onHost(vm.host, esxi.message(NEW_VMID), { text: pm.recoverAnswer, ...once(pm.recoverMessageExpect) }),
              onHost(vm.host, esxi.answer(NEW_VMID, QUESTION_ID, MOVED_CHOICE), once(pm.recoverAnswerExpect)),
              onHost(vm.host, esxi.getAllVms()),
              onHost(vm.host, esxi.heartbeat(NEW_VMID), {
                text: pm.recoverHeartbeat({ seconds: p.site.timeouts.heartbeatSeconds }),
                ...once(pm.recoverHeartbeatStatusExpect),
              }),
            ]
          : []),
      ]);
    });
    return [{ id: step.id, title: m.secFbRecover, text: [pm.recoverGateFirst], steps }];
  },
  catalogue: ['secFbRecover', 'fbVmStep', 'fbLeaveOff', 'fbRegisterExpect'],
};
