/**
 * `drbook lab up --platform hyperv`: a Hyper-V failover cluster behind real SSH on 127.0.0.1 —
 * one endpoint per node and one for the Backup Exec server, each a PowerShell (./powershell.ts).
 * Odd nodes print like Windows PowerShell 5.1, even ones like PowerShell 7; the Backup Exec server
 * like 5.1 (BEMCLI). Faults (--faults): a node that refuses connections (`refuse`), a command that
 * fails the first N times (`failFirst: {match: Import-VM, times: 1}`), slow nodes.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { NO_FAULTS, loadFaults, type LabFaults } from '../faults.js';
import { controlSocketPath, startControl } from '../lab.js';
import { makeKeyPair, startSshEndpoint, type SshEndpoint } from '../server.js';
import { backupOf, createHvState, hvBackup, hvDisaster, type HvJobRun, type HvLabState } from './model.js';
import { runPowerShell, type PsFlavour } from './powershell.js';

export interface HvLabOptions {
  dir: string;
  hosts?: number;
  vms?: number;
  seed?: number;
  names?: 'plain' | 'hostile';
  faults?: LabFaults | string;
  /** How long a started VM takes to answer its heartbeat (default 300 ms). */
  bootMs?: number;
}

export interface HvLabStatus {
  platform: 'hyperv';
  dir: string;
  siteFile: string;
  keyFile: string;
  cluster: string;
  nodes: { name: string; address: string; port: number; powershell: PsFlavour }[];
  backupServer: { name: string; address: string; port: number };
  vms: {
    name: string;
    id: string;
    node: string;
    storage: 'csv' | 'cluster-disk' | 'local';
    state: 'running' | 'off';
    registered: boolean;
    role: 'online' | 'offline' | 'failed' | null;
    roleName: string | null;
    priority: number | null;
    preferredOwners: string[];
    backup: 'ok' | 'failed' | 'none';
    configFile: string;
    starts: number;
    imports: number;
  }[];
  jobs: { name: string; vms: string[] }[];
  history: HvJobRun[];
  stats: HvLabState['stats'];
  disaster: boolean;
}

export interface HvLab {
  dir: string;
  siteFile: string;
  state: HvLabState;
  status(): HvLabStatus;
  backup(): Promise<HvJobRun[]>;
  tick(): Promise<void>;
  disaster(): Promise<void>;
  stop(): Promise<void>;
  stopped: Promise<void>;
}

export const flavourOf = (s: HvLabState, host: string): PsFlavour =>
  host === s.backupServer ? '5.1' : s.nodes.indexOf(host) % 2 === 0 ? '5.1' : '7';

export async function startHypervLab(opts: HvLabOptions): Promise<HvLab> {
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const stateFile = path.join(dir, 'state.json');
  const faultsFile = path.join(dir, 'faults.json');
  let faults: LabFaults = typeof opts.faults === 'string' ? loadFaults(opts.faults) : (opts.faults ?? NO_FAULTS);
  let state: HvLabState;
  if (existsSync(stateFile)) {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as HvLabState;
    if (state.platform !== 'hyperv') throw new Error(`${dir} holds a vSphere lab: use another --dir`);
    if (opts.faults === undefined && existsSync(faultsFile)) faults = JSON.parse(readFileSync(faultsFile, 'utf8')) as LabFaults;
  } else {
    state = createHvState({ nodes: Math.max(2, opts.hosts ?? 3), vms: opts.vms ?? 8, seed: opts.seed ?? 1, names: opts.names ?? 'plain' });
  }
  writeFileSync(faultsFile, JSON.stringify(faults));
  const persist = (): void => writeFileSync(stateFile, JSON.stringify(state));

  const keyFile = path.join(dir, 'id_ed25519');
  if (!existsSync(keyFile)) {
    const k = makeKeyPair('drbook-lab-client');
    writeFileSync(keyFile, k.private, { mode: 0o600 });
    writeFileSync(`${keyFile}.pub`, `${k.public}\n`);
  }
  const clientPublic = readFileSync(`${keyFile}.pub`, 'utf8');
  const hostKeyDir = path.join(dir, 'hostkeys');
  mkdirSync(hostKeyDir, { recursive: true });
  const hostKey = (name: string): string => {
    const f = path.join(hostKeyDir, `${name}_ed25519`);
    if (!existsSync(f)) writeFileSync(f, makeKeyPair(`${name}-hostkey`).private, { mode: 0o600 });
    return readFileSync(f, 'utf8');
  };
  const logFile = path.join(dir, 'commands.ndjson');
  const failCounts = new Map<string, number>();
  const failFirst = (host: string, line: string): boolean => {
    const f = faults.hosts[host]?.failFirst;
    if (!f || !line.includes(f.match)) return false;
    const n = failCounts.get(host) ?? 0;
    if (n >= f.times) return false;
    failCounts.set(host, n + 1);
    return true;
  };
  const bootMs = opts.bootMs ?? 300;

  const endpoints: SshEndpoint[] = [];
  for (const host of [...state.nodes, state.backupServer]) {
    endpoints.push(
      await startSshEndpoint({
        name: host,
        hostKey: hostKey(host),
        port: state.ports[host] ?? 0,
        user: 'Administrator',
        clientPublicKey: clientPublic,
        fault: () => faults.hosts[host],
        onConnection: () => {
          state.stats.connections[host] = (state.stats.connections[host] ?? 0) + 1;
        },
        exec: async (line) => {
          state.stats.commands[host] = (state.stats.commands[host] ?? 0) + 1;
          const slow = faults.hosts[host]?.slowMs;
          if (slow) await new Promise((r) => setTimeout(r, slow));
          if (failFirst(host, line)) {
            const cmdlet = line.trim().split(/\s/)[0] ?? '';
            appendFileSync(logFile, `${JSON.stringify({ at: new Date().toISOString(), host, line, op: 'fault', exit: 1 })}\n`);
            return {
              stdout: '',
              stderr: `${cmdlet} : The operation failed because the file was in use by another process.\r\nAt line:1 char:1\r\n    + CategoryInfo          : ResourceBusy: (:) [${cmdlet}], VirtualizationException\r\n    + FullyQualifiedErrorId : ResourceBusy,Microsoft.HyperV.PowerShell.Commands.ImportVM\r\n\r\n`,
              code: 1,
            };
          }
          const r = runPowerShell({ state, host, flavour: flavourOf(state, host), now: () => Date.now(), bootMs, changed: persist }, line);
          appendFileSync(
            logFile,
            `${JSON.stringify({ at: new Date().toISOString(), host, line, op: r.op, args: r.args, exit: r.code })}\n`,
          );
          return { stdout: r.stdout, stderr: r.stderr, code: r.code };
        },
      }),
    );
  }
  for (const e of endpoints) state.ports[e.name] = e.port;
  persist();
  const siteFile = path.join(dir, 'site.yaml');
  writeFileSync(siteFile, hvSiteYaml(state, endpoints));

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const lab: HvLab = {
    dir,
    siteFile,
    state,
    status: () => hvStatus(dir, siteFile, keyFile, state),
    backup: async () => {
      const runs = hvBackup(state, Date.now());
      persist();
      return runs;
    },
    tick: async () => undefined,
    disaster: async () => {
      hvDisaster(state);
      persist();
    },
    stop: async () => {
      control.close();
      rmSync(controlSocketPath(dir), { force: true });
      rmSync(path.join(dir, 'ready'), { force: true });
      await Promise.all(endpoints.map((e) => e.close()));
      persist();
      resolveStopped();
    },
    stopped,
  };
  const control = await startControl(dir, lab);
  return lab;
}

