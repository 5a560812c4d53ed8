/**
 * The engine's typed events (design §4). Everything the UI, the reporters, the journal and the
 * report know about a run comes from these; `reduce()` in view-model.ts folds them.
 * Events are plain JSON (no Error objects, no Maps) so they can be journaled and replayed.
 */

import type { RunbookKind } from '../runbook/runbook.js';
import type { CommandIntent } from '../transport/intent.js';
import type { Note } from './notes.js';

/** 2: mutating commands carry an intent, the engine's notes are keys (1: neither, never written). */
export const EVENTS_VERSION = 2;

/** The state of a step or of one target in a step (listr-style explicit enum). */
export type RunState = 'waiting' | 'running' | 'done' | 'failed' | 'skipped' | 'needs-you';

export const RUN_STATES: readonly RunState[] = ['waiting', 'running', 'done', 'failed', 'skipped', 'needs-you'];

export type Outcome = 'done' | 'failed' | 'stopped';

/** What a step works on, as announced to the UI (a VM, a host, or the site). */
export interface TargetInfo {
  id: string;
  label: string;
  host?: string | undefined;
  /** Priority group (lower starts first); absent = after every numbered group. */
  group?: number | undefined;
}

interface Base {
  /** Milliseconds since the epoch. */
  at: number;
}

export interface RunStartedEvent extends Base {
  type: 'run.started';
  runId: string;
  site: string;
  runbook: string;
  /** Absent in journals written before runbooks had a kind. */
  runbookKind?: RunbookKind | undefined;
  resumed: boolean;
  /**
   * The shape of the events that follow (EVENTS_VERSION): absent in journals written before
   * commands carried intents and notes were keys; src/journal/upgrade.ts reads those.
   */
  eventsVersion?: number | undefined;
}

/** The preflight board. Opaque to the engine; the UI knows its shape. */
export interface SituationEvent extends Base {
  type: 'situation';
  data: unknown;
}

export interface StepStateEvent extends Base {
  type: 'step.state';
  stepId: string;
  state: RunState;
  /** Set on the first event of a step so that a fold knows the title without the runbook. */
  title?: string | undefined;
  note?: Note | undefined;
}

/** Emitted when a step starts: the targets it will work on and its stages (per:'vm' pipelines). */
export interface StepTargetsEvent extends Base {
  type: 'step.targets';
  stepId: string;
  /** What the targets are (the runbook step's `per`); absent in older journals. */
  per?: 'site' | 'host' | 'vm' | undefined;
  stages: string[];
  targets: TargetInfo[];
}

/**
 * A target's state in a step. 'done'/'skipped' WITH `stage` are that stage's outcome (the target
 * moves on to its next stage); 'done'/'skipped' WITHOUT `stage` are the target's final state for
 * the step; 'failed' is always final (`stage` says where). running/waiting/needs-you carry the
 * stage they are at.
 */
export interface TargetStateEvent extends Base {
  type: 'target.state';
  stepId: string;
  targetId: string;
  state: RunState;
  stage?: string | undefined;
  note?: Note | undefined;
  error?: string | undefined;
}

/** Optional fine-grained progress inside one apply (e.g. kill escalation 2 of 3). */
export interface TargetProgressEvent extends Base {
  type: 'target.progress';
  stepId: string;
  targetId: string;
  done: number;
  total: number;
  label?: string | undefined;
}

export interface CommandStartedEvent extends Base {
  type: 'command.started';
  id: string;
  host: string;
  command: string;
  purpose?: string | undefined;
  /** What a mutating command does, as data; resume and the screens read this, never `command`. */
  intent?: CommandIntent | undefined;
  stepId?: string | undefined;
  targetId?: string | undefined;
  /** Sent in one script with other commands (src/transport/batch.ts): the same id for each of them. */
  script?: string | undefined;
}

export interface CommandFinishedEvent extends Base {
  type: 'command.finished';
  id: string;
  host: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
  error?: string | undefined;
  stepId?: string | undefined;
  targetId?: string | undefined;
}

export type PromptKind = 'typed' | 'choose' | 'checklist';

export interface PromptRequestedEvent extends Base {
  type: 'prompt.requested';
  promptId: string;
  kind: PromptKind;
  title: string;
  lines: string[];
  /** typed: what the operator must type. */
  expect?: string | undefined;
  /** choose: the keys offered. */
  options?: { key: string; label: string }[] | undefined;
  /** checklist: the items to tick. */
  items?: string[] | undefined;
  stepId?: string | undefined;
  targetId?: string | undefined;
}

export interface PromptAnsweredEvent extends Base {
  type: 'prompt.answered';
  promptId: string;
  /** typed/checklist: 'yes' | 'no'; choose: the key. */
  answer: string;
  /** The OS user who answered (the one who gave the flag); `drbook` for a default. */
  by: string;
  via: 'tty' | 'flag' | 'default' | 'test';
  /** The flag that answered it, as given: `--crash-consistent power-on`. */
  flag?: string | undefined;
}

export interface NoteEvent extends Base {
  type: 'note';
  level: 'info' | 'warn' | 'error';
  text: string;
  stepId?: string | undefined;
  targetId?: string | undefined;
}

export interface RunFinishedEvent extends Base {
  type: 'run.finished';
  outcome: Outcome;
  error?: string | undefined;
}

export type EngineEvent =
  | RunStartedEvent
  | SituationEvent
  | StepStateEvent
  | StepTargetsEvent
  | TargetStateEvent
  | TargetProgressEvent
  | CommandStartedEvent
  | CommandFinishedEvent
  | PromptRequestedEvent
  | PromptAnsweredEvent
  | NoteEvent
  | RunFinishedEvent;

export type EngineEventType = EngineEvent['type'];

/** Distributes `Omit` over the union so callers can build an event without `at`. */
export type EventInput = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'at'> : never) : never;
