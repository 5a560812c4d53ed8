/**
 * Reading VSC's marks: which NetApp snapshots are VSC backups, which one a run restores to, and
 * which VMware snapshot inside a VM is the quiesce point VSC took for that NetApp snapshot.
 */
import { flattenSnapshots, type SnapshotNode } from '../adapters/esxi/snapshot-tree.js';

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

const VSC_NAME = /^smvi__(.+?)_(recent|\d{14})$/;

/** The VSC backups among a volume's snapshots, newest first, limited to the site's jobs when given. */
export function vscBackups(snapshots: readonly NetappSnapshot[], jobs?: readonly string[]): VscBackup[] {
  const out: VscBackup[] = [];
  for (const s of snapshots) {
    const m = VSC_NAME.exec(s.name);
    if (!m) continue;
    const job = m[1]!;
    if (jobs && !jobs.includes(job)) continue;
    out.push({ ...s, job, recent: m[2] === 'recent' });
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
