import { describe, expect, it } from 'vitest';
import { batchScript, endWatcher, splitBatch } from '../../src/transport/batch.js';

describe('reads joined in one script', () => {
  it('splits each read back with its own output, stderr and exit status', () => {
    const script = batchScript(['vim-cmd vmsvc/power.getstate 1', 'vim-cmd vmsvc/power.getstate 2'], 'n1');
    expect(script).toBe(
      "vim-cmd vmsvc/power.getstate 1; printf '\\n%s %d\\n' @drbook-read-end-n1 \"$?\"; printf '\\n%s\\n' @drbook-read-end-n1 >&2; " +
        "vim-cmd vmsvc/power.getstate 2; printf '\\n%s %d\\n' @drbook-read-end-n1 \"$?\"; printf '\\n%s\\n' @drbook-read-end-n1 >&2",
    );
    const stdout = 'Retrieved runtime info\nPowered on\n\n@drbook-read-end-n1 0\nno newline at the end\n@drbook-read-end-n1 1\n';
    const stderr = '\n@drbook-read-end-n1\nvmid 2 not found\n\n@drbook-read-end-n1\n';
    expect(splitBatch(stdout, stderr, 2, 'n1')).toEqual([
      { stdout: 'Retrieved runtime info\nPowered on\n', stderr: '', exitCode: 0 },
      { stdout: 'no newline at the end', stderr: 'vmid 2 not found\n', exitCode: 1 },
    ]);
  });

  it('a read whose end marker never came is unknown, and so is every read after it', () => {
    const stdout = 'a\n\n@drbook-read-end-n2 0\nhalf of b';
    expect(splitBatch(stdout, '\n@drbook-read-end-n2\n', 3, 'n2')).toEqual([{ stdout: 'a\n', stderr: '', exitCode: 0 }, null, null]);
  });

  it('a marker with another nonce is output, not a marker', () => {
    const stdout = 'x\n@drbook-read-end-other 0\n\n@drbook-read-end-n3 0\n';
    expect(splitBatch(stdout, '', 1, 'n3')).toEqual([{ stdout: 'x\n@drbook-read-end-other 0\n', stderr: '', exitCode: 0 }]);
  });

  it("tells each command's end as its marker arrives, however the output is cut into chunks", () => {
    const stdout = 'Removed\n\n@drbook-read-end-n4 0\nx @drbook-read-end-other 0\n\n@drbook-read-end-n4 1\ntail';
    for (let cut = 0; cut <= stdout.length; cut++) {
      for (let cut2 = cut; cut2 <= stdout.length; cut2 += 7) {
        const ended: [number, number][] = [];
        let seen = 0;
        const watch = endWatcher('n4', (i) => ended.push([i, seen]));
        for (const part of [stdout.slice(0, cut), stdout.slice(cut, cut2), stdout.slice(cut2)]) {
          seen += part.length;
          watch(Buffer.from(part, 'latin1'));
        }
        // Each end is told with the chunk that completes its marker line, never before.
        const first = stdout.indexOf('0\n', stdout.indexOf('@drbook-read-end-n4')) + 2;
        const second = stdout.indexOf('1\n') + 2;
        const chunkEnd = (at: number) => [cut, cut2, stdout.length].find((c) => c >= at);
        expect(ended).toEqual([
          [0, chunkEnd(first)],
          [1, chunkEnd(second)],
        ]);
      }
    }
  });
});
