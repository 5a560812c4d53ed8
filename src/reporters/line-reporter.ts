/**
 * The plain reporter (`--plain`, or a non-TTY): one readable line per meaningful event, with a
 * timestamp. No colors unless a chalk instance with level > 0 is given (see color.ts for NO_COLOR).
 * It folds events with the same reducer as the UI, to know step titles and target labels.
 */
import type { ChalkInstance } from 'chalk';
import type { EngineEvent } from '../engine/events.js';
import type { EventSink } from '../engine/ports.js';
import { localizeNote } from '../i18n/engine.js';
import { initialViewModel, reduce, stepRow, targetRow, type ViewModel } from '../engine/view-model.js';
import type { Lang } from '../i18n/lang.js';
import { reportMessages } from '../i18n/report.js';
import { localStageName, localStepTitle } from '../i18n/steps.js';
import { maskControl } from '../text/control.js';
import { formatClock, formatDuration, lastLine } from './format.js';

export interface LineReporterOptions {
  /** Receives whole lines, newline included. */
  write(text: string): void;
  chalk?: ChalkInstance | undefined;
  timeZone?: 'utc' | 'local' | undefined;
  /** Also every command, stage start and progress (default: only results and failures). */
  verbose?: boolean | undefined;
  /** Lines for the preflight board; default: one line saying it was received. */
  formatSituation?: ((data: unknown) => string[]) | undefined;
  /** The language of the lines (default English); commands and device output stay verbatim. */
  lang?: Lang | undefined;
}

interface Paint {
  dim(s: string): string;
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  bold(s: string): string;
  ask(s: string): string;
}

function paint(chalk: ChalkInstance | undefined): Paint {
  if (!chalk || chalk.level === 0) {
    const id = (s: string) => s;
    return { dim: id, ok: id, bad: id, warn: id, bold: id, ask: id };
  }
  return { dim: chalk.dim, ok: chalk.green, bad: chalk.red, warn: chalk.yellow, bold: chalk.bold, ask: chalk.cyan };
}

export function createLineReporter(opts: LineReporterOptions): EventSink {
  let vm = initialViewModel();
  const commands = new Map<string, string>();
  const p = paint(opts.chalk);
  return {
    emit(e) {
      const before = vm;
      vm = reduce(vm, e);
      for (const line of formatEvent(e, before, vm, commands, p, opts)) opts.write(`${p.dim(formatClock(e.at, opts.timeZone))} ${line}\n`);
    },
  };
}

