/**
 * The failback's steps (runbooks/failback.yaml names them by `action`), one module each: the planned
 * way back once the site is reprotected. The runner's registry and `drbook plan --procedure
 * failback`'s sections come from this list.
 */
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { actionsOf, type StepModules } from '../step.js';
import { fbBreakStep, fbFinalUpdateStep, fbJunctionStep } from './break.js';
import { fbLockdownEnterStep, fbLockdownExitStep } from './lockdown.js';
import { fbPlacementStep } from './placement.js';
import { fbPreflightStep } from './preflight.js';
import { fbCreateOriginalStep, fbDeleteReverseStep, fbReleaseReverseStep, fbResyncOriginalStep } from './protect.js';
import { fbRecoverStep } from './recover.js';
import { fbShutdownStep } from './shutdown.js';
import { fbMountStep, fbUnregisterStep } from './unregister.js';
import { fbVerifyStep } from './verify.js';

export const failbackSteps: StepModules<WayBackContext, WayBackPlanContext> = [
  fbPreflightStep,
  fbLockdownExitStep,
  fbPlacementStep,
  fbShutdownStep,
  fbFinalUpdateStep,
  fbBreakStep,
  fbJunctionStep,
  fbUnregisterStep,
  fbMountStep,
  fbRecoverStep,
  fbDeleteReverseStep,
  fbReleaseReverseStep,
  fbCreateOriginalStep,
  fbResyncOriginalStep,
  fbVerifyStep,
  fbLockdownEnterStep,
];

/** What the failback's runner runs, by action name. */
export function failbackStepActions() {
  return actionsOf(failbackSteps);
}
