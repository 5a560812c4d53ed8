/**
 * Reprotect preflight: reads what decides the reprotect (the original relationship and its last
 * transfer, both volumes, their snapshots) and journals the plan as a board; a resume keeps the
 * plan it made (the devices have moved on since). `drbook plan` reads the same (readReprotectPlan).
 */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import type { ReprotectPlan, WayBackContext } from '../../failback/context.js';
import { sizeText } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { commonSnapshot, relationshipOf, snapshotsOf } from '../../failback/reads.js';
import { splitVolumePath } from '../../runbook/site.js';
import { formatTime } from '../failover/plan-context.js';
import type { StepModule } from '../step.js';
import { siteTargets } from './common.js';

/** The name the original volume is kept under in a baseline (ONTAP names: letters, digits, `_`). */
export function asideName(volume: string, at: Date): string {
  const t = at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  return `${volume}_before_reprotect_${t}`.slice(0, 203);
}

/** The facts that decide the plan, read from the cluster. */
export async function readReprotectPlan(ctx: Pick<WayBackContext, 'ontap' | 'original'>, now: Date): Promise<ReprotectPlan> {
  const primary = splitVolumePath(ctx.original.source);
  const mirror = splitVolumePath(ctx.original.destination);
  const [original, primaryVol, mirrorVol, mirrorSnaps, lastTransfer] = await Promise.all([
    relationshipOf(ctx, ctx.original),
    ctx.ontap.volumeUsage(primary.vserver, primary.volume),
    ctx.ontap.volumeUsage(mirror.vserver, mirror.volume),
    snapshotsOf(ctx, ctx.original.destination),
    ctx.ontap.lastTransfer(ctx.original.destination),
  ]);
  const primarySnaps = primaryVol?.state === 'online' ? await snapshotsOf(ctx, ctx.original.source) : [];
  const common = commonSnapshot(primarySnaps, mirrorSnaps);
  const discarded = common
    ? primarySnaps.filter((s) => String(s.createTime ?? '') > String(common.createTime ?? '')).map((s) => s.name)
    : [];
  return {
    kind: 'reprotect-plan',
    observedAt: now.toISOString(),
    mode: common ? 'resync' : 'baseline',
    common: common ? { name: common.name, createTime: common.createTime ?? null } : null,
    discarded,
    baselineBytes: mirrorVol?.usedBytes ?? null,
    lastTransfer,
    aside: common ? null : asideName(primary.volume, now),
    originalState: original?.state ?? null,
    primary: { state: primaryVol?.state ?? null, type: primaryVol?.type ?? null },
  };
}

export const rpPreflightStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'rp.preflight',
  actions: {
    'rp.preflight': {
      targets: siteTargets,
      check: (): CheckResult => 'todo',
      async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
        const kept = ctx.plan();
        io.situation(kept ?? (await readReprotectPlan(ctx, new Date())));
      },
      verify: () => true as const,
    },
  },
  plan(p, step) {
    const { m, onCluster, primary, mirror, original } = p;
    const rp = p.facts.reprotect;
    const decision = !rp
      ? []
      : rp.mode === 'resync' && rp.common
        ? [m.rpDecisionResync({ snapshot: rp.common.name, time: formatTime(rp.common.createTime) })]
        : [m.rpDecisionBaseline({ size: sizeText(rp.baselineBytes) })];
    return [
      {
        id: step.id,
        title: m.secRpPreflight,
        text: [m.rpPreflightIntro, ...decision],
        steps: [
          {
            id: 'rp-preflight:read',
            title: m.rpRead,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: original.destination })),
              onCluster(ontap.volumeUsed(primary.vserver, primary.volume)),
              onCluster(ontap.volumeUsed(mirror.vserver, mirror.volume)),
              onCluster(ontap.snapshots(mirror.vserver, mirror.volume)),
              onCluster(ontap.lastTransfer(original.destination), { text: m.rpReadRate }),
              // Read only when the original volume is online (a preflight refuses it otherwise).
              onCluster(ontap.snapshots(primary.vserver, primary.volume), { text: m.rpReadPrimarySnaps }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secRpPreflight', 'rpPreflightIntro', 'rpDecisionResync', 'rpDecisionBaseline', 'rpRead', 'rpReadRate', 'rpReadPrimarySnaps'],
};
