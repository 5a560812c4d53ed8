import { describe, expect, it } from 'vitest';
import { parseProcessList } from '../../../src/adapters/esxi/esxcli.js';
import { parseGetAllVms } from '../../../src/adapters/esxi/getallvms.js';
import { formatGetAllVms } from '../../../src/lab/esxi-format.js';

/** A display name with a newline: vim-cmd and esxcli print it as it is, across two lines. */
describe('a control character in a display name: the VM keeps its name, the host still parses', () => {
  const rows = [
    { vmid: 1, name: 'web01', file: '[ds] web01/web01.vmx', guest: 'rhel8_64Guest', version: 'vmx-19', annotation: '' },
    { vmid: 2, name: 'evil\nname', file: '[ds] evil/evil.vmx', guest: 'rhel8_64Guest', version: 'vmx-19', annotation: '' },
    { vmid: 3, name: 'db01', file: '[ds] db01/db01.vmx', guest: 'rhel8_64Guest', version: 'vmx-19', annotation: 'notes\n12 lines' },
    { vmid: 4, name: 'cr\rname', file: '[ds] cr/cr.vmx', guest: 'rhel8_64Guest', version: 'vmx-19', annotation: '' },
    { vmid: 5, name: 'last', file: '[ds] last/last.vmx', guest: 'rhel8_64Guest', version: 'vmx-19', annotation: '' },
  ];

  it('getallvms: every VM, the newline kept in its name, annotations that start with digits left alone', () => {
    const text = formatGetAllVms(rows);
    const got = parseGetAllVms(text).vms;
    expect(got.map((v) => [v.vmid, v.name, v.path])).toEqual([
      [1, 'web01', 'web01/web01.vmx'],
      [2, 'evil\nname', 'evil/evil.vmx'],
      [3, 'db01', 'db01/db01.vmx'],
      [4, 'cr\rname', 'cr/cr.vmx'],
      [5, 'last', 'last/last.vmx'],
    ]);
    expect(got[2]?.annotation).toBe('notes\n12 lines');
  });

  it('getallvms: a name split over lines never swallows the next VM', () => {
    const text = [
      'Vmid   Name   File   Guest OS   Version   Annotation',
      '7      half',
      '8      next   [ds] next/next.vmx   otherGuest   vmx-19',
    ].join('\n');
    expect(() => parseGetAllVms(text)).toThrow(/line 2/);
  });

  it('esxcli vm process list: the name goes on in the title and after Display Name', () => {
    const text = [
      'web01',
      '   World ID: 1001',
      '   Process ID: 0',
      '   VMX Cartel ID: 1000',
      '   UUID: 56 4d 00',
      '   Display Name: web01',
      '   Config File: /vmfs/volumes/ds/web01/web01.vmx',
      '',
      'evil',
      'name',
      '   World ID: 1002',
      '   Process ID: 0',
      '   VMX Cartel ID: 1001',
      '   UUID: 56 4d 01',
      '   Display Name: evil',
      'name',
      '   Config File: /vmfs/volumes/ds/evil/evil.vmx',
      '',
    ].join('\n');
    const p = parseProcessList(text).processes;
    expect(p.map((x) => [x.worldId, x.title, x.displayName, x.configFile])).toEqual([
      [1001, 'web01', 'web01', '/vmfs/volumes/ds/web01/web01.vmx'],
      [1002, 'evil\nname', 'evil\nname', '/vmfs/volumes/ds/evil/evil.vmx'],
    ]);
    // Still an error: a title right after a block's fields, without the blank line.
    expect(() => parseProcessList('a\n   World ID: 1\nb\n')).toThrow(/a new block starts without a blank line/);
  });
});
