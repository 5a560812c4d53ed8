/**
 * Delete the original relationship on the mirror's cluster (relationship info only: the volumes
 * and snapshots stay), after the typed confirmation that says what the resync discards, or that
 * it is a full baseline, its size and time. The plan prints that confirmation word for word.
 */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { CheckResult, ConfirmContent, StepInfo, Target } from '../../engine/runner.js';
import { durationText, sizeText, type ReprotectPlan, type WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { relationshipOf } from '../../failback/reads.js';
import type { Lang } from '../../i18n/lang.js';
import { wayBackMessages } from '../../i18n/wayback.js';
import type { StepModule } from '../step.js';
import { planOf, siteTargets } from './common.js';

/** How long a baseline takes at the last transfer's rate; said as unknown without one (never a guessed rate). */
export function baselineTimeText(lang: Lang, p: Pick<ReprotectPlan, 'baselineBytes' | 'lastTransfer'>): string {
  const m = wayBackMessages(lang);
  const t = p.lastTransfer;
  if (!t || p.baselineBytes === null || t.bytes <= 0 || t.seconds <= 0) return m.baselineTimeUnknown;
  const rate = t.bytes / t.seconds;
  return m.baselineTime({ rate: `${sizeText(Math.round(rate))}/s`, time: durationText(p.baselineBytes / rate, m) });
}

/** What the operator reads before typing the original volume's path: the run asks it, the plan prints it. */
export function reprotectConfirmation(
  lang: Lang,
  original: { source: string; destination: string },
  p: ReprotectPlan,
): Required<Pick<ConfirmContent, 'title' | 'lines' | 'expect'>> {
  const m = wayBackMessages(lang);
  const primary = original.source;
  const lines: string[] = [];
  if (p.mode === 'resync' && p.common) {
    const time = p.common.createTime ?? '?';
    lines.push(m.reprotectResync({ mirror: original.destination, primary, snapshot: p.common.name, time }));
    lines.push(m.reprotectDiscards({ primary, snapshots: p.discarded.join(', '), time }));
  } else {
    lines.push(m.reprotectBaseline({ primary, size: sizeText(p.baselineBytes), time: baselineTimeText(lang, p) }));
    if (p.aside) lines.push(m.reprotectAside({ primary, aside: p.aside }));
  }
  lines.push(m.reprotectType({ primary }));
  return { title: m.reprotectTitle({ primary }), lines, expect: primary };
}

export const rpDeleteStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'rp.delete-original',
  actions: {
    'rp.delete-original': {
      targets: siteTargets,
      confirmation: (ctx: WayBackContext, _s: StepInfo, _t: Target[]) => reprotectConfirmation(ctx.lang, ctx.original, planOf(ctx)),
      check: async (ctx: WayBackContext): Promise<CheckResult> => ((await relationshipOf(ctx, ctx.original)) ? 'todo' : 'done'),
      apply: async (ctx: WayBackContext) => void (await ctx.ontap.deleteRelationship(ctx.original.destination)),
      verify: async (ctx: WayBackContext) =>
        (await relationshipOf(ctx, ctx.original)) ? `${ctx.original.source} → ${ctx.original.destination}` : (true as const),
    },
  },
  plan(p, step) {
    const { m, pm, onCluster, original } = p;
    const rp = p.facts.reprotect;
    const confirm = rp ? reprotectConfirmation(p.lang, original, rp) : null;
    return [
      {
        id: step.id,
        title: m.secRpDelete,
        text: [],
        steps: [
          ...(confirm
            ? [
                {
                  id: 'rp-delete:confirm',
                  title: pm.labelConfirm,
                  text: [],
                  commands: [],
                  // Said before the question, exactly as the run says it (its last line asks to type).
                  confirm: { text: [confirm.title, ...confirm.lines.slice(0, -1)].join(' '), type: confirm.expect },
                },
              ]
            : []),
          {
            id: 'rp-delete:delete',
            title: m.secRpDelete,
            target: 'site',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: original.destination }), { expect: m.rpShowExpect }),
              onCluster(ontap.deleteRelationship(original.destination)),
              onCluster(ontap.relationships({ destination: original.destination }), { expect: m.rpDeleteExpect }),
            ],
          },
        ],
      },
    ];
  },
  catalogue: ['secRpDelete', 'rpShowExpect', 'rpDeleteExpect'],
};
