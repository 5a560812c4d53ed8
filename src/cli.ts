#!/usr/bin/env node
/**
 * The composition root (design §3): arguments, context, exit code. The only module that touches
 * process.argv and process.exit. The parser and the commands (src/commands/program.ts) are loaded
 * only when there is a command line to parse, and a command's body only when it runs: `--help`
 * never loads Ink, React, ssh2 or SQLite, and `--version` not even the parser.
 */
import './production-env.js'; // first: React picks its build when loaded
import './heap-growth.js'; // the old generation's growth between full GCs (peak RSS)
import { readFileSync } from 'node:fs';
import { EXIT, describeError, exitCodeOf, type ExitCode } from './errors.js';
import type { CommandContext } from './commands/context.js';
import { createRedactor } from './transport/redact.js';
import { watchInterrupts } from './session/interrupt.js';
import { langOfArgv } from './parser-errors.js';

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

/** `--version` (or -V) before any word but --verbose: the parser would stop there too, unread. */
function versionFirst(args: readonly string[]): boolean {
  const first = args.find((a) => a !== '--verbose');
  return first === '--version' || first === '-V';
}

async function parseAndRun(argv: string[], ctx: CommandContext): Promise<ExitCode> {
  const lang = langOfArgv(argv, process.env);
  // `drbook --version` is answered without loading the parser and the commands (start-up time);
  // a --version the parser finds elsewhere is answered the same way.
  const parsed = versionFirst(argv.slice(2))
    ? ({ kind: 'version' } as const)
    : await (await import('./commands/program.js')).parseCommandLine(argv, lang);
  if (parsed.kind === 'exit') return parsed.code;
  // --verbose may stand on either side of --version.
  const verbose = argv.slice(2).includes('--verbose');
  const runner =
    parsed.kind === 'version'
      ? async (ctx: CommandContext) => (await import('./commands/version.js')).runVersion(ctx, packageVersion(), verbose)
      : parsed.runner;
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
