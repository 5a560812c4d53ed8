/** Verify: production exactly as before the drill (relationship state and health, the snapshot, every host's production VMs and power states). */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { pick, type StepModule } from '../step.js';
import { PRODUCTION_VMID, type DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const verifyProductionStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'verify-production',
  actions: pick(drillRegistry, 'verify-production'),
  plan(p, step) {
    const { d, onCluster, onHost } = p;
    return [
      {
        id: step.id,
        title: p.numbered(d.secVerify),
        text: [d.verifyIntro],
        steps: [
          {
            id: 'verify:production',
            title: d.verifyStep,
            target: 'production',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: p.site.relationship.destination }), { expect: d.verifyRelationshipExpect }),
              onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { expect: d.verifySnapshotsExpect({ snapshot: p.snap.name }) }),
              // The hosts whose production was recorded at the mount.
              ...p.drillHosts.flatMap((h) => [
                onHost(h, esxi.getAllVms(), { expect: d.verifyHostExpect }),
                onHost(h, esxi.powerGetState(PRODUCTION_VMID)),
              ]),
            ],
          },
        ],
      },
    ];
  },
};
