import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { EsxiFs } from './esxi-fs.js';
import { ConnectionDropped, type DropPoint, type EsxiContext } from './esxi-context.js';
import { runShell } from './esxi-shell.js';
import { NO_FAULTS, loadFaults, type LabFaults } from './faults.js';
import { delay, latencyProfile, type LatencyName, type LatencyProfile } from './latency.js';
import {
  MIRROR,
  PRIMARY,
  backup as modelBackup,
  countAction,
  createState,
  disaster as modelDisaster,
  readVmsd,
  recentTasks,
  registrationMarker,
  locate,
  saveState,
  settle,
  tick as modelTick,
  advanceTransfers,
  protectingRelationship,
  repair as modelRepair,
  upgradeState,
  type Backup,
  type LabState,
} from './model.js';
import { runOntap, type OntapContext } from './ontap-cli.js';
import { fingerprintOf, makeKeyPair, startSshEndpoint, type SshEndpoint } from './server.js';
import { LabVcenter, type VcenterApiStatus } from './vcenter.js';

export interface LabStartOptions {
  dir: string;
  hosts?: number;
  vms?: number;
  jobs?: number;
  seed?: number;
  latency?: LatencyName;
  latencyScale?: number;
  names?: 'plain' | 'hostile';
  /** A parsed faults object, or the path of a faults YAML file. */
  faults?: LabFaults | string;
  /** Every device also accepts this password (tests of password logins); default: key only. */
  password?: string | undefined;
  /** Start govmomi's vCenter simulator beside the hosts (needs Go). */
  vcenter?: boolean;
}

export interface LabStatus {
  dir: string;
  hosts: { name: string; address: string; port: number; lockdown: boolean; version: string }[];
  ontap: { name: string; address: string; port: number };
  user: string;
  ontapUser: string;
  keyFile: string;
  siteFile: string;
  stats: { connections: Record<string, number>; commands: Record<string, number> };
  jobs: { name: string; vms: string[] }[];
  vcenter: string;
  vms: {
    name: string;
    host: string;
    vmid: number;
    datastore: string;
    path: string;
    power: 'on' | 'off';
    marker: number | null;
    bootMarker: number | null;
    snapshots: string[];
    stale: boolean;
    question: string | null;
    worldId: number | null;
    /** hostd's recent tasks of the VM (method and state), oldest first. */
    tasks: { name: string; state: 'running' | 'success' | 'error' }[];
  }[];
  backups: { snapshot: string; job: string; time: string; vmwareSnapshot: string; quiesced: Record<string, number | null> }[];
  actions: { host: string; action: string; target: string; count: number }[];
  latency: LatencyProfile;
  lockdown: Record<string, boolean>;
  mirror: {
    source: string;
    destination: string;
    state: string;
    status: string;
    healthy: boolean;
    newestSnapshot: string | null;
    destinationType: string;
  };
  /** Every relationship, both directions (`mirror` is the one protecting the site now). */
  relationships: {
    source: string;
    destination: string;
    state: string;
    status: string;
    healthy: boolean;
    newestSnapshot: string | null;
    /** Deleted on the destination, not yet released on the source. */
    deleted: boolean;
    transfer: { kind: string; bytesTotal: number; bytesDone: number } | null;
    updates: number;
    breaks: number;
    resyncs: number;
  }[];
  volumes: { vserver: string; name: string; state: string; type: string; junction: string | null; snapshots: string[] }[];
  disaster: boolean;
  repaired: boolean;
  /** Only with --vcenter: what the vCenter API shows, read through it. */
  vcenterApi?: VcenterApiStatus;
}

