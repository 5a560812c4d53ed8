/** Delete the clone: only a FlexClone of the mirror under the drill's name; unmount, offline, delete. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { cloneRow, skipWhenKept } from '../../drill/actions.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';

const deleteClone = {
  targets: (ctx: DrillContext): Target[] =>
    skipWhenKept(ctx)
      ? []
      : [{ id: `clone:${ctx.names.vserver}:${ctx.names.clone}`, label: `delete clone ${ctx.names.vserver}:${ctx.names.clone}` }],
  async check(ctx: DrillContext): Promise<CheckResult> {
    const v = await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone);
    if (!v) return 'done';
    // Only a FlexClone of the mirror volume under the drill's name is ever deleted.
    const row = await cloneRow(ctx);
    if (!row)
      throw new DrbookError(
        `${ctx.names.vserver}:${ctx.names.clone} exists but is not a FlexClone; left alone`,
        'look at it on the cluster (volume show)',
      );
    if (row.parentVolume !== ctx.mirror.volume)
      throw new DrbookError(`${ctx.names.clone} is a clone of ${row.parentVolume ?? '?'}, not of ${ctx.mirror.volume}; left alone`);
    return 'todo';
  },
  async apply(ctx: DrillContext) {
    const v = (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone))!;
    // An interrupted delete finishes from where it stopped.
    await ctx.ontap.cloneDelete(ctx.names.vserver, ctx.names.clone, { unmounted: !v.junctionPath, offline: v.state === 'offline' });
  },
  async verify(ctx: DrillContext) {
    return (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone)) ? 'the clone still exists' : (true as const);
  },
};

export const deleteCloneStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'delete-clone',
  actions: { 'delete-clone': deleteClone },
  plan(p, step) {
    const { d, names, onCluster } = p;
    const clone = `${names.vserver}:${names.clone}`;
    const mirror = p.site.relationship.destination;
    return [
      {
        id: step.id,
        title: p.numbered(d.secDelete),
        text: [d.deleteIntro({ mirror })],
        steps: [
          {
            id: 'delete-clone:clone',
            title: d.deleteStep({ clone }),
            target: `clone:${clone}`,
            text: [],
            commands: [
              onCluster(ontap.volumeState(names.vserver, names.clone)),
              onCluster(ontap.cloneShow(names.vserver, names.clone), { expect: d.deleteCheck({ mirror: p.dst.volume }) }),
              ...(['unmount', 'offline', 'delete'] as const).map((verb) =>
                onCluster(ontap.volumeVerb(verb, names.vserver, names.clone), { expect: d.deleteExpect }),
              ),
              onCluster(ontap.volumeState(names.vserver, names.clone), { expect: d.deleteVerifyExpect }),
            ],
          },
        ],
      },
    ];
  },
};
