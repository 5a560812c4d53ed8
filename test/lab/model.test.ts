import { describe, expect, it } from 'vitest';
import { NO_FAULTS, parseFaults } from '../../src/lab/faults.js';
import {
  backup,
  cloneVolume,
  createState,
  currentDisk,
  diskChainOk,
  disaster,
  mirrorVolume,
  netappSnapshotCreate,
  primaryVolume,
  restoreFile,
  snapRestore,
  tick,
  vmMarker,
  vmSnapshotCreate,
  vmSnapshotRemove,
  vmSnapshotRevert,
  type LabState,
} from '../../src/lab/model.js';
import { OperatorError } from '../../src/errors.js';

const T0 = Date.UTC(2026, 0, 5, 3, 4, 5);

function site(jobs = 1, faults = NO_FAULTS): LabState {
  return createState({ hosts: 2, vms: 8, jobs, seed: 3, names: 'plain', faults, now: T0 });
}
const vmxOf = (s: LabState, name: string): string => {
  const vm = s.vms.find((v) => v.name === name)!;
  return `${vm.dir}/${vm.base}.vmx`;
};

describe('lab model: VMware snapshots and markers', () => {
  it('writes after a snapshot land in the delta; revert discards them; remove after revert merges nothing', () => {
    const s = site();
    const files = primaryVolume(s).files;
    const vmx = vmxOf(s, 'dc01');
    const m0 = vmMarker(files, vmx)!;
    const uid = vmSnapshotCreate(files, vmx, { name: 'x', description: '', time: T0, poweredOn: true, memory: false, quiesced: true });
    expect(currentDisk(files, vmx)).toMatch(/dc01-000001\.vmdk$/);
    tick(s);
    tick(s);
    expect(vmMarker(files, vmx)).toBe(m0 + 2);
    expect(files['dc01/dc01.vmdk']).toContain(`ddb.drbookMarker = "${m0}"`);
    vmSnapshotRevert(files, vmx, uid);
    expect(vmMarker(files, vmx)).toBe(m0);
    vmSnapshotRemove(files, vmx, uid);
    expect(vmMarker(files, vmx)).toBe(m0);
    expect(currentDisk(files, vmx)).toBe('dc01/dc01.vmdk');
    expect(Object.keys(files).filter((k) => k.startsWith('dc01/'))).toEqual(
      expect.not.arrayContaining(['dc01/dc01-000001.vmdk', 'dc01/dc01-Snapshot1.vmsn']),
    );
    expect(diskChainOk(files, vmx)).toBe(true);
  });

  it('removing a snapshot without revert consolidates the delta into the base', () => {
    const s = site();
    const files = primaryVolume(s).files;
    const vmx = vmxOf(s, 'web01');
    const m0 = vmMarker(files, vmx)!;
    const uid = vmSnapshotCreate(files, vmx, { name: 'x', description: '', time: T0, poweredOn: true, memory: false, quiesced: false });
    tick(s);
    vmSnapshotRemove(files, vmx, uid);
    expect(vmMarker(files, vmx)).toBe(m0 + 1);
    expect(currentDisk(files, vmx)).toBe(`${vmx.split('/')[0]}/${vmx.split('/')[1]!.replace('.vmx', '.vmdk')}`);
  });
});