export interface Lab {
  dir: string;
  siteFile: string;
  keyFile: string;
  state: LabState;
  status(): LabStatus;
  backup(job?: string): Promise<Backup[]>;
  tick(): Promise<void>;
  disaster(): Promise<void>;
  /** `lab repair`: the primary volume back as at the disaster (without the common snapshot: as after a SnapRestore). */
  repair(o: { noCommonSnapshot: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** The vCenter simulator, in a lab started with --vcenter. */
  vcenter: LabVcenter | null;
  /** status() plus what the vCenter API shows. */
  fullStatus(): Promise<LabStatus>;
  /** Resolves when `lab down` arrives over the control socket. */
  stopped: Promise<void>;
}

export const ONTAP_NAME = 'cluster1';
/** How long after a device command's change the lab's state file is written (see persistSoon). */
const PERSIST_AFTER_COMMAND_MS = 1000;
/** The state file is written no more often than keeps the writing under this fraction (1/n) of the lab's time. */
const PERSIST_TIME_SHARE = 20;

export async function startLab(opts: LabStartOptions): Promise<Lab> {
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const latency = latencyProfile(opts.latency ?? 'none', opts.latencyScale ?? 1);
  const stateFile = path.join(dir, 'state.json');
  const faultsFile = path.join(dir, 'faults.json');
  let faults: LabFaults = typeof opts.faults === 'string' ? loadFaults(opts.faults) : (opts.faults ?? NO_FAULTS);
  let state: LabState;
  if (existsSync(stateFile)) {
    state = upgradeState(JSON.parse(readFileSync(stateFile, 'utf8')) as LabState);
    if (opts.faults === undefined && existsSync(faultsFile)) faults = JSON.parse(readFileSync(faultsFile, 'utf8')) as LabFaults;
  } else {
    state = createState({
      hosts: opts.hosts ?? 4,
      vms: opts.vms ?? 24,
      jobs: opts.jobs ?? 1,
      seed: opts.seed ?? 1,
      names: opts.names ?? 'plain',
      faults,
      now: Date.now(),
    });
  }
  writeFileSync(faultsFile, JSON.stringify(faults));

  // Keys: made once per lab and kept.
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

  // The whole state is one JSON file (about 20 MB for 2,000 VMs). After a device command it is
  // written at most once per PERSIST_AFTER_COMMAND_MS: written after every change, a large lab
  // spent its CPU serialising itself and slowed every client down. And no more often than keeps
  // the writing under 1/PERSIST_TIME_SHARE of the lab's time: a 2,000-VM state takes a few hundred
  // ms to write, during which no simulated device answers, so once a second its reverts and kills
  // ran up to twice their profile's time. A stop and the control operations (backup, tick, repair,
  // disaster) write it at once.
  let dirty = false;
  let persistTimer: NodeJS.Timeout | null = null;
  let persistEveryMs = PERSIST_AFTER_COMMAND_MS;
  const persist = (): void => {
    if (persistTimer) clearTimeout(persistTimer);
    persistTimer = null;
    const t0 = performance.now();
    saveState(dir, state);
    persistEveryMs = Math.max(PERSIST_AFTER_COMMAND_MS, (performance.now() - t0) * PERSIST_TIME_SHARE);
    dirty = false;
  };
  const persistSoon = (): void => {
    persistTimer ??= setTimeout(persist, persistEveryMs);
  };
  const logFile = path.join(dir, 'commands.ndjson');
  const log = (host: string, line: string, argv: string[][], exit: number | null): void => {
    appendFileSync(logFile, `${JSON.stringify({ at: new Date().toISOString(), host, line, argv: argv[0] ?? [], commands: argv, exit })}\n`);
  };
  const matchCounts = new Map<string, number>();
  /** Counts a command a fault matches (by key): true for the ones it acts on, the `skip`+1st to the `skip`+`times`th. */
  const actsOn = (key: string, times = 1, skip = 0): boolean => {
    const n = matchCounts.get(key) ?? 0;
    matchCounts.set(key, n + 1);
    return n >= skip && n < skip + times;
  };
  const failFirst = (host: string, line: string): boolean => {
    const f = faults.hosts[host]?.failFirst;
    return f !== undefined && line.includes(f.match) && actsOn(`failFirst\n${host}`, f.times);
  };
  /** Where the connection drops at this command, if it does (faults.hosts[H].dropAt). */
  const dropAt = (host: string, command: string): DropPoint | undefined => {
    for (const [i, rule] of (faults.hosts[host]?.dropAt ?? []).entries())
      if (new RegExp(rule.match).test(command) && actsOn(`dropAt\n${host}\n${i}`, rule.times, rule.skip))
        return rule.ran === false ? 'before' : 'after';
    return undefined;
  };
  /** The lines a second operator runs right before this one (faults.hosts[H].interpose), if any. */
  const interposed = (host: string, line: string): string[] => {
    const f = faults.hosts[host]?.interpose;
    const m = f ? new RegExp(f.match).exec(line) : null;
    if (!f || !m || !actsOn(`interpose\n${host}`, f.times, f.skip)) return [];
    return f.run.map((l) => l.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? ''));
  };
  // Counters alone do not make the state dirty: they reach state.json with the next change and at
  // `lab down`. Writing the whole state (MBs at 2,000 VMs) after every read made the lab, not
  // drbook, the bottleneck of a capture. Readers take the counters from `lab status` (memory).
  const count = (kind: 'connections' | 'commands', host: string): void => {
    state.stats[kind][host] = (state.stats[kind][host] ?? 0) + 1;
  };
  const timers = new Set<NodeJS.Timeout>();
  const abort = new AbortController();
  // Every delayed command listens on it while it waits: dozens at once is normal here.
  setMaxListeners(0, abort.signal);
  const sleep = (ms: number): Promise<void> => delay(ms, abort.signal);

  const endpoints: SshEndpoint[] = [];
  const tmpByHost = new Map<string, Map<string, string>>();
  for (const h of state.hosts) {
    tmpByHost.set(h.name, new Map());
    endpoints.push(
      await startSshEndpoint({
        name: h.name,
        hostKey: hostKey(h.name),
        port: state.ports.hosts[h.name] ?? 0,
        user: 'root',
        clientPublicKey: clientPublic,
        password: opts.password,
        fault: () => faults.hosts[h.name],
        onConnection: () => count('connections', h.name),
        exec: async (line, onConnection, write) => {
          const host = state.hosts.find((x) => x.name === h.name)!;
          count('commands', h.name);
          const fault = faults.hosts[h.name];
          if (fault?.slowMs) await sleep(fault.slowMs);
          await sleep(latency.command);
          if (settle(state, Date.now())) dirty = true;
          const ctx: EsxiContext = {
            state,
            host,
            fs: new EsxiFs(state, host, tmpByHost.get(h.name)!),
            latency,
            now: () => Date.now(),
            changed: () => {
              dirty = true;
            },
            action: (action, target) => {
              countAction(state, h.name, action, target);
              dirty = true;
            },
            sleep,
            hostdLost: (command) => failFirst(h.name, command),
            dropAt: (command) => dropAt(h.name, command),
            vmFault: (name) => faults.vms[name],
          };
          // A second operator's lines run right before the command they are set to precede, also
          // inside a script of several (drbook's joined reads).
          ctx.before = async (command) => {
            const others = interposed(h.name, command);
            for (const other of others) log(h.name, other, (await runShell({ ...ctx, before: undefined }, other)).argvs, 0);
            if (others.length > 0 && settle(state, Date.now())) dirty = true;
          };
          // A dropped connection (fault dropAt) ends the script where it was cut: what ran is kept.
          const r = await runShell(ctx, line, (out, err) => {
            write.stdout(out);
            write.stderr(err);
          }).catch((err: unknown) => {
            if (err instanceof ConnectionDropped) return err;
            throw err;
          });
          if (settle(state, Date.now())) dirty = true;
          // vCenter learns of registrations from its hosts before the host's answer arrives.
          if (vcenter)
            await vcenter.sync().then(
              () => (dirty = true),
              (err: Error) => log('vcenter', `sync: ${err.message}`, [], 1),
            );
          if (dirty) persistSoon();
          if (r instanceof ConnectionDropped) {
            log(h.name, line, r.argvs, null);
            return 'drop';
          }
          const drop = fault?.dropAfter !== undefined && onConnection >= fault.dropAfter;
          log(h.name, line, r.argvs, drop ? null : r.code);
          return drop ? 'drop' : { ...r, streamed: true };
        },
      }),
    );
  }
  const ontapCtx: OntapContext = {
    state,
    latency,
    now: () => Date.now(),
    changed: () => {
      dirty = true;
    },
    action: (action, target) => {
      countAction(state, ONTAP_NAME, action, target);
      dirty = true;
    },
    sleep,
    later: (ms, fn) => {
      if (ms <= 0) {
        fn();
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
        dirty = true;
        persistSoon();
      }, ms);
      timers.add(t);
    },
  };
  const ontap = await startSshEndpoint({
    name: ONTAP_NAME,
    hostKey: hostKey(ONTAP_NAME),
    port: state.ports.ontap || 0,
    user: 'admin',
    clientPublicKey: clientPublic,
    password: opts.password,
    fault: () => faults.hosts[ONTAP_NAME],
    onConnection: () => count('connections', ONTAP_NAME),
    exec: async (line, onConnection) => {
      count('commands', ONTAP_NAME);
      const fault = faults.hosts[ONTAP_NAME];
      if (fault?.slowMs) await sleep(fault.slowMs);
      await sleep(latency.ontapCommand);
      const droppedAt = dropAt(ONTAP_NAME, line);
      if (droppedAt === 'before') {
        log(ONTAP_NAME, line, [], null);
        return 'drop';
      }
      if (failFirst(ONTAP_NAME, line)) {
        log(ONTAP_NAME, line, [], 0);
        return { stdout: "Error: command failed: RPC: Couldn't make connection\n", stderr: '', code: 0 };
      }
      const r = await runOntap(ontapCtx, line);
      if (dirty) persistSoon();
      const drop = droppedAt === 'after' || (fault?.dropAfter !== undefined && onConnection >= fault.dropAfter);
      log(ONTAP_NAME, line, r.argvs, drop ? null : 0);
      // ONTAP's exit status says nothing about the command: callers must read the text.
      return drop ? 'drop' : { stdout: r.stdout, stderr: '', code: 0 };
    },
  });
  for (const e of endpoints) state.ports.hosts[e.name] = e.port;
  state.ports.ontap = ontap.port;
  // A registration a client made through vCenter is the host's too: counted and saved like one.
  const hostChanged = (host: string, action: string, target: string): void => {
    countAction(state, host, action, target);
    dirty = true;
    persistSoon();
  };
  const vcenter =
    opts.vcenter || state.vcenter
      ? await LabVcenter.create(
          dir,
          state,
          [PRIMARY.datastore, MIRROR.datastore],
          PRIMARY.datastore,
          hostChanged,
          (name) => faults.vms[name],
        )
      : null;
  await vcenter?.sync();
  persist();

