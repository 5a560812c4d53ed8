import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHypervLab, type HvLab, type HvLabStatus } from '../../src/lab/hyperv/lab.js';
import { HV_HOSTILE_NAMES } from '../../src/lab/hyperv/model.js';
import { runCli } from '../helpers/drbook-cli.js';

/**
 * Issue 19's "done when", over real SSH on 127.0.0.1 with the built CLI: capture flags exactly the
 * CSV VMs whose backups fail; after the disaster the recovery brings every VM back once, on its
 * recorded node, in its recorded state, with hostile names intact; a SIGKILLed run resumes to the
 * same end.
 */

let lab: HvLab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const dirs = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'drbook-hyperv-'));
  return { dir, labDir: path.join(dir, 'lab'), db: path.join(dir, 'drbook.db'), reports: path.join(dir, 'reports') };
};

type Vm = HvLabStatus['vms'][number];
const recorded = (vms: Vm[]) =>
  vms.map((v) => ({
    name: v.name,
    id: v.id,
    node: v.node,
    state: v.state,
    roleName: v.roleName,
    preferredOwners: v.preferredOwners,
    priority: v.priority,
  }));

async function captureAndDisaster(
  l: HvLab,
  d: ReturnType<typeof dirs>,
): Promise<{ before: ReturnType<typeof recorded>; capture: { findings: { code: string; vm?: string }[]; vms: { name: string }[] } }> {
  await l.backup();
  const cap = await runCli(['capture', '--site', l.siteFile, '--db', d.db, '--json'], { timeoutMs: 60_000 });
  expect(cap.stderr).toBe('');
  expect(cap.code).toBe(3);
  const before = recorded(l.status().vms);
  await l.disaster();
  const after = l.status();
  expect(after.vms.every((v) => !v.registered && v.state === 'off')).toBe(true);
  expect(after.vms.some((v) => v.role === 'failed')).toBe(true);
  return { before, capture: JSON.parse(cap.stdout) };
}

function expectRecovered(l: HvLab, before: ReturnType<typeof recorded>): void {
  const now = l.status().vms;
  expect(recorded(now)).toEqual(before);
  for (const v of now) {
    expect(v.registered, v.name).toBe(true);
    expect(v.imports, `${v.name} imported once`).toBe(1);
    expect(v.starts, `${v.name} started once if it was running`).toBe(v.state === 'running' ? 1 : 0);
    expect(v.role, v.name).toBe(v.state === 'running' ? 'online' : 'offline');
  }
}

