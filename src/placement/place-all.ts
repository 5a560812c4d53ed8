import { describeError } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { primaryVmsOf } from '../failover/context.js';
import type { Capture } from '../inventory/types.js';
import type { Site } from '../runbook/site.js';
import { isPlaced, PlacementApi, wantOf } from './placement.js';

/**
 * `drbook place`: every VM of the capture's primary volume that vCenter shows recovered (from the
 * mirror, or a FlexClone of it) goes into its recorded folder and pool. Idempotent: each VM's
 * placement is read first and a VM already there is left alone.
 */

export interface PlaceResult {
  vm: string;
  outcome: 'moved' | 'already' | 'failed';
  folder: string;
  resourcePool: string;
  error?: string;
}

export async function placeAll(site: Site, capture: Capture, env: NodeJS.ProcessEnv, lang: Lang): Promise<PlaceResult[]> {
  const api = new PlacementApi(site, env);
  const mirror = site.datastores.mirror.name;
  const out: PlaceResult[] = [];
  try {
    // A ConnectError here (vCenter down, wrong certificate, no password) ends the command.
    const inv = await api.inventory();
    const clones = [...new Set(inv.vms.map((v) => /^\[([^\]]+)\]/.exec(v.vmxPath)?.[1] ?? '').filter((ds) => ds.startsWith(`${mirror}_`)))];
    const datastores = [mirror, ...clones.sort(), site.datastores.primary.name];
    for (const vm of primaryVmsOf(site, capture)) {
      const want = wantOf(vm);
      if (!want) continue;
      const base = { vm: vm.name, folder: want.folder, resourcePool: want.resourcePool };
      try {
        const cur = await api.find(vm, datastores);
        if (!cur) {
          out.push({ ...base, outcome: 'failed', error: `vCenter does not show ${vm.vmxDir}/${vm.vmxFile} on ${datastores.join(', ')}` });
          continue;
        }
        if (isPlaced(cur, want)) {
          out.push({ ...base, outcome: 'already' });
          continue;
        }
        await api.move(cur, want, lang);
        const after = await api.find(vm, datastores);
        out.push(after && isPlaced(after, want) ? { ...base, outcome: 'moved' } : { ...base, outcome: 'failed', error: 'vCenter still shows it elsewhere' });
      } catch (err) {
        out.push({ ...base, outcome: 'failed', error: describeError(err) });
      }
    }
  } finally {
    await api.close();
  }
  return out;
}
