/**
 * The runbook engine: runs a Runbook's steps against an ActionRegistry, emitting events and
 * asking the operator through a Prompter. No UI, no SSH, no database: ports only (design §4).
 *
 * Steps run one after another. Inside a step every target flows through the step's stages on its
 * own (no barrier between stages across targets); each running stage holds a slot of its target's
 * host. Every stage is check → apply → verify, so a resumed run re-checks reality before acting.
 */
import { setMaxListeners } from 'node:events';
import { userInfo } from 'node:os';
import { CommandTimeoutError, describeError, DrbookError, RefusedError, RemoteCommandError, StoppedError } from '../errors.js';
import { stagesOf, type RetryPolicy, type Runbook, type RunbookStep } from '../runbook/runbook.js';
import { EVENTS_VERSION, type EngineEvent, type EventInput, type Outcome, type RunState, type TargetInfo } from './events.js';
import { answerVia, type AnswerFlag, type ChooseRequest, type EventSink, type Prompter } from './ports.js';
import { runInScope } from './scope.js';
import { engineNotes, type EngineNote } from './notes.js';
import { foldEvents, stepRow, targetRow, type TargetRow, type ViewModel } from './view-model.js';
import { sleep } from './sleep.js';

/** What an action works on: a VM, a host, or the site itself. */
export type Target = TargetInfo;

/** 'done': nothing to do (already so). 'todo': apply. skip: not applicable to this target (the
 *  target goes on with its next stage; `end: true` ends its pipeline for this step). */
export type CheckResult = 'done' | 'todo' | { skip: string; end?: boolean };

export interface StepInfo {
  id: string;
  title: string;
  per: RunbookStep['per'];
  /** The step's `args` from the runbook (callouts use them). */
  args: Record<string, unknown>;
}

export interface ActionIO {
  step: StepInfo;
  /** The stage id for per-target pipelines; undefined for a stage-less step. */
  stage: string | undefined;
  /** 1-based attempt number under the retry policy. */
  attempt: number;
  /** Aborted when the run is stopping. The engine lets an apply finish; use it only to cut waits short. */
  signal: AbortSignal;
  note(level: 'info' | 'warn' | 'error', text: string): void;
  progress(done: number, total: number, label?: string): void;
  /** Publish the preflight board (a `situation` event). */
  situation(data: unknown): void;
  /**
   * Ask the operator mid-action (kill escalation, a name already taken, an unreachable host):
   * queued behind any open dialog, recorded as prompt.requested/answered, the target shown as
   * needs-you meanwhile. `key` makes the prompt id stable (default: a counter).
   */
  choose(req: {
    key?: string;
    title: string;
    lines: string[];
    options: { key: string; label: string }[];
    default?: string;
    flag?: AnswerFlag | undefined;
  }): Promise<string>;
  /** A manual step to tick off. Resolves when ticked; throws StoppedError when declined (or no
   *  --ack-manual), which stops the run, resumable. */
  checklist(req: { key?: string; title: string; items: string[] }): Promise<void>;
  /**
   * The stage's last change has ended on the device; what is left of it only reads (the reads
   * taken after the change, the verify). Its host slot goes to the next waiter now: a slot bounds
   * the changes in flight on a host, not the reads. For a change's ExecOptions.onEnded; no effect
   * on a stage that holds no slot, or called twice. A retry takes a slot again.
   */
  changesEnded: () => void;
}

/** What a confirmation shows; merged over the runbook's `confirm` fields. */
export interface ConfirmContent {
  title?: string | undefined;
  lines?: string[] | undefined;
  expect?: string | undefined;
  items?: string[] | undefined;
}

/** What targets() may do besides observing: ask the operator (queued and journaled like any prompt). */
export interface TargetsIO {
  note(level: 'info' | 'warn' | 'error', text: string, targetId?: string): void;
  choose(req: {
    key: string;
    targetId?: string | undefined;
    title: string;
    lines: string[];
    options: { key: string; label: string }[];
    default?: string | undefined;
    /** The flag that answers it in a run that cannot ask (without it, such a run stops here). */
    flag?: AnswerFlag | undefined;
  }): Promise<string>;
}

/** Gives the targets of a step (the step's `action`). */
export interface TargetAction<C> {
  targets(ctx: C, step: StepInfo, io: TargetsIO): Target[] | Promise<Target[]>;
  /** What the step's confirmation shows (e.g. the destination path to type). */
  confirmation?(ctx: C, step: StepInfo, targets: Target[]): ConfirmContent | Promise<ConfirmContent>;
}

/** Does one stage for one target. Every method may throw; verify returns true or why not. */
export interface StageAction<C> {
  check(ctx: C, target: Target, io: ActionIO): CheckResult | Promise<CheckResult>;
  apply(ctx: C, target: Target, io: ActionIO): void | Promise<void>;
  verify(ctx: C, target: Target, io: ActionIO): true | string | Promise<true | string>;
}

export type Action<C> = TargetAction<C> | StageAction<C> | (TargetAction<C> & StageAction<C>);
export type ActionRegistry<C> = Readonly<Record<string, Action<C>>>;

export interface RunLimits {
  /** Running stages per host at once (a step's `concurrency.perHost` overrides it). */
  perHost: number;
  /** Hosts with work in flight at once. */
  hosts?: number | undefined;
  /** Running stages at once, all hosts together. */
  total?: number | undefined;
}

