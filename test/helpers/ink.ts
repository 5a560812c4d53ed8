/**
 * Ink on fake streams with a real size: frames as the operator would see them at 80x24 or
 * 160x48, keys typed into a fake TTY stdin, and wait-for helpers that poll the frame a bounded
 * number of times instead of sleeping.
 */
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  isTTY = true;
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  /** The last frame with text (Ink writes a bare cursor-show sequence when it exits). */
  lastFrame = (): string => {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (stripAnsi(f).trim() !== '') return f;
    }
    return '';
  };
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEY = {
  up: '\u001b[A',
  down: '\u001b[B',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  space: ' ',
  backspace: '\u007f',
  ctrlC: '\u0003',
} as const;

export interface FakeTerminal {
  stdout: FakeStdout;
  stderr: FakeStdout;
  stdin: FakeStdin;
  /** The streams as Ink's render options want them. */
  streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream };
  lastFrame(): string;
  /** Lines of the last frame, without the trailing empty line. */
  lines(): string[];
  /** Types keys one chunk at a time, letting Ink handle each. */
  type(...chunks: string[]): Promise<void>;
  waitFor(predicate: (frame: string) => boolean, what?: string): Promise<string>;
}

/** A fake terminal: pass `streams` and `debug: true` to render*(…) so each write is a whole frame. */
export function fakeTerminal(columns = 80, rows = 24): FakeTerminal {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const term: FakeTerminal = {
    stdout,
    stderr,
    stdin,
    streams: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
    },
    lastFrame: () => stdout.lastFrame(),
    lines: () => term.lastFrame().replace(/\n$/, '').split('\n'),
    async type(...chunks) {
      // Ink starts reading keys in an effect after the first frame: wait until it listens.
      for (let i = 0; i < 400 && stdin.listenerCount('readable') === 0; i++) await tick();
      for (const c of chunks) {
        stdin.write(c);
        await tick();
      }
    },
    waitFor: (predicate, what) => waitFor(() => term.lastFrame(), predicate, what),
  };
  return term;
}

export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

/** Polls until `predicate` holds on the frame, at most `ticks` times; throws with the last frame. */
export async function waitFor(
  read: () => string,
  predicate: (frame: string) => boolean,
  what = 'the expected frame',
  ticks = 400,
): Promise<string> {
  for (let i = 0; i < ticks; i++) {
    const f = read();
    if (predicate(f)) return f;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}; last frame:\n${read()}`);
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex -- the escape sequences the screens print
  return s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}
