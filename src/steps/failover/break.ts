/** Break: typed confirmation, then `snapmirror quiesce` and `snapmirror break` (skipped when already broken off). */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { FailoverContext } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import { waitFor } from '../../failover/wait.js';

const breakMirror = {
  targets: (ctx: FailoverContext): Target[] => [{ id: `break:${ctx.mirror.path}`, label: `snapmirror break ${ctx.mirror.path}` }],
  confirmation(ctx: FailoverContext) {
    const r = ctx.facts.situation?.relationship;
    const m = failoverMessages(ctx.lang);
    const destination = ctx.mirror.path;
    return {
      title: m.breakTitle({ destination }),
      lines: [
        m.breakState({ source: r?.source ?? ctx.primary.path, destination, state: r?.state ?? '?', lag: r?.lagTime ?? '?' }),
        m.breakWritable,
        m.breakType({ destination }),
      ],
      expect: ctx.mirror.path,
    };
  },
  async check(ctx: FailoverContext): Promise<CheckResult> {
    const rel = await relationship(ctx);
    return rel.state === 'Broken-off' ? { skip: failoverMessages(ctx.lang).skipAlreadyBroken } : 'todo';
  },
  async apply(ctx: FailoverContext, _t: Target, io: ActionIO) {
    const rel = await relationship(ctx);
    if (rel.status !== 'Quiesced' && rel.state !== 'Broken-off') {
      await ctx.ontap.quiesce(ctx.mirror.path);
      const quiet = await waitFor(
        async () => (await relationship(ctx)).status === 'Quiesced',
        ctx.options.killVerifyMs * 4,
        ctx.options.pollMs,
        io.signal,
      );
      if (!quiet)
        throw new DrbookError(
          failoverMessages(ctx.lang).errNotQuiesced({ destination: ctx.mirror.path }),
          failoverMessages(ctx.lang).errNotQuiescedHint,
        );
    }
    await ctx.ontap.break(ctx.mirror.path);
  },
  async verify(ctx: FailoverContext) {
    const rel = await relationship(ctx);
    if (rel.state === 'Broken-off') return true as const;
    return rel.state ? failoverMessages(ctx.lang).checkNotBroken({ state: rel.state }) : failoverMessages(ctx.lang).checkNotBrokenUnknown;
  },
};

async function relationship(ctx: FailoverContext) {
  const rels = await ctx.ontap.relationships({ destination: ctx.mirror.path });
  const rel = rels.find((r) => r.destination === ctx.mirror.path);
  if (!rel) throw new DrbookError(failoverMessages(ctx.lang).errRelationshipGone({ destination: ctx.mirror.path }));
  return rel;
}

export const breakStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'break-mirror',
  actions: { 'break-mirror': breakMirror },
  plan(p, step) {
    const { m, site, onCluster, example } = p;
    const dest = site.relationship.destination;
    const target = `break:${dest}`;
    return [
      {
        id: step.id,
        title: m.secBreak,
        text: [m.breakIntro],
        steps: [
          {
            id: 'break:confirm',
            title: m.labelConfirm,
            text: [],
            commands: [],
            confirm: { text: m.breakConfirm({ source: site.relationship.source, destination: dest }), type: dest },
          },
          {
            id: 'break:quiesce',
            title: m.breakQuiesceStep,
            target,
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: dest }), { text: m.breakCheck }),
              onCluster(ontap.quiesce(dest), { expect: m.breakQuiesceExpect, ...example('snapmirrorQuiesce') }),
              onCluster(ontap.relationships({ destination: dest }), { text: m.breakWaitQuiesced({ seconds: p.killSeconds * 4 }) }),
            ],
          },
          {
            id: 'break:break',
            title: m.breakBreakStep,
            target,
            text: [],
            commands: [onCluster(ontap.break(dest), { expect: m.breakBreakExpect })],
          },
          {
            id: 'break:verify',
            title: m.breakVerifyStep,
            target,
            text: [],
            commands: [onCluster(ontap.relationships({ destination: dest }), { expect: m.breakVerifyExpect })],
          },
        ],
      },
    ];
  },
};
