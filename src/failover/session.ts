/**
 * One run, start to finish: the journal and the site lock, the SSH pool whose audit feeds the
 * journal, the renderer (Ink, plain lines or NDJSON), the engine, and what is owed at the end
 * whatever happened (connections closed, lock released, run status, report). `runSession` is
 * generic over the runbook (a SessionSpec); `runFailoverSession` is the failover's spec, shared by
 * `drbook failover`, `drbook resume` and `drbook demo`; src/drill/session.ts is the drill's.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../commands/context.js';
import { auditToEvents } from '../engine/audit.js';
import { redactingPrompter, redactingSink } from '../engine/redact-events.js';
import type { EngineEvent } from '../engine/events.js';
import { createFlagPrompter, fanOut, type EventSink, type Prompter } from '../engine/ports.js';
import { runRunbook, type ActionRegistry, type RunResult } from '../engine/runner.js';
import { DrbookError, EXIT, OperatorError, describeError, exitCodeOf, type ExitCode } from '../errors.js';
import { commonMessages } from '../i18n/common.js';
import type { Lang } from '../i18n/lang.js';
import { failoverMessages } from '../i18n/failover.js';
import { reportMessages } from '../i18n/report.js';
import { CaptureStore, getCapture, latestCapture } from '../inventory/store.js';
import type { Capture } from '../inventory/types.js';
import { Journal, type Run, type RunKind } from '../journal/journal.js';
import { chalkFor } from '../reporters/color.js';
import { createLineReporter } from '../reporters/line-reporter.js';
import { createNdjsonReporter } from '../reporters/ndjson.js';
import { writeReport } from '../reporters/report.js';
import { loadRunbook, type Runbook } from '../runbook/runbook.js';
import type { Site } from '../runbook/site.js';
import { createSitePool } from '../runbook/site-pool.js';
import type { Redactor } from '../transport/redact.js';
import type { AuditSink, HostPool } from '../transport/types.js';
import { failoverActions, hostsOutOfLockdown } from './actions.js';
import type { OtherJobs } from './vsc.js';
import { createFailoverContext, primaryVmsOf, type FailoverContext, type FailoverOptions } from './context.js';
import { situationLines } from './situation-text.js';
import { failoverReportSections } from './report-sections.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';
import { acquireSiteLock, assertSiteFree, type SiteLock } from '../session/site-lock.js';
import { resumeCommandLine } from '../session/locate.js';
import { outputLost, writable } from '../session/interrupt.js';

export type Renderer = 'tui' | 'plain' | 'json';

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

export interface FailoverSessionOptions extends SessionCommon {
  /** `--capture ID`; default: the site's latest capture. */
  captureId?: string | undefined;
  snapshot?: string | undefined;
  crashConsistent?: 'power-on' | 'skip' | undefined;
  unreachableHost?: 'skip' | 'stop' | undefined;
  /** `--ack-unknown-priority`: go on although a priority-group name is no captured VM. */
  ackUnknownPriority?: boolean | undefined;
  /** `--other-jobs`: VMs of the other VSC jobs get their folder restored, or run from a FlexClone. */
  otherJobs?: OtherJobs | undefined;
  /** Overrides of the timings (tests and the demo use short ones). */
  timing?: Partial<Pick<FailoverOptions, 'killVerifyMs' | 'heartbeatMs' | 'pollMs'>> | undefined;
}

export interface SessionResult {
  exitCode: ExitCode;
  runId: string;
  outcome: RunResult['outcome'];
  reportFiles: string[];
  hostsLeftOutOfLockdown: string[];
}

export type FailoverSessionResult = SessionResult;

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
  /** Every event of this run so far, prior attempts included. */
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
  /** Hosts the run sent a lockdown exit to (evidence from the events), re-entered or not. */
  hostsOutOfLockdown(context: C): string[];
  /** Default: the run report as `<kind>-<run>.{md,json,html}`. */
  writeReport?(dir: string, runId: string, events: readonly EngineEvent[], journal: Journal, redactor: Redactor): Promise<string[]>;
  /** The line printed when the run did not finish (default: how to resume it). */
  unfinishedHint?(runId: string): string;
  /** The preflight board as plain lines (default: the failover's). */
  formatSituation?(data: unknown): string[];
  /**
   * Read the site over the run's pool before anything is shown or done; an OperatorError refuses
   * the run in one line (exit 2) and a new run is recorded as aborted.
   */
  guard?(args: { pool: HostPool; journal: Journal; runId: string; resumed: boolean }): Promise<void>;
  /** The SSH pool of the run (default: the vSphere site's ESXi hosts and cluster). */
  createPool?(env: NodeJS.ProcessEnv, options: { audit: AuditSink; redactor: Redactor; perHostLimit: number }): HostPool;
}

