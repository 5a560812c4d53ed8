import { afterEach, describe, expect, it, vi } from 'vitest';
import { WaitHistory, waitFor } from '../../src/failover/wait.js';

describe('waitFor', () => {
  afterEach(() => vi.useRealTimers());

  /** The moments (fake clock) at which the probe was called, until the deadline. */
  async function probeTimes(pollMs: number, slowTo?: number): Promise<number[]> {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    const waiting = waitFor(async () => (at.push(Date.now()), false), 5000, pollMs, new AbortController().signal, { slowTo });
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
    const waiting = waitFor(async () => (at.push(Date.now()), false), 1000, 100, new AbortController().signal, {
      slowTo: 100,
      firstMs: 250,
    });
    await vi.runAllTimersAsync();
    expect(await waiting).toBe(false);
    expect(at.slice(0, 3)).toEqual([300, 400, 500]);
    expect(at.at(-1)).toBe(1000);
  });

  it('polls that start at different moments fall on the same ticks', async () => {
    vi.useFakeTimers({ now: 1030 });
    const at: Record<string, number[]> = { a: [], b: [] };
    const signal = new AbortController().signal;
    const a = waitFor(async () => (at.a!.push(Date.now()), false), 2000, 100, signal, { slowTo: 400 });
    const b = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(waitFor(async () => (at.b!.push(Date.now()), false), 2000, 100, signal, { slowTo: 400 })), 140),
    );
    await vi.runAllTimersAsync();
    await Promise.all([a, b]);
    expect(at.a!.slice(0, 5)).toEqual([1030, 1100, 1200, 1600, 2000]);
    expect(at.b!.slice(1, 5)).toEqual([1300, 1400, 1600, 2000]);
  });

  it('returns as soon as the probe says yes', async () => {
    let n = 0;
    vi.useFakeTimers({ now: 0 });
    const waiting = waitFor(async () => ++n === 3, 5000, 100, new AbortController().signal, { slowTo: 400 });
    await vi.runAllTimersAsync();
    expect(await waiting).toBe(true);
    expect(n).toBe(3);
  });

  it('with learn, polls first between when the same waits were last seen running and first seen done, then on the ticks', async () => {
    vi.useFakeTimers({ now: 0 });
    const history = new WaitHistory();
    const signal = new AbortController().signal;
    // The device takes `ms` from the call; each wait starts 37 ms past a tick of the clock.
    const wait = async (key: string, ms: number) => {
      vi.advanceTimersByTime(137 - (Date.now() % 100));
      const began = Date.now();
      const at: number[] = [];
      const waiting = waitFor(async () => (at.push(Date.now() - began), Date.now() - began >= ms), 5000, 100, signal, {
        firstMs: 100,
        learn: { history, key },
      });
      await vi.runAllTimersAsync();
      expect(await waiting).toBe(true);
      return at;
    };
    // Nothing learned yet: on the ticks from 100 ms on; running at 763, done at 863.
    expect(await wait('kill:esx01', 830)).toEqual([163, 263, 363, 463, 563, 663, 763, 863]);
    // Then halfway (813: still running) and at 863 (done); then halfway again (838: done).
    expect(await wait('kill:esx01', 830)).toEqual([813, 863]);
    expect(await wait('kill:esx01', 830)).toEqual([838]);
    // Once the two are a quarter interval apart or less (813 and 838), one poll, when it was done.
    for (let i = 0; i < 3; i++) expect(await wait('kill:esx01', 830)).toEqual([838]);
    // A device a little slower than every wait so far: seen a quarter interval later.
    expect(await wait('kill:esx01', 850)).toEqual([838, 863]);
    // Much slower: after the learned polls, on the clock's ticks.
    const slow = await wait('kill:esx01', 1000);
    expect(slow).toEqual([838, 863, 888, 963, 1063]);
    // Another kind, or another host, learns on its own.
    expect((await wait('kill:esx02', 830))[0]).toBe(163);
  });

  it('with learn, a wait that starts while the first of its kind still runs polls on the ticks, as the first does', async () => {
    vi.useFakeTimers({ now: 0 });
    const history = new WaitHistory();
    const signal = new AbortController().signal;
    const began = Date.now();
    const polls = { first: [] as number[], second: [] as number[] };
    const waitOne = (which: 'first' | 'second', ms: number) => {
      const start = Date.now();
      return waitFor(async () => (polls[which].push(Date.now() - began), Date.now() - start >= ms), 5000, 100, signal, {
        firstMs: 100,
        learn: { history, key: 'heartbeat esx01' },
      });
    };
    const first = waitOne('first', 1000);
    // The second starts once the first has said "not yet" (and nothing of the kind has ended).
    await vi.advanceTimersByTimeAsync(250);
    const second = waitOne('second', 500);
    await vi.runAllTimersAsync();
    expect([await first, await second]).toEqual([true, true]);
    expect(polls.second).toEqual([400, 500, 600, 700, 800]);
  });
});
