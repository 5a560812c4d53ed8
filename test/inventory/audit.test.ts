import { describe, expect, it } from 'vitest';
import { auditCapture, quiescePointOf, smviJob, vmxFileMatches, type AuditInput } from '../../src/inventory/audit.js';
import { MIRROR, PRIMARY, host, listing, vm, volumes } from './synthetic.js';

const RECENT = 'smvi__daily_recent';
const OLDER = 'smvi__daily_20261120230000';
const WEEKLY = 'smvi__weekly_recent';

function site(): AuditInput {
  const good = vm('good');
  const failedSnap = vm('failed-snap', { vmid: '2' });
  const poweredOff = vm('powered-off', { vmid: '3', power: 'off' });
  const odd = vm('日本語 VM', { vmid: '4', vmxDir: 'oldname', vmxFile: 'oldname.vmx' });
  const dup1 = vm('dup', { vmid: '5', vmxDir: 'dup' });
  const dup2 = vm('dup', { vmid: '6', host: 'esx2', vmxDir: 'dup_1', vmxFile: 'dup.vmx', uuidBios: 'uuid-dup2' });
  const fresh = vm('fresh', { vmid: '7' });
  const vcenter = vm('vcsa', { vmid: '8', isVcenter: true });
  const elsewhere = vm('elsewhere', { vmid: '9', datastore: 'local', volume: null });
  const weekly = vm('weekly-vm', { vmid: '10' });
  const noVmsn = vm('no-vmsn', { vmid: '11' });
  const vms = [good, failedSnap, poweredOff, odd, dup1, dup2, fresh, vcenter, elsewhere, weekly, noVmsn];
  const broken = listing(RECENT, noVmsn, true);
  broken.files = broken.files.filter((f) => !f.endsWith('.vmsn'));
  return {
    vms,
    hosts: [host('esx1'), host('esx2'), host('esx3', { reachable: false, error: 'connect ECONNREFUSED', nfs: [] })],
    volumes: volumes([
      [RECENT, '2026-11-21T23:00:00.000Z'],
      [OLDER, '2026-11-20T23:00:00.000Z'],
      [WEEKLY, '2026-11-19T23:00:00.000Z'],
      ['snapmirror.1234_2147484690.2026-11-21_230500', '2026-11-21T23:05:00.000Z'],
    ]),
    primaryVolume: PRIMARY,
    mirrorVolume: MIRROR,
    listings: [
      listing(RECENT, good, true),
      listing(OLDER, good, true),
      listing(RECENT, failedSnap, false),
      listing(OLDER, failedSnap, true),
      listing(RECENT, poweredOff, false),
      listing(OLDER, poweredOff, false),
      listing(RECENT, odd, true),
      listing(RECENT, dup1, true),
      listing(RECENT, dup2, true),
      { snapshot: RECENT, vmxDir: 'fresh', exists: false, files: [], vmsd: null },
      listing(RECENT, vcenter, false),
      listing(RECENT, weekly, false),
      listing(WEEKLY, weekly, true),
      broken,
    ],
  };
}

