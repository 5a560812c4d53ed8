import { once } from 'node:events';
import { gatherChunks } from './atomic-write.js';

/**
 * Write the concatenation of `chunks` to a stream (stdout) as it is produced, waiting whenever the
 * stream is full: a big run's report piped to a pager is never held whole in memory.
 * Returns the last character written ('' when nothing was).
 */
export async function writeStreamChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<string> {
  let last = '';
  for (const block of gatherChunks(chunks)) {
    last = block[block.length - 1]!;
    if (!stream.write(block)) await once(stream, 'drain');
  }
  return last;
}
