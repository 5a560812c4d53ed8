/**
 * The named helpers of runbooks/vsc-snapmirror-failover.yaml. Each stage observes (check), acts
 * (apply) and observes again (verify), so that a resumed run re-checks reality before it repeats
 * anything: a VM already registered is not registered again, a broken mirror is not broken again.
 */
import { isMovedOrCopiedQuestion, movedChoiceKey, type PendingQuestion } from '../adapters/esxi/parsers.js';
import type { SnapshotNode } from '../adapters/esxi/snapshot-tree.js';
import type { KillType } from '../transport/intent.js';
import { hostsSentLockdownExit } from '../site/lockdown.js';
import type { ActionIO, ActionRegistry, CheckResult, StepInfo, Target, TargetsIO } from '../engine/runner.js';
import { DrbookError, OperatorError, RefusedError, RemoteCommandError, describeError } from '../errors.js';
import { failoverMessages, type FailoverMessages } from '../i18n/failover.js';
import type { CapturedVm } from '../inventory/types.js';
import { calloutEnvironment } from '../transport/local/callout-env.js';
import { RESTORE_PATH_PUNCTUATION, restoreFilePathProblem } from '../adapters/ontap/ops.js';
import { runLocal } from '../transport/local/run-local.js';
import { secretVariables } from '../transport/redact.js';
import { cloneOf, groupIndexOf, recoverTargetId, unknownPriorityNames, type FailoverContext } from './context.js';
import { findStale, normaliseUuid, observeSituation } from './preflight.js';
import { findOntapError } from '../adapters/ontap/messages.js';
import { readHostPlacement } from '../site/placement.js';
import { firstBoard } from '../runbook/board.js';
import type { MirrorUse } from './context.js';
import { vmfsPath } from './paths.js';
import { waitFor } from './wait.js';
import { placeStep } from './place-step.js';
import { revertInDoubt } from './revert-in-doubt.js';
import { registersThroughVcenter, registerThroughVcenter } from './register-vcenter.js';
import { ageOf } from './situation-text.js';
import { quiescePointFor } from './vsc.js';

/** The one target of the site-wide steps; its label is shown, so it is said in the run's language. */
const site = (ctx: FailoverContext): Target => ({ id: 'site', label: failoverMessages(ctx.lang).siteTarget });

function plan(ctx: FailoverContext) {
  const p = ctx.facts.situation?.plan;
  if (!p) throw new DrbookError(failoverMessages(ctx.lang).errNoPlan, failoverMessages(ctx.lang).errNoPlanHint);
  return p;
}

function age(m: FailoverMessages, iso: string | null): string {
  const a = ageOf(iso, Date.now());
  if (!a) return m.ageUnknown;
  return a.unit === 'minutes' ? m.ageMinutesAgo(a) : a.unit === 'hours' ? m.ageHoursAgo(a) : m.ageDaysAgo(a);
}

// ---- site steps --------------------------------------------------------------------------------

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

function calloutAction(at: 'before-break' | 'end') {
  return {
    targets: (ctx: FailoverContext): Target[] =>
      ctx.site.callouts.filter((c) => c.at === at).map((c) => ({ id: `callout:${c.name}`, label: c.name })),
    check: (): CheckResult => 'todo',
    async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
      const c = ctx.site.callouts.find((x) => `callout:${x.name}` === t.id)!;
      const runId = ctx.events().find((e) => e.type === 'run.started')?.runId;
      const r = await runLocal(c.run, {
        timeoutMs: c.timeoutSeconds * 1000,
        env: calloutEnvironment({
          from: ctx.env,
          allow: c.env,
          secrets: secretVariables([...ctx.site.endpoints.esxi, ctx.site.endpoints.ontap]),
          facts: { SITE: ctx.site.site, SITE_FILE: ctx.site.file, POINT: at, CALLOUT: c.name, RUN_ID: runId },
        }),
      });
      const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
      const m = failoverMessages(ctx.lang);
      const code = String(r.exitCode ?? r.signal ?? '?');
      io.note(
        r.exitCode === 0 ? 'info' : 'warn',
        said ? m.calloutNoteSaid({ name: c.name, code, said }) : m.calloutNote({ name: c.name, code }),
      );
      if (r.exitCode !== 0 && !c.continueOnFailure) {
        throw new DrbookError(
          r.timedOut ? m.errCalloutTimedOut({ name: c.name, code }) : m.errCallout({ name: c.name, code }),
          m.errCalloutHint,
        );
      }
    },
    verify: () => true as const,
  };
}

