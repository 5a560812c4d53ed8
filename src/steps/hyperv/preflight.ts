/** Preflight: what each node has registered, the CSVs and failed roles, and whether every missing VM's files are there. */
import { hypervCommands as cmd } from '../../adapters/hyperv/commands.js';
import { OperatorError } from '../../errors.js';
import { csvHealthy, hvBoardOf } from '../../hyperv/board.js';
import type { HvRecoveryContext } from '../../hyperv/context.js';
import { readHvSiteFacts } from '../../hyperv/read-state.js';
import type { StepModule } from '../step.js';
import { clusterTarget } from './helpers.js';
import type { HvPlanContext } from './plan-context.js';

export const hvPreflightStep: StepModule<HvRecoveryContext, HvPlanContext> = {
  action: 'hv.preflight',
  actions: {
    'hv.preflight': {
      targets: (c) => [clusterTarget(c)],
      check: () => 'todo',
      async apply(c, _t, io) {
        // The same reading as drbook status: nodes, CSVs, failed roles, and the files of every VM not registered.
        const facts = await readHvSiteFacts(c.site, c.pool, c.capture, { signal: c.signal });
        for (const n of facts.nodes) if (!n.reachable) io.note('warn', `${n.name}: ${n.error ?? '?'}`);
        const reachable = facts.nodes.filter((n) => n.reachable);
        if (reachable.length === 0)
          throw new OperatorError(
            `no node of ${c.site.hyperv.cluster} answers`,
            'check the nodes and their OpenSSH servers, then drbook resume',
          );
        if (facts.clusterError !== null) io.note('warn', facts.clusterError);
        const board = hvBoardOf(facts, c.capture);
        io.situation(board);
        for (const v of board.csvs) {
          if (!csvHealthy(v))
            io.note(
              'warn',
              `CSV ${v.name} ${v.path}: ${v.state}${v.redirectedAccess ? ', redirected access' : ''}${v.maintenanceMode ? ', maintenance mode' : ''}`,
            );
        }
        for (const name of facts.configMissing ?? []) {
          const vm = c.capture.vms.find((v) => v.name === name)!;
          io.note('error', `${vm.name}: ${vm.configFile} is not there: restore its files before it can be registered`);
        }
        const registeredCount = reachable.reduce((k, n) => k + n.vms!.length, 0);
        const runningCount = reachable.reduce((k, n) => k + n.vms!.filter((v) => v.state === 'running').length, 0);
        io.note(
          'info',
          `capture ${c.capture.id}: ${c.capture.vms.length} VMs; now ${registeredCount} registered, ${runningCount} running on ${reachable.length}/${c.site.endpoints.nodes.length} nodes; ${board.csvs.length} CSVs; ${board.vms.configMissing} configuration files missing`,
        );
      },
      verify: () => true,
    },
  },
  plan(p, step) {
    const { m, pm, nodes, on } = p;
    const first = nodes[0]!;
    return [
      {
        id: step.id,
        title: m.planSecPreflight,
        text: [pm.preIntro],
        steps: [
          {
            id: 'hv-preflight:registered',
            title: m.planPreRegistered,
            target: 'cluster',
            text: [],
            commands: nodes.map((n, i) => on(n, cmd.listVms(), i === 0 ? { expect: m.planPreRegisteredExpect } : {})),
          },
          {
            id: 'hv-preflight:csvs',
            title: m.planPreCsvs,
            target: 'cluster',
            text: [],
            commands: [
              on(first, cmd.sharedVolumes(), { expect: m.planPreCsvsExpect }),
              on(first, cmd.clusterGroups()),
              on(first, cmd.clusterResources()),
            ],
          },
          {
            id: 'hv-preflight:files',
            title: m.planPreFiles,
            target: 'cluster',
            text: [],
            // In the capture's order, as the preflight reads them (only the VMs not registered).
            commands: p.capture.vms.map((vm, i) =>
              on(vm.node, cmd.testPath(vm.configFile), i === 0 ? { expect: m.planPreFilesExpect } : {}),
            ),
          },
        ],
      },
    ];
  },
};