describe('auditCapture', () => {
  it('reports each finding once, on the right VM, and nothing for the healthy ones', () => {
    const { audit, vms } = auditCapture(site());
    const got = audit.findings.map((f) => [f.code, f.severity, f.vm ?? f.host ?? null]);
    expect(got).toEqual([
      ['host-unreachable', 'error', 'esx3'],
      ['no-quiesce-newest', 'error', 'failed-snap'],
      ['no-quiesce-any', 'error', 'powered-off'],
      ['not-replicated', 'error', 'fresh'],
      ['no-quiesce-any', 'error', 'no-vmsn'],
      ['vmx-name-mismatch', 'warning', '日本語 VM'],
      ['duplicate-name', 'warning', 'dup'],
    ]);
    const msg = (code: string): string => audit.findings.find((f) => f.code === code)?.message ?? '';
    expect(msg('no-quiesce-newest')).toBe(
      `failed-snap: no quiesce point in ${RECENT}, the newest backup of job daily: it would come back crash-consistent (last quiesce point: ${OLDER})`,
    );
    expect(msg('host-unreachable')).toBe('host esx3 could not be reached (connect ECONNREFUSED); none of its VMs are recorded');
    expect(msg('duplicate-name')).toBe('2 VMs are named "dup": esx1 [ds1] dup/dup.vmx; esx2 [ds1] dup_1/dup.vmx');
    expect(msg('vmx-name-mismatch')).toContain('[ds1] oldname/oldname.vmx');

    const job = Object.fromEntries(vms.map((v) => [`${v.name}@${v.host}`, v.job]));
    expect(job).toMatchObject({
      'good@esx1': 'daily',
      'failed-snap@esx1': 'daily',
      'powered-off@esx1': null,
      'weekly-vm@esx1': 'weekly',
      'elsewhere@esx1': null,
      'vcsa@esx1': null,
      'no-vmsn@esx1': null,
    });
    // Only VMs of the primary volume are audited; the others are left as they are.
    expect(audit.vms.map((a) => a.vm)).not.toContain('elsewhere');
  });

  it('records every point with the VMware snapshot VSC took', () => {
    const { audit } = auditCapture(site());
    const good = audit.vms.find((a) => a.vm === 'good');
    expect(good?.points.map((p) => [p.snapshot, p.job, p.quiesced])).toEqual([
      [RECENT, 'daily', true],
      [OLDER, 'daily', true],
    ]);
    expect(good?.points[0]?.vmwareSnapshot).toEqual({
      name: 'smvi_daily_novmsnap_recent',
      id: '1',
      createdAt: new Date(Math.floor((410000 * 2 ** 32 + (2 ** 32 - 1234567)) / 1000)).toISOString(),
    });
    expect(good?.points[0]?.files).toContain('good-000001.vmdk');
    const noVmsn = audit.vms.find((a) => a.vm === 'no-vmsn')?.points[0];
    expect(noVmsn?.quiesced).toBe(false);
    expect(noVmsn?.vmwareSnapshot?.name).toBe('smvi_daily_novmsnap_recent');
  });

  it('a primary volume without the relationship is one site-wide not-replicated finding', () => {
    const input = site();
    input.volumes = volumes([[RECENT, '2026-11-21T23:00:00.000Z']], false);
    const { audit } = auditCapture(input);
    const nr = audit.findings.filter((f) => f.code === 'not-replicated');
    expect(nr).toEqual([
      {
        code: 'not-replicated',
        severity: 'error',
        message: `no SnapMirror relationship ${PRIMARY} → ${MIRROR} was found: no VM of the primary volume is protected`,
        detail: { key: 'noRelationship', params: { source: PRIMARY, destination: MIRROR } },
      },
    ]);
  });

  it('without any VSC snapshot on the mirror every VM has no quiesce point', () => {
    const input = site();
    input.volumes = volumes([]);
    input.listings = [];
    input.hosts = [host('esx1')];
    input.vms = [vm('a'), vm('b', { vmid: '2' })];
    const { audit } = auditCapture(input);
    expect(audit.findings.map((f) => [f.code, f.vm])).toEqual([
      ['no-quiesce-any', 'a'],
      ['no-quiesce-any', 'b'],
    ]);
    expect(audit.findings[0]?.message).toContain('no VSC backup (smvi__ snapshot) on the mirror svm2:vol2');
  });

  it('an unreachable host whose data was carried forward says where it comes from', () => {
    const input = site();
    input.hosts = [host('esx3', { reachable: false, error: 'timeout', carriedFrom: '20261121-010000-abcd' })];
    const f = auditCapture(input).audit.findings[0];
    expect(f?.message).toBe('host esx3 could not be reached (timeout); its VMs are kept from capture 20261121-010000-abcd');
  });
});

describe('auditCapture when parts could not be read', () => {
  it('an unreachable cluster is a finding, and the relationships count as unknown, not absent', () => {
    const input = site();
    input.volumes = [];
    input.listings = [];
    input.unreachable = [{ name: 'cluster1', error: 'connect ETIMEDOUT', kept: false }];
    input.quiesceUnknown = 'the cluster cluster1 could not be reached, so the VSC snapshots are unknown';
    const { audit } = auditCapture(input);
    expect(audit.findings.filter((f) => f.code === 'host-unreachable').map((f) => [f.host, f.message])).toEqual([
      ['esx3', 'host esx3 could not be reached (connect ECONNREFUSED); none of its VMs are recorded'],
      ['cluster1', 'cluster1 could not be reached (connect ETIMEDOUT)'],
    ]);
    expect(audit.findings.some((f) => f.code === 'not-replicated')).toBe(false);
    // One site-wide line instead of a false "no quiesce point" per VM.
    expect(audit.findings.filter((f) => f.code === 'no-quiesce-any')).toEqual([
      {
        code: 'no-quiesce-any',
        severity: 'error',
        message: 'quiesce points not audited: the cluster cluster1 could not be reached, so the VSC snapshots are unknown',
        detail: {
          key: 'quiesceNotAudited',
          params: { reason: 'the cluster cluster1 could not be reached, so the VSC snapshots are unknown' },
        },
      },
    ]);
  });
});

describe('helpers', () => {
  it('smviJob reads job names with underscores and both suffixes', () => {
    expect(smviJob('smvi__daily_recent')).toEqual({ job: 'daily', recent: true });
    expect(smviJob('smvi__Backup_Job_20121029150009')).toEqual({ job: 'Backup_Job', recent: false });
    expect(smviJob('snapmirror.abc')).toBeNull();
    expect(smviJob('smvi__x_2012')).toBeNull();
  });

  it("vmxFileMatches accepts vSphere's own escaping of % / \\ in file names", () => {
    expect(vmxFileMatches('web 01.vmx', 'web 01')).toBe(true);
    expect(vmxFileMatches('a%2fb%25c%5Cd.vmx', 'a/b%c\\d')).toBe(true);
    expect(vmxFileMatches('a_b.vmx', 'a/b')).toBe(false);
    expect(vmxFileMatches('old.vmx', 'new')).toBe(false);
  });

  it('quiescePointOf needs the .vmsd entry, its .vmsn and a delta disk', () => {
    const v = vm('w');
    const full = listing(RECENT, v, true);
    expect(quiescePointOf(full).quiesced).toBe(true);
    expect(quiescePointOf({ ...full, files: full.files.filter((f) => !/-000001/.test(f)) }).quiesced).toBe(false);
    expect(quiescePointOf({ ...full, vmsd: full.vmsd?.replace(/smvi_/g, 'manual_') ?? null })).toEqual({ quiesced: false });
    expect(quiescePointOf({ ...full, exists: false })).toEqual({ quiesced: false });
  });
});
