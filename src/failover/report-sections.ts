/**
 * The failover's own report sections: the situation the operator confirmed against, and for each
 * VM where its quiesce point came from, how it got back to it, and how long each stage took.
 */
import type { EngineEvent } from '../engine/events.js';
import { formatDuration } from '../reporters/format.js';
import type { ReportSection } from '../reporters/report.js';
import type { Situation } from './situation.js';
import { situationLines } from './situation-text.js';

const STAGES = ['restore-files', 'register', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'] as const;

const HOW: Record<string, string> = {
  volume: 'SnapRestore of the volume',
  'restore-file': 'restore-file of its folder',
  none: 'no quiesce point: crash-consistent',
};

export function failoverReportSections(events: readonly EngineEvent[]): ReportSection[] {
  let situation: Situation | undefined;
  const stageTime = new Map<string, number>();
  const started = new Map<string, number>();
  const final = new Map<string, { state: string; error?: string | undefined; note?: string | undefined }>();
  const crash = new Set<string>();
  for (const e of events) {
    if (e.type === 'situation') situation = e.data as Situation;
    if (e.type !== 'target.state' || (e.stepId !== 'recover' && e.stepId !== 'vcenter')) continue;
    if (e.stage) {
      const k = `${e.targetId}\u0000${e.stage}`;
      if (e.state === 'running') started.set(k, e.at);
      else if (started.has(k)) stageTime.set(k, e.at - started.get(k)!);
      if (e.stage === 'revert' && e.state === 'skipped' && e.note?.includes('no quiesce point')) crash.add(e.targetId);
    } else if (e.state !== 'running' && e.state !== 'waiting') {
      final.set(e.targetId, { state: e.state, error: e.error, note: e.note });
    }
  }
  const sections: ReportSection[] = [];
  if (situation) sections.push({ title: 'Situation at the preflight', lines: situationLines(situation, Date.parse(situation.observedAt)) });
  const plan = situation?.plan;
  if (plan?.vms?.length) {
    sections.push({
      title: 'Recovery point of each VM',
      lines: [`The volume was restored to ${plan.snapshot}${plan.createTime ? ` (${plan.createTime})` : ''}.`],
      table: {
        head: ['VM', 'Quiesce point', 'How', 'Result', ...STAGES],
        rows: plan.vms.map((v) => {
          const f = final.get(v.targetId);
          const how = crash.has(v.targetId) ? HOW.none : (HOW[v.via] ?? v.via);
          const result = f ? `${f.state}${f.error ? `: ${f.error}` : ''}` : 'not reached';
          return [
            v.name,
            v.snapshot ?? '—',
            `${how}${v.lostNewer ? ` (newer point in ${v.lostNewer} was deleted by the restore)` : ''}`,
            result,
            ...STAGES.map((st) => {
              const ms = stageTime.get(`${v.targetId}\u0000${st}`);
              return ms === undefined ? '' : formatDuration(ms);
            }),
          ];
        }),
      },
    });
  }
  return sections;
}
