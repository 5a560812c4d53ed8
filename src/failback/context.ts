/**
 * What the way back's steps (reprotect, failback) work with. It IS a failover context (same site,
 * adapters, lockdown helpers), plus the two relationships' paths and what the run established:
 * the reprotect plan and the failback's recorded placement. Both travel as typed `situation`
 * events, so a resumed run reads them back from the journal instead of from devices that moved on.
 */
import type { WayBackMessages } from '../i18n/wayback.js';
import { lastBoard } from '../runbook/board.js';
import type { Site } from '../runbook/site.js';
import { createFailoverContext, type CreateFailoverContext, type FailoverContext } from '../failover/context.js';

/** The reprotect plan, decided by its preflight from the cluster's facts. */
export interface ReprotectPlan {
  kind: 'reprotect-plan';
  observedAt: string;
  /** resync: from the newest snapshot both volumes hold; baseline: none, a full transfer. */
  mode: 'resync' | 'baseline';
  common: { name: string; createTime: string | null } | null;
  /** Snapshots of the original volume newer than the common one: the resync deletes them. */
  discarded: string[];
  /** What a baseline transfers (the mirror's used space), bytes; null when the cluster did not say. */
  baselineBytes: number | null;
  /**
   * The original relationship's last transfer (what ONTAP's `last-transfer-size` and
   * `-duration` said): the link's only known rate. Null (or absent, in journals of before): none.
   */
  lastTransfer?: { bytes: number; seconds: number } | null;
  /** Baseline mode: the name the original volume is kept under (renamed, never deleted). */
  aside: string | null;
  originalState: string | null;
  primary: { state: string | null; type: string | null };
}

/** One VM as it ran from the mirror when the failback began: where it comes back. */
export interface FailbackVm {
  id: string;
  name: string;
  host: string;
  /** Its .vmx path inside the datastore (`web01/web01.vmx`): the same on both volumes. */
  path: string;
  power: 'on' | 'off';
  /** 0: the vCenter VM (first); then the site's priority groups, 1-based. */
  group: number | undefined;
}

export interface FailbackPlacement {
  kind: 'failback-placement';
  observedAt: string;
  vms: FailbackVm[];
}

/** A VM's priority group in the failback: 0 for the vCenter VM (first), else its site-file group (1-based; `*` catches the rest). */
export function failbackGroupOf(site: Site, name: string): number | undefined {
  const g = site.priorityGroups.findIndex((x) => x.vms.includes(name));
  const star = site.priorityGroups.findIndex((x) => x.vms.includes('*'));
  return name === site.vcenter?.vm ? 0 : g >= 0 ? g + 1 : star >= 0 ? star + 1 : undefined;
}

/** The failback preflight's board. */
export interface FailbackBoard {
  kind: 'failback-preflight';
  observedAt: string;
  reverse: { state: string | null; status: string | null; healthy: boolean | null; lagTime: string | null } | null;
}

export interface WayBackOptions {
  /** How long a guest shutdown may take before the VM is powered off. */
  shutdownMs: number;
  /** How long to wait for a transfer (the final update, a resync) to finish. */
  transferMs: number;
  /** The oldest lag of the way back a failback accepts. */
  maxLagSeconds: number;
}

export interface WayBackContext extends FailoverContext {
  wayBack: WayBackOptions;
  /** The relationship reprotect makes and failback removes: mirror → original. */
  reverse: { source: string; destination: string };
  /** The site's own relationship: original → mirror. */
  original: { source: string; destination: string };
  plan(): ReprotectPlan | undefined;
  recordedPlacement(): FailbackPlacement | undefined;
}

export function createWayBackContext(c: CreateFailoverContext & { wayBack: WayBackOptions }): WayBackContext {
  const base = createFailoverContext(c);
  return {
    ...base,
    wayBack: c.wayBack,
    reverse: { source: base.mirror.path, destination: base.primary.path },
    original: { source: base.primary.path, destination: base.mirror.path },
    plan: () => lastBoard(c.events(), 'reprotect-plan'),
    recordedPlacement: () => lastBoard(c.events(), 'failback-placement'),
  };
}

/** `1 h 12 min` / `14 min` / `40 s` (ja `1 時間 12 分`): a rounded duration for a time estimate, in the reader's language. */
export function durationText(seconds: number, m: Pick<WayBackMessages, 'durationSeconds' | 'durationMinutes' | 'durationHours'>): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return m.durationSeconds({ n: s });
  const min = Math.round(s / 60);
  return min < 60 ? m.durationMinutes({ n: min }) : m.durationHours({ h: Math.floor(min / 60), min: min % 60 });
}

/** `87.7 GB` style (binary units, as ONTAP counts). */
export function sizeText(bytes: number | null): string {
  if (bytes === null) return '?';
  const units: [number, string][] = [
    [2 ** 40, 'TB'],
    [2 ** 30, 'GB'],
    [2 ** 20, 'MB'],
    [2 ** 10, 'KB'],
  ];
  for (const [n, u] of units) if (bytes >= n) return `${(bytes / n).toFixed(1)} ${u}`;
  return `${bytes} B`;
}
