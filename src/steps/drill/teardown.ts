/**
 * Teardown: on the hosts the drill touched, every registration whose .vmx is on the drill
 * datastore (found on the device: its targets are `drill-vm:HOST:VMID`) powered off and
 * unregistered, each read again right before. Nothing with --keep.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { NEW_VMID } from '../failover/plan-context.js';
import { pick, type StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

/** The hosts a drill's removals go to: the drill's own (drill), or any the drill touched (cleanup). */
export function touchedPlanHosts(p: DrillPlanContext): string[] {
  return p.mode === 'drill' ? p.drillHosts : p.hosts;
}

export const teardownStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'teardown',
  actions: pick(drillRegistry, 'teardown', 'power-off', 'unregister'),
  plan(p, step) {
    const { d, onHost } = p;
    const hosts = touchedPlanHosts(p);
    return [
      {
        id: step.id,
        title: p.numbered(d.secTeardown),
        text: [p.mode === 'drill' ? d.teardownIntro : d.cleanupTeardownIntro],
        steps: [
          // The reads that choose the step's targets.
          { id: 'teardown:hosts', title: d.teardownList, text: [], commands: hosts.map((h) => onHost(h, esxi.getAllVms())) },
          ...hosts.map((h) => {
            const names = p.primaryVms.filter((v) => v.host === h).map((v) => `${v.name.trimEnd()} [drill]`);
            return {
              id: `teardown:${h}`,
              title: d.teardownStep({ host: h }),
              host: h,
              target: `drill-vm:${h}:${NEW_VMID}`,
              text: names.length ? [d.teardownVms({ names: names.join(', ') })] : [],
              commands: [
                onHost(h, esxi.getAllVms()),
                onHost(h, esxi.powerGetState(NEW_VMID)),
                onHost(h, esxi.powerOff(NEW_VMID), { expect: d.powerOffExpect }),
                onHost(h, esxi.powerGetState(NEW_VMID)),
                // Read again right before the unregister: still the drill's registration.
                onHost(h, esxi.getAllVms()),
                onHost(h, esxi.unregister(NEW_VMID), { expect: d.unregisterExpect }),
                onHost(h, esxi.getAllVms()),
              ],
            };
          }),
        ],
      },
    ];
  },
};
