/**
 * Issue 17, done when: the whole cycle on the lab — failover → lab tick → lab repair → reprotect →
 * lab tick → failback — ends with every VM on the original datastore, on its recorded host, under
 * its recorded name, powered as it was, with the data it had on the mirror just before the
 * failback; the relationship original → mirror again, healthy; no device action repeated. The
 * same without a common snapshot (a full baseline, said before the confirmation). And the
 * preflights refuse the unsafe cases, changing nothing.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type LabStatus } from '../../src/lab/lab.js';
import type { LabFaults } from '../../src/lab/faults.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, cloneTemplate, patchSite, prepareTemplate, quickTimeouts, tempDir } from '../helpers/lab-fixture.js';
import { PRIMARY_PATH, failedOverTemplate, repeatedActions } from '../helpers/wayback.js';

let root: string;
const templates: Record<'common' | 'none', string> = { common: '', none: '' };

beforeAll(async () => {
  root = tempDir('drbook-wayback-');
  // One failover per template (each ~10 s on a busy machine); every test copies one.
  templates.common = (await failedOverTemplate(path.join(root, 't-common'), { hosts: 2, vms: 6, seed: 7, noCommonSnapshot: false })).dir;
  templates.none = (await failedOverTemplate(path.join(root, 't-none'), { hosts: 2, vms: 6, seed: 7, noCommonSnapshot: true })).dir;
}, 240_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function open(template: string, name: string, faults?: LabFaults): Promise<{ lab: Lab; db: string; site: string }> {
  const dir = cloneTemplate(template, path.join(root, name));
  const lab = await startLab({ dir, ...(faults ? { faults } : {}) });
  patchSite(lab.siteFile, quickTimeouts);
  return { lab, db: path.join(dir, 'drbook.db'), site: lab.siteFile };
}

const drbook = (args: string[]) => runCli(args, { env: cliEnv(), timeoutMs: 120_000 });

async function stateOf(site: string, db: string): Promise<string> {
  const r = await drbook(['status', '--site', site, '--db', db, '--json']);
  return (JSON.parse(r.stdout) as { state: string }).state;
}

function onMirror(s: LabStatus) {
  return s.vms.filter((v) => v.datastore === 'ds_vm1_mirror');
}

describe.each([
  ['with the common snapshot', 'common' as const],
  ['without a common snapshot', 'none' as const],
])('the whole way back %s', (_title, kind) => {
  it('reprotect says what it overwrites before it asks; failback brings every VM back as it was; the site is protected again', async () => {
    const { lab, db, site } = await open(templates[kind], `cycle-${kind}`);
    try {
      expect(await stateOf(site, db)).toBe('failed-over');
      const beforeReprotect = lab.status();

      const rp = await drbook(['reprotect', '--site', site, '--db', db, '--plain', '--confirm', PRIMARY_PATH]);
      expect(rp.code, rp.stdout + rp.stderr).toBe(0);
      const asked = rp.stdout.indexOf('answered "yes"');
      expect(asked).toBeGreaterThan(0);
      const said = rp.stdout.slice(0, asked);
      if (kind === 'none') {
        expect(said).toMatch(/FULL BASELINE of 87\.7 GB/);
        expect(said).toMatch(/kept, renamed vm_vol1_before_reprotect_\d+/);
      } else {
        expect(said).toMatch(/DISCARDS what svm1:vm_vol1 holds that is newer: every write after .*, and the snapshots snapmirror\./);
      }
      expect(repeatedActions(beforeReprotect, lab.status())).toEqual([]);
      if (kind === 'none') {
        // The baseline (87.7 GB) runs on the cluster: reprotecting until a lab tick has moved it.
        expect(await stateOf(site, db)).toBe('reprotecting');
        const early = await drbook(['failback', '--site', site, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
        expect(early.code).toBe(2);
        expect(early.stderr).toMatch(/failing back now would lose what it has not transferred/);
      }

      await lab.tick();
      expect(await stateOf(site, db)).toBe('reprotected');
      const beforeFailback = lab.status();
      const was = onMirror(beforeFailback);
      expect(was.length).toBe(6);

      const fb = await drbook(['failback', '--site', site, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
      expect(fb.code, fb.stdout + fb.stderr).toBe(0);
      const after = lab.status();
      expect(onMirror(after)).toEqual([]);
      for (const v of was) {
        const now = after.vms.find((x) => x.name === v.name);
        expect(now, v.name).toBeDefined();
        expect({ host: now!.host, datastore: now!.datastore, path: now!.path, power: now!.power, marker: now!.marker }, v.name).toEqual({
          host: v.host,
          datastore: 'ds_vm1',
          path: v.path.replace('[ds_vm1_mirror]', '[ds_vm1]'),
          power: v.power,
          marker: v.marker,
        });
      }
      expect(after.vms.length).toBe(was.length);
      expect(
        after.relationships.map((r) => ({ source: r.source, destination: r.destination, state: r.state, healthy: r.healthy })),
      ).toEqual([{ source: PRIMARY_PATH, destination: MIRROR_PATH, state: 'Snapmirrored', healthy: true }]);
      expect(after.lockdown).toEqual(beforeFailback.lockdown);
      expect(repeatedActions(beforeFailback, after)).toEqual([]);
      expect(await stateOf(site, db)).toBe('protected');
    } finally {
      await lab.stop();
    }
  }, 180_000);
});

describe('an unfinished reprotect or failback is resumed, never started again beside', () => {
  it('a new run is refused while one of its kind is unfinished after it changed the site; resume finishes it', async () => {
    // The cluster fails the reprotect's release and the failback's final transfer once: each run
    // stops after it changed the site (the relationship deleted; the VMs shut down).
    const faults: LabFaults = { vms: {}, hosts: { cluster1: { failFirst: { match: 'snapmirror release', times: 1 } } } };
    const { lab, db, site } = await open(templates.common, 'unfinished', faults);
    const runIdOf = (out: string): string => /drbook resume (\d{8}-\d{4}-[0-9a-f]{4})/.exec(out)?.[1] ?? '';
    try {
      // Stopped at its typed confirmation, it changed nothing: it does not hold a new run back.
      const wrong = await drbook(['reprotect', '--site', site, '--db', db, '--plain', '--confirm', 'svm1:wrong']);
      expect(wrong.code, wrong.stdout + wrong.stderr).not.toBe(0);
      const failed = await drbook(['reprotect', '--site', site, '--db', db, '--plain', '--confirm', PRIMARY_PATH]);
      expect(failed.code, failed.stdout + failed.stderr).not.toBe(0);
      const rpRun = runIdOf(failed.stdout + failed.stderr);
      expect(rpRun).not.toBe('');
      const before = lab.status();
      const again = await drbook(['reprotect', '--site', site, '--db', db, '--plain', '--confirm', PRIMARY_PATH]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        new RegExp(`reprotect ${rpRun} of this site \\(started [0-9-]+ [0-9:]+ UTC\\) did not finish \\((?:failed|stopped)\\)`),
      );
      expect(again.stderr).toContain(`drbook resume ${rpRun} continues it`);
      expect(lab.status().actions).toEqual(before.actions);
      expect(lab.status().relationships).toEqual(before.relationships);
      const resumed = await drbook(['resume', rpRun, '--db', db, '--plain', '--confirm', PRIMARY_PATH]);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);

      await lab.stop();
      const fbFaults: LabFaults = { vms: {}, hosts: { cluster1: { failFirst: { match: 'snapmirror update', times: 1 } } } };
      const again2 = await startLab({ dir: path.dirname(db), faults: fbFaults });
      try {
        await again2.tick();
        expect(await stateOf(site, db)).toBe('reprotected');
        const fbFailed = await drbook(['failback', '--site', site, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
        expect(fbFailed.code, fbFailed.stdout + fbFailed.stderr).not.toBe(0);
        const fbRun = runIdOf(fbFailed.stdout + fbFailed.stderr);
        expect(fbRun).not.toBe('');
        const fbBefore = again2.status();
        // The VMs are down: a new run would have recorded them off and brought them back off.
        expect(fbBefore.vms.filter((v) => v.power === 'on')).toEqual([]);
        const fbAgain = await drbook(['failback', '--site', site, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
        expect(fbAgain.code).toBe(2);
        expect(fbAgain.stderr).toContain(`failback ${fbRun} of this site (started `);
        expect(again2.status().actions).toEqual(fbBefore.actions);
        const fbResumed = await drbook(['resume', fbRun, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
        expect(fbResumed.code, fbResumed.stdout + fbResumed.stderr).toBe(0);
        expect(await stateOf(site, db)).toBe('protected');
        expect(again2.status().vms.filter((v) => v.power === 'on').length).toBeGreaterThan(0);
      } finally {
        await again2.stop();
      }
    } finally {
      await lab.stop();
    }
  }, 240_000);
});

describe('the preflights refuse what is unsafe, and change nothing', () => {
  it('reprotect before the original volume is back', async () => {
    const dir = path.join(root, 'lost');
    await prepareTemplate(dir, { hosts: 2, vms: 4, seed: 3 });
    const lab = await startLab({ dir });
    try {
      patchSite(lab.siteFile, quickTimeouts);
      const db = path.join(dir, 'drbook.db');
      const fo = await drbook([
        'failover',
        '--site',
        lab.siteFile,
        '--db',
        db,
        '--json',
        '--confirm',
        MIRROR_PATH,
        '--ack-manual',
        '--crash-consistent',
        'power-on',
      ]);
      expect(fo.code, fo.stderr).toBe(0);
      const before = lab.status();
      const r = await drbook(['reprotect', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', PRIMARY_PATH]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /the original volume svm1:vm_vol1 is offline: it must be back before it can be reprotected — bring the original volume online/,
      );
      expect(lab.status().actions).toEqual(before.actions);
      expect(lab.status().relationships).toEqual(before.relationships);
    } finally {
      await lab.stop();
    }
  }, 120_000);

  it('failback or reprotect of a site that is not failed over', async () => {
    const dir = path.join(root, 'protected');
    await prepareTemplate(dir, { hosts: 2, vms: 4, seed: 3, noDisaster: true });
    const lab = await startLab({ dir });
    try {
      const db = path.join(dir, 'drbook.db');
      const before = lab.status();
      const fb = await drbook(['failback', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
      expect(fb.code).toBe(2);
      expect(fb.stderr).toMatch(/site lab is PROTECTED, not failed over: there is nothing to bring back/);
      const rp = await drbook(['reprotect', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', PRIMARY_PATH]);
      expect(rp.code).toBe(2);
      expect(rp.stderr).toMatch(/site lab is PROTECTED, not failed over/);
      expect(lab.status().actions).toEqual(before.actions);
    } finally {
      await lab.stop();
    }
  }, 120_000);
});
