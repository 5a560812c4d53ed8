import { measureFailover, stepTimes } from './failover.js';
const m = await measureFailover({ hosts: 8, vms: 200, seed: 7, latencyScale: 0.2, perHost: 4, maxHosts: 16 });
const st = stepTimes(m.events);
const execs = Object.entries(m.commands).filter(([h]) => h !== 'cluster1').reduce((a, [, n]) => a + n, 0);
console.log(JSON.stringify({ wall: Math.round(m.wallMs), execsPerVm: execs / 200, cpu: Math.round(m.cpuMs), fence: st.fence, recover: st.recover, verify: st.verify, vcenter: st.vcenter }));
