/** SnapRestore: typed confirmation, then the mirror back to the VSC snapshot; refused while anything runs from the mirror. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

export const snaprestoreStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'snaprestore',
  actions: pick(failoverActions, 'snaprestore'),
  plan(p, step) {
    const { m, snap, onCluster } = p;
    const dest = p.site.relationship.destination;
    const target = `restore:${dest}`;
    return [
      {
        id: step.id,
        title: m.secRestore,
        text: [
          m.restoreIntro({ snapshot: snap.name, destination: dest }),
          snap.newer.length ? m.restoreNewer({ names: snap.newer.join(', ') }) : m.restoreNewerNone,
          m.restoreResync,
        ],
        steps: [
          ...p.hosts.map((h) => ({
            id: `snaprestore:guard:${h}`,
            title: m.restoreGuardStep({ host: h }),
            host: h,
            target,
            text: [m.restoreGuardText],
            commands: [
              p.onHost(h, esxi.lockdownIsEnabled()),
              p.onHost(h, esxi.nfsList()),
              p.onHost(h, esxi.getAllVms()),
              p.onHost(h, esxi.processList()),
              p.onHost(h, esxi.filesystemList()),
            ],
          })),
          { id: 'snaprestore:confirm', title: m.labelConfirm, text: [], commands: [], confirm: { text: m.restoreConfirm, type: dest } },
          {
            id: 'snaprestore:restore',
            title: m.restoreStep,
            target,
            text: [],
            commands: [
              onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { text: m.restoreCheck }),
              onCluster(ontap.restoreVolume(p.dst.vserver, p.dst.volume, snap.name), { expect: m.restoreExpect }),
            ],
          },
          {
            id: 'snaprestore:verify',
            title: m.restoreVerifyStep,
            target,
            text: [],
            commands: [onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { expect: m.restoreVerifyExpect({ snapshot: snap.name }) })],
          },
        ],
      },
    ];
  },
};
