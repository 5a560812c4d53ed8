/**
 * vCenter placement, the failover's `place` step: each recovered VM back into its recorded vCenter
 * folder and resource pool, moved after its ESXi registration (the runbook names it after
 * `verify`). When vCenter cannot be reached the VMs are skipped with the reason (the run still
 * finishes) and `drbook place` does it later.
 */
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { ConnectError, DrbookError, describeError } from '../../errors.js';
import { placementMessages } from '../../i18n/placement.js';
import type { CapturedVm } from '../../inventory/types.js';
import { isPlaced, wantOf } from '../../placement/placement.js';
import { datastoreOf } from './helpers.js';
import { recoverTargetId, vmOf, type FailoverContext } from '../../failover/context.js';

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

/** The `place` action: each recovered VM with a recorded placement, moved into it. */
const place = {
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

export const placeStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'place',
  actions: { place },
  plan(p, step) {
    const { m } = p;
    // What the capture recorded, for the vSphere Client (or `drbook place`).
    const placed = p.primaryVms.filter((v) => v.placement);
    if (placed.length === 0) return [];
    return [
      {
        id: step.id,
        title: m.secPlace({ n: p.nextNumber() }),
        text: [m.placeIntro],
        steps: placed.map((vm) => ({
          id: `place:${vm.vmxDir}/${vm.vmxFile}`,
          title: m.placeStep({ vm: vm.name, folder: vm.placement!.folder, pool: vm.placement!.resourcePool }),
          host: vm.host,
          text: [],
          commands: [],
        })),
      },
    ];
  },
};
