/**
 * The run lifecycle, the same for every runbook (failover, drill, drill cleanup, Hyper-V recovery,
 * and next reprotect and failback): the journal and the site lock, the SSH pool whose audit feeds
 * the journal, the renderer, the engine, and what is owed at the end whatever happened
 * (connections closed, lock released, run status, report). A procedure brings a SessionSpec.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { auditToEvents } from '../engine/audit.js';
import { DecisionEvents } from '../engine/decision-events.js';
import { redactingPrompter, redactingSink } from '../engine/redact-events.js';
import type { EngineEvent } from '../engine/events.js';
import { fanOut, type EventSink, type Prompter } from '../engine/ports.js';
import { runRunbook, type ActionRegistry, type RunResult } from '../engine/runner.js';
import { foldEvents } from '../engine/view-model.js';
import { EXIT, OperatorError, RefusedError, describeError, exitCodeOf, type ExitCode } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';
import { reportMessages } from '../i18n/report.js';
import { Journal, type Run, type RunKind } from '../journal/journal.js';
import { writeReport } from '../reporters/report.js';
import { loadRunbook, type Runbook } from '../runbook/runbook.js';
import type { Site } from '../runbook/site.js';
import type { Redactor } from '../transport/redact.js';
import type { AuditSink, HostPool } from '../transport/types.js';
import { hostsOutOfLockdown } from '../site/lockdown.js';
import type { CommandContext } from './context.js';
import type { Renderer } from './renderer.js';
import { acquireSiteLock, assertSiteFree, type SiteLock } from './site-lock.js';
import { openView } from './view.js';
import type { SituationBoard } from '../runbook/board.js';

export type { Renderer };

/** What a session reads from a site file of any platform (a vSphere Site, a HypervSite). */
export type SessionSite = Pick<Site, 'site' | 'file' | 'concurrency' | 'timeouts'>;

/** What every run session needs, whatever runbook it runs (failover, drill, drill cleanup). */
export interface SessionCommon<S extends SessionSite = Site> {
  ctx: CommandContext;
  site: S;
  dbPath: string;
  renderer: Renderer;
  lang: Lang;
  /** Continue this run instead of starting one. */
  resumeRunId?: string | undefined;
  /** `--abandon RUN`: the unfinished run of this kind that a new run may set aside (marked aborted, never resumed). */
  abandonRunId?: string | undefined;
  /** `--on-vm-failure`: the failure panel's answer in a run that cannot ask (without it, such a run stops there). */
  onVmFailure?: 'skip' | 'abort' | undefined;
  /** `--confirm`: one value, or several (the way back overwrites a different volume in each command). */
  confirm?: string | readonly string[] | undefined;
  ackManual?: boolean | undefined;
  /** Where reports go; default: `reports/` beside the database. */
  reportDir?: string | undefined;
  /** The line printed when the run did not finish, given the resume command (the demo says how to restart its lab first). */
  resumeHint?: ((command: string) => string) | undefined;
}

/** The command line of this drbook, for the lock holder's details. */
function commandLine(ctx: CommandContext): string {
  return ['drbook', ...(ctx.argv ?? [])].join(' ');
}

export interface SessionResult {
  exitCode: ExitCode;
  runId: string;
  outcome: RunResult['outcome'];
  reportFiles: string[];
  hostsLeftOutOfLockdown: string[];
}

/** What the actions of a session get from it to build their context. */
export interface SessionContextArgs {
  journal: Journal;
  runId: string;
  /** The options recorded with the run (a resumed run gets its own back). */
  runOptions: Record<string, unknown>;
  pool: HostPool;
  sink: EventSink;
  prompter: Prompter;
  signal: AbortSignal;
  /** This run's events so far, prior attempts included, but the reads' commands (src/engine/decision-events.ts). */
  events: () => readonly EngineEvent[];
}

/**
 * What differs between the runs a session can drive: the runbook and its actions, what a new run
 * records, how the actions' context is made, which hosts it may have left out of lockdown, and
 * the report. The session itself (journal, lock, pool, renderer, report, exit code) is shared.
 */
