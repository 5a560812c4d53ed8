import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hypervCommands as cmd } from '../../src/adapters/hyperv/commands.js';
import { parseClusterGroups, parsePsError, parseVms } from '../../src/adapters/hyperv/parsers.js';
import { createHvState, HV_HOSTILE_NAMES } from '../../src/lab/hyperv/model.js';
import { runPowerShell, splitPsScript, type PsFlavour } from '../../src/lab/hyperv/powershell.js';

const ctx = (flavour: PsFlavour, host = 'HV01') => ({
  state: createHvState({ nodes: 2, vms: 12, seed: 2, names: 'hostile' }),
  host,
  flavour,
  now: () => 1_000,
  bootMs: 0,
  changed: () => undefined,
});

describe('the lab PowerShell endpoint', () => {
  it('reads every value drbook quotes back byte for byte, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0')),
        fc.array(
          fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 3 },
        ),
        (group, owners) => {
          const { values } = splitPsScript(cmd.setPreferredOwners(group, owners));
          expect(values).toEqual([group, ...owners]);
          // The endpoint names the very group it was given (here: one that does not exist).
          const r = runPowerShell(ctx('5.1'), cmd.removeGroup(`${group}\u2019x`));
          expect(parsePsError(r.stderr)?.message).toBe(`The cluster group '${group}\u2019x' was not found.`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prints what 5.1 and 7 print, and the adapter reads both the same', () => {
    const a = runPowerShell(ctx('5.1'), cmd.listVms());
    const b = runPowerShell(ctx('7'), cmd.listVms());
    expect(a.stdout).toMatch(/\r\n$/);
    expect(a.stdout).toContain('\\u0027'); // 5.1 escapes the quote in "it's"
    expect(b.stdout).not.toContain('\\u0027');
    expect(parseVms(a.stdout)).toEqual(parseVms(b.stdout));
    expect(parseVms(a.stdout).map((v) => v.name)).toContain(HV_HOSTILE_NAMES[0]);
    const groups = parseClusterGroups(runPowerShell(ctx('5.1'), cmd.clusterGroups()).stdout);
    expect(groups.filter((g) => g.isVmRole)).toHaveLength(12);
  });

  it('answers anything else as PowerShell does an unknown command, and BEMCLI only on the backup server', () => {
    const r = runPowerShell(ctx('5.1'), 'Get-VM | Format-Table');
    expect(r.code).toBe(1);
    expect(parsePsError(r.stderr)?.errorId).toBe('CommandNotFoundException');
    expect(runPowerShell(ctx('5.1'), cmd.jobHistory('HV-CSV Daily')).code).toBe(1);
    expect(runPowerShell(ctx('5.1', 'BE01'), cmd.jobHistory('HV-CSV Daily'))).toMatchObject({ code: 0, stdout: '' });
  });
});
