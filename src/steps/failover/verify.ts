/** Verify: each VM registered under its recorded name on its host, powered as recorded, no VSC snapshot left. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import { NEW_VMID, type FailoverPlanContext } from './plan-context.js';

export const verifyStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'verify',
  actions: pick(failoverActions, 'verify'),
  plan(p, step) {
    const { m, onHost, primaryVms } = p;
    const hostsWithVms = p.hosts.filter((h) => primaryVms.some((v) => v.host === h));
    return [
      {
        id: step.id,
        title: m.secVerify({ n: p.nextNumber() }),
        text: [m.verifyIntro],
        steps: hostsWithVms.map((h) => ({
          id: `verify:${h}`,
          title: m.verifyStep({ host: h }),
          host: h,
          target: 'site',
          text: [],
          commands: [
            onHost(h, esxi.getAllVms(), {
              expect: m.verifyGetAllVms({ count: primaryVms.filter((v) => v.host === h).length, datastore: p.mirrorDs }),
            }),
            onHost(h, esxi.powerGetState(NEW_VMID), { text: m.verifyPerVm }),
            onHost(h, esxi.snapshotGet(NEW_VMID)),
          ],
        })),
      },
    ];
  },
};
