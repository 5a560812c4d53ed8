/**
 * The command line's grammar: drbook's own options and every command (src/commands/*), parsed by
 * commander. cli.ts loads it only when there is something to parse: for `drbook --version`,
 * commander and the command modules would be most of the start-up time.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import type { Lang } from '../i18n/lang.js';
import { parserErrorText } from '../parser-errors.js';
import { registerLab } from './lab.js';
import { registerParse } from './parse.js';
import { registerInit } from './init.js';
import { registerInventory } from './inventory.js';
import { registerCapture } from './capture.js';
import { registerFailover } from './failover.js';
import { registerPlan } from './plan.js';
import { registerDrill } from './drill.js';
import { registerDemo } from './demo.js';
import { registerCheck } from './check.js';
import { registerStatus } from './status.js';
import { registerPlace } from './place.js';
import { registerUnlock } from './unlock.js';
import { registerWayBack } from './wayback.js';

export type Runner = (ctx: CommandContext) => Promise<ExitCode>;

/** What the command line asks for: a command to run, the version, or only an exit code (help shown, bad usage). */
export type Parsed = { kind: 'run'; runner: Runner | undefined } | { kind: 'version' } | { kind: 'exit'; code: ExitCode };

/** `--version` was given: answered after parsing stops, so that `--verbose` can ask for more. */
class VersionAsked extends Error {}

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

/** Parse `argv` (node, script, arguments…); help and usage errors are written here. */
export async function parseCommandLine(argv: string[], lang: Lang): Promise<Parsed> {
  let runner: Runner | undefined;
  const program = buildProgram((r) => {
    runner = r;
  }, lang);
  if (argv.length <= 2) {
    program.outputHelp();
    return { kind: 'exit', code: EXIT.ok };
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof VersionAsked) return { kind: 'version' };
    if (err instanceof CommanderError) {
      const help = err.code === 'commander.helpDisplayed' || err.code === 'commander.help';
      return { kind: 'exit', code: help ? EXIT.ok : EXIT.usage };
    }
    throw err;
  }
  return { kind: 'run', runner };
}
