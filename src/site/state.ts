/**
 * Where the site stands (design §4b), derived from typed facts read on the devices, with the
 * journal and the captures as context (which run did it, and when). Pure: no I/O here; the reader
 * is ./read.ts. The devices decide; the journal only fills in what the devices cannot show (a host
 * in lockdown hides its VMs) and says who did it.
 */

/** The states a site goes through. The way back (reprotect, failback) adds the last three. */
export type SiteStateName =
  | 'protected'
  | 'primary-lost'
  | 'failover-in-progress'
  | 'failed-over'
  | 'reprotecting'
  | 'reprotected'
  | 'failing-back'
  /** The site could not be read well enough to say (the cluster unreachable, no relationship). */
  | 'unknown';

export type DatastoreAccess = 'accessible' | 'inaccessible' | 'missing';

/** A VM registered (or only running, its registration gone) from one datastore on one host. */
export interface VmOnDatastore {
  name: string;
  registered: boolean;
  running: boolean;
}

export interface HostFacts {
  name: string;
  reachable: boolean;
  error?: string | undefined;
  /** null when it could not be read. */
  lockdown: boolean | null;
  /** null: not readable (lockdown hides it, or the host did not answer). */
  primaryDatastore: DatastoreAccess | null;
  mirrorDatastore: DatastoreAccess | null;
  onPrimary: VmOnDatastore[] | null;
  onMirror: VmOnDatastore[] | null;
}

export interface RelationshipFacts {
  source: string;
  destination: string;
  state: string | null;
  status: string | null;
  healthy: boolean | null;
  lagTime: string | null;
  lagSeconds: number | null;
}

export interface SnapshotFacts {
  name: string;
  /** ISO time, or null when the cluster did not say. */
  createTime: string | null;
}

/** What the devices said, at one moment. */
export interface SiteFacts {
  site: string;
  observedAt: string;
  /** The cluster answered (null error). */
  ontapError: string | null;
  relationship: RelationshipFacts | null;
  /** The way back: the relationship from the mirror into the primary (reprotect makes it); null: none. */
  reverseRelationship?: RelationshipFacts | null | undefined;
  /** The primary volume's state as the cluster reports it; null: no such volume (lost). */
  primaryVolumeState: string | null;
  newestVsc: SnapshotFacts | null;
  hosts: HostFacts[];
  /** FlexClones of unfinished drills that are online on the cluster. */
  drillClones: string[];
}

export interface RunSummary {
  id: string;
  kind: string;
  status: string;
  createdAt: number;
  updatedAt: number;
}

export interface LockSummary {
  runId: string;
  kind: string;
  pid: number;
  hostname: string;
  since: number;
}

/** What the journal and the captures add. */
export interface SiteContext {
  lastGoodCapture: { id: string; takenAt: string; vms: number; primaryVms: number } | null;
  /** The newest capture when it is degraded (taken after the disaster): shown, never used. */
  degradedCapture: { id: string; takenAt: string; reason: string } | null;
  lastRun: RunSummary | null;
  /** Failover runs of the site that did not finish and were not superseded, newest first. */
  unfinishedFailovers: RunSummary[];
  lastDoneFailover: RunSummary | null;
  lock: LockSummary | null;
  /** The newest reprotect / failback run that did not finish and no later one of its kind finished. */
  unfinishedReprotect?: RunSummary | null | undefined;
  unfinishedFailback?: RunSummary | null | undefined;
}

export type SiteReason =
  | { kind: 'protected'; healthy: boolean | null }
  | {
      kind: 'primary-lost';
      why: 'volume-missing' | 'volume-offline' | 'datastore-inaccessible';
      volumeState: string | null;
      hosts: string[];
    }
  | { kind: 'broken-nothing-on-mirror' }
  | { kind: 'run-unfinished'; runId: string; status: string }
  | { kind: 'partly-recovered'; onMirror: number; expected: number }
  | {
      kind: 'failed-over';
      running: number;
      registered: number;
      hosts: string[];
      evidence: 'devices' | 'journal';
      /** Hosts that could not be looked into (lockdown hides their VMs, or they did not answer): the counts leave them out. */
      notRead: string[];
    }
  | { kind: 'quiesced' }
  | { kind: 'ontap-unreachable'; error: string }
  | { kind: 'no-relationship' }
  | { kind: 'relationship-state'; state: string | null }
  /** The reverse relationship (mirror → primary) exists and is not mirroring yet (baseline or resync running). */
  | { kind: 'reprotecting'; state: string | null; status: string | null; runId: string | null }
  | { kind: 'reprotected'; lag: string | null }
  | { kind: 'failing-back'; runId: string | null; reverseState: string | null };

export type NextStep =
  | { kind: 'nothing' }
  | { kind: 'failover' }
  | { kind: 'resume'; runId: string }
  | { kind: 'continue-failover' }
  | { kind: 'reprotect-failback' }
  | { kind: 'check' }
  | { kind: 'drill-cleanup' }
  /** The reverse baseline or resync is still transferring: wait, then fail back. */
  | { kind: 'wait-reprotect' }
  | { kind: 'failback' }
  | { kind: 'reprotect' };

