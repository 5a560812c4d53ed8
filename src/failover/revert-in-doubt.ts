/**
 * A revert drbook sent without a clear answer (killed, connection lost, timed out) is decided on
 * the host, not guessed: before and after a revert the VM is off at the same snapshot, but hostd
 * keeps the VM's recent tasks, and the revert's task outlives the vim-cmd that started it. So the
 * task list answers: a revert task still running → wait for it and take its result; one that
 * succeeded after drbook's send → done; none → the host never ran it, send it (once).
 * Only a host that cannot list its tasks leaves it undecided: then it is sent once more (harmless:
 * a second revert of a VM that is off at that snapshot changes nothing).
 */
import { isRevertTask, type TaskInfo } from '../adapters/esxi/tasks.js';
import type { ActionIO, Target } from '../engine/runner.js';
import { DrbookError, RemoteCommandError } from '../errors.js';
import { revertInDoubtMessages } from '../i18n/revert-in-doubt.js';
import type { FailoverContext } from './context.js';
import { waitFor } from './wait.js';
import { answeredOk, sentChanges } from '../engine/sent-changes.js';

/** How long a resume waits for a revert task the host still runs (a big VM's revert takes minutes). */
const RUNNING_REVERT_WAIT_MS = 15 * 60_000;

/**
 * When this run sent a revert of `t` that the host never answered with success: the time of the
 * first such send (journal clock, ms). null when there is none (nothing in doubt).
 */
export function revertSentUnconfirmed(ctx: FailoverContext, t: Target): number | null {
  const sent = sentChanges(ctx.events(), 'snapshot-revert').filter((c) => c.started.targetId === t.id);
  if (sent.length === 0 || sent.some(answeredOk)) return null;
  return Math.min(...sent.map((c) => c.started.at));
}

/** The VM's revert tasks the host lists that started at or after `since`. */
async function revertTasksSince(ctx: FailoverContext, t: Target, vmid: number, since: number): Promise<TaskInfo[]> {
  const ops = ctx.esxi(t.host!);
  const out: TaskInfo[] = [];
  for (const key of await ops.recentTasks(vmid)) {
    const info = await ops.taskInfo(key);
    if (!info || !isRevertTask(info)) continue;
    const at = info.queueTime ?? info.startTime ?? info.completeTime;
    if (at === null || at >= since) out.push(info);
  }
  return out;
}

/**
 * What the host says about a revert of `t` sent earlier without a clear answer: `done` (it ran),
 * `send` (it did not, or the host cannot tell), `none` (nothing in doubt: the caller decides as before).
 */
export async function revertInDoubt(ctx: FailoverContext, t: Target, vmid: number, io: ActionIO): Promise<'done' | 'send' | 'none'> {
  const sentAt = revertSentUnconfirmed(ctx, t);
  if (sentAt === null) return 'none';
  const m = revertInDoubtMessages(ctx.lang);
  const host = t.host!;
  let tasks: TaskInfo[];
  try {
    tasks = await revertTasksSince(ctx, t, vmid, sentAt);
  } catch (err) {
    // The host answered, but not with its tasks (an older vim-cmd, a refusal): it cannot tell.
    if (!(err instanceof RemoteCommandError)) throw err;
    io.note('warn', m.hostCannotTell({ vm: t.label, host, error: err.deviceMessage }));
    return 'send';
  }
  const running = tasks.find((x) => x.state === 'running' || x.state === 'queued');
  if (running) {
    io.note('info', m.waiting({ vm: t.label, host, task: running.key }));
    const ops = ctx.esxi(host);
    let last: TaskInfo | null = running;
    const ended = await waitFor(
      async () => {
        last = await ops.taskInfo(running.key);
        return last === null || last.state === 'success' || last.state === 'error';
      },
      RUNNING_REVERT_WAIT_MS,
      ctx.options.pollMs,
      io.signal,
    );
    if (!ended) throw new DrbookError(m.stillRunning({ vm: t.label, host, task: running.key }), m.stillRunningHint);
    // Dropped from the list while we looked: read the list again.
    if (last === null) return revertInDoubt(ctx, t, vmid, io);
    tasks = [last];
  }
  const ran = tasks.find((x) => x.state === 'success');
  if (ran) {
    io.note('info', m.ranOnHost({ vm: t.label, host, task: ran.key }));
    return 'done';
  }
  const failed = tasks.find((x) => x.state === 'error');
  if (failed) io.note('warn', m.failedOnHost({ vm: t.label, host, task: failed.key, error: failed.error ?? 'error' }));
  else io.note('info', m.notOnHost({ vm: t.label, host }));
  return 'send';
}
