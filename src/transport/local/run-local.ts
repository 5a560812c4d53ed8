/**
 * Runs a local command (a callout at a named point of a run) from an argv array, never through a
 * shell, with a timeout. The result goes to the journal like a remote command's.
 */
import { execa } from 'execa';

export interface LocalRunOptions {
  timeoutMs: number;
  /** The whole environment of the command: nothing is inherited (see callout-env.ts). */
  env: Record<string, string>;
  cwd?: string | undefined;
}

export interface LocalResult {
  /** null when the command did not start or was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** The signal that ended it (e.g. SIGTERM after a timeout), else null. */
  signal: string | null;
  /** Why it could not start (e.g. `spawn foo ENOENT`), else undefined. */
  startError?: string | undefined;
}

export async function runLocal(argv: readonly string[], opts: LocalRunOptions): Promise<LocalResult> {
  const [file, ...args] = argv;
  if (!file) throw new TypeError('runLocal: empty argv');
  const started = Date.now();
  const r = await execa(file, args, {
    shell: false,
    reject: false,
    timeout: opts.timeoutMs,
    env: opts.env,
    extendEnv: false,
    cwd: opts.cwd,
    stdin: 'ignore',
    stripFinalNewline: false,
    forceKillAfterDelay: 2000,
  });
  const notStarted = r.failed && r.exitCode === undefined && !r.timedOut && !r.isTerminated;
  return {
    exitCode: r.exitCode ?? null,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    durationMs: Date.now() - started,
    timedOut: r.timedOut,
    signal: r.signal ?? null,
    startError: notStarted ? r.shortMessage : undefined,
  };
}
