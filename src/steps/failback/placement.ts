/**
 * Record where every VM runs from the mirror, and whether it is on: read once, before the first VM
 * goes down, and kept in the journal (a resume keeps it). `drbook plan` reads the same
 * (readFailbackPlacement), leaving hosts in lockdown alone.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { failbackGroupOf, type FailbackVm, type WayBackContext } from '../../failback/context.js';
import type { PlannedVm, WayBackPlanContext } from '../../failback/plan-context.js';
import type { StepModule } from '../step.js';
import { dedupe, mirrorVmidOf, plannedVms, siteTargets } from './common.js';

/** The VMs registered from the mirror on `hosts`, host by host, with their vmid and power. */
export async function readFailbackPlacement(ctx: Pick<WayBackContext, 'site' | 'esxi'>, hosts: readonly string[]): Promise<PlannedVm[]> {
  const vms: PlannedVm[] = [];
  for (const host of hosts) {
    const ops = ctx.esxi(host);
    const inv = await ops.listVms();
    for (const r of inv.vms.filter((x) => x.datastore === ctx.site.datastores.mirror.name)) {
      const power = (await ops.powerState(r.vmid)) === 'on' ? 'on' : 'off';
      const group = failbackGroupOf(ctx.site, r.name);
      vms.push({ id: `vm:${r.path}`, name: r.name, host, path: r.path, power, group, mirrorVmid: r.vmid });
    }
  }
  return vms;
}

export const fbPlacementStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'fb.placement',
  actions: {
    'fb.placement': {
      targets: siteTargets,
      check: (ctx: WayBackContext): CheckResult => (ctx.recordedPlacement() ? 'done' : 'todo'),
      async apply(ctx: WayBackContext, _t: Target, io: ActionIO) {
        const read = await readFailbackPlacement(
          ctx,
          ctx.site.endpoints.esxi.map((e) => e.name),
        );
        const vms: FailbackVm[] = read.map(({ mirrorVmid: _vmid, ...vm }) => vm);
        io.situation({ kind: 'failback-placement', observedAt: new Date().toISOString(), vms });
      },
      verify: (ctx: WayBackContext) => (ctx.recordedPlacement() ? (true as const) : 'no placement recorded'),
    },
  },
  plan(p, step) {
    const { m, onHost } = p;
    const commands = p.hosts.flatMap((h) => [
      onHost(h, esxi.getAllVms()),
      ...plannedVms(p)
        .filter((v) => v.host === h)
        .map((v) => onHost(h, esxi.powerGetState(mirrorVmidOf(v)))),
    ]);
    return [
      {
        id: step.id,
        title: m.secFbPlacement,
        text: [m.fbPlacementText],
        steps: [{ id: 'fb-placement:read', title: m.secFbPlacement, target: 'site', text: [], commands: dedupe(commands) }],
      },
    ];
  },
  catalogue: ['secFbPlacement', 'fbPlacementText'],
};
