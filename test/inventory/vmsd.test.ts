import { describe, expect, it } from 'vitest';
import { parseVmsd } from '../../src/inventory/vmsd.js';
import { vmsdText } from './synthetic.js';

describe('parseVmsd', () => {
  it('reads the entries ESXi writes, with the signed low half of the create time', () => {
    const v = parseVmsd(vmsdText('web'));
    expect(v.numSnapshots).toBe(1);
    expect(v.current).toBe('1');
    expect(v.snapshots).toEqual([
      {
        index: 0,
        uid: '1',
        displayName: 'smvi_daily_novmsnap_recent',
        description: 'Backup taken by NetApp Virtual Storage Console',
        filename: 'web-Snapshot1.vmsn',
        createdAt: new Date(Math.floor((410000 * 2 ** 32 + (2 ** 32 - 1234567)) / 1000)).toISOString(),
        disks: ['web.vmdk'],
      },
    ]);
  });

  it('several snapshots in index order, |XX escapes, CRLF, keys in any case', () => {
    const text = [
      'snapshot1.uid = "7"',
      'snapshot1.displayName = "smvi_b|22quoted|22 |7C pipe"',
      'snapshot0.UID = "3"',
      'snapshot0.displayname = "before upgrade"',
      'snapshot0.createTimeHigh = "1"',
      'snapshot0.createTimeLow = "0"',
      'snapshot.numSnapshots = "2"',
    ].join('\r\n');
    const v = parseVmsd(text);
    expect(v.snapshots.map((s) => [s.index, s.uid, s.displayName])).toEqual([
      [0, '3', 'before upgrade'],
      [1, '7', 'smvi_b"quoted" | pipe'],
    ]);
    expect(v.snapshots[0]?.createdAt).toBe(new Date(Math.floor(2 ** 32 / 1000)).toISOString());
    expect(v.snapshots[1]?.createdAt).toBeNull();
  });

  it('survives a half-written or empty file', () => {
    expect(parseVmsd('')).toEqual({ numSnapshots: null, current: null, snapshots: [], unread: [] });
    const v = parseVmsd(
      'garbage line\n\u0000\u0000\nsnapshot0.displayName = "smvi_x\nsnapshot0.createTimeHigh = "abc"\nsnapshot.numSnapshots = "x"',
    );
    expect(v.numSnapshots).toBeNull();
    expect(v.snapshots).toHaveLength(1);
    expect(v.snapshots[0]?.displayName).toBe('smvi_x');
    expect(v.snapshots[0]?.createdAt).toBeNull();
    expect(v.unread).toEqual([1, 2]);
  });
});
