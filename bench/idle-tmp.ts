import '../src/production-env.js';
import inspector from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { measureIdleCpu } from './ui.js';
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
(globalThis as any).__profStart = process.env.PROF ? () => session.post("Profiler.start") : undefined;
(globalThis as any).__profStop = !process.env.PROF ? undefined : async () => {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync('/tmp/idle.cpuprofile', JSON.stringify(profile));
};
console.log(await measureIdleCpu());
