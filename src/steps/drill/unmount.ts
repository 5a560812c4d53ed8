/** Unmount the drill datastore where the drill touched a host, once no VM is registered from it. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { touchedPlanHosts } from './teardown.js';
import { hostTarget, skipWhenKept, touchedHosts } from '../../drill/actions.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';

const unmount = {
  targets: (ctx: DrillContext): Target[] => (skipWhenKept(ctx) ? [] : touchedHosts(ctx).map(hostTarget)),
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    const ops = ctx.esxi(t.host!);
    const m = (await ops.nfsList()).find((x) => x.volumeName === ctx.names.datastore);
    if (!m) return 'done';
    if (m.share !== ctx.names.junction)
      throw new DrbookError(
        `${t.host}: datastore ${ctx.names.datastore} has share ${m.share}, not the drill's ${ctx.names.junction}; left alone`,
      );
    const left = (await ops.listVms()).vms.filter((r) => r.datastore === ctx.names.datastore);
    if (left.length)
      throw new DrbookError(
        `${t.host}: ${left.length} VM(s) are still registered on ${ctx.names.datastore} (${left[0]!.name}…)`,
        'they must be removed first: retry, or drbook drill cleanup',
      );
    return 'todo';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).nfsRemove(ctx.names.datastore),
  async verify(ctx: DrillContext, t: Target) {
    return (await ctx.esxi(t.host!).nfsList()).some((x) => x.volumeName === ctx.names.datastore) ? 'still mounted' : (true as const);
  },
};

export const unmountStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'unmount',
  actions: { unmount },
  plan(p, step) {
    const { d, onHost } = p;
    const ds = p.names.datastore;
    return [
      {
        id: step.id,
        title: p.numbered(d.secUnmount),
        text: [],
        steps: touchedPlanHosts(p).map((h) => ({
          id: `unmount:${h}`,
          title: d.unmountStep({ host: h, datastore: ds }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.nfsList(), { text: d.unmountCheck({ datastore: ds }) }),
            onHost(h, esxi.getAllVms()),
            onHost(h, esxi.nfsRemove(ds), { expect: d.unmountExpect }),
            onHost(h, esxi.nfsList(), { expect: d.unmountVerifyExpect({ datastore: ds }) }),
          ],
        })),
      },
    ];
  },
};
