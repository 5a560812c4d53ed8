/**
 * Reads the site's facts over its SSH pool (read-only: nothing is changed, lockdown included) and
 * its context from the database (runs, captures, the lock), for deriveSiteState.
 */
import { EsxiOps } from '../adapters/esxi/ops.js';
import { OntapOps } from '../adapters/ontap/ops.js';
import { drillNames } from '../drill/context.js';
import { describeError } from '../errors.js';
import { primaryVmsOf } from '../failover/context.js';
import { vscBackups } from '../failover/vsc.js';
import { CaptureStore } from '../inventory/store.js';
import type { Db } from '../journal/db.js';
import { Journal, type Run } from '../journal/journal.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import { readSiteLock } from './lock.js';
import { readHostPlacement } from './placement.js';
import type { SnapmirrorRelationship } from '../adapters/ontap/parsers.js';
import {
  deriveSiteState,
  lagSeconds,
  type RelationshipFacts,
  type RunSummary,
  type SiteContext,
  type SiteFacts,
  type SiteState,
} from './state.js';

const summary = (r: Run): RunSummary => ({ id: r.id, kind: r.kind, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt });

/** A run that did not finish: active (or killed while active), stopped or failed (never a refused one). */
export function isUnfinished(r: Pick<Run, 'status'>): boolean {
  return r.status !== 'done' && r.status !== 'aborted' && r.status !== 'refused';
}

/**
 * The unfinished failovers of a site that a later finished failover has not superseded, newest
 * first: a run stopped at its confirmation, then another that finished, leaves nothing to resume.
 */
export function resumableFailovers(runs: readonly Run[]): Run[] {
  const failovers = runs.filter((r) => r.kind === 'failover');
  const lastDone = failovers.find((r) => r.status === 'done');
  return failovers.filter((r) => isUnfinished(r) && (!lastDone || r.createdAt > lastDone.createdAt));
}

/** Whether a later finished run of the same kind and site made this run obsolete. */
export function supersededBy(runs: readonly Run[], run: Run): Run | undefined {
  return runs.find(
    (r) => r.kind === run.kind && r.site === run.site && r.status === 'done' && r.id !== run.id && r.createdAt >= run.createdAt,
  );
}

/** What the journal and the captures say about the site; `db` undefined: no database yet. */
export function readSiteContext(db: Db | undefined, site: Site, o: { ignoreRun?: string | undefined } = {}): SiteContext {
  if (!db)
    return { lastGoodCapture: null, degradedCapture: null, lastRun: null, unfinishedFailovers: [], lastDoneFailover: null, lock: null };
  const journal = new Journal(db);
  const store = new CaptureStore(db);
  // The run asking (a failover's own guard) is not context: it has done nothing yet.
  const runs = journal.listRuns({ site: site.site }).filter((r) => r.id !== o.ignoreRun);
  const good = store.latest(site.site);
  const newest = store.newest(site.site);
  const lock = readSiteLock(journal, site);
  return {
    lastGoodCapture: good
      ? { id: good.id, takenAt: good.takenAt, vms: good.vms.length, primaryVms: primaryVmsOf(site, good).length }
      : null,
    degradedCapture: newest?.degraded ? { id: newest.id, takenAt: newest.takenAt, reason: newest.degraded.reason } : null,
    lastRun: runs[0] ? summary(runs[0]) : null,
    unfinishedFailovers: resumableFailovers(runs).map(summary),
    lastDoneFailover: runs.find((r) => r.kind === 'failover' && r.status === 'done')
      ? summary(runs.find((r) => r.kind === 'failover' && r.status === 'done')!)
      : null,
    unfinishedReprotect: unfinishedOf(runs, 'reprotect'),
    unfinishedFailback: unfinishedOf(runs, 'failback'),
    lock: lock ? { runId: lock.runId, kind: lock.kind, pid: lock.pid, hostname: lock.hostname, since: lock.since } : null,
  };
}

/**
 * The newest run of `kind` (reprotect, failback) that did not finish, when no later run of that
 * kind finished (runs are newest first) and it was not aborted before it began.
 */
