import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicChunks, writeFilesAtomicChunks } from '../../src/files/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drbook-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the whole text with exactly the mode asked, and leaves no temp file', () => {
    const file = path.join(dir, 'a.txt');
    const old = process.umask(0o077);
    try {
      expect(writeFileAtomic(file, 'x'.repeat(1 << 20), { mode: 0o640 })).toBe(true);
    } finally {
      process.umask(old);
    }
    expect(readFileSync(file, 'utf8')).toHaveLength(1 << 20);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('replaces a file by default, and leaves it as it is without overwrite', () => {
    const file = path.join(dir, 'b.txt');
    writeFileSync(file, 'old');
    expect(writeFileAtomic(file, 'new', { overwrite: false })).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(writeFileAtomic(file, 'new')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['b.txt']);
  });

  it('a folder that is not there is an error, and nothing is left behind', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'c.txt'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeFileAtomicChunks', () => {
  // Rows of a report: several times the writer's batch, with characters of more than one byte.
  const rows = Array.from({ length: 5000 }, (_, i) => `| row ${i} | ünïcödé 日本 ${'x'.repeat(i % 97)} |\n`);

  it('writes exactly the concatenation of the chunks, mode 0600, and leaves no temp file', () => {
    const file = path.join(dir, 'r.md');
    const old = process.umask(0o022);
    try {
      expect(writeFileAtomicChunks(file, rows)).toBe(true);
    } finally {
      process.umask(old);
    }
    expect(Buffer.compare(readFileSync(file), Buffer.from(rows.join(''), 'utf8'))).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['r.md']);
  });

  it('a chunk that throws leaves the old file as it was, and no temp file', () => {
    const file = path.join(dir, 'r.md');
    writeFileSync(file, 'old');
    function* failing(): Generator<string> {
      yield* rows; // past the first batch: some of it is on disk in the temp file already
      throw new Error('render failed');
    }
    expect(() => writeFileAtomicChunks(file, failing())).toThrow('render failed');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['r.md']);
  });

  it('no chunks is an empty file', () => {
    const file = path.join(dir, 'e.md');
    expect(writeFileAtomicChunks(file, [])).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

describe('writeFilesAtomicChunks', () => {
  const rows = (tag: string) => Array.from({ length: 4000 }, (_, i) => `| ${tag} ${i} | 日本 ${'y'.repeat(i % 89)} |\n`);

  it('writes each file exactly the concatenation of its chunks, however they interleave', () => {
    const a = rows('a');
    const b = rows('b');
    function* interleaved(): Generator<readonly [number, string]> {
      for (let i = 0; i < a.length; i++) {
        yield [0, a[i]!];
        if (i % 3 === 0) for (const row of b.slice((i / 3) * 3, (i / 3) * 3 + 3)) yield [1, row];
      }
      for (const row of b.slice(Math.ceil(a.length / 3) * 3)) yield [1, row];
    }
    const files = [path.join(dir, 'a.md'), path.join(dir, 'b.md'), path.join(dir, 'empty.md')];
    expect(writeFilesAtomicChunks(files, interleaved())).toEqual([true, true, true]);
    expect(readFileSync(files[0]!, 'utf8')).toBe(a.join(''));
    expect(readFileSync(files[1]!, 'utf8')).toBe(b.join(''));
    expect(readFileSync(files[2]!, 'utf8')).toBe('');
    for (const f of files) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['a.md', 'b.md', 'empty.md']);
  });

  it('a chunk that throws leaves every old file as it was, and no temp file', () => {
    const files = [path.join(dir, 'a.md'), path.join(dir, 'b.md')];
    writeFileSync(files[0]!, 'old a');
    writeFileSync(files[1]!, 'old b');
    function* failing(): Generator<readonly [number, string]> {
      for (const row of rows('a')) yield [0, row];
      for (const row of rows('b')) yield [1, row];
      throw new Error('render failed');
    }
    expect(() => writeFilesAtomicChunks(files, failing())).toThrow('render failed');
    expect(readFileSync(files[0]!, 'utf8')).toBe('old a');
    expect(readFileSync(files[1]!, 'utf8')).toBe('old b');
    expect(readdirSync(dir).sort()).toEqual(['a.md', 'b.md']);
  });
});