const breakMirror = {
  targets: (ctx: FailoverContext): Target[] => [{ id: `break:${ctx.mirror.path}`, label: `snapmirror break ${ctx.mirror.path}` }],
  confirmation(ctx: FailoverContext) {
    const r = ctx.facts.situation?.relationship;
    const m = failoverMessages(ctx.lang);
    const destination = ctx.mirror.path;
    return {
      title: m.breakTitle({ destination }),
      lines: [
        m.breakState({ source: r?.source ?? ctx.primary.path, destination, state: r?.state ?? '?', lag: r?.lagTime ?? '?' }),
        m.breakWritable,
        m.breakType({ destination }),
      ],
      expect: ctx.mirror.path,
    };
  },
  async check(ctx: FailoverContext): Promise<CheckResult> {
    const rel = await relationship(ctx);
    return rel.state === 'Broken-off' ? { skip: failoverMessages(ctx.lang).skipAlreadyBroken } : 'todo';
  },
  async apply(ctx: FailoverContext, _t: Target, io: ActionIO) {
    const rel = await relationship(ctx);
    if (rel.status !== 'Quiesced' && rel.state !== 'Broken-off') {
      await ctx.ontap.quiesce(ctx.mirror.path);
      const quiet = await waitFor(
        async () => (await relationship(ctx)).status === 'Quiesced',
        ctx.options.killVerifyMs * 4,
        ctx.options.pollMs,
        io.signal,
      );
      if (!quiet)
        throw new DrbookError(
          failoverMessages(ctx.lang).errNotQuiesced({ destination: ctx.mirror.path }),
          failoverMessages(ctx.lang).errNotQuiescedHint,
        );
    }
    await ctx.ontap.break(ctx.mirror.path);
  },
  async verify(ctx: FailoverContext) {
    const rel = await relationship(ctx);
    if (rel.state === 'Broken-off') return true as const;
    return rel.state ? failoverMessages(ctx.lang).checkNotBroken({ state: rel.state }) : failoverMessages(ctx.lang).checkNotBrokenUnknown;
  },
};

async function relationship(ctx: FailoverContext) {
  const rels = await ctx.ontap.relationships({ destination: ctx.mirror.path });
  const rel = rels.find((r) => r.destination === ctx.mirror.path);
  if (!rel) throw new DrbookError(failoverMessages(ctx.lang).errRelationshipGone({ destination: ctx.mirror.path }));
  return rel;
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
  const started = new Set<string>();
  for (const e of ctx.events()) {
    if (e.type === 'command.started' && e.intent?.op === 'restore') started.add(e.id);
    else if (
      e.type === 'command.finished' &&
      started.has(e.id) &&
      e.exitCode === 0 &&
      !e.error &&
      findOntapError(`${e.stdoutTail}\n${e.stderrTail}`) === null
    )
      return true;
  }
  return false;
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
    if (p.newer.length > 0) {
      const names = new Set((await ctx.ontap.snapshots(ctx.mirror.vserver, ctx.mirror.volume)).map((s) => s.name));
      if (!p.newer.some((n) => names.has(n))) return 'done';
    }
    // What runs from the mirror, for the confirmation; refused here already when anything does.
    ctx.facts.mirrorUse = await guardMirrorUnused(ctx);
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

// ---- host steps --------------------------------------------------------------------------------

const hostTargets = (ctx: FailoverContext): Target[] =>
  ctx.site.endpoints.esxi.map((e) => ({ id: `host:${e.name}`, label: e.name, host: e.name }));

const lockdownExit = {
  targets: hostTargets,
  check: async (ctx: FailoverContext, t: Target): Promise<CheckResult> => ((await ctx.esxi(t.host!).lockdownEnabled()) ? 'todo' : 'done'),
  apply: (ctx: FailoverContext, t: Target) => ctx.esxi(t.host!).exitLockdown(),
  verify: async (ctx: FailoverContext, t: Target) =>
    (await ctx.esxi(t.host!).lockdownEnabled()) ? failoverMessages(ctx.lang).checkLockdownOn : (true as const),
};

/** Hosts this run (or an earlier attempt of it) sent a lockdown exit to: the re-entry's targets. */
export function hostsOutOfLockdown(ctx: FailoverContext): string[] {
  return hostsSentLockdownExit(ctx.events());
}

const lockdownEnter = {
  targets: (ctx: FailoverContext): Target[] => hostsOutOfLockdown(ctx).map((h) => ({ id: `host:${h}`, label: h, host: h })),
  check: async (ctx: FailoverContext, t: Target): Promise<CheckResult> => ((await ctx.esxi(t.host!).lockdownEnabled()) ? 'done' : 'todo'),
  apply: (ctx: FailoverContext, t: Target) => ctx.esxi(t.host!).enterLockdown(),
  verify: async (ctx: FailoverContext, t: Target) =>
    (await ctx.esxi(t.host!).lockdownEnabled()) ? (true as const) : failoverMessages(ctx.lang).checkLockdownOff,
};

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

// ---- FlexClones of other jobs' snapshots (--other-jobs flexclone) ------------------------------

/** The snapshots whose FlexClone some VM runs from. */
function cloneSnapshots(ctx: FailoverContext): string[] {
  const vms = ctx.facts.situation?.plan?.vms ?? [];
  return [...new Set(vms.filter((v) => v.via === 'flexclone' && v.snapshot).map((v) => v.snapshot!))];
}

const clones = {
  targets: (ctx: FailoverContext): Target[] =>
    cloneSnapshots(ctx).map((snap) => ({
      id: `clone:${snap}`,
      label: failoverMessages(ctx.lang).cloneLabel({ clone: cloneOf(ctx, snap).volume, snapshot: snap }),
    })),
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const state = await ctx.ontap.volumeState(ctx.mirror.vserver, cloneOf(ctx, t.id.slice('clone:'.length)).volume);
    return state?.state === 'online' ? 'done' : 'todo';
  },
  async apply(ctx: FailoverContext, t: Target) {
    const snap = t.id.slice('clone:'.length);
    const c = cloneOf(ctx, snap);
    await ctx.ontap.cloneCreate(ctx.mirror.vserver, c.volume, ctx.mirror.volume, snap, c.junction);
  },
  async verify(ctx: FailoverContext, t: Target) {
    const c = cloneOf(ctx, t.id.slice('clone:'.length));
    const state = await ctx.ontap.volumeState(ctx.mirror.vserver, c.volume);
    if (state?.state === 'online') return true as const;
    return state?.state
      ? failoverMessages(ctx.lang).checkCloneState({ volume: c.volume, state: state.state })
      : failoverMessages(ctx.lang).checkCloneMissing({ volume: c.volume });
  },
};

