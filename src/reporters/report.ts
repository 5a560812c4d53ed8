/**
 * The run report: from the events (the journal's, or a live run's) to Markdown, JSON and a simple
 * HTML page. Per-step and per-VM timings, every command with its result, every confirmation with
 * who and when, the outcome and the failures. Files are written 0600: they name hosts and paths.
 */
import type { Note } from '../engine/notes.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EngineEvent, Outcome, RunState } from '../engine/events.js';
import { writeFilesAtomicChunks } from '../files/atomic-write.js';
import { renderSideBySide, type Render } from './side-by-side.js';
import { initialViewModel, reduce, type AnswerRow } from '../engine/view-model.js';
import { commonMessages, stateWord } from '../i18n/common.js';
import type { Lang } from '../i18n/lang.js';
import { localizeNote } from '../i18n/engine.js';
import { reportMessages } from '../i18n/report.js';
import { localStageName, localStepTitle } from '../i18n/steps.js';
import { escapeHtml } from '../text/html.js';
import { redactStrings, type Redactor } from '../transport/redact.js';
import { formatDuration, formatTimestamp } from './format.js';
import { isoJsonFileChunks } from './json-times.js';

export interface ReportStep {
  id: string;
  title: string;
  state: RunState;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  durationMs?: number | undefined;
  note?: Note | undefined;
}

export interface ReportTargetStep {
  stepId: string;
  state: RunState;
  stage?: string | undefined;
  durationMs?: number | undefined;
  error?: string | undefined;
  note?: Note | undefined;
}

export interface ReportTarget {
  id: string;
  label: string;
  host?: string | undefined;
  /** The worst state over its steps: failed > needs-you > running > waiting > skipped > done. */
  state: RunState;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  durationMs?: number | undefined;
  steps: ReportTargetStep[];
}

export interface ReportCommand {
  id: string;
  host: string;
  command: string;
  purpose?: string | undefined;
  stepId?: string | undefined;
  targetId?: string | undefined;
  startedAt: number;
  durationMs?: number | undefined;
  exitCode?: number | null | undefined;
  signal?: string | null | undefined;
  error?: string | undefined;
  stdoutTail?: string | undefined;
  stderrTail?: string | undefined;
}

export interface ReportFailure {
  stepId: string;
  targetId: string;
  label: string;
  host?: string | undefined;
  stage?: string | undefined;
  error: string;
}

/** A runbook's own section (the failover's situation, its per-VM recovery points). */
export interface ReportSection {
  title: string;
  lines?: string[] | undefined;
  table?: { head: string[]; rows: (string | number | null | undefined)[][] } | undefined;
}

export interface ReportData {
  runId?: string | undefined;
  site?: string | undefined;
  runbook?: string | undefined;
  /** `refused`: the journal says the run was refused before it acted (the events say failed). */
  outcome?: Outcome | 'refused' | undefined;
  error?: string | undefined;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  durationMs?: number | undefined;
  /** How many times the run was resumed. */
  resumes: number;
  steps: ReportStep[];
  targets: ReportTarget[];
  commands: ReportCommand[];
  confirmations: AnswerRow[];
  failures: ReportFailure[];
  notes: { at: number; level: 'info' | 'warn' | 'error'; text: string; stepId?: string | undefined; targetId?: string | undefined }[];
  sections: ReportSection[];
}

/**
 * What the renderers read: a report whose commands (nearly all of a big run's report) may be
 * produced as they are written, e.g. redacted one by one instead of copied whole.
 */
export type RenderableReport = Omit<ReportData, 'commands'> & { commands: Iterable<ReportCommand> };

const SEVERITY: Record<RunState, number> = { done: 0, skipped: 1, waiting: 2, running: 3, 'needs-you': 4, failed: 5 };

/**
 * A runbook's own sections, in the report's language. They read what a run decided and did (boards,
 * targets, commands with an intent): the events a run keeps in memory (src/engine/decision-events.ts)
 * are enough.
 */
export type ReportSections = (events: readonly EngineEvent[], lang: Lang) => ReportSection[];

/** The report of a run from its events, its commands in an array. */
export function buildReport(
  events: readonly EngineEvent[],
  opts: { sections?: ReportSection[] | undefined; refused?: boolean | undefined } = {},
): ReportData {
  return reportOf(events, [...commandRows(events)], opts);
}

/**
 * A run's events read again at each call (the journal's stream), `part` of them: the commands (with
 * the run.started of each attempt) or the others. A source that ignores `part` is also right: each
 * reader skips what it does not read; the journal's saves parsing ~130,000 commands a reader skips.
 */
