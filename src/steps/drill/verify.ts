/** Verify: production exactly as before the drill (relationship state and health, the snapshot, every host's production VMs and power states). */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import type { StepModule } from '../step.js';
import { PRODUCTION_VMID, type DrillPlanContext } from './plan-context.js';
import { baselineOf } from '../../drill/actions.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { describeError, DrbookError } from '../../errors.js';
import type { ProductionRow } from '../../drill/context.js';
import { summarizeDrill } from '../../drill/report.js';
import { formatDuration } from '../../reporters/format.js';

const verifyProduction = {
  targets: (ctx: DrillContext): Target[] => (ctx.facts.situation ? [{ id: 'production', label: 'production untouched' }] : []),
  check: (): CheckResult => 'todo',
  async apply(ctx: DrillContext, _t: Target, io: ActionIO) {
    const problems: string[] = [];
    const before = ctx.facts.situation!;
    const rel = (await ctx.ontap.relationships({ destination: ctx.mirror.path })).find((r) => r.destination === ctx.mirror.path);
    const was = before.relationship;
    // State and health, not status: a scheduled transfer (Idle → Transferring) during a drill is
    // SnapMirror working, not something the drill did.
    if (was && (!rel || rel.state !== was.state || rel.healthy !== was.healthy)) {
      problems.push(
        `relationship ${ctx.mirror.path}: was ${was.state} (healthy ${was.healthy}), now ${rel ? `${rel.state} (healthy ${rel.healthy})` : 'gone'}`,
      );
    }
    const snaps = new Set((await ctx.ontap.snapshots(ctx.mirror.vserver, ctx.mirror.volume)).map((s) => s.name));
    const p = before.plan;
    if (p && !snaps.has(p.snapshot)) problems.push(`the mirror no longer has ${p.snapshot}`);
    // Every host at once; problems keep the hosts' order.
    const hostProblems = async (host: string, rows: ProductionRow[]): Promise<string[]> => {
      let now: ProductionRow[];
      try {
        now = await baselineOf(ctx, host);
      } catch (err) {
        return [`${host}: cannot read its VMs: ${describeError(err)}`];
      }
      const found: string[] = [];
      for (const r of rows) {
        const n = now.find((x) => x.vmid === r.vmid);
        if (!n) found.push(`${host}: production VM ${r.name} (vmid ${r.vmid}) is no longer registered`);
        else if (n.name !== r.name || n.path !== r.path || n.power !== r.power)
          found.push(`${host}: production VM ${r.name} changed (${n.name}, ${n.path}, ${n.power})`);
      }
      for (const n of now)
        if (!rows.some((r) => r.vmid === n.vmid)) found.push(`${host}: a new registration ${n.name} on ${ctx.primary.datastore}`);
      return found;
    };
    for (const found of await Promise.all([...ctx.drillFacts.baseline].map(([host, rows]) => hostProblems(host, rows))))
      problems.push(...found);
    for (const x of problems) io.note('error', x);
    if (problems.length)
      throw new DrbookError(`production differs after the drill: ${problems[0]}${problems.length > 1 ? ', …' : ''}`, 'see the report');
    if (ctx.mode === 'drill') {
      const d = summarizeDrill(ctx.events());
      io.note(
        'info',
        `drill: ${d.counts.heartbeat}/${d.counts.total} VM(s) up with a heartbeat (${d.counts.quiesced} quiesced, ${d.counts.crashConsistent} crash-consistent, ${d.counts.failed} failed); recovery time ${d.recoveryMs === null ? '—' : formatDuration(d.recoveryMs)} from the first register to the last ${d.powerOn ? 'heartbeat' : 'VM ready'}`,
      );
    }
    io.note(
      'info',
      `production untouched: relationship ${was?.state ?? '?'}/${was?.status ?? '?'}, ${p?.snapshot ?? '?'} on the mirror, ${[...ctx.drillFacts.baseline.values()].reduce((a, r) => a + r.length, 0)} production VM(s) as they were`,
    );
  },
  verify: () => true as const,
};

export const verifyProductionStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'verify-production',
  actions: { 'verify-production': verifyProduction },
  plan(p, step) {
    const { d, onCluster, onHost } = p;
    return [
      {
        id: step.id,
        title: p.numbered(d.secVerify),
        text: [d.verifyIntro],
        steps: [
          {
            id: 'verify:production',
            title: d.verifyStep,
            target: 'production',
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: p.site.relationship.destination }), { expect: d.verifyRelationshipExpect }),
              onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { expect: d.verifySnapshotsExpect({ snapshot: p.snap.name }) }),
              // The hosts whose production was recorded at the mount.
              ...p.drillHosts.flatMap((h) => [
                onHost(h, esxi.getAllVms(), { expect: d.verifyHostExpect }),
                onHost(h, esxi.powerGetState(PRODUCTION_VMID)),
              ]),
            ],
          },
        ],
      },
    ];
  },
};
