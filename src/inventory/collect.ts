import pLimit from 'p-limit';
import { EsxiOps } from '../adapters/esxi/ops.js';
import { OntapOps } from '../adapters/ontap/ops.js';
import { describeError, RemoteCommandError } from '../errors.js';
import type { Site } from '../runbook/site.js';
import type { VmxLine } from '../adapters/esxi/vmx.js';
import type { HostPool } from '../transport/types.js';
import { auditCapture, smviSnapshots, type MirrorDirListing } from './audit.js';
import { carryForward } from './carry.js';
import { addPlacement } from './placement.js';
import { newCaptureId } from './store.js';
import type { Capture, CapturedHost, CapturedVm, CapturedVolume, NfsMount } from './types.js';

/**
 * The capture: reach every ESXi host and the ONTAP cluster of the site in parallel (one pooled
 * connection each), record what a failover needs, read the VM folders inside the mirror's VSC
 * snapshots for the audit, and carry forward the last good data of any host that cannot be
 * reached. Read-only: nothing on any device is changed.
 */

export interface CollectOptions {
  site: Site;
  pool: HostPool;
  /** The site's latest capture: unreachable hosts keep its data. */
  previous?: Capture | undefined;
  drbookVersion: string;
  now?: () => Date;
  signal?: AbortSignal | undefined;
  /** Where the vCenter password is read from (the variable the site file names). */
  env?: NodeJS.ProcessEnv | undefined;
}

interface HostResult {
  host: CapturedHost;
  vms: CapturedVm[];
  ops: EsxiOps | null;
  /** Set when lockdown was exited to read the host and entering it again failed. */
  relockError?: string;
}

/** The .vmx keys a capture records (see the CapturedVm fields below). */
const VMX_KEYS = ['displayName', 'guestOS', 'uuid.bios', 'uuid.location', 'annotation'];
/** .vmx files per command: a bounded command line (about 100 bytes a path). */
const VMX_BATCH = 50;

const posixBase = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const posixDir = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** Which of the site's volumes a datastore is, on this host. */
function volumeOf(site: Site, datastore: string, mounts: NfsMount[]): string | null {
  const ds = site.datastores;
  for (const [which, volume] of [
    [ds.primary, site.relationship.source],
    [ds.mirror, site.relationship.destination],
  ] as const) {
    if (datastore === which.name) return volume;
    // A host may mount the same export under another datastore name.
    if (mounts.some((m) => m.volumeName === datastore && m.host === which.nfsHost && m.share === which.share)) return volume;
  }
  return null;
}

async function collectHost(site: Site, pool: HostPool, name: string, signal: AbortSignal | undefined): Promise<HostResult> {
  const timeoutMs = site.timeouts.commandSeconds * 1000;
  const ops = new EsxiOps(pool.host(name), { timeoutMs });
  let lockdown: boolean;
  let unlocked = false;
  let relockError: string | undefined;
  // A host in lockdown refuses vim-cmd and esxcli: exit it to read, and always enter it again.
  const relock = async (): Promise<void> => {
    if (!unlocked) return;
    unlocked = false;
    try {
      await ops.enterLockdown();
    } catch (err) {
      relockError = describeError(err);
    }
  };
  try {
    lockdown = await ops.lockdownEnabled();
    if (lockdown) {
      await ops.exitLockdown();
      unlocked = true;
    }
    const version = await ops.version();
    const nfs = (await ops.nfsList()).map((m) => ({
      volumeName: m.volumeName,
      host: m.host,
      share: m.share,
      accessible: m.accessible,
      mounted: m.mounted,
      readOnly: m.readOnly ?? false,
    }));
    const list = await ops.listVms();
    const running = await ops.processList();
    const limit = pLimit(site.concurrency.perHost);
    // The .vmx keys the capture records, read for many VMs per command (one `cat` per VM was most
    // of a capture's commands), in as many batches as the host has slots, at most VMX_BATCH each.
    const vmxPaths = [...new Set(list.vms.map((row) => `/vmfs/volumes/${row.datastore}/${row.path}`))];
    const batch = Math.min(VMX_BATCH, Math.max(1, Math.ceil(vmxPaths.length / site.concurrency.perHost)));
    const vmxOf = new Map<string, VmxLine[]>();
    const batches: string[][] = [];
    for (let i = 0; i < vmxPaths.length; i += batch) batches.push(vmxPaths.slice(i, i + batch));
    await Promise.all(
      batches.map((paths) =>
        limit(async () => {
          checkAbort(signal);
          for (const [p, lines] of await ops.readVmxKeys(paths, VMX_KEYS)) vmxOf.set(p, lines);
        }),
      ),
    );
    const vms = await Promise.all(
      list.vms.map((row) =>
        limit(async (): Promise<CapturedVm> => {
          checkAbort(signal);
          // A VM with a running world is on; only the others are asked (off or suspended), one
          // command fewer per VM on a busy host. The config file path may name the datastore by
          // its uuid, so match on the path inside it and the display name, and only when unique.
          const worlds = running.filter((p) => p.displayName === row.name && p.configFile.endsWith(`/${row.path}`));
          const power = worlds.length === 1 ? 'on' : await ops.powerState(row.vmid);
          const vmx = vmxOf.get(`/vmfs/volumes/${row.datastore}/${row.path}`) ?? [];
          const get = (key: string): string => {
            let v: string | undefined;
            for (const l of vmx) if (l.kind === 'pair' && l.key.toLowerCase() === key.toLowerCase()) v = l.value;
            return v ?? '';
          };
          // getallvms pads its columns, so a name's own trailing (or leading) spaces are lost
          // there; the .vmx keeps them. Use its displayName when it is that name, exact bytes.
          const displayName = get('displayName');
          const vmName = displayName !== '' && displayName.trim() === row.name.trim() ? displayName : row.name;
          return {
            name: vmName,
            vmid: String(row.vmid),
            host: name,
            datastore: row.datastore,
            vmxDir: posixDir(row.path),
            vmxFile: posixBase(row.path),
            vmxPath: row.file,
            guestOs: row.guestOs || get('guestOS'),
            power,
            uuidBios: get('uuid.bios'),
            uuidLocation: get('uuid.location'),
            annotation: get('annotation'),
            volume: volumeOf(site, row.datastore, nfs),
            isVcenter: site.vcenter?.vm === vmName,
          };
        }),
      ),
    );
    await relock();
    const result: HostResult = {
      host: { name, reachable: true, esxiVersion: version.version, build: version.build, lockdown, nfs },
      vms,
      ops,
    };
    if (relockError !== undefined) result.relockError = relockError;
    return result;
  } catch (err) {
    await relock();
    if (signal?.aborted) throw err;
    // All or nothing per host: half a host's VMs would read as the other half being gone.
    const result: HostResult = { host: { name, reachable: false, error: describeError(err), nfs: [] }, vms: [], ops: null };
    if (relockError !== undefined) result.relockError = relockError;
    return result;
  }
}

