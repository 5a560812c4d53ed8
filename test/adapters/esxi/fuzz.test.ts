import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import {
  findVimFault,
  parseFilesystemList,
  parseGetAllVms,
  parseGuestInfo,
  parseHeartbeat,
  parseLockdown,
  parseNfsList,
  parsePendingQuestion,
  parsePendingQuestions,
  parsePowerState,
  parseProcessList,
  parseRegisterVm,
  parseSnapshotTree,
  parseVersion,
  parseVimFault,
  parseVmx,
  powerChangeFailure,
  serializeVmx,
} from '../../../src/adapters/esxi/parsers.js';
import { parseVmsd } from '../../../src/inventory/vmsd.js';
import { esxiFixtureNames, fixture } from './fixtures.js';

const PARSERS: Record<string, (s: string) => unknown> = {
  parseGetAllVms,
  parseSnapshotTree,
  parsePowerState,
  parseProcessList,
  parseNfsList,
  parseFilesystemList,
  parseVersion,
  parseLockdown,
  parseVimFault,
  findVimFault,
  parseRegisterVm,
  parseGuestInfo,
  parseHeartbeat,
  parsePendingQuestion,
  parsePendingQuestions,
  parseVmx,
  parseVmsd,
  powerChangeFailure,
};

/** Returns, or throws ParseError; anything else (TypeError, RangeError, …) fails the test. */
function tryAll(text: string): void {
  for (const [name, parse] of Object.entries(PARSERS)) {
    try {
      parse(text);
    } catch (err) {
      if (!(err instanceof ParseError)) {
        throw new Error(`${name} threw ${String(err)} on ${JSON.stringify(text.slice(0, 200))}`, { cause: err });
      }
    }
  }
}

const fixtureTexts = esxiFixtureNames().map((n) => fixture(n));
const fixtureLines = [...new Set(fixtureTexts.flatMap((t) => t.split('\n')))];
// Plus the shapes of the formats that have no fixture, so their parsers are reached too.
const extraLines = [
  'Guest information:',
  '(vim.vm.GuestInfo) {',
  '   toolsRunningStatus = "guestToolsRunning",',
  '   guestState = "running",',
  '   net = (vim.vm.GuestInfo.NicInfo) [',
  '      (vim.vm.GuestInfo.NicInfo) {',
  '   ],',
  '      }',
  '}',
  'Virtual machine message _vmx1:',
  'msg.uuid.altered:This virtual machine may have been moved or copied.',
  '0. Cancel (Cancel)',
  '1. I _moved it (I _moved it)',
  '2. I _copied it (I _copied it) [default]',
  '   1. I _Moved It (button.uuid.movedTheVM)',
  'Answer the question with one of the following: 0. Cancel 1. I Moved It 2. I Copied It',
  'green',
  'No message.',
  '   msg = "unterminated',
  '"',
  '--|-CHILD',
  '------Snapshot Name : deep',
];
const pool = [...fixtureLines, ...extraLines];

describe('ESXi parsers never crash and never hang', () => {
  it('every truncation of every fixture', () => {
    for (const text of fixtureTexts) {
      for (let cut = 0; cut <= text.length; cut++) tryAll(text.slice(0, cut));
    }
  }, 180_000); // ~20k prefixes × every parser; slow under a loaded CI, never a hang

  it('random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (s) => tryAll(s)),
      { numRuns: 400 },
    );
  });

  it('random mixes of real lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), (lines, eol) =>
        tryAll(lines.join(eol)),
      ),
      { numRuns: 600 },
    );
  });

  it('each fixture with its lines shuffled, dropped or doubled', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtureTexts).chain((t) => fc.shuffledSubarray([...t.split('\n'), ...t.split('\n')])),
        (lines) => tryAll(lines.join('\n')),
      ),
      { numRuns: 800 },
    );
  });

  it('real lines with random edits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...pool), fc.nat(200), fc.string({ maxLength: 6 })), { maxLength: 25 }), (edits) =>
        tryAll(edits.map(([l, at, ins]) => l.slice(0, at % (l.length + 1)) + ins + l.slice(at % (l.length + 1))).join('\n')),
      ),
      { numRuns: 600 },
    );
  });

  it('long hostile lines finish (no quadratic or exponential backtracking)', () => {
    // Shapes that made earlier regexes quadratic (lazy groups before blank runs, candidate × candidate).
    const hostile = [
      `1 ${'[ '.repeat(20000)}`,
      `1 ${'[a] .vmx '.repeat(8000)}`,
      `1   ${'[a] .vmx x '.repeat(8000)}`,
      `1 [a] ${'.vmx'.repeat(20000)} `,
      `--Snapshot ${'a '.repeat(30000)}`,
      `${' '.repeat(60000)}x`,
      `a${' '.repeat(60000)}x`,
      `a = ${' '.repeat(60000)}x`,
      `   Key${' '.repeat(60000)}x`,
      `1. ${' ('.repeat(30000)}`,
      `(vim.fault.X) {\n   msg = "${' '.repeat(60000)}x`,
      `(vim.fault.X) {\n${'   a = (b) {\n'.repeat(100)}`,
      `${'-'.repeat(30000)}\n${'-  '.repeat(20000)}\n${'x  '.repeat(20000)}`,
      `Mount Point  UUID  Mounted  Type\n${'- '.repeat(30000)}\n${' '.repeat(60000)}x`,
      `Virtual machine message ${'x'.repeat(60000)}:\n${'1. '.repeat(20000)}`,
      `snapshot0.displayName = "${' '.repeat(60000)}`,
    ];
    for (const h of hostile) tryAll(h);
  });

  it('.vmx round-trips any text made of lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
          { maxLength: 20 },
        ),
        (lines) => {
          const text = lines.length ? `${lines.join('\n')}\n` : '';
          expect(serializeVmx(parseVmx(text))).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