export interface RunOptions<C> {
  runbook: Runbook;
  actions: ActionRegistry<C>;
  context: C;
  sink: EventSink;
  prompter: Prompter;
  runId: string;
  site: string;
  limits: RunLimits;
  /** Aborting it stops the run at the next safe point (no new apply; `always` steps still run). */
  signal?: AbortSignal | undefined;
  /** The journal's events of this run so far: the run resumes from them. */
  priorEvents?: readonly EngineEvent[] | undefined;
  /**
   * Pause at the next safe point (the UI's `p`): awaited before each stage of each target starts;
   * in-flight work goes on. Resolve it to continue; abort `signal` (and resolve) to stop instead.
   */
  waitWhilePaused?: (() => Promise<void>) | undefined;
  /**
   * `--on-vm-failure`: the failure panel's answer after a target (a VM, a host) failed, for a run
   * that cannot ask; without it such a run stops at the panel (resumable) naming the flag.
   */
  onVmFailure?: 'skip' | 'abort' | undefined;
  /** Whether the failure panel takes --on-vm-failure (a failover); otherwise its documented default answers (a drill: skip). */
  vmFailureFlag?: boolean | undefined;
  /** Who answers prompts (default: the OS user). */
  operator?: string | undefined;
  now?: (() => number) | undefined;
}

export interface FailedTarget {
  stepId: string;
  targetId: string;
  label: string;
  stage?: string | undefined;
  error: string;
}

export interface RunResult {
  outcome: Outcome;
  failedTargets: FailedTarget[];
  /** Why the run stopped or failed, when one error says it (exit code: exitCodeOf(error)). */
  error?: unknown;
}

/** A verify() that returned a reason instead of true. */
export class VerifyError extends DrbookError {}

/** A refused or impossible confirmation: stops the run (resumable), never retried. */
class Refusal extends Error {
  constructor(readonly reason: unknown) {
    super(describeError(reason));
  }
}

type StopReason = 'signal' | 'abort' | 'refused' | 'failed';
type StageResult =
  { kind: 'done' } | { kind: 'skipped'; reason: string; end: boolean } | { kind: 'failed'; error: unknown } | { kind: 'stopped' };
type TargetOutcome = 'done' | 'skipped' | 'failed' | 'stopped' | 'blocked';

const NO_GROUP = Number.MAX_SAFE_INTEGER;

/** What answers a checklist in a run that cannot ask. */
const ACK_FLAG: AnswerFlag = { name: '--ack-manual', value: undefined, values: [] };

/** Check that every action the runbook names exists with the methods it needs. */
export function validateRegistry<C>(runbook: Runbook, actions: ActionRegistry<C>): void {
  const problems: string[] = [];
  for (const step of runbook.steps) {
    const a = actions[step.action];
    if (!a || !('targets' in a)) problems.push(`step ${step.id}: action ${step.action} has no targets()`);
    for (const st of stagesOf(step)) {
      const s = actions[st.action];
      if (!s || !('check' in s && 'apply' in s && 'verify' in s))
        problems.push(`step ${step.id}: action ${st.action} has no check/apply/verify`);
    }
  }
  if (problems.length) {
    throw new DrbookError(
      `runbook ${runbook.name} names actions this drbook does not have: ${problems.join('; ')}`,
      'use a runbook made for this version of drbook',
    );
  }
}

export async function runRunbook<C>(opts: RunOptions<C>): Promise<RunResult> {
  validateRegistry(opts.runbook, opts.actions);
  return new Run(opts).run();
}

class Run<C> {
  private readonly now: () => number;
  private readonly operator: string;
  private readonly prior: ViewModel | undefined;
  private readonly internal = new AbortController();
  private stop: { reason: StopReason; error?: unknown } | undefined;
  private readonly failed: FailedTarget[] = [];
  /** Target id → step it failed in: later steps skip it (except `always` steps). */
  private readonly failedIds = new Map<string, string>();
  private promptChain: Promise<unknown> = Promise.resolve();
  private promptSeq = 0;
  /** Prompt ids are unique over the whole journal of a run, resumes included. */
  private readonly promptIds = new Set<string>();

  constructor(private readonly o: RunOptions<C>) {
    this.now = o.now ?? Date.now;
    this.operator = o.operator ?? osUser();
    this.prior = o.priorEvents ? foldEvents(o.priorEvents) : undefined;
    for (const e of o.priorEvents ?? []) if (e.type === 'prompt.requested') this.promptIds.add(e.promptId);
  }

  private emit(e: EventInput): void {
    try {
      this.o.sink.emit({ ...e, at: this.now() });
    } catch (err) {
      // A sink that throws is a bug (the journal catches its own write errors): stop safely rather
      // than unwind one target's pipeline while the others run on.
      this.requestStop('failed', err);
    }
  }

  private stopping(): boolean {
    if (!this.stop && this.o.signal?.aborted) {
      // A caller may abort with its own reason (the journal could not write): keep it.
      const reason: unknown = this.o.signal.reason;
      this.requestStop(
        'signal',
        reason instanceof DrbookError ? reason : new StoppedError('stopped by the operator', 'run drbook resume to continue'),
      );
    }
    return this.stop !== undefined;
  }

  private requestStop(reason: StopReason, error?: unknown): void {
    if (this.stop) return;
    this.stop = { reason, error };
    this.internal.abort();
  }

