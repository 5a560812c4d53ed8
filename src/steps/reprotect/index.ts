/**
 * The reprotect's steps (runbooks/reprotect.yaml names them by `action`), one module each: NetApp's
 * "reactivate the original source volume" after a failover. The runner's registry and `drbook plan
 * --procedure reprotect`'s sections come from this list.
 */
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { actionsOf, type StepModules } from '../step.js';
import { rpCreateStep } from './create-reverse.js';
import { rpDeleteStep } from './delete-original.js';
import { rpPreflightStep } from './preflight.js';
import { rpReleaseStep } from './release-original.js';
import { rpSetAsideStep } from './set-aside.js';
import { rpTransferStep } from './transfer.js';

export const reprotectSteps: StepModules<WayBackContext, WayBackPlanContext> = [
  rpPreflightStep,
  rpDeleteStep,
  rpReleaseStep,
  rpSetAsideStep,
  rpCreateStep,
  rpTransferStep,
];

/** What the reprotect's runner runs, by action name. */
export function reprotectStepActions() {
  return actionsOf(reprotectSteps);
}
