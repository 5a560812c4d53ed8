/** Verify: each VM registered under its recorded name on its host, powered as recorded, no VSC snapshot left. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { type FailoverContext, recoverTargetId } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import { NEW_VMID, type FailoverPlanContext } from './plan-context.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError, describeError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import type { CapturedVm } from '../../inventory/types.js';
import { quiescePointFor } from '../../failover/vsc.js';
import { site, datastoreOf, pointOf } from './helpers.js';

const verifyAll = {
  targets: (ctx: FailoverContext) => [site(ctx)],
  check: () => 'todo' as CheckResult,
  async apply(ctx: FailoverContext, _t: Target, io: ActionIO) {
    const m = failoverMessages(ctx.lang);
    const problems: string[] = [];
    const byHost = new Map<string, CapturedVm[]>();
    for (const vm of ctx.primaryVms) {
      const host = ctx.facts.hostOverride.get(recoverTargetId(vm)) ?? vm.host;
      byHost.set(host, [...(byHost.get(host) ?? []), vm]);
    }
    // Every host and every VM at once: these are reads, so the pool joins a host's into scripts and
    // holds them to its channel limit (one VM after another took 2 round trips x every VM, 28 s of a
    // 200-VM bench run; perHost VMs at a time still 7 s of a 2,000-VM one). Problems keep their order.
    const checkHost = async (host: string, vms: CapturedVm[]): Promise<string[]> => {
      let inv: Awaited<ReturnType<ReturnType<FailoverContext['esxi']>['listVms']>>;
      try {
        inv = await ctx.esxi(host).listVms();
      } catch (err) {
        return [m.verifyHostError({ host, error: describeError(err) })];
      }
      const checkVm = async (vm: CapturedVm): Promise<string[]> => {
        const problems: string[] = [];
        const row = inv.vms.find((r) => r.datastore === datastoreOf(ctx, vm) && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
        if (!row) return [m.verifyNotRegistered({ vm: vm.name, host })];
        if (row.name !== vm.name.trimEnd() && row.nameRaw.trimEnd() !== vm.name.trimEnd())
          problems.push(m.verifyRegisteredAs({ vm: vm.name, name: row.name }));
        const ops = ctx.esxi(host);
        const [power, tree] = await Promise.all([ops.powerState(row.vmid), ops.snapshotTree(row.vmid)]);
        const want = vm.isVcenter ? 'on' : vm.power;
        if (power !== want && !(ctx.facts.crashConsistent.has(recoverTargetId(vm)) && power === 'off'))
          problems.push(m.verifyPower({ vm: vm.name, power, want }));
        const point = pointOf(ctx, { id: recoverTargetId(vm), label: vm.name });
        const left = point ? quiescePointFor(tree.snapshots, { name: point.snapshot, createTime: point.createTime }) : null;
        if (left) problems.push(m.verifySnapshotLeft({ vm: vm.name, snapshot: left.name }));
        return problems;
      };
      return (await Promise.all(vms.map(checkVm))).flat();
    };
    for (const p of (await Promise.all([...byHost].map(([host, vms]) => checkHost(host, vms)))).flat()) problems.push(p);
    for (const p of problems) io.note('error', p);
    if (problems.length)
      throw new DrbookError(m.verifyFailed({ count: problems.length, first: problems[0]!, more: problems.length > 1 }), m.verifyFailedHint);
    io.note('info', m.verifyAllGood({ count: ctx.primaryVms.length }));
  },
  verify: () => true as const,
};

export const verifyStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'verify',
  actions: { verify: verifyAll },
  plan(p, step) {
    const { m, onHost, primaryVms } = p;
    const hostsWithVms = p.hosts.filter((h) => primaryVms.some((v) => v.host === h));
    return [
      {
        id: step.id,
        title: m.secVerify({ n: p.nextNumber() }),
        text: [m.verifyIntro],
        steps: hostsWithVms.map((h) => ({
          id: `verify:${h}`,
          title: m.verifyStep({ host: h }),
          host: h,
          target: 'site',
          text: [],
          commands: [
            onHost(h, esxi.getAllVms(), {
              expect: m.verifyGetAllVms({ count: primaryVms.filter((v) => v.host === h).length, datastore: p.mirrorDs }),
            }),
            onHost(h, esxi.powerGetState(NEW_VMID), { text: m.verifyPerVm }),
            onHost(h, esxi.snapshotGet(NEW_VMID)),
          ],
        })),
      },
    ];
  },
};
