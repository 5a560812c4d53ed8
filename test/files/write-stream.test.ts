import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeStreamChunks } from '../../src/files/write-stream.js';

/** A stream that holds each write until released: it reports full after every write. */
function slowSink() {
  const got: string[] = [];
  const held: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      got.push(chunk.toString());
      held.push(done);
    },
  });
  return { stream, got, held };
}

/** `row 0\n` … as a lazy sequence, and how many rows it has produced so far. */
function countedRows(n: number) {
  let produced = 0;
  function* chunks() {
    for (let i = 0; i < n; i++) {
      produced++;
      yield `row ${i}\n`;
    }
  }
  return { chunks: chunks(), produced: () => produced };
}

describe('writeStreamChunks', () => {
  it('writes everything in order, in blocks, waiting while the stream is full', async () => {
    const { stream, got, held } = slowSink();
    const rows = countedRows(20_000);
    const writing = writeStreamChunks(stream, rows.chunks);
    // The first block is written and the stream is full: nothing more is produced until it drains.
    await new Promise((r) => setImmediate(r));
    expect(got).toHaveLength(1);
    const producedWhileFull = rows.produced();
    expect(producedWhileFull).toBeLessThan(20_000);
    await new Promise((r) => setImmediate(r));
    expect(rows.produced()).toBe(producedWhileFull);
    // Release writes as they come until the writer is done.
    let last: string | undefined;
    void writing.then((l) => (last = l));
    while (last === undefined) {
      held.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(last).toBe('\n');
    expect(got.length).toBeGreaterThan(1);
    expect(got.join('')).toBe(Array.from({ length: 20_000 }, (_, i) => `row ${i}\n`).join(''));
  });

  it('stops when the reader goes away (| head), without throwing or writing more', async () => {
    const { stream, got } = slowSink();
    stream.on('error', () => undefined); // the interrupt watcher's listener in drbook
    const rows = countedRows(20_000);
    const writing = writeStreamChunks(stream, rows.chunks);
    await new Promise((r) => setImmediate(r));
    expect(got).toHaveLength(1);
    stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(writing).resolves.toBe('\n');
    expect(got).toHaveLength(1);
    expect(rows.produced()).toBeLessThan(20_000);
  });

  it('returns an empty string when there was nothing to write', async () => {
    const { stream } = slowSink();
    expect(await writeStreamChunks(stream, [])).toBe('');
  });
});
