/**
 * How the operator can run this very drbook again, for the commands drbook prints for them to type
 * (the demo's closing lines): `drbook` when that name on their PATH is this installation (npm
 * install -g, npm link), otherwise `node /absolute/path/dist/cli.js`, which works as printed from
 * any folder (with the Node that runs it now, when `node` on PATH is another). Folders npm puts on PATH only for a script or `npx` (node_modules/.bin) do not count:
 * the operator's shell will not have them.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

function real(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? realpathSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** The first executable called `name` on the operator's own PATH, resolved through its links. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || path.basename(dir) === '.bin') continue;
    const found = real(path.join(dir, name));
    if (found) return found;
  }
  return undefined;
}

/** The argv that starts this drbook from the operator's shell (quote it with shellLine to print it). */
export function drbookArgv(env: NodeJS.ProcessEnv): string[] {
  const self = real(CLI) ?? CLI;
  if (onPath('drbook', env) === self) return ['drbook'];
  const node = onPath('node', env) === real(process.execPath) ? 'node' : process.execPath;
  return [node, self];
}