  const siteFile = path.join(dir, 'site.yaml');
  writeFileSync(siteFile, siteYaml(state, endpoints, ontap, vcenter));

  const status = (): LabStatus => buildStatus(dir, state, siteFile, keyFile, latency, endpoints, ontap);
  const run = async <T>(fn: () => T): Promise<T> => {
    const r = fn();
    await vcenter?.sync();
    persist();
    return r;
  };
  const snapshotFails = (vm: string): boolean => Boolean(faults.vms[vm]?.snapshotFails);
  const lab: Lab = {
    dir,
    siteFile,
    keyFile,
    state,
    status,
    backup: async (job) => {
      const jobs = job ? [job] : state.jobs;
      for (const j of jobs) if (!state.jobs.includes(j)) throw new Error(`no VSC job ${j}: the jobs are ${state.jobs.join(', ')}`);
      return run(() => jobs.map((j) => modelBackup(state, j, snapshotFails)));
    },
    tick: async () =>
      run(() => {
        modelTick(state);
        advanceTransfers(state);
      }),
    repair: async (o) => run(() => modelRepair(state, o)),
    disaster: async () => run(() => modelDisaster(state)),
    vcenter,
    fullStatus: async () => {
      const s = status();
      return vcenter ? { ...s, vcenterApi: await vcenter.apiStatus() } : s;
    },
    stop: async () => {
      abort.abort();
      await vcenter?.stop().catch(() => undefined);
      for (const t of timers) clearTimeout(t);
      control.close();
      rmSync(controlSocketPath(dir), { force: true });
      rmSync(path.join(dir, 'ready'), { force: true });
      await Promise.all([...endpoints, ontap].map((e) => e.close()));
      persist();
      resolveStopped();
    },
    stopped: Promise.resolve(),
  };
  let resolveStopped!: () => void;
  lab.stopped = new Promise<void>((r) => (resolveStopped = r));
  const control = await startControl(dir, lab);
  return lab;
}

