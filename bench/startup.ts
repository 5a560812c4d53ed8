/** `drbook --version` and `--help` wall time: spawn to exit, median of n (hyperfine is not needed for this). */
import { spawnSync } from 'node:child_process';
import { cliPath } from './lab-process.js';

export function measureStartup(n = 15): { versionMs: number; helpMs: number; versionRuns: number[]; helpRuns: number[] } {
  const time = (flag: string) => {
    spawnSync(process.execPath, [cliPath, flag]); // warm the file cache
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cliPath, flag], { encoding: 'utf8' });
      xs.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`drbook ${flag} exited ${r.status}: ${r.stderr}`);
    }
    return xs;
  };
  const versionRuns = time('--version');
  const helpRuns = time('--help');
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  return { versionMs: med(versionRuns), helpMs: med(helpRuns), versionRuns, helpRuns };
}
