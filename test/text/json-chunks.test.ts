import { describe, expect, it } from 'vitest';
import { jsonChunks, type JsonReplacer } from '../../src/text/json-chunks.js';

const sample = {
  text: 'ünïcödé "quoted" \\ back\nslash 日本',
  n: [0, -1.5, NaN, Infinity, 1e21],
  flags: [true, false, null],
  gone: undefined,
  fn: () => 1,
  holes: [1, undefined, () => 2, Symbol('s')],
  empty: { a: [], o: {} },
  date: new Date(Date.UTC(2026, 0, 2)),
  nested: [{ at: 1_700_000_000_000, startedAt: 5, list: [[], [{}], [[1, 2]]] }],
  boxed: [new Number(3), new String('s'), new Boolean(false)],
};

describe('jsonChunks', () => {
  it.each([0, 2, 4])('is JSON.stringify in pieces (space %i)', (space) => {
    const times: JsonReplacer = (key, value) => (typeof value === 'number' && /At$|^at$/.test(key) ? new Date(value).toISOString() : value);
    for (const replacer of [undefined, times]) {
      expect([...jsonChunks(sample, replacer, space)].join('')).toBe(JSON.stringify(sample, replacer, space));
      for (const v of [null, 1, 'x', [], {}, [undefined]])
        expect([...jsonChunks(v, replacer, space)].join('')).toBe(JSON.stringify(v, replacer, space));
    }
  });

  it('writes nothing for what JSON.stringify leaves out, and refuses a cycle', () => {
    expect([...jsonChunks(undefined)]).toEqual([]);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = [cyclic];
    expect(() => [...jsonChunks(cyclic)]).toThrow(TypeError);
  });

  it('writes a list produced as it is written as the array it yields', () => {
    function* rows() {
      yield { id: 'c1', at: 1 };
      yield { id: 'c2', gone: undefined };
    }
    const list = [{ id: 'c1', at: 1 }, { id: 'c2' }];
    expect([...jsonChunks({ commands: rows(), after: 1 }, undefined, 2)].join('')).toBe(
      JSON.stringify({ commands: list, after: 1 }, undefined, 2),
    );
    expect([...jsonChunks({ none: [].values() })].join('')).toBe('{"none":[]}');
  });
});
