/** A CommandContext whose output goes nowhere (or to a fake terminal): the bench measures, it does not print. */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { CommandContext } from '../src/commands/context.js';
import { createRedactor } from '../src/transport/redact.js';

export function nullStream(): NodeJS.WriteStream {
  return new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
}

/** A terminal of a real size that keeps only a count of writes (Ink writes frames to it). */
export class FakeTty extends EventEmitter {
  isTTY = true;
  writes = 0;
  lastWriteAt = 0;
  onWrite: (() => void) | undefined;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (_s: string): boolean => {
    this.writes++;
    this.lastWriteAt = performance.now();
    this.onWrite?.();
    return true;
  };
}

export class FakeTtyIn extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  /** Types `data` as one chunk (Ink reads it on 'readable'). */
  type(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
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

export function quietContext(signal: AbortSignal, tty?: { stdout: FakeTty; stdin: FakeTtyIn }): CommandContext {
  return {
    stdout: (tty?.stdout as unknown as NodeJS.WriteStream) ?? nullStream(),
    stderr: nullStream(),
    stdin: (tty?.stdin as unknown as NodeJS.ReadStream) ?? (new EventEmitter() as unknown as NodeJS.ReadStream),
    env: { ...process.env, NO_COLOR: '1' },
    cwd: process.cwd(),
    interactive: tty !== undefined,
    signal,
    redactor: createRedactor(),
  };
}
