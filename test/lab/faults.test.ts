import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults } from '../../src/lab/faults.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { esxi, ontap, openHost, sshExec, tempDir } from './helpers.js';

/** The lab's command log entries of exactly this line, in order: how each ended and what of it ran. */
function logged(lab: Lab, line: string): { exit: number | null; commands: string[][] }[] {
  return readFileSync(path.join(lab.dir, 'commands.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: string; commands: string[][]; exit: number | null })
    .filter((e) => e.line === line)
    .map((e) => ({ exit: e.exit, commands: e.commands }));
}

describe('lab faults through SSH', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({
      dir: tempDir(),
      hosts: 2,
      vms: 8,
      seed: 2,
      faults: {
        vms: {
          web01: { stuck: 'soft' },
          app01: { stuck: 'hard' },
          db01: { vmxName: 'other' },
          file01: { duplicateOf: 'dc02' },
          mail01: { snapshotFails: true },
        },
        hosts: {
          esx01: { refuse: true },
          esx02: {
            failFirst: { match: 'solo/registervm', times: 1 },
            dropAt: [{ match: 'power\\.getstate 9001$', ran: false }, { match: 'power\\.getstate 9002$' }],
          },
          cluster1: { dropAfter: 1, dropAt: [{ match: 'drop-before$', ran: false }, { match: 'drop-after$' }] },
        },
      },
    });
    await lab.backup();
    await lab.disaster();
    // esx02 is in lockdown with seed 2; the tests act as the runbook would.
    await esxi(lab, 'esx02', 'vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit');
  });
  afterAll(async () => lab?.stop());

  it('a host that refuses connections', async () => {
    await expect(esxi(lab, 'esx01', 'vim-cmd vmsvc/getallvms')).rejects.toThrow();
  });

  it('stuck VMs ignore soft (and hard) kills; force always works', async () => {
    const host = 'esx02';
    const s = lab.status();
    const kill = async (name: string, type: string): Promise<boolean> => {
      const vm = lab.status().vms.find((v) => v.name === name && v.datastore === 'ds_vm1')!;
      if (vm.host !== host || vm.worldId === null) return vm.power === 'off';
      const r = await esxi(lab, host, `esxcli vm process kill --type=${type} --world-id=${vm.worldId}`);
      expect(r).toEqual({ stdout: '', stderr: '', code: 0 });
      return !(await esxi(lab, host, 'esxcli vm process list')).stdout.includes(`   World ID: ${vm.worldId}\n`);
    };
    const onHost = (n: string): boolean => s.vms.some((v) => v.name === n && v.host === host);
    if (onHost('web01')) {
      expect(await kill('web01', 'soft')).toBe(false);
      expect(await kill('web01', 'hard')).toBe(true);
    }
    if (onHost('app01')) {
      expect(await kill('app01', 'soft')).toBe(false);
      expect(await kill('app01', 'hard')).toBe(false);
      expect(await kill('app01', 'force')).toBe(true);
    }
    expect(onHost('web01') || onHost('app01')).toBe(true);
    const bad = await esxi(lab, host, 'esxcli vm process kill --type=soft --world-id=1');
    expect(bad.code).toBe(1);
  });

  it('vmxName other and duplicate display names', () => {
    const db = lab.state.vms.find((v) => v.name === 'db01')!;
    expect(db.base).not.toBe(db.dir);
    const dups = lab.state.vms.filter((v) => v.name === 'dc02');
    expect(dups).toHaveLength(2);
    expect(new Set(dups.map((d) => d.dir)).size).toBe(2);
  });

  it('a VMware snapshot that fails leaves the VM without a quiesce point', () => {
    expect(lab.status().backups[0]!.quiesced.mail01).toBeNull();
  });

  it('a command that fails its first try', async () => {
    const vm = lab.state.vms[1]!;
    await ontap(lab, 'snapmirror break -destination-path svm2:vm_vol1_mirror').catch(() => undefined);
    await esxi(lab, 'esx02', 'esxcli storage nfs add -H 127.0.0.1 -s /vm_vol1_mirror -v ds_vm1_mirror');
    const line = `vim-cmd solo/registervm /vmfs/volumes/ds_vm1_mirror/${vm.dir}/${vm.base}.vmx`;
    const first = await esxi(lab, 'esx02', line);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('(vmodl.fault.SystemError)');
    const second = await esxi(lab, 'esx02', line);
    expect(second.stdout).toMatch(/^\d+\n$/);
  });

  it('a connection dropped mid-command: the command ran, its answer never came', async () => {
    const s = lab.status();
    const { Client } = (await import('ssh2')).default;
    const outcome = await new Promise<string>((resolve) => {
      const c = new Client();
      let answers = 0;
      c.on('ready', () => {
        const run = (line: string, then: () => void): void => {
          c.exec(line, (err, stream) => {
            if (err) return resolve('exec-error');
            stream.on('data', () => undefined);
            stream.on('exit', () => {
              answers++;
            });
            stream.on('close', then);
          });
        };
        run('rows 0', () => run('volume show', () => resolve(`answers=${answers}`)));
      });
      c.on('close', () => resolve(`closed after ${answers}`));
      c.on('error', () => undefined);
      c.connect({ host: '127.0.0.1', port: s.ontap.port, username: 'admin', privateKey: readFileSync(lab.keyFile) });
    });
    expect(outcome).toBe('closed after 1');
    expect(logged(lab, 'volume show')[0]!.exit).toBeNull();
  });

  it('a connection dropped at a named command: before it runs (ran: false) or after, the script cut there, only the first time', async () => {
    const ran = (line: string) => logged(lab, line).map((e) => ({ exit: e.exit, ran: e.commands.map((c) => c.join(' ')) }));
    const dropped = async (line: string) => (await esxi(lab, 'esx02', line).catch(() => null))?.code ?? null;
    const before = 'echo one; vim-cmd vmsvc/power.getstate 9001; echo two';
    const after = 'echo one; vim-cmd vmsvc/power.getstate 9002; echo two';
    expect(await dropped(before)).toBeNull();
    expect(await dropped(after)).toBeNull();
    // times defaults to 1: the same lines again are answered.
    expect(await dropped(before)).toBe(0);
    expect(await dropped(after)).toBe(0);
    const all = ['echo one', 'vim-cmd vmsvc/power.getstate 9001', 'echo two'];
    expect(ran(before)).toEqual([
      { exit: null, ran: ['echo one'] },
      { exit: 0, ran: all },
    ]);
    expect(ran(after)).toEqual([
      { exit: null, ran: ['echo one', 'vim-cmd vmsvc/power.getstate 9002'] },
      { exit: 0, ran: all.map((c) => c.replace('9001', '9002')) },
    ]);
  });

  it('ONTAP: a connection dropped at a named command, before it runs or after, only the first time', async () => {
    const ran = (line: string) => logged(lab, line).map((e) => ({ exit: e.exit, ran: e.commands.length > 0 }));
    const answered = async (line: string) => (await ontap(lab, line).catch(() => null))?.code ?? null;
    for (const line of ['volume show -vserver drop-before', 'volume show -vserver drop-after']) {
      expect(await answered(line), line).toBeNull();
      expect(await answered(line), line).toBe(0);
    }
    expect(ran('volume show -vserver drop-before')).toEqual([
      { exit: null, ran: false },
      { exit: 0, ran: true },
    ]);
    expect(ran('volume show -vserver drop-after')).toEqual([
      { exit: null, ran: true },
      { exit: 0, ran: true },
    ]);
  });

  it('a faults file with a regular expression that does not compile is refused at load', () => {
    expect(() => parseFaults('hosts:\n  esx01:\n    dropAt: [{match: "vmsvc/(power"}]\n', 'faults.yaml')).toThrow(
      /not a valid regular expression/,
    );
  });

  it('wrong user or key is refused', async () => {
    await expect(sshExec(lab.status().ontap.port, 'root', lab.keyFile, 'volume show')).rejects.toThrow(/authentication/i);
  });
});

describe('lab latency', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ dir: tempDir(), hosts: 1, vms: 3, seed: 2, latency: 'real', latencyScale: 0.05 });
  });
  afterAll(async () => lab?.stop());

  it('a soft kill takes a while to show; the profile is in status', async () => {
    const s = lab.status();
    expect(s.latency).toMatchObject({ name: 'real', scale: 0.05, killSoft: 200, heartbeat: 1000 });
    const host = await openHost(lab);
    const vm = s.vms.find((v) => v.power === 'on')!;
    await esxi(lab, host, `esxcli vm process kill --type=soft --world-id=${vm.worldId}`);
    // Right after the kill the process is still there; wait for it to go.
    const deadline = Date.now() + 10_000;
    let gone = false;
    while (!gone && Date.now() < deadline) {
      gone = !(await esxi(lab, host, 'esxcli vm process list')).stdout.includes(`World ID: ${vm.worldId}\n`);
    }
    expect(gone).toBe(true);
    expect(lab.status().vms.find((v) => v.vmid === vm.vmid)!.power).toBe('off');
  });
});
