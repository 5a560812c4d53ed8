/**
 * The Hyper-V recovery's steps (runbooks/hyperv-recovery.yaml names them by `action`), one module
 * each. The runner's registry and `drbook plan`'s sections for a Hyper-V site come from this list.
 */
import type { HvRecoveryContext } from '../../hyperv/context.js';
import { actionsOf, type StepModules } from '../step.js';
import type { HvPlanContext } from './plan-context.js';
import { hvPreflightStep } from './preflight.js';
import { hvRecoverStep } from './recover.js';
import { hvRemoveStep } from './remove.js';
import { hvReportStep } from './report.js';
import { hvVerifyStep } from './verify.js';

export const hypervSteps: StepModules<HvRecoveryContext, HvPlanContext> = [
  hvPreflightStep,
  hvRemoveStep,
  hvRecoverStep,
  hvVerifyStep,
  hvReportStep,
];

/** What the Hyper-V recovery's runner runs, by action name. */
export function hypervStepActions() {
  return actionsOf(hypervSteps);
}
