import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import {
  findVimFault,
  flattenSnapshots,
  getVmx,
  isMovedOrCopiedQuestion,
  movedChoiceKey,
  parseGetAllVms,
  parseGuestInfo,
  parseHeartbeat,
  parseLockdown,
  parseFilesystemList,
  parseNfsList,
  parsePendingQuestion,
  parsePendingQuestions,
  parsePowerState,
  parseProcessList,
  parseRegisterVm,
  parseSnapshotTree,
  parseVersion,
  parseVimFault,
  parseVmx,
  powerChangeFailure,
  serializeVmx,
  setVmx,
} from '../../../src/adapters/esxi/parsers.js';
import { parseVmsd } from '../../../src/inventory/vmsd.js';
import { parseTaskInfo, parseTaskList } from '../../../src/adapters/esxi/tasks.js';
import { esxiFixtureNames, fixture } from './fixtures.js';

/** Which check each fixture gets; a new fixture without a rule fails the suite. */
function checkFixture(name: string, text: string): void {
  const is = (prefix: string) => name.startsWith(`esxi-${prefix}`);
  if (is('getallvms')) {
    const r = parseGetAllVms(text);
    expect(r.vms.length + r.skipped.length + (name.includes('empty') ? 1 : 0)).toBeGreaterThan(0);
  } else if (is('snapshot-')) {
    const r = parseSnapshotTree(text);
    expect(['Get Snapshot', 'Revert Snapshot', 'Remove All Snapshots']).toContain(r.title);
  } else if (is('power-getstate')) {
    expect(['on', 'off', 'suspended']).toContain(parsePowerState(text).state);
  } else if (is('power-off-1') || is('power-off-2') || is('power-on-')) {
    expect(powerChangeFailure(text)).toBeNull();
  } else if (is('power-off-')) {
    expect(powerChangeFailure(text)).not.toBeNull();
  } else if (is('registervm-notfound')) {
    expect(() => parseRegisterVm(text)).toThrow(ParseError);
    expect(parseVimFault(text)?.fault).toBe('vim.fault.NotFound');
  } else if (is('registervm')) {
    expect(parseRegisterVm(text).vmid).not.toBeNull();
  } else if (is('task-info-notfound')) {
    expect(parseVimFault(text)?.fault).toBe('vmodl.fault.ManagedObjectNotFound');
  } else if (is('task-info-')) {
    expect(['queued', 'running', 'success', 'error']).toContain(parseTaskInfo(text).state);
  } else if (is('get-tasklist-')) {
    expect(parseTaskList(text).length + (name.includes('empty') ? 1 : 0)).toBeGreaterThan(0);
  } else if (name.includes('notfound')) {
    expect(parseVimFault(text)?.fault).toBe('vim.fault.NotFound');
  } else if (is('unregister-1') || is('lockdown-mode-') || is('vm-process-kill') || is('vmsvc-message-answer')) {
    expect(text).toBe(''); // silent success
  } else if (is('lockdown-is-enabled')) {
    expect(typeof parseLockdown(text).enabled).toBe('boolean');
  } else if (is('vm-process-list')) {
    parseProcessList(text);
  } else if (is('storage-nfs-list')) {
    expect(parseNfsList(text).mounts.length).toBeGreaterThan(0);
  } else if (is('storage-filesystem-list')) {
    expect(parseFilesystemList(text).filesystems.length).toBeGreaterThan(0);
  } else if (is('vmsvc-message')) {
    const q = parsePendingQuestion(text)!;
    expect(isMovedOrCopiedQuestion(q)).toBe(true);
    expect(movedChoiceKey(q)).not.toBeNull();
  } else if (is('vmsd-')) {
    const v = parseVmsd(text);
    expect(v.snapshots).toHaveLength(v.numSnapshots!);
    expect(v.unread).toEqual([]);
  } else if (is('storage-nfs-add-error')) {
    // Not a fault dump: the ops layer reports it because `nfs add` succeeds silently.
    expect(findVimFault(text)).toBeNull();
    expect(text.trim()).not.toBe('');
  } else if (is('system-version')) {
    parseVersion(text);
  } else if (is('vmx-')) {
    expect(serializeVmx(parseVmx(text))).toBe(text);
  } else {
    throw new Error(`no parser rule for fixture ${name}; add one to parsers.test.ts`);
  }
}

