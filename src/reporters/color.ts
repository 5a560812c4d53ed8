import { Chalk, type ChalkInstance } from 'chalk';

type Level = 0 | 1 | 2 | 3;

/**
 * The color level for a stream, from the command's own env (not process.env). chalk's bundled
 * detection ignores NO_COLOR (https://no-color.org), so it is decided here.
 */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): Level {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const n = Number.parseInt(force, 10);
    return (Number.isNaN(n) ? 1 : Math.max(0, Math.min(3, n))) as Level;
  }
  if (!isTTY || env['TERM'] === 'dumb') return 0;
  if (env['COLORTERM'] === 'truecolor' || env['COLORTERM'] === '24bit') return 3;
  if (/-256(color)?$/i.test(env['TERM'] ?? '')) return 2;
  return 1;
}

export function chalkFor(env: NodeJS.ProcessEnv, isTTY: boolean): ChalkInstance {
  return new Chalk({ level: colorLevel(env, isTTY) });
}
