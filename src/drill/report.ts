/**
 * The drill report: what the team wants from a drill. Per VM: did it boot, did its tools report a
 * heartbeat, was it back at its quiesce point or crash-consistent, and how long each step took;
 * the measured recovery time (first register to last heartbeat); and the trend against earlier
 * drills of the site, read from the journal. The run report (every step, command, confirmation)
 * follows it in the same file. Written 0600 like every report.
 */
import type { Note } from '../engine/notes.js';
import type { EngineEvent } from '../engine/events.js';
import type { Journal } from '../journal/journal.js';
import { formatDuration, formatTimestamp } from '../reporters/format.js';
import {
  reportChunks,
  streamedReport,
  writeRenderings,
  type RenderableReport,
  type ReportFormat,
  type ReportSection,
} from '../reporters/report.js';
import type { Lang } from '../i18n/lang.js';
import type { DrillSituation } from './actions.js';
import { lastBoard } from '../runbook/board.js';
import { CRASH_CONSISTENT } from './context.js';
import { isoJsonFileChunks } from '../reporters/json-times.js';

export const DRILL_RUNBOOK = 'drbook-drill';
export const DRILL_CLEANUP_RUNBOOK = 'drbook-drill-cleanup';
const RECOVER_STEP = 'recover';

export interface DrillStageTiming {
  stage: string;
  state: 'done' | 'skipped' | 'failed' | 'unfinished';
  startedAt?: number | undefined;
  durationMs?: number | undefined;
  note?: Note | undefined;
  error?: string | undefined;
}

export interface DrillVmResult {
  name: string;
  host?: string | undefined;
  registered: boolean;
  booted: boolean;
  heartbeat: boolean;
  consistency: 'quiesced' | 'crash-consistent' | 'unknown';
  /** Its own recovery time: its register started → its heartbeat seen. */
  recoveryMs?: number | undefined;
  error?: string | undefined;
  stages: DrillStageTiming[];
}

export interface DrillTrendRow {
  runId: string;
  at: number;
  outcome: string;
  vms: number;
  heartbeat: number;
  recoveryMs: number | null;
  /** false: a --no-power-on drill, whose recovery time stops before the power on. */
  powerOn: boolean;
}

export interface DrillSummary {
  runId?: string | undefined;
  site?: string | undefined;
  snapshot?: string | undefined;
  snapshotTime?: string | null | undefined;
  clone?: string | undefined;
  datastore?: string | undefined;
  keep: boolean;
  powerOn: boolean;
  outcome?: string | undefined;
  vms: DrillVmResult[];
  counts: { total: number; booted: number; heartbeat: number; quiesced: number; crashConsistent: number; failed: number };
  /** Wall time from the first register to the last heartbeat; null when no VM got that far. */
  recoveryMs: number | null;
  firstRegisterAt?: number | undefined;
  lastHeartbeatAt?: number | undefined;
  /** Whether the clone, its mounts and the drill VMs were removed (not with --keep). */
  cleanedUp: boolean | null;
  production: 'untouched' | 'changed' | 'not checked';
  trend: DrillTrendRow[];
}

function situationOf(events: readonly EngineEvent[]): DrillSituation | undefined {
  return lastBoard(events, 'drill');
}

