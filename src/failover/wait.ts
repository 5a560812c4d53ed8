import { sleep } from '../engine/sleep.js';

/**
 * How long the waits of one kind took in this run (a soft kill on one host: the device takes about
 * as long each time), as the polls saw it: the latest a poll still said "not yet" and the earliest
 * one said "done", each counted from its wait's start. The next wait of that kind polls first
 * halfway between the two (while they are more than a quarter interval apart), then when the
 * earliest had ended and twice a quarter interval after that (a device is not quite as quick each
 * time), and only then on the clock's ticks: a poll sooner would only say "not yet"
 * (each is a read the host serves beside every other VM's work), and one on the next tick comes up
 * to an interval late. Each such wait narrows the two, so a device that takes the same time each
 * time is seen soon after it is done, with one poll. A device quicker than every wait before it is
 * seen later by at most the earliest "done"; one slower is polled on the ticks after; the timeout
 * stays.
 */
export class WaitHistory {
  private readonly seen = new Map<string, { notYet: number; done: number }>();

  /**
   * When to poll first, in ms from the wait's start, before the ticks: none before a wait of `key`
   * has ended; halfway only while the two are more than `precisionMs` apart; then at the earliest
   * "done" and `precisionMs` and twice that after it.
   */
  firstPolls(key: string, notBefore: number, precisionMs: number): number[] {
    const s = this.seen.get(key);
    // None has ended yet (others may still be running): nothing learned.
    if (!s || !Number.isFinite(s.done) || s.done <= notBefore) return [];
    const from = Math.max(s.notYet, notBefore);
    // The device is not quite as quick each time: a poll that just missed it is followed soon.
    const around = [s.done, s.done + precisionMs, s.done + 2 * precisionMs];
    return s.done - from > precisionMs ? [Math.round((from + s.done) / 2), ...around] : around;
  }

  /** A poll `afterMs` into a wait of `key` said done or not yet. */
  record(key: string, afterMs: number, done: boolean): void {
    const s = this.seen.get(key) ?? { notYet: 0, done: Infinity };
    if (done) s.done = Math.min(s.done, afterMs);
    else s.notYet = Math.max(s.notYet, afterMs);
    this.seen.set(key, s);
  }
}

export interface WaitOptions {
  /** The interval doubles after each poll up to this (default: pollMs). */
  slowTo?: number;
  /** The first poll comes at least this long after the call (default: at once). */
  firstMs?: number;
  /** Waits of the same kind before this one: they may put the first poll later (WaitHistory). */
  learn?: { history: WaitHistory; key: string };
}

/**
 * Wait until `probe` says yes, polling; false when the time is up or the run is stopping. With
 * `slowTo`, the interval doubles after each poll up to `slowTo`: a wait of many seconds (a guest
 * booting to its Tools heartbeat) is not polled every `pollMs` all along — each poll is a read the
 * host serves beside every other VM's work. With `firstMs`, the first poll comes at least that long
 * after the call instead of at once: right after an action that takes the device seconds (a kill),
 * a poll at once only says "not yet"; with `learn`, first when the same waits before it had ended.
 *
 * Polls fall on the clock's ticks: the next multiple of the interval that is at least half an
 * interval away (doubling keeps the ticks of a longer interval on those of a shorter one). So the
 * polls of all the VMs waiting on a host come at the same moments, and the host gets them in one
 * script (src/transport/batch.ts) instead of one exec each.
 */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  pollMs: number,
  signal: AbortSignal,
  o: WaitOptions = {},
): Promise<boolean> {
  const began = Date.now();
  const deadline = began + timeoutMs;
  const untilDeadline = (): number => Math.max(0, deadline - Date.now());
  const slowTo = o.slowTo ?? pollMs;
  const firstMs = o.firstMs ?? 0;
  const poll = async (): Promise<boolean> => {
    const asked = Date.now();
    const done = await probe();
    o.learn?.history.record(o.learn.key, asked - began, done);
    return done;
  };
  // Learned: when the same waits were still running and had ended (WaitHistory).
  const learned = o.learn?.history.firstPolls(o.learn.key, firstMs, pollMs / 4) ?? [];
  for (const at of learned) {
    await sleep(Math.min(Math.max(0, began + at - Date.now()), untilDeadline()), signal);
    if (await poll()) return true;
    if (Date.now() >= deadline || signal.aborted) return false;
  }
  let interval = pollMs;
  if (learned.length > 0) await sleep(Math.min(untilTick(interval, interval / 2), untilDeadline()), signal);
  else if (firstMs > 0) await sleep(Math.min(untilTick(pollMs, firstMs), untilDeadline()), signal);
  for (;;) {
    if (await poll()) return true;
    if (Date.now() >= deadline || signal.aborted) return false;
    await sleep(Math.min(untilTick(interval, interval / 2), untilDeadline()), signal);
    interval = Math.min(Math.max(slowTo, pollMs), interval * 2);
  }
}

/** Milliseconds until the first multiple of `interval` on the clock that is at least `atLeast` away. */
function untilTick(interval: number, atLeast: number): number {
  const now = Date.now();
  if (interval <= 0) return atLeast;
  return Math.ceil((now + atLeast) / interval) * interval - now;
}
