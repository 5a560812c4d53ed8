import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OperatorError } from '../errors.js';
import { VcenterClient, formatFingerprint } from '../adapters/vcenter/client.js';
import { readInventory } from '../adapters/vcenter/inventory.js';
import { isMoRef, moRef, type MoRef, type SoapValue, type XmlNode } from '../adapters/vcenter/soap.js';
import { registrationCheck } from './esxi-vimcmd.js';
import type { VmFault } from './faults.js';
import { locate, newRegistration, type LabState, type LabVcenterState } from './model.js';

/**
 * The lab's vCenter: govmomi's simulator (src/lab/vcsim/main.go, built from Debian's packages)
 * on 127.0.0.1. Like a real vCenter it shows what the ESXi hosts have registered: after each
 * change on a host the lab registers or removes the VM there through the SOAP API. A VM it has
 * seen before comes back in the folder and pool its database remembers (keyed by .vmx path); a
 * .vmx it has never seen lands in the datacenter's root folder and the cluster's root pool.
 * It is up while the lab's vCenter VM runs (and `lab vcenter-down` has not held it down), or
 * always in mode `up` (a vCenter that lives outside the protected volume).
 *
 * A client's RegisterVM_Task goes through the host, as on a real vCenter: the simulator asks the
 * lab (one JSON line on its stdout, the answer on its stdin), the lab registers the .vmx on the
 * host as `vim-cmd solo/registervm` would, or answers hostd's fault; the simulator then registers
 * it in the folder and pool the call named, and says so. Until then the sync leaves that path alone.
 * A VM with the fault `vcenterAnswerLost` is registered on both sides, but its caller's connection
 * drops before the answer, once.
 */

export const VCENTER_USER = 'administrator@vsphere.local';
export const VCENTER_PASSWORD_ENV = 'DRBOOK_LAB_VCENTER_PASSWORD';
export const DATACENTER = 'dc1';
export const CLUSTER = 'cluster1';
const FOLDERS = ['infra', 'prod/web', 'prod/db', 'test'];
const POOLS = ['infra', 'prod/gold', 'prod/silver'];
const ROOT_FOLDER = `/${DATACENTER}/vm`;
/** The simulator's standard port group; every lab VM has one NIC on it. */
const PORT_GROUP = 'VM Network';
const ROOT_POOL = `/${DATACENTER}/host/${CLUSTER}/Resources`;
/** The User-Agent of the lab's own calls: the simulator does not ask the hosts about those. */
const SYNC_AGENT = 'drbook-lab';

/** A host change the simulator made for a client (counted and saved like the host's own). */
export type HostChanged = (host: string, action: string, target: string) => void;

type HostdMessage =
  { op: 'register'; id: number; host: string; path: string; name: string } | { op: 'registered'; path: string; ok: boolean };

export interface VcenterApiStatus {
  url: string;
  up: boolean;
  vms: { name: string; host: string; folder: string; resourcePool: string; vmxPath: string }[];
}

/** Where each of the lab's VMs starts: a few nested folders and pools. */
export function initialPlacement(state: LabState, datastore: string): LabVcenterState['placement'] {
  const out: LabVcenterState['placement'] = {};
  let i = 0;
  for (const vm of state.vms) {
    const rel = `${vm.dir}/${vm.base}.vmx`;
    const infra = vm.vcenter || /^dc\d+$/.test(vm.name);
    const f = infra ? 'infra' : FOLDERS[1 + (i % 3)]!;
    const p = infra ? 'infra' : POOLS[1 + (i % 2)]!;
    if (!infra) i++;
    out[`[${datastore}] ${rel}`] = { folder: `${ROOT_FOLDER}/${f}`, resourcePool: `${ROOT_POOL}/${p}` };
  }
  return out;
}

