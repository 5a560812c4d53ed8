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
import type { EngineEvent } from '../engine/events.js';
import { createFlagPrompter, fanOut, type EventSink, type Prompter } from '../engine/ports.js';
import { runRunbook, type ActionRegistry, type RunResult } from '../engine/runner.js';
import { DrbookError, EXIT, OperatorError, describeError, exitCodeOf, type ExitCode } from '../errors.js';
import { commonMessages } from '../i18n/common.js';
import type { Lang } from '../i18n/lang.js';
import { reportMessages } from '../i18n/report.js';
import { getCapture, latestCapture } from '../inventory/store.js';
import type { Capture } from '../inventory/types.js';
import { Journal, type Run, type RunKind } from '../journal/journal.js';
import { chalkFor } from '../reporters/color.js';
import { createLineReporter } from '../reporters/line-reporter.js';
import { createNdjsonReporter } from '../reporters/ndjson.js';
import { writeReport } from '../reporters/report.js';
import { loadRunbook, type Runbook } from '../runbook/runbook.js';
import type { Site } from '../runbook/site.js';
import { createSitePool } from '../runbook/site-pool.js';
import type { HostPool } from '../transport/types.js';
import { failoverActions, hostsOutOfLockdown } from './actions.js';
import type { OtherJobs } from './vsc.js';
import { createFailoverContext, type FailoverContext, type FailoverOptions } from './context.js';
import { situationLines } from './situation-text.js';
import { failoverReportSections } from './report-sections.js';

export type Renderer = 'tui' | 'plain' | 'json';

/** What every run session needs, whatever runbook it runs (failover, drill, drill cleanup). */
export interface SessionCommon {
  ctx: CommandContext;
  site: Site;
  dbPath: string;
  renderer: Renderer;
  lang: Lang;
  /** Continue this run instead of starting one. */
  resumeRunId?: string | undefined;
  confirm?: string | undefined;
  ackManual?: boolean | undefined;
  /** Where reports go; default: `reports/` beside the database. */
  reportDir?: string | undefined;
}

export interface FailoverSessionOptions extends SessionCommon {
  /** `--capture ID`; default: the site's latest capture. */
  captureId?: string | undefined;
  snapshot?: string | undefined;
  crashConsistent?: 'power-on' | 'skip' | undefined;
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
  /** Hosts the run sent a lockdown exit to (evidence from the events), re-entered or not. */
  hostsOutOfLockdown(context: C): string[];
  /** Default: the run report as `<kind>-<run>.{md,json,html}`. */
  writeReport?(dir: string, runId: string, events: readonly EngineEvent[], journal: Journal): Promise<string[]>;
  /** The line printed when the run did not finish (default: how to resume it). */
  unfinishedHint?(runId: string): string;
  /** The preflight board as plain lines (default: the failover's). */
  formatSituation?(data: unknown): string[];
}

export function defaultRunbookPath(): string {
  return fileURLToPath(new URL('../../runbooks/vsc-snapmirror-failover.yaml', import.meta.url));
}

/** The capture a run recovers from: `id`, or the site's latest. */
export function chooseCapture(journal: Journal, site: Site, id: string | undefined): Capture {
  const capture = id ? getCapture(journal.db, id) : latestCapture(journal.db, site.site);
  if (!capture) {
    throw new OperatorError(
      id ? `no capture ${id} in the database` : `no capture of site ${site.site} in the database`,
      id ? 'drbook inventory show lists the captures' : `run drbook capture --site ${site.file} first (before the outage, on a schedule)`,
    );
  }
  if (capture.site !== site.site) throw new OperatorError(`capture ${capture.id} is of site ${capture.site}, not ${site.site}`);
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
        commandTimeoutMs: o.site.timeouts.commandSeconds * 1000,
        lang: o.lang,
        options: {
          snapshot: a.runOptions.snapshot as string | undefined,
          crashConsistent: (a.runOptions.crashConsistent as 'power-on' | 'skip' | undefined) ?? 'power-on',
          ackUnknownPriority: a.runOptions.ackUnknownPriority === true,
          otherJobs: (a.runOptions.otherJobs as OtherJobs | undefined) ?? 'restore-file',
          killVerifyMs: o.timing?.killVerifyMs ?? o.site.timeouts.killVerifySeconds * 1000,
          heartbeatMs: o.timing?.heartbeatMs ?? o.site.timeouts.heartbeatSeconds * 1000,
          pollMs: o.timing?.pollMs ?? 1000,
        },
      }),
    hostsOutOfLockdown,
    writeReport: (dir, runId, events) =>
      writeReport(dir, events, { formats: ['md', 'json', 'html'], basename: `failover-${runId}`, sections: failoverReportSections, lang: o.lang }),
  });
}

