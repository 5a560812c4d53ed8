import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab.js';
import type { WayBackPlanDocument } from '../../src/plan/model.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, cloneTemplate, patchSite, quickTimeouts, tempDir } from '../helpers/lab-fixture.js';
import { PRIMARY_PATH, failedOverTemplate } from '../helpers/wayback.js';
import { expectPlanEqualsRun, runIdOf, sentCommands, vmChangesNotReadAfter } from '../steps/plan-run.js';

/**
 * Issue 16 for the way back: what `drbook plan --procedure reprotect|failback` prints, after a lab
 * failover and `lab repair` (then `lab tick`), is what the run sends — per step, host and target,
 * in the plan's order — with and without a common snapshot.
 */
let root: string;
beforeAll(() => {
  root = tempDir('drbook-wayback-plan-');
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const drbook = (args: string[]) => runCli(args, { env: cliEnv(), timeoutMs: 120_000 });

async function planOf(site: string, db: string, procedure: string): Promise<WayBackPlanDocument> {
  const r = await drbook(['plan', '--site', site, '--db', db, '--procedure', procedure, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as WayBackPlanDocument;
}

describe.each([
  ['with the common snapshot', false],
  ['without a common snapshot', true],
])('the way back %s: the plan shows what the run sends', (_t, noCommonSnapshot) => {
  let lab: Lab;
  let db: string;
  let site: string;

  beforeAll(async () => {
    const t = await failedOverTemplate(path.join(root, `t-${String(noCommonSnapshot)}`), { hosts: 2, vms: 6, seed: 7, noCommonSnapshot });
    const dir = cloneTemplate(t.dir, path.join(root, `run-${String(noCommonSnapshot)}`));
    lab = await startLab({ dir });
    patchSite(lab.siteFile, quickTimeouts);
    db = path.join(dir, 'drbook.db');
    site = lab.siteFile;
  }, 240_000);

  afterAll(async () => {
    await lab?.stop();
  });

  it('reprotect, then failback: every command per step, host and target, in the plan’s order', async () => {
    const rpPlan = await planOf(site, db, 'reprotect');
    const rp = await drbook(['reprotect', '--site', site, '--db', db, '--json', '--confirm', PRIMARY_PATH]);
    expect(rp.code, rp.stderr).toBe(0);
    // The set-aside volume's name carries the minute it was planned in: a plan printed in the
    // minute before the run names the minute before, and is otherwise what the run sends.
    const planned = /_before_reprotect_\d{12}/.exec(JSON.stringify(rpPlan))?.[0];
    expectPlanEqualsRun(rpPlan, sentCommands(db, runIdOf(rp.stdout)), {
      ...(planned ? { normalise: (line: string) => line.replace(/_before_reprotect_\d{12}/g, planned) } : {}),
      moreThan: 10,
      steps: 'same',
      sends: noCommonSnapshot ? ['volume rename', 'snapmirror initialize'] : ['snapmirror resync'],
    });
    // The plan states, before its confirmation, what the run states before it asks.
    const confirm = rpPlan.sections.flatMap((s) => s.steps).find((s) => s.confirm)!.confirm!;
    expect(confirm.type).toBe(PRIMARY_PATH);
    expect(confirm.text).toMatch(noCommonSnapshot ? /FULL BASELINE of 87\.7 GB \(about .* at the last transfer's .*\/s\)/ : /DISCARDS/);

    await lab.tick();
    const fbPlan = await planOf(site, db, 'failback');
    const fb = await drbook(['failback', '--site', site, '--db', db, '--json', '--confirm', MIRROR_PATH]);
    expect(fb.code, fb.stderr).toBe(0);
    // Every step that sent something is in the plan. (A step may send nothing: fb-junction's only
    // read, when the junction is there already, can be answered by the break's shared read.)
    expectPlanEqualsRun(fbPlan, sentCommands(db, runIdOf(fb.stdout)), {
      moreThan: 50,
      steps: 'within',
      sends: [
        'power.shutdown',
        'snapmirror update',
        'snapmirror break',
        'vmsvc/unregister',
        'solo/registervm',
        'power.on',
        'snapmirror resync',
      ],
    });
    // Shared reads leave skipped lines; every change to a VM is still followed by a read of it.
    expect(vmChangesNotReadAfter(db, runIdOf(fb.stdout))).toEqual([]);
  }, 240_000);
});
