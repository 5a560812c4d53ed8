/**
 * `drbook capture --site FILE [--db PATH] [--json] [--out DIR] [--no-export]`: record the site's
 * inventory and the backup-coverage audit, non-interactively (cron-friendly).
 * Exit 0: clean; 3: finished with findings; 1: the capture could not be made; 2: bad input.
 * SSH, SQLite and the collectors are imported only when the command runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';

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
  const { loadSite } = await import('../runbook/site.js');
  const { openDatabase, resolveDbPath } = await import('../journal/db.js');
  const { CaptureStore } = await import('../inventory/store.js');
  const { collectCapture } = await import('../inventory/collect.js');
  const { exportCapture, siteExportDir } = await import('../inventory/export.js');
  const { createSitePool } = await import('../runbook/site-pool.js');

  const site = loadSite(path.resolve(ctx.cwd, args.site));
  const dbFile = resolveDbPath({ db: args.db, env: ctx.env, cwd: ctx.cwd });
  const db = openDatabase(dbFile);
  try {
    const store = new CaptureStore(db);
    const previous = store.latest(site.site);
    const pool = createSitePool(site, ctx.env);
    let capture;
    try {
      capture = await collectCapture({ site, pool, previous, drbookVersion: drbookVersion(), signal: ctx.signal });
    } finally {
      await pool.close();
    }
    store.save(capture);
    const files =
      args.export === false
        ? null
        : exportCapture(capture, args.out !== undefined ? path.resolve(ctx.cwd, args.out) : siteExportDir(path.dirname(dbFile), site.site));

    const findings = capture.audit.findings;
    const unreachable = capture.hosts.filter((h) => !h.reachable).length;
    if (args.json) {
      ctx.stdout.write(
        `${JSON.stringify(
          {
            id: capture.id,
            site: capture.site,
            takenAt: capture.takenAt,
            vms: capture.vms.length,
            hosts: capture.hosts.length,
            unreachableHosts: unreachable,
            findings,
            files,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const { commandMessages, findingText } = await import('../i18n/commands.js');
      const { default: stringWidth } = await import('string-width');
      const m = commandMessages(lang);
      const counts = { id: capture.id, site: capture.site, vms: capture.vms.length, hosts: capture.hosts.length, findings: findings.length };
      ctx.stdout.write(`${unreachable ? m.captureSummaryUnreachable({ ...counts, unreachable }) : m.captureSummary(counts)}\n`);
      // Padded by display width: a Japanese severity word takes two cells per character.
      const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - stringWidth(text)));
      const sevWidth = Math.max(7, ...findings.map((f) => stringWidth(m.severity[f.severity])));
      for (const f of findings) {
        const text = findingText(m, f).replace(/[\u0000-\u001f\u007f]/g, '?');
        ctx.stdout.write(`  ${pad(m.severity[f.severity], sevWidth)} ${pad(f.code, 17)} ${text}\n`);
      }
      if (files) ctx.stdout.write(`${m.captureWritten({ yaml: files.yaml, csv: files.csv })}\n`);
    }
    return findings.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    db.close();
  }
}

export function registerCapture(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('capture')
    .description('record the inventory (VM names and placement, hosts, volumes) and audit the VSC backups')
    .requiredOption('--site <file>', 'the site file')
    .option('--db <path>', 'the drbook database (default: $DRBOOK_DB or inventory/drbook.db)')
    .option('--json', 'print a JSON summary')
    .option('--out <dir>', 'where the YAML/CSV copies go (default: <database folder>/<site>)')
    .option('--no-export', 'do not write the YAML/CSV copies')
    .option('--lang <lang>', 'en or ja (default: from LANG); --json and the stored capture stay English')
    .addHelpText('after', '\nExit: 0 clean; 3 finished with findings; 1 the capture failed; 2 bad input.')
    .action((opts: Omit<CaptureArgs, 'site'> & { site: string }) => {
      setRunner((ctx) => runCapture(ctx, opts));
    });
}
