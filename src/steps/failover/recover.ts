/**
 * Recover, per VM, in parallel across hosts: restore its folder from its own job's snapshot when
 * that is not the restored one, register the .vmx from the mirror under its recorded name, revert
 * to VSC's VMware snapshot, delete that snapshot only, power on by priority group ("I moved it"),
 * wait for the VMware Tools heartbeat. One plan section per priority group.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { failoverActions } from '../../failover/actions.js';
import { recoverTargetId, type FailoverContext } from '../../failover/context.js';
import type { PlanSection, PlanStep } from '../../plan/model.js';
import { pick, type StepModule } from '../step.js';
import { NEW_VMID, SNAPSHOT_ID, formatTime, groupKeyOf, type FailoverPlanContext } from './plan-context.js';
import { powerOnCommands, reachableStep, registerCommands } from './vm-commands.js';

export const recoverStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'recover',
  actions: pick(failoverActions, 'recover', 'restore-files', 'register', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'),
  plan(p, step) {
    const { m, site, capture, snap, onHost, once, example } = p;
    const recoverVms = p.primaryVms.filter((v) => v !== p.vcenter);
    const groupKeys = [...new Set(recoverVms.map((v) => groupKeyOf(site, v)))].sort((a, b) => a - b);
    return groupKeys.map((key, gi): PlanSection => {
      const members = recoverVms.filter((v) => groupKeyOf(site, v) === key).sort(p.byHostThenName);
      const group = key === Infinity ? m.noGroup : site.priorityGroups[key]!.name;
      const steps = members.map((vm): PlanStep => {
        const audit = capture.audit.vms.find((a) => a.vm === vm.name && a.host === vm.host && a.vmxPath === vm.vmxPath);
        const point = audit?.points.find((pt) => pt.snapshot === snap.name);
        const pointText = !audit
          ? m.recoverNotAudited
          : point?.quiesced && point.vmwareSnapshot
            ? point.vmwareSnapshot.createdAt
              ? m.recoverExpectedPoint({ name: point.vmwareSnapshot.name, time: formatTime(point.vmwareSnapshot.createdAt) })
              : m.recoverExpectedPointNoTime({ name: point.vmwareSnapshot.name })
            : m.recoverNoPoint;
        const powerWord = vm.power === 'on' ? m.powerOn : vm.power === 'off' ? m.powerOff : m.powerSuspended;
        return {
          id: recoverTargetId(vm),
          title: m.recoverStep({ host: vm.host, name: vm.name }),
          host: vm.host,
          vm: vm.name,
          target: recoverTargetId(vm),
          text: [
            m.recoverPlaced({ host: vm.host, path: vm.vmxPath }),
            ...(vm.power === 'on' ? [] : [m.recoverLeaveOff({ power: powerWord })]),
          ],
          commands: [
            ...registerCommands(p, vm),
            onHost(vm.host, esxi.powerGetState(NEW_VMID), { text: m.recoverPowerBefore }),
            onHost(vm.host, esxi.snapshotGet(NEW_VMID), {
              text: `${m.recoverSnapshotGet} ${pointText}`,
              ...once(m.recoverSnapshotGetExpect),
              ...example('snapshotGet'),
            }),
            onHost(vm.host, esxi.snapshotRevert(NEW_VMID, SNAPSHOT_ID, true), {
              text: m.recoverRevert,
              ...once(m.recoverRevertExpect),
              ...example('snapshotRevert'),
            }),
            onHost(vm.host, esxi.snapshotRemove(NEW_VMID, SNAPSHOT_ID), { text: m.recoverRemove, ...once(m.recoverRemoveExpect) }),
            ...(vm.power === 'on' ? powerOnCommands(p, vm) : []),
          ],
        };
      });
      return {
        id: `${step.id}:${gi + 1}`,
        title: m.secRecover({ n: p.nextNumber(), group, index: gi + 1, count: groupKeys.length }),
        text: [
          ...(gi === 0 ? [m.recoverIntro, m.recoverGateFirst] : [m.recoverGate]),
          m.recoverPickRule({ snapshot: snap.name, time: formatTime(snap.createTime) }),
        ],
        // The first group's section also shows the reads that choose the step's targets.
        steps: gi === 0 ? [reachableStep(p, `${step.id}:hosts`), ...steps] : steps,
      };
    });
  },
};
