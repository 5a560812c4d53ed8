/** FlexClones of the other jobs' snapshots, only with --other-jobs flexclone (not in the printed plan: it is an option of the run). */
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

export const clonesStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'clones',
  actions: pick(failoverActions, 'clones'),
};
