/** The run's renderer (terminal UI, plain lines, NDJSON) and what it says when the run ends. */
import { createFlagPrompter, type EventSink, type Prompter } from '../engine/ports.js';
import type { EngineEvent } from '../engine/events.js';
import { DrbookError, StoppedError, describeError } from '../errors.js';
import { commonMessages } from '../i18n/common.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';
import { reportMessages } from '../i18n/report.js';
import { chalkFor } from '../reporters/color.js';
import { createLineReporter } from '../reporters/line-reporter.js';
import { createNdjsonReporter } from '../reporters/ndjson.js';
import { outputLost, writable } from './interrupt.js';
import { resumeCommandLine } from './locate.js';
import { isBoard } from '../runbook/board.js';
import type { SessionCommon, SessionSite, SessionSpec } from './run.js';

export interface View {
  sink: EventSink;
  prompter: Prompter;
  finish(r: { runId: string; outcome: string; reportFiles: string[]; leftOut: string[]; error: unknown }): Promise<void>;
}

/**
 * The renderer of a run: where its events are shown, who answers its confirmations, and the
 * closing lines. The terminal UI is loaded only here, so plain and JSON runs never load Ink.
 */
export async function openView<C>(
  o: SessionCommon<SessionSite>,
  spec: SessionSpec<C>,
  stop: AbortController,
  /** The earlier attempts' events: read only by the terminal UI. */
  prior: Iterable<EngineEvent>,
): Promise<View> {
  const { ctx } = o;
  const common = commonMessages(o.lang);
  const said = reportMessages(o.lang);
  const flagPrompter = createFlagPrompter({ confirm: o.confirm, ackManual: o.ackManual });
  // `errorSaid`: the plain lines already ended with the run's error (run.finished): say it once.
  const summary = (
    r: { runId: string; outcome: string; reportFiles: string[]; leftOut: string[]; error: unknown },
    errorSaid = false,
  ): string[] => {
    const lines: string[] = [];
    if (r.error && r.outcome !== 'done' && !errorSaid) lines.push(`drbook: ${ctx.redactor.redact(describeError(r.error, o.lang))}`);
    lines.push(said.sessionOutcome({ runId: r.runId, outcome: said.outcome[r.outcome] ?? r.outcome }));
    // One file per line: paths are long, and a list of them wraps badly at 80 columns.
    const [first, ...others] = r.reportFiles;
    if (first !== undefined) {
      lines.push(said.sessionReport({ file: first }));
      const stem = first.replace(/\.[^./]+$/, '');
      const exts = others.map((f) => (f.startsWith(`${stem}.`) ? f.slice(stem.length) : undefined));
      if (exts.length > 0 && exts.every((e) => e !== undefined)) lines.push(`        ${said.sessionAlso({ exts })}`);
      else for (const f of others) lines.push(`        ${f}`);
    }
    if (r.outcome !== 'done' && r.outcome !== 'refused') {
      // The command as it works from anywhere: the site file, and the database when it is not beside it.
      // With the flags the stop named (--ack-manual): the line is copied as it is, at 3 a.m.
      const command = resumeCommandLine(r.runId, o.site.file, o.dbPath, r.error instanceof StoppedError ? r.error.resumeWith : []);
      lines.push(
        spec.unfinishedHint
          ? spec.unfinishedHint(r.runId)
          : o.resumeHint
            ? o.resumeHint(command)
            : lifecycleMessages(o.lang).resumeHint({ command }),
      );
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
        formatSituation: (data) => (isBoard(data) ? spec.formatSituation(data) : []),
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
    formatBoard: (board) => spec.formatSituation(board),
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