// ---- fence: stale VMs of the dead datastore -------------------------------------------------------

const fence = {
  async targets(ctx: FailoverContext, _step: StepInfo, io: TargetsIO): Promise<Target[]> {
    ctx.facts.stale.clear();
    const out: Target[] = [];
    for (const ep of ctx.site.endpoints.esxi) {
      let stale;
      try {
        stale = await findStale(ctx, ep.name);
      } catch (err) {
        // Not a warning to walk past: the host's stale VMs are unknown. A target that fails keeps
        // the step (and the run) unfinished, so `drbook resume` lists the host again once it is back.
        const text = failoverMessages(ctx.lang).cannotListVms({ host: ep.name, error: describeError(err) });
        io.note('error', text);
        const id = `stale:${ep.name}:unlisted`;
        ctx.facts.unlisted.set(id, text);
        out.push({ id, label: ep.name, host: ep.name });
        continue;
      }
      for (const s of stale) {
        const id = s.vmid >= 0 ? `stale:${ep.name}:${s.vmid}` : `stale:${ep.name}:world${s.worldId}`;
        ctx.facts.stale.set(id, s);
        out.push({ id, label: s.name, host: ep.name });
      }
    }
    return out;
  },
};

/**
 * The hardest kill this run already sent to a world (soft 0, hard 1, force 2; -1: none), and
 * whether the host answered it: a kill journaled as started but never finished (drbook died with
 * it in flight) may never have reached the host; one the host refused is not counted at all.
 */
const KILL_ORDER: readonly KillType[] = ['soft', 'hard', 'force'];

function hardestKillSent(ctx: FailoverContext, host: string, worldId: number): { index: number; answered: boolean } {
  const started = new Map<string, number>();
  const answered = new Set<string>();
  for (const e of ctx.events()) {
    if (e.type === 'command.started' && e.host === host) {
      const intent = e.intent;
      if (intent?.op === 'kill' && intent.worldId === worldId) started.set(e.id, KILL_ORDER.indexOf(intent.type));
    } else if (e.type === 'command.finished' && started.has(e.id)) {
      // A kill the host refused (an error) did not happen: it does not count as sent.
      if (e.exitCode === 0 && !e.error) answered.add(e.id);
      else started.delete(e.id);
    }
  }
  let index = -1;
  let wasAnswered = false;
  for (const [id, i] of started) {
    if (i > index) [index, wasAnswered] = [i, answered.has(id)];
    else if (i === index) wasAnswered ||= answered.has(id);
  }
  return { index, answered: wasAnswered };
}

async function worldAlive(ctx: FailoverContext, host: string, worldId: number): Promise<boolean> {
  return (await ctx.esxi(host).processList()).some((p) => p.worldId === worldId);
}

/**
 * The datastore a world runs from, read right before a kill: the lost primary (or a path no
 * mounted datastore claims), another mounted datastore by name, or null when the world is gone.
 */
async function worldDatastore(ctx: FailoverContext, host: string, worldId: number): Promise<string | null> {
  const ops = ctx.esxi(host);
  // The world list is read for this guard: a shared read may predate the fence's own listing.
  const [processes, filesystems] = await Promise.all([ops.processList({ fresh: true }), ops.filesystemList()]);
  const p = processes.find((x) => x.worldId === worldId);
  if (!p) return null;
  const m = /^\/vmfs\/volumes\/([^/]+)\//.exec(p.configFile);
  const fs = m ? filesystems.find((f) => f.uuid === m[1] || f.volumeName === m[1]) : undefined;
  return fs && fs.mounted && fs.volumeName && fs.volumeName !== ctx.primary.datastore ? fs.volumeName : ctx.primary.datastore;
}

