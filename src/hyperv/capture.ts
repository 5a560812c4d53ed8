/**
 * The Hyper-V capture (issue 19): per VM its name, ID, owner node, state, role and group, the
 * paths of its configuration, disks, checkpoints and smart paging file, generation and heartbeat;
 * the CSVs and cluster disks; the storage kind per VM; the backup picture from Backup Exec's own
 * job history. Then the audit. Read-only: nothing here changes the cluster.
 */
import { HypervOps } from '../adapters/hyperv/ops.js';
import type { ClusterGroup, ClusterResource, HvVm, JobRun, SharedVolume } from '../adapters/hyperv/parsers.js';
import { describeError } from '../errors.js';
import type { HypervSite } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import { auditHyperv, type HvFinding } from './audit.js';

export type HvStorageKind = 'csv' | 'cluster-disk' | 'local' | 'mixed';

export interface HvCapturedVm {
  /** Its node could not be read this time: this record is from that capture (the newest that read it). */
  carriedFrom?: string | undefined;
  name: string;
  id: string;
  node: string;
  state: HvVm['state'];
  generation: number | null;
  heartbeat: HvVm['heartbeat'];
  /** The clustered role (group) that holds it, or null when it is not clustered. */
  group: string | null;
  groupState: ClusterGroup['state'] | null;
  priority: number | null;
  preferredOwners: string[];
  configurationLocation: string;
  /** `<ConfigurationLocation>\Virtual Machines\<VMId>.vmcx`: what Import-VM -Register reads. */
  configFile: string;
  vhds: string[];
  snapshotFileLocation: string;
  smartPagingFilePath: string;
  storage: HvStorageKind;
  /** The volumes its files are on: a CSV path, or a drive. */
  volumes: { path: string; kind: 'csv' | 'cluster-disk' | 'local' }[];
  backup: { job: string | null; lastSuccess: number | null; lastFailure: number | null; lastError: string | null };
}

export interface HvCapture {
  platform: 'hyperv';
  id: string;
  site: string;
  takenAt: string;
  drbookVersion: string;
  cluster: string;
  /** `carriedFrom`: an unreachable node whose VMs are kept from that capture. */
  nodes: { name: string; reachable: boolean; error?: string; carriedFrom?: string | undefined }[];
  csvs: SharedVolume[];
  clusterDisks: { name: string; group: string; state: ClusterResource['state'] }[];
  vms: HvCapturedVm[];
  backupRead: { reachable: boolean; error?: string } | null;
  audit: { findings: HvFinding[] };
  /** Taken after the disaster (far fewer VMs than the last good capture): kept, never the default. */
  degraded?: { reason: string; goodCapture: string } | undefined;
}

const under = (p: string, root: string): boolean =>
  p.toLowerCase() === root.toLowerCase() || p.toLowerCase().startsWith(`${root.toLowerCase()}\\`);

/** The volume a path is on: the CSV it is under, else its drive (`E:`). */
export function volumeOf(p: string, csvs: readonly SharedVolume[]): string {
  const csv = csvs.find((c) => c.path && under(p, c.path));
  if (csv) return csv.path;
  const drive = /^([A-Za-z]:)/.exec(p);
  return drive ? drive[1]!.toUpperCase() : p;
}

export function configFileOf(vm: Pick<HvVm, 'configurationLocation' | 'id'>): string {
  return `${vm.configurationLocation.replace(/\\+$/, '')}\\Virtual Machines\\${vm.id.toUpperCase()}.vmcx`;
}

export interface HvCaptureOptions {
  site: HypervSite;
  pool: HostPool;
  id: string;
  drbookVersion: string;
  now: number;
  signal?: AbortSignal | undefined;
  /** The newest good capture: a node that cannot be read keeps its VMs from it. */
  previous?: HvCapture | undefined;
}

