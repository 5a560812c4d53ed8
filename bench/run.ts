/**
 * `npm run bench`: real measurements on this machine, never part of `npm test`. Writes
 * bench/results.json and bench/RESULTS.md. Flags: --only failover,sequential,failoverLarge,drill,capture,ui,startup
 * --runs N (failover runs, default 3) --scale F (lab latency scale, default 0.2) --seq-vms N (16).
 */
import '../src/production-env.js'; // first: React's build as the CLI loads it
import '../src/heap-growth.js'; // the heap policy the CLI sets
import { execSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { boundVms, computeBound, computeDrillBound, drillBoundVms, type BoundBreakdown } from './bound.js';
import { measureCapture, type CaptureResult } from './capture.js';
import { commandKinds, measureFailover, stepTimes, type FailoverMeasurement } from './failover.js';
import { repoRoot } from './lab-process.js';
import { slotTimes } from './slot-time.js';
import { builtinRunbookPath } from '../src/runbook/builtin.js';
import { loadRunbook, stagesOf } from '../src/runbook/runbook.js';
import { renderResults } from './results-md.js';
import { measureStartup } from './startup.js';
import { measureFrames, measureIdleCpu, type FrameResult, type IdleResult } from './ui.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const only = new Set((flag('only') ?? 'failover,sequential,failoverLarge,drill,capture,ui,startup').split(','));
const RUNS = Number(flag('runs') ?? 3);
const SCALE = Number(flag('scale') ?? 0.2);
const SEQ_VMS = Number(flag('seq-vms') ?? 16);
const VMS = 200;
const HOSTS = 8;
const PER_HOST = 4;
const SEED = 7;
const LARGE_VMS = 2000;
const LARGE_HOSTS = 40;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

function boundOf(m: FailoverMeasurement, perHost: number): BoundBreakdown {
  const power = new Map(m.capture.vms.map((v) => [v.name, v.power]));
  // The lab's site file: dc* VMs are the infra group, the rest apps (see src/lab/lab.ts siteYaml).
  const groups = groupsOf(m.before.vms.filter((v) => v.name !== m.before.vcenter).map((v) => v.name));
  const vms = boundVms(m.before, power, groups);
  const lockdown = Object.entries(m.before.lockdown)
    .filter(([, on]) => on)
    .map(([h]) => h);
  return computeBound(
    m.profile,
    vms,
    lockdown,
    m.before.hosts.map((h) => h.name),
    perHost,
  );
}

/** The lab's site file: dc* VMs are the infra group, the rest apps (see src/lab/lab.ts siteYaml). */
function groupsOf(names: string[]): string[][] {
  return [names.filter((n) => /^dc\d+$/.test(n)), names.filter((n) => !/^dc\d+$/.test(n))].filter((g) => g.length);
}

function drillBoundOf(m: FailoverMeasurement, perHost: number): BoundBreakdown {
  const power = new Map(m.capture.vms.map((v) => [v.name, v.power]));
  const primary = m.capture.vms.find((v) => v.isVcenter)?.datastore ?? m.before.vms[0]!.datastore;
  const vms = drillBoundVms(m.before, primary, power, groupsOf(m.before.vms.map((v) => v.name)));
  const lockdown = Object.entries(m.before.lockdown)
    .filter(([, on]) => on)
    .map(([h]) => h);
  return computeDrillBound(m.profile, vms, lockdown, perHost);
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, n) => a + n, 0);
}

function esxCommands(m: FailoverMeasurement): number {
  return Object.entries(m.commands)
    .filter(([h]) => h !== 'cluster1')
    .reduce((a, [, n]) => a + n, 0);
}

