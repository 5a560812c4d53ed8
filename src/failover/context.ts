/**
 * What every failover action works with: the site, the capture taken before the outage, the
 * device adapters, and the facts the run has established (the restore plan, which hosts it took
 * out of lockdown). Facts are re-derived from the journal's events on resume, never kept aside.
 */
import { EsxiOps } from '../adapters/esxi/ops.js';
import { OntapOps } from '../adapters/ontap/ops.js';
import type { EngineEvent } from '../engine/events.js';
import type { EventSink, Prompter } from '../engine/ports.js';
import type { Lang } from '../i18n/lang.js';
import type { Capture, CapturedVm } from '../inventory/types.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import { PlacementApi } from '../placement/placement.js';
import { auditToEvents } from '../engine/audit.js';
import { vcenterEndpoint } from '../adapters/vcenter/site.js';
import type { HostPool } from '../transport/types.js';
import { SharedReads } from '../transport/shared-reads.js';
import { lastBoard } from '../runbook/board.js';
import type { PreflightFacts } from './situation.js';
import type { OtherJobs } from './vsc.js';
import { closest } from '../runbook/yaml-errors.js';
import { findByKey } from './lookup.js';
import { DrbookError } from '../errors.js';
import { WaitHistory } from './wait.js';

export interface FailoverOptions {
  /** `--snapshot`: the NetApp snapshot to restore to; default: chosen by the preflight. */
  snapshot?: string | undefined;
  /** VMs of the other VSC jobs: their folder restored from their snapshot, or run from a FlexClone of it. */
  otherJobs?: OtherJobs | undefined;
  /** `--crash-consistent`: what a run that cannot ask does with a VM that has no quiesce point
   *  (not given: it stops at the question). */
  crashConsistent?: 'power-on' | 'skip' | undefined;
  /** `--unreachable-host`: what a run that cannot ask does with a VM whose host is down (not given: it stops). */
  unreachableHost?: 'skip' | 'stop' | undefined;
  /** `--ack-unknown-priority`: go on although a priority-group name is no captured VM. */
  ackUnknownPriority?: boolean | undefined;
  /** How long a kill may take before the next, harder one. */
  killVerifyMs: number;
  /** How long to wait for a VMware Tools heartbeat after power on. */
  heartbeatMs: number;
  /** Interval of the observations that wait for a change (kill, power on, heartbeat). */
  pollMs: number;
}

/** A stale registration of a VM of the dead datastore on one host. */
export interface StaleVm {
  host: string;
  vmid: number;
  name: string;
  /** The running process, when there is one. */
  worldId?: number | undefined;
  uuid?: string | undefined;
  vmxPath?: string | undefined;
}

/** What runs from the mirror's datastore, read right before the SnapRestore. */
export interface MirrorUse {
  vms: { host: string; name: string; running: boolean }[];
  /** Reachable hosts whose VMs lockdown hides. */
  hidden: string[];
  observedAt: string;
}

export interface FailoverFacts {
  situation?: PreflightFacts | undefined;
  mirrorUse?: MirrorUse | undefined;
  stale: Map<string, StaleVm>;
  /** The stale VMs that had a process, by normalised BIOS uuid (the first listed): set with `stale`. */
  staleRunningByUuid: Map<string, StaleVm>;
  /** Worlds this run saw gone in a read after its kill (`host:worldId`): a world id is never given
   *  to another process while the host runs, so a world seen gone stays gone. */
  worldsGone: Set<string>;
  /** Fence targets standing for a host whose VMs could not be listed: why. */
  unlisted: Map<string, string>;
  /** Recover target id → mirror vmid once registered (re-read from the host when unknown). */
  vmids: Map<string, number>;
  /** VMs that come back without a quiesce point (reported). */
  crashConsistent: Set<string>;
  /** Recover target id → host chosen when the recorded one is unreachable. */
  hostOverride: Map<string, string>;
  /** How long this process's waits took so far, by kind and host (a kill: WaitHistory). */
  waits: WaitHistory;
}

export interface FailoverContext {
  site: Site;
  capture: Capture;
  ontap: OntapOps;
  esxi(host: string): EsxiOps;
  pool: HostPool;
  sink: EventSink;
  prompter: Prompter;
  options: FailoverOptions;
  signal: AbortSignal;
  /** The language of what the actions say (prompts, notes); device output and commands stay verbatim. */
  lang: Lang;
  facts: FailoverFacts;
  /** Every event of this run so far, prior attempts included. */
  events(): readonly EngineEvent[];
  /** drbook's environment: callouts get only what their `env:` allows of it (callout-env.ts). */
  env: Record<string, string | undefined>;
  primary: { vserver: string; volume: string; path: string; datastore: string };
  mirror: { vserver: string; volume: string; path: string; datastore: string; nfsHost: string; share: string };
  /** The capture's VMs that live on the primary volume. */
  primaryVms: CapturedVm[];
  vcenter: CapturedVm | undefined;
  /** The vCenter API for placement; null when the site file has none. */
  placement: PlacementApi | null;
  /**
   * Registers `vmxPath` as `name` through vCenter on ESXi host `host` (`register`): the host's shared
   * reads it makes stale are not served after it, as after the same register sent to the host.
   */
  registersOnHost<T>(host: string, what: { vmxPath: string; name: string }, register: () => Promise<T>): Promise<T>;
}

export interface CreateFailoverContext {
  site: Site;
  capture: Capture;
  pool: HostPool;
  sink: EventSink;
  prompter: Prompter;
  options: FailoverOptions;
  signal: AbortSignal;
  events: () => readonly EngineEvent[];
  /** The callouts' allow-listed variables and the vCenter password's are read from it. Default: empty. */
  env?: NodeJS.ProcessEnv | undefined;
  commandTimeoutMs: number;
  /** Default: English. */
  lang?: Lang | undefined;
}

