/**
 * Wait until `probe` says yes, polling; false when the time is up or the run is stopping. With
 * `slowTo`, the interval grows by half after each poll up to `slowTo`: a wait of many seconds
 * (a guest booting to its Tools heartbeat) is not polled every `pollMs` all along — each poll is a
 * command the host serves beside every other VM's work.
 */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  pollMs: number,
  signal: AbortSignal,
  slowTo = pollMs,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let interval = pollMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline || signal.aborted) return false;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(interval, Math.max(0, deadline - Date.now())));
      signal.addEventListener('abort', done, { once: true });
    });
    interval = Math.min(Math.max(slowTo, pollMs), Math.round(interval * 1.5));
  }
}