describe('lab model: NetApp snapshots, SnapRestore, restore-file, FlexClone', () => {
  it('SnapRestore replaces the files and deletes newer snapshots', () => {
    const s = site();
    const v = primaryVolume(s);
    const vmx = vmxOf(s, 'dc01');
    const m0 = vmMarker(v.files, vmx);
    netappSnapshotCreate(v, 'a', T0 + 1000);
    tick(s);
    netappSnapshotCreate(v, 'b', T0 + 2000);
    tick(s);
    v.files['junk/new.txt'] = 'x';
    expect(snapRestore(v, 'a')).toBe(true);
    expect(vmMarker(v.files, vmx)).toBe(m0);
    expect(v.files['junk/new.txt']).toBeUndefined();
    expect(v.snapshots.map((x) => x.name)).toEqual(['a']);
    expect(snapRestore(v, 'b')).toBe(false);
  });

  it('restore-file copies one file back and leaves the others and the snapshots alone', () => {
    const s = site();
    const v = primaryVolume(s);
    const vmx = vmxOf(s, 'app01');
    const disk = currentDisk(v.files, vmx)!;
    const m0 = vmMarker(v.files, vmx)!;
    netappSnapshotCreate(v, 'a', T0 + 1000);
    tick(s);
    const other = vmxOf(s, 'dc01');
    const otherMarker = vmMarker(v.files, other);
    expect(restoreFile(v, 'a', `/${disk}`)).toBe('ok');
    expect(vmMarker(v.files, vmx)).toBe(m0);
    expect(vmMarker(v.files, other)).toBe(otherMarker);
    expect(v.snapshots).toHaveLength(1);
    expect(restoreFile(v, 'a', '/nope')).toBe('no-file');
    expect(restoreFile(v, 'zz', `/${disk}`)).toBe('no-snapshot');
  });

  it('a FlexClone is a new RW volume with the snapshot content; the parent is untouched', () => {
    const s = site();
    backup(s, 'job1', () => false, T0 + 10_000);
    const m = mirrorVolume(s);
    const clone = cloneVolume(s, m, 'smvi__job1_recent', 'svm2', 'drill1', '/drill1');
    if (typeof clone === 'string') throw new Error(clone);
    expect(clone.type).toBe('RW');
    expect(clone.files).toEqual(m.snapshots.find((x) => x.name === 'smvi__job1_recent')!.files);
    clone.files['x/y'] = 'z';
    expect(m.files['x/y']).toBeUndefined();
    expect(typeof cloneVolume(s, m, 'missing', 'svm2', 'drill2', null)).toBe('string');
  });
});

describe('lab model: VSC jobs', () => {
  it('splits VMs round-robin across jobs; each backup quiesces only its job', () => {
    const s = site(2);
    const j1 = s.vms.filter((v) => v.job === 'job1').map((v) => v.name);
    const j2 = s.vms.filter((v) => v.job === 'job2').map((v) => v.name);
    expect(j1.length + j2.length).toBe(7);
    expect(Math.abs(j1.length - j2.length)).toBeLessThanOrEqual(1);
    const b1 = backup(s, 'job1', () => false, T0);
    const b2 = backup(s, 'job2', () => false, T0);
    expect(Object.keys(b1.quiesced).sort()).toEqual([...j1].sort());
    expect(Object.keys(b2.quiesced).sort()).toEqual([...j2].sort());
    expect(Date.parse(b2.time)).toBeGreaterThan(Date.parse(b1.time));
    expect(mirrorVolume(s).snapshots.map((x) => x.name)).toEqual(expect.arrayContaining(['smvi__job1_recent', 'smvi__job2_recent']));
  });

  it('a failed VMware snapshot and a powered-off VM have no quiesce point; the job still succeeds', () => {
    const s = createState({
      hosts: 2,
      vms: 6,
      jobs: 1,
      seed: 3,
      names: 'plain',
      faults: { vms: { web01: { snapshotFails: true }, app01: { poweredOffAtBackup: true } }, hosts: {} },
      now: T0,
    });
    const b = backup(s, 'job1', (vm) => vm === 'web01', T0);
    expect(b.quiesced.web01).toBeNull();
    expect(b.quiesced.app01).toBeNull();
    expect(b.quiesced.dc01).toEqual(expect.any(Number));
  });

  it('the disaster takes the primary offline; backups then fail', () => {
    const s = site();
    disaster(s);
    expect(primaryVolume(s).state).toBe('offline');
    expect(() => backup(s, 'job1', () => false)).toThrow(/offline/);
  });
});

describe('lab faults file', () => {
  it('accepts the documented format', () => {
    const f = parseFaults(
      'vms:\n  web01: {stuck: hard, snapshotFails: true}\n  app01: {vmxName: other, duplicateOf: web01}\nhosts:\n  esx01: {refuse: true}\n  esx02: {dropAfter: 3, slowMs: 20, failFirst: {match: registervm, times: 2}}\n',
      'f.yaml',
    );
    expect(f.vms.web01).toEqual({ stuck: 'hard', snapshotFails: true });
    expect(f.hosts.esx02!.failFirst).toEqual({ match: 'registervm', times: 2 });
  });

  it('names the field and the line of a mistake', () => {
    expect(() => parseFaults('vms:\n  web01:\n    stuck: sometimes\n', 'f.yaml')).toThrow(OperatorError);
    expect(() => parseFaults('vms:\n  web01:\n    stuck: sometimes\n', 'f.yaml')).toThrow(/f\.yaml:3: faults field vms\.web01\.stuck/);
  });
});
