import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHypervLab, type HvLab } from '../../src/lab/hyperv/lab.js';
import { HV_HOSTILE_NAMES } from '../../src/lab/hyperv/model.js';
import { runCli } from '../helpers/drbook-cli.js';

/**
 * status, check, plan, inventory and drill on a Hyper-V site, over the lab's real SSH servers
 * with the built CLI, through the site's life: no capture, protected, the disaster (and a capture
 * taken after it), the recovery, protected again.
 */

let lab: HvLab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

interface Status {
  platform: string;
  state: string;
  reason: { kind: string; recovered?: boolean };
  next: { kind: string };
  missing: string[];
  failedRoles: string[];
  nodes: { name: string; reachable: boolean; registered: number | null }[];
}

describe('Hyper-V site: status, check, plan, inventory, drill', () => {
  it('says where the site stands and what the recovery would do, at every point of its life', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drbook-hvcmd-'));
    const db = path.join(dir, 'drbook.db');
    lab = await startHypervLab({ dir: path.join(dir, 'lab'), hosts: 2, vms: 6, seed: 5, names: 'hostile', bootMs: 50 });
    const site = lab.siteFile;
    const cli = (args: string[]) => runCli([...args, '--site', site, '--db', db], { timeoutMs: 120_000 });
    const status = async () => {
      const r = await cli(['status', '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Status;
    };
    const names = lab
      .status()
      .vms.map((v) => v.name)
      .sort();

    // No capture yet: drbook cannot know what the cluster should hold.
    let s = await status();
    expect(s).toMatchObject({ platform: 'hyperv', state: 'unknown', reason: { kind: 'hv-no-capture' }, next: { kind: 'capture' } });

    await lab.backup();
    expect((await cli(['capture'])).code).toBe(3);
    s = await status();
    expect(s).toMatchObject({ state: 'protected', reason: { kind: 'hv-all-registered', recovered: false }, missing: [] });
    expect(s.nodes.map((n) => n.reachable)).toEqual([true, true]);

    const ready = await cli(['check', '--json']);
    expect(ready.code, ready.stdout).toBe(3); // the capture's findings (the CSV VMs) are warnings
    const readyOut = JSON.parse(ready.stdout) as { verdict: string; items: { level: string; subject: string; message: string }[] };
    expect(readyOut.verdict).toBe('warnings');
    expect(readyOut.items.filter((i) => i.level === 'fail')).toEqual([]);
    expect(readyOut.items.find((i) => i.subject === 'recovery')?.message).toMatch(/would change nothing now/);

    // The plan: every command line the recovery would send, each VM's configuration file in a single-quoted literal.
    const plan = await cli(['plan', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as {
      platform: string;
      vms: { name: string; vmxPath: string }[];
      sections: { id: string; steps: { confirm?: { type: string }; commands: { device: string; line: string }[] }[] }[];
    };
    expect(doc.platform).toBe('hyperv');
    expect(doc.vms.map((v) => v.name).sort()).toEqual(names);
    expect(doc.sections.map((x) => x.id)).toEqual(expect.arrayContaining(['hv-preflight', 'hv-remove', 'hv-recover:1', 'hv-verify']));
    expect(doc.sections.find((x) => x.id === 'hv-remove')!.steps[0]!.confirm?.type).toBe('HVCLUSTER1');
    const lines = doc.sections.flatMap((x) => x.steps.flatMap((st) => st.commands.map((c) => c.line)));
    for (const v of doc.vms)
      expect(lines).toContain(
        `Import-VM -Path '${v.vmxPath.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}' -Register | Select-Object Name,VMId,State,ComputerName,IsClustered,Generation,Path,ConfigurationLocation,SnapshotFileLocation,SmartPagingFilePath,@{n='HardDrives';e={@($_.HardDrives | ForEach-Object Path)}},@{n='Heartbeat';e={($_ | Get-VMIntegrationService | Where-Object Name -eq 'Heartbeat').PrimaryOperationalStatus}} | ConvertTo-Json -Depth 4 -Compress`,
      );
    const md = await cli(['plan', '--lang', 'ja']);
    expect(md.stdout).toContain('# Hyper-V サイト hvlab の復旧手順');

    // inventory show / export read the Hyper-V capture; names byte for byte.
    const shown = await cli(['inventory', 'show']);
    expect(shown.code, shown.stderr).toBe(0);
    for (const n of HV_HOSTILE_NAMES.filter((h) => names.includes(h))) expect(shown.stdout).toContain(n);
    const exported = await cli(['inventory', 'export', '--out', path.join(dir, 'export')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'export', 'latest.csv'), 'utf8')).toMatch(
      /^\uFEFFname,VM ID,node,state,storage,role,configuration file/,
    );

    // The disaster: roles and registrations gone, files kept.
    await lab.disaster();
    const after = await cli(['capture']);
    expect(after.code).toBe(1); // degraded: never the recovery's capture
    expect(after.stdout).toContain('degraded-capture');
    s = await status();
    expect(s).toMatchObject({ state: 'primary-lost', reason: { kind: 'hv-registrations-lost' }, next: { kind: 'failover' } });
    expect([...s.missing].sort()).toEqual(names);
    expect(s.failedRoles.length).toBeGreaterThan(0);
    const lost = await cli(['check', '--json']);
    expect(lost.code).toBe(1);
    const lostOut = JSON.parse(lost.stdout) as { verdict: string; items: { subject: string; message: string }[] };
    expect(lostOut.verdict).toBe('failover-situation');
    expect(
      lostOut.items
        .filter((i) => i.subject === 'recovery')
        .map((i) => i.message)
        .join('\n'),
    ).toMatch(/would remove the failed roles[\s\S]*would import them in place/);
    const diff = await cli(['inventory', 'diff', '--json']);
    expect((JSON.parse(diff.stdout) as { removed: unknown[] }).removed).toHaveLength(names.length);

    // A drill is refused in one line naming what is missing.
    const drill = await cli(['drill', '--plain']);
    expect(drill.code).toBe(2);
    expect(drill.stderr.trim().split('\n')).toHaveLength(1);
    expect(drill.stderr).toMatch(/does not rehearse Hyper-V sites yet/);

    // The recovery prints its board, then the site is protected again, by that run.
    const run = await cli(['failover', '--plain', '--ack-manual', '--confirm', 'HVCLUSTER1', '--report-dir', path.join(dir, 'reports')]);
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout).toContain('Cluster HVCLUSTER1: 2 of 2 nodes answer');
    expect(run.stdout).toMatch(new RegExp(`VMs: ${names.length} recorded, 0 registered, 0 running`));
    s = await status();
    expect(s).toMatchObject({ state: 'protected', reason: { kind: 'hv-all-registered', recovered: true }, missing: [] });
  }, 300_000);
});
