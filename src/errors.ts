/**
 * The one error taxonomy of drbook (design §4). The CLI maps each kind to an exit code;
 * nothing else decides exit codes.
 *
 * - OperatorError: the operator (or a file they gave) must change something. Carries the next step.
 * - RemoteCommandError: a device refused or failed a command. Carries the device's own message.
 * - ConnectError: a device could not be reached or logged into (host key, auth, network).
 * - StoppedError: the run stopped on purpose (operator, missing ack); it is resumable.
 * - RefusedError: an OperatorError that refused a run before it acted; never resumed.
 * Anything else is a bug.
 */

import type { Lang } from './i18n/lang.js';
import { commonMessages } from './i18n/common.js';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  findings: 3,
  stopped: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class DrbookError extends Error {
  readonly exitCode: ExitCode = EXIT.failed;
  /** What the operator should do next, one line. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.hint = hint;
  }

  /** The message and hint in the operator's language; errors that carry typed facts override it. */
  localize(_lang: Lang): { message: string; hint?: string | undefined } {
    return { message: this.message, hint: this.hint };
  }
}

/** Bad usage or bad input: a flag, a site file, a database from a newer schema. Exit 2. */
export class OperatorError extends DrbookError {
  override readonly exitCode: ExitCode = EXIT.usage;
}

/**
 * A run refused before it acted (a preflight that found the site unsafe, the site lock, a
 * failed-over site): nothing was sent, the run is journaled `refused` and never resumed. Exit 2.
 */
export class RefusedError extends OperatorError {}

/** The run stopped on purpose and can be resumed. Exit 4. */
export class StoppedError extends DrbookError {
  override readonly exitCode: ExitCode = EXIT.stopped;
  /** The flags the resume needs to get past where this stopped (the resume command printed carries them). */
  resumeWith: readonly string[] = [];
}

/** A device could not be reached or refused the login or its host key did not match. Exit 1. */
export class ConnectError extends DrbookError {
  constructor(
    readonly host: string,
    readonly reason: 'unreachable' | 'timeout' | 'auth' | 'hostkey-unknown' | 'hostkey-changed' | 'dropped',
    message: string,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, hint, options);
  }
}

/** A remote command ran and the device said no. `deviceMessage` is the device's own text. */
export class RemoteCommandError extends DrbookError {
  constructor(
    readonly host: string,
    readonly command: string,
    readonly deviceMessage: string,
    readonly fault?: string,
    hint?: string,
  ) {
    super(`${host}: ${command}: ${deviceMessage}`, hint);
  }
}

/** A remote command did not finish in time; its channel was closed. */
export class CommandTimeoutError extends DrbookError {
  constructor(
    readonly host: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    // Sub-second timeouts (tests, quick probes) would otherwise read "within 0 s".
    const within = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
    super(`${host}: ${command}: no answer within ${within}; the command was stopped`);
  }
}

/** Text did not have the shape of the output it claims to be. Names the line. */
export class ParseError extends DrbookError {
  override readonly exitCode: ExitCode = EXIT.usage;
  constructor(
    readonly kind: string,
    readonly line: number | null,
    message: string,
  ) {
    super(line === null ? `${kind}: ${message}` : `${kind}: line ${line}: ${message}`);
  }
}

export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof DrbookError ? err.exitCode : EXIT.failed;
}

/** One line for the operator: the message, then the hint. Never a stack for expected errors. */
export function describeError(err: unknown, lang: Lang = 'en'): string {
  if (err instanceof DrbookError) {
    const { message, hint } = err.localize(lang);
    return hint ? `${message} — ${hint}` : message;
  }
  return commonMessages(lang).errorInternal({ message: err instanceof Error ? err.message : String(err) });
}
