import { failoverMessages, type FailoverMessages } from '../i18n/failover.js';
import type { Lang } from '../i18n/lang.js';
import { placementMessages } from '../i18n/placement.js';
import { statusMessages } from '../i18n/status.js';
import { lagSeconds } from '../site/state.js';
import type { PreflightFacts } from './situation.js';

/** How old a snapshot is, in the unit a person reads it in: minutes up to 2 h, hours up to 2 days. */
export function ageOf(iso: string | null, now: number): { unit: 'minutes' | 'hours' | 'days'; n: number } | null {
  if (!iso) return null;
  const min = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (min < 120) return { unit: 'minutes', n: min };
  if (min < 48 * 60) return { unit: 'hours', n: Math.round(min / 60) };
  return { unit: 'days', n: Math.round(min / 1440) };
}

function age(m: FailoverMessages, iso: string | null, now: number): string {
  const a = ageOf(iso, now);
  if (!a) return m.unknown;
  return a.unit === 'minutes' ? m.ageMinutes(a) : a.unit === 'hours' ? m.ageHours(a) : m.ageDays(a);
}

/** The vCenter API as the preflight found it. */
export type VcenterApiFact = NonNullable<PreflightFacts['vcenterApi']>;

/** The failover's vCenter line: what the failover does with vCenter up or down. */
function failoverVcenterLine(api: VcenterApiFact, lang: Lang): string {
  const p = placementMessages(lang);
  return api.up ? p.sitVcenterUp({ url: api.url }) : p.sitVcenterDown({ url: api.url, error: api.error ?? failoverMessages(lang).unknown });
}

/** What a line of the preflight board says: a run picks the lines it shows by this, never by their words. */
export type SituationLineKind =
  'unreadable' | 'relationship' | 'source' | 'snapshot' | 'restore' | 'host' | 'missing' | 'vcenter' | 'stop' | 'warning';

export interface SituationLine {
  kind: SituationLineKind;
  text: string;
}

/**
 * The preflight board as plain lines, for the line reporter and the report. `vcenterLine` says what
 * this run does with vCenter (a drill's differs from a failover's).
 */
export function situationLines(...args: Parameters<typeof situationItems>): string[] {
  return situationItems(...args).map((l) => l.text);
}

/** The preflight board's lines, each with what it is about (see situationLines). */
export function situationItems(
  s: PreflightFacts,
  now = Date.now(),
  lang: Lang = 'en',
  vcenterLine: (api: VcenterApiFact, lang: Lang) => string = failoverVcenterLine,
): SituationLine[] {
  const m = failoverMessages(lang);
  if (!s || !Array.isArray(s.hosts)) return [{ kind: 'unreadable', text: m.sitUnreadable }];
  const q = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? m.unknown : String(v));
  const onOff = (v: boolean | null): string => (v === null ? m.unknown : v ? m.on : m.off);
  const yesNo = (v: boolean | null | undefined): string => (v === null || v === undefined ? m.unknown : v ? m.yes : m.no);
  const lines: SituationLine[] = [];
  const add = (kind: SituationLineKind, text: string) => lines.push({ kind, text });
  const r = s.relationship;
  add(
    'relationship',
    r
      ? m.sitRelationship({
          source: r.source,
          destination: r.destination,
          state: q(r.state),
          status: q(r.status),
          healthy: r.healthy === null || r.healthy === undefined ? m.healthyUnknown : r.healthy ? m.healthyTrue : m.healthyFalse,
          // As a person reads it (4 s, 2 h 5 min), not ONTAP's 0:0:4; what cannot be read as it came.
          lag: lagSeconds(r.lagTime) !== null ? statusMessages(lang).duration(lagSeconds(r.lagTime)!) : q(r.lagTime),
        })
      : m.sitNoRelationship,
  );
  const capture = { capture: s.capture.id, takenAt: s.capture.takenAt, vms: s.capture.vms };
  add('source', s.sourceVolumeState ? m.sitSource({ state: s.sourceVolumeState, ...capture }) : m.sitSourceLost(capture));
  for (const sn of s.snapshots) {
    add(
      'snapshot',
      m.sitSnapshot({
        mark: sn.chosen ? '→' : ' ',
        name: sn.name,
        time: sn.createTime ?? m.unknown,
        age: age(m, sn.createTime, now),
        quiesced: sn.quiesced,
        total: sn.total,
      }),
    );
  }
  if (s.plan) {
    add(
      'restore',
      s.plan.newer.length
        ? m.sitRestoreTo({ snapshot: s.plan.snapshot, newer: s.plan.newer.join(', ') })
        : m.sitRestoreToNoNewer({ snapshot: s.plan.snapshot }),
    );
  }
  for (const h of s.hosts) {
    add(
      'host',
      h.reachable
        ? m.sitHost({
            host: h.name,
            lockdown: onOff(h.lockdown),
            registered: q(h.staleRegistered),
            running: q(h.staleRunning),
            mounted: yesNo(h.mirrorMounted),
          })
        : m.sitHostDown({ host: h.name, error: h.error ?? '' }).trimEnd(),
    );
  }
  if (s.missingFromMirror?.length) add('missing', m.sitMissing({ names: s.missingFromMirror.join(', ') }));
  if (s.vcenterApi) add('vcenter', vcenterLine(s.vcenterApi, lang));
  for (const p of s.problems) {
    const message = p.hint ? m.problemWithHint({ message: p.message, hint: p.hint }) : p.message;
    if (p.blocking) add('stop', m.sitStop({ message }));
    else add('warning', m.sitWarning({ message }));
  }
  return lines;
}
