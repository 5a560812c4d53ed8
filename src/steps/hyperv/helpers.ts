/**
 * What the Hyper-V recovery's steps share: a node's operations, the VM a target stands for, and
 * the readings several stages act on (its registration now, what is left of it in the cluster).
 */
import { HypervOps } from '../../adapters/hyperv/ops.js';
import type { HvVm } from '../../adapters/hyperv/parsers.js';
import type { Target } from '../../engine/runner.js';
import { OperatorError } from '../../errors.js';
import type { HvCapturedVm } from '../../hyperv/capture.js';
import { hvPriorityGroup, type HvRecoveryContext } from '../../hyperv/context.js';
import { hypervMessages, type HypervMessages } from '../../i18n/hyperv.js';

export const ops = (c: HvRecoveryContext, node: string): HypervOps =>
  new HypervOps(c.pool.host(node), { timeoutMs: c.timeoutMs, signal: c.signal });
export const msg = (c: HvRecoveryContext): HypervMessages => hypervMessages(c.lang);

/** The one target of the cluster-wide steps. */
export const clusterTarget = (c: HvRecoveryContext): Target => ({ id: 'cluster', label: c.site.hyperv.cluster });

/** A VM's target id: the plan's per-VM steps carry the same. */
export const hvTargetId = (vm: HvCapturedVm): string => `vm:${vm.id}`;

export function vmOf(c: HvRecoveryContext, t: Target): HvCapturedVm {
  const vm = c.capture.vms.find((v) => hvTargetId(v) === t.id);
  if (!vm) throw new OperatorError(`target ${t.id} is not in capture ${c.capture.id}`);
  return vm;
}

const groupOf = (c: HvRecoveryContext, vm: HvCapturedVm): number | undefined => hvPriorityGroup(c.site, vm);

export const vmTargets = (c: HvRecoveryContext): Target[] =>
  c.capture.vms.map((v) => ({ id: hvTargetId(v), label: v.name, host: v.node, group: groupOf(c, v) }));

/** The VM as registered on its recorded node now, by VM ID. */
export async function registered(c: HvRecoveryContext, vm: HvCapturedVm): Promise<HvVm | undefined> {
  return (await ops(c, vm.node).listVms()).find((v) => v.id === vm.id);
}

/** What is left of a VM in the cluster that must go: a failed role, a dead registration. */
export async function leftovers(c: HvRecoveryContext, vm: HvCapturedVm): Promise<{ role: string | null; registration: boolean }> {
  const o = ops(c, vm.node);
  const [resources, groups, now] = await Promise.all([o.clusterResources(), o.clusterGroups(), registered(c, vm)]);
  const res = resources.find((r) => r.type === 'Virtual Machine' && r.vmId === vm.id);
  const group = res ? groups.find((g) => g.name === res.ownerGroup) : undefined;
  // A role is dead when it failed and its VM is not (or no longer properly) registered.
  const deadRegistration = now !== undefined && now.state === 'other';
  const role = group && group.state === 'failed' && (now === undefined || deadRegistration) ? group.name : null;
  return { role, registration: deadRegistration };
}

export const recordedRunning = (vm: HvCapturedVm): boolean => vm.state === 'running';
