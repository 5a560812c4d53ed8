/**
 * The one mapping from the engine's view model (src/engine/view-model.ts) to the screen's props.
 * Keeps the table cheap with 2,000 VMs: rows are mapped lazily, only when the table reads them,
 * and the same engine row always maps to the same object so memoised rows skip re-rendering.
 */
import type { CommandRow, StepRow, TargetRow, ViewModel } from '../engine/view-model.js';
import type {
  CommandView,
  FailoverScreenData,
  HypervBoardData,
  Phase,
  RowSource,
  RunResultView,
  SituationData,
  StepView,
  VmView,
} from './types.js';
import type { Lang } from '../i18n/lang.js';
import { localizeNote } from '../i18n/engine.js';
import { hostsOutOfLockdown } from '../site/lockdown.js';
import { latestOfEachKind, type SituationBoard as SituationBoardData } from '../runbook/board.js';

function commandView(c: CommandRow): CommandView {
  const output = [c.stdoutTail ?? '', c.stderrTail ?? ''].filter((s) => s.trim() !== '').join('\n');
  return {
    id: c.id,
    host: c.host,
    command: c.command,
    startedAt: c.startedAt,
    durationMs: c.durationMs,
    exitCode: c.finished ? (c.exitCode ?? null) : undefined,
    output: output || undefined,
    error: c.error,
    purpose: c.purpose,
  };
}

function phaseOf(vm: ViewModel): Phase {
  switch (vm.header.phase) {
    case 'idle':
      return 'preflight';
    case 'running':
    case 'needs-you':
      return 'running';
    default:
      return vm.header.phase;
  }
}

/** The preflight's Situation (src/failover/situation.ts), as far as the board reads it. */
interface FailoverSituation {
  relationship: { destination: string; state: string | null; healthy: boolean | null; lagTime: string | null } | null;
  snapshots: { name: string; createTime: string | null; quiesced: number; total: number; chosen: boolean }[];
  hosts: { name: string; reachable: boolean; lockdown: boolean | null; staleRegistered: number | null }[];
  missingFromMirror: string[] | null;
}

/** The Hyper-V recovery's board: emitted in the board's own shape (src/hyperv/board.ts). */
export function toHypervBoard(data: unknown): HypervBoardData | undefined {
  const hv = data as Partial<HypervBoardData> | null | undefined;
  if (typeof hv !== 'object' || hv === null || hv.platform !== 'hyperv') return undefined;
  return Array.isArray(hv.nodes) && Array.isArray(hv.csvs) && typeof hv.vms === 'object' ? (hv as HypervBoardData) : undefined;
}

/**
 * The situation is opaque to the engine: accept the board's own shape, or map the failover
 * preflight's. `exited`: hosts where drbook exited lockdown and has not re-entered it.
 */
export function toSituation(data: unknown, exited: ReadonlySet<string> = new Set()): SituationData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Partial<SituationData> & Partial<FailoverSituation>;
  if (!Array.isArray(d.snapshots) || !Array.isArray(d.hosts)) return undefined;
  if (typeof d.staleVms === 'number') {
    const own = d as SituationData;
    return exited.size === 0 ? own : { ...own, hosts: own.hosts.map((h) => (exited.has(h.name) ? { ...h, lockdown: 'exited' } : h)) };
  }
  const f = d as FailoverSituation;
  const rel = f.relationship;
  return {
    relationship: rel
      ? { source: '', destination: rel.destination, state: rel.state ?? '?', healthy: rel.healthy ?? false, lag: rel.lagTime ?? undefined }
      : undefined,
    snapshots: f.snapshots.map((x) => {
      const t = x.createTime ? Date.parse(x.createTime) : Number.NaN;
      return { name: x.name, createdAt: Number.isNaN(t) ? undefined : t, quiesced: x.quiesced, total: x.total, chosen: x.chosen };
    }),
    hosts: f.hosts.map((h) => ({
      name: h.name,
      reachable: h.reachable,
      lockdown: exited.has(h.name) ? 'exited' : h.lockdown === null ? 'unknown' : h.lockdown ? 'on' : 'off',
    })),
    staleVms: f.hosts.reduce((n, h) => n + (h.staleRegistered ?? 0), 0),
    missingVms: f.missingFromMirror?.length,
  };
}

/**
 * Without a `recover` step (another runbook): of the VM steps, else of all, the last with the most
 * targets (a failback's register step, not its shutdown step nor a lockdown step of more hosts).
 */
