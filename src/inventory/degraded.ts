/**
 * A capture taken after the disaster records what is left, not what must come back: the primary
 * datastore is gone, or far fewer VMs are on it than in the last good capture. Such a capture is
 * kept for the record, marked degraded with a finding that says why, and never used as the
 * failover's default nor written over the paper copy (latest.yaml, latest.csv).
 */
import { primaryVmsOf } from '../failover/context.js';
import type { Site } from '../runbook/site.js';
import type { Capture, CaptureDegraded, Finding } from './types.js';

/** Below this share of the last good capture's VMs on the primary, a capture is degraded. */
export const FEWER_VMS_RATIO = 0.5;

export function degradation(
  site: Site,
  capture: Capture,
  lastGood: Capture | undefined,
): { degraded: CaptureDegraded; finding: Finding } | null {
  const ds = site.datastores.primary.name;
  // Hosts read this time (not carried forward): none of them has the primary datastore usable.
  const read = capture.hosts.filter((h) => h.reachable && h.carriedFrom === undefined);
  const usable = read.filter((h) => h.nfs.some((m) => m.volumeName === ds && m.mounted && m.accessible));
  if (read.length > 0 && usable.length === 0) {
    const hosts = read.map((h) => h.name).join(', ');
    return {
      degraded: { reason: 'primary-datastore-lost' },
      finding: {
        code: 'degraded-capture',
        severity: 'error',
        message: `degraded capture: the primary datastore ${ds} is missing or inaccessible on every host read (${hosts}); this capture is kept for the record, never used by a failover by default, and latest.yaml/latest.csv are left as they were`,
        detail: { key: 'degradedDatastore', params: { datastore: ds, hosts } },
      },
    };
  }
  if (lastGood) {
    const now = primaryVmsOf(site, capture).length;
    const before = primaryVmsOf(site, lastGood).length;
    if (before > 0 && now < before * FEWER_VMS_RATIO) {
      return {
        degraded: { reason: 'far-fewer-vms' },
        finding: {
          code: 'degraded-capture',
          severity: 'error',
          message: `degraded capture: ${now} VMs on the primary datastore where capture ${lastGood.id} had ${before}; this capture is kept for the record, never used by a failover by default, and latest.yaml/latest.csv are left as they were`,
          detail: { key: 'degradedFewer', params: { vms: now, previous: before, capture: lastGood.id } },
        },
      };
    }
  }
  return null;
}

/** The capture marked degraded, its finding first. */
export function markDegraded(capture: Capture, d: { degraded: CaptureDegraded; finding: Finding }): Capture {
  return { ...capture, degraded: d.degraded, audit: { ...capture.audit, findings: [d.finding, ...capture.audit.findings] } };
}
