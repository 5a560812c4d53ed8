/** The per-VM command sequences the vCenter and recover steps share (they register and power on alike). */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { vmfsPath } from '../../failover/paths.js';
import type { CapturedVm } from '../../inventory/types.js';
import type { PlanCommand, PlanStep } from '../../plan/model.js';
import { MOVED_CHOICE, NEW_VMID, QUESTION_ID, type FailoverPlanContext } from './plan-context.js';

/** Register from the mirror: first the reads that tell whether it already is, then the register and its check. */
export function registerCommands(p: FailoverPlanContext, vm: CapturedVm): PlanCommand[] {
  const { m } = p;
  const vmx = vmfsPath(p.mirrorDs, vm.vmxDir, vm.vmxFile);
  return [
    p.onHost(vm.host, esxi.getAllVms(), { text: m.recoverCheck }),
    p.onHost(vm.host, esxi.processList()),
    p.onHost(vm.host, esxi.registerIfPresent(vmx, vm.name), {
      text: m.recoverRegister,
      ...p.once(m.recoverRegisterExpect),
      ...p.example('registerVm'),
    }),
    p.onHost(vm.host, esxi.getAllVms()),
  ];
}

export function powerOnCommands(p: FailoverPlanContext, vm: CapturedVm): PlanCommand[] {
  const { m, onHost, once } = p;
  return [
    onHost(vm.host, esxi.powerOn(NEW_VMID), { text: m.recoverPowerOn, ...once(m.recoverPowerOnExpect) }),
    onHost(vm.host, esxi.message(NEW_VMID), { text: m.recoverAnswer, ...once(m.recoverMessageExpect) }),
    onHost(vm.host, esxi.answer(NEW_VMID, QUESTION_ID, MOVED_CHOICE), once(m.recoverAnswerExpect)),
    onHost(vm.host, esxi.powerGetState(NEW_VMID), { ...once(m.recoverPowerStateExpect), ...p.example('powerGetState') }),
    onHost(vm.host, esxi.heartbeat(NEW_VMID), {
      text: m.recoverHeartbeat({ seconds: p.site.timeouts.heartbeatSeconds }),
      ...once(m.recoverHeartbeatStatusExpect),
    }),
  ];
}

/**
 * Before the VMs are registered, drbook reads every host (a VM whose recorded host does not
 * answer is registered elsewhere or skipped): the reads that choose the step's targets.
 */
export function reachableStep(p: FailoverPlanContext, id: string): PlanStep {
  return {
    id,
    title: p.m.hostsReachable,
    text: [p.m.hostReachableText],
    commands: p.hosts.map((h) => p.onHost(h, esxi.lockdownIsEnabled())),
  };
}