function mainStep(steps: readonly StepRow[]): StepRow | undefined {
  const vmSteps = steps.filter((s) => s.per === 'vm');
  let best: StepRow | undefined;
  for (const s of vmSteps.length > 0 ? vmSteps : steps) if (s.total > 0 && (!best || s.total >= best.total)) best = s;
  return best;
}

/** A run whose every target is the site (a reprotect): its result is counted in steps. */
function siteOnly(steps: readonly StepRow[]): boolean {
  const announced = steps.filter((s) => s.per !== undefined);
  return announced.length > 0 && announced.every((s) => s.per === 'site');
}

function stepsResultOf(steps: readonly StepRow[], last: StepRow): RunResultView {
  const count = (state: StepRow['state']) => steps.filter((s) => s.state === state).length;
  const done = count('done');
  const failed = count('failed');
  const skipped = count('skipped');
  return {
    stepId: last.id,
    title: last.title,
    total: steps.length,
    done,
    failed,
    skipped,
    notReached: Math.max(0, steps.length - done - failed - skipped),
    crashConsistent: 0,
    unit: 'step',
  };
}

function resultOf(vm: ViewModel, step: StepRow): RunResultView {
  // total 0: the run ended before the step started (the screen says no VM was recovered).
  // A VM without a quiesce point is asked about (`crash.` prompt, answered power-on or skip).
  const crash = vm.answers.filter((a) => a.promptId.startsWith(`${step.id}.`) && a.promptId.includes('.crash.') && a.answer === 'power-on');
  return {
    stepId: step.id,
    title: step.title,
    total: step.total,
    done: step.done,
    failed: step.failed,
    skipped: step.skipped,
    notReached: Math.max(0, step.total - step.done - step.failed - step.skipped),
    crashConsistent: new Set(crash.map((a) => a.promptId)).size,
    unit: 'vm',
  };
}

/** The targets of each step sit in contiguous runs of the Rows (appended per step.targets event). */
interface Segments {
  size: number;
  byStep: Map<string, [number, number][]>;
}

