/**
 * The plain reporter (`--plain`, or a non-TTY): one readable line per meaningful event, with a
 * timestamp. No colors unless a chalk instance with level > 0 is given (see color.ts for NO_COLOR).
 * It folds events with the same reducer as the UI, to know step titles and target labels.
 */
import type { ChalkInstance } from 'chalk';
import type { EngineEvent } from '../engine/events.js';
import type { EventSink } from '../engine/ports.js';
import { initialViewModel, reduce, stepRow, targetRow, type ViewModel } from '../engine/view-model.js';
import { formatClock, formatDuration, lastLine, stripControl } from './format.js';

export interface LineReporterOptions {
  /** Receives whole lines, newline included. */
  write(text: string): void;
  chalk?: ChalkInstance | undefined;
  timeZone?: 'utc' | 'local' | undefined;
  /** Also every command, stage start and progress (default: only results and failures). */
  verbose?: boolean | undefined;
  /** Lines for the preflight board; default: one line saying it was received. */
  formatSituation?: ((data: unknown) => string[]) | undefined;
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
  const clean = stripControl;
  switch (e.type) {
    case 'run.started':
      return [p.bold(`run ${e.runId}: ${e.runbook} on site ${e.site}${e.resumed ? ' (resumed)' : ''}`)];
    case 'situation':
      return opts.formatSituation ? opts.formatSituation(e.data).map(clean) : ['situation: preflight done'];
    case 'step.state': {
      const s = stepRow(vm, e.stepId);
      const title = s?.title ?? e.stepId;
      const prev = stepRow(before, e.stepId)?.state;
      const note = e.note ? `: ${clean(e.note)}` : '';
      switch (e.state) {
        case 'running':
          return prev === 'needs-you' ? [] : [p.bold(`step ${title}`)];
        case 'done': {
          const took = s?.startedAt !== undefined && s.finishedAt !== undefined ? `, ${formatDuration(s.finishedAt - s.startedAt)}` : '';
          return [p.ok(`step ${title}: done (${s?.done ?? 0}/${s?.total ?? 0}${took})${note}`)];
        }
        case 'failed':
          return [p.bad(`step ${title}: FAILED${note}`)];
        case 'skipped':
          return [`step ${title}: skipped${note}`];
        case 'needs-you':
          return [p.ask(`step ${title}: waiting for you${note}`)];
        case 'waiting':
          return e.note ? [p.warn(`step ${title}: waiting${note}`)] : [];
      }
      return [];
    }
    case 'step.targets':
      return opts.verbose ? [`  ${e.targets.length} target(s)${e.stages.length ? `, stages ${e.stages.join(' → ')}` : ''}`] : [];
    case 'target.state': {
      const t = targetRow(vm, e.stepId, e.targetId);
      const name = `${clean(t?.label ?? e.targetId)}${t?.host && t.host !== t.label ? ` (${clean(t.host)})` : ''}`;
      const where = e.stage ? ` at ${e.stage}` : '';
      const note = e.note ? ` — ${clean(e.note)}` : '';
      switch (e.state) {
        case 'running':
          return opts.verbose ? [`  ${name}: ${e.stage ?? 'running'}…`] : [];
        case 'done':
          if (e.stage) return [];
          return [p.ok(`  ${name}: done${t?.durationMs !== undefined ? ` in ${formatDuration(t.durationMs)}` : ''}${note}`)];
        case 'skipped':
          return e.stage && !opts.verbose ? [] : [`  ${name}: skipped${where}${note}`];
        case 'failed':
          return [p.bad(`  ${name}: FAILED${where}: ${clean(e.error ?? 'unknown error')}${note}`)];
        case 'needs-you':
          return [p.ask(`  ${name}: needs you${where}`)];
        case 'waiting':
          return e.note ? [p.warn(`  ${name}: waiting${where}${note}`)] : [];
      }
      return [];
    }
    case 'target.progress':
      return opts.verbose ? [`  ${clean(targetRow(vm, e.stepId, e.targetId)?.label ?? e.targetId)}: ${e.done}/${e.total}${e.label ? ` ${clean(e.label)}` : ''}`] : [];
    case 'command.started':
      commands.set(e.id, e.command);
      return opts.verbose ? [p.dim(`  $ ${clean(e.host)}: ${clean(e.command)}`)] : [];
    case 'command.finished': {
      const command = commands.get(e.id) ?? e.id;
      commands.delete(e.id);
      const failed = e.error !== undefined || e.exitCode !== 0;
      if (!failed && !opts.verbose) return [];
      const result = e.error ?? (e.signal ? `signal ${e.signal}` : `exit ${e.exitCode}`);
      const why = failed ? lastLine(e.stderrTail) || lastLine(e.stdoutTail) : '';
      const line = `  $ ${clean(e.host)}: ${clean(command)} → ${clean(result)} (${formatDuration(e.durationMs)})${why ? `: ${clean(why)}` : ''}`;
      return [failed ? p.bad(line) : p.dim(line)];
    }
    case 'prompt.requested': {
      const out = [p.ask(`? ${clean(e.title)}`), ...e.lines.map((l) => `    ${clean(l)}`)];
      if (e.kind === 'typed' && e.expect !== undefined) out.push(`    type: ${clean(e.expect)}`);
      if (e.kind === 'choose' && e.options) out.push(`    choices: ${e.options.map((o) => `${o.key} (${clean(o.label)})`).join(', ')}`);
      if (e.kind === 'checklist' && e.items) out.push(...e.items.map((i) => `    [ ] ${clean(i)}`));
      return out;
    }
    case 'prompt.answered':
      return [`  answered ${JSON.stringify(e.answer)} by ${clean(e.by)} (${e.via})`];
    case 'note': {
      const text = `${e.level}: ${clean(e.text)}`;
      return [e.level === 'error' ? p.bad(text) : e.level === 'warn' ? p.warn(text) : text];
    }
    case 'run.finished': {
      const h = vm.header;
      const took = h.startedAt !== undefined ? ` in ${formatDuration(e.at - h.startedAt)}` : '';
      const err = e.error ? `: ${clean(e.error)}` : '';
      if (e.outcome === 'done') return [p.ok(p.bold(`run ${h.runId ?? ''} done${took}`))];
      if (e.outcome === 'failed') return [p.bad(p.bold(`run ${h.runId ?? ''} FAILED${took}${err}`))];
      return [p.warn(p.bold(`run ${h.runId ?? ''} stopped${err} — drbook resume ${h.runId ?? ''} continues it`))];
    }
  }
}
