/**
 * The engine's ports (design §4): it emits events into an EventSink and asks the operator
 * through a Prompter. The composition root supplies both (journal + UI/reporters; Ink, flags or tests).
 */
import { OperatorError, StoppedError } from '../errors.js';
import type { EngineEvent } from './events.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';

/**
 * Synchronous on purpose: every sink has the event, in order, before the engine moves on. The
 * journal commits it within this turn of the event loop, and no command leaves for a device
 * before everything emitted until then is on disk (AuditSink.commandStarted).
 */
export interface EventSink {
  emit(event: EngineEvent): void;
}

/** One sink that forwards to many (journal first, then UI and reporters). */
export function fanOut(...sinks: EventSink[]): EventSink {
  return { emit: (e) => sinks.forEach((s) => s.emit(e)) };
}

export interface TypedConfirmRequest {
  promptId: string;
  title: string;
  lines: string[];
  /** The operator must type exactly this (e.g. the destination `svm:volume`). */
  expect: string;
}

/**
 * The flag that answers a question in a run that cannot ask (`--crash-consistent power-on`):
 * its name, the value given (undefined: not given, and then such a run stops at the question),
 * and the values it takes. `stop` as a value stops the run there.
 */
export interface AnswerFlag {
  name: string;
  value: string | undefined;
  values: readonly string[];
}

/** Who answered a question: the operator on the terminal, a flag, drbook's documented default, a test. */
export type AnswerVia = 'tty' | 'flag' | 'default' | 'test';

/** How an answer given by `prompter` to a question with `flag` is recorded. */
export function answerVia(prompter: Prompter, kind: 'typed' | 'choose' | 'checklist', flag: AnswerFlag | undefined): AnswerVia {
  if (prompter.via !== 'flag') return prompter.via;
  // Typed confirmations and checklists are answered only by --confirm and --ack-manual.
  return kind === 'choose' && !flag ? 'default' : 'flag';
}

export interface ChooseRequest {
  promptId: string;
  title: string;
  lines: string[];
  options: { key: string; label: string }[];
  default?: string | undefined;
  /** The flag that answers it when nobody can be asked; without one, `default` (or skip/abort) does. */
  flag?: AnswerFlag | undefined;
  /** After a failure: what failed, where, and what the device said (the error panel shows it). */
  failure?: { vm?: string | undefined; host?: string | undefined; command?: string | undefined; message?: string | undefined } | undefined;
}

export interface ChecklistRequest {
  promptId: string;
  title: string;
  items: string[];
}

/**
 * How the engine asks the operator. Implementations: the Ink UI (via 'tty'), flags (via 'flag'),
 * tests (via 'test'). The runner emits prompt.requested / prompt.answered around each call.
 * A prompter may throw OperatorError (cannot ask: name the flag) or StoppedError (stop here).
 */
export interface Prompter {
  readonly via: 'tty' | 'flag' | 'test';
  /** true when the operator typed `expect` exactly; false when they declined. */
  confirmTyped(req: TypedConfirmRequest): Promise<boolean>;
  /** One of `options[].key`. */
  choose(req: ChooseRequest): Promise<string>;
  /** true when every item was ticked; false = the operator declined (the run stops, resumable). */
  checklist(req: ChecklistRequest): Promise<boolean>;
}

export interface FlagPrompterOptions {
  /** `--confirm VALUE` (repeatable): answers typed confirmations whose expect equals one VALUE. */
  confirm?: string | readonly string[] | undefined;
  /** `--ack-manual`: answers checklists (recorded as acknowledged by flag). */
  ackManual?: boolean | undefined;
  /**
   * The answer to choose() (error panel, kill escalation, unreachable host). Default: 'skip' when
   * offered (a failed VM does not stop the others), else 'abort'.
   */
  chooseDefault?: ((req: ChooseRequest) => string) | undefined;
}

/** The non-interactive prompter of `--plain` / `--json` runs: never waits for input. */
export function createFlagPrompter(opts: FlagPrompterOptions): Prompter {
  return {
    via: 'flag',
    async confirmTyped(req) {
      const given = opts.confirm === undefined ? [] : typeof opts.confirm === 'string' ? [opts.confirm] : [...opts.confirm];
      if (given.length === 0) {
        throw new OperatorError(
          `${req.title}: needs a typed confirmation and this run cannot prompt`,
          `pass --confirm ${req.expect} to confirm it (drbook resume continues the run)`,
        );
      }
      if (!given.includes(req.expect)) {
        throw new OperatorError(
          `${req.title}: --confirm ${given.join(' --confirm ')} does not match ${req.expect}`,
          `pass --confirm ${req.expect} to confirm it`,
        );
      }
      return true;
    },
    async choose(req) {
      if (req.flag) return answerByFlag(req, req.flag);
      const pick = opts.chooseDefault?.(req) ?? req.default ?? defaultChoice(req);
      if (!req.options.some((o) => o.key === pick)) {
        throw new OperatorError(`${req.title}: no answer '${pick}' among ${req.options.map((o) => o.key).join(', ')}`);
      }
      return pick;
    },
    async checklist(req) {
      if (!opts.ackManual) {
        const stop = new StoppedError(
          `${req.title}: a manual step must be done and acknowledged`,
          'do it, then run drbook resume --ack-manual',
        );
        stop.resumeWith = ['--ack-manual'];
        throw stop;
      }
      return true;
    },
  };
}

/** A question a flag answers: never answered for the operator when the flag was not given. */
function answerByFlag(req: ChooseRequest, flag: AnswerFlag): string {
  const m = lifecycleMessages('en');
  if (flag.value === undefined) {
    throw new StoppedError(
      m.needsFlag({ title: req.title, flag: flag.name }),
      m.needsFlagHint({ flag: flag.name, values: flag.values.join('|') }),
    );
  }
  if (flag.value === 'stop') throw new StoppedError(m.stoppedByFlag({ title: req.title, flag: flag.name }), m.stoppedByFlagHint);
  if (!req.options.some((o) => o.key === flag.value)) {
    throw new OperatorError(
      `${req.title}: ${flag.name} ${flag.value} is not an answer to it; answers: ${req.options.map((o) => o.key).join(', ')}`,
    );
  }
  return flag.value;
}

function defaultChoice(req: ChooseRequest): string {
  if (req.options.some((o) => o.key === 'skip')) return 'skip';
  if (req.options.some((o) => o.key === 'abort')) return 'abort';
  return req.options[0]?.key ?? 'abort';
}
