/**
 * A drill's VMs in their vCenter drill folder (`drbook drill <run>`), against govmomi's simulator
 * (the lab's --vcenter), end to end through the CLI. Needs Go and govmomi (Debian golang-go,
 * golang-github-vmware-govmomi-dev; .ci/run installs them): skipped only where `go` is missing.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VcenterClient } from '../../src/adapters/vcenter/client.js';
import { readInventory } from '../../src/adapters/vcenter/inventory.js';
import type { Lab } from '../../src/lab/lab.js';
import { VCENTER_USER } from '../../src/lab/vcenter.js';
import { runCli } from '../helpers/drbook-cli.js';
import { tempDir } from '../helpers/lab-fixture.js';
import { hasGo, onCopy, prepareVcenterTemplate, runKilledAt, vcenterEnv } from '../helpers/vcenter-lab.js';

let root: string;
let template: string;
let password: string;
/** Production as vCenter showed it before any drill: name → folder. */
let production: Map<string, string>;

const env = (): NodeJS.ProcessEnv => vcenterEnv(password);
const runIdOf = (out: string): string => /"runId":"([^"]+)"/.exec(out)![1]!;
const folderOf = (run: string): string => `/dc1/vm/drbook drill ${run}`;

/** The VMs and folder paths vCenter has now, read through its API. */
async function vcenterNow(
  lab: Lab,
  secret = password,
): Promise<{ vms: { name: string; folder: string; vmxPath: string }[]; folders: string[] }> {
  const ep = lab.vcenter!.endpoint;
  const client = await VcenterClient.connect({ url: ep.url, tlsFingerprint: ep.tlsFingerprint, user: VCENTER_USER }, secret);
  try {
    const inv = await readInventory(client);
    return { vms: inv.vms, folders: [...inv.folders.keys()] };
  } finally {
    await client.logout();
  }
}

function expectProductionAsItWas(now: { vms: { name: string; folder: string }[] }): void {
  for (const [name, folder] of production)
    expect(
      now.vms.filter((v) => v.name === name).map((v) => v.folder),
      name,
    ).toEqual([folder]);
}

describe.skipIf(!hasGo)('drill folder (lab --vcenter, govmomi simulator)', () => {
  beforeAll(async () => {
    root = tempDir('drbook-drill-folder-');
    template = path.join(root, 'template');
    password = await prepareVcenterTemplate(template, { hosts: 2, vms: 5 }, async (lab, secret) => {
      production = new Map((await vcenterNow(lab, secret)).vms.map((v) => [v.name, v.folder]));
      expect(production.size).toBe(5);
    });
  }, 900_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('drill --keep puts every drill VM into its drill folder once; drill cleanup empties and removes it', async () => {
    await onCopy(template, root, 'keep', async ({ lab, db }) => {
      const drill = await runCli(['drill', '--site', lab.siteFile, '--db', db, '--json', '--keep'], { env: env(), timeoutMs: 180_000 });
      expect(drill.code, drill.stderr).toBe(0);
      const run = runIdOf(drill.stdout);
      const during = await vcenterNow(lab);
      const drillVms = during.vms.filter((v) => v.name.endsWith(' [drill]'));
      expect(drillVms.map((v) => v.name).sort()).toEqual([...production.keys()].map((n) => `${n} [drill]`).sort());
      for (const v of drillVms) {
        expect(v.folder, v.name).toBe(folderOf(run));
        expect(v.vmxPath.startsWith(`[drill_${run.replace(/-/g, '_')}] `), v.vmxPath).toBe(true);
      }
      expectProductionAsItWas(during);

      const cleanup = await runCli(['drill', 'cleanup', '--site', lab.siteFile, '--db', db, '--json', run], {
        env: env(),
        timeoutMs: 180_000,
      });
      expect(cleanup.code, cleanup.stderr).toBe(0);
      const after = await vcenterNow(lab);
      expect(after.vms.filter((v) => v.name.endsWith(' [drill]'))).toEqual([]);
      expect(after.folders).not.toContain(folderOf(run));
      expectProductionAsItWas(after);
    });
  });

  it('a drill killed (SIGKILL) while it moves its VMs: each moved once, drill cleanup removes the folder', async () => {
    await onCopy(template, root, 'kill', async ({ lab, db }) => {
      const moves: string[] = [];
      // Right after the first drill VM was moved: the others are in flight or not started.
      const first = await runKilledAt(
        ['drill', '--site', lab.siteFile, '--db', db, '--json'],
        env(),
        (line) => line.includes('"type":"note"') && line.includes('moved into the drill folder'),
        (line) => {
          if (line.includes('"type":"command.started"') && line.includes('MoveIntoFolder_Task'))
            moves.push(/vms=([^"\\ ]+)/.exec(line)![1]!);
        },
      );
      expect(first.signal, first.stderr).toBe('SIGKILL');
      expect(moves.length).toBeGreaterThan(0);
      expect(moves.length).toBe(new Set(moves).size);
      const run = runIdOf(first.stdout);
      expect((await vcenterNow(lab)).folders).toContain(folderOf(run));

      const cleanup = await runCli(['drill', 'cleanup', '--site', lab.siteFile, '--db', db, '--json'], { env: env(), timeoutMs: 180_000 });
      expect(cleanup.code, cleanup.stderr).toBe(0);
      const after = await vcenterNow(lab);
      expect(after.vms.filter((v) => v.name.endsWith(' [drill]'))).toEqual([]);
      expect(after.folders).not.toContain(folderOf(run));
      expectProductionAsItWas(after);
      // Cleaned: a new drill is not refused, and leaves no folder either.
      const again = await runCli(['drill', '--site', lab.siteFile, '--db', db, '--json'], { env: env(), timeoutMs: 180_000 });
      expect(again.code, again.stderr).toBe(0);
      expect((await vcenterNow(lab)).folders.filter((f) => f.includes('drbook drill'))).toEqual([]);
    });
  });
});
