/**
 * Recover, per VM on its recorded node, by priority group: register it in place (same files, same
 * VM ID), make it highly available under its recorded role with its preferred owners and priority,
 * start it when it was recorded running, wait for its heartbeat. One plan section per group.
 */
import { hypervCommands as cmd } from '../../adapters/hyperv/commands.js';
import type { ActionIO } from '../../engine/runner.js';
import { OperatorError } from '../../errors.js';
import type { HvRecoveryContext } from '../../hyperv/context.js';
import { waitFor } from '../../failover/wait.js';
import type { PlanCommand, PlanSection, PlanStep } from '../../plan/model.js';
import type { Action } from '../../engine/runner.js';
import type { StepModule } from '../step.js';
import { hvTargetId, ops, recordedRunning, registered, vmOf, vmTargets } from './helpers.js';
import type { HvPlanContext } from './plan-context.js';

const importStage: Action<HvRecoveryContext> = {
  async check(c, t) {
    return (await registered(c, vmOf(c, t))) ? 'done' : 'todo';
  },
  async apply(c, t) {
    const vm = vmOf(c, t);
    const o = ops(c, vm.node);
    // Right before the import: its files are there, and no node runs a VM with its ID.
    if (!(await o.fileExists(vm.configFile)))
      throw new OperatorError(`${vm.name}: ${vm.configFile} is not there`, 'restore the VM files, then drbook resume');
    const res = (await o.clusterResources()).find((r) => r.type === 'Virtual Machine' && r.vmId === vm.id && r.state === 'online');
    if (res)
      throw new OperatorError(
        `${vm.name}: the cluster already runs it (${res.name} on ${res.ownerNode})`,
        'it needs no import; check the capture',
      );
    const got = await o.importVm(vm.configFile);
    if (got.id !== vm.id)
      throw new OperatorError(
        `${vm.name}: imported with VM ID ${got.id}, recorded ${vm.id}`,
        'remove that registration by hand and import in place (-Register)',
      );
  },
  async verify(c, t) {
    const vm = vmOf(c, t);
    const now = await registered(c, vm);
    if (!now) return `not registered on ${vm.node}`;
    return now.name === vm.name ? true : `registered as ${JSON.stringify(now.name)}, recorded ${JSON.stringify(vm.name)}`;
  },
};

const roleStage: Action<HvRecoveryContext> = {
  async check(c, t) {
    const vm = vmOf(c, t);
    if (vm.group === null) return { skip: 'not clustered in the capture' };
    const res = (await ops(c, vm.node).clusterResources()).find((r) => r.type === 'Virtual Machine' && r.vmId === vm.id);
    return res ? 'done' : 'todo';
  },
  async apply(c, t) {
    const vm = vmOf(c, t);
    await ops(c, vm.node).addVmRole(vm.id, vm.group!);
  },
  async verify(c, t) {
    const vm = vmOf(c, t);
    const res = (await ops(c, vm.node).clusterResources()).find((r) => r.type === 'Virtual Machine' && r.vmId === vm.id);
    return res ? true : 'no Virtual Machine resource for it';
  },
};

const ownersStage: Action<HvRecoveryContext> = {
  async check(c, t) {
    const vm = vmOf(c, t);
    if (vm.group === null) return { skip: 'not clustered' };
    const g = (await ops(c, vm.node).clusterGroups()).find((x) => x.name === vm.group);
    if (!g) return 'todo';
    const same =
      g.preferredOwners.join('\u0000') === vm.preferredOwners.join('\u0000') && (vm.priority === null || g.priority === vm.priority);
    return same ? 'done' : 'todo';
  },
  async apply(c, t) {
    const vm = vmOf(c, t);
    const o = ops(c, vm.node);
    if (vm.preferredOwners.length > 0) await o.setPreferredOwners(vm.group!, vm.preferredOwners);
    if (vm.priority !== null) await o.setGroupPriority(vm.group!, vm.priority);
  },
  async verify(c, t) {
    const vm = vmOf(c, t);
    const g = (await ops(c, vm.node).clusterGroups()).find((x) => x.name === vm.group);
    if (!g) return `role ${vm.group} is gone`;
    if (g.preferredOwners.join('\u0000') !== vm.preferredOwners.join('\u0000'))
      return `preferred owners ${g.preferredOwners.join(', ')}, recorded ${vm.preferredOwners.join(', ')}`;
    return true;
  },
};

