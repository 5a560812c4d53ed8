/**
 * `drbook failover`, `drbook resume`, `drbook runs` and `drbook report`: the runbook and its
 * journal. Thin: the run itself is src/failover/session.ts; everything heavy is imported when the
 * command runs, never for `--help`.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { chooseRenderer } from '../session/renderer.js';
import { dbOption, langOption, siteOption } from './options.js';
import type { DbLocation } from '../session/locate.js';
import type { Lang } from '../i18n/lang.js';
import { stringifyWithIsoTimes } from '../reporters/json-times.js';

type SetRunner = (r: (ctx: CommandContext) => Promise<ExitCode>) => void;

interface RunFlags {
  site?: string | undefined;
  db?: string | undefined;
  plain?: boolean | undefined;
  json?: boolean | undefined;
  confirm?: string | undefined;
  ackManual?: boolean | undefined;
  crashConsistent?: 'power-on' | 'skip' | undefined;
  unreachableHost?: 'skip' | 'stop' | undefined;
  onVmFailure?: 'skip' | 'abort' | undefined;
  ackUnknownPriority?: boolean | undefined;
  otherJobs?: 'restore-file' | 'flexclone' | undefined;
  reportDir?: string | undefined;
  lang?: string | undefined;
}

interface FailoverFlags extends RunFlags {
  site: string;
  abandon?: string | undefined;
  capture?: string | undefined;
  snapshot?: string | undefined;
}

async function langOf(ctx: CommandContext, flag: string | undefined) {
  const { detectLang } = await import('../i18n/lang.js');
  try {
    return detectLang(ctx.env, flag);
  } catch (err) {
    throw new OperatorError((err as Error).message);
  }
}

function addRunFlags(cmd: Command): Command {
  return cmd
    .addOption(dbOption())
    .option('--plain', 'line-by-line output instead of the terminal UI (also when not on a terminal)')
    .option('--json', 'NDJSON events on stdout')
    .option('--confirm <destination>', 'non-interactive: confirms the break and the SnapRestore when it equals the destination svm:volume')
    .option('--ack-manual', 'non-interactive: acknowledge the manual steps (the vCenter restore)')
    .option('--ack-unknown-priority', 'go on although a priority group names a VM that is not in the capture')
    .addOption(
      new Option(
        '--crash-consistent <what>',
        'non-interactive: a VM without a quiesce point is powered on or skipped (without it the run stops there)',
      ).choices(['power-on', 'skip']),
    )
    .addOption(
      new Option(
        '--unreachable-host <what>',
        'non-interactive: a VM whose recorded host cannot be reached is skipped (resume brings it up later), or the run stops (without it the run stops there)',
      ).choices(['skip', 'stop']),
    )
    .addOption(
      new Option(
        '--on-vm-failure <what>',
        'non-interactive: after a VM (or host) failed, skip it and go on, or stop the run (without it the run stops there)',
      ).choices(['skip', 'abort']),
    )
    .addOption(
      new Option(
        '--other-jobs <how>',
        "VMs whose quiesce point is in another VSC job's snapshot: restore their folder, or run them from a FlexClone of it",
      ).choices(['restore-file', 'flexclone']),
    )
    .option('--report-dir <dir>', 'where the report goes (default: reports/ beside the database)')
    .addOption(langOption());
}

/** Imported when a command runs: it reads YAML (a site given by name), never needed for `--help`. */
async function siteArg() {
  return (await import('./site-arg.js')).readSiteArg;
}

/**
 * A failover or a resume. `resumed`: the run picked from the database it was found in (which stays
 * the database, even when the run's site file would put it elsewhere).
 */