describe('Hyper-V lab: capture, audit, recovery', () => {
  it('capture exits 3 flagging exactly the CSV VMs whose backups fail; recovery brings every VM back once, hostile names byte for byte', async () => {
    const d = dirs();
    // An import on HV02 fails once (a file still held): the stage's retry takes it.
    lab = await startHypervLab({
      dir: d.labDir,
      hosts: 3,
      vms: 12,
      seed: 3,
      names: 'hostile',
      bootMs: 50,
      faults: { vms: {}, hosts: { HV02: { failFirst: { match: 'Import-VM', times: 1 } } } },
    });
    const { before, capture } = await captureAndDisaster(lab, d);
    const csvFailing = lab
      .status()
      .vms.filter((v) => v.storage === 'csv' && v.backup === 'failed')
      .map((v) => v.name)
      .sort();
    expect(csvFailing.length).toBeGreaterThan(0);
    expect(lab.status().vms.some((v) => v.storage === 'cluster-disk' && v.backup === 'ok')).toBe(true);
    const flagged = capture.findings
      .filter((f) => f.code === 'csv-vss-backup')
      .map((f) => f.vm)
      .sort();
    expect(flagged).toEqual(csvFailing);
    // No finding about any VM that is not one of them (the cluster-disk VMs are backed up and HA).
    expect([...new Set(capture.findings.map((f) => f.vm))].sort()).toEqual(csvFailing);
    // The names went through PowerShell quoting and JSON and came back byte for byte.
    for (const n of HV_HOSTILE_NAMES.slice(0, 6)) expect(capture.vms.map((v) => v.name)).toContain(n);

    const noConfirm = await runCli(
      ['failover', '--site', lab.siteFile, '--db', d.db, '--plain', '--ack-manual', '--report-dir', d.reports],
      { timeoutMs: 120_000 },
    );
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.stdout).toContain('pass --confirm HVCLUSTER1');
    const run = await runCli(['resume', '--db', d.db, '--plain', '--ack-manual', '--confirm', 'HVCLUSTER1', '--report-dir', d.reports], {
      timeoutMs: 180_000,
    });
    expect(run.stdout).toMatch(/done/);
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expectRecovered(lab, before);
    expect(run.stdout).toMatch(/came back crash-consistent/);
    // The fault did happen: one Import-VM on HV02 failed and was retried.
    const log = readFileSync(path.join(d.labDir, 'commands.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { host: string; op: string });
    expect(log.filter((e) => e.op === 'fault' && e.host === 'HV02')).toHaveLength(1);
  }, 300_000);

  it('a SIGKILLed recovery resumes to the same end, nothing imported or started twice', async () => {
    const d = dirs();
    lab = await startHypervLab({ dir: d.labDir, hosts: 2, vms: 8, seed: 9, names: 'hostile', bootMs: 50 });
    const { before } = await captureAndDisaster(lab, d);
    let imported = 0;
    const killed = await runCli(
      ['failover', '--site', lab.siteFile, '--db', d.db, '--json', '--confirm', 'HVCLUSTER1', '--report-dir', d.reports],
      {
        timeoutMs: 120_000,
        onLine: (line, child) => {
          const e = JSON.parse(line) as { type: string; stepId?: string; stage?: string; state?: string };
          if (e.type === 'target.state' && e.stepId === 'hv-recover' && e.stage === 'import' && e.state === 'done' && ++imported === 3)
            child.kill('SIGKILL');
        },
      },
    );
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await runCli(['resume', '--db', d.db, '--plain', '--confirm', 'HVCLUSTER1', '--report-dir', d.reports], {
      timeoutMs: 180_000,
    });
    expect(resumed.code, resumed.stdout.slice(-2000)).toBe(0);
    expectRecovered(lab, before);
  }, 300_000);

  it('a node that cannot be read keeps its VMs from the last good capture; the recovery fails them by name, never done without them', async () => {
    const d = dirs();
    lab = await startHypervLab({ dir: d.labDir, hosts: 3, vms: 6, seed: 4 });
    await lab.backup();
    const full = await runCli(['capture', '--site', lab.siteFile, '--db', d.db, '--json'], { timeoutMs: 60_000 });
    const fullOut = JSON.parse(full.stdout) as { id: string; vms: { name: string; node: string }[] };
    const onHv03 = fullOut.vms.filter((v) => v.node === 'HV03').map((v) => v.name);
    expect(onHv03.length).toBeGreaterThan(0);
    await lab.stop();
    lab = await startHypervLab({ dir: d.labDir, hosts: 3, vms: 6, seed: 4, faults: { vms: {}, hosts: { HV03: { refuse: true } } } });
    const cap = await runCli(['capture', '--site', lab.siteFile, '--db', d.db, '--json'], { timeoutMs: 60_000 });
    expect(cap.code).toBe(3);
    const out = JSON.parse(cap.stdout) as {
      findings: { code: string; node?: string; params: { kept?: string } }[];
      vms: { name: string; node: string; carriedFrom?: string }[];
    };
    const unreachable = out.findings.filter((f) => f.code === 'node-unreachable');
    expect(unreachable.map((f) => f.node)).toEqual(['HV03']);
    expect(unreachable[0]!.params.kept).toBe(fullOut.id);
    expect(out.vms.map((v) => v.name).sort()).toEqual(fullOut.vms.map((v) => v.name).sort());
    expect(out.vms.filter((v) => v.carriedFrom === fullOut.id).map((v) => v.name)).toEqual(onHv03);
    const plan = await runCli(['plan', '--site', lab.siteFile, '--db', d.db], { timeoutMs: 60_000 });
    expect(plan.stdout).toContain(`HV03 could not be reached at capture time; its VMs are as recorded by capture ${fullOut.id}`);
    await lab.disaster();
    const fo = await runCli(
      ['failover', '--site', lab.siteFile, '--db', d.db, '--plain', '--confirm', 'HVCLUSTER1', '--on-vm-failure', 'skip'],
      {
        timeoutMs: 180_000,
      },
    );
    expect(fo.code, fo.stdout.slice(-2000)).toBe(1);
    for (const name of onHv03) expect(fo.stdout).toMatch(new RegExp(`${name} \\(HV03\\): FAILED`));
  }, 300_000);

  it('a node that refuses connections is a finding, and its VMs are not recorded', async () => {
    const d = dirs();
    lab = await startHypervLab({ dir: d.labDir, hosts: 3, vms: 6, seed: 4, faults: { vms: {}, hosts: { HV03: { refuse: true } } } });
    await lab.backup();
    const cap = await runCli(['capture', '--site', lab.siteFile, '--db', d.db, '--json'], { timeoutMs: 60_000 });
    expect(cap.code).toBe(3);
    const out = JSON.parse(cap.stdout) as { findings: { code: string; node?: string }[]; vms: { node: string }[] };
    expect(out.findings.filter((f) => f.code === 'node-unreachable').map((f) => f.node)).toEqual(['HV03']);
    expect(out.vms.some((v) => v.node === 'HV03')).toBe(false);
    expect(out.vms.length).toBe(lab.status().vms.filter((v) => v.node !== 'HV03').length);
  }, 120_000);
});
