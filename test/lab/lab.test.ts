import { esxiCommands } from '../../src/adapters/esxi/commands.js';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlRequest, startLab, type Lab } from '../../src/lab/lab.js';
import { loadSite } from '../../src/runbook/site.js';
import { shellLine } from '../../src/transport/quote.js';
import { esxi, ontap, openHost, tempDir } from './helpers.js';
import { fixture } from '../adapters/esxi/fixtures.js';

describe('lab: up → backup → disaster, checked through SSH', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ dir: tempDir(), hosts: 3, vms: 9, seed: 7 });
  });
  afterAll(async () => lab?.stop());

  it('writes a site file that loadSite accepts, with pinned fingerprints and the key file', () => {
    const site = loadSite(lab.siteFile);
    expect(site.site).toBe('lab');
    expect(site.esxi.hosts.map((h) => h.name)).toEqual(['esx01', 'esx02', 'esx03']);
    expect(site.esxi.hosts.every((h) => h.address === '127.0.0.1' && /^SHA256:/.test(h.hostKey ?? ''))).toBe(true);
    expect(site.endpoints.ontap.user).toBe('admin');
    expect(site.relationship).toEqual({ source: 'svm1:vm_vol1', destination: 'svm2:vm_vol1_mirror' });
    expect(site.datastores.mirror).toEqual({ name: 'ds_vm1_mirror', nfsHost: '127.0.0.1', share: '/vm_vol1_mirror' });
    expect(site.vcenter?.vm).toBe('vcenter01');
    expect(site.endpoints.esxi[0]!.auth).toEqual({ method: 'key', keyFile: path.join(lab.dir, 'id_ed25519') });
  });

  it('status has the contract fields', () => {
    const s = lab.status();
    for (const k of [
      'dir',
      'hosts',
      'ontap',
      'user',
      'ontapUser',
      'keyFile',
      'stats',
      'jobs',
      'vms',
      'backups',
      'actions',
      'latency',
      'lockdown',
      'mirror',
    ])
      expect(s).toHaveProperty(k);
    expect(s.vms).toHaveLength(9);
    const vm = s.vms[0]!;
    expect(Object.keys(vm)).toEqual(
      expect.arrayContaining(['name', 'host', 'vmid', 'datastore', 'path', 'power', 'marker', 'bootMarker', 'snapshots']),
    );
    expect(s.jobs).toEqual([
      {
        name: 'job1',
        vms: s.vms
          .map((v) => v.name)
          .filter((n) => n !== 'vcenter01')
          .sort((a, b) => s.jobs[0]!.vms.indexOf(a) - s.jobs[0]!.vms.indexOf(b)),
      },
    ]);
    expect(s.vms.every((v) => v.power === 'on' && v.bootMarker === v.marker)).toBe(true);
  });

  it('backup: VSC snapshot on both volumes, VMware snapshots gone, quiesce points recorded', async () => {
    const before = lab.status();
    const [b] = await lab.backup();
    expect(b!.snapshot).toBe('smvi__job1_recent');
    const show = await ontap(lab, 'volume snapshot show -fields create-time');
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/svm1\s+vm_vol1\s+smvi__job1_recent\s+\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}/);
    expect(show.stdout).toMatch(/svm2\s+vm_vol1_mirror\s+smvi__job1_recent/);
    expect(show.stdout).toMatch(/svm2\s+vm_vol1_mirror\s+snapmirror\.[0-9a-f-]+_\d+\.\d{4}-\d\d-\d\d_\d{6}/);
    const after = lab.status();
    for (const vm of after.vms) {
      expect(vm.snapshots).toEqual([]);
      const was = before.vms.find((v) => v.name === vm.name)!;
      if (vm.name === 'vcenter01') expect(b!.quiesced).not.toHaveProperty('vcenter01');
      else expect(b!.quiesced[vm.name]).toBe(was.marker);
      expect(vm.marker).toBe(was.marker! + 2); // two ticks: one while snapshotted, one after
    }
    // The second backup renames the first.
    await lab.backup('job1');
    const names = lab.status().volumes.find((v) => v.name === 'vm_vol1')!.snapshots;
    expect(names.filter((n) => /^smvi__job1_\d{14}$/.test(n))).toHaveLength(1);
    expect(lab.status().backups.map((x) => x.snapshot)).toEqual([expect.stringMatching(/^smvi__job1_\d{14}$/), 'smvi__job1_recent']);
  });

  it('inside smvi__job1_recent each VM still has its VMware snapshot, visible through .snapshot', async () => {
    const host = await openHost(lab);
    const vm = lab.status().vms.find((v) => v.name === 'dc01')!;
    const dir = vm.path.replace(/^\[ds_vm1\] /, '').split('/')[0]!;
    const r = await esxi(lab, host, `cat /vmfs/volumes/ds_vm1/.snapshot/smvi__job1_recent/${dir}/${dir}.vmsd | grep displayName`);
    expect(r.stdout).toMatch(/snapshot0\.displayName = "smvi_[0-9a-f-]+"/);
    const live = await esxi(lab, host, `test -e /vmfs/volumes/ds_vm1/${dir}/${dir}-000001.vmdk || echo gone`);
    expect(live.stdout).toBe('gone\n');
  });

  it('disaster: datastore inaccessible, VMs stale but running, vCenter dead', async () => {
    await lab.disaster();
    const host = await openHost(lab);
    const nfs = await esxi(lab, host, 'esxcli storage nfs list');
    expect(nfs.stdout).toMatch(/^ds_vm1\s+127\.0\.0\.1\s+\/vm_vol1\s+false\s+true/m);
    const all = await esxi(lab, host, 'vim-cmd vmsvc/getallvms');
    const mine = lab.status().vms.filter((v) => v.host === host);
    expect(all.stdout).toBe('Vmid   Name   File   Guest OS   Version   Annotation\n');
    expect(all.stderr.trim().split('\n')).toEqual(mine.map((v) => `Skipping invalid VM '${v.vmid}'`));
    const procs = await esxi(lab, host, 'esxcli vm process list');
    for (const v of mine.filter((x) => x.name !== 'vcenter01')) expect(procs.stdout).toContain(`   Display Name: ${v.name}\n`);
    const vc = lab.status().vms.find((v) => v.name === 'vcenter01')!;
    expect(vc.power).toBe('off');
    expect(
      lab
        .status()
        .vms.filter((v) => v.name !== 'vcenter01')
        .every((v) => v.stale && v.power === 'on'),
    ).toBe(true);
    const upd = await ontap(lab, 'snapmirror update -destination-path svm2:vm_vol1_mirror');
    expect(upd.code).toBe(0);
    expect(upd.stdout).toMatch(/^Error: command failed: Source volume "svm1:vm_vol1" is offline\./);
  });

  it('counts connections and commands, logs each command with its argv', () => {
    const s = lab.status();
    expect(Object.values(s.stats.commands).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    const log = readFileSync(path.join(lab.dir, 'commands.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { host: string; argv: string[] });
    expect(log.some((e) => e.host === 'cluster1' && e.argv[0] === 'snapmirror')).toBe(true);
  });
});

describe('lab: the machine OpenSSH client gets real-format output', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ dir: tempDir(), hosts: 2, vms: 4 });
  });
  afterAll(async () => lab?.stop());

  const hasSsh = (() => {
    try {
      execFileSync('ssh', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(hasSsh)('ssh -i KEY -p PORT root@127.0.0.1 vim-cmd vmsvc/getallvms, and admin@ONTAP snapmirror show', async () => {
    const s = lab.status();
    const h = s.hosts.find((x) => !x.lockdown)!;
    // Async: the lab's servers live in this process.
    const run = async (port: number, user: string, cmd: string): Promise<string> =>
      (
        await promisify(execFile)(
          'ssh',
          [
            '-i',
            s.keyFile,
            '-p',
            String(port),
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'LogLevel=ERROR',
            '-o',
            'BatchMode=yes',
            `${user}@127.0.0.1`,
            cmd,
          ],
          {
            encoding: 'utf8',
          },
        )
      ).stdout;
    const out = await run(h.port, 'root', 'vim-cmd vmsvc/getallvms');
    expect(out.split('\n')[0]).toMatch(/^Vmid {3}Name +File +Guest OS +Version +Annotation$/);
    expect(out).toMatch(/^\d+ +\S+ +\[ds_vm1\] /m);
    const sm = await run(s.ontap.port, 'admin', 'snapmirror show');
    expect(sm).toContain('svm1:vm_vol1\n            XDP  svm2:vm_vol1_mirror\n                              Snapmirrored\n');
  });
});

describe('lab: the same seed gives the same site', () => {
  it('names, uuids, placement, vmids and markers match; another seed differs', async () => {
    const shape = async (seed: number): Promise<unknown> => {
      const lab = await startLab({ dir: tempDir(), hosts: 3, vms: 12, seed });
      try {
        return {
          vms: lab.status().vms.map(({ name, host, vmid, path, marker }) => ({ name, host, vmid, path, marker })),
          uuids: lab.state.vms.map((v) => v.uuid),
          lockdown: lab.status().lockdown,
        };
      } finally {
        await lab.stop();
      }
    };
    const a = await shape(42);
    expect(await shape(42)).toEqual(a);
    expect(await shape(43)).not.toEqual(a);
  });

  it('up on an existing DIR whose port is taken moves to a free port and rewrites site.yaml', async () => {
    const dir = tempDir();
    const first = await startLab({ dir, hosts: 2, vms: 2 });
    const port = first.status().hosts[0]!.port;
    await first.stop();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const again = await startLab({ dir });
      try {
        const moved = again.status().hosts[0]!.port;
        expect(moved).not.toBe(port);
        expect(loadSite(again.siteFile).esxi.hosts[0]!.port).toBe(moved);
      } finally {
        await again.stop();
      }
    } finally {
      blocker.close();
    }
  });

  it('a deep DIR still gets a control socket', async () => {
    const dir = path.join(tempDir(), 'a-rather-long-directory-name-'.repeat(4));
    const lab = await startLab({ dir, hosts: 1, vms: 1 });
    try {
      const r = await controlRequest(dir, { cmd: 'status' });
      expect(r?.ok).toBe(true);
    } finally {
      await lab.stop();
    }
    expect(await controlRequest(dir, { cmd: 'status' }, 1000)).toBeNull();
  });

  it('up on an existing DIR resumes the same site with the same host keys', async () => {
    const dir = tempDir();
    const first = await startLab({ dir, hosts: 2, vms: 4 });
    await first.backup();
    const fp = readFileSync(first.siteFile, 'utf8').match(/SHA256:\S+/g);
    const before = first.status();
    await first.stop();
    const again = await startLab({ dir, hosts: 9, vms: 40 });
    try {
      expect(again.status().vms).toEqual(before.vms);
      expect(again.status().backups).toEqual(before.backups);
      expect(readFileSync(again.siteFile, 'utf8').match(/SHA256:\S+/g)).toEqual(fp);
    } finally {
      await again.stop();
    }
  });
});

describe('lab: lockdown, registration, the moved-or-copied question, hostile names', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ dir: tempDir(), hosts: 2, vms: 14, names: 'hostile' });
    await lab.backup();
    await lab.disaster();
  });
  afterAll(async () => lab?.stop());

  it('lockdown: root gets NoPermission until dcui exits lockdown', async () => {
    const locked = lab.status().hosts.find((h) => h.lockdown)!.name;
    const r = await esxi(lab, locked, 'vim-cmd vmsvc/getallvms');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^\(vim\.fault\.NoPermission\) \{\n {3}faultCause = \(vmodl\.MethodFault\) null,\n {3}faultMessage = <unset>\n/,
    );
    expect((await esxi(lab, locked, 'esxcli vm process list')).stdout).toContain('NoPermission');
    expect((await esxi(lab, locked, 'vim-cmd vimsvc/auth/lockdown_mode_exit')).stdout).toContain('NoPermission');
    expect((await esxi(lab, locked, 'vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled')).stdout).toBe('true\n');
    expect((await esxi(lab, locked, 'vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit')).stdout).toBe('');
    expect((await esxi(lab, locked, 'vim-cmd vmsvc/getallvms')).code).toBe(0);
    expect((await esxi(lab, locked, 'vim-cmd -U dcui vimsvc/auth/lockdown_mode_enter')).code).toBe(0);
    expect(lab.status().lockdown[locked]).toBe(true);
    expect(lab.status().actions).toEqual(
      expect.arrayContaining([
        { host: locked, action: 'lockdown-exit', target: locked, count: 1 },
        { host: locked, action: 'lockdown-enter', target: locked, count: 1 },
      ]),
    );
  });

  it('failover of one VM lands exactly at its quiesce point; power on asks moved-or-copied', async () => {
    const host = await openHost(lab);
    const b = lab.status().backups[0]!;
    expect((await ontap(lab, 'snapmirror quiesce -destination-path svm2:vm_vol1_mirror')).stdout).toBe(
      'Operation succeeded: snapmirror quiesce for destination "svm2:vm_vol1_mirror".\n',
    );
    const restoreDp = await ontap(
      lab,
      'set -confirmations off; volume snapshot restore -vserver svm2 -volume vm_vol1_mirror -snapshot smvi__job1_recent',
    );
    expect(restoreDp.stdout).toMatch(
      /^Error: command failed: Volume "vm_vol1_mirror" in Vserver "svm2" is the destination of a SnapMirror/,
    );
    expect((await ontap(lab, 'snapmirror break -destination-path svm2:vm_vol1_mirror')).stdout).toBe(
      'Operation succeeded: snapmirror break for destination "svm2:vm_vol1_mirror".\n',
    );
    expect((await ontap(lab, 'snapmirror break -destination-path svm2:vm_vol1_mirror')).stdout).toMatch(
      /^Error: command failed: .*already broken-off/,
    );
    expect(
      (await ontap(lab, 'set -confirmations off; volume snapshot restore -vserver svm2 -volume vm_vol1_mirror -snapshot smvi__job1_recent'))
        .stdout,
    ).toBe('');
    expect((await esxi(lab, host, 'esxcli storage nfs add -H 127.0.0.1 -s /vm_vol1_mirror -v ds_vm1_mirror')).code).toBe(0);

    const name = `it's "quoted"`;
    const vm = lab.state.vms.find((v) => v.name === name)!;
    const vmx = `/vmfs/volumes/ds_vm1_mirror/${vm.dir}/${vm.base}.vmx`;
    const reg = await esxi(lab, host, shellLine(['vim-cmd', 'solo/registervm', vmx, name]));
    expect(reg.stdout).toMatch(/^\d+\n$/);
    const vmid = reg.stdout.trim();
    const again = await esxi(lab, host, shellLine(['vim-cmd', 'solo/registervm', vmx, name]));
    expect(again.stdout).toContain('(vim.fault.AlreadyExists)');
    const all = await esxi(lab, host, 'vim-cmd vmsvc/getallvms');
    expect(all.stdout).toMatch(new RegExp(`^${vmid} +it's "quoted" +\\[ds_vm1_mirror\\] ${vm.dir}/${vm.base}\\.vmx `, 'm'));
    const log = readFileSync(path.join(lab.dir, 'commands.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[] });
    expect(log.some((e) => e.argv[0] === 'vim-cmd' && e.argv[1] === 'solo/registervm' && e.argv[3] === name)).toBe(true);

    const tree = await esxi(lab, host, `vim-cmd vmsvc/snapshot.get ${vmid}`);
    expect(tree.stdout).toMatch(
      /^Get Snapshot:\n\|-ROOT\n--Snapshot Name {8}: smvi_[0-9a-f-]+\n--Snapshot Id {8}: 1\n--Snapshot Desciption {2}: VSC backup job1 \S+\n--Snapshot Created On {2}: \d+\/\d+\/\d{4} \d+:\d+:\d+\n--Snapshot State {7}: powered off\n$/,
    );
    // The revert behind its guard in one line (busybox grep -x): off, so grep echoes the state and the revert runs.
    const guarded = await esxi(lab, host, esxiCommands.snapshotRevertUnlessOn(Number(vmid), 1));
    expect(guarded.code).toBe(0);
    expect(guarded.stdout).toMatch(/^Powered off\nRevert Snapshot:\n\|-ROOT\n--Snapshot Name/);
    expect((await esxi(lab, host, `vim-cmd vmsvc/snapshot.revert ${vmid} 1 false`)).stdout).toMatch(/^Revert Snapshot:\n\|-ROOT\n/);
    expect((await esxi(lab, host, `vim-cmd vmsvc/snapshot.remove ${vmid} 1`)).stdout).toBe('Remove Snapshot:\n');

    const on = await esxi(lab, host, `vim-cmd vmsvc/power.on ${vmid}`);
    expect(on.stdout).toBe('Powering on VM:\n');
    expect((await esxi(lab, host, `vim-cmd vmsvc/power.getstate ${vmid}`)).stdout).toBe('Retrieved runtime info\nPowered off\n');
    const msg = await esxi(lab, host, `vim-cmd vmsvc/message ${vmid}`);
    const qid = /^Virtual machine message (\S+):\nmsg\.uuid\.altered:This virtual machine may have been moved or copied\./.exec(
      msg.stdout,
    )?.[1];
    expect(qid).toBeDefined();
    // The layout of the real ESXi transcript (esxi-vmsvc-message-1.txt), the id aside.
    expect(msg.stdout.replace(/^Virtual machine message \S+:/, 'Virtual machine message 0:')).toBe(fixture('esxi-vmsvc-message-1.txt'));
    expect((await esxi(lab, host, `vim-cmd vmsvc/message ${vmid} ${qid} 1`)).code).toBe(0);
    expect((await esxi(lab, host, `vim-cmd vmsvc/message ${vmid}`)).stdout).toBe('No message.\n');
    const now = lab.status().vms.find((v) => v.host === host && String(v.vmid) === vmid)!;
    expect(now.power).toBe('on');
    expect(now.bootMarker).toBe(b.quiesced[name]);
    // On: grep matches nothing, so the line ends with its status 1, no output, and no revert.
    const refused = await esxi(lab, host, esxiCommands.snapshotRevertUnlessOn(Number(vmid), 1));
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([1, '', '']);
    expect(lab.status().vms.find((v) => v.host === host && String(v.vmid) === vmid)!.power).toBe('on');
    const text = await esxi(lab, host, shellLine(['grep', '-E', '^uuid\\.(bios|location)', vmx]));
    expect(text.stdout).toContain(`uuid.bios = "${vm.uuid}"`);
  });

  it('answer.msg.uuid.altered in the .vmx: no question; "I copied it" gives a new uuid', async () => {
    const host = await openHost(lab);
    const moved = lab.state.vms.find((v) => v.name === '$(reboot)')!;
    const copied = lab.state.vms.find((v) => v.name === 'a;b|c&d')!;
    for (const [vm, answer] of [
      [moved, 'I moved it'],
      [copied, 'I copied it'],
    ] as const) {
      const vmx = `/vmfs/volumes/ds_vm1_mirror/${vm.dir}/${vm.base}.vmx`;
      const add = await esxi(lab, host, `${shellLine(['echo', `answer.msg.uuid.altered = "${answer}"`])} >> ${shellLine([vmx])}`);
      expect(add.code).toBe(0);
      const vmid = (await esxi(lab, host, shellLine(['vim-cmd', 'solo/registervm', vmx]))).stdout.trim();
      expect((await esxi(lab, host, `vim-cmd vmsvc/power.on ${vmid}`)).stdout).toBe('Powering on VM:\n');
      expect((await esxi(lab, host, `vim-cmd vmsvc/message ${vmid}`)).stdout).toBe('No message.\n');
      const st = lab.status().vms.find((v) => v.host === host && String(v.vmid) === vmid)!;
      expect(st.power).toBe('on');
      expect(st.name).toBe(vm.name);
      const bios = (await esxi(lab, host, shellLine(['grep', 'uuid.bios', vmx]))).stdout;
      if (answer === 'I moved it') expect(bios).toContain(vm.uuid);
      else expect(bios).not.toContain(vm.uuid);
    }
  });

  it('grep names the file of each line when given several (BusyBox), and exits 2 when one cannot be read', async () => {
    const host = await openHost(lab);
    // Two VMs whose mirror .vmx no earlier test changed.
    const vms = lab.state.vms.filter((v) => /^[a-z0-9]+$/.test(v.name) && !v.vcenter).slice(0, 2);
    const vmx = vms.map((v) => `/vmfs/volumes/ds_vm1_mirror/${v.dir}/${v.base}.vmx`);
    const both = await esxi(lab, host, shellLine(['grep', '-i', '-E', '-e', '^uuid\\.bios[ \t]*=', ...vmx]));
    expect(both.code).toBe(0);
    expect(both.stdout).toBe(vms.map((v, i) => `${vmx[i]}:uuid.bios = "${v.uuid}"\n`).join(''));
    const one = await esxi(lab, host, shellLine(['grep', '-H', 'uuid.bios', vmx[0]!]));
    expect(one.stdout).toBe(`${vmx[0]}:uuid.bios = "${vms[0]!.uuid}"\n`);
    expect((await esxi(lab, host, shellLine(['grep', 'uuid.bios', vmx[0]!]))).stdout).toBe(`uuid.bios = "${vms[0]!.uuid}"\n`);
    const missing = await esxi(lab, host, shellLine(['grep', 'uuid.bios', vmx[0]!, '/vmfs/volumes/nowhere/x.vmx']));
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe(`${vmx[0]}:uuid.bios = "${vms[0]!.uuid}"\n`);
    expect(missing.stderr).toBe('grep: /vmfs/volumes/nowhere/x.vmx: No such file or directory\n');
  });

  it('unknown commands are not found; command substitution never runs', async () => {
    const host = await openHost(lab);
    const r = await esxi(lab, host, 'reboot');
    expect(r).toEqual({ stdout: '', stderr: 'sh: reboot: not found\n', code: 127 });
    const e = await esxi(lab, host, 'echo $(reboot) `id` "$(x)"');
    expect(e.stdout).toBe('$(reboot) `id` $(x)\n');
  });
});
