/**
 * Issue 15: the mistakes an operator (or a cron job) makes across runs, on the lab. Each case
 * asserts on the lab's own count of what was done to the devices (`actions`): a mistake changes
 * nothing and exits non-zero. Every case starts from a copy of the same post-disaster lab. The
 * lifecycle and secrets mistakes live beside this file (mistakes-*.test.ts).
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabStatus } from '../../src/lab/lab.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  actionsSince,
  appliedTwice,
  cloneTemplate,
  prepareTemplate,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';

const CONFIRM = ['--plain', '--confirm', MIRROR_PATH, '--ack-manual'];
const LAB = { hosts: 2, vms: 6, seed: 7 };

let root: string;
let template: Template;
/** Lab up → backup → disaster, no capture: the capture is taken after the disaster. */
let noCapture: Template;

beforeAll(async () => {
  root = tempDir('drbook-mistakes-');
  [template, noCapture] = await Promise.all([
    prepareTemplate(path.join(root, 'template'), LAB),
    prepareTemplate(path.join(root, 'template-nocapture'), { ...LAB, noCapture: true }),
  ]);
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const markers = (s: LabStatus) =>
  Object.fromEntries(s.vms.filter((v) => v.datastore === 'ds_vm1_mirror').map((v) => [`${v.host}/${v.name}`, v.marker]));

async function withCase<T>(from: Template, name: string, body: (lab: Lab, dir: string, db: string) => Promise<T>): Promise<T> {
  const dir = cloneTemplate(from.dir, path.join(root, name));
  const lab = await startCase(dir);
  try {
    return await body(lab, dir, path.join(dir, 'drbook.db'));
  } finally {
    await lab.stop();
  }
}

const cli = (args: string[]) => runCli(args, { env: cliEnv(), timeoutMs: 180_000 });

describe('mistakes across runs change nothing on the devices', () => {
  it('after a finished failover (and the VMs writing): a second failover, resume with and without an id — nothing sent, exit non-zero; status says failed-over', async () => {
    await withCase(template, 'second-failover', async (lab, _dir, db) => {
      const first = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const runId = /run (\S+) done\./.exec(first.stdout)![1]!;

      const status = await cli(['status', '--site', lab.siteFile, '--db', db, '--json']);
      expect(status.code, status.stderr).toBe(0);
      const s = JSON.parse(status.stdout) as { state: string; byRun: string | null; next: { kind: string } };
      expect(s.state).toBe('failed-over');
      expect(s.byRun).toBe(runId);
      expect(s.next.kind).toBe('reprotect-failback');

      await lab.tick(); // the recovered VMs write
      const before = lab.status();
      const written = markers(before);
      expect(Object.keys(written).length).toBeGreaterThan(0);

      const second = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(second.code, second.stdout + second.stderr).toBe(2);
      expect(second.stderr).toMatch(
        /^drbook: site lab is already failed over: .* run\(s\) from ds_vm1_mirror since \S+ \(run \S+\); a second failover would destroy them — drbook status --site /,
      );
      expect(second.stderr.trim().split('\n')).toHaveLength(1);

      // The refused second failover is listed as refused, not as a run to resume.
      const runs = JSON.parse((await cli(['runs', '--db', db, '--json'])).stdout) as { id: string; status: string }[];
      expect(runs.map((r) => r.status).sort()).toEqual(['done', 'refused']);

      const noId = await cli(['resume', '--db', db, ...CONFIRM]);
      expect(noId.code).toBe(2);
      expect(noId.stderr).toContain('no unfinished failover to resume');
      const withId = await cli(['resume', runId, '--db', db, ...CONFIRM]);
      expect(withId.code).toBe(2);
      expect(withId.stderr).toContain(`run ${runId} is already done`);

      const after = lab.status();
      expect(actionsSince(before, after)).toEqual([]);
      // No disk marker went back: what the VMs wrote after the failover is still there.
      expect(markers(after)).toEqual(written);
    });
  });

  it('a capture after the disaster is degraded: exit 1, latest.* untouched, and the failover still uses the good capture', async () => {
    await withCase(template, 'degraded-after-good', async (lab, dir, db) => {
      const exports = path.join(dir, 'lab');
      const latest = readFileSync(path.join(exports, 'latest.csv'));
      const cap = await cli(['capture', '--site', lab.siteFile, '--db', db, '--json']);
      expect(cap.code, cap.stderr).toBe(1);
      const summary = JSON.parse(cap.stdout) as {
        degraded: { reason: string } | null;
        findings: { code: string }[];
        files: { latestCsv: string | null };
      };
      expect(summary.degraded).toEqual({ reason: 'primary-datastore-lost' });
      expect(summary.findings[0]!.code).toBe('degraded-capture');
      expect(summary.files.latestCsv).toBeNull();
      expect(readFileSync(path.join(exports, 'latest.csv'))).toEqual(latest);
      expect(readdirSync(exports).some((f) => f.endsWith('-degraded.csv'))).toBe(true);

      const f = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(f.code, f.stdout + f.stderr).toBe(0);
      expect(lab.status().vms.filter((v) => v.datastore === 'ds_vm1_mirror' && v.power === 'on').length).toBeGreaterThan(0);
    });
  });

  it('a failover whose only capture was taken after the disaster changes nothing and exits 2', async () => {
    await withCase(noCapture, 'post-disaster-capture', async (lab, dir, db) => {
      const cap = await cli(['capture', '--site', lab.siteFile, '--db', db]);
      expect(cap.code, cap.stdout + cap.stderr).toBe(1);
      expect(cap.stdout).toContain('degraded-capture');
      expect(existsSync(path.join(dir, 'lab', 'latest.csv'))).toBe(false);

      const before = lab.status();
      const f = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(f.code, f.stdout + f.stderr).toBe(2);
      expect(f.stderr).toMatch(/no good capture of site lab: the only one, \S+ .*is degraded/);
      expect(actionsSince(before, lab.status())).toEqual([]);
    });
  });

  it('a failover the preflight refuses is journaled refused: exit 2, listed and reported so, never resumed, nothing sent', async () => {
    await withCase(template, 'preflight-refused', async (lab, _dir, db) => {
      const before = lab.status();
      const f = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM, '--snapshot', 'smvi__nosuch_recent']);
      expect(f.code, f.stdout + f.stderr).toBe(2);
      expect(f.stdout).toContain('smvi__nosuch_recent');
      expect(f.stdout).toMatch(/run \S+ refused\./);
      expect(f.stdout, f.stdout).not.toContain('drbook resume');
      const [run] = JSON.parse((await cli(['runs', '--db', db, '--json'])).stdout) as { id: string; status: string }[];
      expect(run!.status).toBe('refused');
      const listed = await cli(['runs', '--db', db]);
      expect(listed.stdout).toMatch(new RegExp(`${run!.id}\\s+failover\\s+refused`));
      const report = await cli(['report', run!.id, '--db', db, '--format', 'md']);
      expect(report.stdout).toContain('**refused**');
      const status = JSON.parse((await cli(['status', '--site', lab.siteFile, '--db', db, '--json'])).stdout) as {
        lastRun: { status: string } | null;
      };
      expect(status.lastRun?.status).toBe('refused');

      const noId = await cli(['resume', '--db', db, ...CONFIRM]);
      expect(noId.code).toBe(2);
      expect(noId.stderr).toContain('no unfinished failover to resume');
      const withId = await cli(['resume', run!.id, '--db', db, ...CONFIRM]);
      expect(withId.code).toBe(2);
      expect(withId.stderr).toContain(`run ${run!.id} was refused (it never acted)`);
      expect(actionsSince(before, lab.status())).toEqual([]);
    });
  });

  it('a new failover beside one that stopped after it changed the site is refused (resume it): nothing sent twice, lockdown not forgotten', async () => {
    await withCase(template, 'beside-unfinished', async (lab, _dir, db) => {
      const atStart = lab.status().lockdown;
      // Confirmed, but without --ack-manual: it breaks, restores, fences and stops at vCenter's manual step.
      const first = await cli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
      expect(first.code, first.stdout + first.stderr).toBe(4);
      const runId = /drbook resume (\d{8}-\d{4}-[0-9a-f]{4})/.exec(first.stdout + first.stderr)![1]!;
      // The command it prints carries the flag the stop named: copied as it is, it goes on.
      expect(first.stdout + first.stderr).toContain(`Continue it with: drbook resume ${runId} --site ${lab.siteFile} --ack-manual\n`);
      const before = lab.status();
      const second = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(`failover ${runId} of this site \\(started .+ UTC\\) did not finish \\(stopped\\) after it changed the site`),
      );
      // --abandon names only that run.
      const wrong = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM, '--abandon', '20200101-0000-beef']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('--abandon 20200101-0000-beef: it is not the unfinished failover of this site');
      expect(second.stderr).toContain(`drbook resume ${runId} continues it`);
      expect(actionsSince(before, lab.status())).toEqual([]);
      const resumed = await cli(['resume', runId, '--db', db, ...CONFIRM]);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      const after = lab.status();
      expect(appliedTwice(after.actions)).toEqual([]);
      expect(after.lockdown).toEqual(atStart);
    });
  });

  it('--abandon sets an unfinished failover aside by name: marked aborted, never resumed; the new run meets the site guard', async () => {
    await withCase(template, 'abandon', async (lab, _dir, db) => {
      const first = await cli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH]);
      expect(first.code, first.stdout + first.stderr).toBe(4);
      const runId = /drbook resume (\d{8}-\d{4}-[0-9a-f]{4})/.exec(first.stdout + first.stderr)![1]!;
      const next = await cli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--abandon', runId]);
      expect(next.stderr).toContain(`drbook: failover ${runId} set aside (--abandon): marked aborted, it will not be resumed`);
      // Past that refusal, the new run meets the site's own guard: this site is half failed over.
      expect(next.stderr).not.toContain('did not finish');
      expect(next.stderr).toContain('site lab is already failed over');
      const resumed = await cli(['resume', runId, '--db', db, ...CONFIRM]);
      expect(resumed.code).toBe(2);
      expect(resumed.stderr).toContain(`run ${runId} was aborted or set aside (--abandon): it is not resumed`);
    });
  });

  it('resume without an id refuses when two failovers are unfinished; a superseded run is never resumed', async () => {
    await withCase(template, 'two-unfinished', async (lab, _dir, db) => {
      const before = lab.status();
      // Started by mistake, twice, and stopped at the break's confirmation (no --confirm).
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await cli(['failover', '--site', lab.siteFile, '--db', db, '--plain']);
        expect(r.code, r.stdout + r.stderr).toBe(2);
        ids.push(/^\d\d:\d\d:\d\d run (\S+):/m.exec(r.stdout)![1]!);
      }
      const noId = await cli(['resume', '--db', db, ...CONFIRM]);
      expect(noId.code).toBe(2);
      expect(noId.stderr).toContain('2 unfinished failovers');
      for (const id of ids) expect(noId.stderr).toContain(id);
      expect(actionsSince(before, lab.status())).toEqual([]);

      // The newer one is finished; the older one is superseded and never resumed.
      const done = await cli(['resume', ids[1]!, '--db', db, ...CONFIRM]);
      expect(done.code, done.stdout + done.stderr).toBe(0);
      const after = lab.status();
      const old = await cli(['resume', ids[0]!, '--db', db, ...CONFIRM]);
      expect(old.code).toBe(2);
      expect(old.stderr).toContain(`run ${ids[0]} is superseded`);
      const noneLeft = await cli(['resume', '--db', db, ...CONFIRM]);
      expect(noneLeft.code).toBe(2);
      expect(actionsSince(after, lab.status())).toEqual([]);
    });
  });
});
