import { isRefusedForPowerState, type EsxiOps } from '../adapters/esxi/ops.js';
import { isMovedOrCopiedQuestion, movedChoiceKey, type PendingQuestion } from '../adapters/esxi/parsers.js';
import type { ActionIO, Target } from '../engine/runner.js';
import { DrbookError } from '../errors.js';
import type { FailoverContext } from '../failover/context.js';
import { waitFor } from '../failover/wait.js';
import { failoverMessages } from '../i18n/failover.js';

export interface PowerOnAnswering {
  /** The choice for a question this procedure answers ("I moved it", "I copied it"); null: not ours to answer. */
  answer: (q: PendingQuestion) => number | null;
  /** Said once per question answered. */
  onAnswered: () => void;
  /** Said when the host refused the power-on because the VM was on already (someone started it
   *  after the check read it off). */
  onAlreadyOn: () => void;
  /** The error for a question it does not answer (the operator must). */
  unanswerable: (q: PendingQuestion) => Error;
  pollMs: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Power a VM on and wait until it runs, answering the "moved or copied?" question files that came
 * from another volume raise. A real host's power.on does not return while the question waits, so
 * it is answered while the command runs; a host that returns first leaves it pending for the loop
 * here, which reads the question and the power state at once (one exec when the host joins reads).
 * The same for the failover, the drill and the failback; only the answer differs. False when the
 * VM is not on within `timeoutMs`.
 */
export async function powerOnAnswering(ops: EsxiOps, vmid: number, o: PowerOnAnswering): Promise<boolean> {
  let answered;
  try {
    ({ answered } = await ops.powerOnAnsweringQuestions(vmid, o.answer, { pollMs: o.pollMs, signal: o.signal }));
  } catch (err) {
    // ESXi powers on no VM that is on: its refusal, and a state read after it that says on, mean
    // someone started it since the check (which may take a read kept from the stage before).
    if (!isRefusedForPowerState(err) || (await ops.powerState(vmid, { fresh: true })) !== 'on') throw err;
    o.onAlreadyOn();
    return true;
  }
  for (const _ of answered) o.onAnswered();
  return waitFor(
    async () => {
      const [q, power] = await Promise.all([ops.pendingQuestion(vmid), ops.powerState(vmid)]);
      if (!q) return power === 'on';
      const key = o.answer(q);
      if (key === null) throw o.unanswerable(q);
      await ops.answerQuestion(vmid, q.id, key);
      o.onAnswered();
      return (await ops.powerState(vmid)) === 'on';
    },
    o.timeoutMs,
    o.pollMs,
    o.signal,
  );
}

/**
 * The failover's and the failback's power-on: both bring the same VM back from the other volume,
 * so "I moved it" keeps its UUID and MACs, and any other question stops it for the operator. The
 * same wait and the same error for both; only the note said for an answer (`answered`) is theirs.
 */
export function powerOnMovedBack(ctx: FailoverContext, t: Target, vmid: number, io: ActionIO, answered: string): Promise<boolean> {
  const m = failoverMessages(ctx.lang);
  return powerOnAnswering(ctx.esxi(t.host!), vmid, {
    answer: (q) => (isMovedOrCopiedQuestion(q) ? movedChoiceKey(q) : null),
    onAnswered: () => io.note('info', answered),
    onAlreadyOn: () => io.note('warn', m.poweredOnMeanwhile({ vm: t.label })),
    unanswerable: (q) => new DrbookError(m.errQuestion({ vm: t.label, question: q.text }), m.errQuestionHint),
    pollMs: ctx.options.pollMs,
    timeoutMs: ctx.options.killVerifyMs * 2,
    signal: io.signal,
  });
}
