/**
 * `drbook reprotect` and `drbook failback`: the way back after a failover. Thin: the runs are
 * src/failback/session.ts; everything heavy is imported when the command runs, never for `--help`.
 * `drbook resume` continues an interrupted one through `resumeWayBack`.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { canUseTerminalUi } from './terminal.js';
import { dbOption, langOption, siteOption } from './options.js';

type SetRunner = (r: (ctx: CommandContext) => Promise<ExitCode>) => void;

export interface WayBackFlags {
  site?: string | undefined;
  db?: string | undefined;
  plain?: boolean | undefined;
  json?: boolean | undefined;
  confirm?: string[] | string | undefined;
  reportDir?: string | undefined;
  lang?: string | undefined;
  maxLag?: string | undefined;
  shutdownTimeout?: string | undefined;
  abandon?: string | undefined;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 100_000)
    throw new OperatorError(`${flag} ${v}: not a whole number of minutes or seconds`, `pass ${flag} with a number from 1 to 100000`);
  return n;
}

async function sessionOptions(ctx: CommandContext, f: WayBackFlags, resumed?: { id: string; siteFile: string; db: string }) {
  if (f.plain && f.json) throw new OperatorError('--plain and --json cannot be used together', 'pick one');
  const [{ loadSite }, { readSiteArg }, { refuseLegacyShadow }, { detectLang }] = await Promise.all([
    import('../runbook/site.js'),
    import('./site-arg.js'),
    import('../session/locate.js'),
    import('../i18n/lang.js'),
  ]);
  let lang;
  try {
    lang = detectLang(ctx.env, f.lang);
  } catch (err) {
    throw new OperatorError((err as Error).message);
  }
  let siteFile: string;
  let dbPath: string;
  if (resumed) {
    siteFile = f.site !== undefined ? readSiteArg(ctx, f, true, lang).file! : resumed.siteFile;
    dbPath = resumed.db;
  } else {
    const where = readSiteArg(ctx, f, true, lang);
    refuseLegacyShadow(where.db, ctx.cwd, lang);
    siteFile = where.file!;
    dbPath = where.db.file;
  }
  return {
    ctx,
    site: loadSite(path.resolve(ctx.cwd, siteFile)),
    dbPath,
    lang,
    renderer: f.json ? ('json' as const) : f.plain || !canUseTerminalUi(ctx) ? ('plain' as const) : ('tui' as const),
    confirm: f.confirm,
    reportDir: f.reportDir ? path.resolve(ctx.cwd, f.reportDir) : undefined,
    resumeRunId: resumed?.id,
    abandonRunId: resumed ? undefined : f.abandon,
    maxLagMinutes: positive('--max-lag', f.maxLag),
    shutdownSeconds: positive('--shutdown-timeout', f.shutdownTimeout),
  };
}

/** `drbook resume RUN` of a reprotect or a failback. */
export async function resumeWayBack(
  ctx: CommandContext,
  f: WayBackFlags,
  picked: { id: string; kind: string; siteFile: string; db: string },
): Promise<ExitCode> {
  const s = await import('../failback/session.js');
  const o = await sessionOptions(ctx, f, picked);
  return (picked.kind === 'reprotect' ? await s.runReprotectSession(o) : await s.runFailbackSession(o)).exitCode;
}

function addFlags(cmd: Command, confirmWhat: string): Command {
  return cmd
    .addOption(siteOption({ required: true }))
    .addOption(dbOption())
    .option('--plain', 'line-by-line output instead of the terminal UI (also when not on a terminal)')
    .option('--json', 'NDJSON events on stdout')
    .option('--confirm <path>', `non-interactive: confirms overwriting ${confirmWhat} when it equals its svm:volume (repeatable)`, collect)
    .option('--report-dir <dir>', 'where the report goes (default: reports/ beside the database)')
    .option('--abandon <run>', 'set aside the unfinished run RUN of this command (finished by hand): marked aborted, never resumed')
    .addOption(langOption());
}

export function registerWayBack(program: Command, setRunner: SetRunner): void {
  addFlags(
    program
      .command('reprotect')
      .description('after a failover, once the original volume is back: mirror the site back to it (reverse resync, or a full baseline)'),
    'the original volume',
  )
    .addHelpText(
      'after',
      '\nIt says before it asks what the resync discards on the original volume (what was written there\n' +
        'after the common snapshot), or that there is no common snapshot and a FULL BASELINE of the\n' +
        'volume must be transferred (the original volume is then kept aside under another name).\n' +
        'The transfer runs on the cluster afterwards: drbook status says reprotected when it is done.\n' +
        'Exit: 0 done; 1 failed; 2 refused (not failed over, original volume not back) or a missing confirmation; 4 stopped (resumable).',
    )
    .action((opts: WayBackFlags) =>
      setRunner(async (ctx) => {
        const { runReprotectSession } = await import('../failback/session.js');
        return (await runReprotectSession(await sessionOptions(ctx, opts))).exitCode;
      }),
    );

  addFlags(
    program
      .command('failback')
      .description(
        'in a maintenance window, once reprotected: shut the VMs down, bring them back on the original volume, protect it again',
      ),
    'the mirror',
  )
    .option('--max-lag <minutes>', 'refuse when the way back lags more than this (default 60)')
    .option('--shutdown-timeout <seconds>', 'how long a guest shutdown may take before the VM is powered off (default 300)')
    .addHelpText(
      'after',
      '\nEvery VM comes back on the original datastore, on the host, under the name and in the power state\n' +
        'it had on the mirror; vCenter first, then the priority groups. At the end the original volume is\n' +
        'mirrored to the mirror again. Exit: 0 done; 1 failed; 2 refused (not reprotected, the way back\n' +
        'unhealthy or lagging) or a missing confirmation; 4 stopped (resumable).',
    )
    .action((opts: WayBackFlags) =>
      setRunner(async (ctx) => {
        const { runFailbackSession } = await import('../failback/session.js');
        return (await runFailbackSession(await sessionOptions(ctx, opts))).exitCode;
      }),
    );
}
