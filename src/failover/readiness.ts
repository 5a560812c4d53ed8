/**
 * `drbook check`: is the site ready for the day it is needed? Every device reachable with its
 * pinned key, the relationship healthy and recent, a recent VSC backup of every job on the mirror,
 * a recent capture without findings. Observation only: nothing is changed, lockdown included.
 */
import { EsxiOps, isNoPermission } from '../adapters/esxi/ops.js';
import { OntapOps } from '../adapters/ontap/ops.js';
import { describeError } from '../errors.js';
import type { Capture } from '../inventory/types.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import { vscBackups } from './vsc.js';

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
}

/** ONTAP lag `H:M:S` (hours may exceed 24) → seconds; null when unreadable. */
export function lagSeconds(lag: string | null | undefined): number | null {
  const m = /^(\d+):(\d+):(\d+)$/.exec(lag ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

export async function checkReadiness(site: Site, pool: HostPool, capture: Capture | undefined, o: ReadinessOptions): Promise<CheckItem[]> {
  const now = o.now ?? Date.now();
  const items: CheckItem[] = [];
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
      items.push({ level: 'ok', subject: ep.name, message: `reachable, host key as pinned, lockdown ${lockdown ? 'on' : 'off'}` });
      try {
        const mounts = await ops.nfsList();
        const ds = site.datastores.primary.name;
        const m = mounts.find((x) => x.volumeName === ds);
        items.push(
          m?.mounted && m.accessible
            ? { level: 'ok', subject: ep.name, message: `datastore ${ds} mounted and accessible` }
            : { level: 'warn', subject: ep.name, message: `datastore ${ds} is not mounted or not accessible`, hint: 'check the datastores section of the site file' },
        );
      } catch (err) {
        if (isNoPermission(err)) items.push({ level: 'ok', subject: ep.name, message: 'datastores not read: the host is in lockdown (the failover exits it)' });
        else items.push({ level: 'warn', subject: ep.name, message: `cannot list the NFS datastores: ${describeError(err)}` });
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
      items.push({ level: 'fail', subject: cluster, message: `no SnapMirror relationship with destination ${site.relationship.destination}`, hint: 'check relationship.destination in the site file' });
    } else {
      const lag = lagSeconds(rel.lagTime);
      const healthy = rel.state === 'Snapmirrored' && rel.healthy !== false;
      items.push({
        level: healthy ? 'ok' : 'fail',
        subject: cluster,
        message: `relationship ${rel.source} → ${rel.destination}: ${rel.state ?? '?'} / ${rel.status ?? '?'}, healthy ${rel.healthy ?? '?'}`,
        hint: healthy ? undefined : 'the mirror is not being updated: fix the relationship before you need it',
      });
      if (lag !== null && lag > o.maxAgeHours * 3600) {
        items.push({ level: 'warn', subject: cluster, message: `SnapMirror lag is ${rel.lagTime} (more than ${o.maxAgeHours} h)`, hint: 'check the SnapMirror schedule and the last transfer' });
      }
    }
    const { vserver, volume } = splitVolumePath(site.relationship.destination);
    const snaps = (await ontap.snapshots(vserver, volume)).map((s) => ({ name: s.name, createTime: s.createTime ?? null }));
    for (const job of site.jobs) {
      const newest = vscBackups(snaps, [job])[0];
      if (!newest) {
        items.push({ level: 'fail', subject: job, message: `no VSC snapshot of job ${job} on the mirror`, hint: 'check the VSC job and that SnapMirror transfers its snapshots' });
        continue;
      }
      const age = newest.createTime ? now - Date.parse(newest.createTime) : null;
      items.push({
        level: age !== null && age > o.maxAgeHours * 3600_000 ? 'warn' : 'ok',
        subject: job,
        message: `newest VSC backup on the mirror: ${newest.name}${age !== null ? `, ${hours(age)} h old` : ''}`,
      });
    }
  } catch (err) {
    items.push({ level: 'fail', subject: cluster, message: describeError(err) });
  }

  if (!capture) {
    items.push({ level: 'fail', subject: 'capture', message: `no capture of site ${site.site}`, hint: `run drbook capture --site ${site.file}, and schedule it` });
  } else {
    const age = now - Date.parse(capture.takenAt);
    items.push({
      level: age > o.maxCaptureAgeHours * 3600_000 ? 'warn' : 'ok',
      subject: 'capture',
      message: `latest capture ${capture.id}, ${hours(age)} h old, ${capture.vms.length} VMs`,
      hint: age > o.maxCaptureAgeHours * 3600_000 ? 'schedule drbook capture (cron or a systemd timer)' : undefined,
    });
    const findings = capture.audit.findings;
    if (findings.length) {
      items.push({
        level: 'warn',
        subject: 'capture',
        message: `${findings.length} finding(s) in the latest capture: ${findings.slice(0, 3).map((f) => f.message).join('; ')}${findings.length > 3 ? '; …' : ''}`,
        hint: 'drbook inventory show lists them',
      });
    }
  }
  const order = new Map([...site.endpoints.esxi.map((e) => e.name), cluster, ...site.jobs, 'capture'].map((n, i) => [n, i]));
  return items.sort((a, b) => (order.get(a.subject) ?? 99) - (order.get(b.subject) ?? 99));
}
