import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHypervCapture } from '../../src/hyperv/capture-command.js';
import { buildHypervPlan } from '../../src/hyperv/plan.js';
import { openDatabase } from '../../src/journal/db.js';
import { startHypervLab, type HvLab } from '../../src/lab/hyperv/lab.js';
import { validateRegistry } from '../../src/engine/runner.js';
import { builtinRunbookPath } from '../../src/runbook/builtin.js';
import { loadRunbook } from '../../src/runbook/runbook.js';
import { loadAnySite } from '../../src/runbook/site.js';
import { hypervSteps } from '../../src/steps/hyperv/index.js';
import { actionsOf, moduleOf } from '../../src/steps/step.js';
import { runCli } from '../helpers/drbook-cli.js';
import { expectPlanEqualsRun, runIdOf, sentCommands } from './plan-run.js';

describe('Hyper-V step modules', () => {
  it('every step of the Hyper-V recovery runbook names a module that defines it and its stages', () => {
    const runbook = loadRunbook(builtinRunbookPath('hyperv-recovery'));
    for (const step of runbook.steps) expect(moduleOf(hypervSteps, runbook, step).action).toBe(step.action);
    expect(() => validateRegistry(runbook, actionsOf(hypervSteps))).not.toThrow();
  });
});

/**
 * Issue 16, for the Hyper-V recovery: what `drbook plan` prints for a Hyper-V lab is what a lab
 * recovery sends (the same builders, in the same order per node and target), for every step of
 * runbooks/hyperv-recovery.yaml.
 */
describe('drbook plan shows the commands a Hyper-V lab recovery sends', { timeout: 180_000 }, () => {
  let dir: string;
  let lab: HvLab;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-hvplan-run-'));
    db = path.join(dir, 'drbook.db');
    // Three nodes, hostile names (quotes, spaces) in every command line, clustered and plain VMs.
    lab = await startHypervLab({ dir: path.join(dir, 'lab'), hosts: 3, vms: 9, seed: 7, names: 'hostile', bootMs: 50 });
    await lab.backup();
    const cap = await runCli(['capture', '--site', lab.siteFile, '--db', db], { timeoutMs: 60_000 });
    expect([0, 3], cap.stderr).toContain(cap.code);
    await lab.disaster();
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every command of every step, per node and target, in the plan's order", async () => {
    const any = loadAnySite(lab.siteFile);
    if (any.kind !== 'hyperv') throw new Error('the Hyper-V lab wrote a vSphere site file');
    const site = any.site;
    const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--json', '--ack-manual', '--confirm', site.hyperv.cluster], {
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    const handle = openDatabase(db, { readonly: true });
    const capture = loadHypervCapture(handle, site.site)!;
    handle.close();
    const doc = buildHypervPlan({ site, capture, lang: 'en', now: new Date(), drbookVersion: 'test' });
    expectPlanEqualsRun(doc, sentCommands(db, runId), {
      moreThan: 30,
      steps: 'same',
      // The lab exercised the commands that change the cluster.
      sends: ['Remove-ClusterGroup', 'Import-VM', 'Add-ClusterVirtualMachineRole', 'Start-ClusterGroup'],
    });
  });
});
