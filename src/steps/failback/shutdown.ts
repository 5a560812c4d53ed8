/** Shut the VMs down on the mirror: a guest shutdown, then power off after the timeout; after the typed confirmation. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { ActionIO, CheckResult, ConfirmContent, Target } from '../../engine/runner.js';
import { describeError } from '../../errors.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { waitFor } from '../../failover/wait.js';
import type { Lang } from '../../i18n/lang.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import type { PlanStep } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { mirrorDs, mirrorVmidOf, plannedVms, registration, vmOf, vmPlanStep, vmTargets } from './common.js';

/** What the operator reads before typing the mirror's path: the run asks it, the plan prints it. */
export function failbackConfirmation(
  lang: Lang,
  original: { source: string; destination: string },
  count: number,
): Required<Pick<ConfirmContent, 'title' | 'lines' | 'expect'>> {
  const m = wayBackMessages(lang);
  const mirror = original.destination;
  return {
    title: m.failbackTitle({ mirror }),
    lines: [...m.failbackLines({ count, mirror, primary: original.source }), m.failbackType({ mirror })],
    expect: mirror,
  };
}

export const fbShutdownStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.shutdown',
  actions: {
    'fb.shutdown': {
      targets: vmTargets,
      confirmation: (ctx: WayBackContext, _s: unknown, targets: Target[]) => failbackConfirmation(ctx.lang, ctx.original, targets.length),
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
        return (await ctx.esxi(t.host!).powerState(row.vmid)) === 'off'
          ? (true as const)
          : wayBackMessages(ctx.lang).stillOn({ vm: t.label });
      },
    },
  },
  plan(p, step) {
    const { m, pm, onHost, once } = p;
    const vms = plannedVms(p);
    const confirm = failbackConfirmation(p.lang, p.original, vms.length);
    const steps: PlanStep[] = [
      {
        id: 'fb-shutdown:confirm',
        title: pm.labelConfirm,
        text: [],
        commands: [],
        confirm: { text: [confirm.title, ...confirm.lines.slice(0, -1)].join(' '), type: confirm.expect },
      },
      ...vms.map((vm) =>
        vmPlanStep(
          p,
          'fb-shutdown',
          vm,
          [],
          [
            onHost(vm.host, esxi.getAllVms()),
            onHost(vm.host, esxi.powerGetState(mirrorVmidOf(vm))),
            // Every read of the VM's registration is a getallvms, which VMs of one host may share.
            ...(vm.power === 'on'
              ? [
                  onHost(vm.host, esxi.getAllVms()),
                  onHost(vm.host, esxi.powerShutdown(mirrorVmidOf(vm))),
                  // The wait until it is off reads its power state: the check's read may have been shared.
                  onHost(vm.host, esxi.powerGetState(mirrorVmidOf(vm))),
                  onHost(vm.host, esxi.powerOff(mirrorVmidOf(vm)), once(m.fbShutdownExpect)),
                  onHost(vm.host, esxi.getAllVms()),
                ]
              : []),
          ],
        ),
      ),
    ];
    return [
      {
        id: step.id,
        title: m.secFbShutdown,
        text: [m.fbShutdownText({ seconds: Math.round(p.shutdownSeconds) })],
        steps,
      },
    ];
  },
  catalogue: ['secFbShutdown', 'fbShutdownText', 'fbVmStep', 'fbShutdownExpect'],
};
