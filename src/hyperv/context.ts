/**
 * What every Hyper-V recovery step works with (src/steps/hyperv/): the site, the capture taken
 * before the outage, the SSH pool and the run's timings.
 */
import type { Lang } from '../i18n/lang.js';
import type { HypervSite } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import type { HvCapture, HvCapturedVm } from './capture.js';

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

/** Priority groups: the site file's, else the cluster's own priority (High 3000 first). The plan orders by it too. */
export function hvPriorityGroup(site: HypervSite, vm: HvCapturedVm): number | undefined {
  const k = site.priorityGroups.findIndex((g) => g.vms.includes(vm.name));
  if (k >= 0) return k;
  if (site.priorityGroups.length > 0) return undefined;
  return vm.priority === null ? undefined : vm.priority >= 3000 ? 0 : vm.priority >= 2000 ? 1 : vm.priority >= 1000 ? 2 : undefined;
}
