/** Preflight: the failover's observation (relationship, VSC snapshots, every host), then that the clone's name is free. */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import type { DrillContext } from '../../drill/context.js';
import { preflightStep } from '../failover/preflight.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillHosts, type DrillSituation, SITE } from '../../drill/actions.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import { observeSituation } from '../../failover/preflight.js';

const preflight = {
  targets: () => [SITE],
  check: (ctx: DrillContext): CheckResult => (ctx.facts.situation?.plan ? 'done' : 'todo'),
  async apply(ctx: DrillContext, _t: Target, io: ActionIO) {
    const observed = await observeSituation(ctx);
    const hosts = drillHosts(ctx);
    const problems = observed.problems.filter(
      // A drill runs while production is up: the source being online is the normal case, and an
      // unreachable host that runs no drill VM does not matter.
      (p) => !/ is still online$/.test(p.message) && !/cannot be reached/.test(p.message) && !/are not in /.test(p.message),
    );
    for (const h of observed.hosts) {
      if (hosts.includes(h.name) && !h.reachable) {
        problems.push({
          blocking: true,
          message: `drill host ${h.name} cannot be reached: ${h.error ?? 'unknown error'}`,
          hint: 'pass --host with hosts that can be reached',
        });
      }
    }
    if (observed.relationship && observed.relationship.state !== 'Snapmirrored') {
      problems.push({
        blocking: false,
        message: `the relationship is ${observed.relationship.state ?? '?'}, not Snapmirrored`,
        hint: 'a failover may be under way; the drill still clones the mirror as it is',
      });
    }
    if (await ctx.ontap.volumeState(ctx.names.vserver, ctx.names.clone)) {
      problems.push({
        blocking: true,
        message: `a volume ${ctx.names.vserver}:${ctx.names.clone} already exists`,
        hint: `drbook drill cleanup ${ctx.drillRunId} removes it`,
      });
    }
    for (const id of ctx.leftBehind) {
      // Its drill VMs would hold the names this drill registers under: clean up first.
      problems.push({
        blocking: true,
        message: `drill ${id} may have left its clone, mounts or VMs behind`,
        hint: `run drbook drill cleanup ${id} first`,
      });
    }
    const perHost: Record<string, number> = {};
    for (const v of ctx.primaryVms) perHost[ctx.hostFor(v)] = (perHost[ctx.hostFor(v)] ?? 0) + 1;
    const situation: DrillSituation = {
      ...observed,
      kind: 'drill',
      // A clone deletes nothing: no newer snapshot is lost.
      plan: observed.plan ? { ...observed.plan, newer: [] } : null,
      hosts: observed.hosts.map((h) => ({ ...h, staleRegistered: null, staleRunning: null })),
      missingFromMirror: null,
      problems,
      drill: {
        runId: ctx.drillRunId,
        mode: 'drill',
        clone: ctx.names.clone,
        vserver: ctx.names.vserver,
        junction: ctx.names.junction,
        datastore: ctx.names.datastore,
        hosts: perHost,
        powerOn: ctx.drill.powerOn,
        keep: ctx.drill.keep,
      },
    };
    io.situation(situation);
    for (const p of problems) io.note(p.blocking ? 'error' : 'warn', p.hint ? `${p.message} — ${p.hint}` : p.message);
    const blocking = problems.find((p) => p.blocking);
    if (blocking) throw new DrbookError(`cannot drill: ${blocking.message}`, blocking.hint);
    ctx.facts.situation = situation;
  },
  verify: (ctx: DrillContext) => (ctx.facts.situation?.plan ? (true as const) : 'no snapshot chosen'),
};

export const drillPreflightStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'preflight',
  actions: { preflight },
  plan(p, step) {
    const { d, names } = p;
    // The same reads as the failover's preflight (observeSituation), said for a drill.
    const [observe] = preflightStep.plan!(p, step);
    return [
      {
        ...observe!,
        title: p.numbered(d.secPreflight),
        text: [d.preIntroDrill],
        steps: [
          ...observe!.steps,
          {
            id: 'preflight:clone',
            title: d.preCloneFree,
            target: 'site',
            text: [],
            commands: [
              p.onCluster(ontap.volumeState(names.vserver, names.clone), {
                expect: d.preCloneFreeExpect({ clone: `${names.vserver}:${names.clone}` }),
              }),
            ],
          },
        ],
      },
    ];
  },
};
