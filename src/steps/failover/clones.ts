/** FlexClones of the other jobs' snapshots, only with --other-jobs flexclone (not in the printed plan: it is an option of the run). */
import { type FailoverContext, cloneOf } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { failoverMessages } from '../../i18n/failover.js';
import { cloneSnapshots } from './helpers.js';

const clones = {
  targets: (ctx: FailoverContext): Target[] =>
    cloneSnapshots(ctx).map((snap) => ({
      id: `clone:${snap}`,
      label: failoverMessages(ctx.lang).cloneLabel({ clone: cloneOf(ctx, snap).volume, snapshot: snap }),
    })),
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const state = await ctx.ontap.volumeState(ctx.mirror.vserver, cloneOf(ctx, t.id.slice('clone:'.length)).volume);
    return state?.state === 'online' ? 'done' : 'todo';
  },
  async apply(ctx: FailoverContext, t: Target) {
    const snap = t.id.slice('clone:'.length);
    const c = cloneOf(ctx, snap);
    await ctx.ontap.cloneCreate(ctx.mirror.vserver, c.volume, ctx.mirror.volume, snap, c.junction);
  },
  async verify(ctx: FailoverContext, t: Target) {
    const c = cloneOf(ctx, t.id.slice('clone:'.length));
    const state = await ctx.ontap.volumeState(ctx.mirror.vserver, c.volume);
    if (state?.state === 'online') return true as const;
    return state?.state
      ? failoverMessages(ctx.lang).checkCloneState({ volume: c.volume, state: state.state })
      : failoverMessages(ctx.lang).checkCloneMissing({ volume: c.volume });
  },
};

export const clonesStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'clones',
  actions: { clones },
};
