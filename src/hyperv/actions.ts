/**
 * The Hyper-V recovery's helpers (runbooks/hyperv-recovery.yaml) on the unchanged engine. Every
 * stage reads the cluster right before it acts: nothing is removed while its VM is registered,
 * nothing imported while it is registered or its configuration file is missing, nothing started
 * twice. Targets are the VMs of the capture, on their recorded node.
 */
import { HypervOps } from '../adapters/hyperv/ops.js';
import type { HvVm } from '../adapters/hyperv/parsers.js';
import type { ActionIO, ActionRegistry, Target } from '../engine/runner.js';
import { OperatorError } from '../errors.js';
import { hypervMessages, type HypervMessages } from '../i18n/hyperv.js';
import type { Lang } from '../i18n/lang.js';
import type { HypervSite } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import { waitFor } from '../failover/wait.js';
import type { HvCapture, HvCapturedVm } from './capture.js';
import { csvHealthy, hvBoardOf } from './board.js';
import { readHvSiteFacts } from './read-state.js';

export interface HvRecoveryContext {
  site: HypervSite;
  capture: HvCapture;
  pool: HostPool;
  signal: AbortSignal;
  lang: Lang;
  timeoutMs: number;
  heartbeatMs: number;
  pollMs: number;
}

const ops = (c: HvRecoveryContext, node: string): HypervOps =>
  new HypervOps(c.pool.host(node), { timeoutMs: c.timeoutMs, signal: c.signal });
const msg = (c: HvRecoveryContext): HypervMessages => hypervMessages(c.lang);

function vmOf(c: HvRecoveryContext, t: Target): HvCapturedVm {
  const vm = c.capture.vms.find((v) => `vm:${v.id}` === t.id);
  if (!vm) throw new OperatorError(`target ${t.id} is not in capture ${c.capture.id}`);
  return vm;
}

/** Priority groups: the site file's, else the cluster's own priority (High 3000 first). The plan orders by it too. */
export function hvPriorityGroup(site: HypervSite, vm: HvCapturedVm): number | undefined {
  const k = site.priorityGroups.findIndex((g) => g.vms.includes(vm.name));
  if (k >= 0) return k;
  if (site.priorityGroups.length > 0) return undefined;
  return vm.priority === null ? undefined : vm.priority >= 3000 ? 0 : vm.priority >= 2000 ? 1 : vm.priority >= 1000 ? 2 : undefined;
}

const groupOf = (c: HvRecoveryContext, vm: HvCapturedVm): number | undefined => hvPriorityGroup(c.site, vm);

const vmTargets = (c: HvRecoveryContext): Target[] =>
  c.capture.vms.map((v) => ({ id: `vm:${v.id}`, label: v.name, host: v.node, group: groupOf(c, v) }));

/** The VM as registered on its recorded node now, by VM ID. */
async function registered(c: HvRecoveryContext, vm: HvCapturedVm): Promise<HvVm | undefined> {
  return (await ops(c, vm.node).listVms()).find((v) => v.id === vm.id);
}

/** What is left of a VM in the cluster that must go: a failed role, a dead registration. */
async function leftovers(c: HvRecoveryContext, vm: HvCapturedVm): Promise<{ role: string | null; registration: boolean }> {
  const o = ops(c, vm.node);
  const [resources, groups, now] = await Promise.all([o.clusterResources(), o.clusterGroups(), registered(c, vm)]);
  const res = resources.find((r) => r.type === 'Virtual Machine' && r.vmId === vm.id);
  const group = res ? groups.find((g) => g.name === res.ownerGroup) : undefined;
  // A role is dead when it failed and its VM is not (or no longer properly) registered.
  const deadRegistration = now !== undefined && now.state === 'other';
  const role = group && group.state === 'failed' && (now === undefined || deadRegistration) ? group.name : null;
  return { role, registration: deadRegistration };
}

const recordedRunning = (vm: HvCapturedVm): boolean => vm.state === 'running';

export const hypervActions: ActionRegistry<HvRecoveryContext> = {
  'hv.preflight': {
    targets: (c) => [{ id: 'cluster', label: c.site.hyperv.cluster }],
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

  'hv.vms': { targets: vmTargets },

  import: {
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
  },

  role: {
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
  },

  owners: {
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
  },

  start: {
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
  },

  heartbeat: {
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
  },

  'hv.verify': {
    targets: (c) => [{ id: 'cluster', label: c.site.hyperv.cluster }],
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

  'hv.report': {
    targets: (c) => [{ id: 'cluster', label: c.site.hyperv.cluster }],
    check: () => 'todo',
    apply(c, _t, io) {
      const m = msg(c);
      const consistent = c.capture.vms.filter((v) => v.backup.lastSuccess !== null).map((v) => v.name);
      const crash = c.capture.vms.filter((v) => v.backup.lastSuccess === null).map((v) => v.name);
      if (consistent.length) io.note('info', m.consistentNote({ vms: consistent.join(', ') }));
      if (crash.length) io.note('warn', m.crashNote({ vms: crash.join(', ') }));
    },
    verify: () => true,
  },
};
