/** Cleanup: what the journal says the drill made, shown before anything is removed (sends nothing). */
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillHostsOutOfLockdown, SITE, touchedHosts } from '../../drill/actions.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';

const cleanupPlan = {
  targets: () => [SITE],
  check: (): CheckResult => 'todo',
  apply(ctx: DrillContext, _t: Target, io: ActionIO) {
    const hosts = touchedHosts(ctx);
    const exits = drillHostsOutOfLockdown(ctx);
    io.note(
      'info',
      `drill ${ctx.drillRunId}: clone ${ctx.names.vserver}:${ctx.names.clone}, datastore ${ctx.names.datastore}; hosts it touched: ${hosts.join(', ') || 'none'}; lockdown exited on: ${exits.join(', ') || 'none'}. Each is checked on the device before anything is removed.`,
    );
  },
  verify: () => true as const,
};

export const cleanupPlanStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'cleanup-plan',
  actions: { 'cleanup-plan': cleanupPlan },
  plan(p, step) {
    return [{ id: step.id, title: p.numbered(p.d.secCleanupPlan), text: [p.d.cleanupPlanText], steps: [] }];
  },
};
