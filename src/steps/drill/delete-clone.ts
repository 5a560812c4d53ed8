/** Delete the clone: only a FlexClone of the mirror under the drill's name; unmount, offline, delete. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { pick, type StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const deleteCloneStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'delete-clone',
  actions: pick(drillRegistry, 'delete-clone'),
  plan(p, step) {
    const { d, names, onCluster } = p;
    const clone = `${names.vserver}:${names.clone}`;
    const mirror = p.site.relationship.destination;
    return [
      {
        id: step.id,
        title: p.numbered(d.secDelete),
        text: [d.deleteIntro({ mirror })],
        steps: [
          {
            id: 'delete-clone:clone',
            title: d.deleteStep({ clone }),
            target: `clone:${clone}`,
            text: [],
            commands: [
              onCluster(ontap.volumeState(names.vserver, names.clone)),
              onCluster(ontap.cloneShow(names.vserver, names.clone), { expect: d.deleteCheck({ mirror: p.dst.volume }) }),
              ...(['unmount', 'offline', 'delete'] as const).map((verb) =>
                onCluster(ontap.volumeVerb(verb, names.vserver, names.clone), { expect: d.deleteExpect }),
              ),
              onCluster(ontap.volumeState(names.vserver, names.clone), { expect: d.deleteVerifyExpect }),
            ],
          },
        ],
      },
    ];
  },
};
