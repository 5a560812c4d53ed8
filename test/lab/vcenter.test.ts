/**
 * vCenter placement against govmomi's simulator (the lab's --vcenter), end to end through the CLI.
 * Needs Go and govmomi (Debian golang-go, golang-github-vmware-govmomi-dev; .ci/run installs them):
 * skipped only where `go` is missing.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError } from '../../src/errors.js';
import { VcenterClient } from '../../src/adapters/vcenter/client.js';
import type { Lab } from '../../src/lab/lab.js';
import { acquireSiteLock } from '../../src/session/site-lock.js';
import { VCENTER_USER } from '../../src/lab/vcenter.js';
import type { Capture } from '../../src/inventory/types.js';
import { runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, tempDir } from '../helpers/lab-fixture.js';
import { hasGo, markdownReport, onCopy, prepareVcenterTemplate, runKilledAt, vcenterEnv } from '../helpers/vcenter-lab.js';

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

const flags = ['--confirm', MIRROR_PATH, '--ack-manual'];

let root: string;
let template: string;
let password: string;
let recorded: Capture;
let pinned: { err: unknown; pin: string; wrong: string };

const env = (): NodeJS.ProcessEnv => vcenterEnv(password);

function latestCapture(db: string): Capture {
  const d = new Database(db, { readonly: true });
  try {
    const row = d.prepare('SELECT body FROM captures ORDER BY taken_at DESC, id DESC LIMIT 1').get() as { body: string };
    return JSON.parse(row.body) as Capture;
  } finally {
    d.close();
  }
}

/** The notes the run journaled, as stored. */
function journaledNotes(db: string): { stepId?: string; text: string }[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare("SELECT payload FROM events WHERE type = 'note'").all() as { payload: string }[]).map(
      (row) => JSON.parse(row.payload) as { stepId?: string; text: string },
    );
  } finally {
    d.close();
  }
}

/** Every recovered VM in vCenter exactly once, from the mirror, in its recorded folder and pool, on its host. */
async function expectPlacedAsRecorded(lab: Lab): Promise<void> {
  const api = (await lab.fullStatus()).vcenterApi!;
  expect(api.up).toBe(true);
  const byName = new Map<string, typeof api.vms>();
  for (const v of api.vms) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  for (const vm of recorded.vms) {
    const seen = byName.get(vm.name) ?? [];
    expect(seen.length, `${vm.name} in vCenter`).toBe(1);
    expect(seen[0], vm.name).toMatchObject({
      host: vm.host,
      folder: vm.placement!.folder,
      resourcePool: vm.placement!.resourcePool,
      vmxPath: `[ds_vm1_mirror] ${vm.vmxDir}/${vm.vmxFile}`,
    });
  }
  expect(api.vms.length).toBe(recorded.vms.length);
}

