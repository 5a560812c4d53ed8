/**
 * The preflight board: what the operator must see before anything is broken or restored. The
 * preflight emits it as the `situation` event; the UI, the plain reporter and the report show it,
 * and a resumed run reads the chosen snapshot back from it.
 */
import type { VmPointPlan } from './vsc.js';

export interface SituationSnapshot {
  name: string;
  job: string;
  /** ISO time, or null when the cluster did not say. */
  createTime: string | null;
  /** VMs of the capture that have their quiesce point in it (from the capture's audit). */
  quiesced: number;
  /** VMs of the capture on the primary volume. */
  total: number;
  /** VMs that would come back at their newest quiesce point were the volume restored to it. */
  atNewest: number;
  chosen: boolean;
}

export interface SituationHost {
  name: string;
  reachable: boolean;
  error?: string | undefined;
  /** null when it could not be read. */
  lockdown: boolean | null;
  /** VMs of the dead datastore still registered / still running; null when lockdown hid them. */
  staleRegistered: number | null;
  staleRunning: number | null;
  mirrorMounted: boolean | null;
}

export interface SituationProblem {
  /** Stops the run: it is not safe to go on. */
  blocking: boolean;
  message: string;
  hint?: string | undefined;
}

/** What a preflight reads of the site: the failover's board, and the drill's with its own block. */
export interface PreflightFacts {
  site: string;
  capture: { id: string; takenAt: string; vms: number };
  relationship: {
    source: string;
    destination: string;
    state: string | null;
    status: string | null;
    healthy: boolean | null;
    lagTime: string | null;
  } | null;
  /** The source volume as the cluster reports it (null: not found, i.e. lost). */
  sourceVolumeState: string | null;
  snapshots: SituationSnapshot[];
  /** The restore target, and the snapshots a SnapRestore to it deletes. */
  plan: {
    snapshot: string;
    createTime: string | null;
    job: string;
    newer: string[];
    /** Per VM of the capture: which snapshot holds its quiesce point and how it gets it back. */
    vms: VmPointPlan[];
  } | null;
  hosts: SituationHost[];
  /** Capture VMs whose folder is not in the chosen snapshot (null: not checked, mirror not mounted). */
  missingFromMirror: string[] | null;
  problems: SituationProblem[];
  /**
   * The vCenter API at the start of the run (absent: the site file has none). Up: the VMs are
   * registered through it, into their recorded folder and pool; down: on their hosts, placed later.
   */
  vcenterApi?: { url: string; up: boolean; error?: string | undefined } | undefined;
  observedAt: string;
}

/** The failover preflight's board (a `situation` event of kind 'failover'). */
export interface Situation extends PreflightFacts {
  kind: 'failover';
}
