import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVmx, serializeVmx } from '../../src/adapters/esxi/vmx.js';
import { connectedNics, nicsOf } from '../../src/drill/actions.js';
import { drillNames } from '../../src/drill/context.js';
import { drillFolderName } from '../../src/drill/folder.js';
import { CaptureStore } from '../../src/inventory/store.js';
import { openDatabase } from '../../src/journal/db.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { VCENTER_PASSWORD_ENV } from '../../src/lab/vcenter.js';
import { buildDrillPlan } from '../../src/plan/build-drill.js';
import type { PlanDocument } from '../../src/plan/model.js';
import { loadSite, type Site } from '../../src/runbook/site.js';
import { RUN, VMX_CONTENT } from '../../src/steps/drill/plan-context.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { patchSite, quickTimeouts, tempDir } from '../helpers/lab-fixture.js';
import { expectPlanEqualsRun, runIdOf, sentCommands, stepsWithCommands, type Sent } from './plan-run.js';

/**
 * Issue 16, for the drill and its cleanup: what `drbook plan --procedure drill|drill-cleanup`
 * prints for the lab is what a lab drill and a `drbook drill cleanup` send, per step, host and
 * target, in the plan's order. Two things the plan cannot know are put in here (see
 * src/steps/drill/plan-context.ts): the run id (RUN, written in as the run's own names) and the
 * .vmx a NIC isolation writes (VMX_CONTENT: the sent file is checked to be the clone's .vmx with
 * only its startConnected lines changed, every NIC FALSE, then compared as that word).
 * With Go present the lab runs govmomi's vCenter, so the drill folder's calls are covered too.
 */
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

/** The plan with the drill's run id written where it shows RUN (the clone's and the folder's names). */
function withRunId(doc: PlanDocument, site: Site, runId: string): PlanDocument {
  const pairs: [string, string][] = [
    [drillNames(site, RUN).clone, drillNames(site, runId).clone],
    [drillFolderName(RUN), drillFolderName(runId)],
  ];
  const sub = (s: string): string => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), s);
  return {
    ...doc,
    placeholders: doc.placeholders.filter((p) => p.name !== RUN),
    sections: doc.sections.map((s) => ({
      ...s,
      steps: s.steps.map((st) => ({
        ...st,
        ...(st.target === undefined ? {} : { target: sub(st.target) }),
        commands: st.commands.map((c) => ({ ...c, line: sub(c.line) })),
      })),
    })),
  };
}

const withoutStartConnected = (text: string): string =>
  serializeVmx(parseVmx(text).filter((l) => !(l.kind === 'pair' && /^ethernet\d+\.startconnected$/i.test(l.key))));

/**
 * A sent .vmx write whose content is the clone's .vmx with every NIC disconnected and nothing else
 * changed becomes the plan's `printf %s VMX_CONTENT > …` line; any other line stays as sent.
 */
function isolationNormaliser(originalOf: (vmxPath: string) => string | undefined): (line: string) => string {
  const write = /^printf %s ('(?:[^']|'\\'')*') > (\S+)\.drbook-tmp && mv \2\.drbook-tmp \2$/s;
  return (line) => {
    const m = write.exec(line);
    if (!m) return line;
    const written = m[1]!.slice(1, -1).replace(/'\\''/g, "'");
    const original = originalOf(m[2]!);
    const lines = parseVmx(written);
    if (original === undefined || nicsOf(lines).length === 0 || connectedNics(lines).length > 0) return line;
    if (withoutStartConnected(written) !== withoutStartConnected(original)) return line;
    return `printf %s ${VMX_CONTENT} > ${m[2]}.drbook-tmp && mv ${m[2]}.drbook-tmp ${m[2]}`;
  };
}

