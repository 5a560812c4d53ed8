/**
 * One measured failover: a fresh lab process (same seed and profile every time), a VSC backup,
 * the capture, the disaster, then `runFailoverSession` — the code `drbook failover --plain/--json`
 * runs — timed from the call to its return (journal, SSH pool, engine, report included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EngineEvent } from '../src/engine/events.js';
import { runFailoverSession, type Renderer } from '../src/failover/session.js';
import { runDrillSession } from '../src/drill/session.js';
import { collectCapture } from '../src/inventory/collect.js';
import { CaptureStore } from '../src/inventory/store.js';
import type { Capture } from '../src/inventory/types.js';
import { openDatabase } from '../src/journal/db.js';
import { Journal } from '../src/journal/journal.js';
import type { LabStatus } from '../src/lab/lab.js';
import type { LatencyProfile } from '../src/lab/latency.js';
import { loadSite, type Site } from '../src/runbook/site.js';
import { createSshPool } from '../src/transport/ssh/pool.js';
import { startLabProcess, type LabProcess } from './lab-process.js';
import { FakeTty, FakeTtyIn, quietContext } from './quiet-context.js';

export interface FailoverBenchOptions {
  hosts: number;
  vms: number;
  seed: number;
  latencyScale: number;
  perHost: number;
  /** Hosts worked on at once (1 = one VM at a time with perHost 1). */
  maxHosts: number;
  renderer?: Renderer;
  /** Sample this process's RSS during the run (peakRssMb). */
  sampleRss?: boolean;
  /** A drill instead (the lab stays healthy: no disaster; the drill's VMs run on a FlexClone). */
  drill?: boolean;
  /** Called once the failover has started (for the idle-CPU window). */
  during?: (p: {
    dbPath: string;
    abort: (why: string) => void;
    lab: LabProcess;
    type: (keys: string) => void;
    finished: () => boolean;
  }) => Promise<void>;
}

export interface FailoverMeasurement {
  wallMs: number;
  cpuMs: number;
  outcome: string;
  exitCode: number;
  events: EngineEvent[];
  capture: Capture;
  /** The lab after the disaster, before the failover (what the bound is computed from). */
  before: LabStatus;
  profile: LatencyProfile;
  connections: Record<string, number>;
  commands: Record<string, number>;
  pollMs: number;
  /**
   * Highest RSS of this process (drbook's engine, pool, journal, report; the lab runs apart) from the
   * call to the session's return, sampled every 100 ms and once more at the return.
   */
  peakRssMb: number | null;
  /** process.memoryUsage() at the sample with the highest RSS: which part of the process peaked. */
  memoryAtPeak: NodeJS.MemoryUsage | null;
  /** The lab process's CPU time during the run (its 40 hosts' SSH servers and simulation share one thread). */
  labCpuMs: number | null;
}

/** Timings drbook is given: the site defaults are for real devices, the lab runs `latencyScale` faster. */
export function timingFor(profile: LatencyProfile): { killVerifyMs: number; heartbeatMs: number; pollMs: number } {
  const scale = profile.scale;
  return {
    // drbook's default poll interval is 1 s against a real site; the lab's clock runs `scale` times as fast.
    pollMs: Math.max(10, Math.round(1000 * scale)),
    killVerifyMs: Math.max(2000, profile.killSoft * 4),
    heartbeatMs: Math.max(5000, profile.heartbeat * 5),
  };
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}

