/**
 * The lab in its own process (`node dist/cli.js lab up`), so that its simulation does not share
 * drbook's event loop: the failover and capture figures are drbook's own, on its own thread.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { controlRequest, type LabStatus } from '../src/lab/lab.js';
import type { Backup } from '../src/lab/model.js';

export interface LabProcessOptions {
  dir: string;
  hosts: number;
  vms: number;
  seed: number;
  latency: 'none' | 'demo' | 'real';
  latencyScale?: number;
  faults?: string | undefined;
}

export interface LabProcess {
  dir: string;
  siteFile: string;
  status(): Promise<LabStatus>;
  backup(): Promise<Backup[]>;
  disaster(): Promise<void>;
  stop(): Promise<void>;
  /** The lab process's CPU time so far (user + system, ms), from /proc; null where there is none. */
  cpuMs(): number | null;
}

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every Linux that drbook's bench runs on). */
const USER_HZ = 100;

function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // The fields after the command name (which may hold spaces), counted from `state` (field 3).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

async function request<T>(dir: string, cmd: 'status' | 'backup' | 'disaster' | 'down'): Promise<T> {
  const r = await controlRequest(dir, { cmd }, 120_000);
  if (!r) throw new Error(`the lab in ${dir} did not answer ${cmd}`);
  if (!r.ok) throw new Error(`lab ${cmd}: ${r.error}`);
  return r.result as T;
}

export async function startLabProcess(o: LabProcessOptions): Promise<LabProcess> {
  mkdirSync(o.dir, { recursive: true });
  const args = [cliPath, 'lab', 'up', '--dir', o.dir, '--hosts', String(o.hosts), '--vms', String(o.vms), '--seed', String(o.seed)];
  args.push('--latency', o.latency, '--latency-scale', String(o.latencyScale ?? 1));
  if (o.faults) args.push('--faults', o.faults);
  // DRBOOK_BENCH_LAB_PROF=DIR: the lab writes a V8 CPU profile there when it stops (is the lab the bottleneck?).
  const prof = process.env['DRBOOK_BENCH_LAB_PROF'];
  const nodeArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const ready = path.join(o.dir, 'ready');
  // Wait for the lab's ready file (written once every endpoint listens).
  for (let i = 0; !existsSync(ready); i++) {
    if (gone) throw new Error(`the lab in ${o.dir} exited before it was ready`);
    if (i > 1200) throw new Error(`the lab in ${o.dir} was not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir: o.dir,
    siteFile: path.join(o.dir, 'site.yaml'),
    status: () => request<LabStatus>(o.dir, 'status'),
    backup: () => request<Backup[]>(o.dir, 'backup'),
    disaster: async () => void (await request<null>(o.dir, 'disaster')),
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      if (gone) return;
      await controlRequest(o.dir, { cmd: 'down' }, 10_000);
      const t = setTimeout(() => child.kill('SIGTERM'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
