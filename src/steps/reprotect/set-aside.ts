/**
 * Baseline only: the original volume is renamed aside (kept, never deleted: it holds what was
 * written there before the disaster) and a new empty DP volume takes its name. Each part reads
 * the volumes first, so a resume does only what is left.
 */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { CheckResult } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import type { WayBackContext } from '../../failback/context.js';
import { AGGREGATE, SIZE, vmsOnDatastoreReads, type WayBackPlanContext } from '../../failback/plan-context.js';
import { refuseVmsOn } from '../../failback/reads.js';
import type { PlanStep } from '../../plan/model.js';
import { splitVolumePath } from '../../runbook/site.js';
import type { StepModule } from '../step.js';
import { planOf, siteTargets } from './common.js';

async function asideDone(ctx: WayBackContext, aside: string): Promise<boolean> {
  const { vserver, volume } = splitVolumePath(ctx.original.source);
  const [kept, fresh] = await Promise.all([ctx.ontap.volumeUsage(vserver, aside), ctx.ontap.volumeUsage(vserver, volume)]);
  return kept !== null && !kept.junctionPath && fresh?.type === 'DP';
}

export const rpSetAsideStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'rp.set-aside',
  actions: {
    'rp.set-aside': {
      targets: siteTargets,
      check: async (ctx: WayBackContext): Promise<CheckResult> => {
        const p = planOf(ctx);
        if (p.mode !== 'baseline' || !p.aside) return { skip: 'a common snapshot exists: resync' };
        return (await asideDone(ctx, p.aside)) ? 'done' : 'todo';
      },
      async apply(ctx: WayBackContext) {
        const aside = planOf(ctx).aside!;
        const { vserver, volume } = splitVolumePath(ctx.original.source);
        let asideVol = await ctx.ontap.volumeUsage(vserver, aside);
        const current = await ctx.ontap.volumeUsage(vserver, volume);
        if (!asideVol) {
          if (!current) throw new DrbookError(`neither ${vserver}:${volume} nor ${vserver}:${aside} exists`);
          await refuseVmsOn(ctx, 'primary');
          await ctx.ontap.renameVolume(vserver, volume, aside);
          asideVol = await ctx.ontap.volumeUsage(vserver, aside);
        }
        if (asideVol?.junctionPath) await ctx.ontap.unmount(vserver, aside);
        if (!(await ctx.ontap.volumeUsage(vserver, volume))) {
          await ctx.ontap.createDpVolume(
            vserver,
            volume,
            asideVol?.aggregate ?? current?.aggregate ?? 'aggr1',
            asideVol?.size ?? current?.size ?? '500GB',
          );
        }
      },
      verify: async (ctx: WayBackContext) =>
        (await asideDone(ctx, planOf(ctx).aside!)) ? (true as const) : 'the original volume is not set aside yet',
    },
  },
  plan(p, step) {
    const { m, onCluster, primary } = p;
    const rp = p.facts.reprotect;
    if (!rp?.aside || rp.mode !== 'baseline') return [{ id: step.id, title: m.secRpSetAside, text: [m.rpSetAsideSkip], steps: [] }];
    const { vserver, volume } = primary;
    // The new volume takes the old one's aggregate and size, as the cluster shows them at run time.
    const steps: PlanStep[] = [
      {
        id: 'rp-set-aside:guard',
        title: m.guardHosts,
        target: 'site',
        text: [],
        commands: p.hosts.flatMap((h) => vmsOnDatastoreReads(p, h, p.primaryDs)),
      },
      {
        id: 'rp-set-aside:rename',
        title: m.secRpSetAside,
        target: 'site',
        text: [m.rpSetAsideText({ primary: primary.path, aside: rp.aside })],
        commands: [
          onCluster(ontap.volumeUsed(vserver, rp.aside)),
          onCluster(ontap.volumeUsed(vserver, volume)),
          onCluster(ontap.volumeRename(vserver, volume, rp.aside)),
          onCluster(ontap.unmount(vserver, rp.aside)),
          onCluster(ontap.volumeCreateDp(vserver, volume, AGGREGATE, SIZE)),
        ],
      },
    ];
    return [{ id: step.id, title: m.secRpSetAside, text: [], steps }];
  },
  catalogue: ['secRpSetAside', 'rpSetAsideSkip', 'rpSetAsideText', 'guardHosts', 'guardExpect'],
};
