/**
 * Reading what `ConvertTo-Json -Compress` prints, whichever PowerShell printed it:
 * - no output at all when the pipeline was empty; one object (not an array) when it held one;
 * - Windows PowerShell 5.1 wraps some arrays as `{"value":[…],"Count":n}` (the ETS Count on arrays);
 * - enums are numbers (5.1, and 7 without -EnumsAsStrings) or names (7 with -EnumsAsStrings);
 * - dates are `\/Date(ms)\/` (5.1, read by JSON.parse as `/Date(ms)/`) or ISO 8601 (7).
 */
import { ParseError } from '../../errors.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** The whole output as JSON; empty output is `null`. Windows line ends and a BOM are fine. */
export function readJson(kind: string, text: string): Json {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') return null;
  try {
    return JSON.parse(t) as Json;
  } catch (err) {
    throw new ParseError(kind, null, `not JSON (${(err as Error).message}): ${JSON.stringify(t.slice(0, 60))}`);
  }
}

/** A 5.1 `{"value":[…],"Count":n}` wrapper → its array. */
function unwrap(v: Json): Json {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 2 && Array.isArray(v.value) && typeof v.Count === 'number') return v.value;
  }
  return v;
}

/** The records of a pipeline's output: none, one object, or an array. */
export function readRecords(kind: string, text: string): JsonObject[] {
  return asList(readJson(kind, text)).map((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ParseError(kind, null, `record ${i + 1} is not an object`);
    return r;
  });
}

/** A property that should be a list: null/absent → [], a single value → [value], a 5.1 wrapper → its array. */
export function asList(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  const u = unwrap(v);
  return Array.isArray(u) ? u : [u];
}

export function str(kind: string, r: JsonObject, key: string): string {
  const v = r[key];
  if (typeof v !== 'string') throw new ParseError(kind, null, `${key} is not a string in ${JSON.stringify(r).slice(0, 120)}`);
  return v;
}

export function optStr(r: JsonObject, key: string): string | null {
  const v = r[key];
  return typeof v === 'string' ? v : null;
}

export function bool(r: JsonObject, key: string): boolean {
  const v = r[key];
  return v === true || v === 'True' || v === 'true';
}

export function num(r: JsonObject, key: string): number | null {
  const v = r[key];
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null;
}

export function strings(r: JsonObject, key: string): string[] {
  return asList(r[key]).filter((x): x is string => typeof x === 'string');
}

/**
 * An enum value, by number or by name, to drbook's own word. Unknown values become `fallback`
 * (with the raw value kept by the caller when it matters).
 */
export function enumOf<T extends string>(v: Json | undefined, byNumber: Record<number, T>, byName: Record<string, T>, fallback: T): T {
  if (typeof v === 'number') return byNumber[v] ?? fallback;
  if (typeof v === 'string') {
    if (/^-?\d+$/.test(v)) return byNumber[Number(v)] ?? fallback;
    return byName[v.replace(/\s+/g, '').toLowerCase()] ?? fallback;
  }
  return fallback;
}

/** `/Date(1700000000000)/`, `/Date(1700000000000+0100)/` or ISO 8601 → epoch ms; null when absent. */
export function psDate(kind: string, v: Json | undefined): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' && !Array.isArray(v) && typeof v.value === 'string') return psDate(kind, v.value); // 5.1 DateTime with ETS DisplayHint
  if (typeof v !== 'string') throw new ParseError(kind, null, `not a date: ${JSON.stringify(v)}`);
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(v);
  if (ms) return Number(ms[1]);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ParseError(kind, null, `not a date: ${v}`);
  return t;
}
