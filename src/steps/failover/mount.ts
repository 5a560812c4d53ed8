/** Mount: `esxcli storage nfs add` of the mirror datastore (and the clones) where it is missing. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { type FailoverContext, cloneOf } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import { hostTargets, cloneSnapshots } from './helpers.js';

/** The NFS datastores a host needs: the mirror, and the FlexClones of other jobs' snapshots. */
function neededDatastores(ctx: FailoverContext): { name: string; nfsHost: string; share: string }[] {
  const out = [{ name: ctx.mirror.datastore, nfsHost: ctx.mirror.nfsHost, share: ctx.mirror.share }];
  for (const snap of cloneSnapshots(ctx)) {
    const c = cloneOf(ctx, snap);
    out.push({ name: c.datastore, nfsHost: ctx.mirror.nfsHost, share: c.junction });
  }
  return out;
}

const mountMirror = {
  targets: hostTargets,
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const mounts = await ctx.esxi(t.host!).nfsList();
    let missing = false;
    for (const ds of neededDatastores(ctx)) {
      const m = mounts.find((x) => x.volumeName === ds.name);
      if (m && !(m.mounted && m.accessible)) {
        throw new DrbookError(
          failoverMessages(ctx.lang).errDatastoreInaccessible({ host: t.host!, datastore: ds.name }),
          failoverMessages(ctx.lang).errDatastoreInaccessibleHint,
        );
      }
      if (!m) missing = true;
    }
    return missing ? 'todo' : 'done';
  },
  async apply(ctx: FailoverContext, t: Target) {
    const mounts = await ctx.esxi(t.host!).nfsList();
    for (const ds of neededDatastores(ctx)) {
      if (!mounts.some((x) => x.volumeName === ds.name)) await ctx.esxi(t.host!).nfsAdd(ds.nfsHost, ds.share, ds.name);
    }
  },
  async verify(ctx: FailoverContext, t: Target) {
    const mounts = await ctx.esxi(t.host!).nfsList();
    const bad = neededDatastores(ctx).filter((ds) => !mounts.some((x) => x.volumeName === ds.name && x.mounted && x.accessible));
    return bad.length ? failoverMessages(ctx.lang).checkNotMounted({ datastores: bad.map((b) => b.name).join(', ') }) : (true as const);
  },
};

export const mountStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'mount-mirror',
  actions: { 'mount-mirror': mountMirror },
  plan(p, step) {
    const { m, onHost, mirrorDs } = p;
    return [
      {
        id: step.id,
        title: m.secMount,
        text: [],
        steps: p.hosts.map((h) => ({
          id: `mount:${h}`,
          title: m.mountStep({ host: h, datastore: mirrorDs }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.nfsList(), { expect: m.mountCheckExpect({ datastore: mirrorDs }) }),
            onHost(h, esxi.nfsAdd(p.site.datastores.mirror.nfsHost, p.site.datastores.mirror.share, mirrorDs), { expect: m.mountExpect }),
            onHost(h, esxi.nfsList(), { expect: m.mountVerifyExpect({ datastore: mirrorDs }) }),
          ],
        })),
      },
    ];
  },
};
