import { describe, expect, it } from 'vitest';
import { degradation, markDegraded } from '../../src/inventory/degraded.js';
import type { Site } from '../../src/runbook/site.js';
import { MIRROR, PRIMARY, capture, host, vm } from './synthetic.js';

const site = {
  site: 'lab',
  relationship: { source: PRIMARY, destination: MIRROR },
  datastores: {
    primary: { name: 'ds1', nfsHost: '10.0.0.1', share: '/vol1' },
    mirror: { name: 'ds2', nfsHost: '10.0.0.2', share: '/vol2' },
  },
} as unknown as Site;

const vms = (n: number) => Array.from({ length: n }, (_, i) => vm(`vm${i}`));
const good = capture('c1', '2026-12-01T00:00:00Z', vms(10), { hosts: [host('esx1'), host('esx2')] });

describe('degraded captures', () => {
  it('a capture with the primary datastore usable and the VMs there is not degraded', () => {
    expect(degradation(site, capture('c2', '2026-12-02T00:00:00Z', vms(9), { hosts: [host('esx1'), host('esx2')] }), good)).toBeNull();
    // A first capture has nothing to compare with.
    expect(degradation(site, capture('c0', '2026-12-02T00:00:00Z', [], { hosts: [host('esx1')] }), undefined)).toBeNull();
  });

  it('the primary datastore missing or inaccessible on every host read', () => {
    const gone = [
      host('esx1', { nfs: [] }),
      host('esx2', { nfs: [{ volumeName: 'ds1', host: '10.0.0.1', share: '/vol1', accessible: false, mounted: true, readOnly: false }] }),
    ];
    const d = degradation(site, capture('c3', '2026-12-02T00:00:00Z', [], { hosts: gone }), good);
    expect(d?.degraded).toEqual({ reason: 'primary-datastore-lost' });
    expect(d?.finding).toMatchObject({
      code: 'degraded-capture',
      severity: 'error',
      detail: { key: 'degradedDatastore', params: { datastore: 'ds1', hosts: 'esx1, esx2' } },
    });
    // One host still seeing it is not the disaster.
    expect(degradation(site, capture('c4', '2026-12-02T00:00:00Z', vms(10), { hosts: [gone[0]!, host('esx2')] }), good)).toBeNull();
  });

  it('far fewer VMs on the primary than the last good capture', () => {
    const d = degradation(site, capture('c5', '2026-12-02T00:00:00Z', vms(4), { hosts: [host('esx1'), host('esx2')] }), good);
    expect(d?.degraded).toEqual({ reason: 'far-fewer-vms' });
    expect(d?.finding.detail).toEqual({ key: 'degradedFewer', params: { vms: 4, previous: 10, capture: 'c1' } });
    const marked = markDegraded(capture('c5', '2026-12-02T00:00:00Z', vms(4)), d!);
    expect(marked.degraded).toEqual({ reason: 'far-fewer-vms' });
    expect(marked.audit.findings[0]!.code).toBe('degraded-capture');
  });
});
