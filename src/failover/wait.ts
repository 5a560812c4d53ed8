/** Wait until `probe` says yes, polling; false when the time is up or the run is stopping. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, pollMs: number, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline || signal.aborted) return false;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(pollMs, Math.max(0, deadline - Date.now())));
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
