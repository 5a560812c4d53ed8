/**
 * Remove: the failed roles and dead registrations the outage left, per VM, after a typed
 * confirmation (the cluster's name), asked only when there is something to remove.
 */
import { hypervCommands as cmd } from '../../adapters/hyperv/commands.js';
import type { HvRecoveryContext } from '../../hyperv/context.js';
import type { PlanCommand, PlanStep } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { hvTargetId, leftovers, msg, ops, vmOf, vmTargets } from './helpers.js';
import type { HvPlanContext } from './plan-context.js';

export const hvRemoveStep: StepModule<HvRecoveryContext, HvPlanContext> = {
  action: 'hv.remove',
  actions: {
    'hv.remove': {
      targets: vmTargets,
      async confirmation(c, _step, targets) {
        const m = msg(c);
        const lines: string[] = [];
        for (const t of targets) {
          const vm = vmOf(c, t);
          const l = await leftovers(c, vm).catch(() => ({ role: null, registration: false }));
          if (l.role) lines.push(m.removeLine({ what: m.removeWhatRole, name: l.role, where: vm.node }));
          if (l.registration) lines.push(m.removeLine({ what: m.removeWhatRegistration, name: vm.name, where: vm.node }));
        }
        return {
          title: m.removeTitle({ cluster: c.site.hyperv.cluster }),
          lines: [...lines, m.removeExplain],
          expect: c.site.hyperv.cluster,
        };
      },
      async check(c, t) {
        const l = await leftovers(c, vmOf(c, t));
        // Nothing left to remove is the state this step wants: done (a skip would read as a VM left out).
        return l.role || l.registration ? 'todo' : 'done';
      },
      async apply(c, t) {
        const vm = vmOf(c, t);
        const l = await leftovers(c, vm);
        if (l.role) await ops(c, vm.node).removeGroup(l.role);
        if (l.registration) await ops(c, vm.node).removeVm(vm.id);
      },
      async verify(c, t) {
        const l = await leftovers(c, vmOf(c, t));
        return l.role || l.registration ? `still there: ${l.role ?? 'registration'}` : true;
      },
    },
  },
  plan(p, step) {
    const { m, on, once, cluster, ordered } = p;
    // What is left of a VM is read before the confirmation, and again right before each removal.
    const reads = (node: string): PlanCommand[] => [
      on(node, cmd.clusterResources(), once('remove-reads', { text: m.planRemoveReads })),
      on(node, cmd.clusterGroups()),
      on(node, cmd.listVms()),
    ];
    const readNodes = p.nodes.filter((n) => ordered.some((vm) => vm.node === n));
    const perVm = ordered.map((vm): PlanStep => ({
      id: `hv-remove:${vm.id}`,
      title: vm.name,
      host: vm.node,
      vm: vm.name,
      target: hvTargetId(vm),
      text: [],
      commands: [
        ...reads(vm.node),
        ...(vm.group !== null ? [on(vm.node, cmd.removeGroup(vm.group), once('remove-role', { text: m.planRemoveRole }))] : []),
        on(vm.node, cmd.removeVm(vm.id), once('remove-registration', { text: m.planRemoveRegistration })),
      ],
    }));
    return [
      {
        id: step.id,
        title: m.planSecRemove,
        text: [m.planRemoveIntro],
        steps: [
          {
            id: 'hv-remove:confirm',
            title: m.removeTitle({ cluster }),
            text: [m.removeExplain],
            confirm: { text: m.removeTitle({ cluster }), type: cluster },
            commands: readNodes.flatMap(reads),
          },
          ...perVm,
        ],
      },
    ];
  },
};