function siteYaml(state: LabState, endpoints: SshEndpoint[], ontap: SshEndpoint, vcenter: LabVcenter | null): string {
  const vc = state.vms.find((v) => v.vcenter);
  const others = [...new Set(state.vms.filter((v) => !v.vcenter).map((v) => v.name))];
  const infra = others.filter((n) => /^dc\d+$/.test(n));
  const rest = others.filter((n) => !infra.includes(n));
  const site = {
    site: 'lab',
    esxi: {
      user: 'root',
      auth: { method: 'key', keyFile: 'id_ed25519' },
      hosts: endpoints.map((e) => ({ name: e.name, address: '127.0.0.1', port: e.port, hostKey: e.fingerprint })),
    },
    ontap: {
      name: ONTAP_NAME,
      address: '127.0.0.1',
      port: ontap.port,
      user: 'admin',
      auth: { method: 'key', keyFile: 'id_ed25519' },
      hostKey: ontap.fingerprint,
    },
    relationship: { source: `${PRIMARY.vserver}:${PRIMARY.volume}`, destination: `${MIRROR.vserver}:${MIRROR.volume}` },
    datastores: {
      primary: { name: PRIMARY.datastore, nfsHost: '127.0.0.1', share: PRIMARY.junction },
      mirror: { name: MIRROR.datastore, nfsHost: '127.0.0.1', share: MIRROR.junction },
    },
    jobs: state.jobs,
    ...(vc ? { vcenter: { vm: vc.name, ...(vcenter ? vcenter.endpoint : {}) } } : {}),
    priorityGroups: [...(infra.length ? [{ name: 'infra', vms: infra }] : []), ...(rest.length ? [{ name: 'apps', vms: rest }] : [])],
  };
  return `# Written by \`drbook lab up\`: the lab's site, with pinned host keys.\n${stringify(site)}`;
}

