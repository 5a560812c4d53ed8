/** `drbook --version` and `--help` wall time: spawn to exit, median of n (hyperfine is not needed for this). */
import { spawnSync } from 'node:child_process';
import { cliPath } from './lab-process.js';

export function measureStartup(n = 15): { versionMs: number; helpMs: number; nodeMs: number; versionRuns: number[]; helpRuns: number[] } {
  const time = (args: string[]) => {
    spawnSync(process.execPath, args); // warm the file cache
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      xs.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    return xs;
  };
  const versionRuns = time([cliPath, '--version']);
  const helpRuns = time([cliPath, '--help']);
  // Node alone, started the same way: what of the figure is not drbook's.
  const nodeRuns = time(['-e', '']);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  return { versionMs: med(versionRuns), helpMs: med(helpRuns), nodeMs: med(nodeRuns), versionRuns, helpRuns };
}
