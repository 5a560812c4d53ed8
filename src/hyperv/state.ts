/**
 * Where a Hyper-V site stands (design §4b), derived from typed facts read on the cluster nodes,
 * with the journal and the latest capture as context. Pure: the reader is ./read-state.ts.
 * The recovery is in place (the files are back on their volumes), so there is no mirror: the site
 * is `protected` while every recorded VM is registered, `primary-lost` when recorded VMs lost
 * their registrations (the recovery's situation), and `failover-in-progress` while a recovery run
 * is unfinished.
 */
import type { HvVm, SharedVolume } from '../adapters/hyperv/parsers.js';
import {
  stateMaker,
  unfinishedRunState,
  type LockSummary,
  type NextStep,
  type RunSummary,
  type SiteStateMaker,
  type SiteStateName,
} from '../site/state.js';

export interface HvNodeFacts {
  name: string;
  reachable: boolean;
  error?: string | undefined;
  /** The VMs registered on it (null: not read). */
  vms: Pick<HvVm, 'id' | 'name' | 'state' | 'heartbeat'>[] | null;
}

export interface HvSiteFacts {
  site: string;
  cluster: string;
  observedAt: string;
  nodes: HvNodeFacts[];
  /** The cluster-wide reading (roles, CSVs) failed: why. */
  clusterError: string | null;
  csvs: SharedVolume[];
  /** Failed roles holding a recorded VM: what the recovery removes first. */
  failedRoles: string[];
  /** Recorded VMs not registered whose configuration file is not there (null: not checked). */
  configMissing: string[] | null;
}

export interface HvSiteContext {
  lastCapture: { id: string; takenAt: string; vms: { id: string; name: string; node: string; state: string }[]; findings: number } | null;
  lastRun: RunSummary | null;
  unfinishedFailovers: RunSummary[];
  lastDoneFailover: RunSummary | null;
  lock: LockSummary | null;
}

export type HvSiteReason =
  | { kind: 'hv-all-registered'; registered: number; running: number; recovered: boolean }
  | { kind: 'hv-registrations-lost'; missing: string[]; expected: number; configMissing: string[] | null }
  | { kind: 'run-unfinished'; runId: string; status: string }
  | { kind: 'hv-cluster-unreachable'; error: string }
  | { kind: 'hv-nodes-unread'; nodes: string[]; vms: string[] }
  | { kind: 'hv-no-capture' };

export type HvNextStep = NextStep | { kind: 'capture' } | { kind: 'restore-files'; vms: string[] };

export interface HvSiteState {
  state: SiteStateName;
  reason: HvSiteReason;
  next: HvNextStep;
  /** Recorded VMs (the latest capture) that are not registered on any node read. */
  missing: string[];
  /** Recorded VMs on nodes that could not be read: neither back nor missing. */
  unknown: string[];
  unreachableNodes: string[];
  since: number | null;
  byRun: string | null;
}

export function deriveHvSiteState(facts: HvSiteFacts, context: HvSiteContext): HvSiteState {
  const unreachableNodes = facts.nodes.filter((n) => !n.reachable).map((n) => n.name);
  const read = facts.nodes.filter((n) => n.vms !== null);
  const registered = new Set(read.flatMap((n) => n.vms!.map((v) => v.id)));
  const readNames = new Set(read.map((n) => n.name));
  const recorded = context.lastCapture?.vms ?? [];
  // A VM recorded on a node that did not answer may be there or not: it is neither back nor missing.
  const missing = recorded.filter((v) => !registered.has(v.id) && readNames.has(v.node)).map((v) => v.name);
  const unknown = recorded.filter((v) => !registered.has(v.id) && !readNames.has(v.node)).map((v) => v.name);
  const make: SiteStateMaker<HvSiteState, HvSiteReason, HvNextStep> = stateMaker({ missing, unknown, unreachableNodes });
  if (read.length === 0) {
    return make(
      'unknown',
      { kind: 'hv-cluster-unreachable', error: facts.nodes.map((n) => `${n.name}: ${n.error ?? '?'}`).join('; ') },
      { kind: 'check' },
    );
  }
  if (!context.lastCapture) return make('unknown', { kind: 'hv-no-capture' }, { kind: 'capture' });
  const unfinished = context.unfinishedFailovers[0];
  if (unfinished) return unfinishedRunState(make, unfinished);
  if (missing.length > 0) {
    const noFiles = facts.configMissing ?? [];
    return make(
      'primary-lost',
      { kind: 'hv-registrations-lost', missing, expected: recorded.length, configMissing: facts.configMissing },
      // Import-VM needs the files back first: say so before sending anyone to the recovery.
      noFiles.length > 0 ? { kind: 'restore-files', vms: noFiles } : { kind: 'failover' },
    );
  }
  // Nothing seen missing, but the VMs of a node that did not answer cannot be vouched for.
  if (unknown.length > 0) return make('unknown', { kind: 'hv-nodes-unread', nodes: unreachableNodes, vms: unknown }, { kind: 'check' });
  const all = read.flatMap((n) => n.vms!);
  const done = context.lastDoneFailover;
  const recovered = done !== null && done.updatedAt >= Date.parse(context.lastCapture.takenAt);
  return make(
    'protected',
    { kind: 'hv-all-registered', registered: all.length, running: all.filter((v) => v.state === 'running').length, recovered },
    unreachableNodes.length > 0 ? { kind: 'check' } : { kind: 'nothing' },
    recovered ? done.updatedAt : null,
    recovered ? done.id : null,
  );
}