const kill = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const unlisted = ctx.facts.unlisted.get(t.id);
    if (unlisted !== undefined) throw new DrbookError(unlisted, failoverMessages(ctx.lang).resumeWhenHostBack);
    const s = ctx.facts.stale.get(t.id);
    if (!s || s.worldId === undefined) return { skip: failoverMessages(ctx.lang).skipNotRunning };
    return (await worldAlive(ctx, t.host!, s.worldId)) ? 'todo' : 'done';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const s = ctx.facts.stale.get(t.id)!;
    const types = ['soft', 'hard', 'force'] as const;
    // A crashed or retried attempt may have sent kills already: never send a weaker or the same
    // type again; give the last one sent its time, then escalate. Only an unanswered force is
    // sent again: it may never have arrived, and there is nothing harder.
    const sent = hardestKillSent(ctx, t.host!, s.worldId!);
    for (const [i, type] of types.entries()) {
      if (i < sent.index) continue;
      io.progress(i + 1, types.length, `kill --type=${type}`);
      if (i > sent.index || (i === types.length - 1 && !sent.answered)) {
        // Right before sending: the world must still be one of the lost datastore's.
        const from = await worldDatastore(ctx, t.host!, s.worldId!);
        if (from === null) {
          io.note('info', failoverMessages(ctx.lang).killWorldGone({ worldId: String(s.worldId), vm: s.name, type }));
          return;
        }
        if (from !== ctx.primary.datastore) {
          throw new OperatorError(
            failoverMessages(ctx.lang).errKillElsewhere({ worldId: String(s.worldId), vm: s.name, datastore: from }),
            failoverMessages(ctx.lang).errKillElsewhereHint,
          );
        }
        try {
          await ctx.esxi(t.host!).kill(s.worldId!, type);
        } catch (err) {
          // The process may have gone between the check and the kill: the observation decides.
          if (!(err instanceof RemoteCommandError)) throw err;
          io.note('warn', failoverMessages(ctx.lang).killRefused({ type, message: err.deviceMessage }));
        }
      }
      const gone = await waitFor(
        async () => !(await worldAlive(ctx, t.host!, s.worldId!)),
        ctx.options.killVerifyMs,
        ctx.options.pollMs,
        io.signal,
      );
      if (gone) return;
      if (i < types.length - 1) {
        const seconds = Math.round(ctx.options.killVerifyMs / 1000);
        io.note('warn', failoverMessages(ctx.lang).killEscalating({ worldId: String(s.worldId), seconds, type, next: types[i + 1]! }));
      }
    }
    throw new DrbookError(
      failoverMessages(ctx.lang).errStillRunning({ worldId: String(s.worldId), vm: s.name }),
      failoverMessages(ctx.lang).errStillRunningHint,
    );
  },
  async verify(ctx: FailoverContext, t: Target) {
    const s = ctx.facts.stale.get(t.id)!;
    return (await worldAlive(ctx, t.host!, s.worldId!))
      ? failoverMessages(ctx.lang).checkWorldRunning({ worldId: String(s.worldId) })
      : (true as const);
  },
};

async function registered(ctx: FailoverContext, host: string, vmid: number): Promise<boolean> {
  const inv = await ctx.esxi(host).listVms();
  return inv.vms.some((v) => v.vmid === vmid) || inv.skipped.includes(vmid);
}

const unregister = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const s = ctx.facts.stale.get(t.id);
    if (!s || s.vmid < 0) return { skip: failoverMessages(ctx.lang).skipNotRegistered };
    return (await registered(ctx, t.host!, s.vmid)) ? 'todo' : 'done';
  },
  apply: (ctx: FailoverContext, t: Target) => ctx.esxi(t.host!).unregister(ctx.facts.stale.get(t.id)!.vmid),
  async verify(ctx: FailoverContext, t: Target) {
    return (await registered(ctx, t.host!, ctx.facts.stale.get(t.id)!.vmid))
      ? failoverMessages(ctx.lang).checkStillRegistered
      : (true as const);
  },
};

// ---- recover: vCenter and every VM of the capture ------------------------------------------------

function vmOf(ctx: FailoverContext, t: Target): CapturedVm {
  const vm = ctx.primaryVms.find((v) => recoverTargetId(v) === t.id);
  if (!vm) throw new DrbookError(`target ${t.id} is not in capture ${ctx.capture.id}`);
  return vm;
}

/** The datastore a VM is registered from: the mirror, or the FlexClone of its own job's snapshot. */
export function datastoreOf(ctx: FailoverContext, vm: CapturedVm): string {
  const point = ctx.facts.situation?.plan?.vms?.find((v) => v.targetId === recoverTargetId(vm));
  return point?.via === 'flexclone' && point.snapshot ? cloneOf(ctx, point.snapshot).datastore : ctx.mirror.datastore;
}

function mirrorVmx(ctx: FailoverContext, vm: CapturedVm): string {
  return vmfsPath(datastoreOf(ctx, vm), vm.vmxDir, vm.vmxFile);
}

