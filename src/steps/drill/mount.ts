/** Mount: production's registrations and power states recorded (the verify compares them), then the clone mounted as the drill datastore. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { pick, type StepModule } from '../step.js';
import { PRODUCTION_VMID, type DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const drillMountStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'mount',
  actions: pick(drillRegistry, 'mount'),
  plan(p, step) {
    const { d, names, onHost } = p;
    const ds = names.datastore;
    return [
      {
        id: step.id,
        title: p.numbered(d.secMount),
        text: [d.mountIntro],
        steps: p.drillHosts.map((h) => ({
          id: `mount:${h}`,
          title: d.mountStep({ host: h, datastore: ds }),
          host: h,
          target: `host:${h}`,
          text: [d.mountBaseline],
          commands: [
            onHost(h, esxi.getAllVms()),
            onHost(h, esxi.powerGetState(PRODUCTION_VMID)),
            onHost(h, esxi.nfsList(), { expect: d.mountCheckExpect({ datastore: ds }) }),
            onHost(h, esxi.nfsAdd(names.nfsHost, names.junction, ds), { expect: d.mountAddExpect }),
            onHost(h, esxi.nfsList(), { expect: d.mountVerifyExpect({ datastore: ds }) }),
          ],
        })),
      },
    ];
  },
};
