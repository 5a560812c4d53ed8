import type {
  CaptureAudit,
  CapturedHost,
  CapturedVm,
  CapturedVolume,
  Finding,
  FindingDetail,
  QuiescePoint,
  VmAudit,
  VmwareSnapshotRef,
  VolumeSnapshot,
} from './types.js';
import { parseVmsd } from './vmsd.js';
import { hasControl } from '../text/control.js';

/**
 * The backup-coverage audit, as a pure function of what the capture collected. VSC reports a job
 * as successful even when a VM's VMware snapshot failed; the only proof of a quiesce point is the
 * VM's folder inside the NetApp snapshot on the mirror: a .vmsd entry named `smvi_…`, its .vmsn,
 * and a delta disk.
 */

/** A VM folder as read through `/vmfs/volumes/<mirror ds>/.snapshot/<snapshot>/<vmxDir>/`. */
export interface MirrorDirListing {
  snapshot: string;
  vmxDir: string;
  /** False when the folder is not in that snapshot at all. */
  exists: boolean;
  files: string[];
  /** The text of the folder's .vmsd, or null when there is none (or it could not be read). */
  vmsd: string | null;
}

export interface AuditInput {
  vms: CapturedVm[];
  hosts: CapturedHost[];
  volumes: CapturedVolume[];
  /** `svm:vol` of the relationship source (datastore 1) and destination (datastore 2). */
  primaryVolume: string;
  mirrorVolume: string;
  listings: MirrorDirListing[];
  /** Devices other than the ESXi hosts (the ONTAP cluster) that could not be reached. */
  unreachable?: Array<{ name: string; error: string; kept: boolean }>;
  /** Set when the VSC snapshots could not be read at all: says why, instead of a finding per VM. */
  quiesceUnknown?: string;
  /** The same reason as a catalogue sentence, for a localized rendering. */
  quiesceUnknownDetail?: FindingDetail;
}

export interface AuditResult {
  audit: CaptureAudit;
  /** The input VMs with `job` set: the VSC job whose snapshots hold their quiesce points. */
  vms: CapturedVm[];
}

export interface SmviSnapshot extends VolumeSnapshot {
  job: string;
  recent: boolean;
}

const SMVI = /^smvi__(.+)_(recent|\d{14})$/;
const DELTA_DISK = /-\d{6}\.vmdk$/;

/** `smvi__<job>_recent` / `smvi__<job>_<YYYYMMDDhhmmss>` → its job; anything else → null. */
export function smviJob(snapshot: string): { job: string; recent: boolean } | null {
  const m = SMVI.exec(snapshot);
  return m ? { job: m[1] as string, recent: m[2] === 'recent' } : null;
}

/** The VSC snapshots of a volume, newest first. */
export function smviSnapshots(volume: CapturedVolume | undefined): SmviSnapshot[] {
  if (!volume) return [];
  const out: SmviSnapshot[] = [];
  for (const s of volume.snapshots) {
    const j = smviJob(s.name);
    if (j) out.push({ ...s, ...j });
  }
  // `_recent` is the newest of its job whatever the clock says; otherwise by time, then by name.
  return out.sort(
    (a, b) => b.createTime.localeCompare(a.createTime) || Number(b.recent) - Number(a.recent) || a.name.localeCompare(b.name),
  );
}

/** The newest backup of each job: its `_recent` snapshot, else its newest one. */
function newestPerJob(snaps: SmviSnapshot[]): Map<string, SmviSnapshot> {
  const out = new Map<string, SmviSnapshot>();
  for (const s of snaps) {
    const cur = out.get(s.job);
    if (!cur || (s.recent && !cur.recent)) out.set(s.job, s);
  }
  return out;
}