export function unfinishedOf(runs: readonly Run[], kind: 'reprotect' | 'failback'): RunSummary | null {
  for (const r of runs) {
    if (r.kind !== kind) continue;
    if (r.status === 'done') return null;
    if (isUnfinished(r)) return summary(r);
  }
  return null;
}

/** The FlexClones unfinished drills may have left or be using (named from their run ids). */
export function drillClonesToLookFor(db: Db | undefined, site: Site): string[] {
  if (!db) return [];
  return new Journal(db)
    .listRuns({ site: site.site })
    .filter((r) => r.kind === 'drill' && isUnfinished(r))
    .map((r) => drillNames(site, r.id).clone);
}

/** The devices' facts: relationship, primary volume, newest VSC snapshot on the mirror, every host. */
export async function readSiteFacts(
  site: Site,
  pool: HostPool,
  o: { drillClones?: readonly string[]; now?: () => number } = {},
): Promise<SiteFacts> {
  const timeoutMs = site.timeouts.commandSeconds * 1000;
  const ontap = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs });
  const primary = splitVolumePath(site.relationship.source);
  const mirror = splitVolumePath(site.relationship.destination);
  const ds = { primary: site.datastores.primary.name, mirror: site.datastores.mirror.name };
  const hostsP = Promise.all(
    site.endpoints.esxi.map((ep) => readHostPlacement(ep.name, new EsxiOps(pool.host(ep.name), { timeoutMs }), ds)),
  );
  const facts: SiteFacts = {
    site: site.site,
    observedAt: new Date(o.now?.() ?? Date.now()).toISOString(),
    ontapError: null,
    relationship: null,
    primaryVolumeState: null,
    newestVsc: null,
    hosts: [],
    drillClones: [],
  };
  try {
    const [rels, reverse, volume, snaps] = await Promise.all([
      ontap.relationships({ destination: site.relationship.destination }),
      // The way back: a relationship into the primary exists only between reprotect and failback.
      ontap.relationships({ destination: site.relationship.source }),
      ontap.volumeState(primary.vserver, primary.volume),
      ontap.snapshots(mirror.vserver, mirror.volume),
    ]);
    facts.relationship = relationshipFacts(rels.find((r) => r.destination === site.relationship.destination));
    facts.reverseRelationship = relationshipFacts(
      reverse.find((r) => r.destination === site.relationship.source && r.source === site.relationship.destination),
    );
    facts.primaryVolumeState = volume ? (volume.state ?? 'unknown') : null;
    const newest = vscBackups(
      snaps.map((s) => ({ name: s.name, createTime: s.createTime ?? null })),
      site.jobs,
    )[0];
    facts.newestVsc = newest ? { name: newest.name, createTime: newest.createTime } : null;
    for (const clone of o.drillClones ?? []) {
      const state = await ontap.volumeState(mirror.vserver, clone);
      if (state) facts.drillClones.push(clone);
    }
  } catch (err) {
    facts.ontapError = describeError(err);
  }
  facts.hosts = await hostsP;
  return facts;
}

function relationshipFacts(rel: SnapmirrorRelationship | undefined): RelationshipFacts | null {
  return rel
    ? {
        source: rel.source,
        destination: rel.destination,
        state: rel.state,
        status: rel.status,
        healthy: rel.healthy,
        lagTime: rel.lagTime ?? null,
        lagSeconds: lagSeconds(rel.lagTime),
      }
    : null;
}

/** Facts, context and state in one go: what `drbook status`, `drbook check` and the failover read. */
export async function readSiteState(
  site: Site,
  pool: HostPool,
  db: Db | undefined,
  o: { ignoreRun?: string | undefined } = {},
): Promise<{ facts: SiteFacts; context: SiteContext; state: SiteState }> {
  const context = readSiteContext(db, site, o);
  const facts = await readSiteFacts(site, pool, { drillClones: drillClonesToLookFor(db, site) });
  return { facts, context, state: deriveSiteState(facts, context) };
}
