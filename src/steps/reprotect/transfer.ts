/** Resync from the common snapshot, or start the baseline; the guard and the common snapshot are read right before it is sent. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { OperatorError } from '../../errors.js';
import { sizeText, type WayBackContext } from '../../failback/context.js';
import { vmsOnDatastoreReads, type WayBackPlanContext } from '../../failback/plan-context.js';
import { commonSnapshot, refuseVmsOn, relationshipOf, snapshotsOf } from '../../failback/reads.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import type { PlanCommand } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { planOf, siteTargets } from './common.js';

export const rpTransferStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'rp.transfer',
  actions: {
    'rp.transfer': {
      targets: siteTargets,
      async check(ctx: WayBackContext): Promise<CheckResult> {
        const r = await relationshipOf(ctx, ctx.reverse);
        if (r?.state === 'Snapmirrored') return 'done';
        if (planOf(ctx).mode === 'baseline' && r?.status === 'Transferring') return 'done';
        return 'todo';
      },
      async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
        const p = planOf(ctx);
        const m = wayBackMessages(ctx.lang);
        // Never over VMs that run from the original volume.
        await refuseVmsOn(ctx, 'primary');
        if (p.mode === 'resync') {
          const [a, b] = await Promise.all([snapshotsOf(ctx, ctx.reverse.source), snapshotsOf(ctx, ctx.reverse.destination)]);
          const common = commonSnapshot(a, b);
          if (!common || common.name !== p.common?.name)
            throw new OperatorError(m.commonGone({ snapshot: p.common?.name ?? '?' }), m.commonGoneHint);
          await ctx.ontap.resync(ctx.reverse.destination);
          io.note('info', m.reprotectDone({ source: ctx.reverse.source, destination: ctx.reverse.destination }));
        } else {
          await ctx.ontap.initialize(ctx.reverse.destination);
          io.note('warn', m.reprotectStarted({ size: sizeText(p.baselineBytes) }));
        }
      },
      async verify(ctx: WayBackContext) {
        const r = await relationshipOf(ctx, ctx.reverse);
        if (r?.state === 'Snapmirrored' || r?.status === 'Transferring') return true as const;
        return wayBackMessages(ctx.lang).stateNot({
          path: ctx.reverse.destination,
          state: `${r?.state ?? '-'} ${r?.status ?? ''}`.trim(),
          want: 'Snapmirrored',
        });
      },
    },
  },
  plan(p, step) {
    const { m, onCluster, reverse, primary, mirror } = p;
    const resync = p.facts.reprotect?.mode !== 'baseline';
    const send: PlanCommand[] = resync
      ? [
          onCluster(ontap.snapshots(mirror.vserver, mirror.volume), { text: m.rpTransferResync }),
          onCluster(ontap.snapshots(primary.vserver, primary.volume)),
          onCluster(ontap.resync(reverse.destination)),
        ]
      : [onCluster(ontap.initialize(reverse.destination))];
    return [
      {
        id: step.id,
        title: m.secRpTransfer,
        text: [m.rpAfter],
        steps: [
          {
            id: 'rp-transfer:guard',
            title: m.guardHosts,
            target: 'site',
            text: [],
            commands: p.hosts.flatMap((h) => vmsOnDatastoreReads(p, h, p.primaryDs)),
          },
          {
            id: 'rp-transfer:transfer',
            title: m.secRpTransfer,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: reverse.destination })),
              ...send,
              onCluster(ontap.relationships({ destination: reverse.destination }), { expect: m.rpTransferExpect }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secRpTransfer', 'rpAfter', 'guardHosts', 'rpTransferResync', 'rpTransferExpect'],
};
