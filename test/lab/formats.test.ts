import { readFileSync } from 'node:fs';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import {
  formatFilesystemList,
  formatGetAllVms,
  formatNfsList,
  formatSnapshotTree,
  formatProcessList,
  formatUuidQuestion,
} from '../../src/lab/esxi-format.js';
import { parseFilesystemList } from '../../src/adapters/esxi/parsers.js';
import { SNAPMIRROR_COLS, SNAPMIRROR_HEADER, SNAPSHOT_HEADER, fieldsTable, wrapRecord } from '../../src/lab/ontap-format.js';

const FIXTURES = FIXTURES_DIR;
const fixture = (name: string): string => readFileSync(`${FIXTURES.replace(/\/?$/, '/')}${name}`, 'utf8');

/** The lab's printers reproduce the real samples byte for byte when given the samples' values. */
describe('lab output layouts against the real samples', () => {
  it('getallvms: longest value + 3, Annotation padded, lexical vmid order', () => {
    const out = formatGetAllVms([
      {
        vmid: 40,
        name: 'packer-vmware-iso',
        file: '[wtgc-vmbd-01:datastore1] packer-vmware-iso/packer-vmware-iso.vmx',
        guest: 'ubuntu64Guest',
        version: 'vmx-08',
        annotation: '',
      },
    ]);
    // The real header is misaligned with the data; the rows are what parsers read.
    expect(out.split('\n')[1]).toBe(fixture('esxi-getallvms-datastore-with-colon-1.txt').split('\n')[1]);
    expect(formatGetAllVms([])).toBe(fixture('esxi-getallvms-empty-1.txt'));
    const rows = [10, 11, 20, 21, 6, 8, 9].map((vmid) => ({
      vmid,
      name: `vm${vmid}`,
      file: `[ds] vm${vmid}/vm${vmid}.vmx`,
      guest: 'g',
      version: 'vmx-13',
      annotation: '',
    }));
    expect(
      formatGetAllVms(rows.reverse())
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['10', '11', '20', '21', '6', '8', '9']);
  });

  it('snapshot tree, nfs list, process list', () => {
    const t = formatSnapshotTree('Revert Snapshot:', [
      { name: 'snap0', id: 5, description: 'snap0', created: Date.UTC(2017, 10, 29, 23, 59, 6), state: 'powered on' },
      { name: 'finish_naigos_install', id: 6, description: 'install done', created: Date.UTC(2017, 10, 30, 0, 0, 4), state: 'powered on' },
    ]);
    expect(t).toBe(fixture('esxi-snapshot-revert-1.txt'));
    const nfs = formatNfsList([
      { name: 'nfsbackup', host: '192.168.1.22', share: '/volume1/vmnfsbackup', accessible: true, mounted: true, readOnly: false },
    ]);
    expect(nfs).toBe(fixture('esxi-storage-nfs-list-2.txt'));
    const p = formatProcessList([
      {
        title: 'gns3_vm',
        worldId: 4455345,
        cartelId: 4455344,
        uuid: '56 4d 12 f0 01 11 99 9e-24 51 75 dc de 5f 4b 10',
        displayName: 'gns3_vm',
        configFile: '/vmfs/volumes/5bc7459f-967eeb48-b3f7-20677cd9a16c/gns3_vm/gns3_vm.vmx',
      },
      {
        title: 'ubuntu_gns3',
        worldId: 4455488,
        cartelId: 4455487,
        uuid: '56 4d 0c 5a 5c 01 56 36-6d 3b b6 0a 0a e0 46 fe',
        displayName: 'ubuntu_gns3',
        configFile: '/vmfs/volumes/5bc7459f-967eeb48-b3f7-20677cd9a16c/ubuntu_gns3/ubuntu_gns3.vmx',
      },
    ]);
    expect(p).toBe(fixture('esxi-vm-process-list-1.txt'));
  });

  it('storage filesystem list: widths from the data, two-group NFS uuids, nameless partitions', () => {
    for (const name of ['esxi-storage-filesystem-list-1.txt', 'esxi-storage-filesystem-list-2.txt', 'esxi-storage-filesystem-list-3.txt']) {
      const rows = parseFilesystemList(fixture(name)).filesystems.map((f) => ({
        name: f.volumeName,
        uuid: f.uuid,
        mounted: f.mounted,
        type: f.type,
        size: f.size!,
        free: f.free!,
      }));
      expect(formatFilesystemList(rows), name).toBe(fixture(name));
    }
  });

  it('vmsvc/message: the layout of the real ESXi transcript', () => {
    expect(formatUuidQuestion('0')).toBe(fixture('esxi-vmsvc-message-1.txt'));
  });

  it('snapmirror show: header and the wrapped record', () => {
    const lines = [
      ...SNAPMIRROR_HEADER,
      ...wrapRecord(SNAPMIRROR_COLS, [
        'svm_NetAppCloudVolumeTest1:SourceVolume',
        'XDP',
        'svm_NetAppCloudVolumeTest2:MirrorDestVolume',
        'Snapmirrored',
        'Idle',
        '-',
        'true',
        '-',
      ]),
    ];
    expect(`${lines.join('\n')}\n`).toBe(fixture('ontap-snapmirror-show-1.txt'));
    const broken = [
      ...SNAPMIRROR_HEADER,
      ...wrapRecord(SNAPMIRROR_COLS, ['c1_svm2:', 'XDP', 'svmdr-dest:', 'Broken-off', 'Idle', '-', 'true', '-']),
    ];
    expect(`${broken.join('\n')}\n`).toBe(fixture('ontap-snapmirror-show-svmdr-broken-off-1.txt'));
  });

  it('volume snapshot show header and the -fields shape', () => {
    expect(SNAPSHOT_HEADER.join('\n')).toBe(fixture('ontap-volume-snapshot-show-1.txt').split('\n').slice(0, 3).join('\n'));
    const f = fieldsTable(
      ['source-path', 'destination-path', 'last-transfer-size', 'last-transfer-duration', 'lag-time'],
      [['svm_NetAppCloudVolumeTest1:SourceVolume', 'svm_NetAppCloudVolumeTest2:MirrorDestVolume', '3.96GB', '0:0:49', '64:17:2']],
    );
    expect(`${f.join('\n')}\n`).toBe(fixture('ontap-snapmirror-show-fields-1.txt'));
  });
});
