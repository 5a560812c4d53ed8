/**
 * What the drill's actions work with. A drill context IS a failover context (same site, capture,
 * adapters, facts), so the failover's helpers (preflight observation, lockdown exit/enter, VSC
 * quiesce point matching) run on it unchanged; it adds the names of what the drill creates, the
 * drill's options, and the evidence of what a drill did (for the teardown and `drill cleanup`).
 */
import type { EngineEvent } from '../engine/events.js';
import type { EventSink, Prompter } from '../engine/ports.js';
import { createFailoverContext, type FailoverContext } from '../failover/context.js';
import { vmfsPath } from '../failover/paths.js';
import type { Capture, CapturedVm } from '../inventory/types.js';
import type { Site } from '../runbook/site.js';
import { splitVolumePath } from '../runbook/site.js';
import type { CommandIntent } from '../transport/intent.js';
import type { HostPool } from '../transport/types.js';
import type { Lang } from '../i18n/lang.js';

/** The revert stage's skip reason for a VM without a quiesce point (the report reads it). */
export const CRASH_CONSISTENT = 'no quiesce point: crash-consistent';

/** Appended to each drill VM's recorded name, so no drill VM is ever taken for a production one. */
export const DRILL_SUFFIX = ' [drill]';

/** What a drill creates: one FlexClone of the mirror, mounted under one datastore name. */
export interface DrillNames {
  /** The mirror's vserver: the clone lives beside its parent. */
  vserver: string;
  /** `drill_<run id>` with `-` as `_` (ONTAP volume names: letters, digits, `_`). */
  clone: string;
  junction: string;
  /** The datastore name on the hosts (the clone's name: unique per run). */
  datastore: string;
  /** The NFS server the hosts mount the clone from (the mirror's). */
  nfsHost: string;
}

/** The names a drill run uses, derived from its id alone: a cleanup finds them even when the
 *  drill was killed before it journaled anything. */
export function drillNames(site: Site, runId: string): DrillNames {
  const clone = `drill_${runId.replace(/[^A-Za-z0-9]/g, '_')}`;
  return {
    vserver: splitVolumePath(site.relationship.destination).vserver,
    clone,
    junction: `/${clone}`,
    datastore: clone,
    nfsHost: site.datastores.mirror.nfsHost,
  };
}

/**
 * Whether a mutating command (its journaled intent) works on what this drill creates: its clone on
 * the cluster, or its datastore on a host (mounting it, or a .vmx registered or written in it).
 */
export function touchesDrill(intent: CommandIntent | undefined, names: DrillNames): boolean {
  if (!intent) return false;
  const clone = `${names.vserver}:${names.clone}`;
  const inDatastore = (path: string): boolean => path.startsWith(`${vmfsPath(names.datastore)}/`);
  switch (intent.op) {
    case 'clone-create':
      return intent.clone === clone;
    case 'volume-mount':
    case 'volume-unmount':
    case 'volume-offline':
    case 'volume-delete':
      return intent.volume === clone;
    case 'nfs-add':
    case 'nfs-remove':
      return intent.name === names.datastore;
    case 'register':
      return inDatastore(intent.vmxPath);
    case 'write-file':
      return inDatastore(intent.path);
    default:
      return false;
  }
}

export interface DrillOptions {
  /** `--snapshot`; default: the VSC backup that brings the most VMs back quiesced. */
  snapshot?: string | undefined;
  /** `--host`: the hosts that run the drill VMs; empty = each VM's recorded host. */
  hosts: string[];
  powerOn: boolean;
  /** `--keep`: leave the clone, mounts and drill VMs for inspection (`drill cleanup` removes them). */
  keep: boolean;
  heartbeatMs: number;
  pollMs: number;
  /** How long a power on may take (questions answered) before it counts as failed. */
  powerOnMs: number;
}

/** A production registration seen before the drill touched a host (compared at the end). */
export interface ProductionRow {
  vmid: number;
  name: string;
  path: string;
  power: string;
}

export interface DrillFacts {
  /** Host → production registrations (primary datastore) seen when the drill datastore was mounted. */
  baseline: Map<string, ProductionRow[]>;
  /** Teardown target id → the drill registration found on the device. */
  drillVms: Map<string, { host: string; vmid: number; name: string; path: string }>;
  /** Why the drill folder is not used this run (asked and said once; null inside: it is used). */
  folderOff: Promise<string | null> | null;
}

export interface DrillContext extends FailoverContext {
  mode: 'drill' | 'cleanup';
  /** The drill run whose things these are (a cleanup's own run id differs). */
  drillRunId: string;
  names: DrillNames;
  drill: DrillOptions;
  drillFacts: DrillFacts;
  /**
   * What the drill did, as journaled: the drill run's events, then every cleanup's (this one's
   * included). Touched hosts and lockdown exits are read from here, never guessed.
   */
  evidence(): readonly EngineEvent[];
  /** The host a VM runs on in the drill. */
  hostFor(vm: CapturedVm): string;
  /** Earlier drills of the site whose journal does not show their teardown finished. */
  leftBehind: string[];
}

export interface CreateDrillContext {
  mode: 'drill' | 'cleanup';
  drillRunId: string;
  site: Site;
  capture: Capture;
  pool: HostPool;
  sink: EventSink;
  prompter: Prompter;
  signal: AbortSignal;
  /** This run's events. */
  events: () => readonly EngineEvent[];
  /** Events of other runs that count as evidence (a cleanup: the drill's and earlier cleanups'). */
  priorEvidence: readonly EngineEvent[];
  options: DrillOptions;
  commandTimeoutMs: number;
  leftBehind?: string[] | undefined;
  /** For the vCenter drill folder: the password's environment variable, the messages' language. */
  env?: NodeJS.ProcessEnv | undefined;
  lang?: Lang | undefined;
}

export function createDrillContext(c: CreateDrillContext): DrillContext {
  const base = createFailoverContext({
    site: c.site,
    capture: c.capture,
    pool: c.pool,
    sink: c.sink,
    prompter: c.prompter,
    signal: c.signal,
    events: c.events,
    commandTimeoutMs: c.commandTimeoutMs,
    env: c.env,
    lang: c.lang,
    options: {
      snapshot: c.options.snapshot,
      // A drill never asks: a VM without a quiesce point boots crash-consistent and is reported so.
      crashConsistent: 'power-on',
      killVerifyMs: c.options.powerOnMs,
      heartbeatMs: c.options.heartbeatMs,
      pollMs: c.options.pollMs,
    },
  });
  const siteHosts = c.site.endpoints.esxi.map((e) => e.name);
  const order = new Map(base.primaryVms.map((v, i) => [v, i]));
  return {
    ...base,
    mode: c.mode,
    drillRunId: c.drillRunId,
    names: drillNames(c.site, c.drillRunId),
    drill: c.options,
    drillFacts: { baseline: new Map(), drillVms: new Map(), folderOff: null },
    evidence: () => [...c.priorEvidence, ...c.events()],
    leftBehind: c.leftBehind ?? [],
    hostFor(vm) {
      const hosts = c.options.hosts.length ? c.options.hosts : siteHosts;
      if (hosts.includes(vm.host)) return vm.host;
      if (!c.options.hosts.length) return vm.host;
      return hosts[(order.get(vm) ?? 0) % hosts.length]!;
    },
  };
}
