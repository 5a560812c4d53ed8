/**
 * `drbook check --site FILE`: readiness, read-only. Exit 0 ready; 3 warnings; 1 a check failed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { dbOption, langOption, siteOption } from './options.js';

interface CheckFlags {
  site: string;
  db?: string | undefined;
  json?: boolean | undefined;
  maxAge: string;
  maxCaptureAge: string;
  lang?: string | undefined;
}

function hoursFlag(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new OperatorError(`--${name} must be a positive number of hours`, `got ${v}`);
  return n;
}

export async function runCheck(ctx: CommandContext, f: CheckFlags): Promise<ExitCode> {
  const maxAgeHours = hoursFlag('max-age', f.maxAge);
  const maxCaptureAgeHours = hoursFlag('max-capture-age', f.maxCaptureAge);
  const { commandLang } = await import('../i18n/lang.js');
  const lang = await commandLang(ctx.env, f.lang);
  const { loadSite } = await import('../runbook/site.js');
  const { openDatabase } = await import('../journal/db.js');
  const { readSiteArg } = await import('./site-arg.js');
  const { describeLocation } = await import('../session/locate.js');
  const { existsSync } = await import('node:fs');
  const { latestCapture } = await import('../inventory/store.js');
  const { createSitePool } = await import('../runbook/site-pool.js');
  const { checkReadiness } = await import('../failover/readiness.js');
  const where = readSiteArg(ctx, f, true, lang);
  const site = loadSite(path.resolve(ctx.cwd, where.file!));
  // Read-only: no database is created; without one there is no capture, and we say where we looked.
  let capture;
  if (existsSync(where.db.file)) {
    const db = openDatabase(where.db.file, { readonly: true });
    try {
      capture = latestCapture(db, site.site);
    } finally {
      db.close();
    }
  } else {
    const { lifecycleMessages } = await import('../i18n/lifecycle.js');
    ctx.stderr.write(`drbook: ${lifecycleMessages(lang).noDatabase({ where: describeLocation(where.db, lang) })}\n`);
  }
  const pool = createSitePool(site, ctx.env);
  let items;
  try {
    items = await checkReadiness(site, pool, capture, { maxAgeHours, maxCaptureAgeHours, lang });
  } finally {
    await pool.close();
  }
  if (f.json) {
    ctx.stdout.write(`${JSON.stringify({ site: site.site, items }, null, 2)}\n`);
  } else {
    // Padded by display width: marks and subjects may be Japanese (two cells per character).
    const { default: stringWidth } = await import('string-width');
    const { commandMessages } = await import('../i18n/commands.js');
    const m = commandMessages(lang);
    const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - stringWidth(text)));
    const markWidth = Math.max(...Object.values(m.checkMark).map((t) => stringWidth(t)));
    const width = Math.max(...items.map((i) => stringWidth(i.subject)));
    for (const i of items) {
      ctx.stdout.write(`${pad(m.checkMark[i.level], markWidth)}  ${pad(i.subject, width)}  ${m.checkLine({ message: i.message, hint: i.hint ?? '' })}\n`);
    }
  }
  if (items.some((i) => i.level === 'fail')) return EXIT.failed;
  return items.some((i) => i.level === 'warn') ? EXIT.findings : EXIT.ok;
}

export function registerCheck(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('check')
    .description('is the site ready? devices and host keys, the relationship, VSC backups on the mirror, the latest capture (read-only)')
    .addOption(siteOption({ required: true }))
    .addOption(dbOption())
    .option('--json', 'JSON output')
    .option('--max-age <hours>', 'warn when the newest VSC backup or the SnapMirror lag is older', '26')
    .option('--max-capture-age <hours>', 'warn when the latest capture is older', '168')
    .addOption(langOption({ json: true }))
    .addHelpText('after', '\nExit: 0 ready; 3 warnings; 1 a check failed; 2 bad input.')
    .action((opts: CheckFlags) => setRunner((ctx) => runCheck(ctx, opts)));
}
