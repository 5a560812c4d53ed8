/**
 * The one reducer (design §4): the Ink UI, the reporters, the report and resume all fold the same
 * events with `reduce`. Pure: it never mutates its input; targets live in chunked Rows with a
 * key index so 2,000 VMs × several stages fold in linear time.
 */
import type { EngineEvent, Outcome, PromptRequestedEvent, RunState, TargetInfo } from './events.js';
import { Rows } from './rows.js';
import type { Note } from './notes.js';
import type { RunbookKind } from '../runbook/runbook.js';
import type { CommandIntent } from '../transport/intent.js';

export type Phase = 'idle' | 'running' | 'needs-you' | 'done' | 'failed' | 'stopped';

export interface Header {
  runId?: string | undefined;
  site?: string | undefined;
  runbook?: string | undefined;
  runbookKind?: RunbookKind | undefined;
  phase: Phase;
  resumed: boolean;
  /** First run.started of the run (kept across resumes). */
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  /** `at` of the last event folded: the UI computes elapsed from its own clock. */
  lastAt?: number | undefined;
  currentStepId?: string | undefined;
}

export interface StepRow {
  id: string;
  title: string;
  state: RunState;
  stages: string[];
  /** What the step's targets are (hosts or VMs), once they are announced. */
  per?: 'site' | 'host' | 'vm' | undefined;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  /** Estimated time left from the pace so far; absent until one target finished. */
  etaMs?: number | undefined;
  note?: Note | undefined;
}

export interface TargetRow {
  stepId: string;
  targetId: string;
  label: string;
  host?: string | undefined;
  group?: number | undefined;
  /** The stage running or last reached. */
  stage?: string | undefined;
  state: RunState;
  /** Stages verified done for this target (resume skips them). */
  stagesDone: readonly string[];
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  durationMs?: number | undefined;
  note?: Note | undefined;
  error?: string | undefined;
  progress?: { done: number; total: number; label?: string | undefined } | undefined;
}

export interface CommandRow {
  id: string;
  host: string;
  command: string;
  purpose?: string | undefined;
  intent?: CommandIntent | undefined;
  stepId?: string | undefined;
  targetId?: string | undefined;
  startedAt: number;
  exitCode?: number | null | undefined;
  signal?: string | null | undefined;
  durationMs?: number | undefined;
  error?: string | undefined;
  stdoutTail?: string | undefined;
  stderrTail?: string | undefined;
  finished: boolean;
}

export interface AnswerRow {
  promptId: string;
  kind: PromptRequestedEvent['kind'];
  title: string;
  answer: string;
  by: string;
  via: 'tty' | 'flag' | 'default' | 'test';
  flag?: string | undefined;
  requestedAt?: number | undefined;
  at: number;
}

export interface NoteRow {
  at: number;
  level: 'info' | 'warn' | 'error';
  text: string;
  stepId?: string | undefined;
  targetId?: string | undefined;
}

export interface ViewModel {
  header: Header;
  /** The newest board (the `situation` event's data, opaque here). */
  situation: unknown;
  /** Every board of the run, oldest first (a few per run): a screen may keep more than the newest. */
  situations: readonly unknown[];
  steps: readonly StepRow[];
  targets: Rows<TargetRow>;
  /** `targetKey(stepId, targetId)` → index in `targets`. */
  targetIndex: ReadonlyMap<string, number>;
  /** The last `limits.commands` commands (the live log). */
  commands: readonly CommandRow[];
  /** Every command of the run, oldest first: a step's or a VM's evidence after it scrolled out of the log. */
  history: Rows<CommandRow>;
  commandCount: number;
  prompt?: Omit<PromptRequestedEvent, 'type'> | undefined;
  answers: readonly AnswerRow[];
  /** The last `limits.notes` notes. */
  notes: readonly NoteRow[];
  outcome?: { outcome: Outcome; error?: string | undefined; at: number } | undefined;
  limits: { commands: number; notes: number };
}

export function initialViewModel(limits: Partial<ViewModel['limits']> = {}): ViewModel {
  return {
    header: { phase: 'idle', resumed: false },
    situation: undefined,
    situations: [],
    steps: [],
    targets: Rows.empty(),
    targetIndex: new Map(),
    commands: [],
    history: Rows.empty(),
    commandCount: 0,
    prompt: undefined,
    answers: [],
    notes: [],
    outcome: undefined,
    limits: { commands: limits.commands ?? 50, notes: limits.notes ?? 200 },
  };
}

/** A changed copy built field by field in one fixed order: one object shape for every model keeps
 *  the per-event cost flat (a spread with overrides measured several times slower). */
function next(vm: ViewModel, p: Partial<ViewModel>): ViewModel {
  return {
    header: p.header ?? vm.header,
    situation: 'situation' in p ? p.situation : vm.situation,
    situations: p.situations ?? vm.situations,
    steps: p.steps ?? vm.steps,
    targets: p.targets ?? vm.targets,
    targetIndex: p.targetIndex ?? vm.targetIndex,
    commands: p.commands ?? vm.commands,
    history: p.history ?? vm.history,
    commandCount: p.commandCount ?? vm.commandCount,
    prompt: 'prompt' in p ? p.prompt : vm.prompt,
    answers: p.answers ?? vm.answers,
    notes: p.notes ?? vm.notes,
    outcome: 'outcome' in p ? p.outcome : vm.outcome,
    limits: vm.limits,
  };
}