  async run(): Promise<RunResult> {
    const { runbook } = this.o;
    this.emit({
      type: 'run.started',
      runId: this.o.runId,
      site: this.o.site,
      runbook: runbook.name,
      runbookKind: runbook.kind,
      resumed: this.o.priorEvents !== undefined,
      eventsVersion: EVENTS_VERSION,
    });
    // Announce the whole plan, so a screen lists the steps still to come before they start.
    for (const step of runbook.steps) {
      if (!step.always && !step.recheck && this.prior && stepRow(this.prior, step.id)?.state === 'done') continue;
      this.emit({ type: 'step.state', stepId: step.id, state: 'waiting', title: step.title });
    }
    const onAbort = () => this.stopping();
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    const ranAlways = new Set<string>();
    let current: RunbookStep | undefined;
    try {
      for (const step of runbook.steps) {
        if (this.stopping()) break;
        if (!step.always && !step.recheck && this.prior && stepRow(this.prior, step.id)?.state === 'done') continue;
        current = step;
        await this.runStep(step, false);
        if (step.always) ranAlways.add(step.id);
      }
    } catch (err) {
      this.requestStop('failed', err);
      if (current) this.emit({ type: 'step.state', stepId: current.id, state: 'failed', note: describeError(err) });
    }
    // `always` steps (lockdown re-entry) run even when the run failed or was stopped.
    for (const step of runbook.steps) {
      if (!step.always || ranAlways.has(step.id)) continue;
      try {
        await this.runStep(step, true);
      } catch (err) {
        this.emit({ type: 'note', level: 'error', text: `${step.title}: ${describeError(err)}`, stepId: step.id });
      }
    }
    this.o.signal?.removeEventListener('abort', onAbort);
    const outcome: Outcome = this.stop ? (this.stop.reason === 'failed' ? 'failed' : 'stopped') : this.failed.length ? 'failed' : 'done';
    const error = this.stop?.error;
    const text =
      error !== undefined
        ? describeError(error)
        : this.failed.length
          ? `${this.failed.length} target(s) failed: ${this.failed
              .map((f) => f.label)
              .slice(0, 5)
              .join(', ')}${this.failed.length > 5 ? ', …' : ''}`
          : undefined;
    this.emit({ type: 'run.finished', outcome, error: text });
    return { outcome, failedTargets: this.failed.slice(), ...(error !== undefined ? { error } : {}) };
  }

