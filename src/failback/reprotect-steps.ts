/**
 * The steps of runbooks/reprotect.yaml, one per function: NetApp's "reactivate the original source
 * volume" after a failover. Each reads the cluster (check) before it acts (apply) and reads it
 * again (verify); a resumed run keeps the plan its preflight made (a typed situation event).
 */
import type { ActionIO, ActionRegistry, CheckResult, ConfirmContent, StepInfo, Target } from '../engine/runner.js';
import { DrbookError, OperatorError } from '../errors.js';
import { wayBackMessages } from '../i18n/wayback.js';
import { splitVolumePath } from '../runbook/site.js';
import { sizeText, type ReprotectPlan, type WayBackContext } from './context.js';
import { commonSnapshot, refuseVmsOn, relationshipOf, siteTarget, snapshotsOf, sourceRecordOf } from './reads.js';

const site = (ctx: WayBackContext): Target[] => [siteTarget(ctx)];

function planOf(ctx: WayBackContext): ReprotectPlan {
  const p = ctx.plan();
  if (!p)
    throw new DrbookError('the reprotect plan is missing from the journal', 'run drbook reprotect again: its preflight makes the plan');
  return p;
}

/** The name the original volume is kept under in a baseline (ONTAP names: letters, digits, `_`). */
export function asideName(volume: string, at: Date): string {
  const t = at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  return `${volume}_before_reprotect_${t}`.slice(0, 203);
}

/** The facts that decide the plan, read from the cluster. */
async function readPlan(ctx: WayBackContext, now: Date): Promise<ReprotectPlan> {
  const primary = splitVolumePath(ctx.original.source);
  const mirror = splitVolumePath(ctx.original.destination);
  const [original, primaryVol, mirrorVol, mirrorSnaps] = await Promise.all([
    relationshipOf(ctx, ctx.original),
    ctx.ontap.volumeUsage(primary.vserver, primary.volume),
    ctx.ontap.volumeUsage(mirror.vserver, mirror.volume),
    snapshotsOf(ctx, ctx.original.destination),
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
    aside: common ? null : asideName(primary.volume, now),
    originalState: original?.state ?? null,
    primary: { state: primaryVol?.state ?? null, type: primaryVol?.type ?? null },
  };
}

/** The board, and the plan a resume keeps (the devices have moved on since it was made). */
const preflight = {
  targets: site,
  check: (): CheckResult => 'todo',
  async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
    const kept = ctx.plan();
    io.situation(kept ?? (await readPlan(ctx, new Date())));
  },
  verify: () => true as const,
};

/** What the operator reads before typing the original volume's path. */
function reprotectConfirmation(ctx: WayBackContext): ConfirmContent {
  const m = wayBackMessages(ctx.lang);
  const p = planOf(ctx);
  const primary = ctx.original.source;
  const lines: string[] = [];
  if (p.mode === 'resync' && p.common) {
    const time = p.common.createTime ?? '?';
    lines.push(m.reprotectResync({ mirror: ctx.original.destination, primary, snapshot: p.common.name, time }));
    lines.push(m.reprotectDiscards({ primary, snapshots: p.discarded.join(', '), time }));
  } else {
    lines.push(m.reprotectBaseline({ primary, size: sizeText(p.baselineBytes), time: m.baselineTimeUnknown }));
    if (p.aside) lines.push(m.reprotectAside({ primary, aside: p.aside }));
  }
  lines.push(m.reprotectType({ primary }));
  return { title: m.reprotectTitle({ primary }), lines, expect: primary };
}

const deleteOriginal = {
  targets: site,
  confirmation: (ctx: WayBackContext, _s: StepInfo, _t: Target[]) => reprotectConfirmation(ctx),
  check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.original)) ? 'todo' : 'done'),
  apply: async (ctx: WayBackContext) => void (await ctx.ontap.deleteRelationship(ctx.original.destination)),
  verify: async (ctx: WayBackContext) =>
    (await relationshipOf(ctx, ctx.original)) ? `${ctx.original.source} → ${ctx.original.destination}` : (true as const),
};

const releaseOriginal = {
  targets: site,
  check: async (ctx: WayBackContext): Promise<CheckResult> => ((await sourceRecordOf(ctx, ctx.original)) ? 'todo' : 'done'),
  apply: async (ctx: WayBackContext) => void (await ctx.ontap.release(ctx.original.destination)),
  verify: async (ctx: WayBackContext) =>
    (await sourceRecordOf(ctx, ctx.original)) ? `${ctx.original.source} → ${ctx.original.destination}` : (true as const),
};

/**
 * Baseline only: the original volume is renamed aside (kept, never deleted: it holds what was
 * written there before the disaster) and a new empty DP volume takes its name. Each part reads
 * the volumes first, so a resume does only what is left.
 */
const setAside = {
  targets: site,
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
};

async function asideDone(ctx: WayBackContext, aside: string): Promise<boolean> {
  const { vserver, volume } = splitVolumePath(ctx.original.source);
  const [kept, fresh] = await Promise.all([ctx.ontap.volumeUsage(vserver, aside), ctx.ontap.volumeUsage(vserver, volume)]);
  return kept !== null && !kept.junctionPath && fresh?.type === 'DP';
}

const createReverse = {
  targets: site,
  check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.reverse)) ? 'done' : 'todo'),
  apply: async (ctx: WayBackContext) => void (await ctx.ontap.createRelationship(ctx.reverse.source, ctx.reverse.destination)),
  verify: async (ctx: WayBackContext) =>
    (await relationshipOf(ctx, ctx.reverse)) ? (true as const) : `${ctx.reverse.source} → ${ctx.reverse.destination}`,
};

/** Resync from the common snapshot, or start the baseline; read right before it is sent. */
const transfer = {
  targets: site,
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
};

export const reprotectActions: ActionRegistry<WayBackContext> = {
  'rp.preflight': preflight,
  'rp.delete-original': deleteOriginal,
  'rp.release-original': releaseOriginal,
  'rp.set-aside': setAside,
  'rp.create-reverse': createReverse,
  'rp.transfer': transfer,
};
