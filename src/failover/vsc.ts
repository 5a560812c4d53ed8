/**
 * Reading VSC's marks: which NetApp snapshots are VSC backups, which one a run restores to, and
 * which VMware snapshot inside a VM is the quiesce point VSC took for that NetApp snapshot.
 */
import { flattenSnapshots, type SnapshotNode } from '../adapters/esxi/snapshot-tree.js';
import { smviJob } from '../inventory/audit.js';

/** A NetApp snapshot as the failover sees it. */
export interface NetappSnapshot {
  name: string;
  /** ISO time; null when the cluster did not say. */
  createTime: string | null;
}

export interface VscBackup extends NetappSnapshot {
  job: string;
  /** `_recent` is the newest backup of its job; older ones carry their own timestamp. */
  recent: boolean;
}

/** The VSC backups among a volume's snapshots, newest first, limited to the site's jobs when given. */
export function vscBackups(snapshots: readonly NetappSnapshot[], jobs?: readonly string[]): VscBackup[] {
  const out: VscBackup[] = [];
  for (const s of snapshots) {
    const vsc = smviJob(s.name);
    if (!vsc || (jobs && !jobs.includes(vsc.job))) continue;
    out.push({ ...s, ...vsc });
  }
  return out.sort((a, b) => timeOf(b) - timeOf(a));
}

function timeOf(s: NetappSnapshot): number {
  return s.createTime ? Date.parse(s.createTime) : 0;
}

/** The snapshots a SnapRestore to `target` deletes: every snapshot newer than it. */
export function snapshotsNewerThan(snapshots: readonly NetappSnapshot[], target: NetappSnapshot): NetappSnapshot[] {
  const t = timeOf(target);
  return snapshots.filter((s) => s.name !== target.name && timeOf(s) > t);
}

export interface QuiescePointOptions {
  /** How long before the NetApp snapshot a VSC job may have started its VMware snapshots. */
  windowMs?: number;
  /** Tolerated difference between the ESXi and ONTAP clocks. */
  skewMs?: number;
}

/**
 * The VMware snapshot VSC took for the NetApp snapshot `backup`: named `smvi_…`, created before the
 * NetApp snapshot (within the job's window, allowing clock skew), the latest such. Matching by name
 * and time rather than "the current snapshot" keeps an operator's own snapshots, or a later VSC
 * run's leftovers, from being reverted to.
 */
export function quiescePointFor(
  tree: readonly SnapshotNode[],
  backup: NetappSnapshot,
  { windowMs = 6 * 3600_000, skewMs = 10 * 60_000 }: QuiescePointOptions = {},
): SnapshotNode | null {
  const all = flattenSnapshots(tree).filter((s) => s.name.startsWith('smvi_'));
  if (!backup.createTime) return all.length === 1 ? all[0]! : null;
  const at = Date.parse(backup.createTime);
  let best: SnapshotNode | null = null;
  for (const s of all) {
    const t = Date.parse(s.createdAt);
    if (Number.isNaN(t) || t > at + skewMs || t < at - windowMs) continue;
    if (!best || t > Date.parse(best.createdAt)) best = s;
  }
  return best;
}

/** How one VM gets back to its quiesce point. */
export type PointVia = 'volume' | 'restore-file' | 'flexclone' | 'none';

/** How the VMs of the other jobs get their point: their folder restored, or a FlexClone of their snapshot. */
export type OtherJobs = 'restore-file' | 'flexclone';

export interface VmPointPlan {
  targetId: string;
  name: string;
  /** The NetApp snapshot that holds the VM's quiesce point, or null when none survives. */
  snapshot: string | null;
  createTime: string | null;
  /** 'volume': in the snapshot the volume is restored to; 'restore-file': its folder is restored
   *  file by file from its own snapshot; 'flexclone': it runs from a FlexClone of its own snapshot;
   *  'none': no quiesce point survives (crash-consistent). */
  via: PointVia;
  /** Its newest quiesce point is in a snapshot the SnapRestore deletes (newer than the target). */
  lostNewer: string | null;
  /** 'flexclone': the datastore of the clone it is registered from. */
  cloneDatastore?: string | undefined;
}

export interface VmPoints {
  targetId: string;
  name: string;
  /** Snapshots whose copy of the VM's folder holds VSC's VMware snapshot. */
  quiescedIn: string[];
}

const byTimeDesc = (times: Map<string, number>) => (a: string, b: string) => (times.get(b) ?? 0) - (times.get(a) ?? 0);

/**
 * Each VM's quiesce point once the volume is SnapRestored to `target`: the newest snapshot that
 * holds the VM's point AND survives the restore (a volume SnapRestore deletes every newer
 * snapshot). A VM whose point is in the target itself needs nothing more; one whose point is in an
 * older snapshot gets its folder back with restore-file.
 */
export function planPoints(
  vms: readonly VmPoints[],
  snapshots: readonly NetappSnapshot[],
  target: NetappSnapshot,
  otherJobs: OtherJobs = 'restore-file',
): VmPointPlan[] {
  const times = new Map(snapshots.map((s) => [s.name, s.createTime ? Date.parse(s.createTime) : 0]));
  const targetTime = target.createTime ? Date.parse(target.createTime) : (times.get(target.name) ?? 0);
  const created = (name: string) => snapshots.find((s) => s.name === name)?.createTime ?? null;
  return vms.map((vm) => {
    const present = vm.quiescedIn.filter((n) => times.has(n)).sort(byTimeDesc(times));
    const surviving = present.filter((n) => n === target.name || (times.get(n) ?? 0) <= targetTime);
    const best = surviving[0] ?? null;
    const newest = present[0] ?? null;
    return {
      targetId: vm.targetId,
      name: vm.name,
      snapshot: best,
      createTime: best ? created(best) : null,
      via: best === null ? 'none' : best === target.name ? 'volume' : otherJobs,
      lostNewer: newest !== null && newest !== best ? newest : null,
    };
  });
}

export interface CandidateScore {
  snapshot: string;
  /** VMs that come back at their newest quiesce point with this target. */
  atNewest: number;
  /** Of those, VMs whose point is in the target itself (no restore-file needed). */
  direct: number;
  /** VMs left without any quiesce point. */
  none: number;
}

/**
 * The restore target that brings the most VMs back at their newest quiesce point; among equals,
 * the one that needs the fewest file restores, then the newest.
 */
export function bestTarget(
  vms: readonly VmPoints[],
  snapshots: readonly NetappSnapshot[],
  candidates: readonly NetappSnapshot[],
): { target: NetappSnapshot; scores: CandidateScore[] } | null {
  const scores = candidates.map((c) => {
    const plan = planPoints(vms, snapshots, c);
    return {
      snapshot: c.name,
      atNewest: plan.filter((p) => p.snapshot !== null && p.lostNewer === null).length,
      direct: plan.filter((p) => p.via === 'volume').length,
      none: plan.filter((p) => p.via === 'none').length,
    };
  });
  const time = (n: string) => Date.parse(candidates.find((c) => c.name === n)?.createTime ?? '') || 0;
  const best = [...scores].sort((a, b) => b.atNewest - a.atNewest || b.direct - a.direct || time(b.snapshot) - time(a.snapshot))[0];
  return best ? { target: candidates.find((c) => c.name === best.snapshot)!, scores } : null;
}
