import { describeError } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { primaryVmsOf } from '../failover/context.js';
import type { VcenterVm } from '../adapters/vcenter/inventory.js';
import type { Capture, CapturedVm } from '../inventory/types.js';
import type { Site } from '../runbook/site.js';
import { isPlaced, PlacementApi, wantOf, type Want } from './placement.js';

/**
 * `drbook place`: every VM of the capture's primary volume that vCenter shows recovered (from the
 * mirror, or a FlexClone of it) goes into its recorded folder and pool. Idempotent: each VM's
 * placement is read first and a VM already there is left alone. `drbook status` reads the same
 * (readPlacement) to say what `drbook place` would do.
 */

export interface PlaceResult {
  vm: string;
  outcome: 'moved' | 'already' | 'failed';
  folder: string;
  resourcePool: string;
  error?: string;
}

/** One VM of the capture as vCenter shows it now: where it is (null: vCenter does not show it) and where it belongs. */
export interface PlacementReading {
  vm: CapturedVm;
  want: Want;
  current: VcenterVm | null;
  /** Where vCenter was looked in, for the message when it does not show the VM. */
  datastores: string[];
}

/** Each VM of the capture that has a recorded placement, read from vCenter (one session: `api`). */
export async function readPlacement(api: PlacementApi, site: Site, capture: Capture): Promise<PlacementReading[]> {
  const mirror = site.datastores.mirror.name;
  // A ConnectError here (vCenter down, wrong certificate, no password) ends the reading.
  const inv = await api.inventory();
  const clones = [...new Set(inv.vms.map((v) => /^\[([^\]]+)\]/.exec(v.vmxPath)?.[1] ?? '').filter((ds) => ds.startsWith(`${mirror}_`)))];
  const datastores = [mirror, ...clones.sort(), site.datastores.primary.name];
  const out: PlacementReading[] = [];
  for (const vm of primaryVmsOf(site, capture)) {
    const want = wantOf(vm);
    if (want) out.push({ vm, want, current: await api.find(vm, datastores), datastores });
  }
  return out;
}

export async function placeAll(site: Site, capture: Capture, env: NodeJS.ProcessEnv, lang: Lang): Promise<PlaceResult[]> {
  const api = new PlacementApi(site, env);
  const out: PlaceResult[] = [];
  try {
    for (const r of await readPlacement(api, site, capture)) {
      const { vm, want, datastores } = r;
      const base = { vm: vm.name, folder: want.folder, resourcePool: want.resourcePool };
      try {
        const cur = r.current;
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
        out.push(
          after && isPlaced(after, want)
            ? { ...base, outcome: 'moved' }
            : { ...base, outcome: 'failed', error: 'vCenter still shows it elsewhere' },
        );
      } catch (err) {
        out.push({ ...base, outcome: 'failed', error: describeError(err) });
      }
    }
  } finally {
    await api.close();
  }
  return out;
}

/** `drbook status`'s placement part: how many VMs are placed as recorded, and what `drbook place` would move. */
export interface PlacementStatus {
  url: string;
  capture: string;
  /** null: vCenter could not be read (then `error` says why). */
  placed: number | null;
  toPlace: { vm: string; from: { folder: string; resourcePool: string }; to: Want }[];
  /** VMs of the capture vCenter does not show on the mirror, its clones or the primary. */
  notInVcenter: string[];
  error?: string | undefined;
}

export async function placementStatus(site: Site, capture: Capture, env: NodeJS.ProcessEnv): Promise<PlacementStatus> {
  const api = new PlacementApi(site, env);
  const base = { url: site.vcenter?.url ?? '', capture: capture.id };
  try {
    const readings = await readPlacement(api, site, capture);
    const toPlace: PlacementStatus['toPlace'] = [];
    let placed = 0;
    for (const r of readings) {
      if (!r.current) continue;
      if (isPlaced(r.current, r.want)) placed++;
      else toPlace.push({ vm: r.vm.name, from: { folder: r.current.folder, resourcePool: r.current.resourcePool }, to: r.want });
    }
    return { ...base, placed, toPlace, notInVcenter: readings.filter((r) => !r.current).map((r) => r.vm.name) };
  } catch (err) {
    return { ...base, placed: null, toPlace: [], notInVcenter: [], error: describeError(err) };
  } finally {
    await api.close();
  }
}
