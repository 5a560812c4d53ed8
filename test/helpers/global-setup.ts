import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// Tests that spawn the real CLI run dist/cli.js, so build it once per test run (`tsc -b`, as
// `npm run build` does: nothing is written when dist/ is up to date).
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    // tsc still emits on type errors; the typecheck step of .ci/run is what fails on them.
  }
}