/** The drill's facts from its events alone (the journal's, or a live run's). */
export function summarizeDrill(events: readonly EngineEvent[]): Omit<DrillSummary, 'trend'> {
  const s = situationOf(events);
  const labels = new Map<string, { label: string; host?: string | undefined }>();
  const stages = new Map<string, Map<string, DrillStageTiming>>();
  const finalError = new Map<string, string>();
  let runId: string | undefined;
  let site: string | undefined;
  let outcome: string | undefined;
  const stepState = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'run.started') {
      runId = e.runId;
      site = e.site;
    } else if (e.type === 'run.finished') outcome = e.outcome;
    else if (e.type === 'step.state') stepState.set(e.stepId, e.state);
    else if (e.type === 'step.targets' && e.stepId === RECOVER_STEP) {
      for (const t of e.targets) labels.set(t.id, { label: t.label, host: t.host });
    } else if (e.type === 'target.state' && e.stepId === RECOVER_STEP) {
      let m = stages.get(e.targetId);
      if (!m) stages.set(e.targetId, (m = new Map<string, DrillStageTiming>()));
      if (e.stage === undefined) {
        if (e.state === 'failed' && e.error) finalError.set(e.targetId, e.error);
        continue;
      }
      const row = m.get(e.stage) ?? { stage: e.stage, state: 'unfinished' as const };
      if (e.state === 'running' && row.startedAt === undefined) row.startedAt = e.at;
      if (e.state === 'done' || e.state === 'skipped' || e.state === 'failed') {
        row.state = e.state;
        if (row.startedAt !== undefined) row.durationMs = e.at - row.startedAt;
        if (e.note) row.note = e.note;
        if (e.error) row.error = e.error;
        if (e.state === 'failed' && e.error) finalError.set(e.targetId, e.error);
      }
      m.set(e.stage, row);
    }
  }
  const vms: DrillVmResult[] = [];
  let first: number | undefined;
  let last: number | undefined;
  for (const [id, info] of labels) {
    const m = stages.get(id) ?? new Map<string, DrillStageTiming>();
    const st = (k: string) => m.get(k);
    const reg = st('register');
    const hb = st('heartbeat');
    const revert = st('revert');
    const booted = st('power-on')?.state === 'done';
    const heartbeat = hb?.state === 'done';
    // Recovered = heartbeat seen; with --no-power-on, ready to power on (its last stage done).
    const ends = [...m.values()]
      .filter((x) => x.state === 'done' && x.startedAt !== undefined)
      .map((x) => x.startedAt! + (x.durationMs ?? 0));
    const ready = s?.drill.powerOn === false && reg?.state === 'done' && st('reisolate')?.state === 'done' ? Math.max(...ends) : undefined;
    const endAt = heartbeat && hb?.startedAt !== undefined ? hb.startedAt + (hb.durationMs ?? 0) : ready;
    if (reg?.startedAt !== undefined) first = Math.min(first ?? reg.startedAt, reg.startedAt);
    if (endAt !== undefined) last = Math.max(last ?? endAt, endAt);
    vms.push({
      name: info.label,
      host: info.host,
      registered: reg?.state === 'done',
      booted,
      heartbeat,
      consistency:
        revert?.state === 'done'
          ? 'quiesced'
          : revert?.state === 'skipped' && revert.note === CRASH_CONSISTENT
            ? 'crash-consistent'
            : 'unknown',
      recoveryMs: reg?.startedAt !== undefined && endAt !== undefined ? endAt - reg.startedAt : undefined,
      error: finalError.get(id),
      stages: [...m.values()],
    });
  }
  const keep = s?.drill.keep ?? false;
  // The vCenter drill folder counts where the runbook has its step (journals from before it do not).
  const cleaned = ['teardown', 'unmount', 'delete-clone', ...(stepState.has('remove-drill-folder') ? ['remove-drill-folder'] : [])].map(
    (k) => stepState.get(k),
  );
  return {
    runId,
    site,
    snapshot: s?.plan?.snapshot,
    snapshotTime: s?.plan?.createTime,
    clone: s?.drill.clone,
    datastore: s?.drill.datastore,
    keep,
    powerOn: s?.drill.powerOn ?? true,
    outcome,
    vms,
    counts: {
      total: vms.length,
      booted: vms.filter((v) => v.booted).length,
      heartbeat: vms.filter((v) => v.heartbeat).length,
      quiesced: vms.filter((v) => v.consistency === 'quiesced').length,
      crashConsistent: vms.filter((v) => v.consistency === 'crash-consistent').length,
      failed: vms.filter((v) => v.error !== undefined).length,
    },
    recoveryMs: first !== undefined && last !== undefined ? last - first : null,
    firstRegisterAt: first,
    lastHeartbeatAt: last,
    cleanedUp: keep
      ? false
      : cleaned.every((x) => x === 'done' || x === 'skipped')
        ? true
        : cleaned.some((x) => x === undefined)
          ? null
          : false,
    production: stepState.get('verify') === 'done' ? 'untouched' : stepState.get('verify') === 'failed' ? 'changed' : 'not checked',
  };
}

/** Earlier drills of the site (newest first), from the journal; cleanups are not drills. */
export function drillTrend(journal: Journal, site: string, exceptRunId?: string, limit = 10): DrillTrendRow[] {
  const out: DrillTrendRow[] = [];
  for (const run of journal.listRuns({ site })) {
    if (run.kind !== 'drill' || run.runbook !== DRILL_RUNBOOK || run.id === exceptRunId) continue;
    const s = summarizeDrill(journal.runEvents(run.id));
    out.push({
      runId: run.id,
      at: run.createdAt,
      outcome: s.outcome ?? run.status,
      vms: s.counts.total,
      heartbeat: s.counts.heartbeat,
      recoveryMs: s.recoveryMs,
      powerOn: s.powerOn,
    });
    if (out.length >= limit) break;
  }
  return out;
}

