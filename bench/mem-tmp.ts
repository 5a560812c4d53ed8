import v8 from 'node:v8';
import { measureFailover, stepTimes } from './failover.js';
const samples: string[] = [];
const t0 = Date.now();
const iv = setInterval(() => {
  const m = process.memoryUsage();
  samples.push(`${((Date.now() - t0) / 1000).toFixed(0)}s rss ${(m.rss / 2 ** 20).toFixed(0)} heapUsed ${(m.heapUsed / 2 ** 20).toFixed(0)} heapTotal ${(m.heapTotal / 2 ** 20).toFixed(0)} ext ${(m.external / 2 ** 20).toFixed(0)} ab ${(m.arrayBuffers / 2 ** 20).toFixed(0)}`);
}, 5000);
const m = await measureFailover({ hosts: Number(process.env.H ?? 40), vms: Number(process.env.V ?? 2000), seed: 7, latencyScale: 0.2, perHost: 4, maxHosts: 64, sampleRss: true });
clearInterval(iv);
console.log(samples.join('\n'));
console.log('wall', m.wallMs, 'peak', m.peakRssMb, 'events', m.events.length, stepTimes(m.events), 'cpu', m.cpuMs);
const bytes = JSON.stringify(m.events).length;
console.log('events json MB', (bytes / 2 ** 20).toFixed(1));
const s = v8.getHeapStatistics();
console.log('heap', (s.used_heap_size / 2 ** 20).toFixed(0));
