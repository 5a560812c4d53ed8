/**
 * What the drill's step modules (src/steps/drill/) share: the preflight's board type, the drill's
 * hosts and targets, its VMs' paths and vmids in the clone, the NIC and question rules, and the
 * evidence of what a drill touched. The steps' check → apply → verify live in their modules.
 *
 * What a drill never does: break, quiesce, restore or resync the relationship, write to the
 * mirror volume, or touch a production registration. Everything it changes is inside its own
 * FlexClone and under its own datastore name, and every removal is checked on the device first.
 */
import type { PendingQuestion } from '../adapters/esxi/parsers.js';
import { getVmx, type VmxLine } from '../adapters/esxi/vmx.js';
import type { Target } from '../engine/runner.js';
import { DrbookError } from '../errors.js';
import { hostsSentLockdownExit } from '../site/lockdown.js';
import { vmOf } from '../failover/context.js';
import { vmfsPath } from '../failover/paths.js';
import type { PreflightFacts } from '../failover/situation.js';
import { quiescePointFor } from '../failover/vsc.js';
import type { CapturedVm } from '../inventory/types.js';
import { DRILL_SUFFIX, touchesDrill, type DrillContext, type ProductionRow } from './context.js';

export const SITE: Target = { id: 'site', label: 'site' };

/** The preflight board of a drill: the failover's, plus what the drill will create. */
export interface DrillSituation extends PreflightFacts {
  kind: 'drill';
  drill: {
    runId: string;
    mode: 'drill' | 'cleanup';
    clone: string;
    vserver: string;
    junction: string;
    datastore: string;
    /** Drill host → VMs it runs. */
    hosts: Record<string, number>;
    powerOn: boolean;
    keep: boolean;
  };
}

/** The snapshot plan the preflight chose (a step after it needs one). */
export function drillSnapshotPlan(ctx: DrillContext) {
  const p = ctx.facts.situation?.plan;
  if (!p) throw new DrbookError('the preflight has not chosen a snapshot to clone', 'run the drill again');
  return p;
}

/** `ethernet0`, `ethernet1`… present in a .vmx. */
export function nicsOf(lines: readonly VmxLine[]): string[] {
  const out = new Set<string>();
  for (const l of lines) {
    if (l.kind !== 'pair') continue;
    const m = /^(ethernet\d+)\./i.exec(l.key);
    if (m) out.add(m[1]!.toLowerCase());
  }
  return [...out].sort();
}

/** NICs that would connect at power on (anything but startConnected FALSE). */
export function connectedNics(lines: readonly VmxLine[]): string[] {
  return nicsOf(lines).filter((n) => (getVmx(lines, `${n}.startConnected`) ?? 'TRUE').toUpperCase() !== 'FALSE');
}

/** The key of "I copied it" (a new UUID and MAC: the drill copy never poses as production). */
export function copiedChoiceKey(q: PendingQuestion): number | null {
  const c = q.choices.filter((x) => x.labelId === 'button.uuid.copiedTheVM' || /^I copied it$/i.test(x.label));
  return c.length === 1 ? c[0]!.key : null;
}

export function drillVmName(vm: CapturedVm): string {
  return `${vm.name.trimEnd()}${DRILL_SUFFIX}`;
}

/**
 * ESXi hosts where the drill may have left something: the evidence shows a command working on its
 * datastore was sent there (its intent is journaled before sending, so a mount or registration
 * whose answer never came counts). Hosts the preflight only looked at are not touched.
 */
export function touchedHosts(ctx: DrillContext): string[] {
  const site = new Set(ctx.site.endpoints.esxi.map((e) => e.name));
  const out = new Set<string>();
  for (const e of ctx.evidence())
    if (e.type === 'command.started' && site.has(e.host) && touchesDrill(e.intent, ctx.names)) out.add(e.host);
  return ctx.site.endpoints.esxi.map((e) => e.name).filter((h) => out.has(h));
}

/** Hosts a lockdown exit was sent to by the drill or any cleanup of it (sent counts: re-entering is harmless). */
export function drillHostsOutOfLockdown(ctx: DrillContext): string[] {
  return hostsSentLockdownExit(ctx.evidence());
}