function formatEvent(
  e: EngineEvent,
  before: ViewModel,
  vm: ViewModel,
  commands: Map<string, string>,
  p: Paint,
  opts: LineReporterOptions,
): string[] {
  const clean = (text: string): string => maskControl(text);
  const lang = opts.lang ?? 'en';
  const m = reportMessages(lang);
  const stage = (id: string) => localStageName(lang, id);
  switch (e.type) {
    case 'run.started': {
      const a = { runId: e.runId, runbook: e.runbook, site: e.site };
      return [p.bold(e.resumed ? m.lineRunResumed(a) : m.lineRunStarted(a))];
    }
    case 'situation':
      return opts.formatSituation ? opts.formatSituation(e.data).map(clean) : [m.lineSituationDone];
    case 'step.state': {
      const s = stepRow(vm, e.stepId);
      const title = localStepTitle(lang, { id: e.stepId, title: s?.title }, vm.header.runbook);
      const prev = stepRow(before, e.stepId)?.state;
      const withNote = (line: string) => (e.note ? m.lineStepNote({ line, note: clean(localizeNote(e.note, lang)!) }) : line);
      switch (e.state) {
        case 'running':
          return prev === 'needs-you' ? [] : [p.bold(m.lineStep({ title }))];
        case 'done': {
          const counts = { title, done: s?.done ?? 0, total: s?.total ?? 0 };
          const took = s?.startedAt !== undefined && s.finishedAt !== undefined ? formatDuration(s.finishedAt - s.startedAt) : undefined;
          return [p.ok(withNote(took !== undefined ? m.lineStepDoneTook({ ...counts, took }) : m.lineStepDone(counts)))];
        }
        case 'failed':
          return [p.bad(withNote(m.lineStepFailed({ title })))];
        case 'skipped':
          return [withNote(m.lineStepSkipped({ title }))];
        case 'needs-you':
          return [p.ask(withNote(m.lineStepNeedsYou({ title })))];
        case 'waiting':
          return e.note ? [p.warn(withNote(m.lineStepWaiting({ title })))] : [];
      }
      return [];
    }
    case 'step.targets':
      return opts.verbose
        ? [
            `  ${e.stages.length ? m.lineTargetsStages({ count: e.targets.length, stages: e.stages.map(stage).join(' → ') }) : m.lineTargets({ count: e.targets.length })}`,
          ]
        : [];
    case 'target.state': {
      const t = targetRow(vm, e.stepId, e.targetId);
      const label = clean(t?.label ?? e.targetId);
      const name = t?.host && t.host !== t.label ? m.lineTargetName({ label, host: clean(t.host) }) : label;
      const at = e.stage ? stage(e.stage) : undefined;
      const withNote = (line: string) => `  ${e.note ? m.lineTargetNote({ line, note: clean(localizeNote(e.note, lang)!) }) : line}`;
      switch (e.state) {
        case 'running':
          return opts.verbose ? [`  ${at ? m.lineTargetRunning({ name, stage: at }) : m.lineTargetRunningNoStage({ name })}`] : [];
        case 'done':
          if (e.stage) return [];
          return [
            p.ok(
              withNote(
                t?.durationMs !== undefined ? m.lineTargetDoneIn({ name, took: formatDuration(t.durationMs) }) : m.lineTargetDone({ name }),
              ),
            ),
          ];
        case 'skipped':
          return e.stage && !opts.verbose
            ? []
            : [withNote(at ? m.lineTargetSkippedAt({ name, stage: at }) : m.lineTargetSkipped({ name }))];
        case 'failed': {
          const error = clean(e.error ?? m.unknownError);
          return [p.bad(withNote(at ? m.lineTargetFailedAt({ name, stage: at, error }) : m.lineTargetFailed({ name, error })))];
        }
        case 'needs-you':
          return [p.ask(`  ${at ? m.lineTargetNeedsYouAt({ name, stage: at }) : m.lineTargetNeedsYou({ name })}`)];
        case 'waiting':
          return e.note ? [p.warn(withNote(at ? m.lineTargetWaitingAt({ name, stage: at }) : m.lineTargetWaiting({ name })))] : [];
      }
      return [];
    }
    case 'target.progress':
      return opts.verbose
        ? [
            `  ${clean(targetRow(vm, e.stepId, e.targetId)?.label ?? e.targetId)}: ${e.done}/${e.total}${e.label ? ` ${clean(e.label)}` : ''}`,
          ]
        : [];
    case 'command.started':
      commands.set(e.id, e.command);
      return opts.verbose ? [p.dim(`  $ ${clean(e.host)}: ${clean(e.command)}`)] : [];
    case 'command.finished': {
      const command = commands.get(e.id) ?? e.id;
      commands.delete(e.id);
      const failed = e.error !== undefined || e.exitCode !== 0;
      if (!failed && !opts.verbose) return [];
      const result = e.error ?? (e.signal ? m.lineCommandSignal({ signal: e.signal }) : m.lineCommandExit({ code: String(e.exitCode) }));
      const why = failed ? lastLine(e.stderrTail) || lastLine(e.stdoutTail) : '';
      const line = `  $ ${clean(e.host)}: ${clean(command)} → ${clean(result)} (${formatDuration(e.durationMs)})${why ? `: ${clean(why)}` : ''}`;
      return [failed ? p.bad(line) : p.dim(line)];
    }
    case 'prompt.requested': {
      const out = [p.ask(`? ${clean(e.title)}`), ...e.lines.map((l) => `    ${clean(l)}`)];
      if (e.kind === 'typed' && e.expect !== undefined) out.push(`    ${m.lineType({ expect: clean(e.expect) })}`);
      if (e.kind === 'choose' && e.options)
        out.push(`    ${m.lineChoices({ choices: e.options.map((o) => `${o.key} (${clean(o.label)})`).join(', ') })}`);
      if (e.kind === 'checklist' && e.items) out.push(...e.items.map((i) => `    [ ] ${clean(i)}`));
      return out;
    }
    case 'prompt.answered':
      return [
        `  ${m.lineAnswered({ answer: JSON.stringify(e.answer), by: clean(e.by), via: e.flag ? `${e.via} ${clean(e.flag)}` : e.via })}`,
      ];
    case 'note': {
      const text = m.lineNote({ level: m.noteLevel[e.level] ?? e.level, text: clean(e.text) });
      return [e.level === 'error' ? p.bad(text) : e.level === 'warn' ? p.warn(text) : text];
    }
    case 'run.finished': {
      const h = vm.header;
      const runId = h.runId ?? '';
      const took = h.startedAt !== undefined ? formatDuration(e.at - h.startedAt) : '';
      const error = e.error ? clean(e.error) : '';
      if (e.outcome === 'done') return [p.ok(p.bold(took ? m.lineRunDoneIn({ runId, took }) : m.lineRunDone({ runId })))];
      if (e.outcome === 'failed') return [p.bad(p.bold(m.lineRunFailed({ runId, took, error })))];
      return [p.warn(p.bold(m.lineRunStopped({ runId, error })))];
    }
  }
}
