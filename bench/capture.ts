/**
 * `drbook capture` of a 2,000-VM, 20-host lab (latency none): the real CLI in its own process,
 * wall time from spawn to exit, peak RSS from /usr/bin/time (GNU time's %M, in KiB).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, startLabProcess } from './lab-process.js';

export interface CaptureResult {
  vms: number;
  hosts: number;
  wallMs: number;
  peakRssMb: number | null;
  runs: number[];
  capturedVms: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export async function measureCapture(vms = 2000, hosts = 20, runs = 3): Promise<CaptureResult> {
  const dir = mkdtempSync(path.join(process.env['DRBOOK_BENCH_TMP'] ?? tmpdir(), 'drbook-bench-capture-'));
  const lab = await startLabProcess({ dir, hosts, vms, seed: 7, latency: 'none' });
  try {
    const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
    const walls: number[] = [];
    const rss: number[] = [];
    let captured = 0;
    for (let i = 0; i < runs; i++) {
      const db = path.join(dir, `capture-${i}.db`);
      const args = [cliPath, 'capture', '--site', lab.siteFile, '--db', db, '--json'];
      const t0 = performance.now();
      const r = time
        ? spawnSync(time, ['-f', 'BENCH_RSS_KB=%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
        : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
      walls.push(performance.now() - t0);
      // Exit 3 = finished with audit findings: still a complete capture.
      if (r.status !== 0 && r.status !== 3) throw new Error(`drbook capture exited ${r.status}: ${r.stderr.slice(-500)}`);
      const m = /BENCH_RSS_KB=(\d+)/.exec(r.stderr);
      if (m) rss.push(Number(m[1]) / 1024);
      const json = r.stdout.slice(r.stdout.indexOf('{'));
      captured = (JSON.parse(json) as { vms: number }).vms;
    }
    return { vms, hosts, wallMs: median(walls), peakRssMb: rss.length ? Math.max(...rss) : null, runs: walls, capturedVms: captured };
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
