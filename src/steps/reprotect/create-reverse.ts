/** Create the relationship mirror → original on the original's cluster. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { CheckResult } from '../../engine/runner.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { relationshipOf } from '../../failback/reads.js';
import type { StepModule } from '../step.js';
import { siteTargets } from './common.js';

export const rpCreateStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'rp.create-reverse',
  actions: {
    'rp.create-reverse': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.reverse)) ? 'done' : 'todo'),
      apply: async (ctx: WayBackContext) => void (await ctx.ontap.createRelationship(ctx.reverse.source, ctx.reverse.destination)),
      verify: async (ctx: WayBackContext) =>
        (await relationshipOf(ctx, ctx.reverse)) ? (true as const) : `${ctx.reverse.source} → ${ctx.reverse.destination}`,
    },
  },
  plan(p, step) {
    const { m, onCluster, reverse } = p;
    return [
      {
        id: step.id,
        title: m.secRpCreate,
        text: [],
        steps: [
          {
            id: 'rp-create:create',
            title: m.secRpCreate,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: reverse.destination })),
              onCluster(ontap.create(reverse.source, reverse.destination)),
              onCluster(ontap.relationships({ destination: reverse.destination }), { expect: m.rpCreateExpect }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secRpCreate', 'rpCreateExpect'],
};
