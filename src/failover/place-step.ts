/**
 * The failover's `place` step: each recovered VM back into its recorded vCenter folder and
 * resource pool, moved after its ESXi registration. Its own module so that the recovery actions
 * stay as they are; the runbook names it after `verify`. When vCenter cannot be reached the VMs
 * are skipped with the reason (the run still finishes) and `drbook place` does it later.
 */
import type { ActionIO, CheckResult, Target } from '../engine/runner.js';
import { ConnectError, DrbookError, describeError } from '../errors.js';
import { placementMessages } from '../i18n/placement.js';
import type { CapturedVm } from '../inventory/types.js';
import { isPlaced, wantOf } from '../placement/placement.js';
import { datastoreOf } from '../steps/failover/helpers.js';
import { recoverTargetId, type FailoverContext } from './context.js';

function vmOf(ctx: FailoverContext, t: Target): CapturedVm {
  const vm = ctx.primaryVms.find((v) => recoverTargetId(v) === t.id);
  if (!vm) throw new DrbookError(`no VM ${t.label} in the capture`);
  return vm;
}

async function current(ctx: FailoverContext, vm: CapturedVm) {
  const found = await ctx.placement!.find(vm, [...new Set([datastoreOf(ctx, vm), ctx.mirror.datastore])]);
  if (!found) {
    const m = placementMessages(ctx.lang);
    throw new DrbookError(
      m.notInVcenter({ vm: vm.name, path: `[${datastoreOf(ctx, vm)}] ${vm.vmxDir}/${vm.vmxFile}` }),
      m.notInVcenterHint,
    );
  }
  return found;
}

export const placeStep = {
  targets: (ctx: FailoverContext): Target[] =>
    ctx.placement
      ? ctx.primaryVms
          .filter((vm) => vm.placement)
          .map((vm) => {
            const id = recoverTargetId(vm);
            return { id, label: vm.name, host: ctx.facts.hostOverride.get(id) ?? vm.host };
          })
      : [],
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    try {
      return isPlaced(await current(ctx, vm), wantOf(vm)!) ? 'done' : 'todo';
    } catch (err) {
      // vCenter down (or not back yet): the placement is left for `drbook place`, the run goes on.
      if (err instanceof ConnectError) return { skip: placementMessages(ctx.lang).vcenterDown({ error: describeError(err) }) };
      throw err;
    }
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    const want = wantOf(vm)!;
    await ctx.placement!.move(await current(ctx, vm), want, ctx.lang);
    io.note('info', placementMessages(ctx.lang).movedAfterEsxi({ vm: vm.name, folder: want.folder, pool: want.resourcePool }));
  },
  async verify(ctx: FailoverContext, t: Target) {
    const vm = vmOf(ctx, t);
    const cur = await current(ctx, vm);
    return isPlaced(cur, wantOf(vm)!)
      ? (true as const)
      : placementMessages(ctx.lang).stillElsewhere({ folder: cur.folder, pool: cur.resourcePool });
  },
};
