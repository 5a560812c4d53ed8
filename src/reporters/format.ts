/** Small formatting helpers shared by the line reporter and the report. */

/** `1.2 s`, `850 ms`, `3m04s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `HH:MM:SS` of an epoch-ms time, in UTC or the local zone. */
export function formatClock(at: number, timeZone: 'utc' | 'local' = 'local'): string {
  const d = new Date(at);
  const parts =
    timeZone === 'utc' ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return parts.map((n) => String(n).padStart(2, '0')).join(':');
}

/** ISO 8601 in UTC, for reports. */
export function formatTimestamp(at: number): string {
  return new Date(at).toISOString();
}

/** The last non-empty line of a text (a device's error is usually there). */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}
