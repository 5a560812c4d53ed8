import type { Capture, CapturedHost, CapturedVm } from './types.js';

/**
 * A host that cannot be reached this time keeps its last good data: its own facts and its VMs are
 * copied from the previous capture, marked with the capture they really come from. Nothing a
 * failover may need is ever erased by one bad night.
 */
export function carryForward(
  hosts: CapturedHost[],
  vms: CapturedVm[],
  previous: Capture | undefined,
): { hosts: CapturedHost[]; vms: CapturedVm[] } {
  if (!previous) return { hosts, vms };
  const outHosts: CapturedHost[] = [];
  const carried: CapturedVm[] = [];
  for (const h of hosts) {
    const before = previous.hosts.find((p) => p.name === h.name);
    if (h.reachable || !before) {
      outHosts.push(h);
      continue;
    }
    // Data that was itself carried keeps pointing at the capture that saw it.
    const from = before.carriedFrom ?? previous.id;
    const host: CapturedHost = { ...before, name: h.name, reachable: false, nfs: before.nfs.map((n) => ({ ...n })), carriedFrom: from };
    if (h.error !== undefined) host.error = h.error;
    else delete host.error;
    outHosts.push(host);
    for (const vm of previous.vms) {
      if (vm.host === h.name) carried.push({ ...vm, carriedFrom: vm.carriedFrom ?? previous.id });
    }
  }
  return { hosts: outHosts, vms: [...vms, ...carried] };
}