function buildStatus(
  dir: string,
  state: LabState,
  siteFile: string,
  keyFile: string,
  latency: LatencyProfile,
  endpoints: SshEndpoint[],
  ontap: SshEndpoint,
): LabStatus {
  settle(state, Date.now());
  const vms: LabStatus['vms'] = [];
  for (const h of state.hosts)
    for (const r of h.registrations) {
      const loc = locate(state, h, r.datastore);
      const files = loc?.volume?.files;
      vms.push({
        name: r.name,
        host: h.name,
        vmid: r.vmid,
        datastore: r.datastore,
        path: `[${r.datastore}] ${r.rel}`,
        power: r.power,
        marker: registrationMarker(state, h, r),
        bootMarker: r.bootMarker,
        snapshots: files ? readVmsd(files, r.rel).snapshots.map((s) => s.name) : [],
        stale: !loc?.accessible,
        question: r.question?.id ?? null,
        worldId: r.worldId,
        tasks: recentTasks(r, Date.now()).map((t) => ({ name: t.name, state: t.state })),
      });
    }
  const actions = Object.entries(state.actions).map(([k, count]) => {
    const [host, action, target] = k.split('\u0000') as [string, string, string];
    return { host, action, target, count };
  });
  const rel = protectingRelationship(state) ?? {
    source: '-',
    destination: '-',
    state: '-',
    status: '-',
    healthy: false,
    newestSnapshot: null,
  };
  const [dv, dn] = rel.destination.split(':');
  return {
    dir,
    hosts: state.hosts.map((h) => ({
      name: h.name,
      address: '127.0.0.1',
      port: endpoints.find((e) => e.name === h.name)!.port,
      lockdown: h.lockdown,
      version: `VMware ESXi ${h.version} build-${h.build.replace(/^Releasebuild-/, '')}`,
    })),
    ontap: { name: ONTAP_NAME, address: '127.0.0.1', port: ontap.port },
    user: 'root',
    ontapUser: 'admin',
    keyFile,
    siteFile,
    stats: state.stats,
    jobs: state.jobs.map((j) => ({ name: j, vms: state.vms.filter((v) => v.job === j).map((v) => v.name) })),
    vcenter: state.vms.find((v) => v.vcenter)?.name ?? '',
    vms,
    backups: state.backups.map((b) => ({ ...b })),
    actions,
    latency,
    lockdown: Object.fromEntries(state.hosts.map((h) => [h.name, h.lockdown])),
    mirror: {
      source: rel.source,
      destination: rel.destination,
      state: rel.state,
      status: rel.status,
      healthy: rel.healthy,
      newestSnapshot: rel.newestSnapshot,
      destinationType: state.volumes.find((v) => v.vserver === dv && v.name === dn)?.type ?? '-',
    },
    relationships: state.relationships.map((r) => ({
      source: r.source,
      destination: r.destination,
      state: r.state,
      status: r.status,
      healthy: r.healthy,
      newestSnapshot: r.newestSnapshot,
      deleted: r.deleted === true,
      transfer: r.transfer ? { ...r.transfer } : null,
      updates: r.updates,
      breaks: r.breaks,
      resyncs: r.resyncs,
    })),
    volumes: state.volumes.map((v) => ({
      vserver: v.vserver,
      name: v.name,
      state: v.state,
      type: v.type,
      junction: v.junction,
      snapshots: v.snapshots.map((s) => s.name),
    })),
    disaster: state.disaster,
    repaired: state.repaired === true,
  };
}

