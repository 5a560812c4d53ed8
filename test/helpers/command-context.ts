import { Writable } from 'node:stream';
import type { CommandContext } from '../../src/commands/context.js';
import { createRedactor } from '../../src/transport/redact.js';

/**
 * A CommandContext for calling a command in-process: not interactive, HOME in `cwd`, stdout (and
 * stderr unless given) collected into `out()`.
 */
export function commandContext(
  cwd: string,
  o: { signal?: AbortSignal; stderr?: NodeJS.WriteStream } = {},
): { ctx: CommandContext; out: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString('utf8');
      cb();
    },
  });
  const ctx = {
    stdout: sink as unknown as NodeJS.WriteStream,
    stderr: o.stderr ?? (sink as unknown as NodeJS.WriteStream),
    stdin: process.stdin,
    env: { HOME: cwd },
    cwd,
    interactive: false,
    redactor: createRedactor(),
    signal: o.signal ?? new AbortController().signal,
  } satisfies CommandContext;
  return { ctx, out: () => text };
}
