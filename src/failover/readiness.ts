/**
 * `drbook check`: is the site ready for the day it is needed? Every device reachable with its
 * pinned key, the relationship healthy and recent, a recent VSC backup of every job on the mirror,
 * a recent capture without findings. Observation only: nothing is changed, lockdown included.
 */
import { EsxiOps, isNoPermission } from '../adapters/esxi/ops.js';
import { OntapOps } from '../adapters/ontap/ops.js';
import { describeError } from '../errors.js';
import { commandMessages, findingText } from '../i18n/commands.js';
import { failoverMessages } from '../i18n/failover.js';
import type { Lang } from '../i18n/lang.js';
import type { Capture } from '../inventory/types.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import { vscBackups } from './vsc.js';
import { lagSeconds, type SiteStateName } from '../site/state.js';
import { statusMessages } from '../i18n/status.js';

export { lagSeconds };
import { unknownPriorityNames } from './context.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface CheckItem {
  level: CheckLevel;
  subject: string;
  message: string;
  hint?: string | undefined;
}

export interface ReadinessOptions {
  /** A VSC backup or a SnapMirror transfer older than this is a warning. */
  maxAgeHours: number;
  /** A capture older than this is a warning. */
  maxCaptureAgeHours: number;
  now?: number;
  /** The language of the messages and hints (default English). */
  lang?: Lang | undefined;
  /** Where the site stands (src/site): after the disaster or the failover, the hints say so. */
  state?: SiteStateName | undefined;
}

