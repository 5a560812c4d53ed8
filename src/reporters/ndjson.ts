import type { EngineEvent } from '../engine/events.js';
import type { EventSink } from '../engine/ports.js';

/** `--json`: one engine event per line, exactly as the journal stores it. */
export function createNdjsonReporter(write: (text: string) => void): EventSink {
  return { emit: (e: EngineEvent) => write(`${JSON.stringify(e)}\n`) };
}

/** Read NDJSON back into events (tests, `drbook report` from a saved --json log). */
export function parseNdjson(text: string): EngineEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EngineEvent);
}
