/** SnapRestore: typed confirmation, then the mirror back to the VSC snapshot; refused while anything runs from the mirror. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import { type FailoverContext, cloneOf, type MirrorUse } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { OperatorError } from '../../errors.js';
import { failoverMessages, type FailoverMessages } from '../../i18n/failover.js';
import { findOntapError } from '../../adapters/ontap/messages.js';
import { readHostPlacement } from '../../site/placement.js';
import { firstBoard } from '../../runbook/board.js';
import { ageOf } from '../../failover/situation-text.js';
import { plan } from './helpers.js';
import { answeredOk, sentChanges } from '../../engine/sent-changes.js';

function age(m: FailoverMessages, iso: string | null): string {
  const a = ageOf(iso, Date.now());
  if (!a) return m.ageUnknown;
  return a.unit === 'minutes' ? m.ageMinutesAgo(a) : a.unit === 'hours' ? m.ageHoursAgo(a) : m.ageDaysAgo(a);
}

/** The per-VM plan in a few sentences, for the confirmation that covers it. */
function planLines(
  m: FailoverMessages,
  vms: readonly { via: string; snapshot: string | null; lostNewer: string | null }[],
  cloneDatastore: (snapshot: string) => string,
): string[] {
  if (vms.length === 0) return [];
  const direct = vms.filter((v) => v.via === 'volume').length;
  const lines = [m.planDirect({ direct, total: vms.length })];
  const viaFiles = new Map<string, number>();
  const viaClone = new Map<string, number>();
  for (const v of vms) if (v.via === 'restore-file' && v.snapshot) viaFiles.set(v.snapshot, (viaFiles.get(v.snapshot) ?? 0) + 1);
  for (const v of vms) if (v.via === 'flexclone' && v.snapshot) viaClone.set(v.snapshot, (viaClone.get(v.snapshot) ?? 0) + 1);
  for (const [snapshot, count] of viaFiles) lines.push(m.planViaFiles({ count, snapshot }));
  for (const [snapshot, count] of viaClone) lines.push(m.planViaClone({ count, snapshot, datastore: cloneDatastore(snapshot) }));
  const none = vms.filter((v) => v.via === 'none').length;
  if (none) lines.push(m.planNone({ count: none }));
  const lost = vms.filter((v) => v.lostNewer).length;
  if (lost) lines.push(m.planLost({ count: lost }));
  return lines;
}

/**
 * Whether this run's SnapRestore of the mirror was answered without an ONTAP error (in this
 * attempt or an earlier one). An unanswered one is in doubt: the device decides (see check).
 */
function restoredBefore(ctx: FailoverContext): boolean {
  return sentChanges(ctx.events(), 'restore').some(
    (c) => answeredOk(c) && findOntapError(`${c.finished!.stdoutTail}\n${c.finished!.stderrTail}`) === null,
  );
}

/** The relationship as this run first found it: broken off before it began, VMs may run from the mirror. */
function brokenBeforeRun(ctx: FailoverContext): boolean {
  return (firstBoard(ctx.events(), 'failover', 'drill') ?? ctx.facts.situation)?.relationship?.state === 'Broken-off';
}

/**
 * The guard of the SnapRestore (design §4b): read every host right before it is sent, and refuse
 * while any VM is registered or running from the mirror's datastore; refuse too when a host that
 * lockdown hides could run VMs from it (the mirror was already broken off, i.e. writable, before
 * this run). A host that does not answer runs nothing.
 */
async function guardMirrorUnused(ctx: FailoverContext): Promise<MirrorUse> {
  const ds = { primary: ctx.primary.datastore, mirror: ctx.mirror.datastore };
  const hosts = await Promise.all(ctx.site.endpoints.esxi.map((ep) => readHostPlacement(ep.name, ctx.esxi(ep.name), ds)));
  const use: MirrorUse = {
    vms: hosts.flatMap((h) => (h.onMirror ?? []).map((v) => ({ host: h.name, name: v.name, running: v.running }))),
    hidden: hosts.filter((h) => h.reachable && h.onMirror === null).map((h) => h.name),
    observedAt: new Date().toISOString(),
  };
  const m = failoverMessages(ctx.lang);
  if (use.vms.length > 0) {
    const running = use.vms.filter((v) => v.running).length;
    throw new OperatorError(
      m.errRestoreInUse({
        destination: ctx.mirror.path,
        datastore: ctx.mirror.datastore,
        count: use.vms.length,
        running,
        names: `${use.vms
          .slice(0, 5)
          .map((v) => `${v.name} (${v.host})`)
          .join(', ')}${use.vms.length > 5 ? ', …' : ''}`,
      }),
      m.errRestoreInUseHint({ file: ctx.site.file }),
    );
  }
  if (use.hidden.length > 0 && brokenBeforeRun(ctx)) {
    throw new OperatorError(
      m.errRestoreHidden({ destination: ctx.mirror.path, datastore: ctx.mirror.datastore, hosts: use.hidden.join(', ') }),
      m.errRestoreHiddenHint,
    );
  }
  return use;
}

