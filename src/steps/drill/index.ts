/**
 * The drill's and its cleanup's steps (runbooks/drill.yaml, runbooks/drill-cleanup.yaml name them
 * by `action`). Their behaviour is still in src/drill/actions.ts and they have no plan section
 * yet: `drbook plan` prints the failover only. A drill step with a plan section is written like
 * the failover's (src/steps/failover/).
 */
import { drillActions } from '../../drill/actions.js';
import { drillFolderStage, removeDrillFolder } from '../../drill/folder.js';
import type { DrillContext } from '../../drill/context.js';
import { actionsOf, pick, type StepModule, type StepModules } from '../step.js';

// The drill folder's actions live in src/drill/folder.ts (vCenter), beside the device ones.
const registry = { ...drillActions, 'drill-folder': drillFolderStage, 'remove-drill-folder': removeDrillFolder };
const step = (action: string, ...stages: string[]): StepModule<DrillContext, never> => ({
  action,
  actions: pick(registry, action, ...stages),
});

export const drillSteps: StepModules<DrillContext, never> = [
  step('preflight'),
  step('cleanup-plan'),
  step('lockdown-exit'),
  step('clone'),
  step('mount'),
  step('recover', 'isolate', 'register', 'drill-folder', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'),
  step('teardown', 'power-off', 'unregister'),
  step('remove-drill-folder'),
  step('unmount'),
  step('delete-clone'),
  step('verify-production'),
  step('lockdown-enter'),
];

/** What the drill's (and the cleanup's) runner runs, by action name. */
export function drillStepActions() {
  return actionsOf(drillSteps);
}
