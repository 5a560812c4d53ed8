#!/usr/bin/env node
/**
 * The composition root (design §3): arguments, context, exit code. The only module that touches
 * process.argv and process.exit. Commands are imported lazily so that `--help` and `--version`
 * never load Ink, React, ssh2 or SQLite.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, describeError, exitCodeOf, type ExitCode } from './errors.js';
import type { CommandContext } from './commands/context.js';
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
import { langOfArgv, parserErrorText } from './parser-errors.js';
import type { Lang } from './i18n/lang.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function makeContext(): { ctx: CommandContext; dispose: () => void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      controller.abort(new Error(sig));
    } else {
      // A second Ctrl+C while stopping: the journal is already consistent (every intent and
      // outcome is committed before and after each command), so leaving now loses nothing.
      process.stderr.write('drbook: stopping now; `drbook resume` continues the run.\n');
      process.exit(EXIT.stopped);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    signal: controller.signal,
  };
  return {
    ctx,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

type Runner = (ctx: CommandContext) => Promise<ExitCode>;

function buildProgram(setRunner: (r: Runner) => void, lang: Lang): Command {
  const program = new Command('drbook')
    .description(
      // Each line under 80 columns: the help wraps longer ones mid-sentence.
      'Fail a vSphere-on-NetApp site over to its SnapMirror copy at the VSC quiesce\n' +
        'point, capture the inventory that needs, and rehearse it on a FlexClone.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(parserErrorText(str, lang)) })
    .exitOverride();

  // Commands are registered here as `register*(program, setRunner)` calls; see src/commands/.
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

  return program;
}

async function main(argv: string[]): Promise<ExitCode> {
  // `drbook … | head`: a reader that goes away is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw err;
    });
  }
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
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    throw err;
  }
  if (!runner) return EXIT.ok;
  const { ctx, dispose } = makeContext();
  try {
    return await runner(ctx);
  } catch (err) {
    process.stderr.write(`drbook: ${describeError(err, lang)}\n`);
    if (exitCodeOf(err) === EXIT.failed && !(err instanceof Error && 'exitCode' in err) && process.env.DRBOOK_DEBUG) {
      process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    }
    return exitCodeOf(err);
  } finally {
    dispose();
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