/** The VM's registration from the mirror (or its FlexClone) on its host, if there is one. */
async function mirrorRegistration(ctx: FailoverContext, t: Target, vm: CapturedVm) {
  const inv = await ctx.esxi(t.host!).listVms();
  return inv.vms.find((r) => r.datastore === datastoreOf(ctx, vm) && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
}

async function vmidOf(ctx: FailoverContext, t: Target): Promise<number> {
  const known = ctx.facts.vmids.get(t.id);
  if (known !== undefined) return known;
  const row = await mirrorRegistration(ctx, t, vmOf(ctx, t));
  if (!row) throw new DrbookError(failoverMessages(ctx.lang).errNotRegistered({ vm: t.label, host: t.host! }));
  ctx.facts.vmids.set(t.id, row.vmid);
  return row.vmid;
}

/** The hosts that answer now (not at the preflight: a resume must see a host that came back). */
async function reachableHosts(ctx: FailoverContext): Promise<Set<string>> {
  const names = ctx.site.endpoints.esxi.map((e) => e.name);
  const up = await Promise.all(
    names.map((h) =>
      ctx
        .esxi(h)
        .lockdownEnabled()
        .then(
          () => true,
          () => false,
        ),
    ),
  );
  return new Set(names.filter((_, i) => up[i]));
}

async function vmTargets(ctx: FailoverContext, io: TargetsIO, vms: CapturedVm[]): Promise<Target[]> {
  if (vms.length === 0) return [];
  const reachable = await reachableHosts(ctx);
  const out: Target[] = [];
  for (const vm of vms) {
    const id = recoverTargetId(vm);
    let host = ctx.facts.hostOverride.get(id) ?? vm.host;
    if (!reachable.has(host) && reachable.size > 0) {
      const m = failoverMessages(ctx.lang);
      const answer = await io.choose({
        key: `host.${id}`,
        targetId: id,
        title: m.hostDownTitle({ vm: vm.name, host: vm.host }),
        lines: [m.hostDownLine({ vm: vm.name })],
        options: [...[...reachable].map((h) => ({ key: h, label: m.registerOn({ host: h }) })), { key: 'skip', label: m.skipThisVm }],
        default: 'skip',
        flag: { name: '--unreachable-host', value: ctx.options.unreachableHost, values: ['skip', 'stop'] },
      });
      if (answer === 'skip') {
        // Kept on its recorded host: it fails there by name, and a resume once the host is back
        // brings it up (a VM left out of the targets would be forgotten by the resume).
        const text = m.vmSkippedHostDown({ vm: vm.name, host: vm.host });
        io.note('error', text, id);
      } else {
        host = answer;
        ctx.facts.hostOverride.set(id, host);
      }
    }
    out.push({ id, label: vm.name, host, group: groupIndexOf(ctx.site, vm) });
  }
  return out;
}

/** The VM's planned quiesce point (multi-job plan); falls back to the volume's snapshot. */
function pointOf(ctx: FailoverContext, t: Target): { snapshot: string; createTime: string | null; via: string } | null {
  const p = plan(ctx);
  const vm = p.vms?.find((v) => v.targetId === t.id);
  if (!vm) return { snapshot: p.snapshot, createTime: p.createTime, via: 'volume' };
  return vm.snapshot ? { snapshot: vm.snapshot, createTime: vm.createTime, via: vm.via } : null;
}

/**
 * Several VSC jobs: the volume holds one job's quiesce points; a VM of another job gets its whole
 * folder (.vmx, disks, .vmsd, .vmsn, delta disks) back from its own job's snapshot with
 * `volume snapshot restore-file`, before it is registered. Each file is one journaled command, and
 * restoring a file again before the VM is registered changes nothing, so a resume may repeat it.
 */
const restoreFiles = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const point = pointOf(ctx, t);
    const m = failoverMessages(ctx.lang);
    if (!point || point.via !== 'restore-file') return { skip: point ? m.skipPointInVolume : m.skipNoPointToRestore };
    return 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    const point = pointOf(ctx, t)!;
    const folder = vmfsPath(ctx.mirror.datastore, '.snapshot', point.snapshot, vm.vmxDir);
    const files = (await ctx.esxi(t.host!).listDir(folder)).filter((f) => f !== '.' && f !== '..');
    if (files.length === 0)
      throw new DrbookError(
        failoverMessages(ctx.lang).errFolderEmpty({ folder }),
        failoverMessages(ctx.lang).errFolderEmptyHint({ snapshot: point.snapshot, vm: vm.name }),
      );
    // Every path is checked before the first file is restored: none or all of the folder.
    for (const f of files) {
      const problem = restoreFilePathProblem(`/${vm.vmxDir}/${f}`);
      if (problem) {
        const m = failoverMessages(ctx.lang);
        throw new DrbookError(
          m.errRestorePath({ vm: vm.name, path: `/${vm.vmxDir}/${f}`, problem }),
          m.errRestorePathHint({ allowed: RESTORE_PATH_PUNCTUATION }),
        );
      }
    }
    for (const [i, f] of files.entries()) {
      io.progress(i + 1, files.length, f);
      await ctx.ontap.restoreFile(ctx.mirror.vserver, ctx.mirror.volume, point.snapshot, `/${vm.vmxDir}/${f}`);
    }
    io.note('info', failoverMessages(ctx.lang).filesRestored({ vm: vm.name, count: files.length, snapshot: point.snapshot }));
  },
  async verify(ctx: FailoverContext, t: Target) {
    const vm = vmOf(ctx, t);
    const names = await ctx.esxi(t.host!).listDir(vmfsPath(ctx.mirror.datastore, vm.vmxDir));
    return names.some((n) => n.endsWith('.vmsd')) ? (true as const) : failoverMessages(ctx.lang).checkNoVmsd({ dir: vm.vmxDir });
  },
};