describe('every ESXi fixture parses with the parser its name implies', () => {
  const names = esxiFixtureNames();
  it('finds the fixtures', () => expect(names.length).toBeGreaterThan(40));
  for (const name of names) it(name, () => checkFixture(name, fixture(name)));
});

describe('parseGetAllVms', () => {
  it('keeps the lexical vmid order and reads every column by anchors', () => {
    const r = parseGetAllVms(fixture('esxi-getallvms-1.txt'));
    expect(r.vms.map((v) => v.vmid)).toEqual([10, 11, 20, 21, 6, 8, 9]);
    expect(r.vms[4]).toEqual({
      vmid: 6,
      name: 'firewall-00',
      nameRaw: 'firewall-00   ',
      datastore: 'vs-00-das',
      path: 'firewall-00/firewall-00.vmx',
      file: '[vs-00-das] firewall-00/firewall-00.vmx',
      guestOs: 'freebsd64Guest',
      version: 'vmx-13',
      annotation: '',
    });
  });

  it('reads names with spaces, colons and parentheses, even with a 1-space gap', () => {
    const r = parseGetAllVms(fixture('esxi-getallvms-5.txt'));
    expect(r.vms.map((v) => [v.name, v.path, v.guestOs])).toEqual([
      ['vm-ark-mcnc-9 (nonpersistent: vmwarewinxp-base234-v12)', 'vm-ark-mcnc-9_234-v12/vm-ark-mcnc-9_234-v12.vmx', 'winXPProGuest'],
      [
        'vm-ark-mcnc-10 (nonpersistent: vmwarelinux-centosbase1617-v1)',
        'vm-ark-mcnc-10_1617-v1/vm-ark-mcnc-10_1617-v1.vmx',
        'otherLinuxGuest',
      ],
    ]);
  });

  it('reads a grep row with spaces in name and path, and a datastore with a colon', () => {
    const [vm] = parseGetAllVms(fixture('esxi-getallvms-grep-spaces-1.txt')).vms;
    expect(vm).toMatchObject({ vmid: 6, name: 'My Awesome VM', datastore: 'datastore1', path: 'My Awesome VM/My Awesome VM.vmx' });
    const [c] = parseGetAllVms(fixture('esxi-getallvms-datastore-with-colon-1.txt')).vms;
    expect(c).toMatchObject({ vmid: 40, datastore: 'wtgc-vmbd-01:datastore1', version: 'vmx-08', annotation: '' });
    const [g] = parseGetAllVms(fixture('esxi-getallvms-grep-2.txt')).vms;
    expect(g).toMatchObject({ vmid: 282, name: 'test', guestOs: 'winNetEnterprise64Guest' });
  });

  it('collects Skipping invalid VM lines and accepts a header-only inventory', () => {
    expect(parseGetAllVms(fixture('esxi-getallvms-skipping-invalid-1.txt'))).toEqual({ vms: [], skipped: [16, 32, 48, 64] });
    expect(parseGetAllVms(fixture('esxi-getallvms-empty-1.txt'))).toEqual({ vms: [], skipped: [] });
    expect(parseGetAllVms('')).toEqual({ vms: [], skipped: [] });
  });

  it('joins multi-line annotations with newlines and trims only the padding', () => {
    const text = [
      'Vmid   Name         File                        Guest OS          Version   Annotation',
      '12     Mail [old]   [ds 1] Mail/Mail.vmx        debian9_64Guest   vmx-13    root: see wiki   ',
      'second line',
      '',
      '2019 moved here',
      '13     web          [ds 1] web/web.vmx          ubuntu64Guest     vmx-14    ',
    ].join('\n');
    const r = parseGetAllVms(`${text}\n`);
    expect(r.vms).toHaveLength(2);
    expect(r.vms[0]).toMatchObject({ vmid: 12, name: 'Mail [old]', datastore: 'ds 1', path: 'Mail/Mail.vmx' });
    expect(r.vms[0]!.annotation).toBe('root: see wiki\nsecond line\n\n2019 moved here');
    expect(r.vms[1]!.annotation).toBe('');
  });

  it('is not fooled by brackets and wide gaps inside the name', () => {
    const r = parseGetAllVms('12     web   [old]     [ds 1] web   [old]/web   [old].vmx   otherGuest   vmx-13   note\n');
    expect(r.vms[0]).toMatchObject({ name: 'web   [old]', datastore: 'ds 1', path: 'web   [old]/web   [old].vmx', annotation: 'note' });
  });

  it('reads a registered template (.vmtx)', () => {
    const r = parseGetAllVms('31     tpl-centos   [ds2] tpl-centos/tpl-centos.vmtx   centos7_64Guest   vmx-13\n');
    expect(r.vms[0]).toMatchObject({ vmid: 31, name: 'tpl-centos', path: 'tpl-centos/tpl-centos.vmtx' });
  });

  it('keeps the exact name bytes in nameRaw; a name ending in blanks loses them in name', () => {
    const r = parseGetAllVms('7      trail     [ds] t/t.vmx   otherGuest   vmx-11\n');
    expect(r.vms[0]!.name).toBe('trail');
    expect(r.vms[0]!.nameRaw).toBe('trail     ');
  });

  it('refuses a row cut short instead of reading it as an annotation', () => {
    const text = `${fixture('esxi-getallvms-1.txt')}22     cut-00        [vs-00-das] cut-00/cut-00.vmx\n`;
    expect(() => parseGetAllVms(text)).toThrow(/line 9/);
    expect(() => parseGetAllVms('hello\n')).toThrow(ParseError);
  });
});