export type EventStream = (part: 'commands' | 'others') => Iterable<EngineEvent>;

/**
 * The report of a run too big to hold at once (a 2,000-VM failover sends ~70,000 commands): the
 * summary is folded from one read of the events, and the commands are read and paired as they are
 * rendered (once for all formats: writeReport).
 */
export function streamedReport(
  events: EventStream,
  opts: { sections?: ReportSection[] | undefined; refused?: boolean | undefined } = {},
): RenderableReport {
  return reportOf(events('others'), { [Symbol.iterator]: () => commandRows(events('commands')) }, opts);
}

/**
 * A run's commands, each with its answer, in the order they started (an answer whose start was
 * not journaled: where it came). A row waits only for those started before it that are still
 * unanswered: the few in flight, not the run. A new attempt (run.started) ends the unanswered
 * commands of the one before: they were never answered.
 */
function* commandRows(events: Iterable<EngineEvent>): Generator<ReportCommand> {
  const pending = new Map<string, { row: ReportCommand; answered: boolean }>();
  function* ready(all: boolean): Generator<ReportCommand> {
    for (const [id, p] of pending) {
      if (!p.answered && !all) return;
      pending.delete(id);
      yield p.row;
    }
  }
  for (const e of events) {
    if (e.type === 'run.started') yield* ready(true);
    else if (e.type === 'command.started') {
      const row = {
        id: e.id,
        host: e.host,
        command: e.command,
        purpose: e.purpose,
        stepId: e.stepId,
        targetId: e.targetId,
        startedAt: e.at,
      };
      pending.set(e.id, { row, answered: false });
    } else if (e.type === 'command.finished') {
      const c = pending.get(e.id)?.row ?? { id: e.id, host: e.host, command: '(command not recorded)', startedAt: e.at - e.durationMs };
      const row: ReportCommand = {
        ...c,
        stepId: c.stepId ?? e.stepId,
        targetId: c.targetId ?? e.targetId,
        durationMs: e.durationMs,
        exitCode: e.exitCode,
        signal: e.signal,
        error: e.error,
        stdoutTail: e.stdoutTail,
        stderrTail: e.stderrTail,
      };
      pending.set(e.id, { row, answered: true });
      yield* ready(false);
    }
  }
  yield* ready(true);
}

/** Everything but the commands from `events` (read once), and `commands` in their place. */
function reportOf<C extends Iterable<ReportCommand>>(
  events: Iterable<EngineEvent>,
  commands: C,
  opts: { sections?: ReportSection[] | undefined; refused?: boolean | undefined },
): Omit<ReportData, 'commands'> & { commands: C } {
  // The fold reads steps, targets and answers: commands are not given to it (its history would copy them).
  let vm = initialViewModel();
  const notes: ReportData['notes'] = [];
  let resumes = 0;
  for (const e of events) {
    if (e.type === 'command.started' || e.type === 'command.finished') continue;
    vm = reduce(vm, e);
    if (e.type === 'run.started' && e.resumed) resumes++;
    else if (e.type === 'note') notes.push({ at: e.at, level: e.level, text: e.text, stepId: e.stepId, targetId: e.targetId });
  }

  const targets = new Map<string, ReportTarget>();
  const failures: ReportFailure[] = [];
  for (const row of vm.targets) {
    let t = targets.get(row.targetId);
    if (!t) {
      t = { id: row.targetId, label: row.label, host: row.host, state: 'done', steps: [] };
      targets.set(row.targetId, t);
    }
    t.steps.push({ stepId: row.stepId, state: row.state, stage: row.stage, durationMs: row.durationMs, error: row.error, note: row.note });
    if (SEVERITY[row.state] > SEVERITY[t.state]) t.state = row.state;
    if (row.startedAt !== undefined) t.startedAt = Math.min(t.startedAt ?? row.startedAt, row.startedAt);
    if (row.finishedAt !== undefined) t.finishedAt = Math.max(t.finishedAt ?? row.finishedAt, row.finishedAt);
    if (row.state === 'failed')
      failures.push({
        stepId: row.stepId,
        targetId: row.targetId,
        label: row.label,
        host: row.host,
        stage: row.stage,
        error: row.error ?? 'unknown error',
      });
  }
  for (const t of targets.values()) if (t.startedAt !== undefined && t.finishedAt !== undefined) t.durationMs = t.finishedAt - t.startedAt;

  const h = vm.header;
  return {
    runId: h.runId,
    site: h.site,
    runbook: h.runbook,
    outcome: opts.refused ? 'refused' : vm.outcome?.outcome,
    error: vm.outcome?.error,
    startedAt: h.startedAt,
    finishedAt: h.finishedAt,
    durationMs: h.startedAt !== undefined && h.finishedAt !== undefined ? h.finishedAt - h.startedAt : undefined,
    resumes,
    steps: vm.steps.map((s) => ({
      id: s.id,
      title: s.title,
      state: s.state,
      total: s.total,
      done: s.done,
      failed: s.failed,
      skipped: s.skipped,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      durationMs: s.startedAt !== undefined && s.finishedAt !== undefined ? s.finishedAt - s.startedAt : undefined,
      note: s.note,
    })),
    targets: [...targets.values()],
    commands,
    confirmations: [...vm.answers],
    failures,
    notes,
    sections: opts.sections ?? [],
  };
}

