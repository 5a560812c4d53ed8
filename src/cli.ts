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

/** `--version` was given: answered after parsing stops, so that `--verbose` can ask for more. */
class VersionAsked extends Error {}

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
    redactor: createRedactor(),
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

function buildProgram(setRunner: (r: Runner) => void): Command {
  const program = new Command('drbook')
    .description(
      'Fail a vSphere-on-NetApp site over to its SnapMirror copy at the VSC quiesce point,\n' +
        'capture the inventory that needs, and rehearse it on a FlexClone.',
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
    .configureOutput({ outputError: (str, write) => write(str) })
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
  const program = buildProgram((r) => {
    runner = r;
  });
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
  const { ctx, dispose } = makeContext();
  try {
    return await runner(ctx);
  } catch (err) {
    process.stderr.write(`drbook: ${ctx.redactor.redact(describeError(err))}\n`);
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
