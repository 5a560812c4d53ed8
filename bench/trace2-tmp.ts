import type { EngineEvent } from '../src/engine/events.js';
import { measureFailover } from './failover.js';
const m = await measureFailover({ hosts: 8, vms: 200, seed: 7, latencyScale: 0.2, perHost: 4, maxHosts: 16 });
const ev = m.events as (EngineEvent & { at: number })[];
const groups = new Map<string, string[]>();
for (const e of ev) {
  if (e.type !== 'command.started' || e.host === 'cluster1') continue;
  const k = `${e.host}@${e.at}`;
  const w = e.command.split(' ');
  const kind = w[0] === 'esxcli' ? w.slice(0, 4).filter((x) => !x.startsWith('-')).join(' ') : w.slice(0, 2).join(' ');
  (groups.get(k) ?? groups.set(k, []).get(k)!).push(`${e.stepId}:${kind}`);
}
const alone = new Map<string, number>();
const sizes = new Map<number, number>();
for (const g of groups.values()) {
  sizes.set(g.length, (sizes.get(g.length) ?? 0) + 1);
  if (g.length === 1) alone.set(g[0]!, (alone.get(g[0]!) ?? 0) + 1);
}
console.log('groups', groups.size, 'execs', Object.entries(m.commands).filter(([h]) => h !== 'cluster1').reduce((a, [, n]) => a + n, 0));
console.log('sizes', [...sizes].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' '));
console.log([...alone].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${(n / 200).toFixed(2)} ${k}`).join('\n'));
