/**
 * The failover's steps (runbooks/vsc-snapmirror-failover.yaml names them by `action`), one module
 * each. The runner's registry and `drbook plan`'s sections come from this list.
 */
import type { FailoverContext } from '../../failover/context.js';
import { actionsOf, type StepModules } from '../step.js';
import { breakStep } from './break.js';
import { calloutsBeforeBreakStep, calloutsEndStep } from './callouts.js';
import { clonesStep } from './clones.js';
import { fenceStep } from './fence.js';
import { lockdownEnterStep, lockdownExitStep } from './lockdown.js';
import { mountStep } from './mount.js';
import { placeStep } from './place.js';
import type { FailoverPlanContext } from './plan-context.js';
import { preflightStep } from './preflight.js';
import { recoverStep } from './recover.js';
import { snaprestoreStep } from './snaprestore.js';
import { vcenterStep } from './vcenter.js';
import { verifyStep } from './verify.js';

export const failoverSteps: StepModules<FailoverContext, FailoverPlanContext> = [
  preflightStep,
  calloutsBeforeBreakStep,
  breakStep,
  snaprestoreStep,
  clonesStep,
  lockdownExitStep,
  mountStep,
  fenceStep,
  vcenterStep,
  recoverStep,
  verifyStep,
  placeStep,
  calloutsEndStep,
  lockdownEnterStep,
];

/** What the failover's runner runs, by action name. */
export function failoverStepActions() {
  return actionsOf(failoverSteps);
}