/** Does this folder listing hold VSC's VMware snapshot? */
export function quiescePointOf(listing: MirrorDirListing): { quiesced: boolean; vmwareSnapshot?: VmwareSnapshotRef } {
  if (!listing.exists || listing.vmsd === null) return { quiesced: false };
  const files = new Set(listing.files);
  const hasDelta = listing.files.some((f) => DELTA_DISK.test(f));
  const entries = parseVmsd(listing.vmsd).snapshots.filter((s) => s.displayName.startsWith('smvi_'));
  // Prefer a complete entry (its .vmsn present); among those, the newest.
  const ranked = [...entries].sort(
    (a, b) =>
      Number(b.filename !== null && files.has(b.filename)) - Number(a.filename !== null && files.has(a.filename)) ||
      (b.createdAt ?? '').localeCompare(a.createdAt ?? ''),
  );
  const best = ranked[0];
  if (!best) return { quiesced: false };
  const vmwareSnapshot: VmwareSnapshotRef = { name: best.displayName, id: best.uid ?? String(best.index), createdAt: best.createdAt };
  const quiesced = best.filename !== null && files.has(best.filename) && hasDelta;
  return { quiesced, vmwareSnapshot };
}

const key = (snapshot: string, dir: string): string => `${snapshot}\u0000${dir}`;

/**
 * Whether a .vmx file name is the VM's display name. vSphere writes `%`, `/` and `\\` in file
 * names as `%25`, `%2f`, `%5c`; those are the same name, not a mismatch.
 */
