/** Release the original relationship on the original's cluster (`-relationship-info-only true`: the common snapshot stays). */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { CheckResult } from '../../engine/runner.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { sourceRecordOf } from '../../failback/reads.js';
import type { StepModule } from '../step.js';
import { siteTargets } from './common.js';

export const rpReleaseStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'rp.release-original',
  actions: {
    'rp.release-original': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> => ((await sourceRecordOf(ctx, ctx.original)) ? 'todo' : 'done'),
      apply: async (ctx: WayBackContext) => void (await ctx.ontap.release(ctx.original.destination)),
      verify: async (ctx: WayBackContext) =>
        (await sourceRecordOf(ctx, ctx.original)) ? `${ctx.original.source} → ${ctx.original.destination}` : (true as const),
    },
  },
  plan(p, step) {
    const { m, onCluster, original } = p;
    return [
      {
        id: step.id,
        title: m.secRpRelease,
        text: [],
        steps: [
          {
            id: 'rp-release:release',
            title: m.secRpRelease,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.listDestinations(original.destination)),
              onCluster(ontap.release(original.destination)),
              onCluster(ontap.listDestinations(original.destination), { expect: m.rpReleaseExpect }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secRpRelease', 'rpReleaseExpect'],
};
