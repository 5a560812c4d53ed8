/**
 * Which renderer a run uses: the terminal UI, plain lines or NDJSON. Decided here for every
 * command that runs a runbook (failover, resume, drill, demo, Hyper-V recovery).
 */
import { OperatorError } from '../errors.js';

export type Renderer = 'tui' | 'plain' | 'json';

/**
 * Whether the full-screen UI can run: a terminal on both ends, and no CI variable — Ink draws no
 * frames at all when CI or CONTINUOUS_INTEGRATION is set (is-in-ci), so a confirmation would be
 * waiting on a screen nobody can see. Then the plain renderer is used, which says which flag to pass.
 */
export function canUseTerminalUi(ctx: { interactive: boolean; env: NodeJS.ProcessEnv }): boolean {
  const set = (k: string) => k in ctx.env && ctx.env[k] !== '0' && ctx.env[k] !== 'false';
  return ctx.interactive && !set('CI') && !set('CONTINUOUS_INTEGRATION');
}

/** `--plain` / `--json` as given, refused together; without either, the UI where it can run. */
export function chooseRenderer(
  ctx: { interactive: boolean; env: NodeJS.ProcessEnv },
  flags: { plain?: boolean | undefined; json?: boolean | undefined },
): Renderer {
  if (flags.plain && flags.json) throw new OperatorError('--plain and --json cannot be used together', 'pick one');
  if (flags.json) return 'json';
  if (flags.plain || !canUseTerminalUi(ctx)) return 'plain';
  return 'tui';
}
