/** Unregister every VM from the mirror datastore (never one still powered on), and mount the original datastore on their hosts. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import type { StepModule } from '../step.js';
import { hostsOfPlacement, mirrorDs, mirrorVmidOf, plannedVms, primaryDs, registration, vmOf, vmPlanStep, vmTargets } from './common.js';

export const fbUnregisterStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.unregister',
  actions: {
    'fb.unregister': {
      targets: vmTargets,
      check: async (ctx: WayBackContext, t: Target): Promise<CheckResult> =>
        (await registration(ctx, vmOf(ctx, t), mirrorDs(ctx))) ? 'todo' : 'done',
      async apply(ctx: WayBackContext, t: Target, io: ActionIO) {
        const ops = ctx.esxi(t.host!);
        const row = await registration(ctx, vmOf(ctx, t), mirrorDs(ctx));
        if (!row) return;
        // Read for this guard: a VM started since the check must not lose its registration.
        if ((await ops.powerState(row.vmid, { fresh: true })) === 'on')
          throw new DrbookError(wayBackMessages(ctx.lang).stillOn({ vm: t.label }), 'drbook resume shuts it down first');
        await ops.unregister(row.vmid, io.changesEnded);
      },
      verify: async (ctx: WayBackContext, t: Target) =>
        (await registration(ctx, vmOf(ctx, t), mirrorDs(ctx)))
          ? wayBackMessages(ctx.lang).stillRegistered({ vm: t.label, host: t.host! })
          : (true as const),
    },
  },
  plan(p, step) {
    const { m, onHost, once } = p;
    return [
      {
        id: step.id,
        title: m.secFbUnregister,
        text: [],
        steps: plannedVms(p).map((vm) =>
          vmPlanStep(
            p,
            'fb-unregister',
            vm,
            [],
            [
              onHost(vm.host, esxi.getAllVms()),
              onHost(vm.host, esxi.powerGetState(mirrorVmidOf(vm))),
              onHost(vm.host, esxi.unregister(mirrorVmidOf(vm))),
              // The check's getallvms may be shared with another VM's: the verify's comes after.
              onHost(vm.host, esxi.getAllVms(), once(m.fbUnregisterExpect)),
            ],
          ),
        ),
      },
    ];
  },
  catalogue: ['secFbUnregister', 'fbVmStep', 'fbUnregisterExpect'],
};

async function primaryMounted(ctx: WayBackContext, host: string): Promise<'accessible' | 'inaccessible' | 'missing'> {
  const m = (await ctx.esxi(host).nfsList()).find((x) => x.volumeName === primaryDs(ctx));
  return !m ? 'missing' : m.mounted && m.accessible ? 'accessible' : 'inaccessible';
}

export const fbMountStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.mount',
  actions: {
    'fb.mount': {
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
    },
  },
  plan(p, step) {
    const { m, onHost, primaryDs: ds } = p;
    const d = p.site.datastores.primary;
    const hosts = [...new Set(plannedVms(p).map((v) => v.host))];
    return [
      {
        id: step.id,
        title: m.secFbMount,
        text: [],
        steps: hosts.map((h) => ({
          id: `fb-mount:${h}`,
          title: p.pm.mountStep({ host: h, datastore: ds }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.nfsList()),
            onHost(h, esxi.nfsAdd(d.nfsHost, d.share, ds)),
            onHost(h, esxi.nfsList(), { expect: m.fbMountExpect({ datastore: ds }) }),
          ],
        })),
      },
    ];
  },
  catalogue: ['secFbMount', 'fbMountExpect'],
};