export interface SiteState {
  state: SiteStateName;
  drillRunning: boolean;
  reason: SiteReason;
  next: NextStep;
  /** VMs registered / running from the mirror datastore on the hosts that could be read. */
  mirror: { registered: number; running: number; hosts: string[]; names: string[] };
  /** Reachable hosts whose VMs lockdown hides. */
  hiddenHosts: string[];
  unreachableHosts: string[];
  /** When the state began, when the journal knows (ms since the epoch), and the run that made it. */
  since: number | null;
  byRun: string | null;
}

function onMirror(facts: SiteFacts): SiteState['mirror'] {
  const names: string[] = [];
  const hosts: string[] = [];
  let registered = 0;
  let running = 0;
  for (const h of facts.hosts) {
    if (!h.onMirror || h.onMirror.length === 0) continue;
    hosts.push(h.name);
    for (const v of h.onMirror) {
      names.push(v.name);
      if (v.registered) registered++;
      if (v.running) running++;
    }
  }
  return { registered, running, hosts, names };
}

/** Why the primary looks lost, or null when it does not. */
function primaryLost(facts: SiteFacts): Extract<SiteReason, { kind: 'primary-lost' }> | null {
  if (facts.ontapError === null && facts.primaryVolumeState === null) {
    return { kind: 'primary-lost', why: 'volume-missing', volumeState: null, hosts: [] };
  }
  if (facts.primaryVolumeState !== null && facts.primaryVolumeState !== 'online') {
    return { kind: 'primary-lost', why: 'volume-offline', volumeState: facts.primaryVolumeState, hosts: [] };
  }
  // Every host that can show its datastores has the primary one missing or inaccessible.
  const seen = facts.hosts.filter((h) => h.primaryDatastore !== null);
  if (seen.length > 0 && seen.every((h) => h.primaryDatastore !== 'accessible')) {
    return { kind: 'primary-lost', why: 'datastore-inaccessible', volumeState: facts.primaryVolumeState, hosts: seen.map((h) => h.name) };
  }
  return null;
}

/** How a platform's derivation builds its answer: the state, why, what to do next, and since when by which run. */
export type SiteStateMaker<S, Reason, Next> = (
  state: SiteStateName,
  reason: Reason,
  next: Next,
  since?: number | null,
  byRun?: string | null,
) => S;

/** A maker that adds the facts every answer of one reading shares (`base`); `adjustNext` may overrule what to do next. */
export function stateMaker<Base extends object, Reason, Next>(
  base: Base,
  adjustNext: (next: Next) => Next = (next) => next,
): SiteStateMaker<Base & { state: SiteStateName; reason: Reason; next: Next; since: number | null; byRun: string | null }, Reason, Next> {
  return (state, reason, next, since = null, byRun = null) => ({ ...base, state, reason, next: adjustNext(next), since, byRun });
}

/** An unfinished failover run decides: the failover is in progress since the run began, and resuming it is what to do. */
export function unfinishedRunState<S>(
  make: SiteStateMaker<S, { kind: 'run-unfinished'; runId: string; status: string }, { kind: 'resume'; runId: string }>,
  run: RunSummary,
): S {
  return make(
    'failover-in-progress',
    { kind: 'run-unfinished', runId: run.id, status: run.status },
    { kind: 'resume', runId: run.id },
    run.createdAt,
    run.id,
  );
}

