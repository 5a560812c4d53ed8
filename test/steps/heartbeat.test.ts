import { describe, expect, it } from 'vitest';
import type { ActionIO, Target } from '../../src/engine/runner.js';
import type { FailoverContext } from '../../src/failover/context.js';
import { heartbeatStage } from '../../src/steps/heartbeat.js';

/** A host whose Tools heartbeat turns green on its `greenFrom`-th read; counts the reads. */
function fakeSite(greenFrom: number) {
  const reads = { heartbeat: 0, power: 0 };
  const ctx = {
    esxi: () => ({
      heartbeat: async () => (++reads.heartbeat >= greenFrom ? 'green' : 'gray'),
      powerState: async () => (reads.power++, 'on'),
    }),
  } as unknown as FailoverContext;
  return { ctx, reads };
}

const stage = heartbeatStage<FailoverContext>({
  vmid: async () => 7,
  timing: () => ({ heartbeatMs: 2000, pollMs: 5 }),
  words: () => ({ notOn: 'not on', timedOut: () => new Error('timed out'), none: 'no heartbeat' }),
});
const target: Target = { id: 'vm:a/a.vmx', label: 'a', host: 'esx01' };
const io = (): ActionIO => ({ signal: new AbortController().signal }) as unknown as ActionIO;

describe('the heartbeat stage', () => {
  it('verifies with the poll that ended its wait: no read of its own after it', async () => {
    const { ctx, reads } = fakeSite(3);
    const attempt = io();
    expect(await stage.check(ctx, target, attempt)).toBe('todo');
    await stage.apply(ctx, target, attempt);
    expect(reads.heartbeat).toBe(3);
    expect(await stage.verify(ctx, target, attempt)).toBe(true);
    expect(reads.heartbeat).toBe(3);
  });

  it('reads the heartbeat when its attempt saw none (a verify without its wait, or a second verify)', async () => {
    const { ctx, reads } = fakeSite(1);
    const attempt = io();
    await stage.apply(ctx, target, attempt);
    expect(await stage.verify(ctx, target, attempt)).toBe(true);
    expect(reads.heartbeat).toBe(1);
    // The same attempt verified again, and another attempt that never waited: each reads.
    expect(await stage.verify(ctx, target, attempt)).toBe(true);
    expect(await stage.verify(ctx, target, io())).toBe(true);
    expect(reads.heartbeat).toBe(3);
  });
});