const startStage: Action<HvRecoveryContext> = {
  async check(c, t) {
    const vm = vmOf(c, t);
    if (!recordedRunning(vm)) return { skip: `recorded ${vm.state}` };
    return (await registered(c, vm))?.state === 'running' ? 'done' : 'todo';
  },
  async apply(c, t) {
    const vm = vmOf(c, t);
    const now = await registered(c, vm);
    if (!now) throw new OperatorError(`${vm.name}: not registered on ${vm.node}`, 'drbook resume imports it first');
    if (now.state === 'running') return;
    if (vm.group !== null) await ops(c, vm.node).startGroup(vm.group);
    else await ops(c, vm.node).startVm(vm.id);
  },
  async verify(c, t) {
    const vm = vmOf(c, t);
    const s = (await registered(c, vm))?.state;
    return s === 'running' ? true : `state ${s ?? 'not registered'}`;
  },
};

const heartbeatStage: Action<HvRecoveryContext> = {
  async check(c, t) {
    const vm = vmOf(c, t);
    if (!recordedRunning(vm)) return { skip: `recorded ${vm.state}` };
    return (await registered(c, vm))?.heartbeat === 'ok' ? 'done' : 'todo';
  },
  async apply(c, t, io: ActionIO) {
    const vm = vmOf(c, t);
    const ok = await waitFor(async () => (await registered(c, vm))?.heartbeat === 'ok', c.heartbeatMs, c.pollMs, io.signal);
    if (!ok && !io.signal.aborted)
      throw new OperatorError(
        `${vm.name}: no heartbeat within ${Math.round(c.heartbeatMs / 1000)} s`,
        'look at its console in Hyper-V Manager',
      );
  },
  async verify(c, t) {
    const hb = (await registered(c, vmOf(c, t)))?.heartbeat;
    return hb === 'ok' ? true : `heartbeat ${hb ?? 'none'}`;
  },
};

export const hvRecoverStep: StepModule<HvRecoveryContext, HvPlanContext> = {
  action: 'hv.vms',
  actions: {
    'hv.vms': { targets: vmTargets },
    import: importStage,
    role: roleStage,
    owners: ownersStage,
    start: startStage,
    heartbeat: heartbeatStage,
  },
  plan(p, step) {
    const { m, pm, on, once, ordered, groups } = p;
    return groups.map((g, k): PlanSection => {
      const members = ordered.filter((vm) => p.groupIndex(vm) === g);
      const steps = members.map((vm): PlanStep => {
        // In the order a run first sends them: each stage reads before it acts.
        const commands: PlanCommand[] = [
          on(vm.node, cmd.listVms(), once('recover-reads', { text: m.planRecoverReads })),
          on(vm.node, cmd.testPath(vm.configFile)),
          on(vm.node, cmd.clusterResources()),
          on(vm.node, cmd.importVm(vm.configFile), once('import', { text: m.planImport, expect: m.planImportExpect })),
        ];
        if (vm.group !== null) {
          commands.push(on(vm.node, cmd.addVmRole(vm.id, vm.group), once('role', { text: m.planRole })));
          commands.push(on(vm.node, cmd.clusterGroups()));
          if (vm.preferredOwners.length > 0)
            commands.push(on(vm.node, cmd.setPreferredOwners(vm.group, vm.preferredOwners), once('owners', { text: m.planOwners })));
          if (vm.priority !== null) commands.push(on(vm.node, cmd.setGroupPriority(vm.group, vm.priority)));
        }
        if (recordedRunning(vm)) {
          commands.push(
            on(vm.node, vm.group !== null ? cmd.startGroup(vm.group) : cmd.startVm(vm.id), once('start', { text: m.planStart })),
          );
          // Polled again until the heartbeat answers (the run's first listing of this VM is the import's check).
          commands.push(on(vm.node, cmd.listVms(), once('heartbeat', { text: m.planHeartbeat, expect: m.planHeartbeatExpect })));
        }
        return {
          id: hvTargetId(vm),
          title: vm.name,
          host: vm.node,
          vm: vm.name,
          target: hvTargetId(vm),
          text: [recordedRunning(vm) ? m.planVmRunning({ node: vm.node }) : m.planVmLeftOff({ node: vm.node, state: vm.state })],
          commands,
        };
      });
      const name = members[0] ? (p.groupLabel(members[0]) ?? pm.noGroup) : pm.noGroup;
      return {
        id: `${step.id}:${k + 1}`,
        title: m.planSecRecover({ n: k + 2, group: name, index: k + 1, count: groups.length }),
        text: k === 0 ? [m.planRecoverIntro] : [],
        steps,
      };
    });
  },
};