function hvSiteYaml(s: HvLabState, endpoints: SshEndpoint[]): string {
  const ep = (name: string): SshEndpoint => endpoints.find((e) => e.name === name)!;
  const byPriority = [...s.vms].sort((a, b) => (b.role?.priority ?? 0) - (a.role?.priority ?? 0));
  const first = byPriority.filter((v) => (v.role?.priority ?? 0) >= 3000).map((v) => v.name);
  const site = {
    site: 'hvlab',
    hyperv: {
      cluster: s.cluster,
      user: 'Administrator',
      auth: { method: 'key', keyFile: 'id_ed25519' },
      nodes: s.nodes.map((n) => ({ name: n, address: '127.0.0.1', port: ep(n).port, hostKey: ep(n).fingerprint })),
      backup: {
        product: 'backup-exec',
        server: { name: s.backupServer, address: '127.0.0.1', port: ep(s.backupServer).port, hostKey: ep(s.backupServer).fingerprint },
        jobs: s.jobs.map((j) => ({ name: j.name, vms: j.vms })),
        csvSnapshots: true,
        rpoHours: 24,
      },
    },
    priorityGroups: first.length ? [{ name: 'first', vms: first }] : [],
  };
  return `# Written by \`drbook lab up --platform hyperv\`: the lab cluster, with pinned host keys.\n${stringify(site)}`;
}

function hvStatus(dir: string, siteFile: string, keyFile: string, s: HvLabState): HvLabStatus {
  return {
    platform: 'hyperv',
    dir,
    siteFile,
    keyFile,
    cluster: s.cluster,
    nodes: s.nodes.map((n) => ({ name: n, address: '127.0.0.1', port: s.ports[n] ?? 0, powershell: flavourOf(s, n) })),
    backupServer: { name: s.backupServer, address: '127.0.0.1', port: s.ports[s.backupServer] ?? 0 },
    vms: s.vms.map((v) => ({
      name: v.name,
      id: v.id,
      node: v.node,
      storage: v.storage,
      state: v.running ? 'running' : 'off',
      registered: v.registered,
      role: v.role?.state ?? null,
      roleName: v.role?.name ?? null,
      priority: v.role?.priority ?? null,
      preferredOwners: v.role?.preferredOwners ?? [],
      backup: backupOf(s, v),
      configFile: v.configFile,
      starts: v.starts,
      imports: v.imports,
    })),
    jobs: s.jobs.map((j) => ({ name: j.name, vms: j.vms })),
    history: s.history,
    stats: s.stats,
    disaster: s.disaster,
  };
}

export function hvSummary(s: HvLabStatus): string {
  const lines = [`Hyper-V lab in ${s.dir}: cluster ${s.cluster}`];
  for (const n of s.nodes) {
    const vms = s.vms.filter((v) => v.node === n.name && v.registered);
    lines.push(
      `  ${n.name}  127.0.0.1:${n.port}  PowerShell ${n.powershell}  ${vms.length} VMs (${vms.filter((v) => v.state === 'running').length} running)`,
    );
  }
  lines.push(`  ${s.backupServer.name}  127.0.0.1:${s.backupServer.port}  Backup Exec (BEMCLI)`);
  const count = (k: 'csv' | 'cluster-disk') => s.vms.filter((v) => v.storage === k).length;
  const failed = s.vms.filter((v) => v.backup === 'failed').length;
  lines.push(
    `  VMs: ${count('csv')} on CSVs, ${count('cluster-disk')} on cluster disks; backups failing for ${failed}${s.disaster ? '; DISASTER: roles and registrations lost, files kept' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
