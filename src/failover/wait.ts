import { sleep } from '../engine/sleep.js';

/**
 * Wait until `probe` says yes, polling; false when the time is up or the run is stopping. With
 * `slowTo`, the interval doubles after each poll up to `slowTo`: a wait of many seconds (a guest
 * booting to its Tools heartbeat) is not polled every `pollMs` all along — each poll is a read the
 * host serves beside every other VM's work. With `firstMs`, the first poll comes at least that long
 * after the call instead of at once: right after an action that takes the device seconds (a kill),
 * a poll at once only says "not yet".
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
  slowTo = pollMs,
  firstMs = 0,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const untilDeadline = (): number => Math.max(0, deadline - Date.now());
  let interval = pollMs;
  if (firstMs > 0) await sleep(Math.min(untilTick(pollMs, firstMs), untilDeadline()), signal);
  for (;;) {
    if (await probe()) return true;
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
