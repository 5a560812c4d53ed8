import type { VcenterVm } from '../adapters/vcenter/inventory.js';
import { connectVcenter, vcenterEndpoint } from '../adapters/vcenter/site.js';
import { describeError } from '../errors.js';
import type { Site } from '../runbook/site.js';
import type { Capture, CapturedVm, Finding, VcenterPlacement } from './types.js';

/**
 * The capture's vCenter part: each VM's datacenter, cluster, host, folder, resource pool and port
 * groups, matched to the VMs the hosts reported by .vmx path (and host). When vCenter cannot be
 * read, each VM keeps the placement an earlier capture recorded: nothing is erased by one bad night.
 */
export async function addPlacement(
  site: Site,
  env: NodeJS.ProcessEnv,
  vms: CapturedVm[],
  previous: Capture | undefined,
): Promise<{ vms: CapturedVm[]; vcenter: Capture['vcenter']; findings: Finding[] }> {
  const ep = vcenterEndpoint(site);
  if (!ep) return { vms, vcenter: undefined, findings: [] };
  let seen: VcenterVm[];
  try {
    const client = await connectVcenter(site, env);
    try {
      // Only a site with a vCenter API loads its SOAP reader (and XML parser).
      const { readInventory } = await import('../adapters/vcenter/inventory.js');
      seen = (await readInventory(client)).vms;
    } finally {
      await client.logout();
    }
  } catch (err) {
    const error = describeError(err);
    const kept = vms.map((vm) => {
      const before = previous?.vms.find((p) => p.placement && sameVm(p, vm));
      return before?.placement ? { ...vm, placement: before.placement } : vm;
    });
    return {
      vms: kept,
      vcenter: { url: ep.url, reachable: false, error },
      findings: [
        {
          code: 'vcenter-unreachable',
          severity: 'warning',
          message: `vCenter ${ep.url} could not be read (${error}): folders and resource pools are kept from the previous capture`,
          detail: { key: 'vcenterUnreachable', params: { url: ep.url, error } },
        },
      ],
    };
  }
  const findings: Finding[] = [];
  const out = vms.map((vm) => {
    const match = seen.find((v) => v.vmxPath === vm.vmxPath && v.host === vm.host) ?? seen.find((v) => v.vmxPath === vm.vmxPath);
    if (!match) {
      if (vm.carriedFrom) return vm;
      findings.push({
        code: 'no-placement',
        severity: 'warning',
        vm: vm.name,
        host: vm.host,
        message: `${vm.name}: vCenter does not show ${vm.vmxPath}, so its folder and resource pool are not recorded`,
        detail: { key: 'noPlacement', params: { vm: vm.name, path: vm.vmxPath } },
      });
      return vm;
    }
    const placement: VcenterPlacement = {
      datacenter: match.datacenter,
      cluster: match.cluster,
      host: match.host,
      folder: match.folder,
      resourcePool: match.resourcePool,
      portGroups: match.portGroups,
    };
    return { ...vm, placement };
  });
  return { vms: out, vcenter: { url: ep.url, reachable: true }, findings };
}

function sameVm(a: CapturedVm, b: CapturedVm): boolean {
  return a.uuidBios && b.uuidBios ? a.uuidBios === b.uuidBios && a.vmxPath === b.vmxPath : a.vmxPath === b.vmxPath && a.name === b.name;
}