async function runSession(
  ctx: CommandContext,
  f: FailoverFlags | RunFlags,
  resumed?: { id: string; siteFile: string; db: string },
): Promise<ExitCode> {
  const { loadSite } = await import('../runbook/site.js');
  const { runFailoverSession } = await import('../failover/session.js');
  const { refuseLegacyShadow } = await import('../session/locate.js');
  const lang = await langOf(ctx, f.lang);
  let siteFile: string;
  let dbPath: string;
  if (resumed) {
    siteFile = f.site !== undefined ? (await siteArg())(ctx, f, true, lang).file! : resumed.siteFile;
    dbPath = resumed.db;
  } else {
    const where = (await siteArg())(ctx, f, true, lang);
    refuseLegacyShadow(where.db, ctx.cwd, lang);
    siteFile = where.file!;
    dbPath = where.db.file;
  }
  const { loadAnySite } = await import('../runbook/site.js');
  const any = loadAnySite(path.resolve(ctx.cwd, siteFile));
  if (any.kind === 'hyperv') {
    // A Hyper-V site: runbooks/hyperv-recovery.yaml; --confirm takes the cluster's name.
    const { runHypervRecovery } = await import('../hyperv/session.js');
    const r = await runHypervRecovery({
      ctx,
      site: any.site,
      dbPath,
      renderer: chooseRenderer(ctx, f),
      lang,
      captureId: 'capture' in f ? f.capture : undefined,
      resumeRunId: resumed?.id,
      abandonRunId: 'abandon' in f ? f.abandon : undefined,
      confirm: f.confirm,
      ackManual: f.ackManual,
      onVmFailure: f.onVmFailure,
      reportDir: f.reportDir ? path.resolve(ctx.cwd, f.reportDir) : undefined,
    });
    return r.exitCode;
  }
  const site = loadSite(path.resolve(ctx.cwd, siteFile));
  const r = await runFailoverSession({
    ctx,
    site,
    dbPath,
    renderer: chooseRenderer(ctx, f),
    lang,
    captureId: 'capture' in f ? f.capture : undefined,
    snapshot: 'snapshot' in f ? f.snapshot : undefined,
    resumeRunId: resumed?.id,
    abandonRunId: 'abandon' in f ? f.abandon : undefined,
    confirm: f.confirm,
    ackManual: f.ackManual,
    crashConsistent: f.crashConsistent,
    unreachableHost: f.unreachableHost,
    onVmFailure: f.onVmFailure,
    ackUnknownPriority: f.ackUnknownPriority,
    otherJobs: f.otherJobs,
    reportDir: f.reportDir ? path.resolve(ctx.cwd, f.reportDir) : undefined,
  });
  return r.exitCode;
}

/**
 * The run `drbook resume` continues. Named: that run (runSession refuses a finished or superseded
 * one). Not named: only when exactly one failover (of `--site`, when given) is unfinished and not
 * superseded; several are listed and refused, so a forgotten run is never picked by accident.
 * A resume writes: an existing database of an older schema is upgraded here; a resume that finds
 * no database creates none.
 */
async function pickRun(
  ctx: CommandContext,
  f: RunFlags,
  requested: string | undefined,
): Promise<{ id: string; kind: string; siteFile: string; db: string }> {
  const lang = await langOf(ctx, f.lang);
  const where = (await siteArg())(ctx, f, false, lang);
  const { resumableFailovers } = await import('../site/read.js');
  const j = await openExistingJournal(where.db, lang);
  const siteName = where.name ?? (where.file ? (await import('../runbook/site.js')).loadAnySite(where.file).site.site : undefined);
  try {
    if (requested) {
      const run = j.getRun(requested);
      if (!run) throw new OperatorError(`no run ${requested} in ${where.db.file}`, 'drbook runs lists them');
      return { id: run.id, kind: run.kind, siteFile: run.siteFile, db: where.db.file };
    }
    const runs = j.listRuns(siteName ? { site: siteName } : {});
    // Failovers and the way back (reprotect, failback) resume; an interrupted drill is cleaned up (drbook drill cleanup).
    const { unfinishedOf } = await import('../site/read.js');
    const open = [...new Set(runs.map((r) => r.site))].flatMap((s) => {
      const mine = runs.filter((r) => r.site === s);
      const wayBack = (['reprotect', 'failback'] as const).map((k) => unfinishedOf(mine, k)?.id).filter((id) => id !== undefined);
      return [...resumableFailovers(mine), ...mine.filter((r) => wayBack.includes(r.id))];
    });
    if (open.length === 0) {
      throw new OperatorError(
        `no unfinished failover to resume in ${where.db.file}`,
        'drbook runs lists the runs; an interrupted drill is removed with drbook drill cleanup',
      );
    }
    if (open.length > 1) {
      const list = open.map((r) => `${r.id} (${r.site}, ${r.status}, started ${new Date(r.createdAt).toISOString()})`).join('; ');
      throw new OperatorError(`${open.length} unfinished failovers: ${list}`, 'name the one to continue: drbook resume RUN');
    }
    return { id: open[0]!.id, kind: open[0]!.kind, siteFile: open[0]!.siteFile, db: where.db.file };
  } finally {
    j.close();
  }
}