  private async runStep(step: RunbookStep, finalPhase: boolean): Promise<void> {
    const info: StepInfo = { id: step.id, title: step.title, per: step.per, args: step.args ?? {} };
    const stages = stagesOf(step);
    const named = step.stages !== undefined;
    const source = this.o.actions[step.action] as TargetAction<C>;
    // In the final phase only an `always` step runs, and it must run to the end.
    const isStopping = () => (finalPhase || step.always ? false : this.stopping());
    const signal = finalPhase || step.always ? new AbortController().signal : this.internal.signal;
    // Every target of a step may wait on it at once (kill verify, heartbeat): not a leak, and
    // Node's warning would be printed over the terminal UI.
    setMaxListeners(0, signal);

    this.emit({ type: 'step.state', stepId: step.id, state: 'running', title: step.title });
    let targets: Target[];
    try {
      const io: TargetsIO = {
        note: (level, text, targetId) => this.emit({ type: 'note', level, text, stepId: step.id, targetId }),
        choose: (req) => this.askChoice(`${step.id}.${req.key}`, step.id, req.targetId, req),
      };
      targets = await runInScope({ stepId: step.id, targetId: '' }, () => source.targets(this.o.context, info, io));
      const ids = new Set<string>();
      for (const t of targets) {
        if (ids.has(t.id)) throw new DrbookError(`step ${step.id}: target ${t.id} is listed twice`);
        ids.add(t.id);
      }
    } catch (err) {
      if (err instanceof StoppedError && !finalPhase && !step.always) {
        // A question nobody could answer (no flag in a run that cannot ask): stop here, resumable.
        this.emit({ type: 'note', level: 'error', text: describeError(err), stepId: step.id });
        this.emit({ type: 'step.state', stepId: step.id, state: 'waiting', note: describeError(err) });
        this.requestStop('refused', err);
        return;
      }
      this.emit({ type: 'step.state', stepId: step.id, state: 'failed', note: describeError(err) });
      if (!finalPhase && !step.always) this.requestStop('failed', err);
      return;
    }
    this.emit({
      type: 'step.targets',
      stepId: step.id,
      per: step.per,
      stages: named ? stages.map((s) => s.id) : [],
      targets: targets.map((t) => ({ id: t.id, label: t.label, host: t.host, group: t.group })),
    });

    // What a previous attempt of this run already did (never trusted for `always` steps).
    const priorRow = (t: Target): TargetRow | undefined =>
      this.prior && !step.always && !step.recheck ? targetRow(this.prior, step.id, t.id) : undefined;

    const sched = new Scheduler(step.concurrency?.perHost ?? this.o.limits.perHost, this.o.limits.hosts, this.o.limits.total);
    // A target leaving a gated stage may open it for the next group: re-evaluate the waiters.
    const watchOf = stages.map((s) => (s.gate === 'priority' ? stages.findIndex((x) => x.id === (s.gateAfter ?? s.id)) : undefined));
    const gates = new Gates(watchOf, () => sched.pump());
    for (const t of targets) {
      const p = priorRow(t);
      if (p?.state === 'done') continue;
      gates.enter(
        t,
        stages.map((s) => !p?.stagesDone.includes(s.id)),
      );
    }
    const wake = () => sched.pump();
    signal.addEventListener('abort', wake, { once: true });

    const guard = this.guardOf(step);
    const confirmOnce = guard ? () => this.confirmOnce(guard, step, guard === step ? { info, targets } : undefined) : undefined;

    // A stage that ends well keeps its slot for the target's next stage, which takes it over in
    // acquire() together with every other waiter: released first, the slot went to whoever was
    // waiting (a VM about to start), and the VM one stage from done waited a whole stage of
    // another VM for a slot, its reads of a moment ago gone stale by then.
    const runTarget = async (t: Target): Promise<TargetOutcome> => {
      // held: a slot kept from the stage before; had: the target has held one in this step.
      const slot = { held: false, had: false };
      try {
        return await runPipeline(t, slot);
      } finally {
        if (slot.held) sched.release(t.host);
      }
    };

    const runPipeline = async (t: Target, slot: { held: boolean; had: boolean }): Promise<TargetOutcome> => {
      const p = priorRow(t);
      if (p?.state === 'done') return 'done';
      const failedIn = this.failedIds.get(t.id);
      if (failedIn !== undefined && !step.always) {
        this.emit({ type: 'target.state', stepId: step.id, targetId: t.id, state: 'skipped', note: engineNotes.failedInStep(failedIn) });
        gates.leave(t, stages.length - 1);
        // Not done here either: the step stays unfinished, so a resume comes back to this target.
        return 'blocked';
      }
      let started = false;
      let anyDone = false;
      const stopHere = (stageId: string | undefined): TargetOutcome => {
        gates.leave(t, stages.length - 1);
        if (started)
          this.emit({
            type: 'target.state',
            stepId: step.id,
            targetId: t.id,
            state: 'waiting',
            stage: stageId,
            note: engineNotes.stoppedHere(),
          });
        return 'stopped';
      };
      for (let i = 0; i < stages.length; i++) {
        const st = stages[i]!;
        const stageId = named ? st.id : undefined;
        if (p?.stagesDone.includes(st.id)) {
          started = anyDone = true;
          continue;
        }
        for (;;) {
          if (isStopping()) return stopHere(stageId);
          if (this.o.waitWhilePaused && !finalPhase && !step.always) {
            await this.o.waitWhilePaused();
            if (isStopping()) return stopHere(stageId);
          }
          const key: [number, number] = [t.group ?? NO_GROUP, -i];
          const granted = await sched.acquire(t.host, key, () => gates.open(i, t), isStopping, {
            slot: st.slot,
            handing: slot.held,
            starting: !slot.had,
          });
          slot.held = false;
          if (!granted) return stopHere(stageId);
          if (st.slot) slot.had = true;
          started = true;
          // This stage's slot: freed early when its changes have ended (ActionIO.changesEnded),
          // taken again for a retry.
          const stageSlot: StageSlot = {
            held: st.slot,
            free: () => {
              if (!stageSlot.held) return;
              stageSlot.held = false;
              sched.release(t.host);
            },
            regain: async () => {
              if (stageSlot.held || !st.slot) return true;
              if (!(await sched.acquire(t.host, key, () => true, isStopping))) return false;
              stageSlot.held = true;
              return true;
            },
          };
          let r: StageResult;
          let carryOn = false;
          try {
            r = await this.attemptStage(step, info, st, stageId, t, signal, isStopping, confirmOnce, stageSlot);
            carryOn = r.kind === 'done' || r.kind === 'skipped';
          } finally {
            // Kept only on the way to the next stage: never while the operator decides on a failure.
            if (stageSlot.held) {
              if (carryOn) slot.held = true;
              else sched.release(t.host);
            }
          }
          if (r.kind === 'done' || r.kind === 'skipped') {
            if (r.kind === 'done') anyDone = true;
            if (stageId !== undefined)
              this.emit({
                type: 'target.state',
                stepId: step.id,
                targetId: t.id,
                state: r.kind,
                stage: stageId,
                note: r.kind === 'skipped' ? r.reason : undefined,
              });
            gates.leave(t, i);
            if (r.kind === 'skipped' && (r.end || stageId === undefined)) {
              gates.leave(t, stages.length - 1);
              this.emit({ type: 'target.state', stepId: step.id, targetId: t.id, state: anyDone ? 'done' : 'skipped', note: r.reason });
              return anyDone ? 'done' : 'skipped';
            }
            break;
          }
          if (r.kind === 'stopped') return stopHere(stageId);
          // Failed after its retries: the operator decides (the flag prompter has a default).
          const siteLevel = step.per === 'site';
          const refused = r.error instanceof RefusedError;
          const choice = isStopping() || refused ? 'abort' : await this.chooseAfterFailure(step, t, st.id, r.error, siteLevel);
          if (choice === 'retry') continue;
          const error = describeError(r.error);
          this.emit({
            type: 'target.state',
            stepId: step.id,
            targetId: t.id,
            state: 'failed',
            stage: stageId,
            error,
            note: choice === 'skip' ? engineNotes.skippedByOperator() : undefined,
          });
          this.failed.push({ stepId: step.id, targetId: t.id, label: t.label, stage: stageId, error });
          this.failedIds.set(t.id, step.id);
          gates.leave(t, stages.length - 1);
          if (choice === 'abort' && !finalPhase && !step.always) {
            // Site-level: the run failed. Target-level: the operator chose to stop (resumable, exit 4).
            if (siteLevel || refused) this.requestStop('failed', r.error);
            else
              this.requestStop(
                'abort',
                new StoppedError(`stopped by the operator after ${t.label} failed: ${error}`, 'run drbook resume to continue', {
                  cause: r.error,
                }),
              );
          }
          return 'failed';
        }
      }
      this.emit({
        type: 'target.state',
        stepId: step.id,
        targetId: t.id,
        state: anyDone ? 'done' : 'skipped',
        note: anyDone ? undefined : engineNotes.nothingToDo(),
      });
      return anyDone ? 'done' : 'skipped';
    };

    // allSettled: a bug in one pipeline must not leave the others running behind our back.
    const settled = await Promise.allSettled(targets.map((t) => runTarget(t)));
    signal.removeEventListener('abort', wake);
    const broken = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (broken) throw broken.reason;
    const outcomes = settled.map((r) => (r as PromiseFulfilledResult<TargetOutcome>).value);
    const count = (k: TargetOutcome) => outcomes.filter((x) => x === k).length;
    let state: RunState;
    let note: EngineNote | undefined;
    if (count('stopped') > 0) {
      state = 'waiting';
      note = engineNotes.stoppedNotFinished(count('stopped'), targets.length);
    } else if (count('failed') > 0) {
      state = 'failed';
      note = engineNotes.failedCount(count('failed'), targets.length);
    } else if (count('blocked') > 0) {
      state = 'failed';
      note = engineNotes.blockedCount(count('blocked'), targets.length);
    } else if (targets.length === 0 || count('skipped') === targets.length) {
      state = 'skipped';
      note = targets.length === 0 ? engineNotes.nothingToDo() : undefined;
    } else state = 'done';
    this.emit({ type: 'step.state', stepId: step.id, state, note });
  }

