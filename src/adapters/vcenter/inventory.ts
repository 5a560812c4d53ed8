import type { VcenterClient } from './client.js';
import { isMoRef, type MoRef, type PropertyValue } from './soap.js';

/**
 * vCenter's view of the VMs with their placement as inventory paths (the paths govc and
 * PowerCLI print): `/dc1/vm/prod/web` for a folder, `/dc1/host/cluster1/Resources/prod` for a pool.
 */

export interface VcenterVm {
  ref: MoRef;
  name: string;
  /** `[datastore2] web01/web01.vmx` */
  vmxPath: string;
  datacenter: string;
  cluster: string | null;
  host: string;
  folder: string;
  resourcePool: string;
  /** The port group (network) names the VM's NICs are on. */
  portGroups: string[];
}

export interface VcenterInventory {
  vms: VcenterVm[];
  /** Folder path → reference (VM folders and all others). */
  folders: Map<string, MoRef>;
  pools: Map<string, MoRef>;
  hosts: Map<string, MoRef>;
}

const WANTS = {
  Folder: ['name', 'parent'],
  Datacenter: ['name', 'parent'],
  ComputeResource: ['name', 'parent'],
  ClusterComputeResource: ['name', 'parent'],
  HostSystem: ['name', 'parent'],
  ResourcePool: ['name', 'parent'],
  Network: ['name'],
  VirtualMachine: ['name', 'parent', 'resourcePool', 'runtime.host', 'config.files.vmPathName', 'network'],
};

const key = (r: MoRef): string => `${r.type}:${r.value}`;
const ref = (v: PropertyValue | undefined): MoRef | null => (isMoRef(v) ? v : null);
const str = (v: PropertyValue | undefined): string => (typeof v === 'string' ? v : '');

export async function readInventory(client: VcenterClient): Promise<VcenterInventory> {
  const objects = await client.retrieveAll(WANTS);
  const byKey = new Map<string, { obj: MoRef; name: string; parent: MoRef | null }>();
  for (const o of objects) byKey.set(key(o.obj), { obj: o.obj, name: str(o.props['name']), parent: ref(o.props['parent']) });
  const pathCache = new Map<string, string>();
  // The root folder ("Datacenters") has no parent and is not part of a path.
  const pathOf = (r: MoRef | null): string => {
    if (!r) return '';
    const k = key(r);
    const cached = pathCache.get(k);
    if (cached !== undefined) return cached;
    const o = byKey.get(k);
    const p = !o || !o.parent ? '' : `${pathOf(o.parent)}/${o.name.replace(/\//g, '%2f')}`;
    pathCache.set(k, p);
    return p;
  };
  const ancestor = (r: MoRef | null, type: string): { obj: MoRef; name: string } | null => {
    for (let o = r ? byKey.get(key(r)) : undefined; o; o = o.parent ? byKey.get(key(o.parent)) : undefined)
      if (o.obj.type === type) return o;
    return null;
  };
  const folders = new Map<string, MoRef>();
  const pools = new Map<string, MoRef>();
  const hosts = new Map<string, MoRef>();
  for (const o of byKey.values()) {
    if (o.obj.type === 'Folder') folders.set(pathOf(o.obj), o.obj);
    else if (o.obj.type === 'ResourcePool') pools.set(pathOf(o.obj), o.obj);
    else if (o.obj.type === 'HostSystem') hosts.set(o.name, o.obj);
  }
  const vms: VcenterVm[] = [];
  for (const o of objects) {
    if (o.obj.type !== 'VirtualMachine') continue;
    const host = ref(o.props['runtime.host']);
    const hostObj = host ? byKey.get(key(host)) : undefined;
    const compute = hostObj?.parent ? byKey.get(key(hostObj.parent)) : undefined;
    const nets = o.props['network'];
    vms.push({
      ref: o.obj,
      name: str(o.props['name']),
      vmxPath: str(o.props['config.files.vmPathName']),
      datacenter: ancestor(ref(o.props['parent']), 'Datacenter')?.name ?? '',
      cluster: compute?.obj.type === 'ClusterComputeResource' ? compute.name : null,
      host: hostObj?.name ?? '',
      folder: pathOf(ref(o.props['parent'])),
      resourcePool: pathOf(ref(o.props['resourcePool'])),
      portGroups: Array.isArray(nets) ? nets.filter(isMoRef).map((n) => byKey.get(key(n))?.name ?? n.value) : [],
    });
  }
  vms.sort((a, b) => a.vmxPath.localeCompare(b.vmxPath) || a.name.localeCompare(b.name));
  return { vms, folders, pools, hosts };
}
