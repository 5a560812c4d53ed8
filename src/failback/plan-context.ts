/**
 * What the reprotect's and the failback's plan sections (src/steps/reprotect, src/steps/failback)
 * are written from.
 *
 * Devices, not the capture: what these plans must state exists only on the devices after the
 * failover — whether the two volumes still share a snapshot, what a resync discards, how big a
 * baseline is and how fast the link was, which VMs run from the mirror on which host and whether
 * they are on. The capture was taken before the disaster and knows none of it. So `drbook plan
 * --procedure reprotect|failback` reads the cluster and the hosts, read-only, with the same
 * functions the runs' preflight and placement steps use (readReprotectPlan, readFailbackPlacement),
 * and says so in its header. A host in lockdown is not taken out of it to look: its VMs come from
 * the capture (what the failover registered there), with their vmid left to be read at run time.
 * The rest (hosts, datastores, priority groups) is the site file.
 */
import type { CapturedVm } from '../inventory/types.js';
import { esxiCommands as esxi, placeholder } from '../adapters/esxi/commands.js';
import type { Lang } from '../i18n/lang.js';
import { planMessages, type PlanMessages } from '../i18n/plan.js';
import { wayBackPlanMessages, type WayBackPlanMessages } from '../i18n/wayback-plan.js';
import type { PlanCommand } from '../plan/model.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import { failbackGroupOf, type FailbackVm, type ReprotectPlan } from './context.js';

/** A baseline's new volume takes the old one's aggregate and size, read at run time. */
export const AGGREGATE = placeholder('AGGREGATE');
export const SIZE = placeholder('SIZE');

/** A VM the failback brings back, as the plan read it: its vmid on the mirror (null: its host is in lockdown). */
export interface PlannedVm extends FailbackVm {
  mirrorVmid: number | null;
}

/** What the plan read from the devices. */
export interface WayBackPlanFacts {
  readAt: string;
  /** reprotect: the plan its preflight would make now. */
  reprotect: ReprotectPlan | null;
  /** failback: where every VM runs from the mirror now. */
  placement: PlannedVm[] | null;
  /** Hosts whose VMs lockdown hid (their VMs come from the capture). */
  lockedHosts: string[];
}

type CommandRest = Omit<PlanCommand, 'target' | 'device' | 'line'>;

// Function-typed properties, not methods: step modules destructure them.
export interface WayBackPlanContext {
  site: Site;
  lang: Lang;
  m: WayBackPlanMessages;
  /** The failover plan's catalogue, for what both say alike (lockdown, labels). */
  pm: PlanMessages;
  facts: WayBackPlanFacts;
  cluster: string;
  hosts: string[];
  primary: { vserver: string; volume: string; path: string };
  mirror: { vserver: string; volume: string; path: string };
  /** original → mirror (the site's relationship); reverse: mirror → original (reprotect makes it). */
  original: { source: string; destination: string };
  reverse: { source: string; destination: string };
  primaryDs: string;
  mirrorDs: string;
  /** How long a guest shutdown may take before power off (the failback's --shutdown-seconds). */
  shutdownSeconds: number;
  onHost: (host: string, line: string, rest?: CommandRest) => PlanCommand;
  onCluster: (line: string, rest?: CommandRest) => PlanCommand;
  /** A sentence repeated for every VM is said in full the first time only. */
  once: (text: string) => { expect?: string };
}

export function wayBackPlanContext(site: Site, lang: Lang, facts: WayBackPlanFacts, shutdownSeconds = 300): WayBackPlanContext {
  const cluster = site.endpoints.ontap.name;
  const said = new Set<string>();
  const original = { source: site.relationship.source, destination: site.relationship.destination };
  return {
    site,
    lang,
    m: wayBackPlanMessages(lang),
    pm: planMessages(lang),
    facts,
    cluster,
    hosts: site.endpoints.esxi.map((e) => e.name),
    primary: { ...splitVolumePath(original.source), path: original.source },
    mirror: { ...splitVolumePath(original.destination), path: original.destination },
    original,
    reverse: { source: original.destination, destination: original.source },
    primaryDs: site.datastores.primary.name,
    mirrorDs: site.datastores.mirror.name,
    shutdownSeconds,
    onHost: (host, line, rest = {}) => ({ target: host, device: 'esxi', line, ...rest }),
    onCluster: (line, rest = {}) => ({ target: cluster, device: 'ontap', line, ...rest }),
    once(text) {
      if (said.has(text)) return {};
      said.add(text);
      return { expect: text };
    },
  };
}

/**
 * The reads of the guard before a resync (src/failback/reads.ts vmsOnDatastore, through
 * readHostPlacement): per host, lockdown, then (when it is off) what is mounted, registered and running.
 */
export function vmsOnDatastoreReads(p: WayBackPlanContext, host: string, datastore: string): PlanCommand[] {
  return [
    p.onHost(host, esxi.lockdownIsEnabled()),
    p.onHost(host, esxi.nfsList()),
    p.onHost(host, esxi.getAllVms()),
    p.onHost(host, esxi.processList()),
    p.onHost(host, esxi.filesystemList(), p.once(p.m.guardExpect({ datastore }))),
  ];
}

/** A captured VM as the failback would find it on the mirror (a host in lockdown hides the real one). */
export function plannedFromCapture(site: Site, vm: CapturedVm): PlannedVm {
  const group = failbackGroupOf(site, vm.name);
  const path = `${vm.vmxDir}/${vm.vmxFile}`;
  return { id: `vm:${path}`, name: vm.name, host: vm.host, path, power: vm.power === 'on' ? 'on' : 'off', group, mirrorVmid: null };
}
