/**
 * What one host runs from the site's two datastores: registrations whose .vmx is there, and VM
 * processes whose config file is there (processes name it by the datastore's uuid path, so the
 * filesystem list maps uuids to names first). Read by `drbook status` and, right before a
 * SnapRestore, by the failover's guard: the same reading for both.
 */
import { isNoPermission, type EsxiOps } from '../adapters/esxi/ops.js';
import { describeError } from '../errors.js';
import type { DatastoreAccess, HostFacts, VmOnDatastore } from './state.js';

export interface PlacementDatastores {
  primary: string;
  mirror: string;
}

function access(mounts: readonly { volumeName: string; mounted: boolean; accessible: boolean }[], name: string): DatastoreAccess {
  const m = mounts.find((x) => x.volumeName === name);
  if (!m) return 'missing';
  return m.mounted && m.accessible ? 'accessible' : 'inaccessible';
}

/** One host's facts. Never throws: a host that cannot be read says why in `error`. */
export async function readHostPlacement(name: string, ops: EsxiOps, ds: PlacementDatastores): Promise<HostFacts> {
  const row: HostFacts = {
    name,
    reachable: false,
    lockdown: null,
    primaryDatastore: null,
    mirrorDatastore: null,
    onPrimary: null,
    onMirror: null,
  };
  try {
    row.lockdown = await ops.lockdownEnabled();
    row.reachable = true;
  } catch (err) {
    row.error = describeError(err);
    return row;
  }
  // Lockdown refuses every other command: what runs there stays unknown (never exited just to look).
  if (row.lockdown) return row;
  try {
    const [mounts, inventory, processes, filesystems] = await Promise.all([
      ops.nfsList(),
      ops.listVms(),
      ops.processList(),
      ops.filesystemList(),
    ]);
    row.primaryDatastore = access(mounts, ds.primary);
    row.mirrorDatastore = access(mounts, ds.mirror);
    const nameOf = new Map<string, string>();
    for (const f of filesystems) {
      nameOf.set(f.uuid, f.volumeName);
      if (f.volumeName) nameOf.set(f.volumeName, f.volumeName);
    }
    const byDs = new Map<string, Map<string, VmOnDatastore>>([
      [ds.primary, new Map()],
      [ds.mirror, new Map()],
    ]);
    for (const r of inventory.vms) byDs.get(r.datastore)?.set(r.path, { name: r.name, registered: true, running: false });
    for (const p of processes) {
      const m = /^\/vmfs\/volumes\/([^/]+)\/(.*)$/.exec(p.configFile);
      const dsName = m ? (nameOf.get(m[1]!) ?? m[1]!) : undefined;
      const vms = dsName === undefined ? undefined : byDs.get(dsName);
      if (!vms) continue;
      const known = vms.get(m![2]!);
      if (known) known.running = true;
      else vms.set(m![2]!, { name: p.displayName, registered: false, running: true });
    }
    row.onPrimary = [...byDs.get(ds.primary)!.values()];
    row.onMirror = [...byDs.get(ds.mirror)!.values()];
  } catch (err) {
    if (!isNoPermission(err)) row.error = describeError(err);
    row.onPrimary = null;
    row.onMirror = null;
  }
  return row;
}
