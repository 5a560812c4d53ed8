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
}

function drbookVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function runCapture(ctx: CommandContext, args: CaptureArgs): Promise<ExitCode> {
  const { loadSite } = await import('../runbook/site.js');
  const { openDatabase, resolveDbPath } = await import('../journal/db.js');
  const { CaptureStore } = await import('../inventory/store.js');
  const { collectCapture } = await import('../inventory/collect.js');
  const { exportCapture, siteExportDir } = await import('../inventory/export.js');
  const { createSshPool } = await import('../transport/ssh/pool.js');

  const site = loadSite(path.resolve(ctx.cwd, args.site));
  const dbFile = resolveDbPath({ db: args.db, env: ctx.env, cwd: ctx.cwd });
  const db = openDatabase(dbFile);
  try {
    const store = new CaptureStore(db);
    const previous = store.latest(site.site);
    const pool = createSshPool([...site.endpoints.esxi, site.endpoints.ontap], {
      env: ctx.env,
      readyTimeout: site.timeouts.connectSeconds * 1000,
      commandTimeoutMs: site.timeouts.commandSeconds * 1000,
    });
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
      ctx.stdout.write(
        `capture ${capture.id} of site ${capture.site}: ${capture.vms.length} VMs on ${capture.hosts.length} hosts` +
          `${unreachable ? ` (${unreachable} unreachable)` : ''}; ${findings.length} finding${findings.length === 1 ? '' : 's'}\n`,
      );
      for (const f of findings) ctx.stdout.write(`  ${f.severity.padEnd(7)} ${f.code.padEnd(17)} ${f.message.replace(/[\u0000-\u001f\u007f]/g, '?')}\n`);
      if (files) ctx.stdout.write(`written: ${files.yaml}, ${files.csv} (and latest.yaml, latest.csv)\n`);
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
    .addHelpText('after', '\nExit: 0 clean; 3 finished with findings; 1 the capture failed; 2 bad input.')
    .action((opts: Omit<CaptureArgs, 'site'> & { site: string }) => {
      setRunner((ctx) => runCapture(ctx, opts));
    });
}
