/** What the failback's steps share: the placement the journal keeps, and the reads every step makes of it. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { Target } from '../../engine/runner.js';
import { DrbookError, OperatorError } from '../../errors.js';
import type { FailbackVm, WayBackContext } from '../../failback/context.js';
import type { PlannedVm, WayBackPlanContext } from '../../failback/plan-context.js';
import { siteTarget } from '../../failback/reads.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import type { PlanCommand, PlanStep } from '../../plan/model.js';
import { VMID } from '../failover/plan-context.js';

export const siteTargets = (ctx: WayBackContext): Target[] => [siteTarget(ctx)];

export function placementOf(ctx: WayBackContext): FailbackVm[] {
  const p = ctx.recordedPlacement();
  if (!p) throw new DrbookError('the failback placement is missing from the journal', 'drbook resume reads it again');
  return p.vms;
}

export function vmOf(ctx: WayBackContext, t: Target): FailbackVm {
  const vm = placementOf(ctx).find((v) => v.id === t.id);
  if (!vm) throw new DrbookError(`no recorded placement for ${t.label}`);
  return vm;
}

export const vmTargets = (ctx: WayBackContext): Target[] =>
  placementOf(ctx).map((v) => ({ id: v.id, label: v.name, host: v.host, group: v.group }));

export const hostsOfPlacement = (ctx: WayBackContext): Target[] =>
  [...new Set(placementOf(ctx).map((v) => v.host))].map((h) => ({ id: `host:${h}`, label: h, host: h }));

/** The VM's registration on its host from `datastore` (its .vmx path is the same on both volumes). */
export async function registration(ctx: WayBackContext, vm: FailbackVm, datastore: string) {
  const inv = await ctx.esxi(vm.host).listVms();
  return inv.vms.find((r) => r.datastore === datastore && r.path === vm.path);
}

export const mirrorDs = (ctx: WayBackContext) => ctx.site.datastores.mirror.name;
export const primaryDs = (ctx: WayBackContext) => ctx.site.datastores.primary.name;

/** Every recorded VM is off (or gone) on the mirror: what the final transfer and the break need. */
export async function refuseRunningOnMirror(ctx: WayBackContext): Promise<void> {
  for (const vm of placementOf(ctx)) {
    const row = await registration(ctx, vm, mirrorDs(ctx));
    // Read for this guard, right before the transfer or the break: not a state shared a moment ago.
    if (row && (await ctx.esxi(vm.host).powerState(row.vmid, { fresh: true })) === 'on') {
      throw new OperatorError(wayBackMessages(ctx.lang).stillOn({ vm: vm.name }), 'drbook resume shuts it down first');
    }
  }
}

// ---- the plan's side ----

/** The VMs the plan shows, in the order the placement records them (host by host, as the site file lists the hosts). */
export function plannedVms(p: WayBackPlanContext): PlannedVm[] {
  return p.facts.placement ?? [];
}

export const mirrorVmidOf = (vm: PlannedVm) => vm.mirrorVmid ?? VMID;

/** The plan's reads of refuseRunningOnMirror: per host, its VMs' registrations and power states. */
export function runningOnMirrorReads(p: WayBackPlanContext): PlanCommand[] {
  const out: PlanCommand[] = [];
  for (const vm of plannedVms(p)) {
    out.push(p.onHost(vm.host, esxi.getAllVms(), { text: p.m.fbRunningReads }));
    out.push(p.onHost(vm.host, esxi.powerGetState(mirrorVmidOf(vm)), p.once(pmOff(p))));
  }
  return out;
}

const pmOff = (p: WayBackPlanContext) => p.m.fbShutdownExpect;

/** The same line to the same host once (a run re-reads it: a repeat is no new command). */
export function dedupe(commands: PlanCommand[]): PlanCommand[] {
  const seen = new Set<string>();
  return commands.filter((c) => {
    const k = `${c.target}\u0000${c.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A VM's row of a failback plan section: its id is the step's and the VM's, its title the VM on its host. */
export function vmPlanStep(p: WayBackPlanContext, stepId: string, vm: PlannedVm, text: string[], commands: PlanCommand[]): PlanStep {
  return {
    id: `${stepId}:${vm.id}`,
    title: p.m.fbVmStep({ host: vm.host, name: vm.name }),
    host: vm.host,
    vm: vm.name,
    target: vm.id,
    text,
    commands,
  };
}