  /** check → apply → verify for one stage of one target, under the retry policy. */
  private async attemptStage(
    step: RunbookStep,
    info: StepInfo,
    st: { id: string; action: string; retry?: RetryPolicy | undefined },
    stageId: string | undefined,
    t: Target,
    signal: AbortSignal,
    isStopping: () => boolean,
    confirm: (() => Promise<void>) | undefined,
    slot: StageSlot,
  ): Promise<StageResult> {
    const action = this.o.actions[st.action] as StageAction<C>;
    const policy = st.retry ?? { attempts: 1, delayMs: 0 };
    const scope = { stepId: step.id, targetId: t.id, stage: stageId };
    const ctx = this.o.context;
    this.emit({ type: 'target.state', stepId: step.id, targetId: t.id, state: 'running', stage: stageId });
    let lastError: unknown;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (!(await slot.regain())) return { kind: 'stopped' };
      const io: ActionIO = {
        step: info,
        stage: stageId,
        attempt,
        signal,
        note: (level, text) => this.emit({ type: 'note', level, text, stepId: step.id, targetId: t.id }),
        progress: (done, total, label) => this.emit({ type: 'target.progress', stepId: step.id, targetId: t.id, done, total, label }),
        situation: (data) => this.emit({ type: 'situation', data }),
        choose: (req) => this.askFromAction(step, t, stageId, req.key, (promptId) => this.askChoice(promptId, step.id, t.id, req)),
        checklist: async (req) => {
          const ok = await this.askFromAction(step, t, stageId, req.key, (promptId) =>
            this.ask(
              { promptId, kind: 'checklist', title: req.title, lines: [], items: req.items, stepId: step.id, targetId: t.id },
              (id) => this.o.prompter.checklist({ promptId: id, title: req.title, items: req.items }),
              ACK_FLAG,
            ),
          );
          if (!ok) throw new StoppedError(`${req.title}: the manual step was not acknowledged`, 'do it, then run drbook resume');
        },
        changesEnded: slot.free,
      };
      try {
        const c = await runInScope(scope, () => action.check(ctx, t, io));
        if (c === 'done') return { kind: 'done' };
        if (c !== 'todo') return { kind: 'skipped', reason: c.skip, end: c.end ?? false };
        if (isStopping()) return { kind: 'stopped' };
        if (confirm) await confirm();
        if (isStopping()) return { kind: 'stopped' };
        await runInScope(scope, () => action.apply(ctx, t, io));
        const v = await runInScope(scope, () => action.verify(ctx, t, io));
        if (v !== true) throw new VerifyError(`${t.label}: ${stageId ?? step.id} did not take effect: ${v}`);
        return { kind: 'done' };
      } catch (err) {
        // The site is not safe to act on (the preflight said why): no retry, no failure panel.
        if (err instanceof RefusedError) return { kind: 'failed', error: err };
        if (err instanceof Refusal || err instanceof StoppedError) {
          // A refused confirmation or an unacknowledged manual step: stop, never retry.
          this.requestStop('refused', err instanceof Refusal ? err.reason : err);
          return { kind: 'stopped' };
        }
        lastError = err;
        // Never retry after an abort (listr2's rule): the operator asked for no new actions.
        if (attempt < policy.attempts && !isStopping()) {
          this.emit({
            type: 'note',
            level: 'warn',
            text: `${t.label}: attempt ${attempt} of ${policy.attempts} failed: ${describeError(err)}`,
            stepId: step.id,
            targetId: t.id,
          });
          await sleep(policy.delayMs, signal);
          if (isStopping()) break;
        }
      }
    }
    return { kind: 'failed', error: lastError };
  }

  /**
   * The step whose confirmation guards `step`'s applies: its own, or an earlier step's whose
   * `through` reaches it.
   */
  private guardOf(step: RunbookStep): RunbookStep | undefined {
    if (step.confirm) return step;
    const steps = this.o.runbook.steps;
    const at = steps.indexOf(step);
    for (let k = at - 1; k >= 0; k--) {
      const c = steps[k]!.confirm;
      const through = c?.kind === 'typed' ? c.through : undefined;
      if (through !== undefined && steps.findIndex((x) => x.id === through) >= at) return steps[k];
    }
    return undefined;
  }

  /** Each guarding step's confirmation is asked once per attempt, by the first step it guards that applies. */
  private readonly confirmations = new Map<string, Promise<void>>();

  /**
   * `guard`'s confirmation, asked once, shown under `asking` (the step about to apply); the guard's
   * targets are read again when a later step asks it.
   */
  private confirmOnce(guard: RunbookStep, asking: RunbookStep, own: { info: StepInfo; targets: Target[] } | undefined): Promise<void> {
    let asked = this.confirmations.get(guard.id);
    if (!asked) {
      asked = (async () => {
        const info: StepInfo = own?.info ?? { id: guard.id, title: guard.title, per: guard.per, args: guard.args ?? {} };
        const targets =
          own?.targets ??
          (await runInScope({ stepId: guard.id, targetId: '' }, () =>
            (this.o.actions[guard.action] as TargetAction<C>).targets(this.o.context, info, {
              note: (level, text, targetId) => this.emit({ type: 'note', level, text, stepId: guard.id, targetId }),
              choose: (req) => this.askChoice(`${guard.id}.${req.key}`, guard.id, req.targetId, req),
            }),
          ));
        await this.confirmStep(guard, info, targets, asking);
      })();
      this.confirmations.set(guard.id, asked);
    }
    return asked;
  }

  /** Ask the step's confirmation once, before its first apply; a refusal stops the run. */
  private async confirmStep(step: RunbookStep, info: StepInfo, targets: Target[], asking: RunbookStep): Promise<void> {
    const spec = step.confirm!;
    const source = this.o.actions[step.action] as TargetAction<C>;
    // What the confirmation reads is the step's, as its targets' reads are (journaled under it).
    const content = (await runInScope({ stepId: step.id, targetId: '' }, () => source.confirmation?.(this.o.context, info, targets))) ?? {};
    const title = content.title ?? spec.title ?? step.title;
    const lines = content.lines ?? (spec.kind === 'typed' ? spec.lines : undefined) ?? [];
    const promptId = `${step.id}.confirm`;
    this.emit({ type: 'step.state', stepId: asking.id, state: 'needs-you' });
    try {
      if (spec.kind === 'typed') {
        const expect = content.expect ?? spec.expect;
        if (!expect) throw new DrbookError(`step ${step.id}: typed confirmation without a value to type`);
        const ok = await this.ask(
          { promptId, kind: 'typed', title, lines, expect, stepId: asking.id },
          (id) => this.o.prompter.confirmTyped({ promptId: id, title, lines, expect }),
          { name: '--confirm', value: expect, values: [expect] },
        );
        if (!ok) throw new StoppedError(`${title}: not confirmed`, 'run drbook resume when you are ready to confirm');
      } else {
        const items = content.items ?? spec.items ?? [];
        const ok = await this.ask(
          { promptId, kind: 'checklist', title, lines, items, stepId: asking.id },
          (id) => this.o.prompter.checklist({ promptId: id, title, items }),
          ACK_FLAG,
        );
        if (!ok) throw new StoppedError(`${title}: the manual step was not acknowledged`, 'do it, then run drbook resume');
      }
    } catch (err) {
      this.emit({ type: 'note', level: 'error', text: describeError(err), stepId: asking.id });
      this.emit({ type: 'step.state', stepId: asking.id, state: 'waiting', note: engineNotes.stoppedAtConfirmation() });
      throw new Refusal(err);
    }
    this.emit({ type: 'step.state', stepId: asking.id, state: 'running' });
  }

  private async askFromAction<T>(
    step: RunbookStep,
    t: Target,
    stage: string | undefined,
    key: string | undefined,
    call: (promptId: string) => Promise<T>,
  ): Promise<T> {
    const promptId = `${step.id}.${t.id}${stage ? `.${stage}` : ''}.${key ?? `ask.${++this.promptSeq}`}`;
    this.emit({ type: 'target.state', stepId: step.id, targetId: t.id, state: 'needs-you', stage });
    try {
      return await call(promptId);
    } finally {
      this.emit({ type: 'target.state', stepId: step.id, targetId: t.id, state: 'running', stage });
    }
  }

  private async chooseAfterFailure(step: RunbookStep, t: Target, stage: string, error: unknown, siteLevel: boolean): Promise<string> {
    const promptId = `${step.id}.${t.id}.${stage}.failed.${++this.promptSeq}`;
    const options = siteLevel
      ? [
          { key: 'retry', label: 'Retry' },
          { key: 'abort', label: 'Abort the run (nothing destructive follows)' },
        ]
      : [
          { key: 'retry', label: 'Retry' },
          { key: 'skip', label: `Skip ${t.label}; the others go on` },
          { key: 'abort', label: 'Abort the run' },
        ];
    const title = `${step.title}: ${t.label} failed`;
    const lines = [describeError(error), ...(t.host ? [`host: ${t.host}`] : [])];
    // A site-level failure can only be retried or end the run (the documented default in a script);
    // a drill's failed VM is skipped (its clean-up runs anyway).
    const flag: AnswerFlag | undefined =
      siteLevel || !this.o.vmFailureFlag ? undefined : { name: '--on-vm-failure', value: this.o.onVmFailure, values: ['skip', 'abort'] };
    this.emit({
      type: 'target.state',
      stepId: step.id,
      targetId: t.id,
      state: 'needs-you',
      stage: step.stages ? stage : undefined,
      error: describeError(error),
    });
    try {
      return await this.ask(
        { promptId, kind: 'choose', title, lines, options, stepId: step.id, targetId: t.id },
        (id) =>
          this.o.prompter.choose({
            promptId: id,
            title,
            lines,
            options,
            default: siteLevel ? 'abort' : 'skip',
            flag,
            failure: failureOf(t, error),
          }),
        flag,
      );
    } catch (err) {
      this.emit({ type: 'note', level: 'error', text: describeError(err), stepId: step.id, targetId: t.id });
      // Nobody could answer (no --on-vm-failure in a script): the run stops here, saying why.
      if (err instanceof StoppedError) this.requestStop('abort', err);
      return 'abort';
    }
  }

  /** A choice among options, asked of a step's targets() or of an action alike. */
  private askChoice(promptId: string, stepId: string, targetId: string | undefined, req: Omit<ChooseRequest, 'promptId'>): Promise<string> {
    const { title, lines, options, flag } = req;
    return this.ask(
      { promptId, kind: 'choose', title, lines, options, stepId, targetId },
      (id) => this.o.prompter.choose({ promptId: id, title, lines, options, default: req.default, flag }),
      flag,
    );
  }

  /** One prompt at a time: concurrent failures queue up behind the open dialog. */
  private ask<T extends string | boolean>(
    asked: Omit<Extract<EventInput, { type: 'prompt.requested' }>, 'type'>,
    call: (promptId: string) => Promise<T>,
    flag?: AnswerFlag,
  ): Promise<T> {
    let promptId = asked.promptId;
    for (let n = 2; this.promptIds.has(promptId); n++) promptId = `${asked.promptId}.${n}`;
    this.promptIds.add(promptId);
    const req = { ...asked, promptId };
    const next = this.promptChain.then(async () => {
      this.emit({ type: 'prompt.requested', ...req });
      const answer = await call(promptId);
      // Said as it happened: a default is drbook's, never the operator's.
      const via = answerVia(this.o.prompter, asked.kind, flag);
      this.emit({
        type: 'prompt.answered',
        promptId,
        answer: typeof answer === 'boolean' ? (answer ? 'yes' : 'no') : answer,
        by: via === 'default' ? 'drbook' : this.operator,
        via,
        flag: via === 'flag' && flag ? [flag.name, flag.value].filter(Boolean).join(' ') : undefined,
      });
      return answer;
    });
    this.promptChain = next.catch(() => undefined);
    return next;
  }
}

