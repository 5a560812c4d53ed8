/** SnapRestore: typed confirmation, then the mirror back to the VSC snapshot; refused while anything runs from the mirror. */
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
          { id: 'snaprestore:confirm', title: m.labelConfirm, text: [], commands: [], confirm: { text: m.restoreConfirm, type: dest } },
          {
            id: 'snaprestore:restore',
            title: m.restoreStep,
            text: [],
            commands: [onCluster(ontap.restoreVolume(p.dst.vserver, p.dst.volume, snap.name), { expect: m.restoreExpect })],
          },
          {
            id: 'snaprestore:verify',
            title: m.restoreVerifyStep,
            text: [],
            commands: [onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { expect: m.restoreVerifyExpect({ snapshot: snap.name }) })],
          },
        ],
      },
    ];
  },
};