describe('parseSnapshotTree', () => {
  it('builds the nested tree from dashes and |-CHILD markers', () => {
    const r = parseSnapshotTree(fixture('esxi-snapshot-revert-1.txt'));
    expect(r.title).toBe('Revert Snapshot');
    expect(r.snapshots).toHaveLength(1);
    const [root] = r.snapshots;
    expect(root).toMatchObject({
      name: 'snap0',
      id: 5,
      description: 'snap0',
      createdOn: '11/29/2017 23:59:6',
      createdAt: '2017-11-29T23:59:06Z',
      state: 'powered on',
    });
    expect(root!.children).toEqual([
      {
        name: 'finish_naigos_install',
        id: 6,
        description: 'install done',
        createdOn: '11/30/2017 0:0:4',
        createdAt: '2017-11-30T00:00:04Z',
        state: 'powered on',
        children: [],
      },
    ]);
  });

  it('reads a multi-line description and a name with spaces', () => {
    const [s] = parseSnapshotTree(fixture('esxi-snapshot-revert-3.txt')).snapshots;
    expect(s).toMatchObject({ name: 'prepared for install', id: 3, description: 'clush configured\ntmp and all traces of mapr removed' });
  });

  it('gives id null on old hosts and an empty list for the title alone', () => {
    expect(parseSnapshotTree(fixture('esxi-snapshot-get-5.txt')).snapshots[0]!.id).toBeNull();
    expect(parseSnapshotTree(fixture('esxi-snapshot-get-empty-1.txt'))).toEqual({ title: 'Get Snapshot', snapshots: [] });
    expect(parseSnapshotTree(fixture('esxi-snapshot-get-3.txt')).snapshots[0]!.description).toBe('');
  });

  it('places siblings and deeper children by their dashes', () => {
    const snap = (d: string, name: string, id: number) => [
      `${d}Snapshot Name        : ${name}`,
      `${d}Snapshot Id        : ${id}`,
      `${d}Snapshot Desciption  :`,
      `${d}Snapshot Created On  : 1/2/2024 3:4:5`,
      `${d}Snapshot State       : powered off`,
    ];
    const text = [
      'Get Snapshot:',
      '|-ROOT',
      ...snap('--', 'a', 1),
      '--|-CHILD',
      ...snap('----', 'b', 2),
      '----|-CHILD',
      ...snap('------', 'c', 3),
      '--|-CHILD',
      ...snap('----', 'd', 4),
      '|-ROOT',
      ...snap('--', 'e', 5),
    ].join('\n');
    const r = parseSnapshotTree(`${text}\n`);
    expect(r.snapshots.map((s) => s.name)).toEqual(['a', 'e']);
    expect(r.snapshots[0]!.children.map((s) => s.name)).toEqual(['b', 'd']);
    expect(r.snapshots[0]!.children[0]!.children.map((s) => s.name)).toEqual(['c']);
    expect(flattenSnapshots(r.snapshots).map((s) => s.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a record cut short and impossible dates', () => {
    const cut = fixture('esxi-snapshot-get-1.txt').split('\n').slice(0, 4).join('\n');
    expect(() => parseSnapshotTree(cut)).toThrow(ParseError);
    expect(() => parseSnapshotTree(fixture('esxi-snapshot-get-1.txt').replace('11/29/2017', '13/29/2017'))).toThrow(/Created On/);
    expect(() => parseSnapshotTree('')).toThrow(ParseError);
  });
});

describe('small vim-cmd outputs', () => {
  it('power state', () => {
    expect(parsePowerState(fixture('esxi-power-getstate-suspended-1.txt'))).toEqual({ state: 'suspended' });
    expect(parsePowerState(fixture('esxi-power-getstate-2.txt'))).toEqual({ state: 'off' });
    expect(() => parsePowerState('Retrieved runtime info\n')).toThrow(ParseError);
    expect(() => parsePowerState('Retrieved runtime info\nPowered sideways\n')).toThrow(/line 2/);
  });

  it('power.on printed indented in a transcript is still the success line', () => {
    expect(powerChangeFailure(fixture('esxi-power-on-1.txt'))).toBeNull();
  });

  it('power on/off failures: fault dump and the bare failure line', () => {
    expect(powerChangeFailure(fixture('esxi-power-off-already-off-1.txt'))).toEqual({
      message: 'The attempted operation cannot be performed in the current state (Powered Off).',
      fault: 'vim.fault.InvalidPowerState',
    });
    expect(powerChangeFailure(fixture('esxi-power-off-already-off-2.txt'))).toEqual({ message: 'Power off failed' });
    expect(powerChangeFailure('Powering on VM:\n')).toBeNull();
  });

  it('registervm prints the vmid or nothing', () => {
    expect(parseRegisterVm(fixture('esxi-registervm-1.txt'))).toEqual({ vmid: 222 });
    expect(parseRegisterVm('')).toEqual({ vmid: null });
    expect(() => parseRegisterVm('hello\n')).toThrow(ParseError);
  });

  it('heartbeat', () => {
    expect(parseHeartbeat('green\n')).toEqual({ heartbeat: 'green' });
    expect(() => parseHeartbeat('blue\n')).toThrow(ParseError);
    expect(() => parseHeartbeat('')).toThrow(ParseError);
  });

  it('lockdown', () => {
    expect(parseLockdown('true\n')).toEqual({ enabled: true });
    expect(parseLockdown(fixture('esxi-lockdown-is-enabled-1.txt'))).toEqual({ enabled: false });
    expect(() => parseLockdown('')).toThrow(ParseError);
  });
});

describe('faults', () => {
  it('reads the old format (dynamicType, trailing commas) and keeps unescaped inner quotes', () => {
    expect(parseVimFault(fixture('esxi-vimcmd-notfound-3.txt'))).toEqual({
      fault: 'vim.fault.NotFound',
      message: 'Unable to find a VM corresponding to "16"',
      fields: { dynamicType: null, faultCause: null, msg: 'Unable to find a VM corresponding to "16"' },
    });
    expect(parseVimFault(fixture('esxi-unregister-notfound-1.txt'))!.message).toBe(
      'Unable to find a VM corresponding to "/vmfs/volumes/nfs-datastore/vm-ark-mcnc-9_234-v12/vm-ark-mcnc-9_234-v12.vmx"',
    );
  });

  it('reads the new format (faultMessage, no commas)', () => {
    const f = parseVimFault(fixture('esxi-vimcmd-notfound-1.txt'))!;
    expect(f.fault).toBe('vim.fault.NotFound');
    expect(f.message).toBe('Unable to find a VM corresponding to "2"');
    expect(f.fields).toEqual({ faultCause: null, faultMessage: null, msg: 'Unable to find a VM corresponding to "2"' });
  });

  it('null without a block; findVimFault looks past other lines; parseVimFault refuses them', () => {
    expect(parseVimFault('Powering off VM:\n')).toBeNull();
    const text = fixture('esxi-power-off-already-off-1.txt');
    expect(findVimFault(text)!.fault).toBe('vim.fault.InvalidPowerState');
    expect(() => parseVimFault(text)).toThrow(/line 1/);
    expect(() => parseVimFault('(vim.fault.NotFound) {\n   msg = "x",\n')).toThrow(ParseError);
  });

  it('reads nested values and multi-line strings', () => {
    const text = [
      '(vim.fault.FileFault) {',
      '   faultCause = (vmodl.MethodFault) null,',
      '   faultMessage = (vmodl.LocalizableMessage) [',
      '      (vmodl.LocalizableMessage) {',
      '         key = "msg.hbacommon.outofspace",',
      "         message = \"There is no more space for virtual disk 'VC_12.vmdk'.",
      'You might be able to continue."',
      '      }',
      '   ]',
      '   file = "[ds] VC/VC.vmx"',
      '   msg = "Failed: no space"',
      '}',
    ].join('\n');
    const f = parseVimFault(text)!;
    expect(f).toMatchObject({ fault: 'vim.fault.FileFault', message: 'Failed: no space', fields: { file: '[ds] VC/VC.vmx' } });
  });
});

describe('esxcli', () => {
  it('process list: the title is not the display name', () => {
    const r = parseProcessList(fixture('esxi-vm-process-list-2.txt'));
    expect(r.processes[0]).toEqual({
      title: 'DC',
      worldId: 35264,
      processId: 0,
      vmxCartelId: 35263,
      uuid: '56 4d c9 46 97 55 57 80-8b 19 a6 30 88 ba 84 59',
      displayName: 'Camp-DC',
      configFile: '/vmfs/volumes/4faac78b-87d2b646-3436-001018da65d2/DC/DC.vmx',
    });
    expect(r.processes[1]!.worldId).toBe(35508);
    expect(parseProcessList('')).toEqual({ processes: [] });
    expect(() => parseProcessList('DC\n   World ID: 1\n')).toThrow(ParseError);
  });

  it('nfs list: both layouts from the dash line', () => {
    expect(parseNfsList(fixture('esxi-storage-nfs-list-1.txt')).mounts).toEqual([
      {
        volumeName: 'ISOs',
        host: 'fileserver2',
        share: '/data/files/ISOs',
        accessible: true,
        mounted: true,
        readOnly: null,
        isPE: null,
        hardwareAcceleration: 'Not Supported',
      },
    ]);
    expect(parseNfsList(fixture('esxi-storage-nfs-list-2.txt')).mounts[0]).toEqual({
      volumeName: 'nfsbackup',
      host: '192.168.1.22',
      share: '/volume1/vmnfsbackup',
      accessible: true,
      mounted: true,
      readOnly: false,
      isPE: false,
      hardwareAcceleration: 'Not Supported',
    });
    expect(parseNfsList(fixture('esxi-storage-nfs-list-4.txt')).mounts[0]).toMatchObject({
      accessible: false,
      mounted: true,
      hardwareAcceleration: 'Unknown',
    });
  });

  it('nfs list: a value over its column or a cut row is an error', () => {
    const lines = fixture('esxi-storage-nfs-list-2.txt').split('\n');
    expect(() => parseNfsList([lines[0], lines[1], 'nfsbackup-too-long-name  192.168.1.22'].join('\n'))).toThrow(/line 3/);
    expect(() => parseNfsList([lines[0], lines[1], lines[2]!.slice(0, 50)].join('\n'))).toThrow(ParseError);
  });

  it('filesystem list: every column by the dash spans, NFS two-group uuids, nameless partitions', () => {
    const fs = parseFilesystemList(fixture('esxi-storage-filesystem-list-1.txt')).filesystems;
    expect(fs[0]).toEqual({
      mountPoint: '/vmfs/volumes/2707af93-17b6f4d4',
      volumeName: '124-share',
      uuid: '2707af93-17b6f4d4',
      mounted: true,
      type: 'NFS',
      size: 40008333393920,
      free: 12798507614208,
    });
    expect(fs[2]).toMatchObject({ volumeName: 'Presale-lun-v7-new', type: 'VMFS-5', size: 6596801331200 });
    expect(fs[5]).toMatchObject({
      volumeName: '',
      uuid: '5a680f37-6036095e-cb6b-00e0ed438c52',
      type: 'vfat',
      size: 4293591040,
      free: 4255121408,
    });
    // Column widths differ between hosts (Size is 13 wide here, 12 and 14 elsewhere): the dash line decides.
    expect(parseFilesystemList(fixture('esxi-storage-filesystem-list-2.txt')).filesystems[0]).toMatchObject({
      volumeName: 'VMs',
      size: 1192121860096,
      free: 556500254720,
    });
    expect(parseFilesystemList('')).toEqual({ filesystems: [] });
  });

  it('filesystem list: blank lines holding a space, CRLF and a value with spaces inside its column are fine', () => {
    const lines = fixture('esxi-storage-filesystem-list-3.txt').trimEnd().split('\n');
    const spaced = [lines[0], lines[1], ' ', lines[2]!.replace('datastore1 ', 'my ds 1    '), '\t', lines[3], ' '].join('\r\n');
    const fs = parseFilesystemList(spaced).filesystems;
    expect(fs.map((f) => f.volumeName)).toEqual(['my ds 1', 'suse-ssd']);
  });

  it('filesystem list: a line it cannot place is an error naming it', () => {
    const lines = fixture('esxi-storage-filesystem-list-3.txt').trimEnd().split('\n');
    const at = (i: number, row: string) => [...lines.slice(0, i), row, ...lines.slice(i + 1)].join('\n');
    // a value wider than its column (e.g. a name padded by bytes, not characters)
    expect(() => parseFilesystemList(at(3, lines[3]!.replace('suse-ssd   ', 'suse-ssd-wide')))).toThrow(
      /esxi-filesystem-list: line 4: a value runs over its column/,
    );
    // a row cut short
    expect(() => parseFilesystemList(at(4, lines[4]!.slice(0, 110)))).toThrow(/line 5: /);
    // not a number of bytes
    expect(() => parseFilesystemList(at(2, lines[2]!.replace(' 77846282240', '     72.5 GB')))).toThrow(
      /line 3: Size is not a number of bytes/,
    );
    // no dash line under the header, or a table of another command
    expect(() => parseFilesystemList(lines.filter((_, i) => i !== 1).join('\n'))).toThrow(
      /line 2: expected a header line and a dash underline/,
    );
    expect(() => parseFilesystemList(fixture('esxi-storage-nfs-list-2.txt'))).toThrow(/line 1: the table has no Mount Point column/);
  });

  it('version', () => {
    expect(parseVersion(fixture('esxi-system-version-get-1.txt'))).toEqual({
      product: 'VMware ESXi',
      version: '9.0.0',
      build: 'Releasebuild-24755229',
      update: '0',
      maintenance: '0',
      patch: '0',
    });
    expect(
      parseVersion('   Product: VMware ESXi\n   Version: 6.7.0\n   Build: Releasebuild-8169922\n   Update: 0\n   Patch: 0\n'),
    ).not.toHaveProperty('maintenance');
    expect(() => parseVersion('   Product: VMware ESXi\n')).toThrow(ParseError);
  });
});

describe('get.guest (no fixture; shape from public scripts and the GuestInfo API)', () => {
  const guest = [
    'Guest information:',
    '',
    '(vim.vm.GuestInfo) {',
    '   dynamicType = <unset>,',
    '   toolsStatus = "toolsOk",',
    '   toolsVersionStatus = "guestToolsCurrent",',
    '   toolsRunningStatus = "guestToolsRunning",',
    '   toolsVersion = "10346",',
    '   guestId = "ubuntu64Guest",',
    '   hostName = "web01",',
    '   ipAddress = "192.0.2.31",',
    '   net = (vim.vm.GuestInfo.NicInfo) [',
    '      (vim.vm.GuestInfo.NicInfo) {',
    '         network = "VM Network",',
    '         ipAddress = (string) [',
    '            "192.0.2.99"',
    '         ],',
    '         connected = true,',
    '      }',
    '   ],',
    '   guestState = "running",',
    '   appHeartbeatStatus = "appStatusGray",',
    '}',
    '',
  ].join('\n');

  it('reads the top-level fields only', () => {
    expect(parseGuestInfo(guest)).toEqual({
      toolsRunningStatus: 'guestToolsRunning',
      toolsStatus: 'toolsOk',
      guestState: 'running',
      ipAddress: '192.0.2.31',
      hostName: 'web01',
    });
  });

  it('reads a new-format dump with <unset> and a heartbeat line', () => {
    const t =
      '(vim.vm.GuestInfo) {\n   toolsStatus = <unset>\n   toolsRunningStatus = "guestToolsNotRunning"\n   guestState = "notRunning"\n   guestHeartbeatStatus = "gray"\n}\n';
    expect(parseGuestInfo(t)).toEqual({
      toolsRunningStatus: 'guestToolsNotRunning',
      toolsStatus: null,
      guestState: 'notRunning',
      heartbeat: 'gray',
    });
  });

  it('refuses a fault and a dump cut short', () => {
    expect(() => parseGuestInfo(fixture('esxi-vimcmd-notfound-1.txt'))).toThrow(/NotFound/);
    expect(() => parseGuestInfo(guest.split('\n').slice(0, 10).join('\n'))).toThrow(ParseError);
  });
});

describe('vmsvc/message (one real sample, ESXi 5.0: esxi-vmsvc-message-1.txt)', () => {
  const moved = fixture('esxi-vmsvc-message-1.txt');

  it('reads id, key, text and choices', () => {
    const q = parsePendingQuestion(moved)!;
    expect(q.id).toBe('0');
    expect(q.messageKey).toBe('msg.uuid.altered');
    expect(q.text.split('\n')[0]).toBe('This virtual machine may have been moved or copied.');
    expect(q.choices.map((c) => [c.key, c.label, c.isDefault])).toEqual([
      [0, 'Cancel', false],
      [1, 'I moved it', false],
      [2, 'I copied it', true],
    ]);
    expect(isMovedOrCopiedQuestion(q)).toBe(true);
    expect(movedChoiceKey(q)).toBe(1);
  });

  it('accepts _vmx1 ids, reordered keys, and no message', () => {
    const q = parsePendingQuestion(moved.replace('message 0:', 'message _vmx1:').replace('1. I _moved', '7. I _moved'))!;
    expect(q.id).toBe('_vmx1');
    expect(movedChoiceKey(q)).toBe(7);
    expect(parsePendingQuestion('No message.\n')).toBeNull();
    expect(parsePendingQuestion('')).toBeNull();
    expect(parsePendingQuestions(`${moved}${moved.replace('message 0:', 'message 1:')}`)).toHaveLength(2);
  });

  it('reads the key on the id line, as a VMware KB quotes it', () => {
    const q = parsePendingQuestion(moved.replace('message 0:\nmsg.uuid', 'message 12: msg.uuid'))!;
    expect(q).toMatchObject({ id: '12', messageKey: 'msg.uuid.altered' });
    expect(movedChoiceKey(q)).toBe(1);
  });

  it('a line before the first question is an error naming it, not skipped', () => {
    expect(() => parsePendingQuestions(`Retrieved runtime info\n${moved}`)).toThrow(/esxi-message: line 1: /);
  });

  it('reads an assumed newer layout (no real sample): indented choices, choice ids in parentheses, a hint after them', () => {
    const newer = [
      'Virtual machine message _vmx1:',
      'msg.uuid.altered:This virtual machine might have been moved or copied.',
      'In order to configure certain management and networking features, VMware ESX needs to know if this virtual machine was moved or copied.',
      '',
      'If you don\'t know, answer "I Copied It".',
      '   0. Cancel (Cancel)',
      '   1. I _Moved It (button.uuid.movedTheVM)',
      '   2. I _Copied It (button.uuid.copiedTheVM)',
      'Answer the question with one of the following: 0. Cancel 1. I Moved It 2. I Copied It',
      '',
    ].join('\n');
    const q = parsePendingQuestion(newer)!;
    expect(q.choices[1]).toEqual({
      key: 1,
      label: 'I Moved It',
      labelId: 'button.uuid.movedTheVM',
      raw: 'I _Moved It (button.uuid.movedTheVM)',
      isDefault: false,
    });
    expect(q.footer).toMatch(/^Answer the question/);
    expect(movedChoiceKey(q)).toBe(1);
    expect(isMovedOrCopiedQuestion(q)).toBe(true);
  });

  it('refuses a question cut before its choices', () => {
    expect(() => parsePendingQuestion(moved.split('\n').slice(0, 5).join('\n'))).toThrow(ParseError);
  });
});

describe('.vmx', () => {
  it('reads keys with colons and values with spaces; edits keep every other line', () => {
    const text = fixture('esxi-vmx-1.txt');
    const lines = parseVmx(text);
    expect(getVmx(lines, 'displayName')).toBe('test flo');
    expect(getVmx(lines, 'scsi0:0.fileName')).toBe('test flo_0-000004.vmdk');
    expect(getVmx(lines, 'DISPLAYNAME')).toBe('test flo');
    const edited = serializeVmx(setVmx(setVmx(lines, 'displayName', 'db 01 (DR)'), 'uuid.action', 'keep'));
    const before = text.split('\n');
    const after = edited.split('\n');
    expect(after.filter((l) => !before.includes(l))).toEqual(['displayName = "db 01 (DR)"', 'uuid.action = "keep"']);
    expect(after.indexOf('displayName = "db 01 (DR)"')).toBe(before.indexOf('displayName = "test flo"'));
    expect(serializeVmx(setVmx(lines, 'tools.syncTime', null))).not.toContain('tools.syncTime');
  });

  it('tolerates CRLF on read, writes LF, keeps |22 escapes and odd lines', () => {
    const lines = parseVmx('# comment\r\nannotation = "a |22quoted|22 note"\r\nodd line\r\n');
    expect(getVmx(lines, 'annotation')).toBe('a |22quoted|22 note');
    expect(serializeVmx(lines)).toBe('# comment\nannotation = "a |22quoted|22 note"\nodd line\n');
    expect(() => setVmx(lines, 'annotation', 'say "hi"')).toThrow(TypeError);
  });
});
