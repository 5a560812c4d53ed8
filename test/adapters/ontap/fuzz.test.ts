import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import {
  findOntapError,
  parseOntapInstance,
  parseOntapMessage,
  parseOntapTable,
  parseSnapmirrorShow,
  parseSnapshotShow,
  parseVolumeCloneShow,
  parseVolumeShow,
} from '../../../src/adapters/ontap/parsers.js';
import { fixture, ontapFixtureNames } from './fixtures.js';

/** Every parser, with the invariant a returned value must hold: never a half-filled record. */
const PARSERS: Record<string, (text: string) => void> = {
  table: (t) => {
    const r = parseOntapTable(t);
    for (const row of r.rows) expect(Object.keys(row.values)).toHaveLength(r.columns.length);
  },
  instance: (t) => void parseOntapInstance(t),
  snapmirror: (t) => {
    for (const rel of parseSnapmirrorShow(t).relationships) {
      expect(rel.source).toMatch(/\S/);
      expect(rel.destination).toMatch(/\S/);
      expect([true, false, null]).toContain(rel.healthy);
    }
  },
  snapshot: (t) => {
    for (const s of parseSnapshotShow(t).snapshots) {
      expect(s.vserver).toMatch(/\S/);
      expect(s.volume).toMatch(/\S/);
      expect(s.name).toMatch(/\S/);
    }
  },
  volume: (t) => {
    for (const v of parseVolumeShow(t).volumes) expect(v.volume).toMatch(/\S/);
  },
  clone: (t) => {
    for (const c of parseVolumeCloneShow(t).clones) {
      expect(c.vserver).toMatch(/\S/);
      expect(c.flexclone).toMatch(/\S/);
    }
  },
  message: (t) => {
    const m = parseOntapMessage(t);
    expect(['error', 'warning', 'notice', 'success', 'empty', 'other']).toContain(m.kind);
    for (const p of m.prompts) expect(typeof p.question).toBe('string');
  },
  findError: (t) => {
    const e = findOntapError(t);
    if (e !== null) expect(e).toMatch(/^(Error:|\[Job)/);
  },
};

/** Returns normally or throws ParseError (which names a line or says null); anything else fails. */
function survives(text: string): void {
  for (const [name, parse] of Object.entries(PARSERS)) {
    try {
      parse(text);
    } catch (err) {
      if (err instanceof ParseError) {
        expect(err.message, name).not.toMatch(/\n/);
        continue;
      }
      throw new Error(`${name} threw ${String(err)} on ${JSON.stringify(text.slice(0, 200))}`, { cause: err });
    }
  }
}

const names = ontapFixtureNames();
const texts = names.map((n) => fixture(n));

/** Characters that tables and messages are made of, so random text reaches the deep paths. */
const tableish = fc
  .array(
    fc.constantFrom(
      ' ',
      ' ',
      ' ',
      '  ',
      '-',
      '---',
      '\n',
      '\n',
      'a',
      'vs1:vol1',
      'XDP',
      'true',
      ':',
      ': ',
      '09/19 07:58:29',
      'Error: ',
      'Source Path',
      '\r',
      '\t',
      '{y|n}: y',
      '{y|n}:',
      ' Continue? {y|n}: n',
      '[Job 1] Job succeeded: x',
      '[Job 1] Steps completed: 1 of 2.',
      '2 entries were displayed.',
      'This table is currently empty.',
      'Warning: ',
    ),
    { maxLength: 120 },
  )
  .map((parts) => parts.join(''));

describe('fuzz: the ONTAP parsers return or throw ParseError, never anything else, never hang', () => {
  it('random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (t) => survives(t)),
      { numRuns: 400 },
    );
  });

  it('random table-like text', () => {
    fc.assert(
      fc.property(tableish, (t) => survives(t)),
      { numRuns: 1500 },
    );
  });

  it('shuffles and subsets of fixture lines', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...texts).chain((t) => fc.shuffledSubarray(t.split('\n'))),
        (lines) => survives(lines.join('\n')),
      ),
      { numRuns: 1500 },
    );
  });

  it('lines of two fixtures mixed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.constantFrom(...texts), fc.nat(), (a, b, at) => {
        const la = a.split('\n');
        const cut = at % (la.length + 1);
        survives([...la.slice(0, cut), ...b.split('\n'), ...la.slice(cut)].join('\n'));
      }),
      { numRuns: 500 },
    );
  });

  it('every truncation of every fixture', () => {
    for (const text of texts) {
      for (let i = 0; i <= text.length; i++) survives(text.slice(0, i));
    }
  });

  it('a truncated table never yields a half-filled last record', () => {
    for (const name of names.filter((n) => /^ontap-snapmirror-show-(?!fields|instance)/.test(n))) {
      const text = fixture(name);
      const whole = parseSnapmirrorShow(text).relationships;
      for (let i = 0; i < text.length; i++) {
        let rels;
        try {
          rels = parseSnapmirrorShow(text.slice(0, i)).relationships;
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
          continue;
        }
        // What a truncation returns is a prefix of the whole reading, except that the last value
        // of the last column may be cut (`09/19 07:5`): the table has no end marker to tell.
        rels.forEach((r, j) => {
          const w = whole[j]!;
          expect({ ...r, lastUpdated: null, fields: null }).toEqual({ ...w, lastUpdated: null, fields: null });
        });
      }
    }
  });
});

describe('hostile sizes stay fast (linear work per line)', () => {
  it('a huge header, dash line and rows are read or refused without stalling', () => {
    const wide = Array.from({ length: 300 }, (_, i) => `c${i}`.padEnd(5)).join(' ');
    const dash = Array.from({ length: 300 }, () => '-----').join(' ');
    const row = Array.from({ length: 300 }, () => 'x'.padEnd(5)).join(' ');
    const t = parseOntapTable([wide, dash, ...Array.from({ length: 2000 }, () => row)].join('\n'));
    expect(t.rows).toHaveLength(2000);
    const many = Array.from({ length: 50_000 }, () => '-').join(' ');
    expect(() => parseOntapTable(`h\n${many}\n${'a '.repeat(50_000)}\n`)).toThrow(ParseError);
    expect(() => parseOntapTable(`${'--x'.repeat(30_000)}--\n---\n`)).toThrow(ParseError);
    const longLine = `${'?'.repeat(200_000)} {y|n}`;
    expect(parseOntapMessage(longLine).kind).toBe('other');
    // Prompt marks after long blank runs, many sentences, or many marks on one line.
    expect(parseOntapMessage(`${' '.repeat(200_000)}x {y|n}: y`).prompts).toHaveLength(1);
    expect(parseOntapMessage(`Warning: ${'a. '.repeat(60_000)}Continue? {y|n}: y`).prompts).toEqual([
      { question: 'Continue?', answer: 'y' },
    ]);
    expect(parseOntapMessage(`${'{y|n}: '.repeat(30_000)}`).kind).toBe('other');
    expect(parseOntapMessage(`a${' '.repeat(200_000)}{y|n}`).kind).toBe('other');
    expect(parseOntapMessage(`Volume ${'a '.repeat(100_000)}`).kind).toBe('other');
  });
});
