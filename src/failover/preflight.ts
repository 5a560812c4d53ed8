/**
 * The preflight: observe the relationship, the mirror's VSC snapshots, every host, and put the
 * situation on the board before anything is changed. Observation only: it never exits lockdown,
 * so a host in lockdown shows what it can (its lockdown state) and the rest as unknown.
 */
import { isNoPermission } from '../adapters/esxi/ops.js';
import { describeError } from '../errors.js';
import { failoverMessages } from '../i18n/failover.js';
import { cloneOf, recoverTargetId, type FailoverContext, type StaleVm } from './context.js';
import { findByKey } from './lookup.js';
import { vmfsPath } from './paths.js';
import type { CapturedVm } from '../inventory/types.js';
import type { Situation, SituationHost, SituationProblem, SituationSnapshot } from './situation.js';
import { bestTarget, planPoints, snapshotsNewerThan, vscBackups, type NetappSnapshot, type VmPoints } from './vsc.js';

export async function observeSituation(ctx: FailoverContext): Promise<Situation> {
  const problems: SituationProblem[] = [];
  const m = failoverMessages(ctx.lang);
  // The hosts and vCenter are observed while ONTAP answers: nothing they read depends on it (the
  // hosts' first read also opens their SSH connections, the longest part of a preflight).
  const observedHosts = Promise.all(ctx.site.endpoints.esxi.map((ep) => observeHost(ctx, ep.name)));
  const vcenterProbe = ctx.placement?.probe();
  const ontapReads = Promise.all([
    ctx.ontap.relationships({ destination: ctx.mirror.path }).then((rs) => rs.find((r) => r.destination === ctx.mirror.path) ?? null),
    ctx.ontap.volumeState(ctx.primary.vserver, ctx.primary.volume).then((v) => v?.state ?? null),
    ctx.ontap.snapshots(ctx.mirror.vserver, ctx.mirror.volume),
  ]);
  // Every read has ended before anything is decided or thrown: none outlives the preflight.
  await Promise.allSettled([ontapReads, observedHosts, vcenterProbe]);
  const [relationship, sourceVolumeState, mirrorSnapshots] = await ontapReads;
  if (!relationship) {
    problems.push({
      blocking: true,
      message: m.noRelationship({ destination: ctx.mirror.path }),
      hint: m.noRelationshipHint,
    });
  }
  if (sourceVolumeState === 'online') {
    problems.push({
      blocking: false,
      message: m.sourceOnline({ source: ctx.primary.path }),
      hint: m.sourceOnlineHint,
    });
  }

  const snapshots: NetappSnapshot[] = mirrorSnapshots.map((s) => ({ name: s.name, createTime: s.createTime ?? null }));
  const backups = vscBackups(snapshots, ctx.site.jobs);
  // Counted over the VMs the recovery brings back (not vCenter), like the SnapRestore confirmation.
  const points = vmPoints(ctx);
  const total = points.length;
  const coverage = (name: string): number => points.filter((p) => p.quiescedIn.includes(name)).length;
  const candidates = backups.filter((b) => b.recent);
  const ranked = bestTarget(points, snapshots, candidates);
  let chosen = ctx.facts.situation?.plan?.snapshot ?? ctx.options.snapshot;
  if (chosen !== undefined && !backups.some((b) => b.name === chosen)) {
    problems.push({
      blocking: true,
      message: m.notVscBackup({ snapshot: chosen, destination: ctx.mirror.path }),
      hint: backups.length ? m.chooseOneOf({ names: backups.map((b) => b.name).join(', ') }) : m.chooseNone,
    });
    chosen = undefined;
  }
  // Default: the backup that brings the most VMs back at their newest quiesce point.
  if (chosen === undefined && !problems.some((p) => p.blocking)) chosen = ranked?.target.name;
  if (backups.length === 0) {
    problems.push({
      blocking: true,
      message: m.noVscSnapshot({ destination: ctx.mirror.path, pattern: `smvi__${ctx.site.jobs.join('|')}_…` }),
      hint: m.noVscSnapshotHint,
    });
  }
  const target = backups.find((b) => b.name === chosen);
  const vmPlan = (target ? planPoints(points, snapshots, target, ctx.options.otherJobs) : []).map((v) =>
    v.via === 'flexclone' && v.snapshot ? { ...v, cloneDatastore: cloneOf(ctx, v.snapshot).datastore } : v,
  );
  const boardSnapshots: SituationSnapshot[] = backups.map((b) => ({
    name: b.name,
    job: b.job,
    createTime: b.createTime,
    quiesced: coverage(b.name),
    total,
    atNewest: planPoints(points, snapshots, b).filter((p) => p.snapshot !== null && p.lostNewer === null).length,
    chosen: b.name === chosen,
  }));
  const lost = vmPlan.filter((p) => p.lostNewer !== null);
  if (lost.length > 0) {
    problems.push({
      blocking: false,
      message: m.newerPointLost({ count: lost.length, snapshots: [...new Set(lost.map((p) => p.lostNewer))].join(', ') }),
      hint: m.newerPointLostHint,
    });
  }

  const hosts = await observedHosts;
  if (hosts.every((h) => !h.reachable)) {
    problems.push({ blocking: true, message: m.noHostReachable, hint: m.noHostReachableHint });
  }
  for (const h of hosts.filter((h) => !h.reachable)) {
    problems.push({
      blocking: false,
      message: m.hostUnreachable({ host: h.name, error: h.error ?? m.unknownError }),
      hint: m.hostUnreachableHint,
    });
  }

  let missingFromMirror: string[] | null = null;
  const reader = hosts.find((h) => h.reachable && h.lockdown === false && h.mirrorMounted);
  if (reader && target) {
    try {
      const dirs = new Set(await ctx.esxi(reader.name).listDir(vmfsPath(ctx.mirror.datastore, '.snapshot', target.name)));
      missingFromMirror = ctx.primaryVms.filter((v) => !dirs.has(v.vmxDir)).map((v) => v.name);
    } catch {
      missingFromMirror = null;
    }
  }
  if (missingFromMirror && missingFromMirror.length > 0) {
    problems.push({
      blocking: false,
      message: m.missingFromSnapshot({
        count: missingFromMirror.length,
        snapshot: target!.name,
        names: `${missingFromMirror.slice(0, 5).join(', ')}${missingFromMirror.length > 5 ? ', …' : ''}`,
      }),
      hint: m.missingFromSnapshotHint,
    });
  }

  const vcenterApi = await vcenterProbe;

  return {
    kind: 'failover',
    site: ctx.site.site,
    ...(vcenterApi ? { vcenterApi } : {}),
    capture: { id: ctx.capture.id, takenAt: ctx.capture.takenAt, vms: ctx.capture.vms.length },
    relationship: relationship
      ? {
          source: relationship.source,
          destination: relationship.destination,
          state: relationship.state,
          status: relationship.status,
          healthy: relationship.healthy,
          lagTime: relationship.lagTime ?? null,
        }
      : null,
    sourceVolumeState,
    snapshots: boardSnapshots,
    plan: target
      ? {
          snapshot: target.name,
          createTime: target.createTime,
          job: target.job,
          newer: snapshotsNewerThan(snapshots, target).map((s) => s.name),
          vms: vmPlan,
        }
      : null,
    hosts,
    missingFromMirror,
    problems,
    observedAt: new Date().toISOString(),
  };
}