/** The report as data, times as ISO 8601 (src/reporters/json-times.ts). */
export function renderJson(r: RenderableReport): string {
  return [...isoJsonFileChunks(r)].join('');
}

const dur = (ms: number | undefined) => (ms === undefined ? '' : formatDuration(ms));
const when = (at: number | undefined) => (at === undefined ? '' : formatTimestamp(at));

/** A Markdown table cell: no pipes, no line breaks, no raw HTML. */
function cell(text: string | number | null | undefined): string {
  if (text === undefined || text === null) return '';
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks inside. */
function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ' ' : ''}${flat}${longest ? ' ' : ''}${fence}`;
}

function resultOf(c: ReportCommand, lang: Lang): string {
  const m = reportMessages(lang);
  if (c.error) return c.error;
  if (c.signal) return m.resultSignal({ signal: c.signal });
  if (c.exitCode === undefined) return m.resultNone;
  return m.resultExit({ code: String(c.exitCode) });
}

/** The words a report needs in its language: step titles, stage names, states, note levels. */
function words(r: RenderableReport, lang: Lang) {
  const common = commonMessages(lang);
  const m = reportMessages(lang);
  const titles = new Map(r.steps.map((s) => [s.id, s.title]));
  return {
    m,
    stepTitle: (s: { id: string; title?: string | undefined }) => localStepTitle(lang, s, r.runbook),
    /** Where a step is only referenced (failures, targets, commands): its id unless translated. */
    stepRef: (id: string | undefined) =>
      id === undefined ? undefined : lang === 'en' ? id : localStepTitle(lang, { id, title: titles.get(id) }, r.runbook),
    stage: (id: string | undefined) => (id === undefined ? undefined : localStageName(lang, id)),
    state: (st: string) => stateWord(common, st),
    outcome: (o: string | undefined) => (o === undefined ? m.reportUnfinished : (m.outcome[o] ?? o)),
    level: (l: 'info' | 'warn' | 'error') => m.noteLevel[l] ?? l,
  };
}

export function renderMarkdown(r: RenderableReport, lang: Lang = 'en'): string {
  return [...markdownChunks(r, lang)].join('');
}

/** Each line with its line break. */
function* lines(...ls: string[]): Generator<string> {
  for (const l of ls) yield `${l}\n`;
}

/** The Markdown report a few lines at a time (a big run's command table is never one string). */
function* markdownChunks(r: RenderableReport, lang: Lang): Generator<string> {
  const w = words(r, lang);
  const m = w.m;
  yield* lines(`# ${cell(m.reportTitle({ runId: r.runId ?? '' }))}`, '');
  yield* lines(
    `- ${m.reportSite}: ${cell(r.site)}`,
    `- ${m.reportRunbook}: ${cell(r.runbook)}`,
    `- ${m.reportOutcome}: **${cell(w.outcome(r.outcome))}**${r.error ? ` — ${cell(r.error)}` : ''}`,
  );
  yield* lines(
    `- ${m.reportStarted}: ${when(r.startedAt)}`,
    `- ${m.reportFinished}: ${when(r.finishedAt)}`,
    `- ${m.reportDuration}: ${dur(r.durationMs)}`,
  );
  if (r.resumes) yield* lines(`- ${m.reportResumed}: ${m.reportResumedTimes({ count: r.resumes })}`);
  const head = (cols: string[]) => [`| ${cols.map(cell).join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`];
  for (const sec of r.sections) {
    yield* lines('', `## ${cell(sec.title)}`, '');
    for (const l of sec.lines ?? []) yield* lines(`- ${cell(l)}`);
    if (sec.table) {
      if (sec.lines?.length) yield* lines('');
      yield* lines(...head(sec.table.head));
      for (const row of sec.table.rows) yield* lines(`| ${row.map(cell).join(' | ')} |`);
    }
  }
  yield* lines(
    '',
    `## ${m.headSteps}`,
    '',
    ...head([m.colStep, m.colState, m.colDone, m.colFailed, m.colSkipped, m.colTotal, m.colStarted, m.colDuration, m.colNote]),
  );
  for (const s of r.steps)
    yield* lines(
      `| ${cell(w.stepTitle(s))} | ${cell(w.state(s.state))} | ${s.done} | ${s.failed} | ${s.skipped} | ${s.total} | ${when(s.startedAt)} | ${dur(s.durationMs)} | ${cell(localizeNote(s.note, lang))} |`,
    );
  if (r.failures.length) {
    yield* lines('', `## ${m.headFailures}`, '', ...head([m.colStep, m.colTarget, m.colHost, m.colStage, m.colError]));
    for (const f of r.failures)
      yield* lines(`| ${cell(w.stepRef(f.stepId))} | ${cell(f.label)} | ${cell(f.host)} | ${cell(w.stage(f.stage))} | ${cell(f.error)} |`);
  }
  yield* lines('', `## ${m.headConfirmations}`, '');
  if (!r.confirmations.length) yield* lines(m.none);
  else {
    yield* lines(...head([m.colAsked, m.colAnswered, m.colQuestion, m.colAnswer, m.colBy, m.colVia]));
    for (const a of r.confirmations)
      yield* lines(
        `| ${when(a.requestedAt)} | ${when(a.at)} | ${cell(a.title)} | ${cell(a.answer)} | ${cell(a.by)} | ${cell(a.flag ? `${a.via} ${a.flag}` : a.via)} |`,
      );
  }
  yield* lines('', `## ${m.headTargets}`, '', ...head([m.colTarget, m.colHost, m.colState, m.colStarted, m.colDuration, m.colSteps]));
  for (const t of r.targets) {
    const steps = t.steps
      .map(
        (s) =>
          `${w.stepRef(s.stepId)}: ${w.state(s.state)}${s.durationMs !== undefined ? ` (${dur(s.durationMs)})` : ''}${s.error ? ` — ${s.error}` : ''}`,
      )
      .join('; ');
    yield* lines(
      `| ${cell(t.label)} | ${cell(t.host)} | ${cell(w.state(t.state))} | ${when(t.startedAt)} | ${dur(t.durationMs)} | ${cell(steps)} |`,
    );
  }
  yield* lines('', `## ${m.headCommands}`, '');
  let commands = 0;
  for (const c of r.commands) {
    if (commands++ === 0)
      yield* lines(...head([m.colStarted, m.colHost, m.colCommand, m.colStep, m.colTarget, m.colResult, m.colDuration, m.colOutput]));
    const output = lastNonEmpty(c.stderrTail) || lastNonEmpty(c.stdoutTail);
    yield* lines(
      `| ${when(c.startedAt)} | ${cell(c.host)} | ${code(c.command)} | ${cell(w.stepRef(c.stepId))} | ${cell(c.targetId)} | ${cell(resultOf(c, lang))} | ${dur(c.durationMs)} | ${cell(output)} |`,
    );
  }
  if (commands === 0) yield* lines(m.none);
  const notable = r.notes.filter((n) => n.level !== 'info');
  if (notable.length) {
    yield* lines('', `## ${m.headNotes}`, '');
    for (const n of notable) yield* lines(`- ${when(n.at)} ${w.level(n.level)}: ${cell(n.text)}`);
  }
}

