/**
 * Reads a Hyper-V site's facts over its SSH pool (read-only) and its context from the database,
 * for deriveHvSiteState: what `drbook status` and `drbook check` show for a Hyper-V site.
 */
import { HypervOps } from '../adapters/hyperv/ops.js';
import { describeError } from '../errors.js';
import type { Db } from '../journal/db.js';
import { Journal, type Run } from '../journal/journal.js';
import type { HypervSite } from '../runbook/site.js';
import { resumableFailovers } from '../site/read.js';
import type { RunSummary } from '../site/state.js';
import type { HostPool } from '../transport/types.js';
import type { HvCapture } from './capture.js';
import { loadHypervCapture } from './capture-command.js';
import { deriveHvSiteState, type HvSiteContext, type HvSiteFacts, type HvSiteState } from './state.js';

const summary = (r: Run): RunSummary => ({ id: r.id, kind: r.kind, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt });

/** The latest capture and the runs of the site; `db` undefined: no database yet. */
export function readHvSiteContext(db: Db | undefined, site: HypervSite): { context: HvSiteContext; capture: HvCapture | undefined } {
  if (!db)
    return {
      context: { lastCapture: null, lastRun: null, unfinishedFailovers: [], lastDoneFailover: null, lock: null },
      capture: undefined,
    };
  const journal = new Journal(db);
  const runs = journal.listRuns({ site: site.site });
  const capture = loadHypervCapture(db, site.site);
  const lock = journal.lockHolder(site.site);
  const done = runs.find((r) => r.kind === 'failover' && r.status === 'done');
  return {
    capture,
    context: {
      lastCapture: capture
        ? {
            id: capture.id,
            takenAt: capture.takenAt,
            vms: capture.vms.map((v) => ({ id: v.id, name: v.name, node: v.node, state: v.state })),
            findings: capture.audit.findings.length,
          }
        : null,
      lastRun: runs[0] ? summary(runs[0]) : null,
      unfinishedFailovers: resumableFailovers(runs).map(summary),
      lastDoneFailover: done ? summary(done) : null,
      lock: lock ? { runId: lock.runId, kind: lock.kind, pid: lock.pid, hostname: lock.hostname, since: lock.since } : null,
    },
  };
}

/** Every node's VMs, the CSVs and failed roles, and whether a missing VM's files are there. */
export async function readHvSiteFacts(
  site: HypervSite,
  pool: HostPool,
  capture: HvCapture | undefined,
  o: { now?: number; signal?: AbortSignal } = {},
): Promise<HvSiteFacts> {
  const timeoutMs = site.timeouts.commandSeconds * 1000;
  const ops = (name: string) => new HypervOps(pool.host(name), { timeoutMs, signal: o.signal });
  const nodes = await Promise.all(
    site.endpoints.nodes.map(async (n) => {
      try {
        const vms = (await ops(n.name).listVms()).map((v) => ({ id: v.id, name: v.name, state: v.state, heartbeat: v.heartbeat }));
        return { name: n.name, reachable: true, vms };
      } catch (err) {
        return { name: n.name, reachable: false, error: describeError(err), vms: null };
      }
    }),
  );
  const facts: HvSiteFacts = {
    site: site.site,
    cluster: site.hyperv.cluster,
    observedAt: new Date(o.now ?? Date.now()).toISOString(),
    nodes,
    clusterError: null,
    csvs: [],
    failedRoles: [],
    configMissing: null,
  };
  const reader = nodes.find((n) => n.reachable);
  if (!reader) return facts;
  try {
    const r = ops(reader.name);
    const [csvs, groups, resources] = await Promise.all([r.sharedVolumes(), r.clusterGroups(), r.clusterResources()]);
    facts.csvs = csvs;
    const recordedIds = new Set((capture?.vms ?? []).map((v) => v.id));
    const vmGroups = new Set(
      resources.filter((x) => x.type === 'Virtual Machine' && x.vmId !== null && recordedIds.has(x.vmId)).map((x) => x.ownerGroup),
    );
    facts.failedRoles = groups.filter((g) => g.state === 'failed' && vmGroups.has(g.name)).map((g) => g.name);
  } catch (err) {
    facts.clusterError = describeError(err);
  }
  if (capture) {
    // Only the VMs not registered: their configuration file is what Import-VM -Register reads.
    const registered = new Set(nodes.flatMap((n) => (n.vms ?? []).map((v) => v.id)));
    const byNode = new Map(nodes.map((n) => [n.name, n.reachable]));
    const missing: string[] = [];
    let checked = true;
    for (const vm of capture.vms.filter((v) => !registered.has(v.id) && byNode.get(v.node))) {
      try {
        if (!(await ops(vm.node).fileExists(vm.configFile))) missing.push(vm.name);
      } catch {
        checked = false;
      }
    }
    facts.configMissing = checked ? missing : null;
  }
  return facts;
}

export async function readHvSiteState(
  site: HypervSite,
  pool: HostPool,
  db: Db | undefined,
): Promise<{ facts: HvSiteFacts; context: HvSiteContext; state: HvSiteState; capture: HvCapture | undefined }> {
  const { context, capture } = readHvSiteContext(db, site);
  const facts = await readHvSiteFacts(site, pool, capture);
  return { facts, context, capture, state: deriveHvSiteState(facts, context) };
}