const dur = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : formatDuration(ms));
const yes = (b: boolean): string => (b ? 'yes' : 'no');

function delta(now: number | null, then: number | null): string {
  if (now === null || then === null) return '';
  const d = now - then;
  return `${d >= 0 ? '+' : '−'}${formatDuration(Math.abs(d))}`;
}

/** The drill's own sections of the run report (src/reporters/report.ts renders them first). */
export function drillReportSections(d: DrillSummary): ReportSection[] {
  return [
    {
      title: 'Drill',
      lines: [
        `Outcome: ${d.outcome ?? 'unfinished'}`,
        `Snapshot: ${d.snapshot ?? '?'}${d.snapshotTime ? ` (${d.snapshotTime})` : ''}`,
        `Clone / datastore: ${d.clone ?? '?'} / ${d.datastore ?? '?'}`,
        d.powerOn
          ? `Recovery time (first register → last heartbeat): ${dur(d.recoveryMs)}`
          : `Recovery time (--no-power-on: first register → last VM ready to power on): ${dur(d.recoveryMs)}`,
        `VMs: ${d.counts.total}: ${d.counts.booted} booted, ${d.counts.heartbeat} heartbeat, ${d.counts.quiesced} quiesced, ${d.counts.crashConsistent} crash-consistent, ${d.counts.failed} failed`,
        `Cleaned up: ${d.keep ? 'no (--keep: drbook drill cleanup removes it)' : d.cleanedUp === null ? 'unknown' : yes(d.cleanedUp)}`,
        `Production: ${d.production}`,
      ],
    },
    {
      title: 'Drill VMs',
      table: {
        head: ['VM', 'Host', 'Booted', 'Heartbeat', 'Point', 'Recovery', 'Steps', 'Error'],
        rows: d.vms.map((v) => [
          v.name,
          v.host ?? '',
          yes(v.booted),
          yes(v.heartbeat),
          v.consistency,
          dur(v.recoveryMs),
          v.stages.map((s) => `${s.stage} ${s.state === 'done' ? dur(s.durationMs) : s.state}`).join(', '),
          v.error ?? '',
        ]),
      },
    },
    d.trend.length
      ? {
          title: 'Trend (earlier drills of this site)',
          table: {
            head: ['Drill', 'Started', 'Outcome', 'VMs', 'Heartbeat', 'Recovery', 'This drill vs it'],
            rows: d.trend.map((t) => [
              t.runId,
              formatTimestamp(t.at),
              t.powerOn ? t.outcome : `${t.outcome} (no power on)`,
              t.vms,
              t.heartbeat,
              dur(t.recoveryMs),
              t.powerOn === d.powerOn ? delta(d.recoveryMs, t.recoveryMs) : '',
            ]),
          },
        }
      : { title: 'Trend (earlier drills of this site)', lines: ['This is the first drill of this site in the journal.'] },
  ];
}

/** The drill's summary and trend: the events a run keeps in memory are enough (no reads are needed). */
function drillSummary(events: readonly EngineEvent[], journal: Journal): DrillSummary {
  const base = summarizeDrill(events);
  return { ...base, trend: base.site ? drillTrend(journal, base.site, base.runId) : [] };
}

export interface DrillReport {
  drill: DrillSummary;
  /** The run's report, its commands streamed from the journal as it is rendered. */
  run: RenderableReport;
}

/** A drill's report: `events` are those the run decides from (no read outputs needed). */
export function drillReport(runId: string, events: readonly EngineEvent[], journal: Journal): DrillReport {
  const drill = drillSummary(events, journal);
  return { drill, run: streamedReport((part) => journal.streamRunEvents(runId, part), { sections: drillReportSections(drill) }) };
}

/** The drill report in `format`, in pieces as it is rendered: a big drill's command table is never one string. The JSON holds the drill summary too. */
export function drillReportChunks(report: DrillReport, format: ReportFormat, lang: Lang = 'en'): Iterable<string> {
  return format === 'json' ? isoJsonFileChunks(report) : reportChunks(report.run, format, lang);
}

/** `<dir>/drill-<run>.{md,json,html}`, 0600, each written atomically as it is rendered, side by side from one pass over the commands. */
export async function writeDrillReport(dir: string, runId: string, events: readonly EngineEvent[], journal: Journal): Promise<string[]> {
  const { drill, run } = drillReport(runId, events, journal);
  return writeRenderings(
    dir,
    run,
    (['md', 'json', 'html'] as const).map((format) => ({
      file: `drill-${runId}.${format}`,
      render: (r: RenderableReport) => drillReportChunks({ drill, run: r }, format),
    })),
  );
}
