import { describe, expect, it } from 'vitest';
import { diffCaptures, isEmptyDiff } from '../../src/inventory/diff.js';
import type { VcenterPlacement } from '../../src/inventory/types.js';
import { capture, vm } from './synthetic.js';

const at = (folder: string, resourcePool: string): { placement: VcenterPlacement } => ({
  placement: { datacenter: 'dc1', cluster: 'cluster1', host: 'esx1', folder, resourcePool, portGroups: ['VM Network'] },
});

describe('diffCaptures: vCenter placement', () => {
  it('lists VMs moved between folders and pools; a capture without vCenter is no move', () => {
    const a = capture('A', '2026-11-20T01:00:00.000Z', [
      vm('web', { uuidBios: 'u-w', ...at('/dc1/vm/prod/web', '/dc1/host/cluster1/Resources/gold') }),
      vm('db', { uuidBios: 'u-d', ...at('/dc1/vm/prod/db', '/dc1/host/cluster1/Resources/gold') }),
      vm('same', { uuidBios: 'u-s', ...at('/dc1/vm/infra', '/dc1/host/cluster1/Resources/infra') }),
      vm('unread', { uuidBios: 'u-u', ...at('/dc1/vm/test', '/dc1/host/cluster1/Resources') }),
    ]);
    const b = capture('B', '2026-11-21T01:00:00.000Z', [
      vm('web', { uuidBios: 'u-w', ...at('/dc1/vm', '/dc1/host/cluster1/Resources/gold') }),
      vm('db', { uuidBios: 'u-d', ...at('/dc1/vm/prod/db', '/dc1/host/cluster1/Resources/silver') }),
      vm('same', { uuidBios: 'u-s', ...at('/dc1/vm/infra', '/dc1/host/cluster1/Resources/infra') }),
      vm('unread', { uuidBios: 'u-u' }),
    ]);
    const d = diffCaptures(a, b);
    expect(d.placementMoved.map((p) => [p.vm.name, p.from, p.to])).toEqual([
      [
        'web',
        { folder: '/dc1/vm/prod/web', resourcePool: '/dc1/host/cluster1/Resources/gold' },
        { folder: '/dc1/vm', resourcePool: '/dc1/host/cluster1/Resources/gold' },
      ],
      [
        'db',
        { folder: '/dc1/vm/prod/db', resourcePool: '/dc1/host/cluster1/Resources/gold' },
        { folder: '/dc1/vm/prod/db', resourcePool: '/dc1/host/cluster1/Resources/silver' },
      ],
    ]);
    expect(d.moved).toEqual([]);
    expect(isEmptyDiff(d)).toBe(false);
    expect(isEmptyDiff(diffCaptures(b, b))).toBe(true);
  });
});
