#!/usr/bin/env node
/**
 * The composition root (design §3): arguments, context, exit code. The only module that touches
 * process.argv and process.exit. Commands are imported lazily so that `--help` and `--version`
 * never load Ink, React, ssh2 or SQLite.
 */
import './production-env.js'; // first: React picks its build when loaded
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, describeError, exitCodeOf, type ExitCode } from './errors.js';
import type { CommandContext } from './commands/context.js';
import { createRedactor } from './transport/redact.js';
import { registerLab } from './commands/lab.js';
import { registerParse } from './commands/parse.js';
import { registerInit } from './commands/init.js';
import { registerInventory } from './commands/inventory.js';
import { registerCapture } from './commands/capture.js';
import { registerFailover } from './commands/failover.js';
import { registerPlan } from './commands/plan.js';
import { registerDrill } from './commands/drill.js';
import { registerDemo } from './commands/demo.js';
import { registerCheck } from './commands/check.js';
import { registerStatus } from './commands/status.js';
import { registerPlace } from './commands/place.js';
import { registerUnlock } from './commands/unlock.js';
import { registerWayBack } from './commands/wayback.js';
import { watchInterrupts } from './session/interrupt.js';

/** `--version` was given: answered after parsing stops, so that `--verbose` can ask for more. */
class VersionAsked extends Error {}
import { langOfArgv, parserErrorText } from './parser-errors.js';
import type { Lang } from './i18n/lang.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function makeContext(argv: readonly string[]): { ctx: CommandContext; dispose: () => void } {
  const watch = watchInterrupts({
    proc: process,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    lang: langOfArgv(argv, process.env),
    exitNow: () => process.exit(EXIT.stopped),
  });
  const ctx: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    signal: watch.signal,
    redactor: createRedactor(),
    argv,
  };
  return { ctx, dispose: () => watch.dispose() };
}

type Runner = (ctx: CommandContext) => Promise<ExitCode>;

function buildProgram(setRunner: (r: Runner) => void, lang: Lang): Command {
  const program = new Command('drbook')
    .description(
      // Each line under 80 columns: the help wraps longer ones mid-sentence.
      'Fail a vSphere-on-NetApp site over to its SnapMirror copy at the VSC quiesce\n' +
        'point, capture the inventory that needs, and rehearse it on a FlexClone.',
    )
    .option('-V, --version', 'print the version (with --verbose: Node, SQLite, platform, for a bug report)')
    .option('--verbose', 'with --version: also the Node, SQLite and better-sqlite3 versions and the platform')
    .on('option:version', () => {
      throw new VersionAsked();
    })
    // Options given after a command are that command's own (e.g. a command's --verbose).
    .enablePositionalOptions()
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(parserErrorText(str, lang)) })
    .exitOverride();

  // Commands are registered here as `register*(program, setRunner)` calls; see src/commands/.
  registerStatus(program, setRunner);
  registerLab(program, setRunner);
  registerParse(program, setRunner);
  registerInit(program, setRunner);
  registerInventory(program, setRunner);
  registerCapture(program, setRunner);
  registerFailover(program, setRunner);
  registerPlan(program, setRunner);
  registerDrill(program, setRunner);
  registerDemo(program, setRunner);
  registerCheck(program, setRunner);
  registerPlace(program, setRunner);
  registerUnlock(program, setRunner);
  registerWayBack(program, setRunner);

  return program;
}

async function main(argv: string[]): Promise<ExitCode> {
  // Installed before anything runs or prints: `drbook … | head` and a closed terminal stop a run
  // safely (src/session/interrupt.ts); they never end it mid-way with exit 0, nor crash `--help`.
  const { ctx, dispose } = makeContext(argv.slice(2));
  try {
    return await parseAndRun(argv, ctx);
  } finally {
    dispose();
  }
}

async function parseAndRun(argv: string[], ctx: CommandContext): Promise<ExitCode> {
  let runner: Runner | undefined;
  const lang = langOfArgv(argv, process.env);
  const program = buildProgram((r) => {
    runner = r;
  }, lang);
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.ok;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof VersionAsked) {
      // Parsing stopped at --version; --verbose may stand on either side of it.
      const verbose = argv.slice(2).includes('--verbose');
      runner = async (ctx) => (await import('./commands/version.js')).runVersion(ctx, packageVersion(), verbose);
    } else if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    } else {
      throw err;
    }
  }
  if (!runner) return EXIT.ok;
  try {
    return await runner(ctx);
  } catch (err) {
    process.stderr.write(`drbook: ${ctx.redactor.redact(describeError(err, lang))}\n`);
    if (exitCodeOf(err) === EXIT.failed && !(err instanceof Error && 'exitCode' in err) && process.env.DRBOOK_DEBUG) {
      process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    }
    return exitCodeOf(err);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`drbook: ${describeError(err)}\n`);
    process.exitCode = EXIT.failed;
  },
);