describe('drbook plan --procedure drill|drill-cleanup shows the commands a lab drill sends', { timeout: 300_000 }, () => {
  let dir: string;
  let lab: Lab;
  let site: Site;
  let dbFile: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = tempDir('drbook-plan-drill-');
    // Three hosts (some in lockdown), a vCenter VM, VMs powered off among them.
    lab = await startLab({ dir: path.join(dir, 'lab'), hosts: 3, vms: 8, seed: 5, latency: 'none', vcenter: hasGo });
    patchSite(lab.siteFile, quickTimeouts);
    site = loadSite(lab.siteFile);
    dbFile = path.join(dir, 'lab', 'drbook.db');
    env = cliEnv({
      HOME: dir,
      ...(hasGo ? { [VCENTER_PASSWORD_ENV]: readFileSync(path.join(dir, 'lab', 'vcenter-password'), 'utf8').trim() } : {}),
    });
    await lab.backup();
    const cap = await runCli(['capture', '--site', lab.siteFile], { env, timeoutMs: 120_000 });
    expect([0, 3], cap.stderr).toContain(cap.code);
  }, 900_000);

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function plan(procedure: 'drill' | 'drill-cleanup', drillRunId: string): PlanDocument {
    const db = openDatabase(dbFile, { readonly: true });
    const capture = new CaptureStore(db).latest(site.site)!;
    db.close();
    return withRunId(buildDrillPlan({ site, capture, lang: 'en', now: new Date(), drbookVersion: 'test' }, procedure), site, drillRunId);
  }

  /** The clone's .vmx before the drill wrote it: the file in the mirror's snapshot the clone was made of. */
  function originalOf(doc: PlanDocument): (vmxPath: string) => string | undefined {
    const mirror = lab.state.volumes.find((v) => `${v.vserver}:${v.name}` === site.relationship.destination)!;
    const files = mirror.snapshots.find((s) => s.name === doc.snapshot.name)?.files ?? {};
    return (vmxPath) => files[vmxPath.split('/').slice(4).join('/')];
  }

  /** The drill's NIC isolation writes compared as the plan shows them (see isolationNormaliser). */
  const followed = (doc: PlanDocument, sent: Sent[], steps: 'same' | 'within', sends: string[]): void =>
    expectPlanEqualsRun(doc, sent, { moreThan: 20, steps, sends, normalise: isolationNormaliser(originalOf(doc)) });
  const folderCalls = (...calls: string[]): string[] => (hasGo ? calls : []);

  it("a drill: every command of every step, per host and target, in the plan's order", async () => {
    const r = await runCli(['drill', '--site', lab.siteFile, '--json'], { env, timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    followed(plan('drill', runId), sentCommands(dbFile, runId), 'same', [
      'volume clone create',
      'lockdown_mode_exit',
      'storage nfs add',
      'printf %s',
      'solo/registervm',
      'snapshot.revert',
      'snapshot.remove',
      'power.on',
      'power.off',
      'vmsvc/unregister',
      'storage nfs remove',
      'volume delete',
      'lockdown_mode_enter',
      ...folderCalls('CreateFolder', 'MoveIntoFolder_Task', 'Destroy_Task'),
    ]);
  });

  it("drill --keep, then drill cleanup: each follows its plan, and the cleanup's steps are the ones its plan shows", async () => {
    const kept = await runCli(['drill', '--site', lab.siteFile, '--json', '--keep'], { env, timeoutMs: 240_000 });
    expect(kept.code, kept.stderr).toBe(0);
    const drillRunId = runIdOf(kept.stdout);
    const drillDoc = plan('drill', drillRunId);
    const keptSent = sentCommands(dbFile, drillRunId);
    followed(drillDoc, keptSent, 'within', []);
    // --keep leaves the teardown, folder, unmount and clone deletion to the cleanup.
    expect(stepsWithCommands(drillDoc, keptSent).run).not.toContain('teardown');

    const r = await runCli(['drill', 'cleanup', drillRunId, '--site', lab.siteFile, '--json'], { env, timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const cleanupRunId = runIdOf(r.stdout);
    expect(cleanupRunId).not.toBe(drillRunId);
    followed(plan('drill-cleanup', drillRunId), sentCommands(dbFile, cleanupRunId), 'same', [
      'lockdown_mode_exit',
      'power.off',
      'vmsvc/unregister',
      'storage nfs remove',
      'volume offline',
      'volume delete',
      'lockdown_mode_enter',
      ...folderCalls('Destroy_Task'),
    ]);
  });
});
