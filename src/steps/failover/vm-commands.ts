/** The per-VM command sequences the vCenter and recover steps share (they register and power on alike). */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { vmfsPath } from '../../failover/paths.js';
import type { CapturedVm } from '../../inventory/types.js';
import type { PlanCommand } from '../../plan/model.js';
import { MOVED_CHOICE, NEW_VMID, QUESTION_ID, type FailoverPlanContext } from './plan-context.js';

export function registerCommand(p: FailoverPlanContext, vm: CapturedVm): PlanCommand {
  const { m } = p;
  return p.onHost(vm.host, esxi.register(vmfsPath(p.mirrorDs, vm.vmxDir, vm.vmxFile), vm.name), {
    text: m.recoverRegister,
    ...p.once(m.recoverRegisterExpect),
    ...p.example('registerVm'),
  });
}

export function powerOnCommands(p: FailoverPlanContext, vm: CapturedVm): PlanCommand[] {
  const { m, onHost, once } = p;
  return [
    onHost(vm.host, esxi.powerOn(NEW_VMID), { text: m.recoverPowerOn, ...once(m.recoverPowerOnExpect) }),
    onHost(vm.host, esxi.message(NEW_VMID), { text: m.recoverAnswer, ...once(m.recoverMessageExpect) }),
    onHost(vm.host, esxi.answer(NEW_VMID, QUESTION_ID, MOVED_CHOICE), once(m.recoverAnswerExpect)),
    onHost(vm.host, esxi.powerGetState(NEW_VMID), { ...once(m.recoverPowerStateExpect), ...p.example('powerGetState') }),
    onHost(vm.host, esxi.getGuest(NEW_VMID), {
      text: m.recoverHeartbeat({ seconds: p.site.timeouts.heartbeatSeconds }),
      ...once(m.recoverHeartbeatExpect),
    }),
  ];
}
