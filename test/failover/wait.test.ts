import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../src/failover/wait.js';

describe('waitFor', () => {
  afterEach(() => vi.useRealTimers());

  /** The moments (fake clock) at which the probe was called, until the deadline. */
  async function probeTimes(pollMs: number, slowTo?: number): Promise<number[]> {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    const waiting = waitFor(async () => (at.push(Date.now()), false), 5000, pollMs, new AbortController().signal, slowTo);
    await vi.runAllTimersAsync();
    expect(await waiting).toBe(false);
    return at;
  }

  it('polls every pollMs by default', async () => {
    const at = await probeTimes(100);
    expect(at.slice(0, 4)).toEqual([0, 100, 200, 300]);
    expect(at.at(-1)).toBe(5000);
  });

  it('with slowTo, polls ever less often up to slowTo apart, on the ticks of each interval, and still polls at the deadline', async () => {
    const at = await probeTimes(100, 400);
    expect(at.slice(0, 6)).toEqual([0, 100, 200, 400, 800, 1200]);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(Math.max(...gaps)).toBe(400);
    expect(at.at(-1)).toBe(5000);
    expect(at.length).toBeLessThan((await probeTimes(100)).length / 3);
  });

  it('with firstMs, the first poll comes at the first tick at least that long after the call, then every pollMs', async () => {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    const waiting = waitFor(async () => (at.push(Date.now()), false), 1000, 100, new AbortController().signal, 100, 250);
    await vi.runAllTimersAsync();
    expect(await waiting).toBe(false);
    expect(at.slice(0, 3)).toEqual([300, 400, 500]);
    expect(at.at(-1)).toBe(1000);
  });

  it('polls that start at different moments fall on the same ticks', async () => {
    vi.useFakeTimers({ now: 1030 });
    const at: Record<string, number[]> = { a: [], b: [] };
    const signal = new AbortController().signal;
    const a = waitFor(async () => (at.a!.push(Date.now()), false), 2000, 100, signal, 400);
    const b = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(waitFor(async () => (at.b!.push(Date.now()), false), 2000, 100, signal, 400)), 140),
    );
    await vi.runAllTimersAsync();
    await Promise.all([a, b]);
    expect(at.a!.slice(0, 5)).toEqual([1030, 1100, 1200, 1600, 2000]);
    expect(at.b!.slice(1, 5)).toEqual([1300, 1400, 1600, 2000]);
  });

  it('returns as soon as the probe says yes', async () => {
    let n = 0;
    vi.useFakeTimers({ now: 0 });
    const waiting = waitFor(async () => ++n === 3, 5000, 100, new AbortController().signal, 400);
    await vi.runAllTimersAsync();
    expect(await waiting).toBe(true);
    expect(n).toBe(3);
  });
});
