/**
 * Times in JSON output (every `--json`, the NDJSON event stream, JSON reports) are ISO 8601 UTC
 * strings, whatever the journal keeps inside (milliseconds since the epoch). One rule, by field
 * name: `at`, `since`, and names ending in `At` or `Time` (`createdAt`, `startedAt`, …). A
 * duration ends in `Ms` or `Seconds` and stays a number.
 */
import { jsonChunks } from '../text/json-chunks.js';

const TIME_KEY = /^(at|since)$|[a-z](At|Time)$/;

/** Whether a field of this name holding a number is a moment in ms since the epoch. */
export function isTimeKey(key: string): boolean {
  return TIME_KEY.test(key);
}

function replacer(key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && isTimeKey(key) ? new Date(value).toISOString() : value;
}

/** JSON.stringify with every time field as an ISO 8601 string. */
export function stringifyWithIsoTimes(value: unknown, space?: number): string {
  return JSON.stringify(value, replacer, space);
}

/**
 * A JSON file's text, `${stringifyWithIsoTimes(value, 2)}\n`, in pieces (src/text/json-chunks.ts):
 * the same text, for a document too big for one string (a run report).
 */
export function* isoJsonFileChunks(value: unknown): Generator<string> {
  yield* jsonChunks(value, replacer, 2);
  yield '\n';
}