/**
 * Host slots and priority for one step. A waiter is granted when its gate is open and its host
 * has a free slot; among the ready ones, lower priority group first, then the target furthest
 * along its pipeline (so finishing VMs beats starting new ones), then FIFO.
 *
 * Except at a host's tail: once fewer of its targets wait for their first slot than it has slots,
 * its slots go to the target least far along first (still lower group first). Finishing first keeps
 * a slot with one VM from its first stage to its last, so with 25 VMs on 4 slots the 25th started
 * only when a whole VM had ended, then ran its stages alone, three slots idle: the step took a
 * seventh VM's time where the work needed six and a quarter. Least far along first, the last VMs
 * share the slots and end together.
 */
class Scheduler {
  private readonly active = new Map<string, number>();
  private total = 0;
  private seq = 0;
  private pumping = false;
  private again = false;
  private waiters: Waiter[] = [];
  /** Per host, its waiters for a slot, and how many of them wait for their first of the step. */
  private readonly byHost = new Map<string, { waiting: Set<Waiter>; starting: number }>();

  constructor(
    private readonly perHost: number,
    private readonly maxHosts: number | undefined,
    private readonly maxTotal: number | undefined,
  ) {}

  /**
   * slot false: wait only for the gate (a stage that only waits holds no slot; no release follows).
   * handing: the caller holds a slot of `host` from its stage before; it is freed only now, with
   * this waiter among the others, so the priority rule decides who gets it.
   * starting: the target has held no slot in this step yet (the tail rule above).
   */
  acquire(
    host: string | undefined,
    key: [number, number],
    ready: () => boolean,
    cancelled: () => boolean,
    o: { slot?: boolean; handing?: boolean; starting?: boolean } = {},
  ): Promise<boolean> {
    const { slot = true, handing = false, starting = false } = o;
    return new Promise((resolve) => {
      const w: Waiter = { host, key: [key[0], key[1], this.seq++], slot, starting: slot && starting, ready, cancelled, resolve };
      let i = this.waiters.length;
      while (i > 0 && compare(this.waiters[i - 1]!.key, w.key) > 0) i--;
      this.waiters.splice(i, 0, w);
      if (slot && host !== undefined) {
        let h = this.byHost.get(host);
        if (!h) this.byHost.set(host, (h = { waiting: new Set(), starting: 0 }));
        h.waiting.add(w);
        if (w.starting) h.starting++;
      }
      if (handing) this.untake(host);
      this.pump();
    });
  }

