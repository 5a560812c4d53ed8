/**
 * The props of the Ink screens, as plain data. Components render these and nothing else;
 * from-view-model.ts is the one place that maps the engine's view model onto them.
 */

import type { HvBoard } from '../hyperv/board.js';
import type { RunbookKind } from '../runbook/runbook.js';

/** Same words as the engine's RunState (src/engine/events.ts). */
export type StepState = 'waiting' | 'running' | 'done' | 'failed' | 'skipped' | 'needs-you';

/**
 * The preflight board. The engine emits it opaquely (`situation` event, `data: unknown`);
 * this is the shape the UI reads, checked by `toSituation()` in from-view-model.ts.
 */
export interface SituationData {
  relationship?:
    | {
        source: string;
        destination: string;
        /** ONTAP's word: snapmirrored, broken-off, quiesced, uninitialized… */
        state: string;
        healthy: boolean;
        lagSeconds?: number | undefined;
        /** ONTAP's own lag text, shown as is when lagSeconds is unknown. */
        lag?: string | undefined;
      }
    | undefined;
  /** Candidate smvi__ snapshots on the mirror, newest first. */
  snapshots: {
    name: string;
    /** Snapshot time, ms since the epoch; undefined when the cluster did not say. */
    createdAt?: number | undefined;
    /** VMs with a quiesce point in this snapshot / VMs in the capture. */
    quiesced: number;
    total: number;
    chosen?: boolean | undefined;
  }[];
  hosts: {
    name: string;
    reachable: boolean;
    /** 'exited' = drbook exited lockdown and has not re-entered it yet. */
    lockdown: 'on' | 'off' | 'exited' | 'unknown';
  }[];
  /** VMs of the primary datastore still registered or running. */
  staleVms: number;
  /** VMs of the capture missing from the mirror. */
  missingVms?: number | undefined;
}

/** The Hyper-V recovery's board (src/hyperv/board.ts): nodes, CSVs, the capture's VMs against the cluster. */
export type HypervBoardData = HvBoard;

export interface CommandView {
  id: string;
  host: string;
  command: string;
  startedAt: number;
  durationMs?: number | undefined;
  /** undefined while running. */
  exitCode?: number | null | undefined;
  /** Already trimmed to the last lines by the reducer. */
  output?: string | undefined;
  error?: string | undefined;
  purpose?: string | undefined;
}

export interface StepView {
  id: string;
  title: string;
  /** What the step's targets are (hosts or VMs), once announced. */
  per?: 'site' | 'host' | 'vm' | undefined;
  state: StepState;
  done: number;
  total: number;
  /** Seconds left, estimated by the reducer; undefined when unknown. */
  etaSeconds?: number | undefined;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  note?: string | undefined;
}

export interface VmView {
  id: string;
  stepId: string;
  targetId: string;
  name: string;
  host: string;
  /** The engine's stage id (kill, unregister, register, revert, power-on…). */
  stage: string;
  state: StepState;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  note?: string | undefined;
  error?: string | undefined;
}

/**
 * Random access to many rows without copying them: the engine's Rows<T> fits, and so does an
 * array wrapped by `rowsOf()`. The VM table reads only the visible slice.
 */
export interface RowSource<T> {
  readonly size: number;
  get(i: number): T | undefined;
}

export type Phase = 'preflight' | 'running' | 'paused' | 'done' | 'failed' | 'stopped';

/** The one-line outcome of a finished run, counted over its main recovery step. */
export interface RunResultView {
  stepId: string;
  /** The step's runbook title (the screen may show its translation). */
  title: string;
  /** 0 when the run ended before the step started. */
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** Never reached (the run stopped before them). */
  notReached: number;
  /** Powered on without a quiesce point (the operator chose crash-consistent). */
  crashConsistent: number;
  /** What is counted: the VMs of the main step, or the run's steps when every target is the site. */
  unit: 'vm' | 'step';
}

export interface NoteView {
  level: 'info' | 'warn' | 'error';
  text: string;
}