describe.skipIf(!hasGo)('vCenter placement (lab --vcenter, govmomi simulator)', () => {
  beforeAll(async () => {
    root = tempDir('drbook-vcenter-');
    template = path.join(root, 'template');
    password = await prepareVcenterTemplate(template, { hosts: 3, vms: 9 }, async (lab, secret) => {
      recorded = latestCapture(path.join(template, 'drbook.db'));
      // What vCenter showed at capture time is what the capture must hold.
      const api = (await lab.fullStatus()).vcenterApi!;
      for (const vm of recorded.vms) {
        const v = api.vms.find((x) => x.vmxPath === vm.vmxPath)!;
        expect(vm.placement, vm.name).toMatchObject({
          datacenter: 'dc1',
          cluster: 'cluster1',
          host: vm.host,
          folder: v.folder,
          resourcePool: v.resourcePool,
        });
      }
      // The pin, while vCenter is up (the disaster takes its VM down).
      const ep = lab.vcenter!.endpoint;
      const wrong = ep.tlsFingerprint.replace(/^../, ep.tlsFingerprint.startsWith('00') ? '11' : '00');
      const err = await VcenterClient.connect({ url: ep.url, tlsFingerprint: wrong, user: VCENTER_USER }, secret).catch((e: unknown) => e);
      pinned = { err, pin: ep.tlsFingerprint, wrong };
      await lab.disaster();
    });
  }, 900_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('capture records a folder, a resource pool and the NIC port groups of every VM, in nested folders and pools', () => {
    expect(recorded.vcenter).toMatchObject({ reachable: true });
    expect(recorded.vms.length).toBe(9);
    for (const vm of recorded.vms) {
      expect(vm.placement?.folder, vm.name).toMatch(/^\/dc1\/vm\/\w+/);
      expect(vm.placement?.resourcePool, vm.name).toMatch(/^\/dc1\/host\/cluster1\/Resources\/\w+/);
      expect(vm.placement?.portGroups, vm.name).toEqual(['VM Network']);
    }
    expect(new Set(recorded.vms.map((v) => v.placement!.folder)).size).toBeGreaterThan(2);
    expect(recorded.vms.some((v) => v.placement!.folder.split('/').length > 4)).toBe(true);
  });

  it('the certificate is pinned: another fingerprint is refused, naming both', () => {
    expect(pinned.err).toBeInstanceOf(ConnectError);
    expect((pinned.err as Error).message).toContain(pinned.pin);
    expect((pinned.err as Error).message).toContain(pinned.wrong);
  });

  it('after the failover every VM is in vCenter once, in its recorded folder and pool, on its host', async () => {
    await onCopy(template, root, 'failover', async ({ lab, dir }) => {
      const r = await runCli(['failover', '--site', lab.siteFile, '--db', path.join(dir, 'drbook.db'), '--plain', ...flags], {
        env: env(),
        timeoutMs: 180_000,
      });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      await expectPlacedAsRecorded(lab);
      const report = markdownReport(dir);
      expect(report).toContain('## vCenter placement');
      expect(report).toContain('placed (moved after the ESXi registration)');
    });
  });

  it('with vCenter up from the start, each VM is registered through it into its folder and pool, once', async () => {
    await onCopy(template, root, 'up', async ({ lab, dir, db }) => {
      // A vCenter outside the protected volume: it answers all along.
      await lab.vcenter!.setMode('up');
      const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', ...flags], { env: env(), timeoutMs: 180_000 });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      await expectPlacedAsRecorded(lab);
      const notes = journaledNotes(db);
      const vcenterVm = recorded.vms.find((v) => v.isVcenter)!;
      const through = notes.filter((n) => n.text.includes('registered through vCenter into')).map((n) => n.text.split(':')[0]);
      expect(through.sort()).toEqual(
        recorded.vms
          .filter((v) => v !== vcenterVm)
          .map((v) => v.name)
          .sort(),
      );
      // Only the vCenter VM (registered on its host: vCenter cannot register itself) is moved after.
      const moved = notes.filter((n) => n.stepId === 'place' && n.text.includes('moved into')).map((n) => n.text.split(':')[0]);
      expect(moved).toEqual([vcenterVm.name]);
      // The hosts registered each .vmx once: vCenter's registrations went through them.
      const registers = lab.status().actions.filter((a) => a.action === 'register' && a.target.startsWith('[ds_vm1_mirror]'));
      expect(registers.length).toBe(recorded.vms.length);
      expect(registers.every((a) => a.count === 1)).toBe(true);
      const report = markdownReport(dir);
      expect(report).toContain('placed (registered through vCenter)');
      expect(report).toMatch(/vCenter https:\/\/127\.0\.0\.1:\d+\/sdk: up/);
    });
  });

  it('vCenter registers a VM but its answer is lost: drbook reads the host, says so, and registers nothing twice', async () => {
    const lost = recorded.vms.find((v) => !v.isVcenter && !/^dc\d+$/.test(v.name))!.name;
    await onCopy(
      template,
      root,
      'answer-lost',
      async ({ lab, db }) => {
        await lab.vcenter!.setMode('up');
        const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', ...flags], { env: env(), timeoutMs: 180_000 });
        expect(r.code, r.stderr + r.stdout).toBe(0);
        await expectPlacedAsRecorded(lab);
        const notes = journaledNotes(db);
        expect(notes.map((n) => n.text)).toContainEqual(
          expect.stringMatching(new RegExp(`^${lost}: vCenter's answer was lost \\(.+\\), but esx\\d+ shows it registered`)),
        );
        const registers = lab.status().actions.filter((a) => a.action === 'register' && a.target.startsWith('[ds_vm1_mirror]'));
        expect(registers.length).toBe(recorded.vms.length);
        expect(registers.every((a) => a.count === 1)).toBe(true);
      },
      { faults: { vms: { [lost]: { vcenterAnswerLost: true } }, hosts: {} } },
    );
  });

  it('resume after SIGKILL during the registrations through vCenter: each VM registered once, all in place', async () => {
    await onCopy(template, root, 'up-kill', async ({ lab, db }) => {
      await lab.vcenter!.setMode('up');
      // Right after the first RegisterVM_Task went out: others are in flight or not sent.
      const first = await runKilledAt(
        ['failover', '--site', lab.siteFile, '--db', db, '--json', ...flags],
        env(),
        (line) => line.includes('"type":"command.started"') && line.includes('RegisterVM_Task'),
      );
      expect(first.signal, first.stderr).toBe('SIGKILL');
      const again = await runCli(['resume', '--db', db, '--json', ...flags], { env: env(), timeoutMs: 180_000 });
      expect(again.code, again.stderr).toBe(0);
      await expectPlacedAsRecorded(lab);
      const registers = lab.status().actions.filter((a) => a.action === 'register' && a.target.startsWith('[ds_vm1_mirror]'));
      expect(registers.length).toBe(recorded.vms.length);
      expect(registers.every((a) => a.count === 1)).toBe(true);
    });
  });

  it('resume after SIGKILL during placement ends placed, nothing moved twice', async () => {
    await onCopy(template, root, 'kill', async ({ lab, db }) => {
      // Right after the first VM was moved: the others are in flight or not started.
      const first = await runKilledAt(
        ['failover', '--site', lab.siteFile, '--db', db, '--json', ...flags],
        env(),
        (line) => line.includes('"type":"note"') && line.includes('"stepId":"place"'),
      );
      expect(first.signal, first.stderr).toBe('SIGKILL');
      const again = await runCli(['resume', '--db', db, '--json', ...flags], { env: env(), timeoutMs: 180_000 });
      expect(again.code, again.stderr).toBe(0);
      await expectPlacedAsRecorded(lab);
      const moves = journaledNotes(db)
        .filter((n) => n.stepId === 'place' && n.text.includes('moved into'))
        .map((n) => n.text.split(':')[0]);
      expect(moves.length).toBeGreaterThan(0);
      expect(moves.length).toBe(new Set(moves).size);
    });
  });

  it('drbook place after a failover in which vCenter stayed down places everything once it is up', async () => {
    await onCopy(template, root, 'down', async ({ lab, dir, db }) => {
      await lab.vcenter!.setMode('down');
      const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', ...flags], { env: env(), timeoutMs: 180_000 });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const report = markdownReport(dir);
      expect(report).toContain('9 placements left');
      expect((await lab.fullStatus()).vcenterApi!.up).toBe(false);

      // Like every command that changes the site, place takes its lock: not beside another holder.
      const held = acquireSiteLock(lab.siteFile, { site: 'lab', runId: 'run-beside', kind: 'failover', command: 'drbook failover' });
      try {
        const beside = await runCli(['place', '--site', lab.siteFile, '--db', db], { env: env(), timeoutMs: 60_000 });
        expect(beside.code).toBe(2);
        expect(beside.stderr).toContain('is held by failover run run-beside');
      } finally {
        held.release();
      }

      const refused = await runCli(['place', '--site', lab.siteFile, '--db', db], { env: env(), timeoutMs: 60_000 });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/vCenter .* cannot be reached/);

      await lab.vcenter!.setMode('auto');
      // Status says what is left to place, and what drbook place would do with each.
      type Placement = { placed: number; toPlace: { vm: string; to: { folder: string } }[]; notInVcenter: string[] };
      const before = await runCli(['status', '--site', lab.siteFile, '--db', db, '--json'], { env: env(), timeoutMs: 60_000 });
      const left = (JSON.parse(before.stdout) as { placement: Placement }).placement;
      expect(left.placed).toBe(0);
      expect(left.notInVcenter).toEqual([]);
      expect(left.toPlace.map((t) => t.vm).sort()).toEqual(recorded.vms.map((v) => v.name).sort());
      for (const t of left.toPlace) expect(t.to.folder).toBe(recorded.vms.find((v) => v.name === t.vm)!.placement!.folder);
      const human = await runCli(['status', '--site', lab.siteFile, '--db', db], { env: env(), timeoutMs: 60_000 });
      expect(human.stdout).toContain('0 VMs placed as recorded, 9 to place');
      expect(human.stdout).toMatch(/drbook place would move \S+: \/dc1\/vm, \/dc1\/host\/cluster1\/Resources → \/dc1\/vm\//);

      const placed = await runCli(['place', '--site', lab.siteFile, '--db', db, '--json'], { env: env(), timeoutMs: 120_000 });
      expect(placed.code, placed.stderr).toBe(0);
      const results = (JSON.parse(placed.stdout) as { results: { outcome: string }[] }).results;
      expect(results.map((x) => x.outcome)).toEqual(Array(9).fill('moved'));
      await expectPlacedAsRecorded(lab);
      const after = await runCli(['status', '--site', lab.siteFile, '--db', db, '--json'], { env: env(), timeoutMs: 60_000 });
      expect((JSON.parse(after.stdout) as { placement: Placement }).placement).toMatchObject({ placed: 9, toPlace: [] });

      // Idempotent: a second run reads the placement and moves nothing.
      const twice = await runCli(['place', '--site', lab.siteFile, '--db', db, '--json'], { env: env(), timeoutMs: 120_000 });
      expect(twice.code, twice.stderr).toBe(0);
      expect((JSON.parse(twice.stdout) as { results: { outcome: string }[] }).results.map((x) => x.outcome)).toEqual(
        Array(9).fill('already'),
      );
    });
  });
});
