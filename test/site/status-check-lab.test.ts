/**
 * `drbook status` and `drbook check` on the lab, through the CLI: protected before the disaster,
 * the failover situation after it, failed over after the failover — each saying what to do next.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, tempDir } from '../helpers/lab-fixture.js';

let dir: string;
let lab: Lab;
let db: string;
const cli = (args: string[], env = cliEnv()) => runCli(args, { env, timeoutMs: 180_000 });
const JA = cliEnv({ LANG: 'ja_JP.UTF-8' });

beforeAll(async () => {
  dir = tempDir('drbook-site-state-');
  lab = await startLab({ dir, hosts: 2, vms: 6, seed: 7 });
  db = path.join(dir, 'drbook.db');
  await lab.backup();
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('site state through the CLI, from protected to failed over', () => {
  it('protected: status in one word and one sentence (no database yet: none created), check READY or warnings', async () => {
    const s = await cli(['status', '--site', lab.siteFile, '--db', db]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^site lab: PROTECTED — svm1:vm_vol1 is mirrored to svm2:vm_vol1_mirror and the VMs run from ds_vm1\.$/m);
    expect(s.stdout).toMatch(/^ {2}relationship +svm1:vm_vol1 → svm2:vm_vol1_mirror: Snapmirrored, Idle, healthy; lag \d+ s$/m);
    expect(s.stdout).toMatch(/^ {2}mirror backup +smvi__job1_recent, \d+ s old$/m);
    expect(s.stdout).toMatch(/^ {2}hosts +esx01: lockdown on \(what runs there is hidden\)$/m);
    expect(s.stdout).toContain(`no database at ${db}`);
    const { existsSync } = await import('node:fs');
    expect(existsSync(db)).toBe(false);

    const ja = await cli(['status', '--site', lab.siteFile, '--db', db], JA);
    expect(ja.stdout).toMatch(/^サイト lab: 保護中 — /m);
    expect(ja.stdout).toMatch(/^ {2}次の手順 +対応は不要です。/m);

    const cap = await cli(['capture', '--site', lab.siteFile, '--db', db]);
    expect([0, 3]).toContain(cap.code);
    const c = await cli(['check', '--site', lab.siteFile, '--db', db]);
    expect([0, 3]).toContain(c.code);
    expect(c.stdout).toMatch(/^ok +cluster1 +SnapMirror lag \d+ s$/m);
    expect(c.stdout).toMatch(/\n\nsite lab: PROTECTED — .*\nverdict: READY/);
    expect(c.stdout).not.toContain('\u001b[');
    // Colour only when asked for (a terminal, or FORCE_COLOR), never with NO_COLOR.
    const coloured = await cli(['check', '--site', lab.siteFile, '--db', db], cliEnv({ NO_COLOR: undefined, FORCE_COLOR: '1' }));
    expect(coloured.stdout).toContain('\u001b[');
  });

  it('after the disaster: status says primary lost and to fail over; check says it is the failover situation', async () => {
    await lab.disaster();
    const s = await cli(['status', '--site', lab.siteFile, '--db', db, '--json']);
    expect(s.code, s.stderr).toBe(0);
    const j = JSON.parse(s.stdout) as { state: string; next: { kind: string }; lastGoodCapture: { id: string } | null };
    expect(j.state).toBe('primary-lost');
    expect(j.next.kind).toBe('failover');
    expect(j.lastGoodCapture).not.toBeNull();

    const c = await cli(['check', '--site', lab.siteFile, '--db', db]);
    expect(c.code).toBe(1);
    expect(c.stdout).not.toContain('check the datastores section of the site file');
    expect(c.stdout).toContain(
      'datastore ds_vm1 is not mounted or not accessible — the primary volume is lost: this is the failover situation',
    );
    expect(c.stdout).toMatch(/\nverdict: THE PRIMARY IS LOST — this is the failover situation: drbook failover --site \S+site\.yaml\n$/);
  });

  it('after the failover: status failed-over naming the run; check says failed over, never "fix the relationship"', async () => {
    const f = await cli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual']);
    expect(f.code, f.stdout + f.stderr).toBe(0);
    const runId = /run (\S+) done\./.exec(f.stdout)![1]!;
    const s = await cli(['status', '--site', lab.siteFile, '--db', db]);
    expect(s.stdout).toMatch(/^site lab: FAILED OVER — The relationship is broken off; \d+ VM\(s\) are registered from ds_vm1_mirror/m);
    // esx01 is back in lockdown: the counts are esx02's only, and say so.
    expect(s.stdout).toMatch(
      /^site lab: FAILED OVER — .* on esx02\. Partial count: 1 host\(s\) could not be looked into \(esx01: lockdown or no answer\)\.$/m,
    );
    const ja = await cli(['status', '--site', lab.siteFile, '--db', db], JA);
    expect(ja.stdout).toContain('一部のみの台数です: 1 台のホスト (esx01) はロックダウン中または応答がなく、確認できませんでした。');
    expect(s.stdout).toContain(`last run       ${runId}: failover done`);
    expect(s.stdout).toMatch(/^ {2}next +do not fail over again; once the primary is back, reprotect \(reverse resync\), then fail back$/m);

    const c = await cli(['check', '--site', lab.siteFile, '--db', db]);
    expect(c.code).toBe(1);
    expect(c.stdout).not.toContain('fix the relationship before you need it');
    expect(c.stdout).toContain('the site is failed over (drbook status --site');
    expect(c.stdout).toMatch(/\nverdict: FAILED OVER — do not fail over again/);
  });
});