export function targetKey(stepId: string, targetId: string): string {
  return `${stepId}\u0000${targetId}`;
}

export function targetRow(vm: ViewModel, stepId: string, targetId: string): TargetRow | undefined {
  const i = vm.targetIndex.get(targetKey(stepId, targetId));
  return i === undefined ? undefined : vm.targets.get(i);
}

export function stepRow(vm: ViewModel, stepId: string): StepRow | undefined {
  return vm.steps.find((s) => s.id === stepId);
}

/** Fold a whole event list (resume, report). */
export function foldEvents(events: Iterable<EngineEvent>, vm: ViewModel = initialViewModel()): ViewModel {
  let acc = vm;
  for (const e of events) acc = reduce(acc, e);
  return acc;
}

const FINAL: ReadonlySet<RunState> = new Set(['done', 'failed', 'skipped']);

export function reduce(vm: ViewModel, e: EngineEvent): ViewModel {
  const header = { ...vm.header, lastAt: e.at };
  switch (e.type) {
    case 'run.started':
      return next(vm, {
        header: {
          ...header,
          runId: e.runId,
          site: e.site,
          runbook: e.runbook,
          runbookKind: e.runbookKind ?? 'failover',
          phase: 'running',
          resumed: e.resumed,
          startedAt: vm.header.startedAt ?? e.at,
          finishedAt: undefined,
        },
        outcome: undefined,
        prompt: undefined,
      });
    case 'situation':
      return next(vm, { header, situation: e.data, situations: [...vm.situations, e.data] });
    case 'step.state': {
      const steps = upsertStep(vm.steps, e.stepId, (s) => ({
        ...s,
        title: e.title ?? s.title,
        state: e.state,
        note: e.note,
        startedAt: s.startedAt ?? (e.state === 'running' ? e.at : undefined),
        finishedAt: FINAL.has(e.state) ? e.at : undefined,
        etaMs: FINAL.has(e.state) ? undefined : s.etaMs,
      }));
      return next(vm, { header: { ...header, currentStepId: e.state === 'running' ? e.stepId : header.currentStepId }, steps });
    }
    case 'step.targets': {
      const fresh: TargetRow[] = [];
      const index = new Map(vm.targetIndex);
      for (const t of e.targets) {
        const key = targetKey(e.stepId, t.id);
        if (index.has(key)) continue;
        index.set(key, vm.targets.size + fresh.length);
        fresh.push(newTarget(e.stepId, t));
      }
      const steps = upsertStep(vm.steps, e.stepId, (s) => ({ ...s, stages: e.stages, per: e.per ?? s.per, total: s.total + fresh.length }));
      return next(vm, { header, steps, targets: vm.targets.append(fresh), targetIndex: index });
    }
    case 'target.state': {
      const found = locate(vm, e.stepId, e.targetId);
      const old = found.row;
      // A stage done or skipped means "moving on": only a stage-less done/skipped, or any
      // failed, is final for the target.
      const movingOn = e.stage !== undefined && (e.state === 'done' || e.state === 'skipped');
      const state: RunState = movingOn ? 'running' : e.state;
      const started = old.startedAt ?? (e.state === 'running' ? e.at : undefined);
      const finished = !movingOn && FINAL.has(e.state);
      const row: TargetRow = {
        stepId: old.stepId,
        targetId: old.targetId,
        label: old.label,
        host: old.host,
        group: old.group,
        state,
        stage: e.stage ?? old.stage,
        stagesDone: movingOn && e.state === 'done' && !old.stagesDone.includes(e.stage!) ? [...old.stagesDone, e.stage!] : old.stagesDone,
        startedAt: started,
        finishedAt: finished ? e.at : undefined,
        durationMs: finished && started !== undefined ? e.at - started : old.durationMs,
        note: e.note ?? (finished || e.state === 'running' ? undefined : old.note),
        error: e.error ?? (e.state === 'failed' ? old.error : undefined),
        progress: e.state === 'running' && !movingOn ? old.progress : undefined,
      };
      const targets = found.targets.with(found.index, row);
      const steps = upsertStep(found.steps, e.stepId, (s) => recount(s, old.state, row.state, e.at));
      return next(vm, { header, steps, targets, targetIndex: found.targetIndex });
    }
    case 'target.progress': {
      const found = locate(vm, e.stepId, e.targetId);
      const row: TargetRow = { ...found.row, progress: { done: e.done, total: e.total, label: e.label } };
      return next(vm, { header, steps: found.steps, targets: found.targets.with(found.index, row), targetIndex: found.targetIndex });
    }
    case 'command.started': {
      const row: CommandRow = {
        id: e.id,
        host: e.host,
        command: e.command,
        purpose: e.purpose,
        intent: e.intent,
        stepId: e.stepId,
        targetId: e.targetId,
        startedAt: e.at,
        finished: false,
      };
      return next(vm, {
        header,
        commands: keepLast([...vm.commands, row], vm.limits.commands),
        history: vm.history.append([row]),
        commandCount: vm.commandCount + 1,
      });
    }
    case 'command.finished': {
      // Commands finish soon after they start: look from the newest back.
      let h = vm.history.size - 1;
      while (h >= 0 && vm.history.get(h)!.id !== e.id) h--;
      if (h < 0) return next(vm, { header });
      const row: CommandRow = {
        ...vm.history.get(h)!,
        exitCode: e.exitCode,
        signal: e.signal,
        durationMs: e.durationMs,
        error: e.error,
        stdoutTail: e.stdoutTail,
        stderrTail: e.stderrTail,
        finished: true,
      };
      const i = vm.commands.findIndex((c) => c.id === e.id);
      const commands = i < 0 ? vm.commands : vm.commands.slice();
      if (i >= 0) (commands as CommandRow[])[i] = row;
      return next(vm, { header, commands, history: vm.history.with(h, row) });
    }
    case 'prompt.requested': {
      const { type: _t, ...prompt } = e;
      return next(vm, { header: { ...header, phase: 'needs-you' }, prompt });
    }
    case 'prompt.answered': {
      const asked = vm.prompt?.promptId === e.promptId ? vm.prompt : undefined;
      const answer: AnswerRow = {
        promptId: e.promptId,
        kind: asked?.kind ?? 'choose',
        title: asked?.title ?? e.promptId,
        answer: e.answer,
        by: e.by,
        via: e.via,
        ...(e.flag ? { flag: e.flag } : {}),
        requestedAt: asked?.at,
        at: e.at,
      };
      return next(vm, {
        header: { ...header, phase: header.phase === 'needs-you' ? 'running' : header.phase },
        prompt: asked ? undefined : vm.prompt,
        answers: [...vm.answers, answer],
      });
    }
    case 'note': {
      const { type: _t, ...note } = e;
      return next(vm, { header, notes: keepLast([...vm.notes, note], vm.limits.notes) });
    }
    case 'run.finished':
      return next(vm, {
        header: { ...header, phase: e.outcome, finishedAt: e.at, currentStepId: undefined },
        prompt: undefined,
        outcome: { outcome: e.outcome, error: e.error, at: e.at },
      });
  }
}

