import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03' } as const;

/**
 * A pretend terminal for enquirer: stdin/stdout streams that say they are TTYs, the screen text
 * collected with escape codes stripped, and `answer(needle, keys)` which waits until the needle
 * appears (after the previous one) before typing — prompts drop keys typed before they listen.
 */
export function fakeTerminal(columns = 100) {
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(raw: boolean): unknown };
  stdin.isTTY = true;
  stdin.isRaw = false;
  stdin.setRawMode = (raw: boolean) => {
    stdin.isRaw = raw;
    return stdin;
  };
  const stdout = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; rows: number };
  stdout.isTTY = true;
  stdout.columns = columns;
  stdout.rows = 40;
  let raw = '';
  let cursor = 0;
  const waiters = new Set<() => void>();
  stdout.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    for (const w of [...waiters]) w();
  });
  const text = (): string => stripVTControlCharacters(raw);

  /** Resolves once `needle` shows after the last matched position; moves past it. */
  function waitFor(needle: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const at = text().indexOf(needle, cursor);
        if (at < 0) return false;
        cursor = at + needle.length;
        return true;
      };
      if (check()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(onData);
        reject(new Error(`screen never showed ${JSON.stringify(needle)}; last screen text:\n${text().slice(-1500)}`));
      }, timeoutMs);
      const onData = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(onData);
        resolve();
      };
      waiters.add(onData);
    });
  }

  async function answer(needle: string, keys: string): Promise<void> {
    await waitFor(needle);
    stdin.write(keys);
  }

  return {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    text,
    waitFor,
    answer,
  };
}
