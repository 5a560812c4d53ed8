/** Cleanup: what the journal says the drill made, shown before anything is removed (sends nothing). */
import type { DrillContext } from '../../drill/context.js';
import { pick, type StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const cleanupPlanStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'cleanup-plan',
  actions: pick(drillRegistry, 'cleanup-plan'),
  plan(p, step) {
    return [{ id: step.id, title: p.numbered(p.d.secCleanupPlan), text: [p.d.cleanupPlanText], steps: [] }];
  },
};
