import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runRunbook } from '../../src/engine/runner.js';
import { foldEvents } from '../../src/engine/view-model.js';
import { fakeActions, makeWorld, recorder, testPrompter, testRunbook } from './fake-world.js';

describe('runRunbook invariants over random sites', () => {
  it('limits hold, gates hold, every target ends in a final state, and failures are exactly the failed VMs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.constantFrom('fence', 'register', 'power'), fc.nat(20), fc.integer({ min: 1, max: 3 })), { maxLength: 4 }),
        async (hosts, perHostVms, groups, perHost, faults) => {
          const world = makeWorld(hosts, perHostVms, groups);
          for (const [stage, i, n] of faults) world.failures.set(`${stage}:${world.vms[i % world.vms.length]!.id}`, n);
          const rec = recorder();
          const result = await runRunbook({
            runbook: testRunbook(),
            actions: fakeActions(),
            context: world,
            sink: rec,
            prompter: testPrompter({ choose: () => 'skip' }),
            runId: 'p',
            site: 's',
            limits: { perHost },
          });
          for (const h of world.hosts) expect(world.maxActive.get(h) ?? 0).toBeLessThanOrEqual(perHost);
          // Gate: no power of group k starts before every lower group's power ended (or never started).
          const groupOf = new Map(world.vms.map((v) => [v.id, v.group!]));
          const ends = new Map<string, number>();
          world.log.forEach((l, i) => l.startsWith('end power:') && ends.set(l.slice(10), i));
          world.log.forEach((l, i) => {
            if (!l.startsWith('start power:')) return;
            const g = groupOf.get(l.slice(12))!;
            for (const v of world.vms)
              if (v.group! < g && world.log.includes(`start power:${v.id}`)) expect(ends.get(v.id)!).toBeLessThan(i);
          });
          const vm = foldEvents(rec.events);
          for (const t of vm.targets) expect(['done', 'failed', 'skipped']).toContain(t.state);
          const failedVms = world.vms
            .filter((v) => !world.done.has(`power:${v.id}`))
            .map((v) => v.id)
            .sort();
          expect(result.failedTargets.map((f) => f.targetId).sort()).toEqual(failedVms);
          expect(result.outcome).toBe(failedVms.length ? 'failed' : 'done');
          for (const h of world.hosts) expect(world.lockdown.get(h)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