/** The hosts that run a drill VM. */
export const drillHosts = (ctx: DrillContext): string[] => {
  const set = new Set(ctx.primaryVms.map((v) => ctx.hostFor(v)));
  return ctx.site.endpoints.esxi.map((e) => e.name).filter((h) => set.has(h));
};

export const hostTarget = (h: string): Target => ({ id: `host:${h}`, label: h, host: h });

// ---- the clone and its datastore --------------------------------------------------------------------

/** The FlexClone row of `volume clone show`, or null when no clone of that name exists. */
export function cloneRow(ctx: DrillContext): Promise<{ parentVolume: string | null; parentSnapshot: string | null } | null> {
  return ctx.ontap.cloneOrigin(ctx.names.vserver, ctx.names.clone);
}

function productionRows(ctx: DrillContext, inv: Awaited<ReturnType<ReturnType<DrillContext['esxi']>['listVms']>>): ProductionRow[] {
  return inv.vms.filter((r) => r.datastore === ctx.primary.datastore).map((r) => ({ vmid: r.vmid, name: r.name, path: r.path, power: '' }));
}

/** Production's registrations on a host (primary datastore) with their power states: recorded at the mount, compared at the end. */
export async function baselineOf(ctx: DrillContext, host: string): Promise<ProductionRow[]> {
  const ops = ctx.esxi(host);
  const rows = productionRows(ctx, await ops.listVms());
  // All at once: they are reads, joined by the pool into scripts within its channel limit (one VM
  // after another was 7 s of the 200-VM drill's verify).
  const powers = await Promise.all(rows.map((r) => ops.powerState(r.vmid)));
  rows.forEach((r, i) => (r.power = powers[i]!));
  return rows;
}

// ---- the drill VMs ------------------------------------------------------------------------------

/** The VM's .vmx in the clone. */
export function cloneVmx(ctx: DrillContext, vm: CapturedVm): string {
  return vmfsPath(ctx.names.datastore, vm.vmxDir, vm.vmxFile);
}

export async function drillRegistration(ctx: DrillContext, t: Target, vm: CapturedVm) {
  const inv = await ctx.esxi(t.host!).listVms([{ vmx: cloneVmx(ctx, vm) }]);
  return inv.vms.find((r) => r.datastore === ctx.names.datastore && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
}

/** The drill VM's vmid (as registered, or read from the host). */
export async function vmidOf(ctx: DrillContext, t: Target): Promise<number> {
  const known = ctx.facts.vmids.get(t.id);
  if (known !== undefined) return known;
  const row = await drillRegistration(ctx, t, vmOf(ctx, t));
  if (!row) throw new DrbookError(`${t.label} is not registered on ${t.host}`);
  ctx.facts.vmids.set(t.id, row.vmid);
  return row.vmid;
}

/** The VSC snapshot among the drill VM's VMware snapshots (its quiesce point), or none. `read`: see EsxiOps.snapshotTree. */
export async function quiescePoint(ctx: DrillContext, t: Target, read: { keptUntilChanged?: boolean } = {}) {
  const p = drillSnapshotPlan(ctx);
  const tree = await ctx.esxi(t.host!).snapshotTree(await vmidOf(ctx, t), read);
  return quiescePointFor(tree.snapshots, { name: p.snapshot, createTime: p.createTime });
}

// ---- teardown: found on the devices, limited to what the evidence says the drill touched ------------

/** A --keep drill leaves its VMs, datastore and clone (drill cleanup removes them). */
export const skipWhenKept = (ctx: DrillContext): boolean => ctx.mode === 'drill' && ctx.drill.keep;

/** The teardown target is still the drill registration it was found as. */
export async function stillDrillVm(ctx: DrillContext, t: Target): Promise<boolean> {
  const d = ctx.drillFacts.drillVms.get(t.id)!;
  const inv = await ctx.esxi(d.host).listVms([{ vmid: d.vmid }]);
  return inv.vms.some((r) => r.vmid === d.vmid && r.datastore === ctx.names.datastore && r.path === d.path);
}
