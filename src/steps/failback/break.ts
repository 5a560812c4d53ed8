/**
 * The final transfer mirror → original, the quiesce and break of the way back, and the original
 * volume's junction: every recorded VM must be off on the mirror before the first two act.
 */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { relationshipOf, waitRelationship } from '../../failback/reads.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import { splitVolumePath } from '../../runbook/site.js';
import type { StepModule } from '../step.js';
import { refuseRunningOnMirror, runningOnMirrorReads, siteTargets } from './common.js';

export const fbFinalUpdateStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.final-update',
  actions: {
    'fb.final-update': {
      targets: siteTargets,
      async check(ctx: WayBackContext): Promise<CheckResult> {
        const r = await relationshipOf(ctx, ctx.reverse);
        return !r || r.state === 'Broken-off' ? 'done' : 'todo';
      },
      async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
        await refuseRunningOnMirror(ctx);
        const before = await relationshipOf(ctx, ctx.reverse);
        await ctx.ontap.update(ctx.reverse.destination);
        const done = await waitRelationship(
          ctx,
          ctx.reverse,
          (r) => r?.status === 'Idle' && r.newestSnapshot !== before?.newestSnapshot,
          io.signal,
        );
        if (!done && !io.signal.aborted) {
          const m = wayBackMessages(ctx.lang);
          throw new DrbookError(
            m.transferStuck({ destination: ctx.reverse.destination, seconds: Math.round(ctx.wayBack.transferMs / 1000) }),
            m.transferStuckHint,
          );
        }
      },
      async verify(ctx: WayBackContext) {
        const r = await relationshipOf(ctx, ctx.reverse);
        return !r || r.status === 'Idle' ? (true as const) : `${ctx.reverse.destination}: ${r.status ?? '?'}`;
      },
    },
  },
  plan(p, step) {
    const { m, onCluster, reverse } = p;
    return [
      {
        id: step.id,
        title: m.secFbFinalUpdate,
        text: [],
        steps: [
          {
            id: 'fb-final-update:update',
            title: m.secFbFinalUpdate,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: reverse.destination })),
              ...runningOnMirrorReads(p),
              onCluster(ontap.update(reverse.destination)),
              onCluster(ontap.relationships({ destination: reverse.destination }), { expect: m.fbUpdateExpect }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secFbFinalUpdate', 'fbRunningReads', 'fbUpdateExpect'],
};

export const fbBreakStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.break',
  actions: {
    'fb.break': {
      targets: siteTargets,
      async check(ctx: WayBackContext): Promise<CheckResult> {
        const r = await relationshipOf(ctx, ctx.reverse);
        return !r || r.state === 'Broken-off' ? 'done' : 'todo';
      },
      async apply(ctx: WayBackContext) {
        await refuseRunningOnMirror(ctx);
        const r = await relationshipOf(ctx, ctx.reverse);
        if (r?.status !== 'Quiesced') await ctx.ontap.quiesce(ctx.reverse.destination);
        await ctx.ontap.break(ctx.reverse.destination);
      },
      async verify(ctx: WayBackContext) {
        const r = await relationshipOf(ctx, ctx.reverse);
        const { vserver, volume } = splitVolumePath(ctx.original.source);
        const vol = await ctx.ontap.volumeState(vserver, volume);
        if (r && r.state !== 'Broken-off')
          return wayBackMessages(ctx.lang).stateNot({ path: ctx.reverse.destination, state: r.state ?? '?', want: 'Broken-off' });
        return vol?.type === 'RW'
          ? (true as const)
          : wayBackMessages(ctx.lang).stateNot({ path: ctx.original.source, state: vol?.type ?? '?', want: 'RW' });
      },
    },
  },
  plan(p, step) {
    const { m, onCluster, reverse, primary } = p;
    return [
      {
        id: step.id,
        title: m.secFbBreak,
        text: [],
        steps: [
          {
            id: 'fb-break:break',
            title: m.secFbBreak,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: reverse.destination })),
              ...runningOnMirrorReads(p),
              onCluster(ontap.quiesce(reverse.destination)),
              onCluster(ontap.break(reverse.destination)),
              // The check's read may be shared with the step before: the verify's is its own.
              onCluster(ontap.relationships({ destination: reverse.destination })),
              onCluster(ontap.volumeState(primary.vserver, primary.volume), { expect: m.fbBreakExpect }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secFbBreak', 'fbBreakExpect'],
};

/** A baseline's new volume has no junction yet: the datastore's share is mounted where it was. */
export const fbJunctionStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.junction',
  actions: {
    'fb.junction': {
      targets: siteTargets,
      async check(ctx: WayBackContext): Promise<CheckResult> {
        const { vserver, volume } = splitVolumePath(ctx.original.source);
        return (await ctx.ontap.volumeState(vserver, volume))?.junctionPath === ctx.site.datastores.primary.share ? 'done' : 'todo';
      },
      async apply(ctx: WayBackContext) {
        const { vserver, volume } = splitVolumePath(ctx.original.source);
        await ctx.ontap.mount(vserver, volume, ctx.site.datastores.primary.share);
      },
      async verify(ctx: WayBackContext) {
        const { vserver, volume } = splitVolumePath(ctx.original.source);
        const j = (await ctx.ontap.volumeState(vserver, volume))?.junctionPath ?? '-';
        return j === ctx.site.datastores.primary.share
          ? (true as const)
          : wayBackMessages(ctx.lang).stateNot({ path: ctx.original.source, state: j, want: ctx.site.datastores.primary.share });
      },
    },
  },
  plan(p, step) {
    const { m, onCluster, primary } = p;
    const share = p.site.datastores.primary.share;
    return [
      {
        id: step.id,
        title: m.secFbJunction,
        text: [],
        steps: [
          {
            id: 'fb-junction:mount',
            title: m.secFbJunction,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.volumeState(primary.vserver, primary.volume)),
              onCluster(ontap.mount(primary.vserver, primary.volume, share)),
              onCluster(ontap.volumeState(primary.vserver, primary.volume), { expect: m.fbJunctionExpect({ share }) }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secFbJunction', 'fbJunctionExpect'],
};
