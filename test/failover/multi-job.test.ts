/**
 * Issue 9: several VSC jobs on one volume. On a lab with three jobs backed up at different times,
 * the failover brings every VM back at its own job's quiesce point (the lab's markers), by
 * restore-file or from a FlexClone, and the report says for each VM where it came from and how.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, patchSite, quickTimeouts, tempDir } from '../helpers/lab-fixture.js';

const labs: Lab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

async function threeJobsAfterDisaster(name: string) {
  const dir = tempDir(`drbook-multijob-${name}-`);
  const lab = await startLab({ dir, hosts: 3, vms: 12, jobs: 3, seed: 9 });
  labs.push(lab);
  patchSite(lab.siteFile, quickTimeouts);
  const backups = await lab.backup(); // every job in turn, at different times
  await lab.tick();
  const db = path.join(dir, 'drbook.db');
  const cap = await runCli(['capture', '--site', lab.siteFile, '--db', db], { env: cliEnv(), timeoutMs: 60_000 });
  expect(cap.code, cap.stderr + cap.stdout).toBe(0);
  await lab.disaster();
  // The quiesce marker of each VM in its own job's backup.
  const own = new Map<string, number>();
  for (const b of backups) for (const [vm, marker] of Object.entries(b.quiesced)) if (marker !== null) own.set(vm, marker);
  return { dir, lab, db, backups, own };
}

describe('three VSC jobs backed up at different times', () => {
  for (const how of ['restore-file', 'flexclone'] as const) {
    it(`brings every VM back at its own job's quiesce point (--other-jobs ${how})`, async () => {
      const { dir, lab, db, backups, own } = await threeJobsAfterDisaster(how);
      expect(new Set(backups.map((b) => b.job)).size).toBe(3);
      const r = await runCli(
        [
          'failover',
          '--site',
          lab.siteFile,
          '--db',
          db,
          '--plain',
          '--confirm',
          MIRROR_PATH,
          '--ack-manual',
          '--other-jobs',
          how,
          '--report-dir',
          path.join(dir, 'reports'),
        ],
        { env: cliEnv(), timeoutMs: 180_000 },
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);

      const status = lab.status();
      const recovered = status.vms.filter((v) => !v.stale);
      expect(own.size).toBeGreaterThan(0);
      for (const [vm, marker] of own) {
        const v = recovered.find((x) => x.name === vm);
        expect(v, vm).toBeDefined();
        expect([vm, v!.power, v!.bootMarker]).toEqual([vm, 'on', marker]);
        expect(
          v!.snapshots.some((s) => s.startsWith('smvi_')),
          `${vm} still has its VSC snapshot`,
        ).toBe(false);
      }
      const datastores = new Set(recovered.map((v) => v.datastore));
      if (how === 'flexclone') expect(datastores.size).toBe(3);
      else expect([...datastores]).toEqual(['ds_vm1_mirror']);

      // The report says, per VM, which snapshot its point came from and how it got back to it.
      const report = readFileSync(r.stdout.match(/report: (\S+\.md)/)![1]!, 'utf8');
      const newest = backups.at(-1)!.snapshot;
      for (const b of backups) {
        for (const vm of Object.keys(b.quiesced).filter((n) => b.quiesced[n] !== null)) {
          const row = report.split('\n').find((l) => l.startsWith(`| ${vm} |`));
          expect(row, vm).toContain(b.snapshot);
          if (b.snapshot === newest) expect(row).toContain('SnapRestore of the volume');
          else expect(row).toContain(how === 'flexclone' ? 'FlexClone' : 'restore-file');
        }
      }
    });
  }
});
