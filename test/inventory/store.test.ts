import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/journal/db.js';
import { carryForward } from '../../src/inventory/carry.js';
import { CaptureStore, newCaptureId } from '../../src/inventory/store.js';
import { OperatorError } from '../../src/errors.js';
import { capture, host, vm } from './synthetic.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drbook-store-'));
  db = openDatabase(path.join(dir, 'drbook.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CaptureStore', () => {
  it('latest() is the newest good capture: a degraded one is kept and shown by newest(), never the default', () => {
    const store = new CaptureStore(db);
    const good = capture('20261120-010000-aaaa', '2026-11-20T01:00:00.000Z', [vm('web 01')]);
    const after = capture('20261121-010000-bbbb', '2026-11-21T01:00:00.000Z', [], { degraded: { reason: 'primary-datastore-lost' } });
    for (const c of [good, after]) store.save(c);
    expect(store.latest(good.site)?.id).toBe(good.id);
    expect(store.newest(good.site)).toEqual(after);
    expect(store.list(good.site).map((c) => c.id)).toEqual([after.id, good.id]);
  });

  it('saves captures whole and finds them by id, prefix, site and time', () => {
    const store = new CaptureStore(db);
    const a = capture('20261120-010000-aaaa', '2026-11-20T01:00:00.000Z', [vm('web 01'), vm('日本語')]);
    const b = capture('20261121-010000-bbbb', '2026-11-21T01:00:00.000Z', [vm('web 01')]);
    const other = capture('20261122-010000-cccc', '2026-11-22T01:00:00.000Z', [], { site: 'other' });
    b.audit.findings.push({ code: 'duplicate-name', severity: 'warning', vm: 'x', message: 'm' });
    for (const c of [a, b, other]) store.save(c);
    expect(store.get(a.id)).toEqual(a);
    expect(store.latest('lab')).toEqual(b);
    expect(store.latest('nope')).toBeUndefined();
    expect(store.list('lab')).toEqual([
      { id: b.id, site: 'lab', takenAt: b.takenAt, drbookVersion: '0.1.0', vms: 1, findings: 1 },
      { id: a.id, site: 'lab', takenAt: a.takenAt, drbookVersion: '0.1.0', vms: 2, findings: 0 },
    ]);
    expect(store.list().map((s) => s.id)).toEqual([other.id, b.id, a.id]);
    expect(store.sites()).toEqual(['lab', 'other']);
    expect(store.find('20261121')).toEqual(b);
    expect(() => store.find('2026112')).toThrow(OperatorError);
    expect(store.find('1999')).toBeUndefined();
    // Per-VM rows answer questions across history.
    const rows = db.prepare("SELECT capture_id FROM capture_vms WHERE name = 'web 01' ORDER BY capture_id").all();
    expect(rows).toEqual([{ capture_id: a.id }, { capture_id: b.id }]);
  });

  it('a capture is immutable', () => {
    const store = new CaptureStore(db);
    const a = capture('20261120-010000-aaaa', '2026-11-20T01:00:00.000Z', [vm('web')]);
    store.save(a);
    expect(() => db.prepare("UPDATE captures SET site = 'x'").run()).toThrow('captures are immutable');
    expect(() => db.prepare('DELETE FROM captures').run()).toThrow('captures are immutable');
    expect(() => db.prepare("UPDATE capture_vms SET name = 'x'").run()).toThrow('captures are immutable');
    expect(() => db.prepare('DELETE FROM capture_vms').run()).toThrow('captures are immutable');
    expect(() => store.save(a)).toThrow(/UNIQUE/);
    expect(store.get(a.id)).toEqual(a);
  });

  it('capture ids sort by time', () => {
    expect(newCaptureId(new Date(Date.UTC(2026, 10, 22, 1, 42, 7)))).toMatch(/^20261122-014207-[0-9a-f]{4}$/);
  });
});

describe('carryForward', () => {
  it('keeps the last good data of an unreachable host, marked with where it comes from', () => {
    const prev = capture('20261120-010000-aaaa', '2026-11-20T01:00:00.000Z', [
      vm('a', { host: 'esx1' }),
      vm('b', { host: 'esx2', vmid: '2' }),
    ]);
    prev.hosts = [host('esx1'), host('esx2', { lockdown: true })];
    const now = carryForward(
      [host('esx1'), { name: 'esx2', reachable: false, error: 'timeout', nfs: [] }],
      [vm('a2', { host: 'esx1' })],
      prev,
    );
    expect(now.hosts[1]).toEqual({ ...host('esx2', { lockdown: true }), reachable: false, error: 'timeout', carriedFrom: prev.id });
    expect(now.vms.map((v) => [v.name, v.carriedFrom])).toEqual([
      ['a2', undefined],
      ['b', prev.id],
    ]);
    // A third capture with the host still down keeps pointing at the capture that saw it.
    const prev2 = capture('20261121-010000-bbbb', '2026-11-21T01:00:00.000Z', now.vms, { hosts: now.hosts });
    const again = carryForward([host('esx1'), { name: 'esx2', reachable: false, nfs: [] }], [], prev2);
    expect(again.hosts[1]?.carriedFrom).toBe(prev.id);
    expect(again.hosts[1]?.error).toBeUndefined();
    expect(again.vms.map((v) => [v.name, v.carriedFrom])).toEqual([['b', prev.id]]);
  });

  it('without a previous capture an unreachable host stays empty', () => {
    const hosts = [{ name: 'esx2', reachable: false, error: 'x', nfs: [] }];
    expect(carryForward(hosts, [], undefined)).toEqual({ hosts, vms: [] });
  });
});
