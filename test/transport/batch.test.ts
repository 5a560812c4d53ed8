import { describe, expect, it } from 'vitest';
import { ScriptSplitter, batchScript, type BatchPart } from '../../src/transport/batch.js';

/** Each command's part from a script's whole output, as the splitter gives them once it has ended. */
function splitBatch(stdout: string, stderr: string, count: number, nonce: string): (BatchPart | null)[] {
  const s = new ScriptSplitter(nonce, count);
  s.stdout(Buffer.from(stdout, 'utf8'));
  s.stderr(Buffer.from(stderr, 'utf8'));
  return s.end();
}

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

  it('gives each command its part as soon as both its markers have come, however the output is cut into chunks', () => {
    const stdout = 'Removed\n\n@drbook-read-end-n4 0\nx @drbook-read-end-other 0 ✓\n\n@drbook-read-end-n4 1\ntail';
    const stderr = '\n@drbook-read-end-n4\nnot found ✗\n\n@drbook-read-end-n4\n';
    const out = Buffer.from(stdout, 'utf8');
    const err = Buffer.from(stderr, 'utf8');
    // Where each part's markers end, in bytes: it is whole once both have come.
    const outEnds = [out.indexOf('0\n', out.indexOf('@drbook-read-end-n4')) + 2, out.lastIndexOf('1\n') + 2];
    const errEnds = [err.indexOf('n4\n') + 3, err.length];
    const expected: BatchPart[] = [
      { stdout: 'Removed\n', stderr: '', exitCode: 0 },
      { stdout: 'x @drbook-read-end-other 0 ✓\n', stderr: 'not found ✗\n', exitCode: 1 },
    ];
    for (let cut = 0; cut <= out.length; cut += 3) {
      for (let cut2 = cut; cut2 <= out.length; cut2 += 7) {
        // stdout in three chunks (cutting characters and markers anywhere), stderr in two, interleaved.
        const chunks: ['out' | 'err', Buffer][] = [
          ['out', out.subarray(0, cut)],
          ['err', err.subarray(0, cut % err.length)],
          ['out', out.subarray(cut, cut2)],
          ['err', err.subarray(cut % err.length)],
          ['out', out.subarray(cut2)],
        ];
        const told: [number, BatchPart, number, number][] = [];
        let seenOut = 0;
        let seenErr = 0;
        const s = new ScriptSplitter('n4', 3, (i, part) => told.push([i, part, seenOut, seenErr]));
        for (const [stream, chunk] of chunks) {
          if (stream === 'out') {
            seenOut += chunk.length;
            s.stdout(chunk);
          } else {
            seenErr += chunk.length;
            s.stderr(chunk);
          }
        }
        expect(s.end()).toEqual([...expected, null]);
        // Each part is told once, in order, with the chunk that completes the later of its two markers.
        expect(told.map(([i, part]) => [i, part])).toEqual(expected.map((p, i) => [i, p]));
        for (const [i, , atOut, atErr] of told) {
          expect(atOut).toBeGreaterThanOrEqual(outEnds[i]!);
          expect(atErr).toBeGreaterThanOrEqual(errEnds[i]!);
        }
        const chunkOf = (at: number, ends: number[]) => ends.find((c) => c >= at)!;
        const outCuts = [cut, cut2, out.length];
        const errCuts = [cut % err.length, err.length];
        for (const [i, , atOut, atErr] of told)
          expect(atOut === chunkOf(outEnds[i]!, outCuts) || atErr === chunkOf(errEnds[i]!, errCuts)).toBe(true);
      }
    }
  });

  it('a command whose stdout marker came without its stderr marker gets what stderr had left, when the script ends', () => {
    const s = new ScriptSplitter('n5', 2);
    s.stdout(Buffer.from('a\n\n@drbook-read-end-n5 0\nb\n@drbook-read-end-n5 2\n'));
    s.stderr(Buffer.from('warn'));
    expect(s.end()).toEqual([
      { stdout: 'a\n', stderr: 'warn', exitCode: 0 },
      { stdout: 'b', stderr: '', exitCode: 2 },
    ]);
  });
});
