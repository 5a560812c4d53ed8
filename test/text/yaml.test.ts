import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml, yamlQuoted } from '../../src/text/yaml.js';

/** How the paper copies were written with the `yaml` library: src/text/yaml.ts must match it. */
const LIBRARY_OPTIONS = {
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  defaultStringType: 'QUOTE_DOUBLE',
  defaultKeyType: 'PLAIN',
} as const;

/** Any string: lone surrogates, controls, line separators, emoji. */
const anyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0085', '\u2028', '\u2029', '\ufeff', '\ud800', '\u007f'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 20,
});

describe('toYaml', () => {
  it('reads back as the same data, for any strings and keys', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
      leaf: fc.oneof(anyString, fc.boolean(), fc.constant(null), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(anyString, tie('node'), { maxKeys: 4 }),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(parse(toYaml(v))).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('writes the bytes the yaml library wrote for ordinary data', () => {
    const key = fc.stringMatching(/^[a-z][A-Za-z0-9_]{1,8}$/).filter((k) => !/^(?:yes|no|on|off|true|false|null)$/i.test(k));
    const text = fc.string({ maxLength: 30 }); // printable ASCII: colons, quotes, `#`, `- ` and all
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
      leaf: fc.oneof(text, fc.boolean(), fc.constant(null), fc.integer()),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(toYaml(v)).toBe(stringify(v, LIBRARY_OPTIONS));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every string on one line and escapes what YAML 1.1 reads as a line break or refuses', () => {
    expect(yamlQuoted('a\nb\r\n\tc "q" \\')).toBe('"a\\nb\\r\\n\\tc \\"q\\" \\\\"');
    expect(yamlQuoted('\u0000\u0007\u000b\u001b\u0001')).toBe('"\\0\\a\\v\\e\\x01"');
    expect(yamlQuoted('nel\u0085 ls\u2028 ps\u2029 del\u007f c1\u009b bom\ufeff')).toBe('"nel\\N ls\\L ps\\P del\\x7f c1\\x9b bom\\ufeff"');
    expect(yamlQuoted('日本語 🚀')).toBe('"日本語 🚀"');
    expect(toYaml({ note: 'a long annotation that goes on\nand on over two lines of text' })).toBe(
      'note: "a long annotation that goes on\\nand on over two lines of text"\n',
    );
    // Keys YAML 1.1 reads as booleans, or that are not identifiers, are quoted.
    expect(toYaml({ y: 1, no: 2, 'a b': 3, '0': 4, ok: 5 })).toBe('"0": 4\n"y": 1\n"no": 2\n"a b": 3\nok: 5\n');
  });

  it('writes blocks with two-space indent, empty collections inline, absent fields left out', () => {
    expect(toYaml({ a: [{ b: 1, c: [] }, ['x', 'y']], d: {}, e: undefined, f: null })).toBe(
      'a:\n  - b: 1\n    c: []\n  - - "x"\n    - "y"\nd: {}\nf: null\n',
    );
  });
});