export interface SessionSpec<C> {
  kind: RunKind;
  runbookPath: string;
  actions: ActionRegistry<C>;
  /** With the journal open, before a new run exists: the options it records. A resumed run keeps its own. */
  prepare(journal: Journal, resumed: Run | undefined): Record<string, unknown>;
  createContext(args: SessionContextArgs): C;
  /** Closes what the context opened besides the SSH pool (the vCenter session). */
  dispose?(context: C): Promise<void>;
  /**
   * The events that show which hosts drbook took out of lockdown (src/failover/lockdown.ts);
   * default: this run's. A drill cleanup adds the drill's.
   */
  lockdownEvidence?(context: C): readonly EngineEvent[];
  /**
   * Default: the run report as `<kind>-<run>.{md,json,html}`. `events` are those kept in memory
   * (no reads: src/engine/decision-events.ts); the report's commands are read from the journal.
   */
  writeReport?(dir: string, runId: string, events: readonly EngineEvent[], journal: Journal, redactor: Redactor): Promise<string[]>;
  /** The line printed when the run did not finish (default: how to resume it). */
  unfinishedHint?(runId: string): string;
  /** The preflight board as plain lines. */
  formatSituation: (board: SituationBoard) => string[];
  /**
   * Read the site over the run's pool before anything is shown or done; an OperatorError refuses
   * the run in one line (exit 2) and a new run is recorded as refused.
   */
  guard?(args: { pool: HostPool; journal: Journal; runId: string; resumed: boolean }): Promise<void>;
  /** The SSH pool of the run (the site's devices), its audit feeding the journal. */
  createPool(env: NodeJS.ProcessEnv, options: { audit: AuditSink; redactor: Redactor; perHostLimit: number }): HostPool;
}

/**
 * A new run is refused while a run of its kind on the site is unfinished after it changed the site
 * (and no later one finished): that run holds what it recorded before its changes (whether lockdown
 * was on, which VMs were on before a failback shut them down) and the typed confirmations, which a
 * new run would not ask again at the steps it finds done; its checks would take its own work for the
 * site's state (a SnapRestore sent again). A run that changed nothing (stopped at its confirmation)
 * does not hold a new one back; `--abandon RUN` sets one aside by name (a run of an earlier outage
 * that was finished by hand), marked aborted.
 */
