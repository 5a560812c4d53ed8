/**
 * The drill's and its cleanup's steps (runbooks/drill.yaml, runbooks/drill-cleanup.yaml name them
 * by `action`), one module each: its targets, check → apply → verify (per stage where it has
 * stages), and its section of `drbook plan --procedure drill|drill-cleanup` (see ./plan-context.ts
 * for the run id and the .vmx content the plan cannot know). What several steps share (the
 * drill's hosts, its VMs' paths and vmids in the clone, the NIC rules) is in src/drill/actions.ts;
 * the vCenter folder's stages are in src/drill/folder.ts.
 */
import type { DrillContext } from '../../drill/context.js';
import { actionsOf, type StepModules } from '../step.js';
import { cleanupPlanStep } from './cleanup-plan.js';
import { cloneStep } from './clone.js';
import { deleteCloneStep } from './delete-clone.js';
import { drillLockdownEnterStep, drillLockdownExitStep } from './lockdown.js';
import { drillMountStep } from './mount.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillPreflightStep } from './preflight.js';
import { drillRecoverStep } from './recover.js';
import { removeDrillFolderStep } from './remove-drill-folder.js';
import { teardownStep } from './teardown.js';
import { unmountStep } from './unmount.js';
import { verifyProductionStep } from './verify.js';

export const drillSteps: StepModules<DrillContext, DrillPlanContext> = [
  drillPreflightStep,
  cleanupPlanStep,
  drillLockdownExitStep,
  cloneStep,
  drillMountStep,
  drillRecoverStep,
  teardownStep,
  removeDrillFolderStep,
  unmountStep,
  deleteCloneStep,
  verifyProductionStep,
  drillLockdownEnterStep,
];

/** What the drill's (and the cleanup's) runner runs, by action name. */
export function drillStepActions() {
  return actionsOf(drillSteps);
}
