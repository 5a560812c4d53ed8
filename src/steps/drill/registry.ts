/** The drill's actions by name, as the step modules pick them (device ones from src/drill/actions.ts, the vCenter folder's from src/drill/folder.ts). */
import { drillActions } from '../../drill/actions.js';
import { drillFolderStage, removeDrillFolder } from '../../drill/folder.js';
import type { ActionRegistry } from '../../engine/runner.js';
import type { DrillContext } from '../../drill/context.js';

export const drillRegistry: ActionRegistry<DrillContext> = {
  ...drillActions,
  'drill-folder': drillFolderStage,
  'remove-drill-folder': removeDrillFolder,
};
