import { describe, expect, it } from 'vitest';
import { diffCaptures, isEmptyDiff } from '../../src/inventory/diff.js';
import { capture, vm } from './synthetic.js';

describe('diffCaptures', () => {
  it('finds added, removed, renamed (same uuid) and moved (other host or vmx path)', () => {
    const a = capture('A', '2026-11-20T01:00:00.000Z', [
      vm('keep'),
      vm('old name', { uuidBios: 'u-r' }),
      vm('mover', { uuidBios: 'u-m' }),
      vm('gone'),
      vm('path-mover', { uuidBios: 'u-p' }),
    ]);
    const b = capture('B', '2026-11-21T01:00:00.000Z', [
      vm('keep'),
      // A rename in vSphere keeps the folder and the .vmx file.
      vm('新しい名前', { uuidBios: 'u-r', vmxDir: 'old name', vmxFile: 'old name.vmx' }),
      vm('mover', { uuidBios: 'u-m', host: 'esx2' }),
      vm('path-mover', { uuidBios: 'u-p', vmxDir: 'elsewhere' }),
      vm('new'),
    ]);
    const d = diffCaptures(a, b);
    expect(d.from).toBe('A');
    expect(d.to).toBe('B');
    expect(d.added.map((v) => v.name)).toEqual(['new']);
    expect(d.removed.map((v) => v.name)).toEqual(['gone']);
    expect(d.renamed.map((r) => [r.from, r.to])).toEqual([['old name', '新しい名前']]);
    expect(d.moved.map((m) => [m.vm.name, m.from, m.to])).toEqual([
      ['mover', { host: 'esx1', vmxPath: '[ds1] mover/mover.vmx' }, { host: 'esx2', vmxPath: '[ds1] mover/mover.vmx' }],
      [
        'path-mover',
        { host: 'esx1', vmxPath: '[ds1] path-mover/path-mover.vmx' },
        { host: 'esx1', vmxPath: '[ds1] elsewhere/path-mover.vmx' },
      ],
    ]);
    expect(isEmptyDiff(d)).toBe(false);
    expect(isEmptyDiff(diffCaptures(a, a))).toBe(true);
  });

  it('VMs sharing a uuid pair with their own record; VMs without a uuid match by name', () => {
    const a = capture('A', '2026-11-20T01:00:00.000Z', [
      vm('twin-1', { uuidBios: 'same' }),
      vm('twin-2', { uuidBios: 'same', host: 'esx2' }),
      vm('nouuid', { uuidBios: '' }),
    ]);
    const b = capture('B', '2026-11-21T01:00:00.000Z', [
      vm('twin-2', { uuidBios: 'same', host: 'esx2' }),
      vm('twin-1 renamed', { uuidBios: 'same', vmxDir: 'twin-1', vmxFile: 'twin-1.vmx' }),
      vm('nouuid', { uuidBios: '', host: 'esx2' }),
      vm('other-nouuid', { uuidBios: '' }),
    ]);
    const d = diffCaptures(a, b);
    expect(d.renamed.map((r) => [r.from, r.to])).toEqual([['twin-1', 'twin-1 renamed']]);
    expect(d.moved.map((m) => m.vm.name)).toEqual(['nouuid']);
    expect(d.added.map((v) => v.name)).toEqual(['other-nouuid']);
    expect(d.removed).toEqual([]);
  });
});
