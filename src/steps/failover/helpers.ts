/**
 * What several of the failover's steps share: the site-wide target, the restore plan the preflight
 * chose, the host targets, and how a recovered VM is found (its target, datastore, registration,
 * vmid and quiesce point).
 */
import type { SnapshotNode } from '../../adapters/esxi/snapshot-tree.js';
import type { Target, TargetsIO } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import { findByKey } from '../../failover/lookup.js';
import type { VmPointPlan } from '../../failover/vsc.js';
import { cloneOf, groupIndexOf, recoverTargetId, vmOf, type FailoverContext } from '../../failover/context.js';
import { vmfsPath } from '../../failover/paths.js';
import { quiescePointFor } from '../../failover/vsc.js';
import { failoverMessages } from '../../i18n/failover.js';
import type { CapturedVm } from '../../inventory/types.js';

export { vmOf };

/** A plan entry's key: the VM's target id. */
const planTargetId = (v: VmPointPlan): string => v.targetId;

/** The one target of the site-wide steps; its label is shown, so it is said in the run's language. */
export const site = (ctx: FailoverContext): Target => ({ id: 'site', label: failoverMessages(ctx.lang).siteTarget });

/** The restore plan the preflight chose: a step that needs it cannot go on without it. */
export function plan(ctx: FailoverContext) {
  const p = ctx.facts.situation?.plan;
  if (!p) throw new DrbookError(failoverMessages(ctx.lang).errNoPlan, failoverMessages(ctx.lang).errNoPlanHint);
  return p;
}

export const hostTargets = (ctx: FailoverContext): Target[] =>
  ctx.site.endpoints.esxi.map((e) => ({ id: `host:${e.name}`, label: e.name, host: e.name }));

/** The snapshots whose FlexClone some VM runs from. */
export function cloneSnapshots(ctx: FailoverContext): string[] {
  const vms = ctx.facts.situation?.plan?.vms ?? [];
  return [...new Set(vms.filter((v) => v.via === 'flexclone' && v.snapshot).map((v) => v.snapshot!))];
}

/** The fence saw this world gone after its kill (a world id is not reused while the host runs). */
export const markWorldGone = (ctx: FailoverContext, host: string, worldId: number): void =>
  void ctx.facts.worldsGone.add(`${host}:${worldId}`);
export const worldSeenGone = (ctx: FailoverContext, host: string, worldId: number): boolean =>
  ctx.facts.worldsGone.has(`${host}:${worldId}`);

/** Whether a world (a VM's process) still runs on a host. */
export async function worldAlive(ctx: FailoverContext, host: string, worldId: number): Promise<boolean> {
  return (await ctx.esxi(host).processList({ about: [{ world: worldId }] })).some((p) => p.worldId === worldId);
}

/** The datastore a VM is registered from: the mirror, or the FlexClone of its own job's snapshot. */
export function datastoreOf(ctx: FailoverContext, vm: CapturedVm): string {
  const vms = ctx.facts.situation?.plan?.vms;
  const point = vms && findByKey(vms, planTargetId, recoverTargetId(vm));
  return point?.via === 'flexclone' && point.snapshot ? cloneOf(ctx, point.snapshot).datastore : ctx.mirror.datastore;
}

export function mirrorVmx(ctx: FailoverContext, vm: CapturedVm): string {
  return vmfsPath(datastoreOf(ctx, vm), vm.vmxDir, vm.vmxFile);
}

/** The VM's registration from the mirror (or its FlexClone) on its host, if there is one. */
export async function mirrorRegistration(ctx: FailoverContext, t: Target, vm: CapturedVm) {
  const inv = await ctx.esxi(t.host!).listVms([{ vmx: mirrorVmx(ctx, vm) }]);
  return inv.vms.find((r) => r.datastore === datastoreOf(ctx, vm) && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
}

export async function vmidOf(ctx: FailoverContext, t: Target): Promise<number> {
  const known = ctx.facts.vmids.get(t.id);
  if (known !== undefined) return known;
  const row = await mirrorRegistration(ctx, t, vmOf(ctx, t));
  if (!row) throw new DrbookError(failoverMessages(ctx.lang).errNotRegistered({ vm: t.label, host: t.host! }));
  ctx.facts.vmids.set(t.id, row.vmid);
  return row.vmid;
}

/** The hosts that answer now (not at the preflight: a resume must see a host that came back). */
export async function reachableHosts(ctx: FailoverContext): Promise<Set<string>> {
  const names = ctx.site.endpoints.esxi.map((e) => e.name);
  const up = await Promise.all(
    names.map((h) =>
      ctx
        .esxi(h)
        .lockdownEnabled()
        .then(
          () => true,
          () => false,
        ),
    ),
  );
  return new Set(names.filter((_, i) => up[i]));
}

export async function vmTargets(ctx: FailoverContext, io: TargetsIO, vms: CapturedVm[]): Promise<Target[]> {
  if (vms.length === 0) return [];
  const reachable = await reachableHosts(ctx);
  const out: Target[] = [];
  for (const vm of vms) {
    const id = recoverTargetId(vm);
    let host = ctx.facts.hostOverride.get(id) ?? vm.host;
    if (!reachable.has(host) && reachable.size > 0) {
      const m = failoverMessages(ctx.lang);
      const answer = await io.choose({
        key: `host.${id}`,
        targetId: id,
        title: m.hostDownTitle({ vm: vm.name, host: vm.host }),
        lines: [m.hostDownLine({ vm: vm.name })],
        options: [...[...reachable].map((h) => ({ key: h, label: m.registerOn({ host: h }) })), { key: 'skip', label: m.skipThisVm }],
        default: 'skip',
        flag: { name: '--unreachable-host', value: ctx.options.unreachableHost, values: ['skip', 'stop'] },
      });
      if (answer === 'skip') {
        // Kept on its recorded host: it fails there by name, and a resume once the host is back
        // brings it up (a VM left out of the targets would be forgotten by the resume).
        const text = m.vmSkippedHostDown({ vm: vm.name, host: vm.host });
        io.note('error', text, id);
      } else {
        host = answer;
        ctx.facts.hostOverride.set(id, host);
      }
    }
    out.push({ id, label: vm.name, host, group: groupIndexOf(ctx.site, vm) });
  }
  return out;
}

/** The VM's planned quiesce point (multi-job plan); falls back to the volume's snapshot. */
export function pointOf(ctx: FailoverContext, t: Target): { snapshot: string; createTime: string | null; via: string } | null {
  const p = plan(ctx);
  const vm = p.vms && findByKey(p.vms, planTargetId, t.id);
  if (!vm) return { snapshot: p.snapshot, createTime: p.createTime, via: 'volume' };
  return vm.snapshot ? { snapshot: vm.snapshot, createTime: vm.createTime, via: vm.via } : null;
}

/** The VSC VMware snapshot of this VM for the restored NetApp snapshot. */
export async function quiescePoint(
  ctx: FailoverContext,
  t: Target,
  read: { keptUntilChanged?: boolean } = {},
): Promise<SnapshotNode | null> {
  const point = pointOf(ctx, t);
  if (!point) return null;
  const tree = await ctx.esxi(t.host!).snapshotTree(await vmidOf(ctx, t), read);
  return quiescePointFor(tree.snapshots, { name: point.snapshot, createTime: point.createTime });
}
