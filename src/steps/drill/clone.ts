/** Clone: a FlexClone of the mirror at the chosen VSC snapshot, under the drill's name and junction. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillSnapshotPlan } from '../../drill/actions.js';
import type { CheckResult, Target } from '../../engine/runner.js';

const clone = {
  targets: (ctx: DrillContext): Target[] => [
    { id: `clone:${ctx.names.vserver}:${ctx.names.clone}`, label: `clone ${ctx.mirror.volume}@${drillSnapshotPlan(ctx).snapshot}` },
  ],
  async check(ctx: DrillContext): Promise<CheckResult> {
    return (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone)) ? 'done' : 'todo';
  },
  async apply(ctx: DrillContext) {
    await ctx.ontap.cloneCreate(ctx.names.vserver, ctx.names.clone, ctx.mirror.volume, drillSnapshotPlan(ctx).snapshot, ctx.names.junction);
  },
  async verify(ctx: DrillContext) {
    const v = await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone);
    if (!v) return 'the clone does not exist';
    if (v.state !== 'online') return `the clone is ${v.state ?? 'in an unknown state'}`;
    return v.junctionPath === ctx.names.junction
      ? (true as const)
      : `the clone is mounted at ${v.junctionPath ?? 'no junction'}, not ${ctx.names.junction}`;
  },
};

export const cloneStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'clone',
  actions: { clone },
  plan(p, step) {
    const { d, names, onCluster } = p;
    const clone = `${names.vserver}:${names.clone}`;
    return [
      {
        id: step.id,
        title: p.numbered(d.secClone),
        text: [d.cloneIntro({ snapshot: p.snap.name, mirror: p.site.relationship.destination })],
        steps: [
          {
            id: 'clone:create',
            title: d.cloneStep({ clone }),
            target: `clone:${clone}`,
            text: [],
            commands: [
              onCluster(ontap.volumeState(names.vserver, names.clone), { expect: d.cloneCheckExpect }),
              onCluster(ontap.cloneCreate(names.vserver, names.clone, p.dst.volume, p.snap.name, names.junction), {
                expect: d.cloneCreateExpect,
              }),
              onCluster(ontap.volumeState(names.vserver, names.clone), { expect: d.cloneVerifyExpect({ junction: names.junction }) }),
            ],
          },
        ],
      },
    ];
  },
};
