import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restoreFilePathProblem } from '../../../src/adapters/ontap/ops.js';
import { ontapLine, splitOntapLine } from '../../../src/transport/quote.js';

describe('restore-file -path: a safe character set, or a clear refusal', () => {
  it('accepts VM folders of letters in any script, digits, spaces and plain punctuation', () => {
    for (const p of [
      '/web01/web01.vmx',
      '/日本語の仮想マシン/日本語の仮想マシン-flat.vmdk',
      "/it's (old) [v2]/x.vmx",
      '/$(reboot)/a.vmsd',
      '/a,b/c & d.nvram',
      '/emoji é/x.vmx',
    ]) {
      expect(restoreFilePathProblem(p), p).toBeNull();
    }
  });

  it('refuses what the clustershell could read as syntax or has no escape for, naming it', () => {
    expect(restoreFilePathProblem('/it\'s "quoted"/x.vmx')).toBe('it holds "\\""');
    expect(restoreFilePathProblem('/back\\slash/x.vmx')).toBe('it holds "\\\\"');
    expect(restoreFilePathProblem('/star*/x.vmx')).toBe('it holds "*"');
    expect(restoreFilePathProblem('/a|b/x.vmx')).toBe('it holds "|"');
    expect(restoreFilePathProblem('/new\nline/x.vmx')).toBe('it holds "\\n"');
    expect(restoreFilePathProblem('relative/x.vmx')).toBe('it must start with /');
    expect(restoreFilePathProblem('/a/../etc/x')).toBe('it has a . or .. component');
    expect(restoreFilePathProblem('/a//x')).toBe('it has an empty component (//)');
  });

  it('every accepted path goes through the quoting module unchanged', () => {
    const char = fc.constantFrom(..."abcXYZ019 _.-+=@%~()[]',&$日本é".split(''));
    const part = fc.array(char, { minLength: 1, maxLength: 10 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const p = `/${parts.join('/')}`;
        fc.pre(restoreFilePathProblem(p) === null);
        expect(splitOntapLine(ontapLine(['-x', p].slice(1)))).toEqual([p]);
      }),
      { numRuns: 300 },
    );
  });
});
