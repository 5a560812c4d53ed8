import type { Situation } from './situation.js';

function age(iso: string | null, now: number): string {
  if (!iso) return '?';
  const min = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  return min < 120 ? `${min} min` : min < 2880 ? `${Math.round(min / 60)} h` : `${Math.round(min / 1440)} d`;
}

const yn = (v: boolean | null): string => (v === null ? '?' : v ? 'on' : 'off');

/** The preflight board as plain lines, for the line reporter and the report. */
export function situationLines(s: Situation, now = Date.now()): string[] {
  if (!s || !Array.isArray(s.hosts)) return ['situation: (unreadable)'];
  const lines: string[] = [];
  const r = s.relationship;
  lines.push(
    r
      ? `relationship ${r.source} → ${r.destination}: ${r.state ?? '?'} / ${r.status ?? '?'}, healthy ${r.healthy ?? '?'}, lag ${r.lagTime ?? '?'}`
      : 'relationship: not found',
  );
  lines.push(`source volume: ${s.sourceVolumeState ?? 'not found (lost)'}; capture ${s.capture.id} of ${s.capture.takenAt} (${s.capture.vms} VMs)`);
  for (const sn of s.snapshots) {
    lines.push(`${sn.chosen ? '→' : ' '} ${sn.name}  ${sn.createTime ?? '?'} (${age(sn.createTime, now)} ago)  quiesced ${sn.quiesced}/${sn.total}`);
  }
  if (s.plan) lines.push(`restore to ${s.plan.snapshot}; deletes ${s.plan.newer.length ? s.plan.newer.join(', ') : 'no newer snapshot'}`);
  for (const h of s.hosts) {
    lines.push(
      h.reachable
        ? `host ${h.name}: lockdown ${yn(h.lockdown)}, stale registered ${h.staleRegistered ?? '?'}, running ${h.staleRunning ?? '?'}, mirror mounted ${h.mirrorMounted === null ? '?' : h.mirrorMounted ? 'yes' : 'no'}`
        : `host ${h.name}: UNREACHABLE ${h.error ?? ''}`.trimEnd(),
    );
  }
  if (s.missingFromMirror?.length) lines.push(`missing from the mirror: ${s.missingFromMirror.join(', ')}`);
  for (const p of s.problems) lines.push(`${p.blocking ? 'STOP' : 'warning'}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`);
  return lines;
}
