/** The vCenter drill folder `drbook drill RUN`, removed once empty (with the vCenter API only; nothing with --keep). */
import { vcenterCalls } from '../../adapters/vcenter/commands.js';
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import { DRILL_FOLDER, type DrillPlanContext } from './plan-context.js';
import { removeDrillFolder } from '../../drill/folder.js';

export const removeDrillFolderStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'remove-drill-folder',
  actions: { 'remove-drill-folder': removeDrillFolder },
  plan(p, step) {
    const { d } = p;
    if (!p.hasVcenterApi) return [];
    return [
      {
        id: step.id,
        title: p.numbered(d.secFolder),
        text: [d.folderIntro],
        steps: [
          {
            id: 'remove-drill-folder:folder',
            title: d.folderStep({ name: p.folderName }),
            target: 'drill-folder',
            text: [],
            commands: [p.onVcenter(vcenterCalls.destroyFolder(DRILL_FOLDER), { expect: d.folderExpect })],
          },
        ],
      },
    ];
  },
};
