/**
 * `drbook check --site FILE`: readiness, read-only. Exit 0 ready; 3 warnings; 1 a check failed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { dbOption, langOption, siteOption } from './options.js';
import type { CheckItem } from '../failover/readiness.js';
import type { Lang } from '../i18n/lang.js';
import type { SiteStateName } from '../site/state.js';
import { stringifyWithIsoTimes } from '../reporters/json-times.js';

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
  const { openDatabase } = await import('../journal/db.js');
  const { readSiteArg } = await import('./site-arg.js');
  const { describeLocation } = await import('../session/locate.js');
  const { existsSync } = await import('node:fs');
  const { latestCapture } = await import('../inventory/store.js');
  const { createSitePool } = await import('../runbook/site-pool.js');
  const { checkReadiness } = await import('../failover/readiness.js');
  const where = readSiteArg(ctx, f, true, lang);
  const { loadAnySite } = await import('../runbook/site.js');
  const any = loadAnySite(path.resolve(ctx.cwd, where.file!));
  if (any.kind === 'hyperv') {
    const { readHypervCheck } = await import('../hyperv/check.js');
    return printCheck(
      ctx,
      f,
      lang,
      any.site.site,
      await readHypervCheck(ctx, any.site, { dbFile: where.db.file, lang, maxAgeHours, maxCaptureAgeHours }),
    );
  }
  const site = any.site;
  // Read-only: no database is created; without one there is no capture, and we say where we looked.
  let capture;
  if (existsSync(where.db.file)) {
    const db = openDatabase(where.db.file, { forReading: true });
    try {
      capture = latestCapture(db, site.site);
    } finally {
      db.close();
    }
  } else {
    const { lifecycleMessages } = await import('../i18n/lifecycle.js');
    ctx.stderr.write(`drbook: ${lifecycleMessages(lang).noDatabase({ where: describeLocation(where.db, lang) })}\n`);
  }
  const pool = createSitePool(site, ctx.env, { redactor: ctx.redactor });
  let items;
  let siteRead;
  try {
    // Where the site stands first: after the disaster or the failover the advice differs.
    const { readSiteState } = await import('../site/read.js');
    const stateDb = existsSync(where.db.file) ? openDatabase(where.db.file, { forReading: true }) : undefined;
    try {
      siteRead = await readSiteState(site, pool, stateDb);
    } finally {
      stateDb?.close();
    }
    // Shown redacted: a message may quote what a device said.
    const text = (s: string) => ctx.redactor.redact(s);
    items = (await checkReadiness(site, pool, capture, { maxAgeHours, maxCaptureAgeHours, lang, state: siteRead.state.state })).map(
      (i) => ({
        ...i,
        message: text(i.message),
        ...(i.hint === undefined ? {} : { hint: text(i.hint) }),
      }),
    );
  } finally {
    await pool.close();
  }
  const state = siteRead.state;
  const { statusMessages } = await import('../i18n/status.js');
  const sm = statusMessages(lang);
  const x = {
    primary: site.datastores.primary.name,
    mirror: site.datastores.mirror.name,
    source: site.relationship.source,
    destination: site.relationship.destination,
  };
  return printCheck(ctx, f, lang, site.site, {
    items,
    state: state.state,
    title: sm.title({ site: site.site, word: sm.stateWord[state.state], sentence: sm.reason(state.reason, x) }),
    next: sm.next(state.next, site.file),
  });
}

/** What either platform's check found: the items, the site's state, its title line and what to do next. */
export interface CheckOutcome {
  items: CheckItem[];
  state: SiteStateName;
  title: string;
  next: string;
}

/** The items, the state and the verdict line; the exit code from the verdict. */
async function printCheck(ctx: CommandContext, f: CheckFlags, lang: Lang, siteName: string, o: CheckOutcome): Promise<ExitCode> {
  const { items } = o;
  const failed = items.filter((i) => i.level === 'fail').length;
  const warned = items.filter((i) => i.level === 'warn').length;
  const state = { state: o.state };
  const verdict: 'ready' | 'warnings' | 'not-ready' | 'failover-situation' | 'failover-in-progress' | 'failed-over' =
    state.state === 'primary-lost'
      ? 'failover-situation'
      : state.state === 'failed-over'
        ? 'failed-over'
        : state.state === 'failover-in-progress'
          ? 'failover-in-progress'
          : failed > 0
            ? 'not-ready'
            : warned > 0
              ? 'warnings'
              : 'ready';
  if (f.json) {
    ctx.stdout.write(`${stringifyWithIsoTimes({ site: siteName, state: state.state, verdict, items }, 2)}\n`);
  } else {
    // Padded by display width: marks and subjects may be Japanese (two cells per character).
    const { maxCells, padCells } = await import('../text/table.js');
    const { commandMessages } = await import('../i18n/commands.js');
    const { chalkFor } = await import('../reporters/color.js');
    const chalk = chalkFor(ctx.env, Boolean(ctx.stdout.isTTY));
    const m = commandMessages(lang);
    const colour = { ok: chalk.green, warn: chalk.yellow, fail: chalk.red } as const;
    const markWidth = maxCells(Object.values(m.checkMark));
    const width = maxCells(items.map((i) => i.subject));
    for (const i of items) {
      ctx.stdout.write(
        `${colour[i.level](padCells(m.checkMark[i.level], markWidth))}  ${padCells(i.subject, width)}  ${m.checkLine({ message: i.message, hint: i.hint ?? '' })}\n`,
      );
    }
    const line = m.checkVerdict[verdict]({ failed, warned, next: o.next });
    const tone = verdict === 'ready' ? chalk.green.bold : verdict === 'warnings' ? chalk.yellow.bold : chalk.red.bold;
    ctx.stdout.write(`\n${o.title}\n${tone(line)}\n`);
  }
  if (verdict === 'failover-situation' || verdict === 'failover-in-progress' || verdict === 'failed-over' || failed > 0) return EXIT.failed;
  return warned > 0 ? EXIT.findings : EXIT.ok;
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
    .addHelpText('after', '\nExit: 0 ready; 3 warnings; 1 a check failed, or the primary is lost, or the site is failed over; 2 bad input.')
    .action((opts: CheckFlags) => setRunner((ctx) => runCheck(ctx, opts)));
}
