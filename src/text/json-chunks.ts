/**
 * JSON.stringify(value, replacer, space) in pieces, for a document too big to hold as one string
 * (a run report of thousands of commands): the same text, a piece per value. Synchronous, so it
 * feeds src/files/atomic-write.ts directly (json-stream-stringify is an asynchronous stream).
 * One addition: a list produced as it is written (an iterable object that is not an array, a Map
 * or a Set, e.g. a generator) is written as the array it yields, where JSON.stringify writes `{}`.
 */
export type JsonReplacer = (this: unknown, key: string, value: unknown) => unknown;

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const isLazyList = (v: object): v is Iterable<unknown> =>
  Symbol.iterator in v && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);

export function* jsonChunks(value: unknown, replacer?: JsonReplacer, space = 0): Generator<string> {
  const gap = ' '.repeat(Math.min(10, space));
  const colon = gap ? ': ' : ':';
  const open = new Set<object>();

  // The spec's SerializeJSONProperty: toJSON, then the replacer, with the holder as `this`.
  const resolve = (holder: object, key: string): unknown => {
    let v = (holder as Record<string, unknown>)[key];
    if (v !== null && (typeof v === 'object' || typeof v === 'bigint')) {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, key);
    }
    return replacer ? replacer.call(holder, key, v) : v;
  };

  function* serialize(v: unknown, indent: string): Generator<string> {
    if (v === null || typeof v !== 'object' || v instanceof Number || v instanceof String || v instanceof Boolean) {
      yield JSON.stringify(v);
      return;
    }
    if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
    open.add(v);
    const inner = indent + gap;
    const lead = gap ? `\n${inner}` : '';
    if (Array.isArray(v) || isLazyList(v)) {
      let i = 0;
      for (const element of v as Iterable<unknown>) {
        yield i === 0 ? `[${lead}` : `,${lead}`;
        // The holder a replacer sees is the list; for a lazy one, a one-element stand-in.
        const item = Array.isArray(v) ? resolve(v, String(i)) : resolve({ [String(i)]: element }, String(i));
        if (omitted(item)) yield 'null';
        else yield* serialize(item, inner);
        i++;
      }
      yield i === 0 ? '[]' : gap ? `\n${indent}]` : ']';
    } else {
      let first = true;
      for (const key of Object.keys(v)) {
        const item = resolve(v, key);
        if (omitted(item)) continue;
        yield `${first ? '{' : ','}${lead}${JSON.stringify(key)}${colon}`;
        first = false;
        yield* serialize(item, inner);
      }
      yield first ? '{}' : gap ? `\n${indent}}` : '}';
    }
    open.delete(v);
  }

  const top = resolve({ '': value }, '');
  if (!omitted(top)) yield* serialize(top, '');
}