export async function collectHypervCapture(o: HvCaptureOptions): Promise<HvCapture> {
  const { site, pool } = o;
  const timeoutMs = site.timeouts.commandSeconds * 1000;
  const ops = (name: string) => new HypervOps(pool.host(name), { timeoutMs, signal: o.signal });
  const nodes: HvCapture['nodes'] = [];
  const vms: HvVm[] = [];
  await Promise.all(
    site.endpoints.nodes.map(async (n) => {
      try {
        const list = await ops(n.name).listVms();
        vms.push(...list.map((v) => ({ ...v, node: v.node || n.name })));
        nodes.push({ name: n.name, reachable: true });
      } catch (err) {
        nodes.push({ name: n.name, reachable: false, error: describeError(err) });
      }
    }),
  );
  nodes.sort((a, b) => site.endpoints.nodes.findIndex((n) => n.name === a.name) - site.endpoints.nodes.findIndex((n) => n.name === b.name));
  // Cluster-wide readings from the first node that answers.
  const reader = nodes.find((n) => n.reachable);
  let groups: ClusterGroup[] = [];
  let resources: ClusterResource[] = [];
  let csvs: SharedVolume[] = [];
  if (reader) {
    const r = ops(reader.name);
    [groups, resources, csvs] = await Promise.all([r.clusterGroups(), r.clusterResources(), r.sharedVolumes()]);
  }
  // Backup Exec's own record of each job.
  const backup = site.hyperv.backup;
  const runs = new Map<string, JobRun[]>();
  let backupRead: HvCapture['backupRead'] = null;
  if (backup && site.endpoints.backup) {
    try {
      for (const j of backup.jobs) runs.set(j.name, await ops(site.endpoints.backup.name).jobHistory(j.name));
      backupRead = { reachable: true };
    } catch (err) {
      backupRead = { reachable: false, error: describeError(err) };
    }
  }
  const roleOf = new Map(resources.filter((r) => r.type === 'Virtual Machine' && r.vmId).map((r) => [r.vmId!, r.ownerGroup]));
  const diskGroups = new Set(resources.filter((r) => r.type === 'Physical Disk').map((r) => r.ownerGroup));
  const captured: HvCapturedVm[] = vms
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id.localeCompare(b.id)))
    .map((v) => {
      const groupName = roleOf.get(v.id) ?? null;
      const group = groupName === null ? undefined : groups.find((g) => g.name === groupName);
      const paths = [v.configurationLocation, ...v.hardDrives, v.snapshotFileLocation, v.smartPagingFilePath].filter((p) => p !== '');
      const roots = [...new Map(paths.map((p) => [volumeOf(p, csvs).toLowerCase(), volumeOf(p, csvs)])).values()];
      const volumes = roots.map((root) => ({
        path: root,
        kind: csvs.some((c) => c.path.toLowerCase() === root.toLowerCase())
          ? ('csv' as const)
          : groupName !== null && diskGroups.has(groupName)
            ? ('cluster-disk' as const)
            : ('local' as const),
      }));
      const kinds = new Set(volumes.map((x) => x.kind));
      const job = backup?.jobs.find((j) => j.vms.includes(v.name))?.name ?? null;
      const history = job ? (runs.get(job) ?? []) : [];
      const newest = (outcome: JobRun['outcome']) =>
        history.filter((r) => r.outcome === outcome).sort((a, b) => (b.start ?? 0) - (a.start ?? 0))[0];
      const ok = newest('succeeded');
      const bad = newest('failed');
      return {
        name: v.name,
        id: v.id,
        node: v.node,
        state: v.state,
        generation: v.generation,
        heartbeat: v.heartbeat,
        group: groupName,
        groupState: group?.state ?? null,
        priority: group?.priority ?? null,
        preferredOwners: group?.preferredOwners ?? [],
        configurationLocation: v.configurationLocation,
        configFile: configFileOf(v),
        vhds: v.hardDrives,
        snapshotFileLocation: v.snapshotFileLocation,
        smartPagingFilePath: v.smartPagingFilePath,
        storage: kinds.size === 1 ? [...kinds][0]! : kinds.size === 0 ? 'local' : 'mixed',
        volumes,
        backup: { job, lastSuccess: ok?.end ?? ok?.start ?? null, lastFailure: bad?.start ?? null, lastError: bad?.errorMessage || null },
      };
    });
  carryUnreadNodes(nodes, captured, o.previous);
  const capture: HvCapture = {
    platform: 'hyperv',
    id: o.id,
    site: site.site,
    takenAt: new Date(o.now).toISOString(),
    drbookVersion: o.drbookVersion,
    cluster: site.hyperv.cluster,
    nodes,
    csvs,
    clusterDisks: resources.filter((r) => r.type === 'Physical Disk').map((r) => ({ name: r.name, group: r.ownerGroup, state: r.state })),
    vms: captured,
    backupRead,
    audit: { findings: [] },
  };
  capture.audit.findings = auditHyperv(capture, {
    rpoHours: backup?.rpoHours ?? 24,
    csvSnapshots: backup?.csvSnapshots ?? true,
    hasBackup: backup !== undefined,
    now: o.now,
  });
  return capture;
}

/**
 * A node that cannot be read this time keeps its last good data: its VMs are copied from the
 * previous capture, marked with the capture that really saw them (vSphere's hosts: carry.ts).
 * One bad night never erases what a recovery needs. A VM another node reported now is not copied.
 */
function carryUnreadNodes(nodes: HvCapture['nodes'], vms: HvCapturedVm[], previous: HvCapture | undefined): void {
  if (!previous) return;
  const seen = new Set(vms.map((v) => v.id.toLowerCase()));
  for (const n of nodes) {
    if (n.reachable) continue;
    const before = previous.nodes.find((p) => p.name === n.name);
    if (!before) continue;
    const from = before.carriedFrom ?? previous.id;
    const kept = previous.vms.filter((v) => v.node.toLowerCase() === n.name.toLowerCase() && !seen.has(v.id.toLowerCase()));
    n.carriedFrom = from;
    for (const v of kept) vms.push({ ...v, carriedFrom: v.carriedFrom ?? from });
  }
  vms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id.localeCompare(b.id)));
}
