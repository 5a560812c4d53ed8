/**
 * `drbook drill` and `drbook drill cleanup`: a test failover on a FlexClone of the mirror that
 * never touches production. Thin: the run is src/drill/session.ts; everything heavy is imported
 * when the command runs, never for `--help`.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { chooseRenderer } from '../session/renderer.js';
import { dbOption, langOption, siteOption } from './options.js';

type SetRunner = (r: (ctx: CommandContext) => Promise<ExitCode>) => void;

interface CommonFlags {
  site?: string | undefined;
  db?: string | undefined;
  plain?: boolean | undefined;
  json?: boolean | undefined;
  reportDir?: string | undefined;
  lang?: string | undefined;
}

interface DrillFlags extends CommonFlags {
  capture?: string | undefined;
  snapshot?: string | undefined;
  host?: string[] | undefined;
  powerOn: boolean;
  keep?: boolean | undefined;
}

async function common(ctx: CommandContext, f: CommonFlags) {
  if (!f.site) throw new OperatorError('no site file', 'pass --site FILE');
  const renderer = chooseRenderer(ctx, f);
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
  const where = readSiteArg(ctx, f, true, lang);
  refuseLegacyShadow(where.db, ctx.cwd, lang);
  const siteFile = path.resolve(ctx.cwd, where.file!);
  const { siteFileKindOf } = await import('../runbook/site.js');
  if (siteFileKindOf(siteFile) === 'hyperv') {
    // A Hyper-V drill (copies of the VMs imported with new IDs, network disconnected, then removed) is not built.
    const { hypervMessages } = await import('../i18n/hyperv.js');
    const m = hypervMessages(lang);
    throw new OperatorError(m.drillRefused, m.drillRefusedHint({ file: where.file! }));
  }
  return {
    ctx,
    site: loadSite(siteFile),
    dbPath: where.db.file,
    renderer,
    lang,
    reportDir: f.reportDir ? path.resolve(ctx.cwd, f.reportDir) : undefined,
  };
}

function addCommonFlags(cmd: Command): Command {
  return (
    cmd
      // Not commander-mandatory: `drill cleanup --site F` would trip over the parent's check.
      .addOption(siteOption({ what: 'the site file or name (required)' }))
      .addOption(dbOption())
      .option('--plain', 'line-by-line output instead of the terminal UI (also when not on a terminal)')
      .option('--json', 'NDJSON events on stdout')
      .option('--report-dir <dir>', 'where the report goes (default: reports/ beside the database)')
      .addOption(langOption())
  );
}

const collect = (v: string, prev: string[] | undefined): string[] => [
  ...(prev ?? []),
  ...v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

export function registerDrill(program: Command, setRunner: SetRunner): void {
  const drill = addCommonFlags(
    program
      .command('drill')
      .description('test the failover on a FlexClone of the mirror; never touches the relationship, the mirror or production')
      .option('--capture <id>', 'the capture to drill (default: the latest of the site)')
      .option('--snapshot <name>', 'the smvi__ snapshot to clone (default: the one that brings the most VMs back quiesced)')
      .option('--host <name>', "a host to run the drill VMs on (repeatable or comma-separated; default: each VM's recorded host)", collect)
      .option('--power-on', 'power the drill VMs on and wait for their heartbeat', true)
      .option('--no-power-on', 'register and revert only')
      .option('--keep', 'leave the clone, its datastore and the drill VMs for inspection (drbook drill cleanup removes them)'),
  )
    .addHelpText(
      'after',
      '\nEvery NIC of a drill VM starts disconnected (set in the clone before it is registered), and its\n' +
        'power-on question is answered "I copied it", so no drill VM reaches the network or shares a\n' +
        'UUID or MAC with production. A drill cleans up after itself, also when it fails or is stopped;\n' +
        'after a crash or with --keep, `drbook drill cleanup [RUN]` removes what it left.\n' +
        'Exit: 0 every VM recovered and cleaned up; 1 something failed or the preflight refused (see the\n' +
        'report); 2 bad usage, or the site is held by a failover or another drill; 4 stopped.',
    )
    .action((opts: DrillFlags) =>
      setRunner(async (ctx) => {
        const { runDrillSession } = await import('../drill/session.js');
        const r = await runDrillSession({
          ...(await common(ctx, opts)),
          captureId: opts.capture,
          snapshot: opts.snapshot,
          hosts: opts.host,
          powerOn: opts.powerOn,
          keep: opts.keep,
        });
        return r.exitCode;
      }),
    );

  addCommonFlags(
    drill
      .command('cleanup')
      .description('remove what an interrupted (or --keep) drill left: found from the journal, checked on the devices')
      .argument('[run]', 'the drill run (default: the newest drill of the site that left something)'),
  ).action((run: string | undefined, _opts: CommonFlags, cmd: Command) =>
    setRunner(async (ctx) => {
      const { runDrillCleanupSession } = await import('../drill/session.js');
      // The parent `drill` shares these flags and takes them wherever they are written.
      const opts = cmd.optsWithGlobals<CommonFlags>();
      const r = await runDrillCleanupSession({ ...(await common(ctx, opts)), drillRunId: run });
      return r.exitCode;
    }),
  );
}
