/** Fence: every VM still registered or running from the dead datastore is killed (soft, hard, force, each verified) and unregistered. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { vmfsPath } from '../../failover/paths.js';
import type { PlanStep } from '../../plan/model.js';
import { pick, type StepModule } from '../step.js';
import { WORLD_ID, vmidArg, type FailoverPlanContext } from './plan-context.js';

export const fenceStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'fence',
  actions: pick(failoverActions, 'fence', 'kill', 'unregister'),
  plan(p, step) {
    const { m, onHost, once, primaryDs, killSeconds } = p;
    const steps: PlanStep[] = [];
    for (const h of p.hosts) {
      const stale = p.primaryVms.filter((v) => v.host === h).sort(p.byHostThenName);
      // The reads that find the stale VMs (the step's targets), on every host.
      steps.push({
        id: `fence:${h}`,
        title: stale.length === 0 ? m.fenceNone({ host: h }) : m.fenceFindStep({ host: h }),
        host: h,
        text: [],
        commands: [
          onHost(h, esxi.getAllVms(), { expect: m.preGetAllVmsExpect({ datastore: primaryDs }) }),
          onHost(h, esxi.processList()),
          onHost(h, esxi.filesystemList()),
        ],
      });
      for (const vm of stale) {
        const vmid = vmidArg(vm);
        steps.push({
          id: `fence:${h}:${vm.vmid}`,
          title: m.fenceStep({ host: h, name: vm.name, vmid: String(vmid) }),
          host: h,
          vm: vm.name,
          target: `stale:${h}:${vm.vmid}`,
          text: [],
          commands: [
            onHost(h, esxi.processList(), { text: m.fenceFind({ path: vmfsPath(primaryDs, vm.vmxDir, vm.vmxFile), uuid: vm.uuidBios }) }),
            onHost(h, esxi.filesystemList(), { text: m.fenceKillGuard }),
            onHost(h, esxi.kill(WORLD_ID, 'soft'), { text: m.fenceKillSoft({ seconds: killSeconds }), ...once(m.fenceKillExpect) }),
            onHost(h, esxi.processList(), once(m.fenceGoneExpect)),
            onHost(h, esxi.kill(WORLD_ID, 'hard'), { text: m.fenceKillHard({ seconds: killSeconds }) }),
            onHost(h, esxi.processList()),
            onHost(h, esxi.kill(WORLD_ID, 'force'), { text: m.fenceKillForce({ seconds: killSeconds }) }),
            onHost(h, esxi.processList()),
            onHost(h, esxi.getAllVms(), { text: m.fenceUnregisterCheck }),
            onHost(h, esxi.unregister(vmid), { text: m.fenceUnregister, ...once(m.fenceUnregisterExpect) }),
            onHost(h, esxi.getAllVms(), { expect: m.fenceVerifyExpect({ vmid: String(vmid) }) }),
          ],
        });
      }
    }
    return [
      { id: step.id, title: m.secFence, text: [m.fenceIntro({ datastore: primaryDs }), m.fenceOthers({ datastore: primaryDs })], steps },
    ];
  },
};
