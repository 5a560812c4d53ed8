/** Preflight: reads the relationship, the VSC snapshots, lockdown and stale VMs per host; stops when it is not safe to go on. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import { type FailoverContext, unknownPriorityNames } from '../../failover/context.js';
import { vmfsPath } from '../../failover/paths.js';
import { vscBackups } from '../../failover/vsc.js';
import type { PlanStep } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { formatTime, type FailoverPlanContext } from './plan-context.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { OperatorError, RefusedError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import { observeSituation } from '../../failover/preflight.js';
import { site } from './helpers.js';

const preflight = {
  targets: (ctx: FailoverContext) => [site(ctx)],
  // Always observed, on a resume too (the step is `recheck`): a resumed run acts on the site as it
  // is now, not as it was. The restore plan stays the one the run began with: the restore deletes
  // the newer snapshots it was computed from.
  check: (): CheckResult => 'todo',
  async apply(ctx: FailoverContext, _t: Target, io: ActionIO) {
    const m = failoverMessages(ctx.lang);
    const prior = ctx.facts.situation?.plan;
    const observed = await observeSituation(ctx);
    const situation = prior ? { ...observed, plan: prior } : observed;
    io.situation(situation);
    for (const p of situation.problems)
      io.note(p.blocking ? 'error' : 'warn', p.hint ? m.problemWithHint({ message: p.message, hint: p.hint }) : p.message);
    const blocking = situation.problems.find((p) => p.blocking);
    if (blocking) throw new RefusedError(m.notSafe({ message: blocking.message }), blocking.hint);
    await acknowledgeUnknownPriority(ctx, io);
    ctx.facts.situation = situation;
  },
  verify: (ctx: FailoverContext) => (ctx.facts.situation?.plan ? true : 'no snapshot chosen'),
};

/**
 * A priority-group name that is no captured VM: the operator goes on knowingly or stops to fix
 * the site file. A script says so with --ack-unknown-priority; without it, it stops.
 */
async function acknowledgeUnknownPriority(ctx: FailoverContext, io: ActionIO): Promise<void> {
  const unknown = unknownPriorityNames(ctx.site, ctx.capture);
  if (unknown.length === 0) return;
  const m = failoverMessages(ctx.lang);
  const lines = unknown.map((u) => (u.suggestion ? m.priorityUnknownClose({ ...u, suggestion: u.suggestion }) : m.priorityUnknown(u)));
  for (const l of lines) io.note('warn', l);
  const answer = await io.choose({
    key: 'priority-unknown',
    title: m.priorityUnknownTitle({ count: unknown.length }),
    lines: [...lines, m.priorityUnknownWhy],
    options: [
      { key: 'stop', label: m.priorityStop },
      { key: 'go-on', label: m.priorityGoOn },
    ],
    default: ctx.options.ackUnknownPriority ? 'go-on' : 'stop',
  });
  if (answer !== 'go-on') throw new OperatorError(m.priorityStopped, m.priorityUnknownFix({ file: ctx.site.file }));
}

export const preflightStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'preflight',
  actions: { preflight },
  plan(p) {
    const { m, site, capture, hosts, snap, onCluster, onHost, example, capturedHost } = p;
    const steps: PlanStep[] = [];
    steps.push({
      id: 'preflight:relationship',
      title: m.preRelationship,
      target: 'site',
      text: [],
      commands: [
        onCluster(ontap.relationships({ destination: site.relationship.destination }), {
          expect: m.preRelationshipExpect({ destination: site.relationship.destination }),
          ...example('snapmirrorShowFields'),
        }),
      ],
    });
    steps.push({
      id: 'preflight:source',
      title: m.preSource,
      target: 'site',
      text: [],
      commands: [
        onCluster(ontap.volumeState(p.src.vserver, p.src.volume), { expect: m.preSourceExpect({ source: site.relationship.source }) }),
      ],
    });
    const mirrorVol =
      capture.volumes.find((v) => v.path === site.relationship.destination) ?? capture.volumes.find((v) => v.role === 'mirror');
    const total = p.primaryVms.length;
    const snapLines = vscBackups(
      (mirrorVol?.snapshots ?? []).map((s) => ({ name: s.name, createTime: s.createTime ?? null })),
      site.jobs,
    ).map((b) =>
      m.preSnapshotRow({
        name: b.name,
        time: formatTime(b.createTime),
        quiesced: capture.audit.vms.filter((a) => a.points.some((pt) => pt.snapshot === b.name && pt.quiesced)).length,
        total,
      }),
    );
    steps.push({
      id: 'preflight:snapshots',
      title: m.preSnapshots,
      target: 'site',
      text: snapLines.length
        ? [m.preSnapshotsCaptured, ...snapLines.map((l) => `• ${l}`), m.preSnapshotChosen({ name: snap.name })]
        : [m.warnNoBackup({ mirror: site.relationship.destination })],
      commands: [
        onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), {
          expect: m.preSnapshotsExpect({ job: snap.job }),
          ...example('volumeSnapshotShow'),
        }),
      ],
    });
    for (const h of hosts) {
      const lock = capturedHost(h)?.lockdown;
      steps.push({
        id: `preflight:host:${h}`,
        title: m.preHost({ host: h }),
        host: h,
        target: 'site',
        text: [lock === true ? m.preHostLockdownOn : lock === false ? m.preHostLockdownOff : m.preHostLockdownUnknown],
        commands: [
          onHost(h, esxi.lockdownIsEnabled(), { expect: m.preLockdownExpect, ...example('lockdownIsEnabled') }),
          onHost(h, esxi.getAllVms(), { expect: m.preGetAllVmsExpect({ datastore: p.primaryDs }), ...example('getAllVms') }),
          onHost(h, esxi.processList(), { expect: m.preProcessListExpect({ datastore: p.primaryDs }), ...example('processList') }),
          onHost(h, esxi.filesystemList(), { expect: m.preFilesystemExpect }),
          onHost(h, esxi.nfsList(), { expect: m.preNfsExpect({ datastore: p.mirrorDs }), ...example('nfsList') }),
        ],
      });
    }
    const reader = hosts.find((h) => capturedHost(h)?.lockdown !== true) ?? hosts[0]!;
    steps.push({
      id: 'preflight:mirror-contents',
      title: m.preMirrorContents,
      host: reader,
      target: 'site',
      text: [m.preMirrorContentsText({ host: reader })],
      commands: [onHost(reader, esxi.listDir(vmfsPath(p.mirrorDs, '.snapshot', snap.name)), { expect: m.preMirrorContentsExpect })],
    });
    return [{ id: 'preflight', title: m.secPreflight, text: [m.preIntro], steps }];
  },
};