async function collectVolumes(
  site: Site,
  pool: HostPool,
  previous: Capture | undefined,
): Promise<{ volumes: CapturedVolume[]; error: string | null }> {
  const ops = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
  const { source, destination } = site.relationship;
  try {
    const rels = await ops.relationships();
    const volumes: CapturedVolume[] = [];
    for (const [p, role] of [
      [source, 'primary'],
      [destination, 'mirror'],
    ] as const) {
      const [vserver, volume] = p.split(':') as [string, string];
      const snaps = await ops.snapshots(vserver, volume);
      volumes.push({
        path: p,
        role,
        relationships: rels
          .filter((r) => r.source === p || r.destination === p)
          .filter((r) => role === 'mirror' || r.destination !== destination)
          .map((r) => ({
            source: r.source,
            destination: r.destination,
            type: r.type ?? '',
            state: r.state ?? '',
            status: r.status ?? '',
            healthy: r.healthy ?? false,
            lagTime: r.lagTime ?? null,
          })),
        snapshots: snaps.map((s) => ({ name: s.name, createTime: s.createTime ?? '' })),
      });
    }
    return { volumes, error: null };
  } catch (err) {
    // The cluster's last good data is kept, like a host's.
    return { volumes: previous?.volumes ?? [], error: describeError(err) };
  }
}

/**
 * Read each primary VM's folder inside each VSC snapshot of the mirror. Through the mirror
 * datastore when a host mounts it; otherwise (the usual case before a disaster: the mirror is
 * not mounted) through the primary datastore's `.snapshot`, for the snapshots both volumes still
 * hold: SnapMirror's copy of a snapshot is block for block the primary's.
 */
