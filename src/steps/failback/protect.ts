/**
 * The original direction again: delete the way back on the original's cluster, release it on the
 * mirror's, create original → mirror and resync the mirror from the original (never while a VM
 * is registered or runs from the mirror).
 */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import type { WayBackContext } from '../../failback/context.js';
import { vmsOnDatastoreReads, type WayBackPlanContext } from '../../failback/plan-context.js';
import { refuseVmsOn, relationshipOf, sourceRecordOf, waitRelationship } from '../../failback/reads.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import type { PlanCommand } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { siteTargets } from './common.js';

const siteSection = (p: WayBackPlanContext, id: string, title: string, commands: PlanCommand[], text: string[] = []) => [
  { id, title, text, steps: [{ id: `${id}:site`, title, target: 'site', text: [], commands }] },
];

export const fbDeleteReverseStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.delete-reverse',
  actions: {
    'fb.delete-reverse': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.reverse)) ? 'todo' : 'done'),
      apply: async (ctx: WayBackContext) => void (await ctx.ontap.deleteRelationship(ctx.reverse.destination)),
      verify: async (ctx: WayBackContext) =>
        (await relationshipOf(ctx, ctx.reverse)) ? `${ctx.reverse.source} → ${ctx.reverse.destination}` : (true as const),
    },
  },
  plan: (p, step) =>
    siteSection(p, step.id, p.m.secFbDeleteReverse, [
      p.onCluster(ontap.relationships({ destination: p.reverse.destination })),
      p.onCluster(ontap.deleteRelationship(p.reverse.destination)),
      p.onCluster(ontap.relationships({ destination: p.reverse.destination }), { expect: p.m.rpDeleteExpect }),
    ]),
  catalogue: ['secFbDeleteReverse', 'rpDeleteExpect'],
};

export const fbReleaseReverseStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.release-reverse',
  actions: {
    'fb.release-reverse': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> => ((await sourceRecordOf(ctx, ctx.reverse)) ? 'todo' : 'done'),
      apply: async (ctx: WayBackContext) => void (await ctx.ontap.release(ctx.reverse.destination)),
      verify: async (ctx: WayBackContext) =>
        (await sourceRecordOf(ctx, ctx.reverse)) ? `${ctx.reverse.source} → ${ctx.reverse.destination}` : (true as const),
    },
  },
  plan: (p, step) =>
    siteSection(p, step.id, p.m.secFbReleaseReverse, [
      p.onCluster(ontap.listDestinations(p.reverse.destination)),
      p.onCluster(ontap.release(p.reverse.destination)),
      p.onCluster(ontap.listDestinations(p.reverse.destination), { expect: p.m.rpReleaseExpect }),
    ]),
  catalogue: ['secFbReleaseReverse', 'rpReleaseExpect'],
};

export const fbCreateOriginalStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.create-original',
  actions: {
    'fb.create-original': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.original)) ? 'done' : 'todo'),
      apply: async (ctx: WayBackContext) => void (await ctx.ontap.createRelationship(ctx.original.source, ctx.original.destination)),
      verify: async (ctx: WayBackContext) =>
        (await relationshipOf(ctx, ctx.original)) ? (true as const) : `${ctx.original.source} → ${ctx.original.destination}`,
    },
  },
  plan: (p, step) =>
    siteSection(p, step.id, p.m.secFbCreateOriginal, [
      p.onCluster(ontap.relationships({ destination: p.original.destination })),
      p.onCluster(ontap.create(p.original.source, p.original.destination)),
      p.onCluster(ontap.relationships({ destination: p.original.destination }), { expect: p.m.rpCreateExpect }),
    ]),
  catalogue: ['secFbCreateOriginal', 'rpCreateExpect'],
};

/** The mirror is overwritten from the original: never while a VM is registered or runs from it. */
export const fbResyncOriginalStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.resync-original',
  actions: {
    'fb.resync-original': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> =>
        (await relationshipOf(ctx, ctx.original))?.state === 'Snapmirrored' ? 'done' : 'todo',
      async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
        await refuseVmsOn(ctx, 'mirror');
        await ctx.ontap.resync(ctx.original.destination);
        await waitRelationship(ctx, ctx.original, (r) => r?.state === 'Snapmirrored' && r.status !== 'Transferring', io.signal);
      },
      async verify(ctx: WayBackContext) {
        const r = await relationshipOf(ctx, ctx.original);
        return r?.state === 'Snapmirrored'
          ? (true as const)
          : wayBackMessages(ctx.lang).verifyNoProtection({ ...ctx.original, state: r?.state ?? '-' });
      },
    },
  },
  plan: (p, step) =>
    siteSection(
      p,
      step.id,
      p.m.secFbResyncOriginal,
      [
        p.onCluster(ontap.relationships({ destination: p.original.destination })),
        ...p.hosts.flatMap((h) => vmsOnDatastoreReads(p, h, p.mirrorDs)),
        p.onCluster(ontap.resync(p.original.destination)),
        p.onCluster(ontap.relationships({ destination: p.original.destination }), { expect: p.m.fbResyncExpect }),
      ],
      [p.m.guardHosts],
    ),
  catalogue: ['secFbResyncOriginal', 'guardHosts', 'guardExpect', 'fbResyncExpect'],
};
