/**
 * The register stage's vCenter path. When vCenter answered at the start of the run, a recovered VM
 * is registered through it (RegisterVM_Task into its recorded folder, pool and host, under its
 * recorded name): it never shows up outside its folder, and the `place` step finds it in place.
 * Otherwise (vCenter down, no placement recorded, the vCenter VM itself) the host registers it
 * and the `place` step moves it once vCenter is up. The register stage's check has read the host
 * first, so a VM already registered (through either path) is never registered again.
 */
import type { ActionIO, Target } from '../engine/runner.js';
import { ConnectError, describeError } from '../errors.js';
import { placementMessages } from '../i18n/placement.js';
import type { CapturedVm } from '../inventory/types.js';
import { PlacementTargetMissing, wantOf } from '../placement/placement.js';
import { datastoreOf } from '../steps/failover/helpers.js';
import type { FailoverContext } from './context.js';

/** Which path registers this VM: through vCenter only when it answered at the start of the run. */
export function registersThroughVcenter(ctx: FailoverContext, vm: CapturedVm): boolean {
  return Boolean(ctx.placement && ctx.facts.situation?.vcenterApi?.up && vm.placement && vm !== ctx.vcenter && !vm.isVcenter);
}

/**
 * Registers the VM through vCenter. Returns false when it must go through the host instead
 * (vCenter went down, or lacks the recorded folder, pool or host), with a note saying why;
 * any other refusal (a fault of the task) is the stage's error.
 */
export async function registerThroughVcenter(ctx: FailoverContext, t: Target, vm: CapturedVm, io: ActionIO): Promise<boolean> {
  const m = placementMessages(ctx.lang);
  const want = wantOf(vm)!;
  // vCenter's name for the host: the recorded one, or the endpoint chosen when it is down.
  const host = t.host === vm.host ? vm.placement!.host : t.host!;
  const datastorePath = `[${datastoreOf(ctx, vm)}] ${vm.vmxDir}/${vm.vmxFile}`;
  try {
    await ctx.registersOnHost(t.host!, { vmxPath: datastorePath, name: vm.name }, () =>
      ctx.placement!.register({ datastorePath, name: vm.name, host, want }, ctx.lang),
    );
  } catch (err) {
    if (!(err instanceof ConnectError) && !(err instanceof PlacementTargetMissing)) throw err;
    // The call may have reached vCenter before it went away: the host says whether it did.
    const inv = await ctx.esxi(t.host!).listVms();
    if (inv.vms.some((r) => r.datastore === datastoreOf(ctx, vm) && r.path === `${vm.vmxDir}/${vm.vmxFile}`)) {
      io.note('warn', m.registeredDespiteError({ vm: vm.name, host: t.host!, error: describeError(err) }));
      return true;
    }
    io.note('warn', m.registerOnHostInstead({ vm: vm.name, error: describeError(err) }));
    return false;
  }
  io.note('info', m.registeredThroughVcenter({ vm: vm.name, folder: want.folder, pool: want.resourcePool, host }));
  return true;
}
