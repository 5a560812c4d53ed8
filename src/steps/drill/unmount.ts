/** Unmount the drill datastore where the drill touched a host, once no VM is registered from it. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { pick, type StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';
import { touchedPlanHosts } from './teardown.js';

export const unmountStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'unmount',
  actions: pick(drillRegistry, 'unmount'),
  plan(p, step) {
    const { d, onHost } = p;
    const ds = p.names.datastore;
    return [
      {
        id: step.id,
        title: p.numbered(d.secUnmount),
        text: [],
        steps: touchedPlanHosts(p).map((h) => ({
          id: `unmount:${h}`,
          title: d.unmountStep({ host: h, datastore: ds }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.nfsList(), { text: d.unmountCheck({ datastore: ds }) }),
            onHost(h, esxi.getAllVms()),
            onHost(h, esxi.nfsRemove(ds), { expect: d.unmountExpect }),
            onHost(h, esxi.nfsList(), { expect: d.unmountVerifyExpect({ datastore: ds }) }),
          ],
        })),
      },
    ];
  },
};
