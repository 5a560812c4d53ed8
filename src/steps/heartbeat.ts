import type { ActionIO, StageAction, Target } from '../engine/runner.js';
import type { FailoverContext } from '../failover/context.js';
import { waitFor } from '../failover/wait.js';

export interface HeartbeatWords {
  /** The check's skip: the VM is not on (left off, or its power-on skipped). */
  notOn: string;
  /** The apply's error: no heartbeat within `seconds` of power on. */
  timedOut: (seconds: number) => Error;
  /** The verify's answer: no heartbeat. */
  none: string;
}

export interface HeartbeatOptions<C> {
  /** The VM's vmid on the host it was powered on. */
  vmid: (ctx: C, t: Target) => Promise<number>;
  timing: (ctx: C) => { heartbeatMs: number; pollMs: number };
  words: (ctx: C, t: Target) => HeartbeatWords;
  /** Poll intervals between polls for this VM (default 4: see apply). */
  pollEvery?: (ctx: C, t: Target) => number;
}

/**
 * The heartbeat stage of the failover, the drill and the failback: after power on, wait for the
 * VM's VMware Tools heartbeat. The same stage for all three; only how each finds the VM, its timing
 * and its words differ.
 */
export function heartbeatStage<C extends FailoverContext>(o: HeartbeatOptions<C>): StageAction<C> {
  const toolsUp = async (ctx: C, t: Target): Promise<boolean> => (await ctx.esxi(t.host!).heartbeat(await o.vmid(ctx, t))) === 'green';
  /**
   * The attempts whose wait ended on a poll that saw the heartbeat green: a read taken after the
   * power-on, which is what the verify (called right after the apply) asks. Read again, it cost a
   * VM one more exec whenever the script of the host's polls outlasted the shared reads' moment
   * (a quarter of the VMs in the 200-VM bench failover).
   */
  const seenGreen = new WeakSet<ActionIO>();
  return {
    async check(ctx, t) {
      // The power state only (the power-on took it after its command, so it is usually no read of
      // its own). Tools is not read here: a moment after the power-on it only says "not yet", and a
      // VM already green (a resume) is seen by the wait's first poll.
      if ((await ctx.esxi(t.host!).powerState(await o.vmid(ctx, t))) !== 'on') return { skip: o.words(ctx, t).notOn };
      return 'todo';
    },
    async apply(ctx, t, io) {
      const { heartbeatMs, pollMs } = o.timing(ctx);
      // A guest boots for tens of seconds on a real site: polled every 4 intervals from the start
      // (a poll sooner only says "not yet"). Every VM waiting on a host polls on the same ticks of
      // that longer interval, so the host gets their polls in one script. Not learned from the
      // guests before it (WaitHistory): guests boot in their own time, and a poll off the ticks
      // is an exec of its own.
      const every = (o.pollEvery?.(ctx, t) ?? 4) * pollMs;
      if (!(await waitFor(() => toolsUp(ctx, t), heartbeatMs, every, io.signal, { slowTo: every, firstMs: every / 2 })))
        throw o.words(ctx, t).timedOut(Math.round(heartbeatMs / 1000));
      seenGreen.add(io);
    },
    verify: async (ctx, t, io) => (seenGreen.delete(io) || (await toolsUp(ctx, t)) ? true : o.words(ctx, t).none),
  };
}