async function observeHost(ctx: FailoverContext, name: string): Promise<SituationHost> {
  const ops = ctx.esxi(name);
  const row: SituationHost = { name, reachable: false, lockdown: null, staleRegistered: null, staleRunning: null, mirrorMounted: null };
  try {
    row.lockdown = await ops.lockdownEnabled();
    row.reachable = true;
  } catch (err) {
    row.error = describeError(err);
    return row;
  }
  if (row.lockdown) return row;
  try {
    const [stale, mounts] = await Promise.all([findStale(ctx, name), ops.nfsList()]);
    row.staleRegistered = stale.filter((s) => s.vmid >= 0).length;
    row.staleRunning = stale.filter((s) => s.worldId !== undefined).length;
    row.mirrorMounted = mounts.some((m) => m.volumeName === ctx.mirror.datastore && m.mounted && m.accessible);
  } catch (err) {
    if (!isNoPermission(err)) row.error = describeError(err);
  }
  return row;
}

/** Normalise a VM uuid (`56 4d 12 f0 … -24 51 …` or `564d12f0-…`) for comparison. */
export function normaliseUuid(u: string | undefined): string {
  return (u ?? '').replace(/[\s-]/g, '').toLowerCase();
}

/**
 * The VMs of the dead datastore still registered or running on a host: registrations whose .vmx is
 * on the primary datastore, invalid registrations the capture places on it, and processes whose
 * config file is there (by path or by the VM's uuid). A negative vmid marks a process with no
 * registration left.
 *
 * A process that runs from another mounted datastore is never stale, whatever its uuid: a VM
 * already recovered from the mirror keeps its BIOS uuid ("I moved it"), and a resumed or repeated
 * run must not take it for the dead one. Processes name their .vmx by the datastore's uuid path,
 * so the filesystem list maps uuids to names first.
 */
