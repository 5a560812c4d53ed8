/** Clone: a FlexClone of the mirror at the chosen VSC snapshot, under the drill's name and junction. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { pick, type StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const cloneStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'clone',
  actions: pick(drillRegistry, 'clone'),
  plan(p, step) {
    const { d, names, onCluster } = p;
    const clone = `${names.vserver}:${names.clone}`;
    return [
      {
        id: step.id,
        title: p.numbered(d.secClone),
        text: [d.cloneIntro({ snapshot: p.snap.name, mirror: p.site.relationship.destination })],
        steps: [
          {
            id: 'clone:create',
            title: d.cloneStep({ clone }),
            target: `clone:${clone}`,
            text: [],
            commands: [
              onCluster(ontap.volumeState(names.vserver, names.clone), { expect: d.cloneCheckExpect }),
              onCluster(ontap.cloneCreate(names.vserver, names.clone, p.dst.volume, p.snap.name, names.junction), {
                expect: d.cloneCreateExpect,
              }),
              onCluster(ontap.volumeState(names.vserver, names.clone), { expect: d.cloneVerifyExpect({ junction: names.junction }) }),
            ],
          },
        ],
      },
    ];
  },
};