async function main(): Promise<void> {
  // A section run in a process of its own (failoverLarge) belongs to the bench run that started it.
  const started = new Date(process.env['DRBOOK_BENCH_STARTED_AT'] ?? Date.now());
  const load0 = os.loadavg();
  const results: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  /** Written after every section, so a bench stopped half-way keeps what it measured. */
  const save = (): Record<string, unknown> => {
    const machine = {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memGb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadAverageBefore: load0.map((x) => round(x, 2)),
      loadAverageAfter: os.loadavg().map((x) => round(x, 2)),
      commit: (() => {
        try {
          return execSync('git rev-parse --short HEAD', { cwd: repoRoot, encoding: 'utf8' }).trim();
        } catch {
          return 'unknown';
        }
      })(),
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
    };
    // Sections not run this time keep their previous figures.
    const file = path.join(repoRoot, 'bench', 'results.json');
    let previous: Record<string, unknown> = {};
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // first run
    }
    const prevDetails = (previous['details'] ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = {};
    // Each section says when, at which commit and under which load it was measured: a run of some
    // sections keeps the others' figures, and RESULTS.md must not pass them off as this run's.
    const measured = { measuredAt: started.toISOString(), commit: machine.commit, loadAverageBefore: machine.loadAverageBefore };
    for (const k of ['failover', 'ssh', 'failoverLarge', 'drill', 'capture', 'ui', 'startup'])
      merged[k] = { ...(previous[k] ?? {}), ...(results[k] ?? {}), ...(results[k] ? measured : {}) };
    // The speed-up is derived, so it follows whichever of its two figures was measured this time.
    const f = merged['failover'] as Record<string, number>;
    if (f['sequentialMs'] && f['wallMs']) f['speedupVsSequential'] = round(f['sequentialMs'] / f['wallMs'], 1);
    merged['machine'] = machine;
    merged['details'] = { ...prevDetails, ...extra };
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
    writeFileSync(path.join(repoRoot, 'bench', 'RESULTS.md'), renderResults(merged));
    log(`wrote ${file} and bench/RESULTS.md`);
    return merged;
  };

  if (only.has('failover')) {
    const runs: FailoverMeasurement[] = [];
    for (let i = 0; i < RUNS; i++) {
      log(`failover ${i + 1}/${RUNS}: ${VMS} VMs on ${HOSTS} hosts, perHost ${PER_HOST}, latency real x${SCALE}`);
      const m = await measureFailover({ hosts: HOSTS, vms: VMS, seed: SEED, latencyScale: SCALE, perHost: PER_HOST, maxHosts: 16 });
      if (m.outcome !== 'done') throw new Error(`failover run ${i + 1} ended ${m.outcome}`);
      log(`  ${round(m.wallMs / 1000, 2)} s`);
      runs.push(m);
    }
    const walls = runs.map((r) => r.wallMs);
    const med = runs.find((r) => r.wallMs === median(walls))!;
    const bound = boundOf(med, PER_HOST);
    const perHostConnections = Object.entries(med.connections).filter(([h]) => h !== 'cluster1');
    results['failover'] = {
      vms: VMS,
      hosts: HOSTS,
      wallMs: Math.round(median(walls)),
      boundMs: Math.round(bound.totalMs),
      ratioToBound: round(median(walls) / bound.totalMs, 3),
    };
    results['ssh'] = {
      connectionsPerHost: Math.max(...perHostConnections.map(([, n]) => n)),
      commandsPerVm: round(esxCommands(med) / VMS, 1),
      // What those execs carried: reads asked for at the same moment share one (src/transport/batch.ts).
      deviceCommandsPerVm: round(sumOf(commandKinds(med.events, 'cluster1')) / VMS, 1),
    };
    extra['failover'] = {
      runsMs: walls.map((w) => Math.round(w)),
      latencyScale: SCALE,
      perHost: PER_HOST,
      pollMs: med.pollMs,
      profile: med.profile,
      boundSteps: bound.steps,
      measuredSteps: stepTimes(med.events),
      sequentialModelMs: Math.round(bound.sequentialModelMs),
      drbookCpuMs: Math.round(med.cpuMs),
      labCpuMs: med.labCpuMs === null ? null : Math.round(med.labCpuMs),
      slotPerVm: slotsOf(med),
    };
    extra['ssh'] = {
      connections: med.connections,
      commands: med.commands,
      ontapCommands: med.commands['cluster1'] ?? 0,
      commandKinds: commandKinds(med.events, 'cluster1'),
    };
  }

  save();
  if (only.has('failoverLarge') && only.size > 1) {
    // In a process of its own: its peak RSS is then drbook's alone, not also what the sections
    // before it left in this process (320 MB after the 200-VM failovers against 284-288 MB alone).
    // The child writes its figures into results.json; this process's later saves keep them.
    log('failoverLarge: in a process of its own');
    const args = process.argv.slice(2);
    const at = args.indexOf('--only');
    if (at >= 0) args.splice(at, 2);
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args, '--only', 'failoverLarge'], {
      stdio: 'inherit',
      env: { ...process.env, DRBOOK_BENCH_STARTED_AT: started.toISOString() },
    });
    if (child.status !== 0) throw new Error(`the failoverLarge process ended with ${child.status ?? child.signal}`);
  } else if (only.has('failoverLarge')) {
    log(`failoverLarge: ${LARGE_VMS} VMs on ${LARGE_HOSTS} hosts, perHost ${PER_HOST}, every host at once, latency real x${SCALE}`);
    const m = await measureFailover({
      hosts: LARGE_HOSTS,
      vms: LARGE_VMS,
      seed: SEED,
      latencyScale: SCALE,
      perHost: PER_HOST,
      maxHosts: LARGE_HOSTS,
      sampleRss: true,
    });
    if (m.outcome !== 'done') throw new Error(`failoverLarge ended ${m.outcome}`);
    const bound = boundOf(m, PER_HOST);
    log(`  ${round(m.wallMs / 1000, 2)} s (bound ${round(bound.totalMs / 1000, 2)} s)`);
    results['failoverLarge'] = {
      vms: LARGE_VMS,
      hosts: LARGE_HOSTS,
      wallMs: Math.round(m.wallMs),
      boundMs: Math.round(bound.totalMs),
      ratioToBound: round(m.wallMs / bound.totalMs, 3),
      commandsPerVm: round(esxCommands(m) / LARGE_VMS, 1),
      deviceCommandsPerVm: round(sumOf(commandKinds(m.events, 'cluster1')) / LARGE_VMS, 1),
      peakRssMb: round(m.peakRssMb ?? 0, 0),
    };
    extra['failoverLarge'] = {
      perHost: PER_HOST,
      latencyScale: SCALE,
      pollMs: m.pollMs,
      boundSteps: bound.steps,
      measuredSteps: stepTimes(m.events),
      drbookCpuMs: Math.round(m.cpuMs),
      labCpuMs: m.labCpuMs === null ? null : Math.round(m.labCpuMs),
      slotPerVm: slotsOf(m),
      connectionsPerHost: Math.max(
        ...Object.entries(m.connections)
          .filter(([h]) => h !== 'cluster1')
          .map(([, n]) => n),
      ),
      commandKinds: commandKinds(m.events, 'cluster1'),
      ontapCommands: m.commands['cluster1'] ?? 0,
      memoryAtPeakMb: m.memoryAtPeak && Object.fromEntries(Object.entries(m.memoryAtPeak).map(([k, b]) => [k, round(b / 2 ** 20, 0)])),
    };
  }

  save();
  if (only.has('drill')) {
    log(`drill: ${VMS} VMs on ${HOSTS} hosts, perHost ${PER_HOST}, latency real x${SCALE}`);
    const m = await measureFailover({
      hosts: HOSTS,
      vms: VMS,
      seed: SEED,
      latencyScale: SCALE,
      perHost: PER_HOST,
      maxHosts: 16,
      drill: true,
    });
    if (m.outcome !== 'done') throw new Error(`drill ended ${m.outcome}`);
    const bound = drillBoundOf(m, PER_HOST);
    log(`  ${round(m.wallMs / 1000, 2)} s (bound ${round(bound.totalMs / 1000, 2)} s)`);
    results['drill'] = {
      vms: VMS,
      hosts: HOSTS,
      wallMs: Math.round(m.wallMs),
      boundMs: Math.round(bound.totalMs),
      ratioToBound: round(m.wallMs / bound.totalMs, 3),
      commandsPerVm: round(esxCommands(m) / VMS, 1),
      deviceCommandsPerVm: round(sumOf(commandKinds(m.events, 'cluster1')) / VMS, 1),
    };
    extra['drill'] = { boundSteps: bound.steps, measuredSteps: stepTimes(m.events), commandKinds: commandKinds(m.events, 'cluster1') };
  }

  save();
  if (only.has('sequential')) {
    log(`sequential: ${SEQ_VMS} VMs on ${HOSTS} hosts, perHost 1, hosts 1, latency real x${SCALE}`);
    const m = await measureFailover({ hosts: HOSTS, vms: SEQ_VMS, seed: SEED, latencyScale: SCALE, perHost: 1, maxHosts: 1 });
    if (m.outcome !== 'done') throw new Error(`sequential run ended ${m.outcome}`);
    const steps = stepTimes(m.events);
    // The per-VM steps grow with the VMs (one after another); the site steps and vCenter do not.
    const perVmPart = (steps['fence'] ?? 0) + (steps['recover'] ?? 0) + (steps['verify'] ?? 0);
    const fixed = m.wallMs - perVmPart;
    const sequentialMs = fixed + (perVmPart * VMS) / SEQ_VMS;
    const bound = boundOf(m, 1);
    const f = (results['failover'] ?? {}) as Record<string, number>;
    results['failover'] = { ...f, sequentialMs: Math.round(sequentialMs) };
    extra['sequential'] = {
      vms: SEQ_VMS,
      measuredMs: Math.round(m.wallMs),
      measuredSteps: steps,
      scaledTo: VMS,
      method: `fixed part (site steps, vCenter) + (fence + recover + verify) x ${VMS}/${SEQ_VMS}`,
      modelMsForSubset: Math.round(bound.sequentialModelMs),
    };
  }

  save();
  if (only.has('capture')) {
    log('capture: 2,000 VMs on 20 hosts, latency none, drbook capture x3');
    const c: CaptureResult = await measureCapture(2000, 20, 3);
    results['capture'] = {
      vms: c.vms,
      hosts: c.hosts,
      wallMs: Math.round(c.wallMs),
      peakRssMb: c.peakRssMb === null ? null : round(c.peakRssMb, 0),
    };
    extra['capture'] = { runsMs: c.runs.map((x) => Math.round(x)), capturedVms: c.capturedVms };
  }

  save();
  if (only.has('ui')) {
    log('ui: frames of the failover screen with 2,000 VMs at 160x48');
    const fr: FrameResult = await measureFrames(2000, 20, 120);
    log('ui: CPU while a 200-VM run waits on a SnapRestore (TUI mounted, lab at real-time latency)');
    const idle: IdleResult = await measureIdleCpu(200, 8);
    results['ui'] = {
      vms: fr.vms,
      frameMedianMs: round(fr.frameMedianMs, 1),
      frameP95Ms: round(fr.frameP95Ms, 1),
      idleCpuPercent: round(idle.idleCpuPercent, 1),
    };
    extra['ui'] = {
      frames: fr.frames,
      framesWithoutWrite: fr.framesWithoutWrite,
      reduceMedianMs: round(fr.reduceMedianMs, 2),
      cpuPerFrameMs: round(fr.cpuPerFrameMs, 1),
      idleWindowMs: Math.round(idle.windowMs),
      idleWhat: idle.what,
    };
  }

  save();
  if (only.has('startup')) {
    log('startup: drbook --version / --help x15');
    const s = measureStartup(15);
    results['startup'] = { versionMs: round(s.versionMs, 0), helpMs: round(s.helpMs, 0), nodeMs: round(s.nodeMs, 0) };
  }

  const merged = save();
  process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
}

await main();

/** Where a host slot's time went per VM in the fence and the recover (bench/slot-time.ts); the failover runbook's `slot: false` stages hold none. */
function slotsOf(m: FailoverMeasurement): ReturnType<typeof slotTimes> {
  const runbook = loadRunbook(builtinRunbookPath('vsc-snapmirror-failover'));
  const unslotted = new Set(
    runbook.steps.flatMap((st) =>
      stagesOf(st)
        .filter((x) => !x.slot)
        .map((x) => x.id),
    ),
  );
  return slotTimes(m.events, ['fence', 'recover'], unslotted);
}