export function createFailoverContext(c: CreateFailoverContext): FailoverContext {
  const esxiCache = new Map<string, EsxiOps>();
  // Reads that many VMs share (getallvms, process list, power states, the mirror's tables) are sent
  // once per host per moment; the window is shorter than a poll, so every poll reads anew.
  const shared = new SharedReads({ freshMs: Math.min(250, c.options.pollMs / 2) });
  const pool = shared.pool(c.pool, [c.site.endpoints.ontap.name]);
  const src = splitVolumePath(c.site.relationship.source);
  const dst = splitVolumePath(c.site.relationship.destination);
  const primaryDs = c.site.datastores.primary.name;
  const primaryVms = primaryVmsOf(c.site, c.capture);
  const vcenter = vcenterOf(c.site, primaryVms);
  const facts: FailoverFacts = {
    situation: lastBoard(c.events(), 'failover', 'drill'),
    stale: new Map(),
    staleRunningByUuid: new Map(),
    worldsGone: new Set(),
    waits: new WaitHistory(),
    unlisted: new Map(),
    vmids: new Map(),
    crashConsistent: new Set(),
    hostOverride: new Map(),
  };
  return {
    site: c.site,
    capture: c.capture,
    ontap: new OntapOps(pool.host(c.site.endpoints.ontap.name)),
    esxi(host) {
      let ops = esxiCache.get(host);
      if (!ops) {
        ops = new EsxiOps(pool.host(host), { timeoutMs: c.commandTimeoutMs });
        esxiCache.set(host, ops);
      }
      return ops;
    },
    pool,
    sink: c.sink,
    prompter: c.prompter,
    options: c.options,
    signal: c.signal,
    lang: c.lang ?? 'en',
    facts,
    events: c.events,
    env: c.env ?? {},
    primary: { ...src, path: c.site.relationship.source, datastore: primaryDs },
    mirror: {
      ...dst,
      path: c.site.relationship.destination,
      datastore: c.site.datastores.mirror.name,
      nfsHost: c.site.datastores.mirror.nfsHost,
      share: c.site.datastores.mirror.share,
    },
    primaryVms,
    vcenter,
    placement: vcenterEndpoint(c.site) ? new PlacementApi(c.site, c.env ?? {}, auditToEvents(c.sink)) : null,
    registersOnHost: (host, what, register) => shared.changedElsewhere(host, { op: 'register', ...what }, register),
  };
}

/** The capture's VMs that live on the primary volume (the relationship's source). */
export function primaryVmsOf(site: Site, capture: Capture): CapturedVm[] {
  return capture.vms.filter(
    (v) => v.volume === site.relationship.source || (v.volume === null && v.datastore === site.datastores.primary.name),
  );
}

/** The vCenter VM among them, when the site names one and it lives on the primary volume. */
export function vcenterOf(site: Site, primaryVms: readonly CapturedVm[]): CapturedVm | undefined {
  const name = site.vcenter?.vm;
  return name === undefined ? undefined : primaryVms.find((v) => v.isVcenter || v.name === name);
}

/** A priority-group name that is no captured VM (nor the vCenter VM), with the captured name closest to it. */
export interface UnknownPriorityName {
  name: string;
  group: string;
  suggestion?: string | undefined;
}

/**
 * The names in priorityGroups that match no VM of the capture: a misspelt domain controller would
 * otherwise start after every application. `*` (every other VM) always matches.
 */
export function unknownPriorityNames(site: Site, capture: Capture): UnknownPriorityName[] {
  const known = [...new Set([...capture.vms.map((v) => v.name), ...(site.vcenter ? [site.vcenter.vm] : [])])];
  const names = new Set(known);
  const out: UnknownPriorityName[] = [];
  for (const g of site.priorityGroups) {
    for (const name of g.vms) if (name !== '*' && !names.has(name)) out.push({ name, group: g.name, suggestion: closest(name, known) });
  }
  return out;
}

/** A VM's priority group index: its exact name, else the `*` group, else undefined (after every group). */
export function groupIndexOf(site: Site, vm: CapturedVm): number | undefined {
  const exact = site.priorityGroups.findIndex((g) => g.vms.includes(vm.name));
  if (exact >= 0) return exact;
  const star = site.priorityGroups.findIndex((g) => g.vms.includes('*'));
  return star >= 0 ? star : undefined;
}

/** The FlexClone a run makes of the mirror's snapshot `snapshot`, and the datastore it mounts it as. */
export function cloneOf(ctx: Pick<FailoverContext, 'mirror'>, snapshot: string): { volume: string; datastore: string; junction: string } {
  const tag = snapshot.replace(/[^A-Za-z0-9_]/g, '_');
  const volume = `${ctx.mirror.volume}_${tag}`.slice(0, 200);
  return { volume, datastore: `${ctx.mirror.datastore}_${tag}`, junction: `/${volume}` };
}

/** A VM's id as a failover target: its .vmx path on the primary, unique where names are not. */
export function recoverTargetId(vm: CapturedVm): string {
  return `vm:${vm.vmxDir}/${vm.vmxFile}`;
}

/** The captured VM a recover target (a failover's or a drill's) stands for. */
export function vmOf(ctx: Pick<FailoverContext, 'primaryVms' | 'capture'>, t: { id: string }): CapturedVm {
  const vm = findByKey(ctx.primaryVms, recoverTargetId, t.id);
  if (!vm) throw new DrbookError(`target ${t.id} is not in capture ${ctx.capture.id}`);
  return vm;
}
