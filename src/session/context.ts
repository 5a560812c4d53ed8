import type { Redactor } from '../transport/redact.js';

/**
 * What a command gets from the composition root instead of touching `process`: its streams,
 * environment, working directory, a signal that fires on Ctrl+C / SIGTERM, and the redactor every
 * stored or shown text goes through.
 */
export interface CommandContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdin and stdout are terminals: only then may a command prompt or mount Ink. */
  interactive: boolean;
  /** Aborted on the first SIGINT, SIGTERM or SIGHUP, or when stdout's reader goes away (EPIPE):
   *  commands stop at the next safe point. Its reason is an InterruptedError. */
  signal: AbortSignal;
  /** The secrets of this process (site passwords, passphrases): the SSH pool teaches it, sinks apply it. */
  redactor: Redactor;
  /** The arguments drbook was started with (after the program name), for the site lock's holder details. */
  argv?: readonly string[] | undefined;
}
