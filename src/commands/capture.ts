/**
 * `drbook capture --site FILE [--db PATH] [--json] [--out DIR] [--no-export]`: record the site's
 * inventory and the backup-coverage audit, non-interactively (cron-friendly).
 * Exit 0: clean; 3: finished with findings; 1: the capture could not be made, or it is degraded
 * (taken after the disaster: stored for the record, never the failover's default); 2: bad input.
 * SSH, SQLite and the collectors are imported only when the command runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import type { Capture } from '../inventory/types.js';
import type { Lang } from '../i18n/lang.js';
import type { Site } from '../runbook/site.js';
import type { AuditSink } from '../transport/types.js';
import type { EngineEvent } from '../engine/events.js';
import type { ProgressScreenData } from '../ui/types.js';
import type { CommandContext } from './context.js';
import { canUseTerminalUi } from './terminal.js';
import { dbOption, langOption, siteOption } from './options.js';
import { stringifyWithIsoTimes } from '../reporters/json-times.js';

export interface CaptureArgs {
  site: string;
  db?: string | undefined;
  json?: boolean | undefined;
  out?: string | undefined;
  export?: boolean | undefined;
  lang?: string | undefined;
}

function drbookVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function runCapture(ctx: CommandContext, args: CaptureArgs): Promise<ExitCode> {
  const { commandLang } = await import('../i18n/lang.js');
  const lang = await commandLang(ctx.env, args.lang);
  const { loadAnySite } = await import('../runbook/site.js');
  const { openDatabase } = await import('../journal/db.js');
  const { readSiteArg } = await import('./site-arg.js');
  const { refuseLegacyShadow } = await import('../session/locate.js');
  const { CaptureStore } = await import('../inventory/store.js');
  const { collectCapture } = await import('../inventory/collect.js');
  const { exportCapture, siteExportDir } = await import('../inventory/export.js');
  const { createSitePool } = await import('../runbook/site-pool.js');
  const { redactCapture } = await import('../inventory/redact-capture.js');

  const where = readSiteArg(ctx, args, true, lang);
  const any = loadAnySite(path.resolve(ctx.cwd, where.file!));
  if (any.kind === 'hyperv')
    return (await import('../hyperv/capture-command.js')).runHypervCapture(ctx, { ...args, db: where.db.file }, any.site);
  // Parsed once: a 2,000-VM site file takes YAML about half a second.
  const site = any.site;
  refuseLegacyShadow(where.db, ctx.cwd, lang);
  const dbFile = where.db.file;
  const db = openDatabase(dbFile);
  try {
    const store = new CaptureStore(db);
    const previous = store.latest(site.site);
    // On a terminal (and not --json): the progress screen, per host, fed by the commands the pool sends.
    const screen = canUseTerminalUi(ctx) && !args.json ? await captureScreen(ctx, site, lang) : undefined;
    const pool = createSitePool(site, ctx.env, { redactor: ctx.redactor, ...(screen ? { audit: screen.audit } : {}) });
    let capture;
    try {
      // Stored, exported and shown redacted; collected from the raw output.
      capture = redactCapture(
        await collectCapture({ site, pool, previous, drbookVersion: drbookVersion(), signal: ctx.signal, env: ctx.env }),
        ctx.redactor,
      );
    } catch (err) {
      screen?.unmount();
      throw err;
    } finally {
      await pool.close();
    }
    // After the disaster the capture records what is left: kept, marked, never the default.
    const { degradation, markDegraded } = await import('../inventory/degraded.js');
    const degraded = degradation(site, capture, previous);
    if (degraded) capture = markDegraded(capture, degraded);
    store.save(capture);
    const files =
      args.export === false
        ? null
        : exportCapture(capture, args.out !== undefined ? path.resolve(ctx.cwd, args.out) : siteExportDir(path.dirname(dbFile), site.site));

    const findings = capture.audit.findings;
    const unreachable = capture.hosts.filter((h) => !h.reachable).length;
    if (args.json) {
      ctx.stdout.write(
        `${stringifyWithIsoTimes(
          {
            id: capture.id,
            site: capture.site,
            takenAt: capture.takenAt,
            vms: capture.vms.length,
            hosts: capture.hosts.length,
            unreachableHosts: unreachable,
            findings,
            degraded: capture.degraded ?? null,
            files,
          },
          2,
        )}\n`,
      );
    } else if (screen) {
      const { commandMessages, findingText } = await import('../i18n/commands.js');
      const m = commandMessages(lang);
      await screen.finish(capture, (f) => findingText(m, f));
      if (files)
        ctx.stdout.write(`${(capture.degraded ? m.captureWrittenDegraded : m.captureWritten)({ yaml: files.yaml, csv: files.csv })}\n`);
    } else {
      const { commandMessages, findingText } = await import('../i18n/commands.js');
      const { maxCells, padCells } = await import('../text/table.js');
      const { maskControl } = await import('../text/control.js');
      const m = commandMessages(lang);
      const counts = {
        id: capture.id,
        site: capture.site,
        vms: capture.vms.length,
        hosts: capture.hosts.length,
        findings: findings.length,
      };
      ctx.stdout.write(`${unreachable ? m.captureSummaryUnreachable({ ...counts, unreachable }) : m.captureSummary(counts)}\n`);
      // Padded by display width: a Japanese severity word takes two cells per character.
      const sevWidth = maxCells(
        findings.map((f) => m.severity[f.severity]),
        7,
      );
      for (const f of findings) {
        const text = maskControl(findingText(m, f), 'oneLine');
        ctx.stdout.write(`  ${padCells(m.severity[f.severity], sevWidth)} ${padCells(f.code, 17)} ${text}\n`);
      }
      if (files)
        ctx.stdout.write(`${(capture.degraded ? m.captureWrittenDegraded : m.captureWritten)({ yaml: files.yaml, csv: files.csv })}\n`);
    }
    if (capture.degraded) return EXIT.failed;
    return findings.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    db.close();
  }
}

/** The Ink progress screen of a capture: a row per device, the command log, the findings at the end. */
async function captureScreen(ctx: CommandContext, site: Site, lang: Lang) {
  const [{ renderProgress }, { createStore }, { auditToEvents }, { redactingSink }] = await Promise.all([
    import('../ui/render-progress.js'),
    import('../ui/store.js'),
    import('../engine/audit.js'),
    import('../engine/redact-events.js'),
  ]);
  const names = [...site.endpoints.esxi.map((e) => e.name), site.endpoints.ontap.name];
  const store = createStore<ProgressScreenData>({
    kind: 'capture',
    site: site.site,
    startedAt: Date.now(),
    rows: names.map((n) => ({ id: n, label: n, state: 'waiting', done: 0, total: 0 })),
    log: [],
    findings: [],
  });
  // The pool's commands reach the screen as the engine's command events (redacted as a run's are).
  const progress = (e: EngineEvent): void => {
    const s = store.getSnapshot();
    if (e.type === 'command.started') {
      const rows = s.rows.map((x) =>
        x.id === e.host
          ? { ...x, state: 'running' as const, total: x.total + 1, activity: e.purpose ?? e.command, startedAt: x.startedAt ?? e.at }
          : x,
      );
      store.set({
        ...s,
        rows,
        log: [...s.log.slice(-19), { id: e.id, host: e.host, command: e.command, startedAt: e.at, purpose: e.purpose }],
      });
    } else if (e.type === 'command.finished') {
      store.set({
        ...s,
        rows: s.rows.map((x) => (x.id === e.host ? { ...x, done: x.done + 1 } : x)),
        log: s.log.map((c) => (c.id === e.id ? { ...c, durationMs: e.durationMs, exitCode: e.exitCode, error: e.error } : c)),
      });
    }
  };
  const audit: AuditSink = auditToEvents(redactingSink({ emit: progress }, ctx.redactor));
  const screen = renderProgress({ store, lang, noColor: 'NO_COLOR' in ctx.env, stdout: ctx.stdout, stdin: ctx.stdin, stderr: ctx.stderr });
  return {
    audit,
    unmount: () => screen.unmount(),
    /** Final rows and the findings; resolves once the screen has shown them and left. */
    async finish(capture: Capture, text: (f: Capture['audit']['findings'][number]) => string) {
      const s = store.getSnapshot();
      const now = Date.now();
      store.set({
        ...s,
        finishedAt: now,
        outcome: capture.audit.findings.length ? 'findings' : 'done',
        rows: s.rows.map((r) => {
          const h = capture.hosts.find((x) => x.name === r.id);
          const failed = h !== undefined && !h.reachable;
          return { ...r, state: failed ? 'failed' : 'done', activity: failed ? h?.error : undefined, finishedAt: now };
        }),
        findings: capture.audit.findings.map((f) => ({
          severity: f.severity === 'error' ? 'error' : 'warn',
          subject: f.vm ?? f.host ?? site.site,
          text: text(f),
        })),
      });
      await screen.waitUntilExit();
    },
  };
}

export function registerCapture(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('capture')
    .description('record the inventory (VM names and placement, hosts, volumes) and audit the VSC backups')
    .addOption(siteOption({ required: true }))
    .addOption(dbOption())
    .option('--json', 'print a JSON summary')
    .option('--out <dir>', 'where the YAML/CSV copies go (default: <database folder>/<site>)')
    .option('--no-export', 'do not write the YAML/CSV copies')
    .addOption(langOption({ what: 'en or ja (default: from LANG); --json and the stored capture stay English' }))
    .addHelpText(
      'after',
      '\nExit: 0 clean; 3 finished with findings; 1 the capture failed, or it is degraded (taken after the\n' +
        'disaster: kept for the record, never used by a failover by default, latest.* untouched); 2 bad input.',
    )
    .action((opts: Omit<CaptureArgs, 'site'> & { site: string }) => {
      setRunner((ctx) => runCapture(ctx, opts));
    });
}
