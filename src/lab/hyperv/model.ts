/**
 * The simulated Hyper-V failover cluster: nodes, CSVs, cluster disks, VMs with their roles and
 * files, and a Backup Exec server whose jobs fail for the VMs on CSVs (the VSS snapshot of a CSV
 * fails at the writer-status query, as with Backup Exec 12.5's Agent for Microsoft Virtual Servers).
 * Plain data, saved as JSON in the lab directory.
 */
import { makeRng } from '../prng.js';

export type HvStorage = 'csv' | 'cluster-disk';

export interface HvLabRole {
  /** The role's (group's) name, as Add-ClusterVirtualMachineRole -Name gave it. */
  name: string;
  state: 'online' | 'offline' | 'failed';
  priority: number;
  preferredOwners: string[];
}

export interface HvLabVm {
  name: string;
  /** VM ID, lower case. */
  id: string;
  /** The node it was created on and runs on (the capture records it). */
  node: string;
  storage: HvStorage;
  /** For a cluster-disk VM: its Physical Disk resource. */
  disk: string | null;
  /** `C:\ClusterStorage\Volume1` or the cluster disk's drive `E:`. */
  volume: string;
  configurationLocation: string;
  configFile: string;
  vhds: string[];
  generation: 1 | 2;
  registered: boolean;
  running: boolean;
  /** Lab time (ms) from which the heartbeat answers OK; null when off. */
  heartbeatAt: number | null;
  role: HvLabRole | null;
  /** How many times it was started (a VM started twice is a bug in the runbook). */
  starts: number;
  /** How many times Import-VM registered it. */
  imports: number;
}

export interface HvJobRun {
  job: string;
  status: 'Succeeded' | 'Error';
  start: number;
  end: number;
  errorCode: number;
  errorMessage: string;
}

export interface HvLabState {
  platform: 'hyperv';
  seed: number;
  cluster: string;
  nodes: string[];
  backupServer: string;
  csvs: { name: string; path: string; owner: string }[];
  vms: HvLabVm[];
  /** Files on the volumes (lower-cased paths → the path as written). */
  files: Record<string, string>;
  jobs: { name: string; csv: boolean; vms: string[] }[];
  history: HvJobRun[];
  ports: Record<string, number>;
  stats: { connections: Record<string, number>; commands: Record<string, number> };
  disaster: boolean;
}

export const HV_CLUSTER = 'HVCLUSTER1';
export const HV_BACKUP_SERVER = 'BE01';
/** Backup Exec's error when the VSS snapshot of a CSV fails at the writer-status query. */
export const CSV_VSS_ERROR = {
  code: 0xe000fed1 - 2 ** 32,
  message: 'Snapshot technology error (0xE000FED1): A failure occurred querying the Writer status.',
};

const PLAIN = ['web', 'app', 'sql', 'file', 'exch', 'rds', 'print', 'log'];
/** Names PowerShell and shells read specially: every kind of single quote, $, @(), backtick, ; | &, wildcards, non-ASCII. */
export const HV_HOSTILE_NAMES = [
  `it's "quoted"`,
  'curly ‘single’ ‚low‛ quotes',
  '$(Stop-Computer) $env:COMPUTERNAME',
  '`n backtick @(1) ;|&',
  '[wild]*card?',
  '-WhatIf',
  '日本語の仮想マシン',
  'emoji 🚀 vm',
  'trailing spaces  ',
  "a''b",
];