export async function findStale(ctx: FailoverContext, host: string): Promise<StaleVm[]> {
  const ops = ctx.esxi(host);
  const [inventory, processes, filesystems] = await Promise.all([ops.listVms(), ops.processList(), ops.filesystemList()]);
  const ds = ctx.primary.datastore;
  const byMount = new Map<string, { name: string; mounted: boolean }>();
  for (const f of filesystems) {
    byMount.set(f.uuid, { name: f.volumeName, mounted: f.mounted });
    if (f.volumeName) byMount.set(f.volumeName, { name: f.volumeName, mounted: f.mounted });
  }
  /** The config file with its datastore by name, and whether it is a live datastore other than the primary. */
  const placeOf = (configFile: string): { path: string; elsewhere: boolean } => {
    const m = /^\/vmfs\/volumes\/([^/]+)\/(.*)$/.exec(configFile);
    const mount = m ? byMount.get(m[1]!) : undefined;
    if (!m || !mount) return { path: configFile, elsewhere: false };
    return { path: vmfsPath(mount.name, m[2]!), elsewhere: mount.name !== ds && mount.mounted };
  };
  const out = new Map<number, StaleVm>();
  for (const row of inventory.vms) {
    if (row.datastore !== ds) continue;
    const rec = findByKey(ctx.primaryVms, recordedVmid, `${host}\n${row.vmid}`);
    out.set(row.vmid, { host, vmid: row.vmid, name: rec?.name ?? row.name, vmxPath: vmfsPath(ds, row.path), uuid: rec?.uuidBios });
  }
  for (const vmid of inventory.skipped) {
    const rec = findByKey(ctx.primaryVms, recordedVmid, `${host}\n${vmid}`);
    if (!rec) continue; // an invalid registration the capture does not place on this datastore: left alone
    out.set(vmid, { host, vmid, name: rec.name, vmxPath: vmfsPath(ds, rec.vmxDir, rec.vmxFile), uuid: rec.uuidBios });
  }
  // Looked up by key (src/failover/lookup.ts): a host of 50 VMs asked this per process, and each
  // search walked every VM.
  const found = [...out.values()];
  let orphan = -1;
  for (const p of processes) {
    const place = placeOf(p.configFile);
    if (place.elsewhere) continue;
    const onDs = place.path.startsWith(`/vmfs/volumes/${ds}/`);
    const uuid = normaliseUuid(p.uuid);
    const match = findByKey(found, staleVmxPath, place.path) ?? findByKey(found, staleUuid, uuid);
    if (match) {
      match.worldId = p.worldId;
      continue;
    }
    const rec = findByKey(ctx.primaryVms, recordedUuid, `${host}\n${uuid}`);
    if (onDs || rec)
      found.push({ host, vmid: orphan--, name: rec?.name ?? p.displayName, worldId: p.worldId, uuid: p.uuid, vmxPath: place.path });
  }
  return found;
}

// The keys findStale looks VMs up by (fixed functions: findByKey keeps an index per function).
const recordedVmid = (v: CapturedVm): string => `${v.host}\n${Number(v.vmid)}`;
const recordedUuid = (v: CapturedVm): string => `${v.host}\n${normaliseUuid(v.uuidBios)}`;
/** A VM with no path or no uuid is found by none by it (a NUL is in no path and no normalised uuid). */
const staleVmxPath = (s: StaleVm): string => s.vmxPath ?? '\0';
const staleUuid = (s: StaleVm): string => (s.uuid ? normaliseUuid(s.uuid) : '\0');

/** Each VM of the primary volume with the snapshots that hold its quiesce point (the capture's audit). */
export function vmPoints(ctx: Pick<FailoverContext, 'capture' | 'primaryVms' | 'vcenter'>): VmPoints[] {
  const audit = new Map(ctx.capture.audit.vms.map((a) => [a.vmxPath, a]));
  return ctx.primaryVms
    .filter((v) => v !== ctx.vcenter)
    .map((v) => ({
      targetId: recoverTargetId(v),
      name: v.name,
      quiescedIn: (audit.get(v.vmxPath)?.points ?? []).filter((p) => p.quiesced).map((p) => p.snapshot),
    }));
}