/** The site's state from the facts; the context names the run and the time. */
export function deriveSiteState(facts: SiteFacts, context: SiteContext): SiteState {
  const mirror = onMirror(facts);
  const hiddenHosts = facts.hosts.filter((h) => h.reachable && h.onMirror === null).map((h) => h.name);
  const unreachableHosts = facts.hosts.filter((h) => !h.reachable).map((h) => h.name);
  const drillRunning = facts.drillClones.length > 0 || context.lock?.kind === 'drill';
  const unfinished = context.unfinishedFailovers[0];
  const make: SiteStateMaker<SiteState, SiteReason, NextStep> = stateMaker(
    { drillRunning, mirror, hiddenHosts, unreachableHosts },
    (next) => (drillRunning && next.kind === 'nothing' && context.lock?.kind !== 'drill' ? { kind: 'drill-cleanup' } : next),
  );

  if (facts.ontapError !== null) return make('unknown', { kind: 'ontap-unreachable', error: facts.ontapError }, { kind: 'check' });
  const rel = facts.relationship;
  const wayBack = wayBackState(facts, context, make);
  if (wayBack) return wayBack;
  if (!rel) return make('unknown', { kind: 'no-relationship' }, { kind: 'check' });

  if (rel.state === 'Broken-off') {
    const expected = context.lastGoodCapture?.primaryVms ?? null;
    const done = context.lastDoneFailover;
    const allRead = hiddenHosts.length === 0 && unreachableHosts.length === 0;
    const onMirrorNow = mirror.registered + mirror.running;
    // Every host read, and fewer VMs back than the last good capture holds: not finished.
    const shortfall = allRead && expected !== null && mirror.registered < expected;
    if (onMirrorNow > 0) {
      // The devices decide: VMs run from the mirror and none is seen missing.
      if (!shortfall) {
        const by = unfinished ?? done;
        return make(
          'failed-over',
          {
            kind: 'failed-over',
            running: mirror.running,
            registered: mirror.registered,
            hosts: mirror.hosts,
            evidence: 'devices',
            notRead: [...hiddenHosts, ...unreachableHosts],
          },
          // A run that brought the VMs back but did not finish (verify, lockdown) is resumed.
          unfinished
            ? { kind: 'resume', runId: unfinished.id }
            : primaryLost(facts)
              ? { kind: 'reprotect-failback' }
              : { kind: 'reprotect' },
          by ? (by === done ? by.updatedAt : by.createdAt) : null,
          by?.id ?? null,
        );
      }
      if (unfinished) return unfinishedRunState(make, unfinished);
      return make(
        'failover-in-progress',
        { kind: 'partly-recovered', onMirror: mirror.registered, expected: expected },
        { kind: 'continue-failover' },
        done?.updatedAt ?? null,
        done?.id ?? null,
      );
    }
    if (unfinished) return unfinishedRunState(make, unfinished);
    // Lockdown hides the VMs; the journal says a failover finished and nothing says otherwise.
    if (done && hiddenHosts.length > 0) {
      return make(
        'failed-over',
        {
          kind: 'failed-over',
          running: 0,
          registered: 0,
          hosts: hiddenHosts,
          evidence: 'journal',
          notRead: [...hiddenHosts, ...unreachableHosts],
        },
        { kind: 'reprotect-failback' },
        done.updatedAt,
        done.id,
      );
    }
    return make('failover-in-progress', { kind: 'broken-nothing-on-mirror' }, { kind: 'continue-failover' });
  }

  if (unfinished && (rel.status === 'Quiesced' || rel.state === 'Quiesced')) return unfinishedRunState(make, unfinished);
  const lost = primaryLost(facts);
  if (lost) {
    if (unfinished) return unfinishedRunState(make, unfinished);
    return make('primary-lost', lost, { kind: 'failover' });
  }
  if (rel.status === 'Quiesced') return make('unknown', { kind: 'quiesced' }, { kind: 'check' });
  if (rel.state === 'Snapmirrored') return make('protected', { kind: 'protected', healthy: rel.healthy }, { kind: 'nothing' });
  return make('unknown', { kind: 'relationship-state', state: rel.state }, { kind: 'check' });
}

/**
 * The way back (reprotect, then failback), decided by the reverse relationship and the unfinished
 * runs: null when the site is not on it.
 */
function wayBackState(facts: SiteFacts, context: SiteContext, make: SiteStateMaker<SiteState, SiteReason, NextStep>): SiteState | null {
  const rev = facts.reverseRelationship ?? null;
  const failback = context.unfinishedFailback ?? null;
  const reprotect = context.unfinishedReprotect ?? null;
  const rel = facts.relationship;
  if (failback) {
    // Started: the VMs may be shut down, half registered, or back with the original direction not re-established yet.
    return make(
      'failing-back',
      { kind: 'failing-back', runId: failback.id, reverseState: rev?.state ?? null },
      { kind: 'resume', runId: failback.id },
      failback.createdAt,
      failback.id,
    );
  }
  if (rev) {
    if (rev.state === 'Broken-off')
      return make('failing-back', { kind: 'failing-back', runId: null, reverseState: rev.state }, { kind: 'failback' });
    if (reprotect) {
      return make(
        'reprotecting',
        { kind: 'reprotecting', state: rev.state, status: rev.status, runId: reprotect.id },
        { kind: 'resume', runId: reprotect.id },
        reprotect.createdAt,
        reprotect.id,
      );
    }
    if (rev.state === 'Snapmirrored' && rev.status !== 'Transferring' && rev.healthy !== false) {
      return make('reprotected', { kind: 'reprotected', lag: rev.lagTime }, { kind: 'failback' });
    }
    return make('reprotecting', { kind: 'reprotecting', state: rev.state, status: rev.status, runId: null }, { kind: 'wait-reprotect' });
  }
  if (reprotect && (!rel || rel.state === 'Broken-off')) {
    return make(
      'reprotecting',
      { kind: 'reprotecting', state: null, status: null, runId: reprotect.id },
      { kind: 'resume', runId: reprotect.id },
      reprotect.createdAt,
      reprotect.id,
    );
  }
  return null;
}

/** ONTAP lag `H:M:S` (hours may exceed 24) → seconds; null when unreadable. */
export function lagSeconds(lag: string | null | undefined): number | null {
  const m = /^(\d+):(\d+):(\d+)$/.exec(lag ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}
