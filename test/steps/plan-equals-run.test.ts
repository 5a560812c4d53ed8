import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../src/inventory/store.js';
import { openDatabase } from '../../src/journal/db.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { buildPlan } from '../../src/plan/build.js';
import { loadSite } from '../../src/runbook/site.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { patchSite, quickTimeouts, tempDir } from '../helpers/lab-fixture.js';
import { expectPlanEqualsRun, runIdOf, sentCommands, vmChangesNotReadAfter } from './plan-run.js';

/**
 * Issue 16: what `drbook plan` prints for the lab is what a lab run sends — the same builders, in
 * the same order per host and target — for every step of the failover (and, in the drill's
 * tests below, of the drill and its cleanup).
 */
describe('drbook plan shows the commands a lab failover sends', { timeout: 180_000 }, () => {
  let dir: string;
  let lab: Lab;
  let dbFile: string;

  beforeAll(async () => {
    dir = tempDir('drbook-plan-run-');
    // Three hosts (some in lockdown), a vCenter VM, priority groups, stale VMs still running.
    lab = await startLab({ dir: path.join(dir, 'lab'), hosts: 3, vms: 10, seed: 5, latency: 'none' });
    patchSite(lab.siteFile, quickTimeouts);
    dbFile = path.join(dir, 'lab', 'drbook.db');
    await lab.backup();
    const cap = await runCli(['capture', '--site', lab.siteFile], { env: cliEnv({ HOME: dir }), timeoutMs: 60_000 });
    expect([0, 3], cap.stderr).toContain(cap.code);
    await lab.disaster();
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every command of every step, per host and target, in the plan's order", async () => {
    const site = loadSite(lab.siteFile);
    const r = await runCli(
      [
        'failover',
        '--site',
        lab.siteFile,
        '--json',
        '--confirm',
        site.relationship.destination,
        '--ack-manual',
        '--crash-consistent',
        'power-on',
        '--unreachable-host',
        'skip',
      ],
      { env: cliEnv({ HOME: dir }), timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    const db = openDatabase(dbFile, { readonly: true });
    const capture = new CaptureStore(db).latest(site.site)!;
    db.close();
    const doc = buildPlan({ site, capture, lang: 'en', now: new Date(), drbookVersion: 'test' });
    const sent = sentCommands(dbFile, runId);
    expectPlanEqualsRun(doc, sent, {
      moreThan: 50,
      steps: 'same',
      // The lab exercised the destructive commands the plan shows.
      sends: [
        'snapmirror break',
        'volume snapshot restore ',
        'lockdown_mode_exit',
        'esxcli vm process kill',
        'vmsvc/unregister',
        'solo/registervm',
        'snapshot.revert',
        'power.on',
        'lockdown_mode_enter',
      ],
    });
    // A read a shared read answered is missing from its caller's commands, which the comparison
    // takes for a line skipped; every change to a VM is still followed by a read of it sent after.
    expect(vmChangesNotReadAfter(dbFile, runId)).toEqual([]);
    // The fence saw each stale world gone after its kill, and a world id is not given again while
    // the host runs: the register's guard against a second running copy need not list the worlds.
    expect(sent.some((c) => c.step === 'fence' && c.line.startsWith('esxcli vm process kill'))).toBe(true);
    expect(sent.filter((c) => c.step === 'recover' && c.line.startsWith('esxcli vm process list'))).toEqual([]);
  });
});