export function defaultRunbookPath(): string {
  return fileURLToPath(new URL('../../runbooks/vsc-snapmirror-failover.yaml', import.meta.url));
}

/**
 * The capture a run recovers from: `id`, or the site's latest good one. A degraded capture (taken
 * after the disaster) is never the default, and a default with no VM of the primary volume is
 * refused: it would break and restore the mirror and bring nothing back. Naming it is the
 * operator's explicit choice.
 */
export function chooseCapture(journal: Journal, site: Site, id: string | undefined): Capture {
  const store = new CaptureStore(journal.db);
  const capture = id ? getCapture(journal.db, id) : latestCapture(journal.db, site.site);
  if (!capture) {
    const newest = id ? undefined : store.newest(site.site);
    if (newest?.degraded) {
      throw new OperatorError(
        `no good capture of site ${site.site}: the only one, ${newest.id} (${newest.takenAt}), is degraded (${newest.degraded.reason}) and has nothing to recover`,
        `find the capture taken before the outage (drbook inventory list) and pass --capture ID, or --capture ${newest.id} if you really mean it`,
      );
    }
    throw new OperatorError(
      id ? `no capture ${id} in the database` : `no capture of site ${site.site} in the database`,
      id ? 'drbook inventory show lists the captures' : `run drbook capture --site ${site.file} first (before the outage, on a schedule)`,
    );
  }
  if (capture.site !== site.site) throw new OperatorError(`capture ${capture.id} is of site ${capture.site}, not ${site.site}`);
  if (!id && primaryVmsOf(site, capture).length === 0) {
    throw new OperatorError(
      `capture ${capture.id} of site ${site.site} has no VM on ${site.relationship.source}: a failover from it would recover nothing`,
      `pass --capture ID with a capture taken before the outage (drbook inventory list), or --capture ${capture.id} if you really mean it`,
    );
  }
  return capture;
}

export async function runFailoverSession(o: FailoverSessionOptions): Promise<FailoverSessionResult> {
  let capture: Capture | undefined;
  return runSession<FailoverContext>(o, {
    kind: 'failover',
    runbookPath: defaultRunbookPath(),
    actions: failoverActions,
    prepare(journal, resumed) {
      const recorded = resumed?.options ?? {};
      capture = chooseCapture(journal, o.site, o.captureId ?? (recorded.captureId as string | undefined));
      return {
        captureId: capture.id,
        snapshot: o.snapshot ?? (recorded.snapshot as string | undefined),
        crashConsistent: o.crashConsistent ?? (recorded.crashConsistent as 'power-on' | 'skip' | undefined),
        unreachableHost: o.unreachableHost ?? (recorded.unreachableHost as 'skip' | 'stop' | undefined),
        ackUnknownPriority: o.ackUnknownPriority ?? (recorded.ackUnknownPriority as boolean | undefined),
        otherJobs: o.otherJobs ?? (recorded.otherJobs as OtherJobs | undefined),
      };
    },
    createContext: (a) =>
      createFailoverContext({
        site: o.site,
        capture: capture!,
        pool: a.pool,
        sink: a.sink,
        prompter: a.prompter,
        signal: a.signal,
        events: a.events,
        env: o.ctx.env,
        commandTimeoutMs: o.site.timeouts.commandSeconds * 1000,
        lang: o.lang,
        options: {
          snapshot: a.runOptions.snapshot as string | undefined,
          // No default: a run that cannot ask stops at the question unless the flag answers it.
          crashConsistent: a.runOptions.crashConsistent as 'power-on' | 'skip' | undefined,
          unreachableHost: a.runOptions.unreachableHost as 'skip' | 'stop' | undefined,
          ackUnknownPriority: a.runOptions.ackUnknownPriority === true,
          otherJobs: (a.runOptions.otherJobs as OtherJobs | undefined) ?? 'restore-file',
          killVerifyMs: o.timing?.killVerifyMs ?? o.site.timeouts.killVerifySeconds * 1000,
          heartbeatMs: o.timing?.heartbeatMs ?? o.site.timeouts.heartbeatSeconds * 1000,
          pollMs: o.timing?.pollMs ?? 1000,
        },
      }),
    hostsOutOfLockdown,
    guard: async ({ pool, journal, runId, resumed }) => {
      // A resumed run is the failover in progress: its preflight reads the site again instead.
      if (!resumed) await refuseFailedOverSite(o.site, pool, journal, runId, o.lang);
    },
    dispose: (context) => context.placement?.close() ?? Promise.resolve(),
    writeReport: (dir, runId, events, _journal, redactor) =>
      writeReport(dir, events, { formats: ['md', 'json', 'html'], basename: `failover-${runId}`, sections: failoverReportSections, lang: o.lang, redactor }),
  });
}

