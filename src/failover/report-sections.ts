/**
 * The failover's own report sections: the situation the operator confirmed against, and for each
 * VM where its quiesce point came from, how it got back to it, and how long each stage took.
 */
import type { EngineEvent } from '../engine/events.js';
import { failoverMessages, isNoQuiesceNote } from '../i18n/failover.js';
import type { Lang } from '../i18n/lang.js';
import { commonMessages, stateWord } from '../i18n/common.js';
import { placementMessages } from '../i18n/placement.js';
import { isEngineNote, type Note } from '../engine/notes.js';
import { localizeNote } from '../i18n/engine.js';
import { localStageName } from '../i18n/steps.js';
import { formatDuration } from '../reporters/format.js';
import type { ReportSection } from '../reporters/report.js';
import { boardOf } from '../runbook/board.js';
import type { VcenterMethod } from '../transport/intent.js';
import type { Situation } from './situation.js';
import { situationLines } from './situation-text.js';

const STAGES = ['restore-files', 'register', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'] as const;

export function failoverReportSections(events: readonly EngineEvent[], lang: Lang = 'en'): ReportSection[] {
  const m = failoverMessages(lang);
  const common = commonMessages(lang);
  const HOW: Record<string, string> = { volume: m.howVolume, 'restore-file': m.howRestoreFile, none: m.howNone };
  let situation: Situation | undefined;
  const stageTime = new Map<string, number>();
  const started = new Map<string, number>();
  const final = new Map<string, { state: string; error?: string | undefined; note?: Note | undefined }>();
  const crash = new Set<string>();
  for (const e of events) {
    const board = boardOf(e);
    if (board?.kind === 'failover') situation = board;
    if (e.type !== 'target.state' || (e.stepId !== 'recover' && e.stepId !== 'vcenter')) continue;
    if (e.stage) {
      const k = `${e.targetId}\u0000${e.stage}`;
      if (e.state === 'running') started.set(k, e.at);
      else if (started.has(k)) stageTime.set(k, e.at - started.get(k)!);
      if (e.stage === 'revert' && e.state === 'skipped' && isNoQuiesceNote(e.note)) crash.add(e.targetId);
    } else if (e.state !== 'running' && e.state !== 'waiting') {
      final.set(e.targetId, { state: e.state, error: e.error, note: e.note });
    }
  }
  const sections: ReportSection[] = [];
  if (situation) sections.push({ title: m.secSituation, lines: situationLines(situation, Date.parse(situation.observedAt), lang) });
  const plan = situation?.plan;
  if (plan?.vms?.length) {
    sections.push({
      title: m.secRecovery,
      lines: [
        plan.createTime
          ? m.secRestoredToAt({ snapshot: plan.snapshot, time: plan.createTime })
          : m.secRestoredTo({ snapshot: plan.snapshot }),
      ],
      table: {
        head: [m.colVm, m.colPoint, m.colHow, m.colResult, ...STAGES.map((st) => localStageName(lang, st))],
        rows: plan.vms.map((v) => {
          const f = final.get(v.targetId);
          const how =
            (crash.has(v.targetId)
              ? HOW.none
              : v.via === 'flexclone'
                ? m.howFlexclone({ datastore: v.cloneDatastore ?? '?' })
                : HOW[v.via]) ?? v.via;
          const state = f ? stateWord(common, f.state) : '';
          const result = f ? (f.error ? m.resultWithError({ state, error: f.error }) : state) : m.notReached;
          return [
            v.name,
            v.snapshot ?? '—',
            v.lostNewer ? m.howLostNewer({ how, snapshot: v.lostNewer }) : how,
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
  const placement = placementSection(events, situation, lang);
  if (placement) sections.push(placement);
  return sections;
}

/** The targets for which a journaled vCenter call of `methods` was answered without error. */
function vcenterCallsDone(events: readonly EngineEvent[], methods: readonly VcenterMethod[]): Set<string> {
  const started = new Map<string, string>();
  const done = new Set<string>();
  for (const e of events) {
    if (e.type === 'command.started' && e.targetId && e.intent?.op === 'vcenter-call' && methods.includes(e.intent.method))
      started.set(e.id, e.targetId);
    else if (e.type === 'command.finished' && started.has(e.id) && e.exitCode === 0 && !e.error) done.add(started.get(e.id)!);
  }
  return done;
}

/**
 * Where each VM went in vCenter, and by which path (the journaled vCenter calls say): registered
 * through vCenter into place, moved after the ESXi registration, already in place, or left with
 * the reason; then how to place the ones left.
 */
function placementSection(events: readonly EngineEvent[], situation: Situation | undefined, lang: Lang): ReportSection | null {
  const m = placementMessages(lang);
  const final = new Map<string, { state: string; note?: Note | undefined; error?: string | undefined }>();
  for (const e of events) {
    if (e.type === 'target.state' && e.stepId === 'place' && e.stage === undefined && e.state !== 'running' && e.state !== 'waiting')
      final.set(e.targetId, { state: e.state, note: e.note, error: e.error });
  }
  if (final.size === 0) return null;
  const names = new Map((situation?.plan?.vms ?? []).map((v) => [v.targetId, v.name]));
  for (const e of events) if (e.type === 'step.targets' && e.stepId === 'place') for (const t of e.targets) names.set(t.id, t.label);
  const registered = vcenterCallsDone(events, ['RegisterVM_Task']);
  const moved = vcenterCallsDone(events, ['MoveIntoFolder_Task', 'MoveIntoResourcePool']);
  let left = 0;
  const rows = [...final].map(([id, f]) => {
    const name = names.get(id) ?? id.replace(/^vm:/, '');
    const inPlace = f.state === 'done' || (f.state === 'skipped' && isEngineNote(f.note, 'nothingToDo'));
    if (inPlace) return [name, moved.has(id) ? m.resultPlaced : registered.has(id) ? m.resultRegisteredInPlace : m.resultAlready];
    left++;
    return [name, m.resultLeft({ why: f.error ?? localizeNote(f.note, lang) ?? f.state })];
  });
  const site = events.find((e) => e.type === 'run.started') as { site?: string } | undefined;
  return {
    title: m.secPlacement,
    lines: left > 0 ? [m.placementsLeft({ count: left, site: site?.site ?? 'SITE' })] : [],
    table: { head: [m.colVm, m.colResult], rows },
  };
}
