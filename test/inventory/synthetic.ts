import type { MirrorDirListing } from '../../src/inventory/audit.js';
import type { Capture, CapturedHost, CapturedVm, CapturedVolume } from '../../src/inventory/types.js';

/** Synthetic capture data for the inventory tests: a two-host site with one VSC job "daily". */

export const PRIMARY = 'svm1:vol1';
export const MIRROR = 'svm2:vol2';

export function vm(name: string, over: Partial<CapturedVm> = {}): CapturedVm {
  const dir = over.vmxDir ?? name;
  const file = over.vmxFile ?? `${name}.vmx`;
  return {
    name,
    vmid: '1',
    host: 'esx1',
    datastore: 'ds1',
    vmxDir: dir,
    vmxFile: file,
    vmxPath: `[ds1] ${dir}/${file}`,
    guestOs: 'rhel9_64Guest',
    power: 'on',
    uuidBios: `uuid-${name}`,
    uuidLocation: `loc-${name}`,
    annotation: '',
    volume: PRIMARY,
    isVcenter: false,
    ...over,
  };
}

export function host(name: string, over: Partial<CapturedHost> = {}): CapturedHost {
  return {
    name,
    reachable: true,
    esxiVersion: '8.0.2',
    build: 'Releasebuild-22380479',
    lockdown: false,
    nfs: [{ volumeName: 'ds1', host: '10.0.0.1', share: '/vol1', accessible: true, mounted: true, readOnly: false }],
    ...over,
  };
}

export function volumes(snapshots: Array<[string, string]>, relationship = true): CapturedVolume[] {
  return [
    { path: PRIMARY, role: 'primary', relationships: [], snapshots: [] },
    {
      path: MIRROR,
      role: 'mirror',
      relationships: relationship
        ? [{ source: PRIMARY, destination: MIRROR, type: 'XDP', state: 'snapmirrored', status: 'idle', healthy: true, lagTime: '0:12:1' }]
        : [],
      snapshots: snapshots.map(([name, createTime]) => ({ name, createTime })),
    },
  ];
}

/** VMware's config-file escaping: `"`, `|`, `#` and control characters become `|XX`. */
export function vmxEscape(v: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what VMware escapes
  return v.replace(/[\u0000-\u001f"|#]/g, (c) => `|${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A .vmsd holding one VSC snapshot, as ESXi writes it. */
export function vmsdText(rawName: string, displayName = 'smvi_daily_novmsnap_recent'): string {
  const vmName = vmxEscape(rawName);
  return [
    '.encoding = "UTF-8"',
    'snapshot.lastUID = "1"',
    'snapshot.current = "1"',
    'snapshot0.uid = "1"',
    `snapshot0.filename = "${vmName}-Snapshot1.vmsn"`,
    `snapshot0.displayName = "${displayName}"`,
    'snapshot0.description = "Backup taken by NetApp Virtual Storage Console"',
    'snapshot0.createTimeHigh = "410000"',
    'snapshot0.createTimeLow = "-1234567"',
    'snapshot0.numDisks = "1"',
    `snapshot0.disk0.fileName = "${vmName}.vmdk"`,
    'snapshot0.disk0.node = "scsi0:0"',
    'snapshot.numSnapshots = "1"',
    '',
  ].join('\n');
}

/** The VM folder as it looks inside a VSC snapshot: with the quiesce point, or without. */
export function listing(snapshot: string, v: CapturedVm, quiesced: boolean): MirrorDirListing {
  const base = v.vmxFile.replace(/\.vmx$/, '');
  const files = [v.vmxFile, `${base}.vmdk`, `${base}-flat.vmdk`, `${base}.nvram`];
  if (!quiesced) return { snapshot, vmxDir: v.vmxDir, exists: true, files, vmsd: null };
  return {
    snapshot,
    vmxDir: v.vmxDir,
    exists: true,
    files: [...files, `${base}.vmsd`, `${base}-Snapshot1.vmsn`, `${base}-000001.vmdk`, `${base}-000001-delta.vmdk`],
    vmsd: vmsdText(base),
  };
}

export function capture(id: string, takenAt: string, vms: CapturedVm[], over: Partial<Capture> = {}): Capture {
  return {
    id,
    site: 'lab',
    takenAt,
    drbookVersion: '0.1.0',
    hosts: [host('esx1'), host('esx2')],
    vms,
    volumes: volumes([['smvi__daily_recent', '2026-11-21T23:00:00.000Z']]),
    audit: { vms: [], findings: [] },
    ...over,
  };
}