function guid(rng: ReturnType<typeof makeRng>): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A folder name Windows accepts, from a VM name. */
function folderOf(name: string): string {
  return name.replace(/[\\/:*?"<>|]/g, '_').replace(/[. ]+$/, '') || 'vm';
}

export function hvFileKey(p: string): string {
  return p.toLowerCase();
}

export function createHvState(o: { nodes: number; vms: number; seed: number; names: 'plain' | 'hostile' }): HvLabState {
  const rng = makeRng(o.seed * 104729 + 19);
  const nodes = Array.from({ length: o.nodes }, (_, i) => `HV${String(i + 1).padStart(2, '0')}`);
  const csvs = [
    { name: 'Cluster Disk 1', path: 'C:\\ClusterStorage\\Volume1', owner: nodes[0]! },
    { name: 'Cluster Disk 2', path: 'C:\\ClusterStorage\\Volume2', owner: nodes[1 % nodes.length]! },
  ];
  const count = Math.max(2, o.vms);
  const names: string[] = [];
  const seen = new Map<string, number>();
  let hostile = 0;
  for (let i = 0; names.length < count; i++) {
    if (o.names === 'hostile' && hostile < HV_HOSTILE_NAMES.length && i % 2 === 0) {
      names.push(HV_HOSTILE_NAMES[hostile++]!);
      continue;
    }
    const role = PLAIN[i % PLAIN.length]!;
    const n = (seen.get(role) ?? 0) + 1;
    seen.set(role, n);
    names.push(`${role}${String(n).padStart(2, '0')}`);
  }
  const files: Record<string, string> = {};
  const addFile = (p: string): void => void (files[hvFileKey(p)] = p);
  const letters = 'EFGHIJKLMNOPQRSTUVWXYZ';
  let disks = 0;
  const vms: HvLabVm[] = names.map((name, i) => {
    const id = guid(rng);
    // Both kinds always: odd VMs on a cluster disk of their own, even ones on a CSV.
    const storage: HvStorage = i % 2 === 0 ? 'csv' : 'cluster-disk';
    const node = nodes[i % nodes.length]!;
    let volume: string;
    let disk: string | null = null;
    if (storage === 'csv') volume = csvs[i % 4 < 2 ? 0 : 1]!.path;
    else {
      disk = `Cluster Disk ${3 + disks}`;
      volume = disks < letters.length ? `${letters[disks]}:` : `C:\\ClusterDisks\\Disk${3 + disks}`;
      disks++;
    }
    const configurationLocation = `${volume}\\${folderOf(name)}`;
    const configFile = `${configurationLocation}\\Virtual Machines\\${id.toUpperCase()}.vmcx`;
    const vhds = [`${configurationLocation}\\Virtual Hard Disks\\${folderOf(name)}.vhdx`];
    for (const f of [configFile, `${configurationLocation}\\Virtual Machines\\${id.toUpperCase()}.vmrs`, ...vhds]) addFile(f);
    const running = i % 5 !== 4;
    return {
      name,
      id,
      node,
      storage,
      disk,
      volume,
      configurationLocation,
      configFile,
      vhds,
      generation: i % 3 === 2 ? 1 : 2,
      registered: true,
      running,
      heartbeatAt: running ? 0 : null,
      role: {
        name,
        state: running ? 'online' : 'offline',
        priority: i < 2 ? 3000 : 2000,
        preferredOwners: [node, nodes[(i + 1) % nodes.length]!].filter((n, k, a) => a.indexOf(n) === k),
      },
      starts: 0,
      imports: 0,
    };
  });
  return {
    platform: 'hyperv',
    seed: o.seed,
    cluster: HV_CLUSTER,
    nodes,
    backupServer: HV_BACKUP_SERVER,
    csvs,
    vms,
    files,
    jobs: [
      { name: 'HV-CSV Daily', csv: true, vms: vms.filter((v) => v.storage === 'csv').map((v) => v.name) },
      { name: 'HV-ClusterDisk Daily', csv: false, vms: vms.filter((v) => v.storage === 'cluster-disk').map((v) => v.name) },
    ],
    history: [],
    ports: {},
    stats: { connections: {}, commands: {} },
    disaster: false,
  };
}

/** Every job runs once: the CSV job fails at the VSS writer-status query, the cluster-disk job succeeds. */
export function hvBackup(s: HvLabState, now: number): HvJobRun[] {
  const runs = s.jobs.map((j): HvJobRun =>
    j.csv
      ? { job: j.name, status: 'Error', start: now, end: now + 95_000, errorCode: CSV_VSS_ERROR.code, errorMessage: CSV_VSS_ERROR.message }
      : { job: j.name, status: 'Succeeded', start: now, end: now + 1_520_000, errorCode: 0, errorMessage: '' },
  );
  s.history.push(...runs);
  return runs;
}

/**
 * The disaster: the cluster lost its VM roles and the nodes their registrations (a cluster rebuilt
 * after losing quorum); the files are back on their volumes. Every other VM leaves a failed role behind.
 */
export function hvDisaster(s: HvLabState): void {
  s.vms.forEach((v, i) => {
    v.registered = false;
    v.running = false;
    v.heartbeatAt = null;
    v.role = i % 2 === 0 && v.role ? { ...v.role, state: 'failed' } : null;
  });
  s.disaster = true;
}

export function backupOf(s: HvLabState, vm: HvLabVm): 'ok' | 'failed' | 'none' {
  const job = s.jobs.find((j) => j.vms.includes(vm.name));
  const last = job ? [...s.history].reverse().find((r) => r.job === job.name) : undefined;
  return !last ? 'none' : last.status === 'Succeeded' ? 'ok' : 'failed';
}