const register = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    const inv = await ctx.esxi(t.host!).listVms();
    const mine = inv.vms.find((r) => r.datastore === datastoreOf(ctx, vm) && r.path === `${vm.vmxDir}/${vm.vmxFile}`);
    if (mine) {
      ctx.facts.vmids.set(t.id, mine.vmid);
      return 'done';
    }
    const clash = inv.vms.find((r) => r.name === vm.name.trimEnd() || r.nameRaw.trimEnd() === vm.name.trimEnd());
    if (clash) {
      throw new DrbookError(
        failoverMessages(ctx.lang).errNameTaken({ host: t.host!, vm: vm.name, vmid: String(clash.vmid), file: clash.file }),
        failoverMessages(ctx.lang).errNameTakenHint,
      );
    }
    // Its stale copy still running (the fence failed): a second copy from the mirror would run
    // beside it with the same identity (uuid, MACs). This VM stops here instead.
    const stale = [...ctx.facts.stale.values()].find(
      (s) => s.worldId !== undefined && vm.uuidBios !== '' && normaliseUuid(s.uuid) === normaliseUuid(vm.uuidBios),
    );
    if (stale && (await worldAlive(ctx, stale.host, stale.worldId!))) {
      throw new DrbookError(
        failoverMessages(ctx.lang).errStaleRunning({ vm: vm.name, host: stale.host, worldId: String(stale.worldId) }),
        failoverMessages(ctx.lang).errStaleRunningHint,
      );
    }
    if (!(await ctx.esxi(t.host!).fileExists(mirrorVmx(ctx, vm)))) {
      throw new DrbookError(
        failoverMessages(ctx.lang).errNotOnMirror({ path: mirrorVmx(ctx, vm) }),
        failoverMessages(ctx.lang).errNotOnMirrorHint({ vm: vm.name }),
      );
    }
    return 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    // vCenter up from the start: through it, straight into the recorded folder and pool.
    if (registersThroughVcenter(ctx, vm) && (await registerThroughVcenter(ctx, t, vm, io))) return;
    ctx.facts.vmids.set(t.id, await ctx.esxi(t.host!).register(mirrorVmx(ctx, vm), vm.name));
  },
  async verify(ctx: FailoverContext, t: Target) {
    const row = await mirrorRegistration(ctx, t, vmOf(ctx, t));
    if (!row) return failoverMessages(ctx.lang).checkNotInInventory;
    ctx.facts.vmids.set(t.id, row.vmid);
    return true as const;
  },
};

/** The VSC VMware snapshot of this VM for the restored NetApp snapshot. */
async function quiescePoint(ctx: FailoverContext, t: Target): Promise<SnapshotNode | null> {
  const point = pointOf(ctx, t);
  if (!point) return null;
  const tree = await ctx.esxi(t.host!).snapshotTree(await vmidOf(ctx, t));
  return quiescePointFor(tree.snapshots, { name: point.snapshot, createTime: point.createTime });
}

/**
 * Whether this run already reverted this VM: a revert of this target that the host answered
 * without error. The host cannot show it (before and after a revert the VM is off at the same
 * snapshot), so a resume reads it from the journal instead of reverting twice.
 */
function revertedBefore(ctx: FailoverContext, t: Target): boolean {
  const started = new Set<string>();
  for (const e of ctx.events()) {
    if (e.type === 'command.started' && e.targetId === t.id && e.intent?.op === 'snapshot-revert') started.add(e.id);
    else if (e.type === 'command.finished' && started.has(e.id) && e.exitCode === 0 && !e.error) return true;
  }
  return false;
}