  release(host: string | undefined): void {
    this.untake(host);
    this.pump();
  }

  /** A slot of `host` given back (take's reverse); pump() hands it on. */
  private untake(host: string | undefined): void {
    this.total--;
    if (host !== undefined) {
      const n = (this.active.get(host) ?? 1) - 1;
      if (n === 0) this.active.delete(host);
      else this.active.set(host, n);
    }
  }

  /** Re-evaluate the waiters: after a release, a gate change or a stop. */
  pump(): void {
    // cancelled() may trigger a stop whose abort listener pumps again: run that pass afterwards.
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        const tails = this.grantTails();
        // Compacted in place: a pass runs on every acquire and release, over up to 2,000 waiters,
        // and a fresh array per pass was a tenth of what a 2,000-VM failover allocated.
        const waiters = this.waiters;
        let kept = 0;
        for (let i = 0; i < waiters.length; i++) {
          const w = waiters[i]!;
          if (w.resolved) continue;
          if (w.cancelled()) this.settle(w, false);
          else if (w.slot && tails.has(w.host)) waiters[kept++] = w;
          else if ((!w.slot || this.free(w.host)) && w.ready()) {
            if (w.slot) this.take(w.host);
            this.settle(w, true);
          } else waiters[kept++] = w;
        }
        waiters.length = kept;
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  /** The hosts at their tail (see the class), their free slots given to the waiters least far along. */
  private grantTails(): Set<string | undefined> {
    const tails = new Set<string | undefined>();
    for (const [host, h] of this.byHost) {
      if (h.starting >= this.perHost) continue;
      tails.add(host);
      // Nothing to grant (the pass after settles whoever was cancelled).
      if (!this.free(host)) continue;
      const ready: Waiter[] = [];
      for (const w of h.waiting) {
        if (w.cancelled()) this.settle(w, false);
        else if (w.ready()) ready.push(w);
      }
      ready.sort((a, b) => a.key[0] - b.key[0] || b.key[1] - a.key[1] || a.key[2] - b.key[2]);
      for (const w of ready) {
        if (!this.free(host)) break;
        this.take(host);
        this.settle(w, true);
      }
    }
    return tails;
  }

  private settle(w: Waiter, granted: boolean): void {
    w.resolved = true;
    const h = w.host === undefined ? undefined : this.byHost.get(w.host);
    if (h?.waiting.delete(w)) {
      if (w.starting) h.starting--;
      if (h.waiting.size === 0) this.byHost.delete(w.host!);
    }
    w.resolve(granted);
  }

  private free(host: string | undefined): boolean {
    if (this.maxTotal !== undefined && this.total >= this.maxTotal) return false;
    if (host === undefined) return true;
    const n = this.active.get(host) ?? 0;
    if (n >= this.perHost) return false;
    return n > 0 || this.maxHosts === undefined || this.active.size < this.maxHosts;
  }

  private take(host: string | undefined): void {
    this.total++;
    if (host !== undefined) this.active.set(host, (this.active.get(host) ?? 0) + 1);
  }
}

/** A running stage's host slot (none when its stage holds none: `held` false from the start). */
interface StageSlot {
  held: boolean;
  free: () => void;
  /** Take a slot again if freed early; false when the run is stopping instead. */
  regain: () => Promise<boolean>;
}

interface Waiter {
  host: string | undefined;
  key: [number, number, number];
  slot: boolean;
  /** Waiting for its first slot of the step. */
  starting: boolean;
  /** Granted or cancelled (it may still be in `waiters` until the pass ends). */
  resolved?: boolean;
  ready: () => boolean;
  cancelled: () => boolean;
  resolve: (ok: boolean) => void;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Priority gates: a gated stage starts for group k only when every target of the groups below k
 * has finished its watched stage (itself, or its `gateAfter`): done, skipped, failed, or left the
 * pipeline earlier.
 */
class Gates {
  /** Per watched stage index: group → targets not yet past it. */
  private readonly pending: (Map<number, number> | undefined)[];
  private readonly cursor = new Map<string, { group: number; next: number; counted: boolean[] }>();

