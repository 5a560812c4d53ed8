import type { EngineEvent } from '../engine/events.js';
import type { EventSink } from '../engine/ports.js';
import { stringifyWithIsoTimes } from './json-times.js';

/** `--json`: one engine event per line, as the journal stores it, its times in ISO 8601. */
export function createNdjsonReporter(write: (text: string) => void): EventSink {
  return { emit: (e: EngineEvent) => write(`${stringifyWithIsoTimes(e)}\n`) };
}

/** Read NDJSON back into events (tests, `drbook report` from a saved --json log). */
export function parseNdjson(text: string): EngineEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(
      (l) => JSON.parse(l, (key, value: unknown) => (key === 'at' && typeof value === 'string' ? Date.parse(value) : value)) as EngineEvent,
    );
}
