import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findVimFault,
  flattenSnapshots,
  parseGetAllVms,
  parseGuestInfo,
  parseHeartbeat,
  parseLockdown,
  parseNfsList,
  parsePendingQuestion,
  parsePowerState,
  parseProcessList,
  parseRegisterVm,
  parseSnapshotTree,
  parseVersion,
  parseVimFault,
  powerChangeFailure,
} from '../../src/adapters/esxi/parsers.js';
import { parseOntapMessage, parseSnapmirrorShow, parseSnapshotShow, parseVolumeShow } from '../../src/adapters/ontap/parsers.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { shellLine } from '../../src/transport/quote.js';
import { esxi, ontap, openHost, tempDir } from './helpers.js';

/** Every lab output goes through the project's parsers: the two sides must agree. */
describe('lab output parses with the adapters’ parsers', () => {
  let lab: Lab;
  let host: string;
  beforeAll(async () => {
    lab = await startLab({ dir: tempDir(), hosts: 2, vms: 16, names: 'hostile', seed: 5 });
    await lab.backup();
    host = await openHost(lab);
  });
  afterAll(async () => lab?.stop());

  it('getallvms: names (hostile ones too), datastore, path', async () => {
    const out = await esxi(lab, host, 'vim-cmd vmsvc/getallvms');
    const parsed = parseGetAllVms(out.stdout);
    const mine = lab.status().vms.filter((v) => v.host === host);
    expect(parsed.vms.map((r) => r.vmid).sort()).toEqual(mine.map((v) => v.vmid).sort());
    for (const v of mine) {
      const row = parsed.vms.find((r) => r.vmid === v.vmid)!;
      // A name's own trailing spaces cannot be told from the column padding, on a real host too.
      expect(row.name).toBe(v.name.trimEnd());
      expect(`[${row.datastore}] ${row.path}`).toBe(v.path);
    }
  });

  it('power, lockdown, version, nfs, processes, guest, heartbeat', async () => {
    const v = lab.status().vms.find((x) => x.host === host)!;
    expect(parsePowerState((await esxi(lab, host, `vim-cmd vmsvc/power.getstate ${v.vmid}`)).stdout).state).toBe('on');
    expect(parseLockdown((await esxi(lab, host, 'vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled')).stdout).enabled).toBe(false);
    expect(parseVersion((await esxi(lab, host, 'esxcli system version get')).stdout)).toMatchObject({ version: '8.0.3' });
    const nfs = parseNfsList((await esxi(lab, host, 'esxcli storage nfs list')).stdout).mounts;
    expect(nfs).toEqual([
      expect.objectContaining({ volumeName: 'ds_vm1', host: '127.0.0.1', share: '/vm_vol1', accessible: true, mounted: true }),
    ]);
    const procs = parseProcessList((await esxi(lab, host, 'esxcli vm process list')).stdout).processes;
    expect(procs.map((p) => p.displayName).sort()).toEqual(
      lab
        .status()
        .vms.filter((x) => x.host === host)
        .map((x) => x.name)
        .sort(),
    );
    expect(procs.map((p) => p.worldId).sort()).toEqual(
      lab
        .status()
        .vms.filter((x) => x.host === host)
        .map((x) => x.worldId)
        .sort(),
    );
    const guest = parseGuestInfo((await esxi(lab, host, `vim-cmd vmsvc/get.guest ${v.vmid}`)).stdout);
    expect(guest.toolsRunningStatus).toBe('guestToolsRunning');
    expect(parseHeartbeat((await esxi(lab, host, `vim-cmd vmsvc/get.guestheartbeatStatus ${v.vmid}`)).stdout).heartbeat).toBe('green');
  });

  it('snapshot trees (a chain of three), registervm, faults, the question', async () => {
    const v = lab.status().vms.find((x) => x.host === host)!;
    for (const n of ['one', 'two words', 'three'])
      expect((await esxi(lab, host, shellLine(['vim-cmd', 'vmsvc/snapshot.create', String(v.vmid), n, `desc of ${n}`]))).code).toBe(0);
    const tree = parseSnapshotTree((await esxi(lab, host, `vim-cmd vmsvc/snapshot.get ${v.vmid}`)).stdout);
    expect(flattenSnapshots(tree.snapshots).map((s) => [s.name, s.id, s.description])).toEqual([
      ['one', 1, 'desc of one'],
      ['two words', 2, 'desc of two words'],
      ['three', 3, 'desc of three'],
    ]);
    const removeAll = await esxi(lab, host, `vim-cmd vmsvc/snapshot.removeall ${v.vmid}`);
    expect(removeAll.stdout).toBe('Remove All Snapshots:\n');
    expect(parseSnapshotTree((await esxi(lab, host, `vim-cmd vmsvc/snapshot.get ${v.vmid}`)).stdout)).toBeDefined();

    const nf = parseVimFault((await esxi(lab, host, 'vim-cmd vmsvc/power.getstate 999')).stdout);
    expect(nf).toMatchObject({ fault: 'vim.fault.NotFound', message: 'Unable to find a VM corresponding to "999"' });
    const on = await esxi(lab, host, `vim-cmd vmsvc/power.on ${v.vmid}`);
    expect(findVimFault(on.stdout)?.fault).toBe('vim.fault.InvalidPowerState');
    expect(powerChangeFailure(on.stdout)).not.toBeNull();
    const vm = lab.state.vms.find((x) => x.name === v.name)!;
    const dup = await esxi(lab, host, shellLine(['vim-cmd', 'solo/registervm', `/vmfs/volumes/ds_vm1/${vm.dir}/${vm.base}.vmx`]));
    expect(parseVimFault(dup.stdout)?.fault).toBe('vim.fault.AlreadyExists');
    expect(parseVimFault((await esxi(lab, host, 'vim-cmd solo/registervm /vmfs/volumes/ds_vm1/none/none.vmx')).stdout)?.fault).toBe(
      'vim.fault.NotFound',
    );

    // A VM whose .vmx location does not match asks the question.
    await esxi(lab, host, `vim-cmd vmsvc/power.off ${v.vmid}`);
    await esxi(lab, host, `vim-cmd vmsvc/unregister ${v.vmid}`);
    const vmxPath = `/vmfs/volumes/ds_vm1/${vm.dir}/${vm.base}.vmx`;
    await esxi(
      lab,
      host,
      `sed -i 's/^uuid.location = .*/uuid.location = "56 4d 00 00 00 00 00 00-00 00 00 00 00 00 00 00"/' ${shellLine([vmxPath])}`,
    );
    const reg = parseRegisterVm((await esxi(lab, host, shellLine(['vim-cmd', 'solo/registervm', vmxPath, v.name]))).stdout);
    expect(reg.vmid).toEqual(expect.any(Number));
    await esxi(lab, host, `vim-cmd vmsvc/power.on ${reg.vmid}`);
    const q = parsePendingQuestion((await esxi(lab, host, `vim-cmd vmsvc/message ${reg.vmid}`)).stdout);
    expect(q).toMatchObject({ messageKey: 'msg.uuid.altered' });
    expect(q!.choices.length).toBe(3);
  });

  it('ONTAP: snapmirror show (table, fields, instance), snapshot show, volume show, messages', async () => {
    const rel = parseSnapmirrorShow((await ontap(lab, 'snapmirror show')).stdout).relationships;
    expect(rel).toEqual([
      expect.objectContaining({
        source: 'svm1:vm_vol1',
        destination: 'svm2:vm_vol1_mirror',
        type: 'XDP',
        state: 'Snapmirrored',
        status: 'Idle',
        healthy: true,
      }),
    ]);
    const one = parseSnapmirrorShow((await ontap(lab, 'snapmirror show -destination-path svm2:vm_vol1_mirror')).stdout).relationships;
    expect(one).toEqual([
      expect.objectContaining({ destination: 'svm2:vm_vol1_mirror', state: 'Snapmirrored', status: 'Idle', healthy: true }),
    ]);
    const fields = parseSnapmirrorShow(
      (await ontap(lab, 'snapmirror show -destination-path svm2:vm_vol1_mirror -fields state,status,newest-snapshot')).stdout,
    ).relationships;
    expect(fields[0]).toMatchObject({ state: 'Snapmirrored', status: 'Idle', newestSnapshot: lab.status().mirror.newestSnapshot });

    const snaps = parseSnapshotShow((await ontap(lab, 'volume snapshot show')).stdout).snapshots;
    const expected = lab.status().volumes.flatMap((v) => v.snapshots.map((s) => [v.vserver, v.name, s]));
    expect(snaps.map((s) => [s.vserver, s.volume, s.name])).toEqual(expected);
    const withTime = parseSnapshotShow(
      (await ontap(lab, 'volume snapshot show -vserver svm2 -volume vm_vol1_mirror -fields create-time')).stdout,
    ).snapshots;
    expect(withTime.every((s) => typeof s.createTime === 'string' && /^\d{4}-\d\d-\d\dT/.test(s.createTime))).toBe(true);
    const vols = parseVolumeShow((await ontap(lab, 'volume show -fields state,type,junction-path')).stdout).volumes;
    expect(vols.map((v) => [v.vserver, v.volume, v.state, v.type, v.junctionPath])).toEqual([
      ['svm1', 'vm_vol1', 'online', 'RW', '/vm_vol1'],
      ['svm2', 'vm_vol1_mirror', 'online', 'DP', '/vm_vol1_mirror'],
    ]);
    const table = parseVolumeShow((await ontap(lab, 'volume show')).stdout).volumes;
    expect(table.map((v) => [v.volume, v.state, v.type])).toEqual([
      ['vm_vol1', 'online', 'RW'],
      ['vm_vol1_mirror', 'online', 'DP'],
    ]);
    expect(parseOntapMessage((await ontap(lab, 'snapmirror quiesce -destination-path svm2:vm_vol1_mirror')).stdout).kind).toBe('success');
    expect(parseOntapMessage((await ontap(lab, 'snapmirror update -destination-path svm2:vm_vol1_mirror')).stdout).kind).toBe('error');
    expect(
      parseOntapMessage(
        (
          await ontap(
            lab,
            'set -confirmations off; volume snapshot restore -vserver svm2 -volume vm_vol1_mirror -snapshot smvi__job1_recent',
          )
        ).stdout,
      ).kind,
    ).toBe('error');
    expect(parseOntapMessage((await ontap(lab, 'snapmirror break -destination-path svm2:vm_vol1_mirror')).stdout).kind).toBe('success');
    const clone = parseOntapMessage(
      (
        await ontap(
          lab,
          'volume clone create -vserver svm2 -flexclone drill_1 -parent-volume vm_vol1_mirror -parent-snapshot smvi__job1_recent -junction-path /drill_1',
        )
      ).stdout,
    );
    expect(clone).toMatchObject({ kind: 'success' });
    expect(clone.job).toBeDefined();
    expect(
      parseOntapMessage(
        (
          await ontap(
            lab,
            'set -confirmations off; volume snapshot restore -vserver svm2 -volume vm_vol1_mirror -snapshot smvi__job1_recent',
          )
        ).stdout,
      ).kind,
    ).toBe('success');
    expect(parseOntapMessage((await ontap(lab, 'bogus command')).stdout).kind).toBe('error');
  });
});