// ---- control socket: JSON lines ----

export interface ControlRequest {
  cmd: 'status' | 'backup' | 'tick' | 'disaster' | 'repair' | 'down' | 'vcenter-down' | 'vcenter-up';
  job?: string;
  /** repair: without the common snapshot. */
  noCommonSnapshot?: boolean;
}

export function controlSocketPath(dir: string): string {
  const p = path.join(path.resolve(dir), 'control.sock');
  // Unix socket paths are limited to ~107 bytes: a deep DIR gets a socket in the temp dir instead.
  if (Buffer.byteLength(p) <= 100) return p;
  return path.join(os.tmpdir(), `drbook-lab-${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16)}.sock`);
}

/** What the control socket drives: the ESXi/ONTAP lab, or the Hyper-V one (src/lab/hyperv/lab.ts). */
export type ControlledLab = Pick<Lab, 'tick' | 'disaster' | 'stop'> &
  Partial<Pick<Lab, 'vcenter' | 'repair'>> & { status(): unknown; fullStatus?(): Promise<unknown>; backup(job?: string): Promise<unknown> };

export async function startControl(dir: string, lab: ControlledLab): Promise<net.Server> {
  const sock = controlSocketPath(dir);
  rmSync(sock, { force: true });
  const server = net.createServer((conn) => {
    let buf = '';
    conn.on('error', () => undefined);
    conn.on('data', (d) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        void handle(line).then((reply) => conn.write(`${JSON.stringify(reply)}\n`));
      }
    });
  });
  const handle = async (line: string): Promise<unknown> => {
    try {
      const req = JSON.parse(line) as ControlRequest;
      switch (req.cmd) {
        case 'status':
          return { ok: true, result: lab.fullStatus ? await lab.fullStatus() : lab.status() };
        case 'vcenter-down':
        case 'vcenter-up':
          if (!lab.vcenter) return { ok: false, error: 'this lab has no vCenter: start it with --vcenter' };
          await lab.vcenter.setMode(req.cmd === 'vcenter-down' ? 'down' : 'auto');
          return { ok: true, result: null };
        case 'backup':
          return { ok: true, result: await lab.backup(req.job) };
        case 'tick':
          await lab.tick();
          return { ok: true, result: null };
        case 'disaster':
          await lab.disaster();
          return { ok: true, result: null };
        case 'repair':
          if (!lab.repair) return { ok: false, error: 'this lab has no volume to repair' };
          await lab.repair({ noCommonSnapshot: req.noCommonSnapshot === true });
          return { ok: true, result: null };
        case 'down':
          setTimeout(() => void lab.stop(), 50);
          return { ok: true, result: null };
        default:
          return { ok: false, error: `unknown control command` };
      }
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sock, () => resolve());
  });
  return server;
}

/** Send one request to a running lab; null when no lab answers in DIR. */
export function controlRequest(
  dir: string,
  req: ControlRequest,
  timeoutMs = 30_000,
): Promise<{ ok: boolean; result?: unknown; error?: string } | null> {
  return new Promise((resolve) => {
    const conn = net.connect(controlSocketPath(dir));
    let buf = '';
    const timer = setTimeout(() => {
      conn.destroy();
      resolve(null);
    }, timeoutMs);
    conn.on('connect', () => conn.write(`${JSON.stringify(req)}\n`));
    conn.on('data', (d) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        conn.end();
        resolve(JSON.parse(buf.slice(0, nl)) as { ok: boolean; result?: unknown; error?: string });
      }
    });
    conn.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

export { fingerprintOf };
