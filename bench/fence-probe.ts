/**
 * Where the fence's time goes: one bench failover (200 VMs / 8 hosts, perHost 4, scale 0.2), then
 * the fence step's commands by kind with their durations, each target's stage times, and the gap
 * between a world's kill and the end of its kill stage. Not part of `npm run bench`:
 * `flock /work/test.lock nice -n 10 node --expose-gc --import tsx bench/fence-probe.ts` (needs dist/ for the lab).
 */
import type { EngineEvent } from '../src/engine/events.js';
import { measureFailover, stepTimes } from './failover.js';

const m = await measureFailover({ hosts: 8, vms: 200, seed: 7, latencyScale: 0.2, perHost: 4, maxHosts: 16 });
const ev = m.events as (EngineEvent & { at: number })[];
console.log('wall', Math.round(m.wallMs), 'outcome', m.outcome, 'steps', stepTimes(m.events));
const fenceStart = ev.find((e) => e.type === 'step.state' && e.stepId === 'fence' && e.state === 'running')!.at;
const fenceEnd = ev.filter((e) => e.type === 'step.state' && e.stepId === 'fence').at(-1)!.at;
const started = new Map<string, EngineEvent & { type: 'command.started'; at: number }>();
const kinds = new Map<string, { n: number; ms: number }>();
const kindOf = (c: string) => {
  const w = c.split(' ');
  return w[0] === 'esxcli'
    ? w
        .slice(0, 4)
        .filter((x) => !x.startsWith('-'))
        .join(' ')
    : w.slice(0, 2).join(' ');
};
const cmds: { host: string; kind: string; at: number; end: number; target?: string; command: string }[] = [];
for (const e of ev) {
  if (e.at < fenceStart || e.at > fenceEnd) continue;
  if (e.type === 'command.started') started.set(e.id, e);
  if (e.type === 'command.finished') {
    const s = started.get(e.id);
    if (!s) continue;
    const k = kindOf(s.command);
    const r = kinds.get(k) ?? { n: 0, ms: 0 };
    r.n++;
    r.ms += e.durationMs;
    kinds.set(k, r);
    cmds.push({ host: s.host, kind: k, at: s.at, end: e.at, target: s.targetId, command: s.command });
  }
}
const stale = ev
  .filter((e) => e.type === 'step.targets' && e.stepId === 'fence')
  .flatMap((e) => (e.type === 'step.targets' ? e.targets : []));
const nVm = stale.length;
console.log('fence', fenceEnd - fenceStart, 'ms; targets', nVm);
for (const [k, r] of [...kinds].sort((a, b) => b[1].n - a[1].n))
  console.log(`  ${k.padEnd(40)} ${(r.n / nVm).toFixed(2)}/VM  mean ${(r.ms / r.n).toFixed(0)} ms`);
// Stage times per target.
const stageRun = new Map<string, number>();
const durs: Record<string, number[]> = {};
for (const e of ev) {
  if (e.type !== 'target.state' || e.stepId !== 'fence' || !e.stage) continue;
  const key = `${e.targetId}|${e.stage}`;
  if (e.state === 'running') stageRun.set(key, e.at);
  else if (stageRun.has(key)) (durs[e.stage] ??= []).push(e.at - stageRun.get(key)!);
}
const stat = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return `n ${s.length} mean ${(s.reduce((x, y) => x + y, 0) / s.length).toFixed(0)} p50 ${s[s.length >> 1]} max ${s.at(-1)}`;
};
for (const [k, a] of Object.entries(durs)) console.log('  stage', k, stat(a));
// The reads that find the stale VMs, before the first target runs.
const firstRun = ev.find((e) => e.type === 'target.state' && e.stepId === 'fence' && e.state === 'running');
console.log('  targets phase', (firstRun?.at ?? 0) - fenceStart, 'ms');
// Kill → gone: the kill's end to the kill stage's done.
const killGap: number[] = [];
const pollsPerKill: number[] = [];
for (const t of stale) {
  const kill = cmds.find((c) => c.kind === 'esxcli vm process kill' && c.command.includes(`world-id`) && c.target === t.id);
  const done = ev.find(
    (e) => e.type === 'target.state' && e.stepId === 'fence' && e.targetId === t.id && e.stage === 'kill' && e.state === 'done',
  );
  if (kill && done) killGap.push(done.at - kill.end);
  const polls = cmds.filter((c) => c.target === t.id && c.kind === 'esxcli vm process list');
  pollsPerKill.push(polls.length);
}
console.log('  kill end → kill stage done', stat(killGap));
console.log('  process lists carrying the target id', stat(pollsPerKill));
process.exit(0);
