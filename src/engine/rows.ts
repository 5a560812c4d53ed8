/**
 * An immutable list stored in fixed-size chunks: replacing one row copies one chunk and the
 * chunk index (O(√n)-ish), not the whole list, so folding thousands of target events stays cheap
 * while every view model is still a new value React can compare.
 */
const CHUNK = 64;

export class Rows<T> implements Iterable<T> {
  private constructor(
    private readonly chunks: readonly (readonly T[])[],
    readonly size: number,
  ) {}

  static empty<T>(): Rows<T> {
    return new Rows<T>([], 0);
  }

  static of<T>(items: readonly T[]): Rows<T> {
    return Rows.empty<T>().append(items);
  }

  get(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.chunks[Math.floor(i / CHUNK)]![i % CHUNK];
  }

  with(i: number, value: T): Rows<T> {
    if (i < 0 || i >= this.size) throw new RangeError(`row ${i} out of range (size ${this.size})`);
    const c = Math.floor(i / CHUNK);
    const chunk = this.chunks[c]!.slice();
    chunk[i % CHUNK] = value;
    const chunks = this.chunks.slice();
    chunks[c] = chunk;
    return new Rows(chunks, this.size);
  }

  append(items: readonly T[]): Rows<T> {
    if (items.length === 0) return this;
    const chunks = this.chunks.slice();
    let last = chunks.length > 0 && chunks[chunks.length - 1]!.length < CHUNK ? chunks.pop()!.slice() : [];
    for (const item of items) {
      if (last.length === CHUNK) {
        chunks.push(last);
        last = [];
      }
      last.push(item);
    }
    chunks.push(last);
    return new Rows(chunks, this.size + items.length);
  }

  /** Rows [start, end): what a scrolling table renders. */
  slice(start = 0, end = this.size): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.size); i++) out.push(this.get(i)!);
    return out;
  }

  toArray(): T[] {
    return this.chunks.flat<readonly (readonly T[])[]>();
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }
}