async function readListings(
  site: Site,
  hosts: HostResult[],
  vms: CapturedVm[],
  volumes: CapturedVolume[],
  signal: AbortSignal | undefined,
): Promise<{ listings: MirrorDirListing[]; reader: string | null }> {
  const mounting = (dsName: string): HostResult[] =>
    hosts.filter((h) => h.ops && h.host.nfs.some((m) => m.volumeName === dsName && m.mounted && m.accessible));
  const mirror = volumes.find((v) => v.path === site.relationship.destination);
  const primaryVol = volumes.find((v) => v.path === site.relationship.source);
  let datastore = site.datastores.mirror.name;
  let readers = mounting(datastore);
  let snaps = smviSnapshots(mirror);
  if (readers.length === 0) {
    datastore = site.datastores.primary.name;
    readers = mounting(datastore);
    const onPrimary = new Set((primaryVol?.snapshots ?? []).map((s) => s.name));
    snaps = snaps.filter((s) => onPrimary.has(s.name));
  }
  if (readers.length === 0) return { listings: [], reader: null };
  const primary = vms.filter((v) => v.volume === site.relationship.source);
  const dirs = [...new Set(primary.map((v) => v.vmxDir))];
  const base = new Map(primary.map((v) => [v.vmxDir, v.vmxFile.replace(/\.vmx$/, '')]));
  const jobs: Array<{ snapshot: string; dir: string }> = [];
  for (const s of snaps) for (const dir of dirs) jobs.push({ snapshot: s.name, dir });
  // Spread the reads over every host that mounts the datastore; each host's pool limits its channels.
  const listings: MirrorDirListing[] = [];
  await Promise.all(
    jobs.map(async (job, i) => {
      checkAbort(signal);
      const ops = readers[i % readers.length]!.ops as EsxiOps;
      const folder = `/vmfs/volumes/${datastore}/.snapshot/${job.snapshot}/${job.dir}`;
      let files: string[];
      try {
        files = await ops.listDir(folder);
      } catch (err) {
        if (err instanceof RemoteCommandError && /No such file or directory/i.test(err.deviceMessage)) {
          listings.push({ snapshot: job.snapshot, vmxDir: job.dir, exists: false, files: [], vmsd: null });
        }
        // Any other failure: the folder was not examined, and the audit does not pretend it was.
        return;
      }
      const vmsdName = files.find((f) => f === `${base.get(job.dir)}.vmsd`) ?? files.find((f) => f.endsWith('.vmsd'));
      let vmsd: string | null = null;
      if (vmsdName !== undefined) {
        try {
          vmsd = await ops.readFile(`${folder}/${vmsdName}`);
        } catch {
          vmsd = null;
        }
      }
      listings.push({ snapshot: job.snapshot, vmxDir: job.dir, exists: true, files: [...files].sort(), vmsd });
    }),
  );
  return { listings, reader: readers[0]!.host.name };
}

export async function collectCapture(opts: CollectOptions): Promise<Capture> {
  const { site, pool, signal } = opts;
  const takenAt = (opts.now ?? (() => new Date()))();
  const [hostResults, ontap] = await Promise.all([
    Promise.all(site.endpoints.esxi.map((e) => collectHost(site, pool, e.name, signal))),
    collectVolumes(site, pool, opts.previous),
  ]);
  checkAbort(signal);
  const placed = await addPlacement(
    site,
    opts.env ?? {},
    hostResults.flatMap((h) => h.vms),
    opts.previous,
  );
  const vmsFound = placed.vms;
  const carried = carryForward(
    hostResults.map((h) => h.host),
    vmsFound,
    opts.previous,
  );
  // Without the cluster the snapshot names are stale: reading them would report VMs as missing.
  const { listings, reader } =
    ontap.error === null ? await readListings(site, hostResults, carried.vms, ontap.volumes, signal) : { listings: [], reader: null };
  const audited = auditCapture({
    vms: carried.vms,
    hosts: carried.hosts,
    volumes: ontap.volumes,
    primaryVolume: site.relationship.source,
    mirrorVolume: site.relationship.destination,
    listings,
    ...(ontap.error !== null
      ? { unreachable: [{ name: site.endpoints.ontap.name, error: ontap.error, kept: Boolean(opts.previous) }] }
      : {}),
    ...(ontap.error !== null
      ? {
          quiesceUnknown: `the cluster ${site.endpoints.ontap.name} could not be reached, so the VSC snapshots are unknown`,
          quiesceUnknownDetail: { key: 'clusterUnreachableQuiesce', params: { cluster: site.endpoints.ontap.name } },
        }
      : reader === null
        ? {
            quiesceUnknown: `neither datastore ${site.datastores.mirror.name} nor ${site.datastores.primary.name} is mounted on a reachable host, so the VSC snapshots could not be read`,
            quiesceUnknownDetail: {
              key: 'noDatastoreMounted',
              params: { mirror: site.datastores.mirror.name, primary: site.datastores.primary.name },
            },
          }
        : {}),
  });
  for (const h of hostResults) {
    if (h.relockError === undefined) continue;
    audited.audit.findings.unshift({
      code: 'lockdown-not-restored',
      severity: 'error',
      host: h.host.name,
      message: `host ${h.host.name} was taken out of lockdown to be read and could not be put back (${h.relockError}): enter lockdown on it by hand`,
      detail: { key: 'lockdownNotRestored', params: { host: h.host.name, error: h.relockError } },
    });
  }
  audited.audit.findings.push(...placed.findings);
  return {
    id: newCaptureId(takenAt),
    site: site.site,
    takenAt: takenAt.toISOString(),
    drbookVersion: opts.drbookVersion,
    hosts: carried.hosts,
    vms: audited.vms,
    volumes: ontap.volumes,
    audit: audited.audit,
    ...(placed.vcenter ? { vcenter: placed.vcenter } : {}),
  };
}