/** One run of a runbook under the site lock, journaled, rendered and reported. */
export async function runSession<C>(o: SessionCommon, spec: SessionSpec<C>): Promise<SessionResult> {
  const { site } = o;
  const runbook = loadRunbook(spec.runbookPath);
  const journal = Journal.open(o.dbPath);
  try {
    let runId: string;
    let resumed: Run | undefined;
    if (o.resumeRunId) {
      resumed = journal.getRun(o.resumeRunId);
      if (!resumed) throw new OperatorError(`no run ${o.resumeRunId} in ${o.dbPath}`, 'drbook runs lists them');
      if (resumed.status === 'done') throw new OperatorError(`run ${resumed.id} is already done`, `drbook report ${resumed.id} shows it`);
      runId = resumed.id;
    } else {
      runId = '';
    }
    const options = spec.prepare(journal, resumed);
    if (!resumed) {
      runId = journal.createRun({ site: site.site, kind: spec.kind, runbook: runbook.name, siteFile: site.file, options });
    }
    let lock;
    try {
      lock = journal.acquireLock(site.site, runId, { pid: process.pid, hostname: hostname(), kind: spec.kind });
    } catch (err) {
      // Refused (another run holds the site): the run never started; it must not look active.
      if (!resumed) journal.setRunStatus(runId, 'aborted');
      throw err;
    }
    journal.setRunStatus(runId, 'active');
    try {
      return await runLocked(o, spec, runbook, journal, runId, options, lock.takenOver?.runId);
    } finally {
      journal.releaseLock(site.site, runId);
    }
  } finally {
    journal.close();
  }
}

async function runLocked<C>(
  o: SessionCommon,
  spec: SessionSpec<C>,
  runbook: Runbook,
  journal: Journal,
  runId: string,
  runOptions: Record<string, unknown>,
  takenOverFrom: string | undefined,
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

  const view = await makeRenderer(o, spec, stop, priorEvents ?? []);
  const sink = fanOut(journalSink, recorder, view.sink);
  if (takenOverFrom && takenOverFrom !== runId) {
    sink.emit({ type: 'note', at: Date.now(), level: 'warn', text: reportMessages(o.lang).lockTakenOver({ runId: takenOverFrom }) });
  }

  // Pinned keys only during a run (no unknown-key prompt): `drbook init` pins them.
  const pool = createSitePool(site, ctx.env, { audit: auditToEvents(sink), perHostLimit: Math.min(8, site.concurrency.perHost + 2) });
  let context: C | undefined;
  let result: RunResult;
  try {
    context = spec.createContext({ journal, runId, runOptions, pool, sink, prompter: view.prompter, signal: stop.signal, events: () => events });
    result = await runRunbook({
      runbook,
      actions: spec.actions,
      context,
      sink,
      prompter: view.prompter,
      runId,
      site: site.site,
      limits: { perHost: site.concurrency.perHost, hosts: site.concurrency.hosts },
      signal: stop.signal,
      priorEvents,
    });
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
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
      ? await spec.writeReport(reportDir, runId, events, journal)
      : await writeReport(reportDir, events, { formats: ['md', 'json', 'html'], basename: `${spec.kind}-${runId}`, lang: o.lang });
  } catch (err) {
    ctx.stderr.write(`${reportMessages(o.lang).sessionReportFailed({ error: describeError(err) })}\n`);
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

async function makeRenderer<C>(o: SessionCommon, spec: SessionSpec<C>, stop: AbortController, prior: readonly EngineEvent[]): Promise<View> {
  const { ctx } = o;
  const common = commonMessages(o.lang);
  const said = reportMessages(o.lang);
  const flagPrompter = createFlagPrompter({ confirm: o.confirm, ackManual: o.ackManual });
  // `errorSaid`: the plain lines already ended with the run's error (run.finished): say it once.
  const summary = (r: { runId: string; outcome: string; reportFiles: string[]; leftOut: string[]; error: unknown }, errorSaid = false): string[] => {
    const lines: string[] = [];
    if (r.error && r.outcome !== 'done' && !errorSaid) lines.push(`drbook: ${describeError(r.error, o.lang)}`);
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
    if (r.outcome !== 'done') lines.push(spec.unfinishedHint ? spec.unfinishedHint(r.runId) : common.resumeHint({ runId: r.runId }));
    if (r.leftOut.length) lines.push(common.lockdownStillOff({ hosts: r.leftOut.join(', ') }));
    return lines;
  };

  if (o.renderer === 'json') {
    return {
      sink: createNdjsonReporter((t) => ctx.stdout.write(t)),
      prompter: flagPrompter,
      async finish(r) {
        for (const l of summary(r)) ctx.stderr.write(`${l}\n`);
      },
    };
  }
  if (o.renderer === 'plain') {
    return {
      sink: createLineReporter({
        write: (t) => ctx.stdout.write(t),
        chalk: chalkFor(ctx.env, Boolean(ctx.stdout.isTTY)),
        formatSituation: spec.formatSituation ?? ((d) => situationLines(d as never, Date.now(), o.lang)),
        lang: o.lang,
      }),
      prompter: flagPrompter,
      async finish(r) {
        for (const l of summary(r, true)) ctx.stdout.write(`${l}\n`);
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
  });
  return {
    sink: { emit: (e) => store.set(reduce(store.getSnapshot(), e)) },
    prompter,
    async finish(r) {
      // The finished screen stays until the operator leaves it (any key), then the summary prints.
      if (r.reportFiles[0]) screen.showReport?.(r.reportFiles[0]);
      await screen.waitUntilExit();
      for (const l of summary(r)) ctx.stdout.write(`${l}\n`);
    },
  };
}
