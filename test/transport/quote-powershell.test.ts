import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ps, psQuote, readPsSingleQuoted } from '../../src/transport/quote.js';

// What PowerShell treats as a single quote, what it treats as a double quote, and what it expands.
const SPECIAL = [
  "'",
  '\u2018',
  '\u2019',
  '\u201a',
  '\u201b',
  "''",
  '"',
  '\u201c',
  '\u201d',
  '`',
  '`n',
  '$',
  '$env:PATH',
  '$(Get-Date)',
  '@(',
  '@{',
  '${x}',
  ';',
  '|',
  '&',
  '#',
  '<#',
  '#>',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '-',
  '--%',
  '[a]',
  '*',
  '?',
  '日本語',
  '🙂',
  '👍🏽',
  'é',
];
const unit = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const psArg = fc.string({ unit, maxLength: 16 }).filter((s) => !s.includes('\0'));

describe('psQuote → PowerShell single-quoted string rules', () => {
  it('round-trips arbitrary strings byte for byte', () => {
    fc.assert(
      fc.property(psArg, (s) => {
        const q = psQuote(s);
        const r = readPsSingleQuoted(q, 0);
        expect(r.value).toBe(s);
        expect(r.end).toBe(q.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every argument of a script separate: a value never ends early or swallows script text', () => {
    fc.assert(
      fc.property(fc.array(psArg, { minLength: 1, maxLength: 5 }), (args) => {
        const script = ps`Get-VM -Name ${args[0]!} | Where-Object { $_.Notes -in @(${args}) }`;
        // Walk the script: every quoted value comes back in order and the text between them is ours.
        const got: string[] = [];
        const between: string[] = [];
        let i = 0;
        let last = 0;
        while (i < script.length) {
          if (/['\u2018\u2019\u201a\u201b]/.test(script[i]!)) {
            between.push(script.slice(last, i));
            const r = readPsSingleQuoted(script, i);
            got.push(r.value);
            i = r.end;
            last = i;
          } else i++;
        }
        between.push(script.slice(last));
        expect(got).toEqual([args[0], ...args]);
        expect(between.join('\u0000')).toBe(
          ['Get-VM -Name ', ' | Where-Object { $_.Notes -in @(', ...args.slice(1).map(() => ','), ') }'].join('\u0000'),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('doubles every kind of single quote and leaves double quotes and $ alone', () => {
    expect(psQuote("it's")).toBe("'it''s'");
    expect(psQuote('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(psQuote('‘x‚y‛')).toBe("'‘‘x‚‚y‛‛'");
    expect(psQuote('$(rm) "q" `n')).toBe(`'$(rm) "q" \`n'`);
    expect(psQuote('')).toBe("''");
    expect(() => psQuote('a\0b')).toThrow(/NUL/);
  });

  it('builds lists and splices drbook-written script text as is', () => {
    expect(ps`Set-ClusterOwnerNode -Group ${'web 01'} -Owners ${['hv1', 'hv2']}`).toBe(
      "Set-ClusterOwnerNode -Group 'web 01' -Owners 'hv1','hv2'",
    );
    expect(ps`x ${[]} ${{ ps: '-Compress' }}`).toBe('x @() -Compress');
  });

  it('refuses an unterminated string', () => {
    expect(() => readPsSingleQuoted("'abc", 0)).toThrow(/unterminated/);
    expect(() => readPsSingleQuoted("'a''", 0)).toThrow(/unterminated/);
  });
});
