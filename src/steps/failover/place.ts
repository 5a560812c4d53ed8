/** vCenter placement: with the vCenter API in the site file, each VM back into its recorded folder and resource pool. */
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

export const placeStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'place',
  actions: pick(failoverActions, 'place'),
  plan(p, step) {
    const { m } = p;
    // What the capture recorded, for the vSphere Client (or `drbook place`).
    const placed = p.primaryVms.filter((v) => v.placement);
    if (placed.length === 0) return [];
    return [
      {
        id: step.id,
        title: m.secPlace({ n: p.nextNumber() }),
        text: [m.placeIntro],
        steps: placed.map((vm) => ({
          id: `place:${vm.vmxDir}/${vm.vmxFile}`,
          title: m.placeStep({ vm: vm.name, folder: vm.placement!.folder, pool: vm.placement!.resourcePool }),
          host: vm.host,
          text: [],
          commands: [],
        })),
      },
    ];
  },
};
