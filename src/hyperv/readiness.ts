/**
 * `drbook check` on a Hyper-V site: every node and the Backup Exec server reachable with their
 * pinned keys, the CSVs healthy, a recent capture (and its findings), the priority groups, and
 * what the recovery would do now: remove which failed roles, import which VMs, and which cannot be
 * imported because their files are not there. Observation only.
 */
import { HypervOps } from '../adapters/hyperv/ops.js';
import { describeError } from '../errors.js';
import type { CheckItem } from '../failover/readiness.js';
import { failoverMessages } from '../i18n/failover.js';
import { hypervMessages, hvFindingText } from '../i18n/hyperv.js';
import type { Lang } from '../i18n/lang.js';
import type { HypervSite } from '../runbook/site.js';
import { closest } from '../runbook/yaml-errors.js';
import type { HostPool } from '../transport/types.js';
import type { HvCapture } from './capture.js';
import type { HvSiteFacts, HvSiteState } from './state.js';

export interface HvReadinessOptions {
  maxAgeHours: number;
  maxCaptureAgeHours: number;
  now?: number;
  lang: Lang;
}

/** Priority-group names that are no VM of the capture, with the closest captured name. */
export function hvUnknownPriorityNames(
  site: HypervSite,
  capture: HvCapture,
): { name: string; group: string; suggestion: string | undefined }[] {
  const known = capture.vms.map((v) => v.name);
  const names = new Set(known);
  return site.priorityGroups.flatMap((g) =>
    g.vms.filter((n) => n !== '*' && !names.has(n)).map((name) => ({ name, group: g.name, suggestion: closest(name, known) })),
  );
}

export async function hvCheckReadiness(
  site: HypervSite,
  pool: HostPool,
  facts: HvSiteFacts,
  state: HvSiteState,
  capture: HvCapture | undefined,
  o: HvReadinessOptions,
): Promise<CheckItem[]> {
  const now = o.now ?? Date.now();
  const fm = failoverMessages(o.lang);
  const m = hypervMessages(o.lang);
  const hours = (ms: number) => Math.round(ms / 360_000) / 10;
  const items: CheckItem[] = [];
  for (const n of facts.nodes) {
    items.push(
      n.vms
        ? {
            level: 'ok',
            subject: n.name,
            message: m.checkNode({ registered: n.vms.length, running: n.vms.filter((v) => v.state === 'running').length }),
          }
        : { level: 'fail', subject: n.name, message: n.error ?? '?' },
    );
  }
  const cluster = site.hyperv.cluster;
  if (facts.clusterError !== null) items.push({ level: 'fail', subject: cluster, message: facts.clusterError });
  else if (facts.nodes.some((n) => n.reachable)) {
    items.push({ level: 'ok', subject: cluster, message: m.checkCluster({ csvs: facts.csvs.length }) });
    for (const v of facts.csvs) {
      const bad = v.state !== 'online' || v.redirectedAccess || v.maintenanceMode;
      if (bad)
        items.push({
          level: 'warn',
          subject: cluster,
          message: m.csvLine({
            name: v.name,
            path: v.path,
            state: v.state,
            redirected: v.redirectedAccess,
            maintenance: v.maintenanceMode,
          }),
          hint: m.checkCsvHint,
        });
    }
  }
  // Backup Exec's own record: reachable, and each job's newest run.
  const backup = site.hyperv.backup;
  const server = site.endpoints.backup;
  if (backup && server) {
    const ops = new HypervOps(pool.host(server.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
    try {
      for (const j of backup.jobs) {
        const runs = (await ops.jobHistory(j.name)).sort((a, b) => (b.start ?? 0) - (a.start ?? 0));
        const ok = runs.find((r) => r.outcome === 'succeeded');
        const last = runs[0];
        const okAge = ok ? Math.max(0, now - (ok.end ?? ok.start ?? 0)) : null;
        const stale = okAge === null || okAge > o.maxAgeHours * 3600_000;
        items.push({
          level: stale ? 'warn' : 'ok',
          subject: j.name,
          message: m.checkJob({
            last: last ? `${last.status}${last.errorMessage ? ` (${last.errorMessage})` : ''}` : m.checkJobNever,
            okHours: okAge === null ? null : hours(okAge),
          }),
          hint: stale ? m.checkJobHint({ hours: o.maxAgeHours }) : undefined,
        });
      }
    } catch (err) {
      items.push({ level: 'fail', subject: server.name, message: describeError(err) });
    }
  }
  if (!capture) {
    items.push({
      level: 'fail',
      subject: 'capture',
      message: fm.checkNoCapture({ site: site.site }),
      hint: fm.checkNoCaptureHint({ file: site.file }),
    });
  } else {
    const age = now - Date.parse(capture.takenAt);
    const old = age > o.maxCaptureAgeHours * 3600_000;
    items.push({
      level: old ? 'warn' : 'ok',
      subject: 'capture',
      message: fm.checkCapture({ id: capture.id, hours: hours(age), vms: capture.vms.length }),
      hint: old ? fm.checkCaptureOldHint : undefined,
    });
    const findings = capture.audit.findings;
    if (findings.length) {
      items.push({
        level: 'warn',
        subject: 'capture',
        message: fm.checkFindings({
          count: findings.length,
          first: findings
            .slice(0, 3)
            .map((f) => hvFindingText(m, f))
            .join('; '),
          more: findings.length > 3,
        }),
        hint: fm.checkFindingsHint,
      });
    }
    for (const u of hvUnknownPriorityNames(site, capture)) {
      items.push({
        level: 'fail',
        subject: 'priorityGroups',
        message: u.suggestion ? fm.priorityUnknownClose({ ...u, suggestion: u.suggestion }) : fm.priorityUnknown(u),
        hint: fm.priorityUnknownWhy,
      });
    }
    // What `drbook failover` would do now, from the same facts the recovery's preflight reads.
    const noFiles = new Set(facts.configMissing ?? []);
    if (facts.failedRoles.length > 0)
      items.push({
        level: 'warn',
        subject: 'recovery',
        message: m.checkWouldRemove({ roles: facts.failedRoles.join(', ') }),
        hint: m.checkWouldRemoveHint({ cluster }),
      });
    const importable = state.missing.filter((n) => !noFiles.has(n));
    if (importable.length > 0)
      items.push({
        level: 'warn',
        subject: 'recovery',
        message: m.checkWouldImport({ count: importable.length, vms: importable.join(', ') }),
        hint: m.checkWouldImportHint({ file: site.file }),
      });
    if (noFiles.size > 0)
      items.push({
        level: 'fail',
        subject: 'recovery',
        message: m.checkNoFiles({ vms: [...noFiles].join(', ') }),
        hint: m.checkNoFilesHint,
      });
    if (state.missing.length === 0 && facts.failedRoles.length === 0 && state.unknown.length === 0)
      items.push({ level: 'ok', subject: 'recovery', message: m.checkNothingToRecover({ count: capture.vms.length }) });
    if (state.unknown.length > 0)
      items.push({ level: 'fail', subject: 'recovery', message: m.checkUnknownVms({ vms: state.unknown.join(', ') }) });
  }
  return items;
}