/** Everything the failover screen shows, except the pending dialog (that comes from the prompter). */
export interface FailoverScreenData {
  site: string;
  runId: string;
  /** The runbook's name (vsc-snapmirror-failover, drill…): picks the title and step names. */
  runbook?: string | undefined;
  /** What the runbook does (from the runbook's own `kind`): the title, the finished line, step names. */
  runbookKind?: RunbookKind | undefined;
  phase: Phase;
  /** Absent until the run started (its first event): the header shows no clock then. */
  startedAt?: number | undefined;
  /** Set when the run finished: elapsed time stops there. */
  finishedAt?: number | undefined;
  situation?: SituationData | undefined;
  /** A Hyper-V recovery's board, in place of the situation. */
  hypervBoard?: HypervBoardData | undefined;
  /** Any other board (reprotect's plan, failback's placement), as the plain output words it. */
  boardLines?: readonly string[] | undefined;
  steps: readonly StepView[];
  /** The VMs (targets) of the step the table follows (the running one). */
  vms: RowSource<VmView>;
  /** Targets of any step: the table shows the selected step's when the step list has the focus. */
  vmsOf?: ((stepId: string) => RowSource<VmView>) | undefined;
  tableStepId?: string | undefined;
  /** The tail of the command log, oldest first. */
  log: readonly CommandView[];
  /** Every command of a step (or of one of its targets), oldest first: the detail panel's evidence. */
  commandsOf?: ((stepId: string, targetId?: string) => readonly CommandView[]) | undefined;
  notes: readonly NoteView[];
  /** Where the report was written, once it is. */
  reportPath?: string | undefined;
  /** The command that resumes this run from any folder (the session knows the site file and database). */
  resumeCommand?: string | undefined;
  /** Once the run is over: how the VMs of the main recovery step ended (the table shows that step). */
  result?: RunResultView | undefined;
  error?: string | undefined;
}

// ---- dialogs -------------------------------------------------------------------------------

export interface TypedConfirmDialog {
  kind: 'typed';
  promptId: string;
  title: string;
  lines: readonly string[];
  expect: string;
}

export interface ChoiceDialog {
  kind: 'choose';
  promptId: string;
  title: string;
  lines: readonly string[];
  options: readonly { key: string; label: string }[];
  default?: string | undefined;
  /** Shown by the error panel when the engine says what failed. */
  failure?: { vm?: string | undefined; host?: string | undefined; command?: string | undefined; message?: string | undefined } | undefined;
}

export interface ChecklistDialog {
  kind: 'checklist';
  promptId: string;
  title: string;
  items: readonly string[];
}

export type Dialog = TypedConfirmDialog | ChoiceDialog | ChecklistDialog;

/** What the operator answered: typed/checklist → boolean, choose → key. */
export type DialogAnswer = boolean | string;

// ---- progress screen (capture, drill) -------------------------------------------------------

export interface ProgressRow {
  id: string;
  /** Usually a host name. */
  label: string;
  state: StepState;
  done: number;
  total: number;
  /** What it is doing now, one short line. */
  activity?: string | undefined;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
}

export interface Finding {
  severity: 'info' | 'warn' | 'error';
  /** Whose finding: a VM, a host, the site. */
  subject: string;
  text: string;
}

export interface ProgressScreenData {
  kind: 'capture' | 'drill';
  site: string;
  runId?: string | undefined;
  startedAt: number;
  finishedAt?: number | undefined;
  rows: readonly ProgressRow[];
  log: readonly CommandView[];
  /** Shown at the end (when finishedAt is set). */
  findings: readonly Finding[];
  outcome?: 'done' | 'failed' | 'findings' | undefined;
  reportPath?: string | undefined;
}

/** A value that changes over time: what useSyncExternalStore reads (it calls both unbound). */
export interface ReadableStore<T> {
  getSnapshot: () => T;
  subscribe: (listener: () => void) => () => void;
}

export function rowsOf<T>(items: readonly T[]): RowSource<T> {
  return { size: items.length, get: (i) => items[i] };
}
