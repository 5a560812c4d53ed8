/**
 * Put a whole file in place in one step: a temp file beside it (exact mode, written, fsynced),
 * then a rename over the old one, or a hard link where an existing file must not be replaced. A
 * crash leaves the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** The file's mode, exactly (the umask does not narrow it). Default 0600. */
  mode?: number;
  /**
   * Replace a file already there (default), or leave it and return false. Without replacing, the
   * file is placed by a hard link: on a file system without them this throws (EPERM, ENOTSUP).
   */
  overwrite?: boolean;
  /** fsync the file and its folder (default): off only for files that are cheap to lose. */
  durable?: boolean;
}

/** Write `data` to `file` atomically; false when `overwrite: false` and `file` exists. */
export function writeFileAtomic(file: string, data: string, options: AtomicWriteOptions = {}): boolean {
  return placeAtomically(file, (fd) => writeFileSync(fd, data), options); // all of it: one writeSync may write less
}

/** Text gathered before a write: big enough that a report of thousands of rows costs few system calls. */
const CHUNK_BYTES = 1 << 16;

/** Chunks gathered into blocks of about CHUNK_BYTES characters, for writing with few system calls. */
class Blocks {
  private parts: string[] = [];
  private length = 0;

  /** Gather `chunk`; the block, once it is big enough to write. */
  add(chunk: string): string | undefined {
    this.parts.push(chunk);
    this.length += chunk.length;
    return this.length >= CHUNK_BYTES ? this.rest() : undefined;
  }

  /** What is gathered and not yet written, if anything. */
  rest(): string | undefined {
    if (this.length === 0) return undefined;
    const block = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return block;
  }
}

/** `chunks` joined into blocks of about CHUNK_BYTES characters, for writing with few system calls. */
export function* gatherChunks(chunks: Iterable<string>): Generator<string> {
  const blocks = new Blocks();
  for (const chunk of chunks) {
    const block = blocks.add(chunk);
    if (block !== undefined) yield block;
  }
  const rest = blocks.rest();
  if (rest !== undefined) yield rest;
}

/**
 * Write the concatenation of `chunks` to `file` atomically, each written as it is produced: a big
 * document (a run report) never exists as one string. A chunk that throws leaves the old file.
 */
export function writeFileAtomicChunks(file: string, chunks: Iterable<string>, options: AtomicWriteOptions = {}): boolean {
  return writeFilesAtomicChunks([file], tagged(chunks), options)[0]!;
}

function* tagged(chunks: Iterable<string>): Generator<readonly [0, string]> {
  for (const chunk of chunks) yield [0, chunk];
}

/**
 * Write several files atomically from one stream of chunks, each tagged with the index of its file
 * in `files`: documents rendered side by side from one pass over their data (a report's formats)
 * are each written as they are produced. Each file is placed as writeFileAtomicChunks places one;
 * a chunk that throws leaves every old file.
 */
export function writeFilesAtomicChunks(
  files: readonly string[],
  chunks: Iterable<readonly [file: number, chunk: string]>,
  options: AtomicWriteOptions = {},
): boolean[] {
  const fds: number[] = [];
  const blocks = files.map(() => new Blocks());
  const write = (i: number, block: string | undefined): void => {
    if (block !== undefined) writeFileSync(fds[i]!, block);
  };
  // Each file's temp file is opened, filled and placed by the one mechanism, nested: the innermost
  // write runs the stream; a throw unwinds every level, each removing its temp file.
  const placed: boolean[] = [];
  const level = (k: number): void => {
    if (k === files.length) {
      for (const [i, chunk] of chunks) write(i, blocks[i]!.add(chunk));
      blocks.forEach((b, i) => write(i, b.rest()));
      return;
    }
    placed[k] = placeAtomically(
      files[k]!,
      (fd) => {
        fds[k] = fd;
        level(k + 1);
      },
      options,
    );
  };
  level(0);
  return placed;
}

/** The one mechanism: a temp file beside `file` (exact mode), `write` fills it, fsync, then rename or link. */
function placeAtomically(file: string, write: (fd: number) => void, options: AtomicWriteOptions): boolean {
  const { mode = 0o600, overwrite = true, durable = true } = options;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    fchmodSync(fd, mode);
    write(fd);
    if (durable) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  let placed: boolean;
  try {
    placed = overwrite ? (renameSync(tmp, file), true) : linkWithoutOverwrite(tmp, file);
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
  }
  if (placed && durable) fsyncFolder(dir);
  return placed;
}

function linkWithoutOverwrite(tmp: string, file: string): boolean {
  try {
    linkSync(tmp, file); // fails with EEXIST instead of replacing: a rename that never clobbers
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function fsyncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a folder; the file itself is already durable.
  }
}
