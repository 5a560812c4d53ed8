/** Verify: every VM registered exactly once, on its recorded node, under its recorded name, in its recorded state. */
import { hypervCommands as cmd } from '../../adapters/hyperv/commands.js';
import type { HvVm } from '../../adapters/hyperv/parsers.js';
import type { HvRecoveryContext } from '../../hyperv/context.js';
import type { StepModule } from '../step.js';
import { clusterTarget, ops, recordedRunning } from './helpers.js';
import type { HvPlanContext } from './plan-context.js';

export const hvVerifyStep: StepModule<HvRecoveryContext, HvPlanContext> = {
  action: 'hv.verify',
  actions: {
    'hv.verify': {
      targets: (c) => [clusterTarget(c)],
      check: () => 'todo',
      apply: () => undefined,
      async verify(c) {
        const seen = new Map<string, { node: string; vm: HvVm }[]>();
        for (const n of c.site.endpoints.nodes) {
          for (const v of await ops(c, n.name)
            .listVms()
            .catch(() => [] as HvVm[]))
            seen.set(v.id, [...(seen.get(v.id) ?? []), { node: n.name, vm: v }]);
        }
        const wrong: string[] = [];
        for (const vm of c.capture.vms) {
          const at = seen.get(vm.id) ?? [];
          if (at.length !== 1) wrong.push(`${vm.name}: registered ${at.length} times`);
          else if (at[0]!.node !== vm.node) wrong.push(`${vm.name}: on ${at[0]!.node}, recorded ${vm.node}`);
          else if (at[0]!.vm.name !== vm.name) wrong.push(`${vm.name}: named ${JSON.stringify(at[0]!.vm.name)}`);
          else if ((at[0]!.vm.state === 'running') !== recordedRunning(vm))
            wrong.push(`${vm.name}: ${at[0]!.vm.state}, recorded ${vm.state}`);
        }
        return wrong.length ? wrong.join('; ') : true;
      },
    },
  },
  plan(p, step) {
    const { m, on, nodes } = p;
    return [
      {
        id: step.id,
        title: m.planSecVerify({ n: p.groups.length + 2 }),
        text: [m.planVerifyIntro],
        steps: [
          { id: 'hv-verify:nodes', title: m.planVerifyStep, target: 'cluster', text: [], commands: nodes.map((n) => on(n, cmd.listVms())) },
        ],
      },
    ];
  },
};