const revert = {
  async check(ctx: FailoverContext, t: Target, io: ActionIO): Promise<CheckResult> {
    const vmid = await vmidOf(ctx, t);
    const power = await ctx.esxi(t.host!).powerState(vmid);
    if (revertedBefore(ctx, t) && power === 'off') return 'done';
    // Sent earlier without a clear answer: the host's task list says whether it ran.
    if (power === 'off' && (await revertInDoubt(ctx, t, vmid, io)) === 'done') return 'done';
    // Running from the mirror already (an earlier failover, or someone started it): recovered.
    if (power === 'on') return { skip: failoverMessages(ctx.lang).skipRunningNotReverted };
    if (await quiescePoint(ctx, t)) return 'todo';
    const m = failoverMessages(ctx.lang);
    const vm = vmOf(ctx, t);
    if (vm.power !== 'on' && !vm.isVcenter) {
      // Left off (power-on skips it): no crash-consistent question, and a note that says so.
      ctx.facts.crashConsistent.add(t.id);
      io.note('info', m.offNoPointNote({ vm: t.label, power: vm.power }));
      return { skip: m.skipOffNoPoint({ power: vm.power }) };
    }
    const answer = await io.choose({
      key: `crash.${t.id}`,
      title: m.crashTitle({ vm: t.label, snapshot: pointOf(ctx, t)?.snapshot ?? plan(ctx).snapshot }),
      lines: [m.crashWhy, m.crashMeans],
      options: [
        { key: 'power-on', label: m.crashPowerOn },
        { key: 'skip', label: m.crashLeaveOff },
      ],
      default: ctx.options.crashConsistent ?? 'power-on',
      flag: { name: '--crash-consistent', value: ctx.options.crashConsistent, values: ['power-on', 'skip'] },
    });
    ctx.facts.crashConsistent.add(t.id);
    io.note('warn', answer === 'skip' ? m.crashNoteOff({ vm: t.label }) : m.crashNoteOn({ vm: t.label }));
    return answer === 'skip' ? { skip: m.skipCrashOff, end: true } : { skip: m.skipCrashOn };
  },
  async apply(ctx: FailoverContext, t: Target) {
    const qp = await quiescePoint(ctx, t);
    if (qp?.id == null)
      throw new DrbookError(failoverMessages(ctx.lang).errNoSnapshotId({ vm: t.label }), failoverMessages(ctx.lang).errNoSnapshotIdHint);
    // Right before sending: a revert of a running VM throws away what it wrote since.
    const vmid = await vmidOf(ctx, t);
    if ((await ctx.esxi(t.host!).powerState(vmid)) === 'on') {
      throw new OperatorError(
        failoverMessages(ctx.lang).errRevertRunning({ vm: t.label }),
        failoverMessages(ctx.lang).errRevertRunningHint,
      );
    }
    await ctx.esxi(t.host!).revert(vmid, qp.id, true);
  },
  async verify(ctx: FailoverContext, t: Target) {
    const state = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t));
    return state === 'off' ? (true as const) : failoverMessages(ctx.lang).checkAfterRevert({ state });
  },
};

const removeSnapshot = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    if (ctx.facts.crashConsistent.has(t.id)) return { skip: failoverMessages(ctx.lang).skipNoPoint };
    return (await quiescePoint(ctx, t)) ? 'todo' : 'done';
  },
  async apply(ctx: FailoverContext, t: Target) {
    const qp = await quiescePoint(ctx, t);
    if (qp?.id == null) return;
    // Only VSC's snapshot: the revert discarded what came after it, so nothing is merged, and the
    // VM's own snapshots stay.
    await ctx.esxi(t.host!).removeSnapshot(await vmidOf(ctx, t), qp.id);
  },
  async verify(ctx: FailoverContext, t: Target) {
    return (await quiescePoint(ctx, t)) ? failoverMessages(ctx.lang).checkSnapshotLeft : (true as const);
  },
};

const powerOn = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const vm = vmOf(ctx, t);
    if (vm.power !== 'on' && !vm.isVcenter) return { skip: failoverMessages(ctx.lang).skipWasPower({ power: vm.power }), end: true };
    return (await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) === 'on' ? 'done' : 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const ops = ctx.esxi(t.host!);
    const vmid = await vmidOf(ctx, t);
    // Files that moved make ESXi ask "moved or copied?": "I moved it" keeps the UUID and MACs.
    // A real host's power.on does not return while the question waits, so it is answered
    // while the command runs; a host that returns first leaves it pending for the loop below.
    const answer = (q: PendingQuestion) => (isMovedOrCopiedQuestion(q) ? movedChoiceKey(q) : null);
    const { answered } = await ops.powerOnAnsweringQuestions(vmid, answer, { pollMs: ctx.options.pollMs, signal: io.signal });
    if (answered.length) io.note('info', failoverMessages(ctx.lang).answeredMoved({ vm: t.label }));
    const on = await waitFor(
      async () => {
        const q = await ops.pendingQuestion(vmid);
        if (q) {
          const key = answer(q);
          if (key === null)
            throw new DrbookError(
              failoverMessages(ctx.lang).errQuestion({ vm: t.label, question: q.text }),
              failoverMessages(ctx.lang).errQuestionHint,
            );
          await ops.answerQuestion(vmid, q.id, key);
          io.note('info', failoverMessages(ctx.lang).answeredMoved({ vm: t.label }));
        }
        return (await ops.powerState(vmid)) === 'on';
      },
      ctx.options.killVerifyMs * 2,
      ctx.options.pollMs,
      io.signal,
    );
    if (!on) throw new DrbookError(failoverMessages(ctx.lang).errNoPowerOn({ vm: t.label }), failoverMessages(ctx.lang).errNoPowerOnHint);
  },
  async verify(ctx: FailoverContext, t: Target) {
    return (await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) === 'on' ? (true as const) : failoverMessages(ctx.lang).checkNotOn;
  },
};

