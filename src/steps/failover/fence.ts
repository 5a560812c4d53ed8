/** Fence: every VM still registered or running from the dead datastore is killed (soft, hard, force, each verified) and unregistered. */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { FailoverContext } from '../../failover/context.js';
import { vmfsPath } from '../../failover/paths.js';
import type { PlanStep } from '../../plan/model.js';
import type { StepModule } from '../step.js';
import { WORLD_ID, vmidArg, type FailoverPlanContext } from './plan-context.js';
import type { KillType } from '../../transport/intent.js';
import type { ActionIO, CheckResult, StepInfo, Target, TargetsIO } from '../../engine/runner.js';
import { DrbookError, OperatorError, RemoteCommandError, describeError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import { findStale, normaliseUuid } from '../../failover/preflight.js';
import { waitFor } from '../../failover/wait.js';
import { markWorldGone, worldAlive } from './helpers.js';
import { answeredOk, sentChanges } from '../../engine/sent-changes.js';

const fence = {
  async targets(ctx: FailoverContext, _step: StepInfo, io: TargetsIO): Promise<Target[]> {
    ctx.facts.stale.clear();
    ctx.facts.staleRunningByUuid.clear();
    const out: Target[] = [];
    // Every host's reads at once (each is one round trip); the targets keep the site's host order.
    const found = await Promise.allSettled(ctx.site.endpoints.esxi.map((ep) => findStale(ctx, ep.name)));
    for (const [i, ep] of ctx.site.endpoints.esxi.entries()) {
      const r = found[i]!;
      if (r.status === 'rejected') {
        // Not a warning to walk past: the host's stale VMs are unknown. A target that fails keeps
        // the step (and the run) unfinished, so `drbook resume` lists the host again once it is back.
        const text = failoverMessages(ctx.lang).cannotListVms({ host: ep.name, error: describeError(r.reason) });
        io.note('error', text);
        const id = `stale:${ep.name}:unlisted`;
        ctx.facts.unlisted.set(id, text);
        out.push({ id, label: ep.name, host: ep.name });
        continue;
      }
      for (const s of r.value) {
        const id = s.vmid >= 0 ? `stale:${ep.name}:${s.vmid}` : `stale:${ep.name}:world${s.worldId}`;
        ctx.facts.stale.set(id, s);
        // For each recovered VM's register check (a still-running copy): looked up, not walked.
        const uuid = normaliseUuid(s.uuid);
        if (s.worldId !== undefined && uuid !== '' && !ctx.facts.staleRunningByUuid.has(uuid)) ctx.facts.staleRunningByUuid.set(uuid, s);
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
  let index = -1;
  let wasAnswered = false;
  for (const c of sentChanges(ctx.events(), 'kill')) {
    const intent = c.started.intent;
    if (intent.op !== 'kill' || c.started.host !== host || intent.worldId !== worldId) continue;
    // A kill the host refused (an error) did not happen: it does not count as sent.
    if (c.finished && !answeredOk(c)) continue;
    const i = KILL_ORDER.indexOf(intent.type);
    if (i > index) [index, wasAnswered] = [i, c.finished !== undefined];
    else if (i === index) wasAnswered ||= c.finished !== undefined;
  }
  return { index, answered: wasAnswered };
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

/**
 * The attempts whose apply saw the world gone in a read taken after its last kill (the poll that
 * ended the wait, or the guard's own read): the verify, which the engine calls right after the
 * apply, has its read already.
 */
const seenGone = new WeakSet<ActionIO>();

const kill = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const unlisted = ctx.facts.unlisted.get(t.id);
    if (unlisted !== undefined) throw new DrbookError(unlisted, failoverMessages(ctx.lang).resumeWhenHostBack);
    const s = ctx.facts.stale.get(t.id);
    if (!s || s.worldId === undefined) return { skip: failoverMessages(ctx.lang).skipNotRunning };
    // No read here: the apply reads the world list itself before it acts (the guard before a kill,
    // the first poll after one already sent), and a world found gone then gets no kill. A read
    // here would be the same list one round trip earlier, and the guard could not use it.
    return 'todo';
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
      const send = i > sent.index || (i === types.length - 1 && !sent.answered);
      if (send) {
        // Right before sending: the world must still be one of the lost datastore's.
        const from = await worldDatastore(ctx, t.host!, s.worldId!);
        if (from === null) {
          io.note('info', failoverMessages(ctx.lang).killWorldGone({ worldId: String(s.worldId), vm: s.name, type }));
          seenGone.add(io);
          return;
        }
        if (from !== ctx.primary.datastore) {
          throw new OperatorError(
            failoverMessages(ctx.lang).errKillElsewhere({ worldId: String(s.worldId), vm: s.name, datastore: from }),
            failoverMessages(ctx.lang).errKillElsewhereHint,
          );
        }
        try {
          await ctx.esxi(t.host!).kill(s.worldId!, type, s.vmid >= 0 ? s.vmid : undefined);
        } catch (err) {
          // The process may have gone between the check and the kill: the observation decides.
          if (!(err instanceof RemoteCommandError)) throw err;
          io.note('warn', failoverMessages(ctx.lang).killRefused({ type, message: err.deviceMessage }));
        }
      }
      // A kill just sent takes the host seconds: the first poll comes a poll interval after it, or
      // as long after as this host's kills of this type took so far. A kill an earlier attempt
      // sent may have worked long ago: then the first poll is at once.
      const gone = await waitFor(
        async () => !(await worldAlive(ctx, t.host!, s.worldId!)),
        ctx.options.killVerifyMs,
        ctx.options.pollMs,
        io.signal,
        send ? { firstMs: ctx.options.pollMs, learn: { history: ctx.facts.waits, key: `kill ${type} ${t.host!}` } } : {},
      );
      if (gone) {
        seenGone.add(io);
        return;
      }
      // The wait ended because the run is stopping, not because the time was up: the operator
      // asked for no new actions, so no harder kill follows. The engine records the target as
      // stopped here (the error is not shown); the note says what the host was left with.
      if (io.signal.aborted) {
        const text = failoverMessages(ctx.lang).killWaitStopped({ worldId: String(s.worldId), vm: s.name, type });
        io.note('warn', text);
        throw new DrbookError(text);
      }
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
  async verify(ctx: FailoverContext, t: Target, io: ActionIO) {
    const s = ctx.facts.stale.get(t.id)!;
    if (!seenGone.delete(io) && (await worldAlive(ctx, t.host!, s.worldId!)))
      return failoverMessages(ctx.lang).checkWorldRunning({ worldId: String(s.worldId) });
    // Recover's register guard (is the stale copy still running?) need not read it again.
    markWorldGone(ctx, t.host!, s.worldId!);
    return true as const;
  },
};

const unregister = {
  async check(ctx: FailoverContext, t: Target): Promise<CheckResult> {
    const s = ctx.facts.stale.get(t.id);
    if (!s || s.vmid < 0) return { skip: failoverMessages(ctx.lang).skipNotRegistered };
    // No read here: the host's own lookup is the guard (it unregisters no vmid it does not know),
    // in the unregister's command, with no round trip before it.
    return 'todo';
  },
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    const s = ctx.facts.stale.get(t.id)!;
    if (!(await ctx.esxi(t.host!).unregisterIfRegistered(s.vmid, io.changesEnded)))
      io.note('info', failoverMessages(ctx.lang).unregisterGone({ vm: s.name, vmid: String(s.vmid) }));
  },
  async verify(ctx: FailoverContext, t: Target) {
    return (await ctx.esxi(t.host!).isRegistered(ctx.facts.stale.get(t.id)!.vmid))
      ? failoverMessages(ctx.lang).checkStillRegistered
      : (true as const);
  },
};

export const fenceStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'fence',
  actions: { fence, kill, unregister },
  plan(p, step) {
    const { m, onHost, once, primaryDs, killSeconds } = p;
    const steps: PlanStep[] = [];
    for (const h of p.hosts) {
      const stale = p.primaryVms.filter((v) => v.host === h).sort(p.byHostThenName);
      // The reads that find the stale VMs (the step's targets), on every host.
      steps.push({
        id: `fence:${h}`,
        title: stale.length === 0 ? m.fenceNone({ host: h }) : m.fenceFindStep({ host: h }),
        host: h,
        text: [],
        commands: [
          onHost(h, esxi.getAllVms(), { expect: m.preGetAllVmsExpect({ datastore: primaryDs }) }),
          onHost(h, esxi.processList()),
          onHost(h, esxi.filesystemList()),
        ],
      });
      for (const vm of stale) {
        const vmid = vmidArg(vm);
        steps.push({
          id: `fence:${h}:${vm.vmid}`,
          title: m.fenceStep({ host: h, name: vm.name, vmid: String(vmid) }),
          host: h,
          vm: vm.name,
          target: `stale:${h}:${vm.vmid}`,
          text: [],
          commands: [
            onHost(h, esxi.processList(), { text: m.fenceFind({ path: vmfsPath(primaryDs, vm.vmxDir, vm.vmxFile), uuid: vm.uuidBios }) }),
            onHost(h, esxi.filesystemList(), { text: m.fenceKillGuard }),
            onHost(h, esxi.kill(WORLD_ID, 'soft'), { text: m.fenceKillSoft({ seconds: killSeconds }), ...once(m.fenceKillExpect) }),
            onHost(h, esxi.processList(), once(m.fenceGoneExpect)),
            onHost(h, esxi.kill(WORLD_ID, 'hard'), { text: m.fenceKillHard({ seconds: killSeconds }) }),
            onHost(h, esxi.processList()),
            onHost(h, esxi.kill(WORLD_ID, 'force'), { text: m.fenceKillForce({ seconds: killSeconds }) }),
            onHost(h, esxi.processList()),
            onHost(h, esxi.unregister(vmid), { text: m.fenceUnregister, ...once(m.fenceUnregisterExpect) }),
            onHost(h, esxi.getAllVms(), { expect: m.fenceVerifyExpect({ vmid: String(vmid) }) }),
          ],
        });
      }
    }
    return [
      { id: step.id, title: m.secFence, text: [m.fenceIntro({ datastore: primaryDs }), m.fenceOthers({ datastore: primaryDs })], steps },
    ];
  },
};
