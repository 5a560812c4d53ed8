/** Mount: production's registrations and power states recorded (the verify compares them), then the clone mounted as the drill datastore. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import { PRODUCTION_VMID, type DrillPlanContext } from './plan-context.js';
import { baselineOf, drillHosts, hostTarget } from '../../drill/actions.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';

const mount = {
  targets: (ctx: DrillContext): Target[] => drillHosts(ctx).map(hostTarget),
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    // Production as it is before the drill datastore arrives: compared at the end.
    if (!ctx.drillFacts.baseline.has(t.host!)) ctx.drillFacts.baseline.set(t.host!, await baselineOf(ctx, t.host!));
    const m = (await ctx.esxi(t.host!).nfsList()).find((x) => x.volumeName === ctx.names.datastore);
    if (!m) return 'todo';
    if (m.share !== ctx.names.junction)
      throw new DrbookError(
        `${t.host}: a datastore ${ctx.names.datastore} already exists with share ${m.share}`,
        "it is not this drill's; rename it or run the drill later",
      );
    return m.mounted && m.accessible ? 'done' : 'todo';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).nfsAdd(ctx.names.nfsHost, ctx.names.junction, ctx.names.datastore),
  async verify(ctx: DrillContext, t: Target) {
    const m = (await ctx.esxi(t.host!).nfsList()).find((x) => x.volumeName === ctx.names.datastore);
    return m?.mounted && m.accessible ? (true as const) : `${ctx.names.datastore} is not mounted and accessible`;
  },
};

export const drillMountStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'mount',
  actions: { mount },
  plan(p, step) {
    const { d, names, onHost } = p;
    const ds = names.datastore;
    return [
      {
        id: step.id,
        title: p.numbered(d.secMount),
        text: [d.mountIntro],
        steps: p.drillHosts.map((h) => ({
          id: `mount:${h}`,
          title: d.mountStep({ host: h, datastore: ds }),
          host: h,
          target: `host:${h}`,
          text: [d.mountBaseline],
          commands: [
            onHost(h, esxi.getAllVms()),
            onHost(h, esxi.powerGetState(PRODUCTION_VMID)),
            onHost(h, esxi.nfsList(), { expect: d.mountCheckExpect({ datastore: ds }) }),
            onHost(h, esxi.nfsAdd(names.nfsHost, names.junction, ds), { expect: d.mountAddExpect }),
            onHost(h, esxi.nfsList(), { expect: d.mountVerifyExpect({ datastore: ds }) }),
          ],
        })),
      },
    ];
  },
};
