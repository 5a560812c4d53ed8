/**
 * Issue 17: drbook killed with SIGKILL at random moments of reprotect and of failback, then
 * `drbook resume` until each is done, ends exactly like an uninterrupted cycle, and applies no
 * device action twice (the lab counts them; lockdown exit/enter excepted: re-entering is owed).
 *
 * Kill points are conditions, not sleeps: drbook runs with --json, and the test kills it right
 * after its N-th NDJSON event (every event is journaled before it is printed). N comes from a
 * seeded PRNG. Every case starts from a copy of the same failed-over, repaired lab, half of them
 * without a common snapshot (a full baseline). npm test: 16 kills; DRBOOK_SOAK=1: 80.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabStatus } from '../../src/lab/lab.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, cloneTemplate, patchSite, quickTimeouts, tempDir } from '../helpers/lab-fixture.js';
import { seededRandom } from '../helpers/prng.js';
import { PRIMARY_PATH, failedOverTemplate, repeatedActions, wayBackOutcome } from '../helpers/wayback.js';

const SOAK = process.env['DRBOOK_SOAK'] === '1';
const KILLS = SOAK ? 80 : 16;
const PARALLEL = SOAK ? 4 : 2;
const SEED = Number(process.env['DRBOOK_CRASH_SEED'] ?? 20261203);

type Kind = 'common' | 'none';
let root: string;
const templates: Record<Kind, string> = { common: '', none: '' };
const reference: Record<Kind, { outcome: ReturnType<typeof wayBackOutcome>; events: { reprotect: number; failback: number } }> =
  {} as never;

interface Phase {
  name: 'reprotect' | 'failback';
  args: string[];
}

const phases = (site: string, db: string): Phase[] => [
  { name: 'reprotect', args: ['reprotect', '--site', site, '--db', db, '--json', '--confirm', PRIMARY_PATH] },
  { name: 'failback', args: ['failback', '--site', site, '--db', db, '--json', '--confirm', MIRROR_PATH] },
];

/** One cycle; `killAt(phase, attempt)` says after which event to kill (undefined: let it finish). */
async function cycle(dir: string, killAt: (phase: string, attempt: number) => number | undefined) {
  const db = path.join(dir, 'drbook.db');
  const lab = await startLab({ dir });
  patchSite(lab.siteFile, quickTimeouts);
  const kills: string[] = [];
  const repeated: string[] = [];
  const events = { reprotect: 0, failback: 0 };
  try {
    for (const phase of phases(lab.siteFile, db)) {
      const before: LabStatus = lab.status();
      for (let attempt = 0; ; attempt++) {
        if (attempt > 12) throw new Error(`${phase.name} still not done after ${attempt} attempts (kills: ${kills.join('; ')})`);
        const at = killAt(phase.name, attempt);
        let n = 0;
        const args =
          attempt === 0
            ? phase.args
            : ['resume', '--db', db, '--json', '--confirm', phase.name === 'reprotect' ? PRIMARY_PATH : MIRROR_PATH];
        const r = await runCli(args, {
          env: cliEnv(),
          timeoutMs: 120_000,
          onLine: (_line, child) => {
            n++;
            if (at !== undefined && n === at) child.kill('SIGKILL');
          },
        });
        if (attempt === 0 && at === undefined) events[phase.name] = n;
        if (r.signal === 'SIGKILL') {
          kills.push(`${phase.name}#${attempt} after event ${at}`);
          continue;
        }
        if (r.code !== 0) throw new Error(`${args[0]} (${phase.name}) exited ${r.code} (kills: ${kills.join('; ')})\n${r.stderr}`);
        break;
      }
      repeated.push(...repeatedActions(before, lab.status()).map((x) => `${phase.name}: ${x}`));
      // Between reprotect and failback: the transfer runs on (a baseline needs the lab's time).
      if (phase.name === 'reprotect') await lab.tick();
    }
    return { outcome: wayBackOutcome(lab.status()), kills, repeated, events };
  } finally {
    await lab.stop();
  }
}

beforeAll(async () => {
  root = tempDir('drbook-crash-wayback-');
  for (const kind of ['common', 'none'] as const) {
    templates[kind] = (
      await failedOverTemplate(path.join(root, `t-${kind}`), { hosts: 2, vms: 5, seed: 11, noCommonSnapshot: kind === 'none' })
    ).dir;
    const ref = await cycle(cloneTemplate(templates[kind], path.join(root, `ref-${kind}`)), () => undefined);
    if (ref.repeated.length) throw new Error(`the reference cycle repeated: ${ref.repeated.join('; ')}`);
    reference[kind] = { outcome: ref.outcome, events: ref.events };
  }
}, 300_000);

let keep = false;
afterAll(() => {
  if (root && !keep) rmSync(root, { recursive: true, force: true });
  else if (root) console.error(`crash-wayback: kept ${root}`);
});

describe(`drbook killed at ${KILLS} moments of reprotect and failback, then resumed`, () => {
  it('the reference cycle ends protected: every VM on the original datastore, one relationship original → mirror', () => {
    for (const kind of ['common', 'none'] as const) {
      const o = reference[kind].outcome;
      expect(
        o.vms.every((v) => v.datastore === 'ds_vm1' && !v.stale),
        kind,
      ).toBe(true);
      expect(o.relationships, kind).toEqual([
        { source: PRIMARY_PATH, destination: MIRROR_PATH, state: 'Snapmirrored', status: 'Idle', healthy: true, deleted: false },
      ]);
    }
  });

  it(
    'every killed-and-resumed cycle ends exactly like the uninterrupted one, nothing applied twice',
    async () => {
      let delivered = 0;
      let next = 0;
      const failures: string[] = [];
      const worker = async (): Promise<void> => {
        while (delivered < KILLS) {
          const index = next++;
          const kind: Kind = index % 2 === 0 ? 'common' : 'none';
          const rand = seededRandom(SEED * 1000 + index);
          // 1 to 3 kills per phase, each within the events an uninterrupted phase prints.
          const plan = { reprotect: 1 + Math.floor(rand() * 3), failback: 1 + Math.floor(rand() * 3) };
          const killAt = (phase: string, attempt: number): number | undefined => {
            const p = phase as 'reprotect' | 'failback';
            if (attempt >= plan[p]) return undefined;
            return 1 + Math.floor(rand() * Math.max(4, Math.round(reference[kind].events[p] * 0.8)));
          };
          try {
            const rep = await cycle(cloneTemplate(templates[kind], path.join(root, `case-${index}`)), killAt);
            delivered += rep.kills.length;
            const label = `case ${index} (${kind}, seed ${SEED}), kills: ${rep.kills.join('; ') || 'none'}`;
            if (rep.repeated.length) failures.push(`${label}: repeated ${rep.repeated.join('; ')}`);
            try {
              expect(rep.outcome).toEqual(reference[kind].outcome);
            } catch (err) {
              failures.push(`${label}: ${(err as Error).message}`);
            }
          } catch (err) {
            failures.push(`case ${index} (${kind}): ${(err as Error).message}`);
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, () => worker()));
      keep = failures.length > 0;
      expect(failures).toEqual([]);
      expect(delivered).toBeGreaterThanOrEqual(KILLS);
    },
    SOAK ? 3_600_000 : 600_000,
  );
});
