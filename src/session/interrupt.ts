/**
 * The one mechanism that turns "the operator, the terminal or the reader went away" into a stop at
 * the next safe point: SIGINT, SIGTERM, SIGHUP and a stdout whose reader is gone (EPIPE) all abort
 * the command's signal with an InterruptedError. A run then stops (no new action), re-enters
 * lockdown where it exited it (the `always` steps), is journaled as stopped and exits 4.
 * Only a second SIGINT or SIGTERM leaves at once; SIGHUP and EPIPE can repeat and never do.
 */
import { StoppedError } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';

export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'EPIPE';

/** Why a command was interrupted: a stop (exit 4), resumable. */
export class InterruptedError extends StoppedError {
  constructor(
    readonly interrupt: InterruptCause,
    lang: Lang = 'en',
  ) {
    const m = lifecycleMessages(lang);
    super(m.interrupted[interrupt], m.interruptedHint);
  }
}

export interface InterruptWatch {
  signal: AbortSignal;
  dispose(): void;
}

export interface WatchOptions {
  /** The process to listen on (signals). */
  proc: Pick<NodeJS.Process, 'on' | 'off'>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** A terminal that hangs up makes reading stdin fail (EIO): that is the SIGHUP's business, never a crash. */
  stdin?: NodeJS.ReadableStream | undefined;
  lang: Lang;
  /** Leave now (the second Ctrl+C): the journal is consistent after every committed event. */
  exitNow: () => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function watchInterrupts(o: WatchOptions): InterruptWatch {
  const controller = new AbortController();
  const interrupt = (cause: InterruptCause): void => {
    if (!controller.signal.aborted) controller.abort(new InterruptedError(cause, o.lang));
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    const cause = sig as InterruptCause;
    if (controller.signal.aborted && (cause === 'SIGINT' || cause === 'SIGTERM')) {
      try {
        o.stderr.write(`${lifecycleMessages(o.lang).stoppingNow}\n`);
      } finally {
        o.exitNow();
      }
      return;
    }
    interrupt(cause);
  };
  // Any failure to write stdout means nobody reads what the run says any more (`| head -1`, a closed
  // terminal: EPIPE, EIO, or writes after that on the destroyed stream): stop safely, never crash.
  const onStdoutError = (): void => interrupt('EPIPE');
  // stderr has nowhere to report its own failure; the journal keeps everything.
  const onStderrError = (): void => undefined;
  for (const s of SIGNALS) o.proc.on(s, onSignal);
  o.stdout.on('error', onStdoutError);
  o.stderr.on('error', onStderrError);
  o.stdin?.on('error', onStderrError);
  return {
    signal: controller.signal,
    dispose() {
      for (const s of SIGNALS) o.proc.off(s, onSignal);
      // The stream handlers stay: a write that fails after the command returned must not crash.
    },
  };
}

/** Whether stdout's reader went away (the command was interrupted by EPIPE): write nothing more there. */
export function outputLost(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof InterruptedError && signal.reason.interrupt === 'EPIPE';
}

/** Whether a stream can still be written (its reader may have gone away). */
export function writable(stream: NodeJS.WritableStream): boolean {
  const s = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean; errored?: unknown };
  return !s.destroyed && !s.writableEnded && !s.errored;
}
