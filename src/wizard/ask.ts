import enquirer from 'enquirer';
import stringWidth from 'string-width';

/**
 * The questions the wizard can ask, over enquirer with the command's own streams (so tests drive
 * it with fake-TTY streams). Ctrl+C or Esc in any prompt becomes WizardCancelled.
 */
export interface Ask {
  input(message: string, options?: { initial?: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(message: string, choices: readonly { name: T; message: string }[]): Promise<T>;
  confirm(message: string, initial: boolean): Promise<boolean>;
  list(message: string, options?: { initial?: string; validate?: (values: string[]) => true | string }): Promise<string[]>;
  /** A sentence between questions, wrapped at word boundaries to the terminal's width. */
  say(line?: string): void;
  /** A command for the operator to run or compare with: indented, never wrapped, so it copies whole. */
  command(line: string): void;
}

const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef';

/**
 * Wrap at spaces, and between any two CJK characters (Japanese has no spaces). A single token wider
 * than the line — a path, a fingerprint — stays whole rather than being cut in the middle.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.match(new RegExp(`\\s+|[${CJK}]|[^\\s${CJK}]+`, 'g')) ?? []) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (line.trim() && stringWidth(line + token) > width) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += token;
  }
  lines.push(line.trimEnd());
  return lines;
}

export class WizardCancelled extends Error {
  constructor() {
    super('wizard cancelled');
  }
}

export interface AskStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** How a yes/no answer is shown, in the operator's language. */
  yesNo: { yes: string; no: string };
}

interface PromptInstance {
  run(): Promise<unknown>;
}
type PromptClass = new (options: Record<string, unknown>) => PromptInstance;

/**
 * enquirer's Confirm answers on the `y` key itself, so the Enter a person types after it lands in
 * the NEXT question (answering "add another host?" or worse by accident). This one waits for Enter,
 * and shows the answer as a word in the operator's language instead of true/false.
 */
function confirmWithEnter(words: { yes: string; no: string }): PromptClass {
  const Confirm = (enquirer as unknown as { Confirm: new (o: Record<string, unknown>) => Record<string, unknown> }).Confirm;
  const Base = Confirm as unknown as new (o: Record<string, unknown>) => {
    isValue(ch: unknown): boolean;
    alert(): unknown;
    render(): unknown;
    input: unknown;
    state: { submitted: boolean };
    styles: { primary(s: string): string; success(s: string): string };
    run(): Promise<unknown>;
  };
  return class extends Base {
    dispatch(ch: string): unknown {
      if (!this.isValue(ch)) return this.alert();
      this.input = ch;
      return this.render();
    }
    format(value: boolean): string {
      const word = value ? words.yes : words.no;
      return this.state.submitted ? this.styles.success(word) : this.styles.primary(word);
    }
  };
}

async function runPrompt<T>(Prompt: PromptClass, options: Record<string, unknown>): Promise<T> {
  try {
    return (await new Prompt(options).run()) as T;
  } catch (err) {
    if (err instanceof Error) throw err;
    throw new WizardCancelled();
  }
}

/** enquirer's `list` splits on commas; trim and drop empties so "a, b," is ["a","b"]. */
export function splitList(value: string | string[]): string[] {
  const parts = Array.isArray(value) ? value : value.split(',');
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The part of an enquirer prompt (an EventEmitter) that closes its keypress reader. */
interface PromptEvents {
  stop?: unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Node 24's readline closes itself on Ctrl+C (no SIGINT listener on it), and then throws
 * ERR_USE_AFTER_CLOSE when enquirer 2.4 pauses it while closing the prompt: the cancel never
 * arrived and `drbook init` hung. The prompt's stop handler is wrapped to let that one error pass.
 */
function tolerateClosedReadline(prompt: PromptEvents): void {
  prompt.once('start', () => {
    const stop = prompt.stop;
    if (typeof stop !== 'function') return;
    prompt.off('close', stop as () => void);
    prompt.once('close', () => {
      try {
        (stop as () => void)();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ERR_USE_AFTER_CLOSE') throw err;
      }
    });
  });
}

export function enquirerAsk(streams: AskStreams): Ask {
  const run = async <T>(question: Record<string, unknown>): Promise<T> => {
    try {
      const asker = new (
        enquirer as unknown as new () => {
          on(event: 'prompt', listener: (prompt: PromptEvents) => void): unknown;
          prompt(q: Record<string, unknown>): Promise<unknown>;
        }
      )();
      asker.on('prompt', tolerateClosedReadline);
      const answers = (await asker.prompt({
        name: 'value',
        ...question,
        stdin: streams.stdin,
        stdout: streams.stdout,
      })) as { value: T };
      return answers.value;
    } catch (err) {
      // enquirer rejects a cancelled prompt with an empty string, not an Error.
      if (err instanceof Error) throw err;
      throw new WizardCancelled();
    }
  };
  return {
    input: (message, options = {}) =>
      run<string>({
        type: 'input',
        message,
        ...(options.initial !== undefined ? { initial: options.initial } : {}),
        validate: (v: string) => (options.validate ? options.validate(v.trim()) : true),
        result: (v: string) => v.trim(),
      }),
    select: (message, choices) => run({ type: 'select', message, choices: choices.map((c) => ({ ...c })) }),
    confirm: (message, initial) =>
      runPrompt<boolean>(confirmWithEnter(streams.yesNo), {
        name: 'value',
        message,
        initial,
        stdin: streams.stdin,
        stdout: streams.stdout,
      }),
    list: async (message, options = {}) =>
      splitList(
        await run<string | string[]>({
          type: 'list',
          message,
          ...(options.initial !== undefined ? { initial: options.initial } : {}),
          validate: (v: string | string[]) => (options.validate ? options.validate(splitList(v)) : true),
        }),
      ),
    say: (line = '') => {
      // One column short of the edge: some terminals wrap early when a line fills the last column.
      const width = Math.max(20, (streams.stdout.columns || 80) - 1);
      streams.stdout.write(`${wrapText(line, width).join('\n')}\n`);
    },
    command: (line) => {
      streams.stdout.write(`    ${line}\n`);
    },
  };
}