const snaprestore = {
  targets: (ctx: FailoverContext): Target[] => [
    {
      id: `restore:${ctx.mirror.path}`,
      label: failoverMessages(ctx.lang).restoreLabel({ destination: ctx.mirror.path, snapshot: plan(ctx).snapshot }),
    },
  ],
  confirmation(ctx: FailoverContext) {
    const p = plan(ctx);
    const m = failoverMessages(ctx.lang);
    const destination = ctx.mirror.path;
    const when = age(m, p.createTime);
    return {
      title: m.restoreTitle({ destination, snapshot: p.snapshot }),
      lines: [
        p.createTime
          ? m.restoreSnapshot({ snapshot: p.snapshot, job: p.job, time: p.createTime, age: when })
          : m.restoreSnapshotNoTime({ snapshot: p.snapshot, job: p.job, age: when }),
        p.newer.length ? m.restoreNewerDeleted({ names: p.newer.join(', ') }) : m.restoreNoNewer,
        m.restoreLost({ destination }),
        ctx.facts.mirrorUse?.hidden.length
          ? m.restoreUseHidden({ datastore: ctx.mirror.datastore, hosts: ctx.facts.mirrorUse.hidden.join(', ') })
          : m.restoreUseNone({ datastore: ctx.mirror.datastore }),
        ...planLines(m, p.vms ?? [], (snapshot) => cloneOf(ctx, snapshot).datastore),
        m.restoreResync,
        m.restoreType({ destination }),
      ],
      expect: ctx.mirror.path,
    };
  },
  async check(ctx: FailoverContext): Promise<CheckResult> {
    // Never repeat a restore that happened: it would throw away what later steps wrote. This
    // run's own restore answered without an ONTAP error says so; so do the newer snapshots gone
    // (a restore deletes them) when the answer was lost with a crash.
    const p = plan(ctx);
    if (restoredBefore(ctx)) return 'done';
    // What runs from the mirror, for the confirmation; refused here already when anything does.
    // Read beside the snapshots (one round trip, not two); a restore already done decides first.
    const use = guardMirrorUnused(ctx);
    use.catch(() => {}); // not awaited when the restore is done
    if (p.newer.length > 0) {
      const names = new Set((await ctx.ontap.snapshots(ctx.mirror.vserver, ctx.mirror.volume)).map((s) => s.name));
      if (!p.newer.some((n) => names.has(n))) return 'done';
    }
    ctx.facts.mirrorUse = await use;
    return 'todo';
  },
  async apply(ctx: FailoverContext) {
    // Read again right before sending: the operator may have sat at the confirmation for a while.
    ctx.facts.mirrorUse = await guardMirrorUnused(ctx);
    await ctx.ontap.restoreVolume(ctx.mirror.vserver, ctx.mirror.volume, plan(ctx).snapshot);
  },
  async verify(ctx: FailoverContext) {
    const p = plan(ctx);
    const names = new Set((await ctx.ontap.snapshots(ctx.mirror.vserver, ctx.mirror.volume)).map((s) => s.name));
    if (!names.has(p.snapshot)) return `${p.snapshot} is no longer on ${ctx.mirror.path}`;
    const left = p.newer.filter((n) => names.has(n));
    return left.length ? `newer snapshots are still there: ${left.join(', ')}` : true;
  },
};

export const snaprestoreStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'snaprestore',
  actions: { snaprestore },
  plan(p, step) {
    const { m, snap, onCluster } = p;
    const dest = p.site.relationship.destination;
    const target = `restore:${dest}`;
    return [
      {
        id: step.id,
        title: m.secRestore,
        text: [
          m.restoreIntro({ snapshot: snap.name, destination: dest }),
          snap.newer.length ? m.restoreNewer({ names: snap.newer.join(', ') }) : m.restoreNewerNone,
          m.restoreResync,
        ],
        steps: [
          ...p.hosts.map((h) => ({
            id: `snaprestore:guard:${h}`,
            title: m.restoreGuardStep({ host: h }),
            host: h,
            target,
            text: [m.restoreGuardText],
            commands: [
              p.onHost(h, esxi.lockdownIsEnabled()),
              p.onHost(h, esxi.nfsList()),
              p.onHost(h, esxi.getAllVms()),
              p.onHost(h, esxi.processList()),
              p.onHost(h, esxi.filesystemList()),
            ],
          })),
          { id: 'snaprestore:confirm', title: m.labelConfirm, text: [], commands: [], confirm: { text: m.restoreConfirm, type: dest } },
          {
            id: 'snaprestore:restore',
            title: m.restoreStep,
            target,
            text: [],
            commands: [
              onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { text: m.restoreCheck }),
              onCluster(ontap.restoreVolume(p.dst.vserver, p.dst.volume, snap.name), { expect: m.restoreExpect }),
            ],
          },
          {
            id: 'snaprestore:verify',
            title: m.restoreVerifyStep,
            target,
            text: [],
            commands: [onCluster(ontap.snapshots(p.dst.vserver, p.dst.volume), { expect: m.restoreVerifyExpect({ snapshot: snap.name }) })],
          },
        ],
      },
    ];
  },
};