export async function checkReadiness(site: Site, pool: HostPool, capture: Capture | undefined, o: ReadinessOptions): Promise<CheckItem[]> {
  const now = o.now ?? Date.now();
  const items: CheckItem[] = [];
  const m = failoverMessages(o.lang ?? 'en');
  const hours = (ms: number) => Math.round(ms / 360_000) / 10;

  await Promise.all(
    site.endpoints.esxi.map(async (ep) => {
      const ops = new EsxiOps(pool.host(ep.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
      let lockdown: boolean;
      try {
        lockdown = await ops.lockdownEnabled();
      } catch (err) {
        items.push({ level: 'fail', subject: ep.name, message: describeError(err) });
        return;
      }
      items.push({ level: 'ok', subject: ep.name, message: m.checkReachable({ lockdown: lockdown ? m.on : m.off }) });
      try {
        const mounts = await ops.nfsList();
        const ds = site.datastores.primary.name;
        const mount = mounts.find((x) => x.volumeName === ds);
        items.push(
          mount?.mounted && mount.accessible
            ? { level: 'ok', subject: ep.name, message: m.checkDatastoreOk({ datastore: ds }) }
            : {
                level: 'warn',
                subject: ep.name,
                message: m.checkDatastoreBad({ datastore: ds }),
                // After the disaster the site file is fine: the volume is lost.
                hint:
                  o.state === 'primary-lost'
                    ? m.checkDatastoreLostHint({ file: site.file })
                    : o.state === 'failed-over'
                      ? m.checkFailedOverHint({ file: site.file })
                      : m.checkDatastoreHint,
              },
        );
      } catch (err) {
        if (isNoPermission(err)) items.push({ level: 'ok', subject: ep.name, message: m.checkDatastoresLocked });
        else items.push({ level: 'warn', subject: ep.name, message: m.checkNfsError({ error: describeError(err) }) });
      }
    }),
  );

  const ontap = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
  const cluster = site.endpoints.ontap.name;
  try {
    const rel = (await ontap.relationships({ destination: site.relationship.destination })).find(
      (r) => r.destination === site.relationship.destination,
    );
    if (!rel) {
      items.push({
        level: 'fail',
        subject: cluster,
        message: m.checkNoRelationship({ destination: site.relationship.destination }),
        hint: m.checkNoRelationshipHint,
      });
    } else {
      const lag = lagSeconds(rel.lagTime);
      const healthy = rel.state === 'Snapmirrored' && rel.healthy !== false;
      items.push({
        level: healthy ? 'ok' : 'fail',
        subject: cluster,
        message: m.checkRelationship({
          source: rel.source,
          destination: rel.destination,
          state: rel.state ?? m.unknown,
          status: rel.status ?? m.unknown,
          healthy: rel.healthy === undefined || rel.healthy === null ? m.healthyUnknown : rel.healthy ? m.healthyTrue : m.healthyFalse,
        }),
        hint: healthy
          ? undefined
          : o.state === 'failed-over' || o.state === 'failover-in-progress'
            ? m.checkFailedOverHint({ file: site.file })
            : m.checkRelationshipHint,
      });
      if (lag !== null && lag > o.maxAgeHours * 3600) {
        items.push({
          level: 'warn',
          subject: cluster,
          message: m.checkLag({ lag: statusMessages(o.lang ?? 'en').duration(lag), hours: o.maxAgeHours }),
          hint: m.checkLagHint,
        });
      } else if (lag !== null) {
        items.push({ level: 'ok', subject: cluster, message: m.checkLagOk({ lag: statusMessages(o.lang ?? 'en').duration(lag) }) });
      }
    }
    const { vserver, volume } = splitVolumePath(site.relationship.destination);
    const snaps = (await ontap.snapshots(vserver, volume)).map((s) => ({ name: s.name, createTime: s.createTime ?? null }));
    for (const job of site.jobs) {
      const newest = vscBackups(snaps, [job])[0];
      if (!newest) {
        items.push({ level: 'fail', subject: job, message: m.checkNoJobSnapshot({ job }), hint: m.checkNoJobSnapshotHint });
        continue;
      }
      const age = newest.createTime ? now - Date.parse(newest.createTime) : null;
      items.push({
        level: age !== null && age > o.maxAgeHours * 3600_000 ? 'warn' : 'ok',
        subject: job,
        message:
          age !== null
            ? m.checkNewestBackupAge({ snapshot: newest.name, hours: hours(age) })
            : m.checkNewestBackup({ snapshot: newest.name }),
      });
    }
  } catch (err) {
    items.push({ level: 'fail', subject: cluster, message: describeError(err) });
  }

  if (!capture) {
    items.push({
      level: 'fail',
      subject: 'capture',
      message: m.checkNoCapture({ site: site.site }),
      hint: m.checkNoCaptureHint({ file: site.file }),
    });
  } else {
    const age = now - Date.parse(capture.takenAt);
    items.push({
      level: age > o.maxCaptureAgeHours * 3600_000 ? 'warn' : 'ok',
      subject: 'capture',
      message: m.checkCapture({ id: capture.id, hours: hours(age), vms: capture.vms.length }),
      hint: age > o.maxCaptureAgeHours * 3600_000 ? m.checkCaptureOldHint : undefined,
    });
    for (const u of unknownPriorityNames(site, capture)) {
      items.push({
        level: 'fail',
        subject: 'priorityGroups',
        message: u.suggestion ? m.priorityUnknownClose({ ...u, suggestion: u.suggestion }) : m.priorityUnknown(u),
        hint: m.priorityUnknownWhy,
      });
    }
    const findings = capture.audit.findings;
    if (findings.length) {
      items.push({
        level: 'warn',
        subject: 'capture',
        message: m.checkFindings({
          count: findings.length,
          first: findings
            .slice(0, 3)
            .map((f) => findingText(commandMessages(o.lang ?? 'en'), f))
            .join('; '),
          more: findings.length > 3,
        }),
        hint: m.checkFindingsHint,
      });
    }
  }
  const order = new Map(
    [...site.endpoints.esxi.map((e) => e.name), cluster, ...site.jobs, 'capture', 'priorityGroups'].map((n, i) => [n, i]),
  );
  return items.sort((a, b) => (order.get(a.subject) ?? 99) - (order.get(b.subject) ?? 99));
}
