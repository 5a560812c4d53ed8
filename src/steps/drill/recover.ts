/**
 * Recover, per VM, in parallel across hosts: every NIC of its .vmx in the clone disconnected,
 * registered as `NAME [drill]`, into the vCenter drill folder, reverted to VSC's VMware snapshot
 * (then that snapshot removed), isolated again (a revert may bring its NICs back), powered on
 * answering "I copied it", and its VMware Tools heartbeat awaited.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { vcenterCalls } from '../../adapters/vcenter/commands.js';
import { drillVmName } from '../../drill/actions.js';
import type { DrillContext } from '../../drill/context.js';
import { recoverTargetId } from '../../failover/context.js';
import { vmfsPath } from '../../failover/paths.js';
import type { PlanStep } from '../../plan/model.js';
import { NEW_VMID, QUESTION_ID, SNAPSHOT_ID } from '../failover/plan-context.js';
import { pick, type StepModule } from '../step.js';
import { COPIED_CHOICE, DC_VM_FOLDER, DRILL_FOLDER, DRILL_VM, VMX_CONTENT, type DrillPlanContext } from './plan-context.js';
import { drillRegistry } from './registry.js';

export const drillRecoverStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'recover',
  actions: pick(drillRegistry, 'recover', 'isolate', 'register', 'drill-folder', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'),
  plan(p, step) {
    const { m, d, names, onHost, onVcenter, once, example } = p;
    const steps = [...p.primaryVms].sort(p.byHostThenName).map((vm): PlanStep => {
      const h = vm.host;
      const vmx = vmfsPath(names.datastore, vm.vmxDir, vm.vmxFile);
      // What the isolate stage sends: the file must be there, read, written back with every NIC disconnected.
      const isolate = [
        onHost(h, esxi.fileExists(vmx), { text: d.isolateCheck }),
        onHost(h, esxi.readFile(vmx)),
        onHost(h, esxi.writeFile(vmx, VMX_CONTENT), { text: d.isolateWrite, ...once(d.isolateWriteExpect) }),
      ];
      const powerOn = vm.power === 'on' || vm.isVcenter;
      const powerWord = vm.power === 'on' ? m.powerOn : vm.power === 'off' ? m.powerOff : m.powerSuspended;
      return {
        id: recoverTargetId(vm),
        title: d.recoverStep({ host: h, name: vm.name }),
        host: h,
        vm: vm.name,
        target: recoverTargetId(vm),
        text: [d.recoverPlaced({ host: h, path: vm.vmxPath }), ...(powerOn ? [] : [d.recoverLeaveOff({ power: powerWord })])],
        commands: [
          ...isolate,
          onHost(h, esxi.readFile(vmx), once(d.isolateVerifyExpect)),
          onHost(h, esxi.getAllVms(), { text: d.registerCheck }),
          onHost(h, esxi.register(vmx, drillVmName(vm)), { ...once(d.registerExpect), ...example('registerVm') }),
          onHost(h, esxi.getAllVms()),
          ...(p.hasVcenterApi
            ? [
                onVcenter(vcenterCalls.createFolder(DC_VM_FOLDER, p.folderName), { text: d.folderMove }),
                onVcenter(vcenterCalls.moveIntoFolder(DRILL_FOLDER, [DRILL_VM])),
              ]
            : []),
          onHost(h, esxi.snapshotGet(NEW_VMID), { text: d.revertText, ...example('snapshotGet') }),
          onHost(h, esxi.snapshotRevert(NEW_VMID, SNAPSHOT_ID, true), { ...example('snapshotRevert') }),
          onHost(h, esxi.powerGetState(NEW_VMID), once(d.revertExpect)),
          onHost(h, esxi.snapshotRemove(NEW_VMID, SNAPSHOT_ID), { text: d.removeText, ...once(d.removeExpect) }),
          // Again after the revert: the same reads and write, and a registration anew when it wrote.
          onHost(h, esxi.fileExists(vmx), { text: d.reisolateText }),
          onHost(h, esxi.readFile(vmx)),
          onHost(h, esxi.writeFile(vmx, VMX_CONTENT)),
          onHost(h, esxi.unregister(NEW_VMID)),
          onHost(h, esxi.register(vmx, drillVmName(vm))),
          ...(powerOn
            ? [
                onHost(h, esxi.readFile(vmx), { text: d.powerOnText }),
                onHost(h, esxi.powerGetState(NEW_VMID)),
                onHost(h, esxi.powerOn(NEW_VMID)),
                onHost(h, esxi.message(NEW_VMID)),
                onHost(h, esxi.answer(NEW_VMID, QUESTION_ID, COPIED_CHOICE)),
                onHost(h, esxi.powerGetState(NEW_VMID), once(d.powerOnExpect)),
                onHost(h, esxi.heartbeat(NEW_VMID), {
                  text: d.heartbeatText({ seconds: p.site.timeouts.heartbeatSeconds }),
                  ...once(d.heartbeatExpect),
                }),
              ]
            : []),
        ],
      };
    });
    return [{ id: step.id, title: p.numbered(d.secRecover), text: [d.recoverIntro], steps }];
  },
};