async function refuseBesideUnfinished(
  journal: Journal,
  site: string,
  kind: RunKind,
  o: { lang: Lang; abandon: string | undefined; stderr: NodeJS.WritableStream },
): Promise<void> {
  const { isUnfinished } = await import('../site/read.js');
  const m = lifecycleMessages(o.lang);
  const runs = journal.listRuns({ site }).filter((r) => r.kind === kind);
  const done = runs.find((r) => r.status === 'done');
  const open = runs.find((r) => isUnfinished(r) && (!done || r.createdAt > done.createdAt) && journal.sentChange(r.id));
  if (o.abandon !== undefined && o.abandon !== open?.id)
    throw new OperatorError(m.abandonNotOpen({ runId: o.abandon, kind }), m.abandonNotOpenHint);
  if (!open) return;
  const since = new Date(open.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  if (o.abandon === undefined)
    throw new OperatorError(m.unfinishedRun({ kind, runId: open.id, status: open.status, since }), m.unfinishedRunHint({ runId: open.id }));
  // Set aside by name: an old run of another outage, or one the operator finished by hand.
  journal.setRunStatus(open.id, 'aborted');
  o.stderr.write(`${m.abandoned({ runId: open.id, kind })}\n`);
}

/** One run of a runbook under the site lock, journaled, rendered and reported. */
export async function runSession<C, S extends SessionSite = Site>(o: SessionCommon<S>, spec: SessionSpec<C>): Promise<SessionResult> {
  const { site } = o;
  const runbook = loadRunbook(spec.runbookPath);
  // A site another run holds is refused before anything is read or recorded (any database).
  assertSiteFree(site.file, { lang: o.lang });
  const journal = Journal.open(o.dbPath);
  try {
    let runId: string;
    let resumed: Run | undefined;
    if (o.resumeRunId) {
      resumed = journal.getRun(o.resumeRunId);
      if (!resumed) throw new OperatorError(`no run ${o.resumeRunId} in ${o.dbPath}`, 'drbook runs lists them');
      if (resumed.status === 'done') throw new OperatorError(`run ${resumed.id} is already done`, `drbook report ${resumed.id} shows it`);
      // A finished or superseded run is never resumed: it would act on a site that moved on.
      if (resumed.status === 'aborted' || resumed.status === 'refused')
        throw new OperatorError(
          `run ${resumed.id} was ${resumed.status === 'refused' ? 'refused (it never acted)' : 'aborted or set aside (--abandon)'}: it is not resumed`,
          'drbook runs lists the runs; drbook status --site FILE says where the site stands',
        );
      const { supersededBy } = await import('../site/read.js');
      const later = supersededBy(journal.listRuns({ site: resumed.site }), resumed);
      if (later)
        throw new OperatorError(
          `run ${resumed.id} is superseded: ${later.kind} ${later.id} of site ${resumed.site} finished after it`,
          `drbook report ${later.id} shows it; drbook status --site FILE says where the site stands`,
        );
      runId = resumed.id;
    } else {
      runId = '';
    }
    if (!resumed && spec.kind !== 'drill')
      await refuseBesideUnfinished(journal, site.site, spec.kind, { lang: o.lang, abandon: o.abandonRunId, stderr: o.ctx.stderr });
    const options = spec.prepare(journal, resumed);
    if (!resumed) {
      runId = journal.createRun({ site: site.site, kind: spec.kind, runbook: runbook.name, siteFile: site.file, options });
    }
    // The site lock file is the authority, whichever database this run uses; the journal's lock
    // row only records the holder for this database (taken by force: the file says we hold it).
    let lock: SiteLock;
    try {
      lock = acquireSiteLock(site.file, { site: site.site, runId, kind: spec.kind, command: commandLine(o.ctx), lang: o.lang });
    } catch (err) {
      // Refused (another run holds the site): the run never started; it must not look active.
      if (!resumed) journal.setRunStatus(runId, 'refused');
      throw err;
    }
    try {
      journal.acquireLock(site.site, runId, { pid: process.pid, hostname: hostname(), kind: spec.kind, force: true });
      journal.setRunStatus(runId, 'active');
      return await runLocked(o, spec, runbook, journal, runId, options, lock.takenOver);
    } finally {
      journal.releaseLock(site.site, runId);
      lock.release();
    }
  } finally {
    journal.close();
  }
}

async function runLocked<C, S extends SessionSite>(
  o: SessionCommon<S>,
  spec: SessionSpec<C>,
  runbook: Runbook,
  journal: Journal,
  runId: string,
  runOptions: Record<string, unknown>,
  takenOver: SiteLock['takenOver'],
): Promise<SessionResult> {
  const { ctx, site } = o;
  const decisions = new DecisionEvents(journal.streamRunEvents(runId));
  const events = decisions.list;
  const resumed = events.length > 0;
  // What the runner resumes from (its fold reads steps and targets, not commands).
  const priorEvents = resumed ? [...events] : undefined;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  let journalError: Error | undefined;

  // The journal first. Events are committed in bursts, one per turn of the event loop (Journal.enqueue),
  // and no command leaves for a device before its intent and everything before it are on disk (the
  // audit below waits for that). A write that fails (full disk) stops the run at the next safe
  // point, and the command that waited is not sent; what was committed before stays.
  const journalFailed = (err: unknown) => {
    journalError ??= err instanceof Error ? err : new Error(describeError(err));
    stop.abort(err);
  };
  // One handler per burst: the events of a turn share their commit's promise.
  let watchedCommit: Promise<void> | undefined;
  const journalSink: EventSink = {
    emit(e) {
      if (journalError) return;
      const commit = journal.enqueue(runId, e);
      if (commit !== watchedCommit) (watchedCommit = commit).catch(journalFailed);
    },
  };
  const recorder: EventSink = { emit: (e) => decisions.add(e) };

  // The renderer comes after the guard (a refused run shows no screen); its sink joins then.
  let viewSink: EventSink = { emit: () => undefined };
  // Everything kept or shown of the run (journal, report, screen) is redacted here, once; the
  // actions read the devices' raw output.
  const sink = redactingSink(fanOut(journalSink, recorder, { emit: (e) => viewSink.emit(e) }), ctx.redactor);

  // Pinned keys only during a run (no unknown-key prompt): `drbook init` pins them. The guard's
  // reads are not journaled: events before `run.started` would make a killed run look resumed.
  let journaled = !spec.guard;
  const commands = auditToEvents(sink);
  const audit: AuditSink = {
    commandStarted: (e) => {
      if (!journaled) return;
      commands.commandStarted(e);
      return journalError ? Promise.reject(journalError) : journal.durable();
    },
    commandFinished: (e) => journaled && commands.commandFinished(e),
  };
  const poolOptions = { audit, redactor: ctx.redactor, perHostLimit: Math.min(8, site.concurrency.perHost + 2) };
  const pool = spec.createPool(ctx.env, poolOptions);
  if (spec.guard) {
    try {
      await spec.guard({ pool, journal, runId, resumed });
    } catch (err) {
      ctx.signal.removeEventListener('abort', onOuterAbort);
      await pool.close();
      if (!resumed && err instanceof OperatorError) journal.setRunStatus(runId, 'refused');
      throw err;
    }
    journaled = true;
  }
  // The screen shows the earlier attempts whole, their commands too: read again, not kept for the run.
  const view = await openView(o, spec, stop, journal.streamRunEvents(runId));
  viewSink = view.sink;
  const prompter = redactingPrompter(view.prompter, ctx.redactor);
  if (takenOver) {
    const lm = lifecycleMessages(o.lang);
    sink.emit({
      type: 'note',
      at: Date.now(),
      level: 'warn',
      text: lm.lockTakenOver({ runId: takenOver.holder.runId, why: lm.staleWhy[takenOver.why] }),
    });
  }

  let context: C | undefined;
  let result: RunResult;
  try {
    context = spec.createContext({ journal, runId, runOptions, pool, sink, prompter, signal: stop.signal, events: () => events });
    result = await runRunbook({
      runbook,
      actions: spec.actions,
      context,
      sink,
      prompter,
      runId,
      site: site.site,
      limits: { perHost: site.concurrency.perHost, hosts: site.concurrency.hosts },
      signal: stop.signal,
      priorEvents,
      onVmFailure: o.onVmFailure,
      vmFailureFlag: spec.kind === 'failover',
    });
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
    if (context !== undefined) await spec.dispose?.(context).catch(() => undefined);
    await pool.close();
  }
  try {
    journal.flush();
  } catch (err) {
    journalFailed(err);
  }
  if (journalError) result = { ...result, outcome: 'stopped', error: journalError };

  const leftOut = hostsOutOfLockdown(foldEvents(context !== undefined && spec.lockdownEvidence ? spec.lockdownEvidence(context) : events));

  // Refused by the preflight before anything was sent (a fresh run: the preflight is its first step).
  const refused = result.outcome === 'failed' && result.error instanceof RefusedError && !resumed;
  if (!journalError)
    journal.setRunStatus(
      runId,
      refused ? 'refused' : result.outcome === 'done' ? 'done' : result.outcome === 'failed' ? 'failed' : 'stopped',
    );
  const reportDir = o.reportDir ?? path.join(path.dirname(path.resolve(o.dbPath)), 'reports');
  let reportFiles: string[] = [];
  try {
    reportFiles = spec.writeReport
      ? await spec.writeReport(reportDir, runId, events, journal, ctx.redactor)
      : await writeReport(reportDir, (part) => journal.streamRunEvents(runId, part), {
          formats: ['md', 'json', 'html'],
          basename: `${spec.kind}-${runId}`,
          lang: o.lang,
          redactor: ctx.redactor,
          refused,
        });
  } catch (err) {
    ctx.stderr.write(`${ctx.redactor.redact(reportMessages(o.lang).sessionReportFailed({ error: describeError(err) }))}\n`);
  }
  await view.finish({ runId, outcome: refused ? 'refused' : result.outcome, reportFiles, leftOut, error: result.error });

  const exitCode: ExitCode = refused
    ? EXIT.usage
    : result.outcome === 'done'
      ? EXIT.ok
      : result.outcome === 'failed'
        ? EXIT.failed
        : result.error
          ? stoppedCode(result.error)
          : EXIT.stopped;
  return { exitCode, runId, outcome: result.outcome, reportFiles, hostsLeftOutOfLockdown: leftOut };
}

/** A stop caused by a missing flag is bad usage (2); any other stop is resumable (4). */
function stoppedCode(err: unknown): ExitCode {
  const code = exitCodeOf(err);
  return code === EXIT.usage ? EXIT.usage : EXIT.stopped;
}
