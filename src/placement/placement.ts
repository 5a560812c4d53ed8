import type { VcenterClient } from '../adapters/vcenter/client.js';
import { readInventory, type VcenterInventory, type VcenterVm } from '../adapters/vcenter/inventory.js';
import type { MoRef } from '../adapters/vcenter/soap.js';
import { connectVcenter } from '../adapters/vcenter/site.js';
import { DrbookError, describeError } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { placementMessages } from '../i18n/placement.js';
import type { CapturedVm } from '../inventory/types.js';
import type { Site } from '../runbook/site.js';
import type { AuditSink } from '../transport/types.js';

/**
 * Putting recovered VMs back into their recorded vCenter folder and resource pool. Observe, act,
 * observe: the VM's current placement is read from vCenter right before it is moved, so a VM
 * already in place is never moved again (a resumed run, a second `drbook place`).
 */

export interface Want {
  folder: string;
  resourcePool: string;
}

/**
 * One vCenter session for a run (or one `drbook place`), opened on first use. A vCenter that could
 * not be reached stays so for this run: every VM is not made to wait for the same timeout.
 */
export class PlacementApi {
  private session: Promise<VcenterClient> | null = null;
  private inv: VcenterInventory | null = null;

  constructor(
    private readonly site: Site,
    private readonly env: NodeJS.ProcessEnv,
    /** Where the calls that change vCenter are journaled (a run's events). */
    private readonly audit?: AuditSink | undefined,
  ) {}

  async client(): Promise<VcenterClient> {
    this.session ??= connectVcenter(this.site, this.env, { audit: this.audit });
    return this.session;
  }

  /**
   * Whether vCenter answers now (a login). A failed probe is not kept: a vCenter that comes back
   * later in the run (its VM recovered) is used then.
   */
  async probe(): Promise<{ url: string; up: boolean; error?: string }> {
    const url = this.site.vcenter?.url ?? '';
    try {
      await this.client();
      return { url, up: true };
    } catch (err) {
      this.session = null;
      return { url, up: false, error: describeError(err) };
    }
  }

  async inventory(refresh = false): Promise<VcenterInventory> {
    if (!this.inv || refresh) this.inv = await readInventory(await this.client());
    return this.inv;
  }

  /**
   * The recovered VM as vCenter shows it now: found by its .vmx path on the datastores it may
   * have come back on (the first one preferred), its folder and pool read fresh.
   */
  async find(vm: CapturedVm, datastores: string[]): Promise<VcenterVm | null> {
    const rel = `${vm.vmxDir}/${vm.vmxFile}`;
    const pick = (inv: VcenterInventory): VcenterVm | null => {
      for (const ds of datastores) {
        const found = inv.vms.filter((v) => v.vmxPath === `[${ds}] ${rel}`);
        if (found.length > 0) return found.find((v) => v.name === vm.name) ?? found[0]!;
      }
      return null;
    };
    let inv = await this.inventory();
    let found = pick(inv);
    // Registered since the last read (or moved by someone else): read again before saying no.
    if (!found) {
      inv = await this.inventory(true);
      found = pick(inv);
    }
    if (!found) return null;
    return this.fresh(found);
  }

  /** The VM's folder and pool now (one property read), as paths. */
  private async fresh(vm: VcenterVm): Promise<VcenterVm> {
    const client = await this.client();
    const [o] = await client.retrieveObjects('VirtualMachine', [vm.ref], ['parent', 'resourcePool']);
    const parent = o?.props['parent'] as MoRef | undefined;
    const pool = o?.props['resourcePool'] as MoRef | undefined;
    let inv = await this.inventory();
    const pathOf = (m: Map<string, MoRef>, ref: MoRef | undefined): string | undefined =>
      ref ? [...m].find(([, r]) => r.value === ref.value && r.type === ref.type)?.[0] : undefined;
    let folder = pathOf(inv.folders, parent);
    let resourcePool = pathOf(inv.pools, pool);
    if (folder === undefined || resourcePool === undefined) {
      inv = await this.inventory(true);
      folder = pathOf(inv.folders, parent) ?? vm.folder;
      resourcePool = pathOf(inv.pools, pool) ?? vm.resourcePool;
    }
    return { ...vm, folder, resourcePool };
  }

  /** Moves the VM where it belongs; returns what was moved (nothing when already there). */
  async move(vm: VcenterVm, want: Want, lang: Lang): Promise<{ folder: boolean; pool: boolean }> {
    const m = placementMessages(lang);
    const client = await this.client();
    const inv = await this.inventory();
    const moved = { folder: false, pool: false };
    if (vm.folder !== want.folder) {
      const folder = inv.folders.get(want.folder) ?? (await this.inventory(true)).folders.get(want.folder);
      if (!folder) throw new DrbookError(m.noSuchFolder({ path: want.folder }), m.noSuchHint);
      await client.moveIntoFolder(folder, [vm.ref]);
      moved.folder = true;
    }
    if (vm.resourcePool !== want.resourcePool) {
      const pool = inv.pools.get(want.resourcePool) ?? (await this.inventory(true)).pools.get(want.resourcePool);
      if (!pool) throw new DrbookError(m.noSuchPool({ path: want.resourcePool }), m.noSuchHint);
      await client.moveIntoResourcePool(pool, [vm.ref]);
      moved.pool = true;
    }
    return moved;
  }

  /**
   * RegisterVM_Task: the .vmx at `datastorePath` as `name`, straight into the wanted folder and
   * pool, on `host` (vCenter's name for it). vCenter registers it on the host (hostd) first.
   */
  async register(args: { datastorePath: string; name: string; host: string; want: Want }, lang: Lang): Promise<MoRef> {
    const m = placementMessages(lang);
    const client = await this.client();
    const inv = await this.inventory(true);
    const folder = inv.folders.get(args.want.folder);
    if (!folder) throw new PlacementTargetMissing(m.noSuchFolder({ path: args.want.folder }), m.noSuchHint);
    const pool = inv.pools.get(args.want.resourcePool);
    if (!pool) throw new PlacementTargetMissing(m.noSuchPool({ path: args.want.resourcePool }), m.noSuchHint);
    const host = inv.hosts.get(args.host);
    if (!host) throw new PlacementTargetMissing(m.noSuchHost({ host: args.host }), m.noSuchHint);
    const vm = await client.registerVm({ folder, path: args.datastorePath, name: args.name, pool, host });
    this.inv = null;
    return vm;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.then((c) => c.logout()).catch(() => undefined);
  }
}

/** vCenter lacks the recorded folder, pool or host: the VM can still be registered on its host. */
export class PlacementTargetMissing extends DrbookError {}

export function wantOf(vm: CapturedVm): Want | null {
  return vm.placement ? { folder: vm.placement.folder, resourcePool: vm.placement.resourcePool } : null;
}

export function isPlaced(cur: VcenterVm, want: Want): boolean {
  return cur.folder === want.folder && cur.resourcePool === want.resourcePool;
}