function lastNonEmpty(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

/**
 * Read on a screen and on A4 paper: tables fit the width (commands and output wrap, times do not),
 * header rows repeat on each printed page, a row is not split across pages, headings stay with
 * what follows them.
 */
const REPORT_CSS = [
  'body{font-family:sans-serif;font-size:14px;margin:2em;max-width:100%}',
  'h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.5em;border-bottom:2px solid #333;break-after:avoid}',
  'table{border-collapse:collapse;width:100%;font-size:12px}',
  'th{background:#eee}td,th{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}',
  'td{font-family:monospace;overflow-wrap:break-word}td.t{white-space:nowrap}td.c{word-break:break-all;white-space:pre-wrap}',
  'table.fixed{table-layout:fixed}table.fixed td{overflow-wrap:anywhere}table.fixed td.t{white-space:normal}',
  'thead{display:table-header-group}tr{break-inside:avoid}',
  '@page{size:A4;margin:12mm}',
  '@media print{body{margin:0;font-size:10pt}table{font-size:7.5pt}th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}}',
].join('');

export function renderHtml(r: RenderableReport, lang: Lang = 'en'): string {
  return [...htmlChunks(r, lang)].join('');
}

/** The HTML report a part at a time, and its command table a row at a time. */
function* htmlChunks(r: RenderableReport, lang: Lang): Generator<string> {
  const e = escapeHtml;
  const w = words(r, lang);
  const m = w.m;
  // Times, hosts, states and results stay on one line; commands and device output wrap anywhere
  // rather than run off the page.
  const timeCols = new Set([m.colStarted, m.colAsked, m.colAnswered, m.colHost, m.colDuration, m.colState]);
  const codeCols = new Set([m.colCommand, m.colOutput]);
  const cls = (h: string) => (timeCols.has(h) ? ' class="t"' : codeCols.has(h) ? ' class="c"' : '');
  // widths (per cent): a fixed layout, for the wide commands table on paper.
  function* tableChunks(head: string[], rows: Iterable<(string | number | null | undefined)[]>, widths?: number[]): Generator<string> {
    yield `<table${widths ? ' class="fixed"' : ''}>\n${widths ? `<colgroup>${widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>` : ''}<thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>\n<tbody>`;
    let n = 0;
    for (const row of rows) yield `${n++ ? '\n' : ''}<tr>${row.map((c, i) => `<td${cls(head[i] ?? '')}>${e(c)}</td>`).join('')}</tr>`;
    yield '</tbody>\n</table>';
  }
  const table = (head: string[], rows: (string | number | null | undefined)[][], widths?: number[]) =>
    [...tableChunks(head, rows, widths)].join('');
  const title = m.reportTitle({ runId: r.runId ?? '' });
  // The page, then its parts each on a line of its own.
  yield `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${e(title)}</title>\n<style>${REPORT_CSS}</style></head>\n<body>\n`;
  const part = (text: string) => `${text}\n`;
  const parts = (...texts: string[]) => texts.map(part);
  yield part(`<h1>${e(title)}</h1>`);
  yield* parts(
    `<ul><li>${e(m.reportSite)}: ${e(r.site)}</li><li>${e(m.reportRunbook)}: ${e(r.runbook)}</li><li>${e(m.reportOutcome)}: <strong>${e(w.outcome(r.outcome))}</strong>${r.error ? ` — ${e(r.error)}` : ''}</li>` +
      `<li>${e(m.reportStarted)}: ${e(when(r.startedAt))}</li><li>${e(m.reportFinished)}: ${e(when(r.finishedAt))}</li><li>${e(m.reportDuration)}: ${e(dur(r.durationMs))}</li>` +
      `${r.resumes ? `<li>${e(m.reportResumed)}: ${e(m.reportResumedTimes({ count: r.resumes }))}</li>` : ''}</ul>`,
  );
  for (const sec of r.sections) {
    yield* parts(`<h2>${e(sec.title)}</h2>`);
    if (sec.lines?.length) yield* parts(`<ul>${sec.lines.map((l) => `<li>${e(l)}</li>`).join('')}</ul>`);
    if (sec.table) yield* parts(table(sec.table.head, sec.table.rows));
  }
  yield* parts(
    `<h2>${e(m.headSteps)}</h2>`,
    table(
      [m.colStep, m.colState, m.colDone, m.colFailed, m.colSkipped, m.colTotal, m.colStarted, m.colDuration, m.colNote],
      r.steps.map((s) => [
        w.stepTitle(s),
        w.state(s.state),
        s.done,
        s.failed,
        s.skipped,
        s.total,
        when(s.startedAt),
        dur(s.durationMs),
        localizeNote(s.note, lang),
      ]),
    ),
  );
  if (r.failures.length) {
    yield* parts(
      `<h2>${e(m.headFailures)}</h2>`,
      table(
        [m.colStep, m.colTarget, m.colHost, m.colStage, m.colError],
        r.failures.map((f) => [w.stepRef(f.stepId), f.label, f.host, w.stage(f.stage), f.error]),
      ),
    );
  }
  yield* parts(
    `<h2>${e(m.headConfirmations)}</h2>`,
    table(
      [m.colAsked, m.colAnswered, m.colQuestion, m.colAnswer, m.colBy, m.colVia],
      r.confirmations.map((a) => [when(a.requestedAt), when(a.at), a.title, a.answer, a.by, a.flag ? `${a.via} ${a.flag}` : a.via]),
    ),
  );
  yield* parts(
    `<h2>${e(m.headTargets)}</h2>`,
    table(
      [m.colTarget, m.colHost, m.colState, m.colStarted, m.colDuration, m.colSteps],
      r.targets.map((t) => [
        t.label,
        t.host,
        w.state(t.state),
        when(t.startedAt),
        dur(t.durationMs),
        t.steps.map((s) => `${w.stepRef(s.stepId)}: ${w.state(s.state)}${s.error ? ` — ${s.error}` : ''}`).join('; '),
      ]),
    ),
  );
  yield part(`<h2>${e(m.headCommands)}</h2>`);
  const commandRows = function* () {
    for (const c of r.commands)
      yield [
        when(c.startedAt),
        c.host,
        c.command,
        w.stepRef(c.stepId),
        c.targetId,
        resultOf(c, lang),
        dur(c.durationMs),
        lastNonEmpty(c.stderrTail) || lastNonEmpty(c.stdoutTail),
      ];
  };
  yield* tableChunks(
    [m.colStarted, m.colHost, m.colCommand, m.colStep, m.colTarget, m.colResult, m.colDuration, m.colOutput],
    commandRows(),
    [12, 7, 29, 9, 10, 7, 6, 20],
  );
  yield '\n';
  const notable = r.notes.filter((n) => n.level !== 'info');
  if (notable.length)
    yield* parts(
      `<h2>${e(m.headNotes)}</h2>`,
      `<ul>${notable.map((n) => `<li>${e(when(n.at))} ${e(w.level(n.level))}: ${e(n.text)}</li>`).join('')}</ul>`,
    );
  yield '</body></html>\n';
}

export type ReportFormat = 'md' | 'json' | 'html';

/** The report in `format`; Markdown and HTML in `lang` (default English), JSON is data and never translated. */
export function renderReport(r: RenderableReport, format: ReportFormat, lang: Lang = 'en'): string {
  return [...reportChunks(r, format, lang)].join('');
}

/** The report in `format` in pieces, for writing as it is produced (renderReport is their concatenation). */
export function reportChunks(r: RenderableReport, format: ReportFormat, lang: Lang = 'en'): Iterable<string> {
  return format === 'md' ? markdownChunks(r, lang) : format === 'json' ? isoJsonFileChunks(r) : htmlChunks(r, lang);
}

/**
 * The report with every string redacted, its commands one by one as they are rendered: the
 * events are redacted already, what the report derives from them (ages, sentences) once more,
 * and a big run's commands are not copied whole for it.
 */
export function redactReport(r: RenderableReport, redactor: Redactor): RenderableReport {
  const commands = r.commands;
  return {
    ...redactStrings({ ...r, commands: [] }, redactor),
    commands: {
      *[Symbol.iterator]() {
        for (const c of commands) yield redactStrings(c, redactor);
      },
    },
  };
}

/**
 * Write `<dir>/<basename>.<format>` for each format, mode 0600, atomically and as it is rendered
 * (src/files/atomic-write.ts), the formats side by side from one pass over the commands
 * (src/reporters/side-by-side.ts), and return the paths written.
 */
export async function writeReport(
  dir: string,
  events: EventStream,
  opts: {
    formats?: ReportFormat[];
    basename?: string;
    sections?: ReportSection[] | undefined;
    lang?: Lang | undefined;
    redactor?: Redactor | undefined;
    refused?: boolean | undefined;
  } = {},
): Promise<string[]> {
  const built = streamedReport(events, { sections: opts.sections, refused: opts.refused });
  const report = opts.redactor ? redactReport(built, opts.redactor) : built;
  const base = opts.basename ?? `drbook-${(report.runId ?? 'run').replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const formats = opts.formats ?? ['md', 'json'];
  return writeRenderings(
    dir,
    report,
    formats.map((format) => ({ file: `${base}.${format}`, render: (r: RenderableReport) => reportChunks(r, format, opts.lang) })),
  );
}

/** Each rendering of `report` to `<dir>/<file>`, 0600, atomically, side by side from one pass over its commands. */
export async function writeRenderings(
  dir: string,
  report: RenderableReport,
  renderings: readonly { file: string; render: Render }[],
): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = renderings.map((r) => path.join(dir, r.file));
  writeFilesAtomicChunks(
    files,
    renderSideBySide(
      report,
      renderings.map((r) => r.render),
    ),
  );
  return files;
}