/** Builds (once per source version) and returns the simulator binary; null when Go is missing. */
export async function buildVcsim(cacheRoot = defaultCacheRoot()): Promise<string | null> {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return null;
  const source = fileURLToPath(new URL('../../src/lab/vcsim/main.go', import.meta.url));
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' }).stdout.trim();
  const hash = createHash('sha256').update(readFileSync(source)).update(goVersion).digest('hex').slice(0, 16);
  const bin = path.join(cacheRoot, hash, 'vcsim');
  if (existsSync(bin)) return bin;
  mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  try {
    await promisify(execFile)('go', ['build', '-o', tmp, source], {
      cwd: path.dirname(source),
      env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(cacheRoot, 'gocache'), GOFLAGS: '' },
      maxBuffer: 4 << 20,
    });
  } catch (err) {
    throw new OperatorError(
      `cannot build the lab's vCenter simulator: ${((err as { stderr?: string }).stderr ?? String(err)).trim().split('\n').slice(0, 3).join(' ')}`,
      'install Debian packages golang-go and golang-github-vmware-govmomi-dev',
    );
  }
  renameSync(tmp, bin);
  return bin;
}

function defaultCacheRoot(): string {
  return fileURLToPath(new URL('../../node_modules/.cache/drbook-vcsim', import.meta.url));
}

export class LabVcenter {
  private proc: ChildProcess | null = null;
  private client: VcenterClient | null = null;
  private url = '';
  private queue: Promise<void> = Promise.resolve();
  private lastSignature = '';
  /** .vmx paths a client is registering through the API: on the host already, in the simulator soon. */
  private readonly apiPending = new Set<string>();
  /** .vmx paths whose registration answer was dropped once (fault vcenterAnswerLost). */
  private readonly answersLost = new Set<string>();
  readonly password: string;
  readonly fingerprint: string;

  private constructor(
    private readonly dir: string,
    private readonly state: LabState,
    private readonly bin: string,
    private readonly datastores: Record<string, string>,
    private readonly hostChanged: HostChanged,
    private readonly vmFault: (name: string) => VmFault | undefined,
  ) {
    const pwFile = path.join(dir, 'vcenter-password');
    if (!existsSync(pwFile)) writeFileSync(pwFile, `${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
    this.password = readFileSync(pwFile, 'utf8').trim();
    this.fingerprint = certificateFingerprint(path.join(dir, 'vcsim'));
  }

  static async create(
    dir: string,
    state: LabState,
    datastoreNames: string[],
    primary: string,
    hostChanged: HostChanged = () => undefined,
    vmFault: (name: string) => VmFault | undefined = () => undefined,
  ): Promise<LabVcenter> {
    const bin = await buildVcsim();
    if (!bin)
      throw new OperatorError(
        '`lab up --vcenter` needs Go and govmomi to build the vCenter simulator',
        'apt-get install golang-go golang-github-vmware-govmomi-dev (or start the lab without --vcenter)',
      );
    state.vcenter ??= { mode: 'auto', port: 0, placement: initialPlacement(state, primary) };
    const datastores = Object.fromEntries(datastoreNames.map((n) => [n, path.join(dir, 'vcsim', 'datastores', n)]));
    ensureCertificate(bin, path.join(dir, 'vcsim'));
    return new LabVcenter(dir, state, bin, datastores, hostChanged, vmFault);
  }

  get endpoint(): { url: string; tlsFingerprint: string; user: string; passwordEnv: string } {
    return {
      url: `https://127.0.0.1:${this.state.vcenter!.port}/sdk`,
      tlsFingerprint: this.fingerprint,
      user: VCENTER_USER,
      passwordEnv: VCENTER_PASSWORD_ENV,
    };
  }

  setMode(mode: LabVcenterState['mode']): Promise<void> {
    this.state.vcenter!.mode = mode;
    this.lastSignature = '';
    return this.sync();
  }

