import { gatherChunks } from './atomic-write.js';
import { writable } from '../session/interrupt.js';

/** Until the stream can take more, or will never again (its reader went away: error, close). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/**
 * Write the concatenation of `chunks` to a stream (stdout) as it is produced, waiting whenever the
 * stream is full: a big run's report piped to a pager is never held whole in memory. When the
 * reader goes away (`| head`), writing stops; the stream's error is the interrupt watcher's to report.
 * Returns the last character written ('' when nothing was).
 */
export async function writeStreamChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<string> {
  let last = '';
  for (const block of gatherChunks(chunks)) {
    if (!writable(stream)) break;
    last = block[block.length - 1]!;
    if (!stream.write(block)) await drained(stream);
  }
  return last;
}