function segmentsOf(targets: ViewModel['targets']): Segments {
  const byStep = new Map<string, [number, number][]>();
  let i = 0;
  for (const t of targets) {
    const list = byStep.get(t.stepId) ?? [];
    const last = list[list.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else list.push([i, i + 1]);
    byStep.set(t.stepId, list);
    i++;
  }
  return { size: targets.size, byStep };
}

/**
 * Returns a mapper with its own caches (one per mounted screen): call it with each new view model.
 * `formatBoard`: the run's own words for a board the screen has no drawing of (the plain output's).
 */
export function createScreenMapper(
  lang: Lang = 'en',
  formatBoard?: (board: SituationBoardData) => string[],
): (vm: ViewModel) => FailoverScreenData {
  const vmViews = new WeakMap<TargetRow, VmView>();
  let segments: Segments | undefined;
  let sourcesFor: ViewModel['targets'] | undefined;
  let sources = new Map<string, RowSource<VmView>>();
  let commandsFor: readonly CommandRow[] | undefined;
  let commandViews: CommandView[] = [];
  const viewOfCommand = new WeakMap<CommandRow, CommandView>();
  const toCommand = (c: CommandRow): CommandView => {
    let v = viewOfCommand.get(c);
    if (!v) viewOfCommand.set(c, (v = commandView(c)));
    return v;
  };
  let historyFor: ViewModel['history'] | undefined;
  let commandsOf: (stepId: string, targetId?: string) => readonly CommandView[] = () => [];
  // Recomputed only when the commands or the targets changed (most frames change neither).
  let lockdownFor: [ViewModel['history'], ViewModel['targets']] | undefined;
  let exited: ReadonlySet<string> = new Set();
  let linesFor: unknown;
  let boardLines: readonly string[] | undefined;

  const toVm = (t: TargetRow): VmView => {
    const hit = vmViews.get(t);
    if (hit) return hit;
    const v: VmView = {
      id: `${t.stepId}/${t.targetId}`,
      stepId: t.stepId,
      targetId: t.targetId,
      name: t.label,
      host: t.host ?? '',
      stage: t.progress?.label ?? t.stage ?? '',
      state: t.state,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      note: localizeNote(t.note, lang),
      error: t.error,
    };
    vmViews.set(t, v);
    return v;
  };

  const exitedHosts = (vm: ViewModel): ReadonlySet<string> => {
    if (!lockdownFor || lockdownFor[0] !== vm.history || lockdownFor[1] !== vm.targets) {
      lockdownFor = [vm.history, vm.targets];
      exited = new Set(hostsOutOfLockdown(vm));
    }
    return exited;
  };

  return (vm) => {
    if (vm.commands !== commandsFor) {
      commandsFor = vm.commands;
      commandViews = vm.commands.map(toCommand);
    }
    if (vm.history !== historyFor) {
      const history = (historyFor = vm.history);
      // A new function per history: the detail panel re-reads a step's commands when they change.
      commandsOf = (stepId, targetId) => {
        const out: CommandView[] = [];
        for (const c of history) if (c.stepId === stepId && (targetId === undefined || c.targetId === targetId)) out.push(toCommand(c));
        return out;
      };
    }
    const cmds = commandViews;
    if (!segments || segments.size !== vm.targets.size) segments = segmentsOf(vm.targets);
    if (vm.targets !== sourcesFor) {
      sourcesFor = vm.targets;
      sources = new Map();
    }
    const segs = segments;
    const targets = vm.targets;
    const vmsOf = (stepId: string): RowSource<VmView> => {
      const cached = sources.get(stepId);
      if (cached) return cached;
      const runs = segs.byStep.get(stepId) ?? [];
      const size = runs.reduce((n, [a, b]) => n + b - a, 0);
      const source: RowSource<VmView> = {
        size,
        get(i) {
          let k = i;
          for (const [a, b] of runs) {
            if (k < b - a) {
              const t = targets.get(a + k);
              return t ? toVm(t) : undefined;
            }
            k -= b - a;
          }
          return undefined;
        },
      };
      sources.set(stepId, source);
      return source;
    };
    // The table follows the running step, else the last step that had targets; once the run is
    // over, the main recovery step (the VMs the operator came for, not the lockdown hosts).
    const withTargets = vm.steps.filter((s) => segs.byStep.has(s.id));
    const over = vm.header.phase === 'done' || vm.header.phase === 'failed' || vm.header.phase === 'stopped';
    // The recovery step of a failover (announced with the plan even before it starts).
    const recover = vm.steps.find((s) => s.id === 'recover');
    const main = recover ?? (vm.header.phase === 'done' ? mainStep(withTargets) : undefined);
    const following =
      (vm.header.currentStepId && segs.byStep.has(vm.header.currentStepId) ? vm.header.currentStepId : undefined) ??
      withTargets[withTargets.length - 1]?.id;
    // A run stopped before the recovery step keeps the step it stopped in on the table.
    const tableStep = over && main && main.total > 0 ? main.id : following;

    const situation = toSituation(vm.situation, exitedHosts(vm));
    const hypervBoard = toHypervBoard(vm.situation);
    if (vm.situations !== linesFor) {
      linesFor = vm.situations;
      // A run with several boards (the failback's preflight, then its placement) keeps them all, the newest of each kind.
      const boards = !situation && !hypervBoard && formatBoard ? latestOfEachKind(vm.situations) : [];
      boardLines = boards.length > 0 ? boards.flatMap((b) => formatBoard!(b)) : undefined;
    }
    let result: RunResultView | undefined;
    if (over && !recover && siteOnly(vm.steps)) {
      const reached = vm.steps.filter((s) => s.state !== 'waiting');
      const last = reached[reached.length - 1] ?? vm.steps[0];
      if (last) result = stepsResultOf(vm.steps, last);
    } else if (over && main) result = resultOf(vm, main);

    const steps: StepView[] = vm.steps.map((s) => ({
      id: s.id,
      title: s.title,
      per: s.per,
      state: s.state,
      done: s.done + s.failed + s.skipped,
      total: s.total,
      etaSeconds: s.etaMs !== undefined ? Math.round(s.etaMs / 1000) : undefined,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      note: localizeNote(s.note, lang),
    }));

    return {
      site: vm.header.site ?? '',
      runId: vm.header.runId ?? '',
      runbook: vm.header.runbook,
      runbookKind: vm.header.runbookKind,
      phase: phaseOf(vm),
      startedAt: vm.header.startedAt,
      finishedAt: vm.header.finishedAt,
      situation,
      hypervBoard,
      boardLines,
      steps,
      vms: tableStep ? vmsOf(tableStep) : { size: 0, get: () => undefined },
      vmsOf,
      tableStepId: tableStep,
      log: cmds,
      commandsOf,
      notes: vm.notes.map((n) => ({ level: n.level, text: n.text })),
      error: vm.outcome?.error,
      result,
    };
  };
}