export function vmxFileMatches(vmxFile: string, name: string): boolean {
  if (vmxFile === `${name}.vmx`) return true;
  const decoded = vmxFile.replace(/%(25|2f|5c)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return decoded === `${name}.vmx`;
}

export function auditCapture(input: AuditInput): AuditResult {
  const findings: Finding[] = [];
  const listings = new Map(input.listings.map((l) => [key(l.snapshot, l.vmxDir), l]));
  const mirror = input.volumes.find((v) => v.path === input.mirrorVolume);
  const snaps = smviSnapshots(mirror);
  const newest = newestPerJob(snaps);

  for (const h of input.hosts) {
    if (h.reachable) continue;
    findings.push({
      code: 'host-unreachable',
      severity: 'error',
      host: h.name,
      message:
        `host ${h.name} could not be reached${h.error ? ` (${h.error})` : ''}` +
        (h.carriedFrom ? `; its VMs are kept from capture ${h.carriedFrom}` : '; none of its VMs are recorded'),
      detail: h.carriedFrom
        ? { key: 'hostUnreachableKept', params: { host: h.name, error: h.error ?? '', capture: h.carriedFrom } }
        : { key: 'hostUnreachableLost', params: { host: h.name, error: h.error ?? '' } },
    });
  }

  for (const d of input.unreachable ?? []) {
    findings.push({
      code: 'host-unreachable',
      severity: 'error',
      host: d.name,
      message: `${d.name} could not be reached (${d.error})${d.kept ? '; its volumes, relationships and snapshots are kept from the previous capture' : ''}`,
      detail: { key: d.kept ? 'deviceUnreachableKept' : 'deviceUnreachable', params: { device: d.name, error: d.error } },
    });
  }

  // With the cluster unreachable the relationships are unknown, not absent.
  const clusterKnown = (input.unreachable ?? []).length === 0;
  const covered =
    !clusterKnown ||
    input.volumes.some((v) => v.relationships.some((r) => r.source === input.primaryVolume && r.destination === input.mirrorVolume));
  if (!covered) {
    findings.push({
      code: 'not-replicated',
      severity: 'error',
      message: `no SnapMirror relationship ${input.primaryVolume} → ${input.mirrorVolume} was found: no VM of the primary volume is protected`,
      detail: { key: 'noRelationship', params: { source: input.primaryVolume, destination: input.mirrorVolume } },
    });
  }

  if (input.quiesceUnknown !== undefined) {
    findings.push({
      code: 'no-quiesce-any',
      severity: 'error',
      message: `quiesce points not audited: ${input.quiesceUnknown}`,
      detail: input.quiesceUnknownDetail ?? { key: 'quiesceNotAudited', params: { reason: input.quiesceUnknown } },
    });
  }

  const audits: VmAudit[] = [];
  const vms = input.vms.map((vm): CapturedVm => {
    if (vm.volume !== input.primaryVolume) return { ...vm, job: vm.job ?? null };
    const points: QuiescePoint[] = [];
    let newestListing: MirrorDirListing | undefined;
    for (const s of snaps) {
      const l = listings.get(key(s.name, vm.vmxDir));
      if (!l) continue;
      newestListing ??= l;
      points.push({ snapshot: s.name, job: s.job, ...quiescePointOf(l), files: [...l.files] });
    }
    audits.push({ vm: vm.name, host: vm.host, vmxPath: vm.vmxPath, points });

    const quiesced = points.filter((p) => p.quiesced);
    const inNewest = quiesced.find((p) => newest.get(p.job)?.name === p.snapshot);
    const job = inNewest?.job ?? quiesced[0]?.job ?? null;

    if (covered && newestListing && !newestListing.exists) {
      findings.push({
        code: 'not-replicated',
        severity: 'error',
        vm: vm.name,
        host: vm.host,
        message: `${vm.name}: its folder "${vm.vmxDir}" is not on the mirror (snapshot ${newestListing.snapshot}): created after the last transfer, or outside the replicated volume`,
        detail: { key: 'vmNotOnMirror', params: { vm: vm.name, dir: vm.vmxDir, snapshot: newestListing.snapshot } },
      });
    } else if (!vm.isVcenter && input.quiesceUnknown === undefined) {
      // The vCenter VM is backed up separately (Windows Server Backup): no VSC quiesce point expected.
      if (quiesced.length === 0) {
        findings.push({
          code: 'no-quiesce-any',
          severity: 'error',
          vm: vm.name,
          host: vm.host,
          message:
            snaps.length === 0
              ? `${vm.name}: no VSC backup (smvi__ snapshot) on the mirror ${input.mirrorVolume}: it would come back crash-consistent`
              : `${vm.name}: no quiesce point in any VSC backup (${points.length} examined): it is in no job, or its VMware snapshot failed every time`,
          detail:
            snaps.length === 0
              ? { key: 'noBackupOnMirror', params: { vm: vm.name, mirror: input.mirrorVolume } }
              : { key: 'noQuiesceAny', params: { vm: vm.name, examined: points.length } },
        });
      } else if (!inNewest) {
        const last = quiesced[0] as QuiescePoint;
        const newestOfJob = newest.get(last.job)?.name ?? '?';
        findings.push({
          code: 'no-quiesce-newest',
          severity: 'error',
          vm: vm.name,
          host: vm.host,
          message: `${vm.name}: no quiesce point in ${newestOfJob}, the newest backup of job ${last.job}: it would come back crash-consistent (last quiesce point: ${last.snapshot})`,
          detail: { key: 'noQuiesceNewest', params: { vm: vm.name, newest: newestOfJob, job: last.job, last: last.snapshot } },
        });
      }
    }
    return { ...vm, job };
  });

  for (const vm of input.vms) {
    if (hasControl(vm.name)) {
      const shown = JSON.stringify(vm.name);
      findings.push({
        code: 'name-control-character',
        severity: 'warning',
        vm: vm.name,
        host: vm.host,
        message: `VM ${shown} on ${vm.host} (${vm.vmxPath}): its display name holds a control character; it is recorded as it is, but rename it in vCenter: it cannot be typed or printed reliably`,
        detail: { key: 'nameControlCharacter', params: { vm: shown, host: vm.host, path: vm.vmxPath } },
      });
    }
    if (!vmxFileMatches(vm.vmxFile, vm.name)) {
      findings.push({
        code: 'vmx-name-mismatch',
        severity: 'warning',
        vm: vm.name,
        host: vm.host,
        message: `${vm.name}: its .vmx file is ${vm.vmxPath}; use the recorded display name, not the file name, when registering it`,
        detail: { key: 'vmxNameMismatch', params: { vm: vm.name, path: vm.vmxPath } },
      });
    }
  }

  const byName = new Map<string, CapturedVm[]>();
  for (const vm of input.vms) byName.set(vm.name, [...(byName.get(vm.name) ?? []), vm]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    findings.push({
      code: 'duplicate-name',
      severity: 'warning',
      vm: name,
      message: `${same.length} VMs are named "${name}": ${same.map((v) => `${v.host} ${v.vmxPath}`).join('; ')}`,
      detail: { key: 'duplicateName', params: { count: same.length, name, where: same.map((v) => `${v.host} ${v.vmxPath}`).join('; ') } },
    });
  }

  return { audit: { vms: audits, findings }, vms };
}
