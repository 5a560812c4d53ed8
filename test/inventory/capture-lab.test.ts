import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapture } from '../../src/commands/capture.js';
import { runInventoryDiff } from '../../src/commands/inventory.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { CaptureStore } from '../../src/inventory/store.js';
import { openDatabase } from '../../src/journal/db.js';
import { commandContext } from '../helpers/command-context.js';

/** `drbook capture` against the lab over real SSH on 127.0.0.1 (issue 5's "done when"). */

const context = (cwd: string) => commandContext(cwd);

describe('drbook capture on a lab with faults', () => {
  let dir: string;
  let lab: Lab;
  let dbFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-capture-lab-'));
    lab = await startLab({
      dir: path.join(dir, 'lab'),
      hosts: 3,
      vms: 10,
      seed: 5,
      faults: {
        vms: { web01: { snapshotFails: true }, app01: { poweredOffAtBackup: true }, db01: { vmxName: 'other' } },
        hosts: {},
      },
    });
    await lab.backup();
    // Beside the site file (the lab's site.yaml), by the one rule of src/session/locate.ts.
    dbFile = path.join(dir, 'lab', 'drbook.db');
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records every VM exactly, reports each fault, exits 3, and writes 0600 copies', async () => {
    const lockdownBefore = lab.status().lockdown;
    expect(Object.values(lockdownBefore)).toContain(true);
    const { ctx, out } = context(dir);
    const code = await runCapture(ctx, { site: lab.siteFile, json: true });
    // Hosts in lockdown were opened to be read and closed again.
    expect(lab.status().lockdown).toEqual(lockdownBefore);
    const summary = JSON.parse(out());
    expect(code, out()).toBe(3);
    const db = openDatabase(dbFile, { readonly: true });
    const c = new CaptureStore(db).get(summary.id);
    db.close();
    expect(c).toBeDefined();
    const status = lab.status();
    // Every VM the lab has registered, with its exact name, host, vmx path and power state.
    const want = status.vms.filter((v) => !v.stale).map((v) => [v.name, v.host, String(v.vmid), v.path, v.power]);
    const got = c!.vms.map((v) => [v.name, v.host, v.vmid, v.vmxPath, v.power]);
    expect(got.sort()).toEqual(want.sort());
    for (const v of c!.vms) {
      expect(v.uuidBios, v.name).toMatch(/\S/);
      expect(v.volume).toBe('svm1:vm_vol1');
    }
    expect(c!.vms.find((v) => v.name === 'vcenter01')?.isVcenter).toBe(true);
    expect(c!.hosts.map((h) => [h.name, h.reachable, h.esxiVersion, h.lockdown])).toEqual(
      ['esx01', 'esx02', 'esx03'].map((n) => [n, true, '8.0.3', lockdownBefore[n]]),
    );
    const findings = c!.audit.findings.map((f) => [f.code, f.vm]);
    expect(findings).toContainEqual(['no-quiesce-any', 'web01']);
    expect(findings).toContainEqual(['no-quiesce-any', 'app01']);
    expect(findings).toContainEqual(['vmx-name-mismatch', 'db01']);
    // The healthy VMs have their quiesce point and their job.
    const healthy = c!.vms.find((v) => v.name === 'file01');
    expect(healthy?.job).toBe(status.jobs[0]?.name);
    expect(c!.audit.vms.find((a) => a.vm === 'file01')?.points.map((p) => p.quiesced)).toEqual([true]);
    const files = readdirSync(path.join(dir, 'lab', 'lab'));
    expect(files.filter((f) => f.startsWith('latest'))).toEqual(['latest.csv', 'latest.yaml']);
    for (const f of files) expect(statSync(path.join(dir, 'lab', 'lab', f)).mode & 0o777).toBe(0o600);
    expect(statSync(dbFile).mode & 0o777).toBe(0o600);
  });

  it('through the built CLI: exit 3 with findings, one line per finding; a bad site file is exit 2 naming the line', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const cli = path.join(root, 'dist/cli.js');
    const db = path.join(dir, 'cli.db');
    const r = await execa(process.execPath, [cli, 'capture', '--site', lab.siteFile, '--db', db, '--no-export'], {
      cwd: dir,
      env: { HOME: dir, DRBOOK_DB: '' },
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^capture \d{8}-\d{6}-[0-9a-f]{4} of site lab: 10 VMs on 3 hosts; \d+ findings\n/);
    expect(r.stdout).toMatch(/^ {2}error {3}no-quiesce-any +web01: /m);
    expect(r.stdout).not.toContain('written:');
    const bad = path.join(dir, 'bad-site.yaml');
    writeFileSync(bad, readFileSync(lab.siteFile, 'utf8').replace(/jobs:/, 'jobz:'));
    const b = await execa(process.execPath, [cli, 'capture', '--site', bad, '--db', db], { cwd: dir, env: { HOME: dir }, reject: false });
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/^drbook: .*bad-site\.yaml:\d+/);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unreachable host keeps its last good data; a rename shows in the diff', async () => {
    // Rename one VM in the lab and stop one host's SSH server answering.
    const h1 = lab.state.hosts.find((h) => h.name === 'esx01')!;
    const reg = h1.registrations.find((r) => !['vcenter01'].includes(r.name))!;
    const oldName = reg.name;
    reg.name = `${oldName}-renamed`;
    const esx02Vms = lab
      .status()
      .vms.filter((v) => v.host === 'esx02' && !v.stale)
      .map((v) => v.name)
      .sort();
    const { ctx } = context(dir);
    // The site file pins the old port; point esx02 at a closed port with a copy of the site file.
    const siteText = readFileSync(lab.siteFile, 'utf8');
    const port = /name: esx02\n\s+address: 127.0.0.1\n\s+port: (\d+)/.exec(siteText)?.[1];
    expect(port).toBeDefined();
    const badSite = path.join(dir, 'lab', 'site-esx02-down.yaml');
    writeFileSync(badSite, siteText.replace(`port: ${port}`, 'port: 1'));
    const code = await runCapture(ctx, { site: badSite, json: true });
    expect(code).toBe(3);

    const db = openDatabase(dbFile, { readonly: true });
    const store = new CaptureStore(db);
    const [latest, first] = store.list('lab');
    const c = store.get(latest!.id)!;
    db.close();
    const esx02 = c.hosts.find((h) => h.name === 'esx02')!;
    expect(esx02).toMatchObject({ reachable: false, carriedFrom: first!.id, esxiVersion: '8.0.3' });
    expect(
      c.vms
        .filter((v) => v.host === 'esx02')
        .map((v) => v.name)
        .sort(),
    ).toEqual(esx02Vms);
    expect(c.vms.filter((v) => v.host === 'esx02').every((v) => v.carriedFrom === first!.id)).toBe(true);
    expect(c.audit.findings.map((f) => [f.code, f.host ?? f.vm])).toContainEqual(['host-unreachable', 'esx02']);

    const diff = context(dir);
    expect(await runInventoryDiff(diff.ctx, undefined, undefined, { site: lab.siteFile, json: true })).toBe(0);
    const d = JSON.parse(diff.out());
    expect(d.renamed.map((r: { from: string; to: string }) => [r.from, r.to])).toEqual([[oldName, `${oldName}-renamed`]]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });
});

describe('drbook capture with hostile names', () => {
  let dir: string;
  let lab: Lab;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-capture-hostile-'));
    lab = await startLab({ dir: path.join(dir, 'lab'), hosts: 2, vms: 30, seed: 3, names: 'hostile' });
    await lab.backup();
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records every display name byte for byte, trailing spaces included, and its quiesce point', async () => {
    const { ctx, out } = context(dir);
    await runCapture(ctx, { site: lab.siteFile, json: true });
    const db = openDatabase(path.join(dir, 'lab', 'drbook.db'), { readonly: true });
    const c = new CaptureStore(db).get(JSON.parse(out()).id)!;
    db.close();
    const want = lab
      .status()
      .vms.filter((v) => !v.stale)
      .map((v) => [v.name, v.host, v.path]);
    expect(c.vms.map((v) => [v.name, v.host, v.vmxPath]).sort()).toEqual(want.sort());
    expect(c.vms.some((v) => v.name.endsWith(' '))).toBe(true);
    // Nothing was lost to quoting: every VM of the job has its quiesce point.
    expect(c.audit.findings.filter((f) => f.code.startsWith('no-quiesce')).map((f) => f.vm)).toEqual([]);
  });
});
