/**
 * UI cost: the real Ink failover screen (renderFailover) on a 160x48 fake terminal with 2,000 VMs,
 * timed from the store update to the frame Ink writes; and the CPU drbook uses while a run waits
 * on a slow device (a SnapRestore) with that screen mounted.
 */
import { loadSqlite } from '../src/journal/sqlite.js';
import type { EngineEvent } from '../src/engine/events.js';
import { initialViewModel, reduce, type ViewModel } from '../src/engine/view-model.js';
import { InkPrompter } from '../src/ui/ink-prompter.js';
import { renderFailover } from '../src/ui/render-failover.js';
import { createStore } from '../src/ui/store.js';
import { measureFailover } from './failover.js';
import { FakeTty, FakeTtyIn, nullStream } from './quiet-context.js';

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

const STAGES = ['restore-files', 'register', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'];
const STEPS = [
  'preflight',
  'before-break',
  'break',
  'snaprestore',
  'lockdown-exit',
  'mount',
  'fence',
  'vcenter',
  'recover',
  'verify',
  'end',
  'lockdown-enter',
];

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export interface FrameResult {
  vms: number;
  frames: number;
  /** Updates after which Ink wrote nothing within 1 s (the frame did not change). */
  framesWithoutWrite: number;
  frameMedianMs: number;
  frameP95Ms: number;
  /** The reducer's share: folding one update's events into the view model. */
  reduceMedianMs: number;
  /** CPU time of the whole process per measured update (less sensitive to a loaded machine than wall time). */
  cpuPerFrameMs: number;
}

/** A seeded sequence so every bench run moves the same VMs. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export async function measureFrames(vms = 2000, hosts = 20, frames = 120): Promise<FrameResult> {
  let at = Date.now();
  const ev = (e: Record<string, unknown>) => ({ ...e, at: at++ }) as unknown as EngineEvent;
  let vm: ViewModel = initialViewModel();
  const ids = Array.from({ length: vms }, (_, i) => `vm:vm${String(i).padStart(4, '0')}/vm${String(i).padStart(4, '0')}.vmx`);
  const boot: EngineEvent[] = [
    ev({ type: 'run.started', runId: 'bench', site: 'lab', runbook: 'vsc-snapmirror-failover', resumed: false }),
  ];
  for (const s of STEPS) boot.push(ev({ type: 'step.state', stepId: s, state: 'waiting', title: s }));
  for (const s of STEPS.slice(0, 8)) boot.push(ev({ type: 'step.state', stepId: s, state: 'done' }));
  boot.push(ev({ type: 'step.state', stepId: 'recover', state: 'running' }));
  boot.push(
    ev({
      type: 'step.targets',
      stepId: 'recover',
      stages: STAGES,
      targets: ids.map((id, i) => ({
        id,
        label: `app-${String(i).padStart(4, '0')}`,
        host: `esx${String((i % hosts) + 1).padStart(2, '0')}`,
        group: i < 40 ? 0 : 1,
      })),
    }),
  );
  for (const e of boot) vm = reduce(vm, e);
  const store = createStore(vm);
  const stdout = new FakeTty(160, 48);
  const stdin = new FakeTtyIn();
  const screen = renderFailover({
    viewModelStore: store,
    prompter: new InkPrompter(),
    lang: 'en',
    noColor: true,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: nullStream(),
    onPause: () => undefined,
    onQuit: () => undefined,
  });
  const nextWrite = (timeoutMs: number) =>
    new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        stdout.onWrite = undefined;
        resolve(null);
      }, timeoutMs);
      stdout.onWrite = () => {
        clearTimeout(t);
        stdout.onWrite = undefined;
        resolve(performance.now());
      };
    });
  const gap = () => new Promise((r) => setTimeout(r, 70));
  await nextWrite(2000);
  await gap();
  const rnd = lcg(42);
  const order = ids.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let next = 0;
  let unchanged = 0;
  const times: number[] = [];
  const reduces: number[] = [];
  let cpu0: NodeJS.CpuUsage | undefined;
  // Warm-up frames are not counted (JIT, first layout).
  for (let f = 0; f < frames + 10; f++) {
    if (f === 10) cpu0 = process.cpuUsage();
    // Ten VMs finish their pipeline per update: the counters in the header change every frame.
    const batch: EngineEvent[] = [];
    for (let k = 0; k < 10; k++) {
      const id = order[next++ % order.length]!;
      for (const stage of STAGES) {
        batch.push(ev({ type: 'target.state', stepId: 'recover', targetId: id, state: 'running', stage }));
        batch.push(ev({ type: 'target.state', stepId: 'recover', targetId: id, state: 'done', stage }));
      }
      batch.push(ev({ type: 'target.state', stepId: 'recover', targetId: id, state: 'done' }));
    }
    const r0 = performance.now();
    for (const e of batch) vm = reduce(vm, e);
    const r1 = performance.now();
    const written = nextWrite(1000);
    const t0 = performance.now();
    store.set(vm);
    const t1 = await written;
    if (f >= 10 && t1 === null) unchanged++;
    if (f >= 10 && t1 !== null) {
      times.push(t1 - t0);
      reduces.push(r1 - r0);
    }
    await gap();
  }
  const cpu = process.cpuUsage(cpu0);
  screen.unmount();
  times.sort((a, b) => a - b);
  reduces.sort((a, b) => a - b);
  return {
    vms,
    frames: times.length,
    framesWithoutWrite: unchanged,
    frameMedianMs: quantile(times, 0.5),
    frameP95Ms: quantile(times, 0.95),
    reduceMedianMs: quantile(reduces, 0.5),
    cpuPerFrameMs: (cpu.user + cpu.system) / 1000 / frames,
  };
}

export interface IdleResult {
  idleCpuPercent: number;
  windowMs: number;
  vms: number;
  what: string;
}

/**
 * A 200-VM failover with the TUI mounted on a fake terminal and the lab at real-time latencies:
 * the confirmations are typed into the screen, and drbook's CPU is measured while the SnapRestore
 * (5 s on the lab) runs. Then the run is stopped (resumable) and the finished screen left.
 */
export async function measureIdleCpu(vms = 200, hosts = 8): Promise<IdleResult> {
  let out: IdleResult | undefined;
  await measureFailover({
    hosts,
    vms,
    seed: 7,
    latencyScale: 1,
    perHost: 4,
    maxHosts: 16,
    renderer: 'tui',
    during: async ({ dbPath, abort, type, finished }) => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        let seq = 0;
        let windowStart: { t: number; cpu: NodeJS.CpuUsage; id: string } | undefined;
        const typed = new Set<string>();
        const deadline = performance.now() + 120_000;
        const stmt = db.prepare('SELECT seq, payload FROM events WHERE seq > ? ORDER BY seq');
        const status = db.prepare('SELECT status FROM runs');
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
        while (!out && performance.now() < deadline) {
          await sleep(50);
          for (const row of stmt.all(seq) as { seq: number; payload: string }[]) {
            seq = row.seq;
            const e = JSON.parse(row.payload) as EngineEvent;
            if (process.env['BENCH_DEBUG'])
              console.error(e.type, 'stepId' in e ? e.stepId : '', 'state' in e ? e.state : '', 'command' in e ? e.command : '');
            if (e.type === 'prompt.requested' && e.kind === 'typed' && e.expect && !typed.has(e.promptId)) {
              typed.add(e.promptId);
              // Let the dialog mount before typing into it.
              await sleep(400);
              type(e.expect);
              await sleep(100);
              type('\r');
            }
            if (e.type === 'command.started' && e.command.includes('snapshot restore') && !windowStart) {
              windowStart = { t: performance.now(), cpu: process.cpuUsage(), id: e.id };
            }
            if (e.type === 'command.finished' && windowStart && e.id === windowStart.id) {
              const cpu = process.cpuUsage(windowStart.cpu);
              const ms = performance.now() - windowStart.t;
              out = {
                idleCpuPercent: ((cpu.user + cpu.system) / 1000 / ms) * 100,
                windowMs: ms,
                vms,
                what: 'SnapRestore (TUI mounted, 160x48)',
              };
            }
          }
        }
        if (process.env['BENCH_DEBUG']) console.error('measured', out);
        abort('bench: the idle window is measured');
        // The stopped run's screen waits for a key: press some until the session has returned.
        const keys = ['\u0003']; // Ctrl+C leaves the finished screen
        for (let i = 0; i < 600 && !finished(); i++) {
          const st = (status.get() as { status: string } | undefined)?.status;
          if (process.env['BENCH_DEBUG'] && i % 10 === 0) console.error('status', st, finished());
          if (st !== 'active') type(keys[i % keys.length]!);
          await sleep(100);
        }
      } finally {
        db.close();
      }
    },
  });
  if (!out) throw new Error('the SnapRestore window was never seen');
  return out;
}
