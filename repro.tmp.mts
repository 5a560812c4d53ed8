import { startLab } from './src/lab/lab.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
const dir = process.argv[2]!;
const lab = await startLab({ dir, hosts: 2, vms: 8, seed: 3 });
const h = lab.state.hosts[0]!;
console.log(h.registrations.map((r) => r.name));
h.registrations[1]!.name = h.registrations[1]!.name + '\nevil';
h.registrations[2]!.name = h.registrations[2]!.name + '\rcr';
await lab.backup();
try {
  const out = (await run('node', ['/work/wt-secrets/dist/cli.js', 'capture', '--site', lab.siteFile, '--db', `${dir}/drbook.db`], { encoding: 'utf8' })).stdout;
  console.log(out);
} catch (e) { console.log((e as {stdout:string}).stdout, (e as {stderr:string}).stderr); }
await lab.stop();
