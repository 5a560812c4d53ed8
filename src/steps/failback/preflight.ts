/** Failback preflight: the way back's state, status, health and lag, journaled as a board (the session's guard refused a bad one already). */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { relationshipOf } from '../../failback/reads.js';
import type { StepModule } from '../step.js';
import { siteTargets } from './common.js';

export const fbPreflightStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.preflight',
  actions: {
    'fb.preflight': {
      targets: siteTargets,
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
    },
  },
  plan(p, step) {
    const { m, onCluster, reverse } = p;
    return [
      {
        id: step.id,
        title: m.secFbPreflight,
        text: [],
        steps: [
          {
            id: 'fb-preflight:reverse',
            title: m.secFbPreflight,
            target: 'site',
            text: [],
            commands: [onCluster(ontap.relationships({ destination: reverse.destination }), { expect: m.fbPreflightExpect(reverse) })],
          },
        ],
      },
    ];
  },
  catalogue: ['secFbPreflight', 'fbPreflightExpect'],
};
