import type { EngineEvent } from '../src/engine/events.js';
import { measureFailover, stepTimes } from '../bench/failover.js';
const m = await measureFailover({ hosts: 2, vms: 20, seed: 7, latencyScale: 0.2, perHost: 4, maxHosts: 16 });
const ev = m.events as (EngineEvent & { at: number })[];
console.log('wall', Math.round(m.wallMs), 'outcome', m.outcome, stepTimes(m.events), m.commands);
const t0 = ev[0]!.at;
const byTarget = new Map<string, string[]>();
for (const e of ev) {
  if (e.type !== 'command.started' || e.host === 'cluster1') continue;
  const k = `${e.stepId}/${e.targetId ?? '-'}`;
  const w = e.command.split(' ');
  const kind = w[0] === 'esxcli' ? w.slice(0, 4).filter((x) => !x.startsWith('-')).join(' ') : w.slice(0, 2).join(' ');
  (byTarget.get(k) ?? byTarget.set(k, []).get(k)!).push(`${e.at - t0} ${kind}`);
}
let n = 0; for (const [k, v] of byTarget) if (k.startsWith("recover") && n++ < 4) console.log(k, v.length, v.join(" | "));