/**
 * A failover on a site that is already failed over would SnapRestore the mirror under the
 * recovered VMs: refused in one line saying what runs there since when, before anything is shown.
 */
async function refuseFailedOverSite(site: Site, pool: HostPool, journal: Journal, runId: string, lang: Lang): Promise<void> {
  // Only a broken-off mirror can be failed over: otherwise nothing more is read (a normal failover
  // sends the devices exactly what it sent before this guard existed).
  const { OntapOps } = await import('../adapters/ontap/ops.js');
  const ontap = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
  let rel;
  try {
    rel = (await ontap.relationships({ destination: site.relationship.destination })).find((r) => r.destination === site.relationship.destination);
  } catch {
    return; // the preflight reads it again and says what is wrong
  }
  // No relationship into the mirror: reprotect deleted it (the way back), or the site is not set up.
  if (rel && rel.state !== 'Broken-off') return;
  const { readSiteState } = await import('../site/read.js');
  const { state } = await readSiteState(site, pool, journal.db, { ignoreRun: runId });
  if (!['failed-over', 'reprotecting', 'reprotected', 'failing-back'].includes(state.state)) return;
  const m = failoverMessages(lang);
  const r = state.reason;
  const count =
    r.kind === 'failed-over' && r.evidence === 'devices'
      ? m.failedOverCount({ registered: r.registered, running: r.running })
      : m.failedOverHidden({ hosts: state.hiddenHosts.join(', ') });
  const since = state.since !== null && state.byRun ? m.sinceRun({ time: new Date(state.since).toISOString(), runId: state.byRun }) : m.sinceUnknown;
  throw new OperatorError(
    m.siteFailedOver({ site: site.site, count, datastore: site.datastores.mirror.name, since, file: site.file }),
    m.siteFailedOverHint({ file: site.file }),
  );
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
      if (resumed.kind === 'failover') {
        // A finished or superseded run is never resumed: it would act on a site that moved on.
        if (resumed.status === 'aborted') throw new OperatorError(`run ${resumed.id} was aborted (it never started)`, 'drbook runs lists the runs; drbook status --site FILE says where the site stands');
        const { supersededBy } = await import('../site/read.js');
        const later = supersededBy(journal.listRuns({ site: resumed.site }), resumed);
        if (later) throw new OperatorError(`run ${resumed.id} is superseded: failover ${later.id} of site ${resumed.site} finished after it`, `drbook report ${later.id} shows it; drbook status --site FILE says where the site stands`);
      }
      runId = resumed.id;
    } else {
      runId = '';
    }
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
      if (!resumed) journal.setRunStatus(runId, 'aborted');
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
  const events: EngineEvent[] = journal.events(runId).map((s) => s.event as unknown as EngineEvent);
  const priorEvents = events.length > 0 ? [...events] : undefined;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  let journalError: unknown;

  // The journal first: an event is durable before anyone sees it. A write that fails (full disk)
  // stops the run at the next safe point; what was written before stays.
  const journalSink: EventSink = {
    emit(e) {
      if (journalError) return;
      try {
        journal.append(runId, e as unknown as { type: string; at: number });
      } catch (err) {
        journalError = err;
        stop.abort(err);
      }
    },
  };
  const recorder: EventSink = { emit: (e) => void events.push(e) };

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
    commandStarted: (e) => journaled && commands.commandStarted(e),
    commandFinished: (e) => journaled && commands.commandFinished(e),
  };
  const poolOptions = { audit, redactor: ctx.redactor, perHostLimit: Math.min(8, site.concurrency.perHost + 2) };
  // Without its own pool a spec runs on a vSphere site (its ESXi hosts and cluster).
  const pool = spec.createPool ? spec.createPool(ctx.env, poolOptions) : createSitePool(site as unknown as Site, ctx.env, poolOptions);
  if (spec.guard) {
    try {
      await spec.guard({ pool, journal, runId, resumed: priorEvents !== undefined });
    } catch (err) {
      ctx.signal.removeEventListener('abort', onOuterAbort);
      await pool.close();
      if (!priorEvents && err instanceof OperatorError) journal.setRunStatus(runId, 'aborted');
      throw err;
    }
    journaled = true;
  }
  const view = await makeRenderer(o, spec, stop, priorEvents ?? []);
  viewSink = view.sink;
  const prompter = redactingPrompter(view.prompter, ctx.redactor);
  if (takenOver) {
    const lm = lifecycleMessages(o.lang);
    sink.emit({ type: 'note', at: Date.now(), level: 'warn', text: lm.lockTakenOver({ runId: takenOver.holder.runId, why: lm.staleWhy[takenOver.why] }) });
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
    });
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
    if (context !== undefined) await spec.dispose?.(context).catch(() => undefined);
    await pool.close();
  }
  if (journalError) result = { ...result, outcome: 'stopped', error: journalError };

  // Hosts still out of lockdown: every exit sent whose re-entry did not verify.
  const reentered = new Set(
    events.filter((e) => e.type === 'target.state' && e.stepId === 'lockdown-enter' && e.state === 'done' && e.stage === undefined).map((e) => (e as { targetId: string }).targetId.replace(/^host:/, '')),
  );
  const leftOut = spec.hostsOutOfLockdown(context).filter((h) => !reentered.has(h));

  if (!journalError) journal.setRunStatus(runId, result.outcome === 'done' ? 'done' : result.outcome === 'failed' ? 'failed' : 'stopped');
  const reportDir = o.reportDir ?? path.join(path.dirname(path.resolve(o.dbPath)), 'reports');
  let reportFiles: string[] = [];
  try {
    reportFiles = spec.writeReport
      ? await spec.writeReport(reportDir, runId, events, journal, ctx.redactor)
      : await writeReport(reportDir, events, { formats: ['md', 'json', 'html'], basename: `${spec.kind}-${runId}`, lang: o.lang, redactor: ctx.redactor });
  } catch (err) {
    ctx.stderr.write(`${ctx.redactor.redact(reportMessages(o.lang).sessionReportFailed({ error: describeError(err) }))}\n`);
  }
  await view.finish({ runId, outcome: result.outcome, reportFiles, leftOut, error: result.error });

  const exitCode: ExitCode =
    result.outcome === 'done' ? EXIT.ok : result.outcome === 'failed' ? EXIT.failed : result.error ? stoppedCode(result.error) : EXIT.stopped;
  return { exitCode, runId, outcome: result.outcome, reportFiles, hostsLeftOutOfLockdown: leftOut };
}

