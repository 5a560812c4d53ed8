import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ontapLine, shellLine, shellQuote, splitOntapLine, type OntapToken } from '../../src/transport/quote.js';

const run = promisify(execFile);

// Characters that mean something to a shell or to clustershell, plus non-ASCII text.
const SPECIAL = [
  "'",
  '"',
  '\\',
  '$',
  '$(id)',
  '`id`',
  '${HOME}',
  '(',
  ')',
  ';',
  '|',
  '&',
  '&&',
  '>',
  '<',
  '\n',
  '\r',
  '\t',
  ' ',
  '*',
  '?',
  '[',
  ']',
  '~',
  '#',
  '!',
  '{',
  '}',
  '=',
  '%',
  '-',
  '--',
  '-n',
  '-e',
  '日本語',
  'データストア',
  '🙂',
  '👍🏽',
  'é',
];
const unit = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
);
const shellArg = fc.string({ unit, maxLength: 12 }).filter((s) => !s.includes('\0'));
const argv = fc.array(shellArg, { minLength: 1, maxLength: 5 });

/** What `printf '%s\0' args…` prints when every argument arrives intact. */
function expected(args: string[]): Buffer {
  return Buffer.from(args.map((a) => `${a}\0`).join(''), 'utf8');
}

async function throughSh(cases: string[][]): Promise<Buffer> {
  const script = cases.map((args) => `printf '%s\\0' ${shellLine(args)}`).join('\n');
  const { stdout } = await run('/bin/sh', ['-c', script], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describe('shellLine through a real /bin/sh', () => {
  it('keeps fixed hard cases byte for byte', async () => {
    const cases = [
      [''],
      ['', ''],
      ["it's"],
      ['$(rm -rf /)', '`reboot`', 'a;b', 'a|b', 'a&b', 'a\nb'],
      ['-rf', '--', '-'],
      ['日本語の VM', '🙂 emoji', "'\"'\"'"],
      ['\\', '\\\\n', '%s', '%%'],
    ];
    expect(await throughSh(cases)).toEqual(Buffer.concat(cases.map(expected)));
  });

  it('keeps arbitrary arguments byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(argv, { minLength: 50, maxLength: 100 }), async (cases) => {
        const got = await throughSh(cases);
        const want = Buffer.concat(cases.map(expected));
        if (!got.equals(want)) {
          // Name the exact case that broke, not just the batch.
          for (const c of cases) expect(await throughSh([c])).toEqual(expected(c));
        }
        expect(got.equals(want)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('leaves safe words bare and refuses NUL', () => {
    expect(shellLine(['vim-cmd', 'vmsvc/getallvms'])).toBe('vim-cmd vmsvc/getallvms');
    expect(shellQuote('')).toBe("''");
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('ontapLine → splitOntapLine', () => {
  // eslint-disable-next-line no-control-regex -- the words ONTAP can be sent: no control characters
  const ontapWord = fc.string({ unit, maxLength: 12 }).filter((s) => !/[\u0000-\u001f\u007f"\\]/.test(s));
  const param = fc.constantFrom('-vserver', '-volume', '-snapshot', '-fields', '-destination-path', '-x');
  const token: fc.Arbitrary<OntapToken> = fc.oneof(
    ontapWord,
    param.map((p) => ({ param: p })),
  );

  it('round-trips arbitrary words and parameter names', () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 8 }), (tokens) => {
        expect(splitOntapLine(ontapLine(tokens))).toEqual(tokens);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes every value holding a documented query or clustershell character, so it is literal', () => {
    const special = ['*', '!', '|', '..', '<', '>', '<=', '>=', '{', '}', '?', '#', ',', ' ', ';', "'", '`', '$', '&', '(', ')'];
    fc.assert(
      fc.property(ontapWord, fc.constantFrom(...special), ontapWord, (a, c, b) => {
        const word = `${a}${c}${b}`;
        expect(ontapLine([word])).toBe(`"${word}"`);
        expect(splitOntapLine(ontapLine(['x', word]))).toEqual(['x', word]);
      }),
      { numRuns: 500 },
    );
    expect(ontapLine(['volume', 'show', { param: '-volume' }, 'a,b'])).toBe('volume show -volume "a,b"');
    expect(ontapLine(['0..100'])).toBe('"0..100"');
    expect(ontapLine(['svm2:vm_vol1_mirror', 'smvi__job1_recent', '/vm_vol1'])).toBe('svm2:vm_vol1_mirror smvi__job1_recent /vm_vol1');
  });

  it('refuses " and \\ (the clustershell documents no escape for them) and control characters', () => {
    fc.assert(
      fc.property(ontapWord, fc.constantFrom('"', '\\', '\n', '\r', '\u0000', '\u007f'), ontapWord, (a, c, b) => {
        expect(() => ontapLine([`${a}${c}${b}`])).toThrow(TypeError);
      }),
      { numRuns: 200 },
    );
  });

  it('quotes a value that looks like a parameter, so it stays a value', () => {
    expect(ontapLine(['volume', 'show', { param: '-vserver' }, '-vserver'])).toBe('volume show -vserver "-vserver"');
    expect(splitOntapLine('volume show -vserver "-vserver"')).toEqual(['volume', 'show', { param: '-vserver' }, '-vserver']);
  });
});