  /** Brings the simulator in line with the hosts: up or down, and the same registrations. */
  sync(): Promise<void> {
    const next = this.queue.then(() => this.syncNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async syncNow(): Promise<void> {
    const mode = this.state.vcenter!.mode;
    const want = mode === 'up' || (mode === 'auto' && vcenterVmRunning(this.state));
    const signature = `${want}|${this.state.hosts.map((h) => [...h.nfs.map((m) => `${h.name}\u0000${m.name}`), ...h.registrations.map((r) => `${h.name}\u0000${r.datastore}\u0000${r.rel}\u0000${r.name}`)].join('\u0001')).join('\u0002')}`;
    if (signature === this.lastSignature && (this.proc !== null) === want) return;
    if (!want) {
      await this.stopProcess(true);
      this.lastSignature = signature;
      return;
    }
    if (!this.proc) await this.startProcess();
    await this.reconcile();
    this.lastSignature = signature;
  }

  private async reconcile(): Promise<void> {
    const client = this.client!;
    const db = this.state.vcenter!.placement;
    await this.addMountedDatastores();
    const inv = await readInventory(client);
    const desired = new Map<string, { host: string; name: string }>();
    for (const h of this.state.hosts)
      for (const r of h.registrations) desired.set(`[${r.datastore}] ${r.rel}`, { host: h.name, name: r.name });
    const present = new Set<string>();
    for (const vm of inv.vms) {
      if (this.apiPending.has(vm.vmxPath)) continue;
      const d = desired.get(vm.vmxPath);
      if (!d || d.host !== vm.host) {
        await client.unregisterVm(vm.ref);
        delete db[vm.vmxPath];
        continue;
      }
      present.add(vm.vmxPath);
      db[vm.vmxPath] = { folder: vm.folder, resourcePool: vm.resourcePool };
    }
    for (const [vmxPath, d] of desired) {
      if (present.has(vmxPath) || this.apiPending.has(vmxPath)) continue;
      const m = /^\[([^\]]+)\] (.+)$/.exec(vmxPath);
      const dsDir = m ? this.datastores[m[1]!] : undefined;
      if (!m || !dsDir) continue;
      this.writeStubs(dsDir, m[2]!, d.name);
      const place = db[vmxPath];
      const folder = inv.folders.get(place?.folder ?? ROOT_FOLDER) ?? inv.folders.get(ROOT_FOLDER)!;
      const pool = inv.pools.get(place?.resourcePool ?? ROOT_POOL) ?? inv.pools.get(ROOT_POOL)!;
      const vm = await client.registerVm({ folder, path: vmxPath, name: d.name, pool, host: inv.hosts.get(d.host)! });
      await addNic(client, vm, PORT_GROUP);
      db[vmxPath] = { folder: place?.folder ?? ROOT_FOLDER, resourcePool: place?.resourcePool ?? ROOT_POOL };
    }
  }

  /**
   * A datastore a host mounted after the simulator started (a drill's clone) appears in vCenter
   * as it would: on that host, a real folder behind it. Unmounted ones stay (the simulator keeps
   * them; nothing of the lab reads them there).
   */
  private async addMountedDatastores(): Promise<void> {
    const client = this.client!;
    const objects = await client.retrieveAll({ HostSystem: ['name', 'datastore', 'configManager.datastoreSystem'], Datastore: ['name'] });
    const nameOf = (v: unknown): string => (typeof v === 'string' ? v : '');
    const dsName = new Map(objects.filter((o) => o.obj.type === 'Datastore').map((o) => [o.obj.value, nameOf(o.props['name'])]));
    for (const o of objects) {
      if (o.obj.type !== 'HostSystem') continue;
      const h = this.state.hosts.find((x) => x.name === o.props['name']);
      const dss = o.props['datastore'];
      const has = new Set(Array.isArray(dss) ? dss.map((d) => (typeof d === 'string' ? d : dsName.get(d.value))) : []);
      const system = o.props['configManager.datastoreSystem'];
      if (!h || !isMoRef(system)) continue;
      for (const m of h.nfs) {
        if (has.has(m.name)) continue;
        const dir = (this.datastores[m.name] ??= path.join(this.dir, 'vcsim', 'datastores', m.name));
        mkdirSync(dir, { recursive: true });
        await client.call('CreateLocalDatastore', system, [
          ['name', m.name],
          ['path', dir],
        ]);
      }
    }
  }

  /** The simulator reads the .vmx's folder: the .vmx, `<name>.nvram` (this version wants it) and vmware.log. */
  private writeStubs(dsDir: string, rel: string, name: string): void {
    const vmx = path.join(dsDir, rel);
    const folder = path.dirname(vmx);
    mkdirSync(folder, { recursive: true });
    if (!existsSync(vmx)) writeFileSync(vmx, `displayName = ${JSON.stringify(name)}\n`);
    const nvram = path.join(folder, `${name.replace(/\//g, '%2f')}.nvram`);
    if (!existsSync(nvram)) writeFileSync(nvram, 'NVRAM\n');
    const log = path.join(folder, 'vmware.log');
    if (!existsSync(log)) writeFileSync(log, '');
  }

  private async startProcess(): Promise<void> {
    const work = path.join(this.dir, 'vcsim');
    const layout = path.join(work, 'layout.json');
    mkdirSync(work, { recursive: true });
    writeFileSync(
      layout,
      JSON.stringify({
        datacenter: DATACENTER,
        cluster: CLUSTER,
        hosts: this.state.hosts.map((h) => h.name),
        datastores: this.datastores,
        folders: FOLDERS,
        pools: POOLS,
      }),
    );
    const port = this.state.vcenter!.port;
    // What the simulator says on stderr (Go's log of a failed request, a panic) is kept: a lab run
    // that went wrong is read from vcsim/vcsim.log.
    const log = createWriteStream(path.join(work, 'vcsim.log'), { flags: 'a' });
    const child = spawn(
      this.bin,
      ['-listen', `127.0.0.1:${port}`, '-cert-dir', work, '-layout', layout, '-user', VCENTER_USER, '-sync-agent', SYNC_AGENT],
      {
        env: { ...process.env, VCSIM_PASSWORD: this.password },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const info = await new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
      let out = '';
      let err = '';
      let first = true;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
          const line = out.slice(0, nl);
          out = out.slice(nl + 1);
          if (first) {
            first = false;
            resolve(JSON.parse(line) as { url: string; fingerprint: string });
          } else this.hostd(child, (JSON.parse(line) as { hostd: HostdMessage }).hostd);
        }
      });
      child.stderr.on('data', (d: Buffer) => {
        if (first) err += d.toString('utf8');
        log.write(d);
      });
      child.once('exit', (code) => {
        log.end();
        reject(new Error(`the vCenter simulator exited (${code}): ${err.trim().split('\n').slice(-2).join(' ')}`));
      });
    });
    this.proc = child;
    this.url = info.url;
    this.state.vcenter!.port = Number(new URL(info.url).port);
    this.client = await VcenterClient.connect({ url: info.url, tlsFingerprint: info.fingerprint, user: VCENTER_USER }, this.password, {
      userAgent: SYNC_AGENT,
    });
  }

  /**
   * The simulator asks the host to register a client's .vmx (answered at once, outside the sync
   * queue: the simulator holds its folder until then), or says how its own registration ended.
   */
  private hostd(child: ChildProcess, msg: HostdMessage): void {
    if (msg.op === 'registered') {
      this.apiPending.delete(msg.path);
      // The simulator refused what the host accepted: the host forgets it again, as vCenter would.
      if (!msg.ok) this.forget(msg.path);
      this.lastSignature = '';
      void this.sync().catch(() => undefined);
      return;
    }
    const answer = (fault: string, message: string, drop = false) =>
      child.stdin?.write(`${JSON.stringify({ id: msg.id, fault, message, drop })}\n`);
    const host = this.state.hosts.find((h) => h.name === msg.host);
    if (!host) return void answer('InvalidArgument', `no host ${msg.host}`);
    const check = registrationCheck(this.state, host, msg.path);
    if ('fault' in check) {
      return void answer(
        check.fault,
        check.fault === 'NotFound'
          ? `File ${msg.path} was not found`
          : `The specified key, name, or identifier '${check.vmid}' already exists.`,
      );
    }
    const dsDir = this.datastores[check.datastore];
    if (!dsDir) return void answer('NotFound', `the lab's vCenter has no datastore ${check.datastore}`);
    const name = msg.name || check.displayName || check.rel;
    // The simulator reads the .vmx's folder on its side of the datastore.
    this.writeStubs(dsDir, check.rel, name);
    newRegistration(host, check.datastore, check.rel, name);
    this.apiPending.add(msg.path);
    this.hostChanged(host.name, 'register', `[${check.datastore}] ${check.rel}`);
    const drop = Boolean(this.vmFault(name)?.vcenterAnswerLost) && !this.answersLost.has(msg.path);
    if (drop) this.answersLost.add(msg.path);
    answer('', '', drop);
  }

  private forget(vmxPath: string): void {
    for (const h of this.state.hosts) {
      const i = h.registrations.findIndex((r) => `[${r.datastore}] ${r.rel}` === vmxPath && r.power === 'off');
      if (i >= 0) {
        h.registrations.splice(i, 1);
        this.hostChanged(h.name, 'unregister', vmxPath);
      }
    }
  }

  private async stopProcess(remember: boolean): Promise<void> {
    const child = this.proc;
    if (!child) return;
    if (remember) await this.reconcile().catch(() => undefined);
    await this.client?.logout();
    this.client = null;
    this.proc = null;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
  }

  /** What vCenter shows, read through its API (empty when it is down). */
  async apiStatus(): Promise<VcenterApiStatus> {
    await this.queue;
    const url = this.endpoint.url;
    if (!this.client) return { url, up: false, vms: [] };
    const inv = await readInventory(this.client);
    return {
      url,
      up: true,
      vms: inv.vms.map((v) => ({ name: v.name, host: v.host, folder: v.folder, resourcePool: v.resourcePool, vmxPath: v.vmxPath })),
    };
  }

  async stop(): Promise<void> {
    await this.queue;
    await this.stopProcess(true);
  }
}