/** A read-only command's journal: never created; when there is none, the error says where it looked. */
async function openJournalReadOnly(loc: DbLocation, lang: Lang) {
  const { requireExistingDb } = await import('../session/locate.js');
  const { Journal } = await import('../journal/journal.js');
  return Journal.open(requireExistingDb(loc, lang), { readonly: true });
}

/** A writing command's journal that must already exist (upgraded to this drbook's schema on open). */
async function openExistingJournal(loc: DbLocation, lang: Lang) {
  const { requireExistingDb } = await import('../session/locate.js');
  const { Journal } = await import('../journal/journal.js');
  return Journal.open(requireExistingDb(loc, lang));
}

export function registerFailover(program: Command, setRunner: SetRunner): void {
  addRunFlags(
    program
      .command('failover')
      .description('fail the site over to its SnapMirror copy at the VSC quiesce point (the runbook)')
      .addOption(siteOption({ required: true }))
      .option('--capture <id>', 'the capture to recover from (default: the latest of the site)')
      .option('--snapshot <name>', 'the smvi__ snapshot to restore to (default: the one that brings the most VMs back quiesced)')
      .option(
        '--abandon <run>',
        'set aside the unfinished failover RUN (of an earlier outage, finished by hand): marked aborted, never resumed',
      ),
  )
    .addHelpText(
      'after',
      '\nOn a terminal: the interactive screen. Otherwise (or with --plain/--json) it never prompts:\n' +
        'pass --confirm svm:volume (the destination) for the break and the SnapRestore, and --ack-manual\n' +
        'for the vCenter restore, or the run stops there and `drbook resume` continues it.\n' +
        'Exit: 0 done; 1 failed; 2 bad usage, a missing confirmation, or refused (journaled refused);\n' +
        '4 stopped (resumable).',
    )
    .action((opts: FailoverFlags) => setRunner((ctx) => runSession(ctx, opts)));

  addRunFlags(
    program
      .command('resume')
      .description('continue an interrupted run; every in-doubt action is re-checked on the devices first')
      .argument('[run]', 'the run id (default: the one unfinished failover; refused when there are several)')
      .addOption(siteOption({ what: 'the site file or name: its database, and the site file to use (default: the one the run used)' }))
      .addHelpText(
        'after',
        '\nExit: 0 done; 1 failed; 2 bad usage, a missing confirmation, or several unfinished runs; 4 stopped again (resumable).',
      ),
  ).action((run: string | undefined, opts: RunFlags) =>
    setRunner(async (ctx) => {
      const picked = await pickRun(ctx, opts, run);
      if (picked.kind === 'reprotect' || picked.kind === 'failback') return (await import('./wayback.js')).resumeWayBack(ctx, opts, picked);
      if (picked.kind !== 'failover') {
        throw new OperatorError(
          `run ${picked.id} is a ${picked.kind}`,
          `an interrupted drill is not resumed: drbook drill cleanup ${picked.id} removes what it left`,
        );
      }
      return runSession(ctx, opts, picked);
    }),
  );

  program
    .command('runs')
    .description('list the runs in the journal')
    .addOption(siteOption({ what: 'only this site: its file (the database is beside it) or its name' }))
    .addOption(dbOption())
    .option('--json', 'JSON output')
    .addOption(langOption({ json: true }))
    .addHelpText('after', '\nExit: 0 listed (also none); 2 no database where it looked (the message says where), or bad input.')
    .action((opts: { site?: string; db?: string; json?: boolean; lang?: string }) =>
      setRunner(async (ctx) => {
        const lang = await langOf(ctx, opts.lang);
        const where = (await siteArg())(ctx, opts, false, lang);
        const siteName = where.name ?? (where.file ? (await import('../runbook/site.js')).loadAnySite(where.file).site.site : undefined);
        const j = await openJournalReadOnly(where.db, lang);
        try {
          const runs = j.listRuns(siteName ? { site: siteName } : {});
          if (opts.json) {
            ctx.stdout.write(`${stringifyWithIsoTimes(runs, 2)}\n`);
          } else {
            const { commandMessages } = await import('../i18n/commands.js');
            const m = commandMessages(lang);
            if (runs.length === 0) ctx.stdout.write(`${m.noRuns}\n`);
            else {
              // Padded by display width: kind and status words may be Japanese (two cells per character).
              const { maxCells, padCells } = await import('../text/table.js');
              const rows = runs.map((r) => ({ r, kind: m.runKind[r.kind] ?? r.kind, status: m.runStatus[r.status] ?? r.status }));
              const kindW = maxCells(
                rows.map((x) => x.kind),
                8,
              );
              const statusW = maxCells(
                rows.map((x) => x.status),
                8,
              );
              for (const { r, kind, status } of rows) {
                ctx.stdout.write(
                  `${r.id}  ${padCells(kind, kindW)} ${padCells(status, statusW)} ${r.site}  ${new Date(r.createdAt).toISOString()}\n`,
                );
              }
            }
          }
          return EXIT.ok;
        } finally {
          j.close();
        }
      }),
    );

  program
    .command('report')
    .description("write a run's report from its journal (every step, VM, command and confirmation)")
    .argument('<run>', 'the run id or a unique prefix of it (drbook runs lists them)')
    .addOption(new Option('--format <format>', 'md, html or json').choices(['md', 'html', 'json']).default('md'))
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .addOption(siteOption({ what: 'the site file or name whose database holds the run' }))
    .addOption(dbOption())
    .addOption(langOption({ json: true }))
    .addHelpText('after', '\nExit: 0 the report was written; 2 no such run, or bad input.')
    .action((run: string, opts: { format: 'md' | 'html' | 'json'; out?: string; site?: string; db?: string; lang?: string }) =>
      setRunner(async (ctx) => {
        const lang = await langOf(ctx, opts.lang);
        const { reportChunks, streamedReport } = await import('../reporters/report.js');
        const { DecisionEvents } = await import('../engine/decision-events.js');
        const j = await openJournalReadOnly((await siteArg())(ctx, opts, false, lang).db, lang);
        try {
          const found = j.findRun(run);
          if (!found) throw new OperatorError(`no run ${run}`, 'drbook runs lists them');
          // What the sections decide from, as the run itself kept it; the commands stream from the
          // journal as the report is written, so a 2,000-VM run's report is never held whole.
          const decisions = new DecisionEvents(j.streamRunEvents(found.id)).list;
          let chunks: Iterable<string>;
          if (found.kind === 'drill') {
            // A drill's report: its recovery time, per-VM results and trend, then the run.
            const { drillReport, drillReportChunks } = await import('../drill/report.js');
            chunks = drillReportChunks(drillReport(found.id, decisions, j), opts.format, lang);
          } else {
            // Each runbook's own sections: the Hyper-V recovery's board, or the failover's situation and recovery points.
            const sections =
              found.runbook === 'hyperv-recovery'
                ? (await import('../hyperv/board.js')).hypervReportSections
                : (await import('../failover/report-sections.js')).failoverReportSections;
            const report = streamedReport((part) => j.streamRunEvents(found.id, part), {
              sections: sections(decisions, lang),
              refused: found.status === 'refused',
            });
            chunks = reportChunks(report, opts.format, lang);
          }
          if (opts.out) {
            const { writeFileAtomicChunks } = await import('../files/atomic-write.js');
            const file = path.resolve(ctx.cwd, opts.out);
            writeFileAtomicChunks(file, chunks);
            const { reportMessages } = await import('../i18n/report.js');
            ctx.stdout.write(`${reportMessages(lang).reportWritten({ file })}\n`);
          } else {
            const { writeStreamChunks } = await import('../files/write-stream.js');
            const { writable } = await import('../session/interrupt.js');
            if ((await writeStreamChunks(ctx.stdout, chunks)) !== '\n' && writable(ctx.stdout)) ctx.stdout.write('\n');
          }
        } finally {
          j.close();
        }
        return EXIT.ok;
      }),
    );
}
