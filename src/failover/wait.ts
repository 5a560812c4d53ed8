import { sleep } from '../engine/sleep.js';

/**
 * Wait until `probe` says yes, polling; false when the time is up or the run is stopping. With
 * `slowTo`, the interval grows by half after each poll up to `slowTo`: a wait of many seconds
 * (a guest booting to its Tools heartbeat) is not polled every `pollMs` all along — each poll is a
 * command the host serves beside every other VM's work. With `firstMs`, the first poll comes that
 * long after the call instead of at once: right after an action that takes the device seconds (a
 * kill), a poll at once only says "not yet" and costs the host a command.
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
  let interval = pollMs;
  if (firstMs > 0) await sleep(Math.min(firstMs, timeoutMs), signal);
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline || signal.aborted) return false;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), signal);
    interval = Math.min(Math.max(slowTo, pollMs), Math.round(interval * 1.5));
  }
}