export async function measureFailover(o: FailoverBenchOptions): Promise<FailoverMeasurement> {
  const dir = mkdtempSync(path.join(process.env['DRBOOK_BENCH_TMP'] ?? tmpdir(), 'drbook-bench-'));
  const lab = await startLabProcess({ dir, hosts: o.hosts, vms: o.vms, seed: o.seed, latency: 'real', latencyScale: o.latencyScale });
  try {
    const loaded = loadSite(lab.siteFile);
    // The lab writes default concurrency; the bench says exactly what it measures.
    const site: Site = { ...loaded, concurrency: { perHost: o.perHost, hosts: o.maxHosts } };
    const dbPath = path.join(dir, 'drbook.db');
    await lab.backup();
    const db = openDatabase(dbPath);
    let capture: Capture;
    try {
      const pool = createSshPool([...site.endpoints.esxi, site.endpoints.ontap], { env: process.env });
      try {
        capture = await collectCapture({ site, pool, drbookVersion: 'bench' });
      } finally {
        await pool.close();
      }
      new CaptureStore(db).save(capture);
    } finally {
      db.close();
    }
    if (!o.drill) await lab.disaster();
    const before = await lab.status();
    const profile = before.latency;
    const timing = timingFor(profile);
    const stop = new AbortController();
    const tty = o.renderer === 'tui' ? { stdout: new FakeTty(160, 48), stdin: new FakeTtyIn() } : undefined;
    const ctx = quietContext(stop.signal, tty);
    let peakRss = 0;
    let atPeak: NodeJS.MemoryUsage | null = null;
    const sample = (): void => {
      const m = process.memoryUsage();
      if (m.rss > peakRss) [peakRss, atPeak] = [m.rss, m];
    };
    const sampler = o.sampleRss ? setInterval(sample, 100) : null;
    const cpu0 = process.cpuUsage();
    const labCpu0 = lab.cpuMs();
    const t0 = performance.now();
    const common = {
      ctx,
      site,
      dbPath,
      renderer: o.renderer ?? ('json' as const),
      lang: 'en' as const,
      ackManual: true,
      reportDir: path.join(dir, 'reports'),
    };
    const session = o.drill
      ? runDrillSession({ ...common, timing: { heartbeatMs: timing.heartbeatMs, pollMs: timing.pollMs, powerOnMs: timing.killVerifyMs } })
      : runFailoverSession({ ...common, confirm: site.relationship.destination, timing });
    let over = false;
    const side = o.during?.({
      dbPath,
      abort: (why) => stop.abort(new Error(why)),
      lab,
      type: (keys) => tty?.stdin.type(keys),
      finished: () => over,
    });
    let peakRssMb: number | null = null;
    const result = await session.finally(() => {
      over = true;
      if (sampler) {
        clearInterval(sampler);
        // The last sample is taken here, as drbook returns: what the bench loads after (the run's
        // events from the journal, the lab's status) is not drbook's memory.
        sample();
        peakRssMb = peakRss / 2 ** 20;
      }
    });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const labCpu1 = lab.cpuMs();
    await side;
    const after = await lab.status();
    const journal = Journal.open(dbPath);
    let events: EngineEvent[];
    try {
      events = journal.events(result.runId).map((s) => s.event as unknown as EngineEvent);
    } finally {
      journal.close();
    }
    return {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      labCpuMs: labCpu0 === null || labCpu1 === null ? null : labCpu1 - labCpu0,
      outcome: result.outcome,
      exitCode: result.exitCode,
      events,
      capture,
      before,
      profile,
      connections: diff(after.stats.connections, before.stats.connections),
      commands: diff(after.stats.commands, before.stats.commands),
      pollMs: timing.pollMs,
      peakRssMb,
      memoryAtPeak: atPeak,
    };
  } finally {
    await lab.stop();
    if (!process.env['DRBOOK_BENCH_KEEP']) rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of each step (first running → last state), from the run's events. */
export function stepTimes(events: readonly EngineEvent[]): Record<string, number> {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'step.state') continue;
    if (e.state === 'running' && !first.has(e.stepId)) first.set(e.stepId, e.at);
    last.set(e.stepId, e.at);
  }
  const out: Record<string, number> = {};
  for (const [k, t] of first) out[k] = (last.get(k) ?? t) - t;
  return out;
}

/** vim-cmd and esxcli by their verb; a shell command (cat, printf, test, grep) by its name alone: its arguments are paths or patterns. */
function commandKind(command: string): string {
  const words = command.split(' ');
  if (words[0] === 'esxcli')
    return words
      .slice(0, 4)
      .filter((w) => !w.startsWith('-'))
      .join(' ');
  return words[0] === 'vim-cmd' ? words.slice(0, 2).join(' ') : words[0]!;
}

/** ESXi commands of a run by kind (`vim-cmd vmsvc/power.getstate`, `esxcli vm process list`, …), most first. */
export function commandKinds(events: readonly EngineEvent[], skipHost: string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'command.started' || e.host === skipHost) continue;
    // A change behind its guard in one line (`guard | grep && change`) by each of its commands.
    const kind = e.command
      .split(' && ')
      .map((and) => and.split(' | ').map(commandKind).join(' | '))
      .join(' && ');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