/**
 * The simulator reads no .vmx: give the VM its NIC through the API (ReconfigVM_Task), so that
 * vCenter shows its port group as it would for a real VM.
 */
async function addNic(client: VcenterClient, vm: MoRef, network: string): Promise<void> {
  const spec: SoapValue = {
    fields: [
      [
        'deviceChange',
        {
          fields: [
            ['operation', 'add'],
            [
              'device',
              {
                xsiType: 'VirtualE1000',
                fields: [
                  ['key', -1],
                  ['backing', { xsiType: 'VirtualEthernetCardNetworkBackingInfo', fields: [['deviceName', network]] }],
                ],
              },
            ],
          ],
        },
      ],
    ],
  };
  const res = await client.call('ReconfigVM_Task', vm, [['spec', spec]]);
  const task = moRef((res['returnval'] as XmlNode[])[0])!;
  await client.waitForTask(task, `ReconfigVM_Task ${vm.value}`);
}

/** Up when the vCenter VM is registered, powered on, past its boot and on a datastore the host sees. */
export function vcenterVmRunning(state: LabState, now = Date.now()): boolean {
  const vc = state.vms.find((v) => v.vcenter);
  if (!vc) return false;
  return state.hosts.some((h) =>
    h.registrations.some(
      (r) =>
        r.rel.startsWith(`${vc.dir}/`) &&
        r.power === 'on' &&
        r.toolsAt !== null &&
        r.toolsAt <= now &&
        Boolean(locate(state, h, r.datastore)?.accessible),
    ),
  );
}

/** Makes the certificate (the simulator does, once) so its fingerprint is known while vCenter is down. */
function ensureCertificate(bin: string, work: string): void {
  if (existsSync(path.join(work, 'cert.pem'))) return;
  mkdirSync(work, { recursive: true });
  spawnSync(bin, ['-make-cert', '-cert-dir', work], { stdio: 'ignore' });
}

function certificateFingerprint(work: string): string {
  return formatFingerprint(new X509Certificate(readFileSync(path.join(work, 'cert.pem'))).fingerprint256);
}