async function toolsUp(ctx: FailoverContext, t: Target): Promise<boolean> {
  return (await ctx.esxi(t.host!).heartbeat(await vmidOf(ctx, t))) === 'green';
}

const heartbeat = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    if ((await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t))) !== 'on') return { skip: failoverMessages(ctx.lang).skipNotPoweredOn };
    return (await toolsUp(ctx, t)) ? 'done' : 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    // A guest boots for tens of seconds: polled ever less often, up to 4 poll intervals apart.
    const up = await waitFor(() => toolsUp(ctx, t), ctx.options.heartbeatMs, ctx.options.pollMs, io.signal, 4 * ctx.options.pollMs);
    if (!up) {
      throw new DrbookError(
        failoverMessages(ctx.lang).errNoHeartbeat({ vm: t.label, seconds: Math.round(ctx.options.heartbeatMs / 1000) }),
        failoverMessages(ctx.lang).errNoHeartbeatHint,
      );
    }
  },
  verify: async (ctx: FailoverContext, t: Target) =>
    (await toolsUp(ctx, t)) ? (true as const) : failoverMessages(ctx.lang).checkNoHeartbeat,
};

const vcenterSteps = {
  targets: (ctx: FailoverContext, _step: StepInfo, io: TargetsIO) => vmTargets(ctx, io, ctx.vcenter ? [ctx.vcenter] : []),
};

const restoreBackup = {
  check: () => 'todo' as CheckResult,
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    // Declined: the run stops here (resumable); without a terminal, --ack-manual answers it.
    const m = failoverMessages(ctx.lang);
    await io.checklist({
      key: `vcenter.restore.${t.id}`,
      title: m.vcenterTitle({ vm: t.label }),
      items: [m.vcenterRegistered({ vm: t.label, host: t.host!, datastore: ctx.mirror.datastore }), m.vcenterBoot, m.vcenterShutdown],
    });
    io.note('info', m.vcenterAcknowledged({ via: ctx.prompter.via }));
  },
  verify: () => true as const,
};

const recover = {
  targets: (ctx: FailoverContext, _step: StepInfo, io: TargetsIO) =>
    vmTargets(
      ctx,
      io,
      ctx.primaryVms.filter((v) => v !== ctx.vcenter),
    ),
};

// ---- verify ----------------------------------------------------------------------------------

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
    // Hosts in parallel, and up to perHost VMs of a host at once: one VM after another made this
    // step take 2 round trips x every VM (28 s of a 200-VM bench run). Problems keep their order.
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
        const power = await ops.powerState(row.vmid);
        const want = vm.isVcenter ? 'on' : vm.power;
        if (power !== want && !(ctx.facts.crashConsistent.has(recoverTargetId(vm)) && power === 'off'))
          problems.push(m.verifyPower({ vm: vm.name, power, want }));
        const tree = await ops.snapshotTree(row.vmid);
        const point = pointOf(ctx, { id: recoverTargetId(vm), label: vm.name });
        const left = point ? quiescePointFor(tree.snapshots, { name: point.snapshot, createTime: point.createTime }) : null;
        if (left) problems.push(m.verifySnapshotLeft({ vm: vm.name, snapshot: left.name }));
        return problems;
      };
      const perVm = new Array<string[]>(vms.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < vms.length; i = next++) perVm[i] = await checkVm(vms[i]!);
      };
      await Promise.all(Array.from({ length: Math.min(vms.length, ctx.site.concurrency.perHost) }, worker));
      return perVm.flat();
    };
    for (const p of (await Promise.all([...byHost].map(([host, vms]) => checkHost(host, vms)))).flat()) problems.push(p);
    for (const p of problems) io.note('error', p);
    if (problems.length)
      throw new DrbookError(m.verifyFailed({ count: problems.length, first: problems[0]!, more: problems.length > 1 }), m.verifyFailedHint);
    io.note('info', m.verifyAllGood({ count: ctx.primaryVms.length }));
  },
  verify: () => true as const,
};

export const failoverActions: ActionRegistry<FailoverContext> = {
  preflight,
  'callouts-before-break': calloutAction('before-break'),
  'callouts-end': calloutAction('end'),
  'break-mirror': breakMirror,
  snaprestore,
  'lockdown-exit': lockdownExit,
  'mount-mirror': mountMirror,
  clones,
  fence,
  kill,
  unregister,
  vcenter: vcenterSteps,
  'restore-backup': restoreBackup,
  recover,
  'restore-files': restoreFiles,
  register,
  revert,
  'remove-snapshot': removeSnapshot,
  'power-on': powerOn,
  heartbeat,
  'lockdown-enter': lockdownEnter,
  verify: verifyAll,
  place: placeStep,
};
