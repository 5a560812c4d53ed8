/**
 * Real device output, copied byte for byte from /work/shared/fixtures (see its README for the public
 * source of each), shown in the procedure as "what a correct output looks like". Layout examples from
 * other sites: names and numbers differ from this site; the shape is what to compare.
 * test/plan/examples.test.ts checks each text against its fixture file.
 */
export interface OutputExample {
  /** The fixture file it was copied from. */
  fixture: string;
  /** The command that printed it, as its source shows it. */
  command: string;
  text: string;
}

export const OUTPUT_EXAMPLES = {
  lockdownIsEnabled: {
    fixture: 'esxi-lockdown-is-enabled-1.txt',
    command: 'vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled',
    text: 'false\n',
  },
  snapmirrorShowFields: {
    fixture: 'ontap-snapmirror-show-fields-2.txt',
    command: 'snapmirror show -destination-path … -fields lag,newest-snapshot-timestamp',
    text: 'source-path                             destination-path                                         newest-snapshot-timestamp lag-time\n--------------------------------------- -------------------------------------------------------- ------------------------- --------\nsvm_NetAppCloudVolumeTest1:SourceVolume svm_NetAppCloudVolumeTestHA:NetAppCloudVolumeTestHA_data 09/19 07:35:27            0:2:6\n',
  },
  snapmirrorQuiesce: {
    fixture: 'ontap-snapmirror-quiesce-1.txt',
    command: 'snapmirror quiesce -destination-path c2_svm1:c1_svm1_vol1_dest',
    text: 'Operation succeeded: snapmirror quiesce for destination "c2_svm1:c1_svm1_vol1_dest".\n',
  },
  volumeSnapshotShow: {
    fixture: 'ontap-volume-snapshot-show-1.txt',
    command: 'snap show -volume SourceVolume',
    text: '                                                                 ---Blocks---\nVserver  Volume   Snapshot                                  Size Total% Used%\n-------- -------- ------------------------------------- -------- ------ -----\nsvm_NetAppCloudVolumeTest1\n         SourceVolume\n                  snapmirror.3e430262-cfd8-11e9-a813-53a7aecad837_2159983246.2019-09-19_074825\n                                                          6.14MB     0%    0%\n                  snapmirror.3e430262-cfd8-11e9-a813-53a7aecad837_2159983246.2019-09-19_075403\n                                                          3.89MB     0%    0%\n2 entries were displayed.\n',
  },
  getAllVms: {
    fixture: 'esxi-getallvms-1.txt',
    command: 'vim-cmd vmsvc/getallvms',
    text: 'Vmid      Name                        File                         Guest OS        Version   Annotation\n10     centos-00     [vs-00-das] centos-00/centos-00.vmx       centos7_64Guest     vmx-13\n11     centos-01     [vs-00-das] centos-01/centos-01.vmx       centos7_64Guest     vmx-13\n20     centos-02     [vs-00-das] centos-02/centos-02.vmx       centos7_64Guest     vmx-11\n21     repo-00       [vs-00-das] repo-00/repo-00.vmx           centos7_64Guest     vmx-11\n6      firewall-00   [vs-00-das] firewall-00/firewall-00.vmx   freebsd64Guest      vmx-13\n8      smos-00       [vs-00-das] smos-00/smos-00.vmx           solaris11_64Guest   vmx-13\n9      smos-01       [vs-00-das] smos-01/smos-01.vmx           solaris11_64Guest   vmx-13\n',
  },
  processList: {
    fixture: 'esxi-vm-process-list-1.txt',
    command: 'esxcli vm process list',
    text: 'gns3_vm\n   World ID: 4455345\n   Process ID: 0\n   VMX Cartel ID: 4455344\n   UUID: 56 4d 12 f0 01 11 99 9e-24 51 75 dc de 5f 4b 10\n   Display Name: gns3_vm\n   Config File: /vmfs/volumes/5bc7459f-967eeb48-b3f7-20677cd9a16c/gns3_vm/gns3_vm.vmx\n\nubuntu_gns3\n   World ID: 4455488\n   Process ID: 0\n   VMX Cartel ID: 4455487\n   UUID: 56 4d 0c 5a 5c 01 56 36-6d 3b b6 0a 0a e0 46 fe\n   Display Name: ubuntu_gns3\n   Config File: /vmfs/volumes/5bc7459f-967eeb48-b3f7-20677cd9a16c/ubuntu_gns3/ubuntu_gns3.vmx\n',
  },
  nfsList: {
    fixture: 'esxi-storage-nfs-list-2.txt',
    command: 'esxcli storage nfs list',
    text: 'Volume Name  Host          Share                 Accessible  Mounted  Read-Only   isPE  Hardware Acceleration\n-----------  ------------  --------------------  ----------  -------  ---------  -----  ---------------------\nnfsbackup    192.168.1.22  /volume1/vmnfsbackup        true     true      false  false  Not Supported\n',
  },
  registerVm: { fixture: 'esxi-registervm-1.txt', command: 'vim-cmd solo/registervm …', text: '222\n' },
  snapshotGet: {
    fixture: 'esxi-snapshot-get-1.txt',
    command: 'vim-cmd vmsvc/snapshot.get …',
    text: 'Get Snapshot:\n|-ROOT\n--Snapshot Name        : snap0\n--Snapshot Id        : 5\n--Snapshot Desciption  : snap0\n--Snapshot Created On  : 11/29/2017 23:59:6\n--Snapshot State       : powered on\n',
  },
  snapshotRevert: {
    fixture: 'esxi-snapshot-revert-1.txt',
    command: 'vim-cmd vmsvc/snapshot.revert …',
    text: 'Revert Snapshot:\n|-ROOT\n--Snapshot Name        : snap0\n--Snapshot Id        : 5\n--Snapshot Desciption  : snap0\n--Snapshot Created On  : 11/29/2017 23:59:6\n--Snapshot State       : powered on\n--|-CHILD\n----Snapshot Name        : finish_naigos_install\n----Snapshot Id        : 6\n----Snapshot Desciption  : install done\n----Snapshot Created On  : 11/30/2017 0:0:4\n----Snapshot State       : powered on\n',
  },
  powerGetState: {
    fixture: 'esxi-power-getstate-1.txt',
    command: 'vim-cmd vmsvc/power.getstate …',
    text: 'Retrieved runtime info\nPowered on\n',
  },
} as const satisfies Record<string, OutputExample>;

export type OutputExampleKey = keyof typeof OUTPUT_EXAMPLES;