  constructor(
    /** Per stage: the index of the stage its gate watches, or undefined when not gated. */
    private readonly watchOf: (number | undefined)[],
    private readonly onChange: () => void,
  ) {
    const watched = new Set(watchOf.filter((w): w is number => w !== undefined));
    this.pending = watchOf.map((_, i) => (watched.has(i) ? new Map() : undefined));
  }

  enter(t: Target, counts: boolean[]): void {
    const group = t.group ?? NO_GROUP;
    const counted = counts.map((c, i) => c && this.pending[i] !== undefined);
    counted.forEach((c, i) => {
      if (c) this.pending[i]!.set(group, (this.pending[i]!.get(group) ?? 0) + 1);
    });
    this.cursor.set(t.id, { group, next: 0, counted });
  }

  /** The target is past every stage up to `upTo`. */
  leave(t: Target, upTo: number): void {
    const c = this.cursor.get(t.id);
    if (!c) return;
    let changed = false;
    for (let i = c.next; i <= upTo; i++) {
      if (c.counted[i]) {
        this.pending[i]!.set(c.group, this.pending[i]!.get(c.group)! - 1);
        changed = true;
      }
    }
    c.next = Math.max(c.next, upTo + 1);
    if (changed) this.onChange();
  }

  open(stage: number, t: Target): boolean {
    const w = this.watchOf[stage];
    const p = w === undefined ? undefined : this.pending[w];
    if (!p) return true;
    const group = t.group ?? NO_GROUP;
    for (const [g, n] of p) if (g < group && n > 0) return false;
    return true;
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

/** What the error panel names: the target, the host and command that failed, the device's own words. */
function failureOf(t: Target, error: unknown): NonNullable<ChooseRequest['failure']> {
  const vm = t.host !== undefined && t.label !== t.host ? t.label : undefined;
  // An action may wrap the device's error in its own: the panel wants the device's words.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof RemoteCommandError)
      return { vm, host: e.host, command: e.command, message: e === error ? e.deviceMessage : describeError(error) };
  }
  if (error instanceof CommandTimeoutError) return { vm, host: error.host, command: error.command, message: describeError(error) };
  return { vm, host: t.host, message: describeError(error) };
}
