/** Preflight: the failover's observation (relationship, VSC snapshots, every host), then that the clone's name is free. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { preflightStep } from '../failover/preflight.js';
import { pick, type StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const drillPreflightStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'preflight',
  actions: pick(drillRegistry, 'preflight'),
  plan(p, step) {
    const { d, names } = p;
    // The same reads as the failover's preflight (observeSituation), said for a drill.
    const [observe] = preflightStep.plan!(p, step);
    return [
      {
        ...observe!,
        title: p.numbered(d.secPreflight),
        text: [d.preIntroDrill],
        steps: [
          ...observe!.steps,
          {
            id: 'preflight:clone',
            title: d.preCloneFree,
            target: 'site',
            text: [],
            commands: [
              p.onCluster(ontap.volumeState(names.vserver, names.clone), {
                expect: d.preCloneFreeExpect({ clone: `${names.vserver}:${names.clone}` }),
              }),
            ],
          },
        ],
      },
    ];
  },
};
