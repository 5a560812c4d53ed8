/** Verify: every recorded VM registered from the original under its name, powered as it was; original → mirror Snapmirrored and healthy; no way back left. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { relationshipOf } from '../../failback/reads.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import { NEW_VMID } from '../failover/plan-context.js';
import type { StepModule } from '../step.js';
import { placementOf, plannedVms, primaryDs, registration, siteTargets } from './common.js';

export const fbVerifyStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.verify',
  actions: {
    'fb.verify': {
      targets: siteTargets,
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
    },
  },
  plan(p, step) {
    const { m, onHost, onCluster } = p;
    return [
      {
        id: step.id,
        title: m.secFbVerify,
        text: [m.fbVerifyText],
        steps: [
          {
            id: 'fb-verify:site',
            title: m.secFbVerify,
            target: 'site',
            text: [],
            commands: [
              ...plannedVms(p).flatMap((vm) => [onHost(vm.host, esxi.getAllVms()), onHost(vm.host, esxi.powerGetState(NEW_VMID))]),
              onCluster(ontap.relationships({ destination: p.original.destination })),
              onCluster(ontap.relationships({ destination: p.reverse.destination })),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secFbVerify', 'fbVerifyText'],
};