function newTarget(stepId: string, t: TargetInfo): TargetRow {
  // Every key present, in the order reduce() writes them: one object shape for all rows.
  return {
    stepId,
    targetId: t.id,
    label: t.label,
    host: t.host,
    group: t.group,
    state: 'waiting',
    stage: undefined,
    stagesDone: [],
    startedAt: undefined,
    finishedAt: undefined,
    durationMs: undefined,
    note: undefined,
    error: undefined,
    progress: undefined,
  };
}

/** The row of a target; a target never announced (an old journal) gets a row on the fly. */
function locate(vm: ViewModel, stepId: string, targetId: string) {
  const key = targetKey(stepId, targetId);
  const i = vm.targetIndex.get(key);
  if (i !== undefined) return { row: vm.targets.get(i)!, index: i, targets: vm.targets, targetIndex: vm.targetIndex, steps: vm.steps };
  const row = newTarget(stepId, { id: targetId, label: targetId });
  const index = new Map(vm.targetIndex).set(key, vm.targets.size);
  const steps = upsertStep(vm.steps, stepId, (s) => ({ ...s, total: s.total + 1 }));
  return { row, index: vm.targets.size, targets: vm.targets.append([row]), targetIndex: index as ReadonlyMap<string, number>, steps };
}

function upsertStep(steps: readonly StepRow[], id: string, change: (s: StepRow) => StepRow): readonly StepRow[] {
  const i = steps.findIndex((s) => s.id === id);
  if (i < 0) return [...steps, change({ id, title: id, state: 'waiting', stages: [], total: 0, done: 0, failed: 0, skipped: 0 })];
  const out = steps.slice();
  out[i] = change(steps[i]!);
  return out;
}

function recount(s: StepRow, from: RunState, to: RunState, at: number): StepRow {
  if (from === to) return s;
  const delta = (state: RunState, d: number) => ({
    done: state === 'done' ? d : 0,
    failed: state === 'failed' ? d : 0,
    skipped: state === 'skipped' ? d : 0,
  });
  const a = delta(from, -1);
  const b = delta(to, 1);
  const next = { ...s, done: s.done + a.done + b.done, failed: s.failed + a.failed + b.failed, skipped: s.skipped + a.skipped + b.skipped };
  const finished = next.done + next.failed + next.skipped;
  const left = next.total - finished;
  next.etaMs = finished > 0 && left > 0 && next.startedAt !== undefined ? Math.round(((at - next.startedAt) / finished) * left) : undefined;
  return next;
}

function keepLast<T>(items: T[], n: number): T[] {
  return items.length > n ? items.slice(items.length - n) : items;
}
