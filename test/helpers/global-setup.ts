import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// Tests that spawn the real CLI run dist/cli.js, so build it once per test run (incremental, as
// `npm run build` is: nothing is written when dist/ is up to date). A failed build stops the run:
// tsc still emits on type errors, and tests passing against a dist/ that does not match src/
// would prove nothing.
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch (err) {
    throw new Error('the build of dist/ failed (tsc -p tsconfig.build.json, its errors above): fix them, then run the tests again', {
      cause: err,
    });
  }
}
