/** Mount: `esxcli storage nfs add` of the mirror datastore (and the clones) where it is missing. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

export const mountStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'mount-mirror',
  actions: pick(failoverActions, 'mount-mirror'),
  plan(p, step) {
    const { m, onHost, mirrorDs } = p;
    return [
      {
        id: step.id,
        title: m.secMount,
        text: [],
        steps: p.hosts.map((h) => ({
          id: `mount:${h}`,
          title: m.mountStep({ host: h, datastore: mirrorDs }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.nfsList(), { expect: m.mountCheckExpect({ datastore: mirrorDs }) }),
            onHost(h, esxi.nfsAdd(p.site.datastores.mirror.nfsHost, p.site.datastores.mirror.share, mirrorDs), { expect: m.mountExpect }),
            onHost(h, esxi.nfsList(), { expect: m.mountVerifyExpect({ datastore: mirrorDs }) }),
          ],
        })),
      },
    ];
  },
};