/** A stop caused by a missing flag is bad usage (2); any other stop is resumable (4). */
function stoppedCode(err: unknown): ExitCode {
  const code = exitCodeOf(err);
  return code === EXIT.usage ? EXIT.usage : EXIT.stopped;
}

interface View {
  sink: EventSink;
  prompter: Prompter;
  finish(r: { runId: string; outcome: string; reportFiles: string[]; leftOut: string[]; error: unknown }): Promise<void>;
}

async function makeRenderer<C>(o: SessionCommon<SessionSite>, spec: SessionSpec<C>, stop: AbortController, prior: readonly EngineEvent[]): Promise<View> {
  const { ctx } = o;
  const common = commonMessages(o.lang);
  const said = reportMessages(o.lang);
  const flagPrompter = createFlagPrompter({ confirm: o.confirm, ackManual: o.ackManual });
  // `errorSaid`: the plain lines already ended with the run's error (run.finished): say it once.
  const summary = (r: { runId: string; outcome: string; reportFiles: string[]; leftOut: string[]; error: unknown }, errorSaid = false): string[] => {
    const lines: string[] = [];
    if (r.error && r.outcome !== 'done' && !errorSaid) lines.push(`drbook: ${ctx.redactor.redact(describeError(r.error, o.lang))}`);
    lines.push(said.sessionOutcome({ runId: r.runId, outcome: said.outcome[r.outcome] ?? r.outcome }));
    // One file per line: paths are long, and a list of them wraps badly at 80 columns.
    const [first, ...others] = r.reportFiles;
    if (first !== undefined) {
      lines.push(said.sessionReport({ file: first }));
      const stem = first.replace(/\.[^./]+$/, '');
      const exts = others.map((f) => (f.startsWith(`${stem}.`) ? f.slice(stem.length) : undefined));
      if (exts.length > 0 && exts.every((e) => e !== undefined)) lines.push(`        ${said.sessionAlso({ exts: exts as string[] })}`);
      else for (const f of others) lines.push(`        ${f}`);
    }
    if (r.outcome !== 'done') {
      // The command as it works from anywhere: the site file, and the database when it is not beside it.
      const command = resumeCommandLine(r.runId, o.site.file, o.dbPath);
      lines.push(spec.unfinishedHint ? spec.unfinishedHint(r.runId) : o.resumeHint ? o.resumeHint(command) : lifecycleMessages(o.lang).resumeHint({ command }));
    }
    if (r.leftOut.length) lines.push(common.lockdownStillOff({ hosts: r.leftOut.join(', ') }));
    return lines;
  };

  // The closing lines go where someone still reads: stderr when stdout's reader is gone (`| head`).
  const say = (lines: string[], to: NodeJS.WritableStream): void => {
    const stream = writable(to) && !outputLost(ctx.signal) ? to : ctx.stderr;
    if (!writable(stream)) return;
    for (const l of lines) stream.write(`${l}\n`);
  };

  if (o.renderer === 'json') {
    return {
      sink: createNdjsonReporter((t) => void (!outputLost(ctx.signal) && ctx.stdout.write(t))),
      prompter: flagPrompter,
      async finish(r) {
        say(summary(r), ctx.stderr);
      },
    };
  }
  if (o.renderer === 'plain') {
    return {
      sink: createLineReporter({
        // The events are redacted already; the lines it derives from them (ages, counts) once more.
        write: (t) => void (!outputLost(ctx.signal) && ctx.stdout.write(ctx.redactor.redact(t))),
        chalk: chalkFor(ctx.env, Boolean(ctx.stdout.isTTY)),
        formatSituation: spec.formatSituation ?? ((d) => situationLines(d as never, Date.now(), o.lang)),
        lang: o.lang,
      }),
      prompter: flagPrompter,
      async finish(r) {
        // The plain lines ended with the error, unless nobody was reading them any more.
        say(summary(r, !outputLost(ctx.signal)), ctx.stdout);
      },
    };
  }

  // The terminal UI: loaded only here, so plain and JSON runs never load Ink or React.
  const [{ renderFailover }, { InkPrompter }, { createStore }, { foldEvents, reduce }] = await Promise.all([
    import('../ui/render-failover.js'),
    import('../ui/ink-prompter.js'),
    import('../ui/store.js'),
    import('../engine/view-model.js'),
  ]);
  // A resumed run shows what its earlier attempts did, not an empty screen.
  const store = createStore(foldEvents(prior));
  const prompter = new InkPrompter();
  const screen = renderFailover({
    viewModelStore: store,
    prompter,
    lang: o.lang,
    noColor: 'NO_COLOR' in ctx.env,
    stdout: ctx.stdout,
    stdin: ctx.stdin,
    stderr: ctx.stderr,
    onPause: () => stop.abort(new DrbookError(said.pausedByOperator)),
    onQuit: () => stop.abort(new DrbookError(said.stoppedByOperator)),
    resumeCommand: (runId) => resumeCommandLine(runId, o.site.file, o.dbPath),
  });
  return {
    sink: { emit: (e) => store.set(reduce(store.getSnapshot(), e)) },
    prompter,
    async finish(r) {
      // The finished screen stays until the operator leaves it (any key), then the summary prints.
      if (r.reportFiles[0]) screen.showReport?.(r.reportFiles[0]);
      // Interrupted from outside (SIGHUP: the terminal is gone; SIGTERM; EPIPE): nobody will press
      // a key, so the screen goes now.
      if (ctx.signal.aborted) screen.unmount();
      await screen.waitUntilExit();
      say(summary(r), ctx.stdout);
    },
  };
}
