/**
 * Teardown: on the hosts the drill touched, every registration whose .vmx is on the drill
 * datastore (found on the device: its targets are `drill-vm:HOST:VMID`) powered off and
 * unregistered, each read again right before. Nothing with --keep.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { NEW_VMID } from '../failover/plan-context.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { skipWhenKept, stillDrillVm, touchedHosts } from '../../drill/actions.js';
import type { ActionIO, CheckResult, StepInfo, Target, TargetsIO } from '../../engine/runner.js';
import { describeError } from '../../errors.js';

/** The hosts a drill's removals go to: the drill's own (drill), or any the drill touched (cleanup). */
export function touchedPlanHosts(p: DrillPlanContext): string[] {
  return p.mode === 'drill' ? p.drillHosts : p.hosts;
}

const teardown = {
  async targets(ctx: DrillContext, _step: StepInfo, io: TargetsIO): Promise<Target[]> {
    ctx.drillFacts.drillVms.clear();
    if (skipWhenKept(ctx)) return [];
    const out: Target[] = [];
    for (const host of touchedHosts(ctx)) {
      let inv;
      try {
        inv = await ctx.esxi(host).listVms();
      } catch (err) {
        io.note('error', `${host}: cannot list its VMs, drill VMs there are not removed: ${describeError(err)}`);
        continue;
      }
      // Only registrations whose .vmx is on the drill datastore: nothing else is ever removed.
      for (const r of inv.vms.filter((x) => x.datastore === ctx.names.datastore)) {
        const id = `drill-vm:${host}:${r.vmid}`;
        ctx.drillFacts.drillVms.set(id, { host, vmid: r.vmid, name: r.name, path: r.path });
        out.push({ id, label: r.name, host });
      }
    }
    return out;
  },
};

const powerOff = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    if (!(await stillDrillVm(ctx, t))) return { skip: 'no longer registered', end: true };
    return (await ctx.esxi(t.host!).powerState(ctx.drillFacts.drillVms.get(t.id)!.vmid)) === 'off' ? 'done' : 'todo';
  },
  apply: (ctx: DrillContext, t: Target) => ctx.esxi(t.host!).powerOff(ctx.drillFacts.drillVms.get(t.id)!.vmid),
  async verify(ctx: DrillContext, t: Target) {
    return (await ctx.esxi(t.host!).powerState(ctx.drillFacts.drillVms.get(t.id)!.vmid)) === 'off' ? (true as const) : 'still powered on';
  },
};

const unregister = {
  async check(ctx: DrillContext, t: Target): Promise<CheckResult> {
    return (await stillDrillVm(ctx, t)) ? 'todo' : 'done';
  },
  apply: (ctx: DrillContext, t: Target, io: ActionIO) =>
    ctx.esxi(t.host!).unregister(ctx.drillFacts.drillVms.get(t.id)!.vmid, io.changesEnded),
  async verify(ctx: DrillContext, t: Target) {
    return (await stillDrillVm(ctx, t)) ? 'still registered' : (true as const);
  },
};

export const teardownStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'teardown',
  actions: { teardown, 'power-off': powerOff, unregister },
  plan(p, step) {
    const { d, onHost } = p;
    const hosts = touchedPlanHosts(p);
    return [
      {
        id: step.id,
        title: p.numbered(d.secTeardown),
        text: [p.mode === 'drill' ? d.teardownIntro : d.cleanupTeardownIntro],
        steps: [
          // The reads that choose the step's targets.
          { id: 'teardown:hosts', title: d.teardownList, text: [], commands: hosts.map((h) => onHost(h, esxi.getAllVms())) },
          ...hosts.map((h) => {
            const names = p.primaryVms.filter((v) => v.host === h).map((v) => `${v.name.trimEnd()} [drill]`);
            return {
              id: `teardown:${h}`,
              title: d.teardownStep({ host: h }),
              host: h,
              target: `drill-vm:${h}:${NEW_VMID}`,
              text: names.length ? [d.teardownVms({ names: names.join(', ') })] : [],
              commands: [
                onHost(h, esxi.getAllVms()),
                onHost(h, esxi.powerGetState(NEW_VMID)),
                onHost(h, esxi.powerOff(NEW_VMID), { expect: d.powerOffExpect }),
                onHost(h, esxi.powerGetState(NEW_VMID)),
                // Read again right before the unregister: still the drill's registration.
                onHost(h, esxi.getAllVms()),
                onHost(h, esxi.unregister(NEW_VMID), { expect: d.unregisterExpect }),
                onHost(h, esxi.getAllVms()),
              ],
            };
          }),
        ],
      },
    ];
  },
};
