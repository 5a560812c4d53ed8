import path from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { makeRng, type Rng } from './prng.js';
import {
  buildVmdk,
  buildVmsd,
  buildVmx,
  formatVmUuid,
  locationUuid,
  parentOf,
  parseVmsd,
  parseVmx,
  readMarker,
  setVmxKeys,
  writeMarker,
  type Vmsd,
} from './vmfiles.js';
import type { LabFaults } from './faults.js';

/**
 * The lab's site as plain JSON-serialisable data (design §1–2). Everything that a command
 * changes lives here, and is written to DIR/state.json after each change.
 */

export type Files = Record<string, string>;

export interface NetAppSnapshot {
  name: string;
  createTime: number;
  files: Files;
}

export interface Volume {
  vserver: string;
  name: string;
  junction: string | null;
  type: 'RW' | 'DP';
  state: 'online' | 'offline';
  aggregate: string;
  files: Files;
  snapshots: NetAppSnapshot[];
  cloneOf?: { volume: string; snapshot: string };
}

export interface Relationship {
  source: string; // svm:vol
  destination: string;
  state: 'Snapmirrored' | 'Broken-off' | 'Uninitialized';
  status: 'Idle' | 'Quiesced' | 'Transferring';
  healthy: boolean;
  relationshipId: string;
  lastTransferEnd: number | null;
  /** What the last transfer moved and how long it took on the lab's link (absent in older lab states). */
  lastTransfer?: { bytes: number; seconds: number } | null;
  newestSnapshot: string | null;
  newestSnapshotTime: number | null;
  updates: number;
  breaks: number;
  resyncs: number;
  /** A transfer under way (initialize, resync, update): it takes time by its size (lab tick). */
  transfer?: Transfer | null;
  /** `snapmirror delete` ran on the destination; the source keeps its record until `snapmirror release`. */
  deleted?: boolean;
}

export interface Transfer {
  kind: 'initialize' | 'resync' | 'update';
  bytesTotal: number;
  bytesDone: number;
}

export interface NfsMount {
  name: string;
  host: string;
  share: string;
  readOnly: boolean;
  uuid: string;
}

export interface Registration {
  vmid: number;
  datastore: string;
  rel: string; // path inside the datastore, e.g. web01/web01.vmx
  name: string;
  power: 'on' | 'off';
  bootMarker: number | null;
  worldId: number | null;
  cartelId: number | null;
  /** ms (wall clock) when the guest tools heartbeat turns green. */
  toolsAt: number | null;
  /** ms when a kill takes effect. */
  dyingAt: number | null;
  question: { id: string; kind: 'uuid.altered' } | null;
  stuck: 'soft' | 'hard' | null;
  /** hostd's recent tasks of this VM (absent in labs made before tasks were modelled). */
  tasks?: LabTask[];
}

/** A hostd task: it runs on whether or not the vim-cmd that started it is still connected. */
export interface LabTask {
  key: string;
  name: string;
  descriptionId: string;
  state: 'running' | 'success' | 'error';
  error: string | null;
  queueTime: number;
  startTime: number;
  completeTime: number | null;
}

/** How long hostd keeps a finished task in a VM's recent tasks (assumed: 10 minutes). */
export const TASK_RETENTION_MS = 10 * 60_000;

/** Start a task on the VM: running until finishTask. */
export function startTask(h: Host & { nextTask?: number }, reg: Registration, method: string, descriptionId: string, now: number): LabTask {
  h.nextTask = (h.nextTask ?? 1000) + 1;
  const task: LabTask = {
    key: `haTask-${reg.vmid}-${method}-${h.nextTask}`,
    name: method,
    descriptionId,
    state: 'running',
    error: null,
    queueTime: now,
    startTime: now,
    completeTime: null,
  };
  reg.tasks = [...recentTasks(reg, now), task];
  return task;
}

export function finishTask(task: LabTask, now: number, error: string | null = null): void {
  task.state = error === null ? 'success' : 'error';
  task.error = error;
  task.completeTime = now;
}

/** The tasks hostd still lists: running ones and those finished within the retention. */
export function recentTasks(reg: Registration, now: number): LabTask[] {
  return (reg.tasks ?? []).filter((t) => t.completeTime === null || now - t.completeTime <= TASK_RETENTION_MS);
}

export interface Host {
  name: string;
  version: string;
  build: string;
  update: string;
  lockdown: boolean;
  nfs: NfsMount[];
  nextVmid: number;
  registrations: Registration[];
}

export interface VmInfo {
  name: string;
  dir: string;
  base: string;
  job: string | null;
  uuid: string;
  vcenter: boolean;
  host: string;
}

export interface Backup {
  snapshot: string;
  job: string;
  time: string;
  vmwareSnapshot: string;
  quiesced: Record<string, number | null>;
}

export interface LabState {
  version: 1;
  seed: number;
  names: 'plain' | 'hostile';
  clock: number;
  hosts: Host[];
  volumes: Volume[];
  /** Every SnapMirror relationship the cluster knows, in both directions (deleted ones until released). */
  relationships: Relationship[];
  vms: VmInfo[];
  jobs: string[];
  backups: Backup[];
  disaster: boolean;
  /** `lab repair`: the primary volume is back (as it was at the disaster). */
  repaired?: boolean;
  counters: { job: number; world: number; question: number; transfer: number; rng: number };
  actions: Record<string, number>;
  stats: { connections: Record<string, number>; commands: Record<string, number> };
  ports: { hosts: Record<string, number>; ontap: number };
  clusterUuid: string;
  /** Only in a lab started with --vcenter. */
  vcenter?: LabVcenterState;
}

/** The lab's vCenter (src/lab/vcenter.ts). */
export interface LabVcenterState {
  /** auto: up while the vCenter VM runs; down: held down by `lab vcenter-down`; up: always (it lives outside the protected volume). */
  mode: 'auto' | 'down' | 'up';
  port: number;
  /** vCenter's database: placement by .vmx datastore path. */
  placement: Record<string, { folder: string; resourcePool: string }>;
}

export const PRIMARY = { vserver: 'svm1', volume: 'vm_vol1', junction: '/vm_vol1', datastore: 'ds_vm1' } as const;
export const MIRROR = { vserver: 'svm2', volume: 'vm_vol1_mirror', junction: '/vm_vol1_mirror', datastore: 'ds_vm1_mirror' } as const;
export const VCENTER_NAME = 'vcenter01';
const SNAPSHOT_RETENTION = 8;

const PLAIN_ROLES = ['web', 'app', 'db', 'file', 'mail', 'erp', 'crm', 'print', 'log', 'mon', 'ci', 'wiki'];
const HOSTILE_NAMES = [
  `it's "quoted"`,
  '$(reboot)',
  '`id` backtick',
  'a;b|c&d',
  'star*glob',
  '-leading-dash',
  'very-long-name-' + 'x'.repeat(70),
  '日本語の仮想マシン',
  'emoji 🚀 vm',
  'trailing spaces  ',
  'back\\slash',
];
const GUESTS = ['windows2019srv_64Guest', 'rhel8_64Guest', 'ubuntu64Guest', 'windows2022srvNext_64Guest', 'centos8_64Guest'];

export function vmUuidFromRng(rng: Rng): string {
  return formatVmUuid(`564d${rng.hex(14)}`);
}

export function uuidFromRng(rng: Rng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A fresh PRNG for later random needs (new uuids after "I copied it"), still seeded. */
export function labRng(s: LabState): Rng {
  s.counters.rng++;
  return makeRng(s.seed * 7919 + s.counters.rng);
}

export function macFromRng(rng: Rng): string {
  return `00:0c:29:${rng.hex(3).match(/../g)!.join(':')}`;
}

/** A directory / file base name derived safely from a display name. */
export function safeBase(name: string, taken: Set<string>): string {
  let b =
    name
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^[-.]+/, '')
      .slice(0, 48) || 'vm';
  const root = b;
  for (let i = 2; taken.has(b.toLowerCase()); i++) b = `${root}_${i}`;
  taken.add(b.toLowerCase());
  return b;
}

export interface CreateOptions {
  hosts: number;
  vms: number;
  jobs: number;
  seed: number;
  names: 'plain' | 'hostile';
  faults: LabFaults;
  now: number;
}

export function vmDisplayNames(count: number, names: 'plain' | 'hostile'): string[] {
  const out = [VCENTER_NAME, 'dc01', 'dc02'];
  const counters = new Map<string, number>();
  let h = 0;
  for (let i = 0; out.length < count; i++) {
    if (names === 'hostile' && h < HOSTILE_NAMES.length && i % 2 === 0) {
      out.push(HOSTILE_NAMES[h++]!);
      continue;
    }
    const role = PLAIN_ROLES[i % PLAIN_ROLES.length]!;
    const n = (counters.get(role) ?? 0) + 1;
    counters.set(role, n);
    out.push(`${role}${String(n).padStart(2, '0')}`);
  }
  return out.slice(0, count);
}

export function createState(o: CreateOptions): LabState {
  const rng = makeRng(o.seed);
  const hosts: Host[] = [];
  for (let i = 1; i <= o.hosts; i++) {
    hosts.push({
      name: `esx${String(i).padStart(2, '0')}`,
      version: '8.0.3',
      build: 'Releasebuild-24022510',
      update: '3',
      lockdown: (i + o.seed) % 2 === 0,
      nfs: [{ name: PRIMARY.datastore, host: '127.0.0.1', share: PRIMARY.junction, readOnly: false, uuid: nfsUuid(rng) }],
      nextVmid: 1,
      registrations: [],
    });
  }
  const jobs = Array.from({ length: Math.max(1, o.jobs) }, (_, i) => `job${i + 1}`);
  const primary: Volume = {
    vserver: PRIMARY.vserver,
    name: PRIMARY.volume,
    junction: PRIMARY.junction,
    type: 'RW',
    state: 'online',
    aggregate: 'aggr1',
    files: {},
    snapshots: [],
  };
  const mirror: Volume = {
    vserver: MIRROR.vserver,
    name: MIRROR.volume,
    junction: MIRROR.junction,
    type: 'DP',
    state: 'online',
    aggregate: 'aggr2',
    files: {},
    snapshots: [],
  };
  const state: LabState = {
    version: 1,
    seed: o.seed,
    names: o.names,
    clock: Math.floor(o.now / 1000) * 1000,
    hosts,
    volumes: [primary, mirror],
    relationships: [
      newRelationship(`${PRIMARY.vserver}:${PRIMARY.volume}`, `${MIRROR.vserver}:${MIRROR.volume}`, 'Snapmirrored', uuidFromRng(rng)),
    ],
    vms: [],
    jobs,
    backups: [],
    disaster: false,
    counters: {
      job: 100 + rng.int(800),
      world: 2_000_000 + rng.int(1_000_000),
      question: 0,
      transfer: 2_147_483_000 + rng.int(600),
      rng: 0,
    },
    actions: {},
    stats: { connections: {}, commands: {} },
    ports: { hosts: {}, ontap: 0 },
    clusterUuid: uuidFromRng(rng),
  };
  const names = vmDisplayNames(o.vms, o.names);
  // duplicateOf: the VM takes another VM's display name.
  for (const [vmName, f] of Object.entries(o.faults.vms)) {
    const i = names.indexOf(vmName);
    if (i >= 0 && f.duplicateOf) names[i] = f.duplicateOf;
  }
  const taken = new Set<string>();
  const order = rng.shuffle(hosts.map((h) => h.name));
  let jobIndex = 0;
  names.forEach((name, i) => {
    const originalName = vmDisplayNames(o.vms, o.names)[i]!;
    const fault = o.faults.vms[originalName] ?? o.faults.vms[name] ?? {};
    const dir = safeBase(name, taken);
    const base = fault.vmxName === 'other' ? `vm-${1000 + i}` : dir;
    const host = order[i % order.length]!;
    const vcenter = i === 0;
    const job = vcenter ? null : jobs[jobIndex++ % jobs.length]!;
    const uuid = vmUuidFromRng(rng);
    const rel = `${dir}/${base}.vmx`;
    primary.files[rel] = buildVmx({
      displayName: name,
      base,
      guestOS: vcenter ? 'vmwarePhoton64Guest' : rng.pick(GUESTS),
      hwVersion: 19,
      uuidBios: uuid,
      location: locationUuid(`/vmfs/volumes/${PRIMARY.datastore}/${rel}`),
      mac: macFromRng(rng),
    });
    primary.files[`${dir}/${base}.vmdk`] = buildVmdk({ marker: 1 + rng.int(50), cid: rng.hex(4) });
    primary.files[`${dir}/${base}.nvram`] = 'NVRAM\n';
    primary.files[`${dir}/vmware.log`] = `${new Date(o.now).toISOString()} In(05) vmx - Log for VMware ESX pid=1\n`;
    state.vms.push({ name, dir, base, job, uuid, vcenter, host });
    const h = hosts.find((x) => x.name === host)!;
    const reg = newRegistration(h, PRIMARY.datastore, rel, name);
    reg.stuck = fault.stuck ?? null;
    if (!fault.poweredOffAtBackup) powerOnNow(state, h, reg, o.now, 0);
  });
  return state;
}

function nfsUuid(rng: Rng): string {
  return `${rng.hex(4)}-${rng.hex(4)}`;
}

export function newRegistration(h: Host, datastore: string, rel: string, name: string): Registration {
  const reg: Registration = {
    vmid: h.nextVmid++,
    datastore,
    rel,
    name,
    power: 'off',
    bootMarker: null,
    worldId: null,
    cartelId: null,
    toolsAt: null,
    dyingAt: null,
    question: null,
    stuck: null,
  };
  h.registrations.push(reg);
  return reg;
}

export function powerOnNow(s: LabState, h: Host, reg: Registration, now: number, heartbeatMs: number): void {
  const loc = locate(s, h, reg.datastore);
  const marker = loc?.volume ? vmMarker(loc.volume.files, reg.rel) : null;
  s.counters.world += 2 + (reg.vmid % 7);
  reg.power = 'on';
  reg.cartelId = s.counters.world;
  reg.worldId = s.counters.world + 1;
  reg.bootMarker = marker;
  reg.toolsAt = now + heartbeatMs;
  reg.dyingAt = null;
}

export function powerOffNow(reg: Registration): void {
  reg.power = 'off';
  reg.worldId = null;
  reg.cartelId = null;
  reg.toolsAt = null;
  reg.dyingAt = null;
}

/** Lab time: real time, but strictly increasing by at least 1 s so generated names never collide. */
export function labNow(s: LabState, wall = Date.now()): number {
  s.clock = Math.max(Math.floor(wall / 1000) * 1000, s.clock + 1000);
  return s.clock;
}

export function volumeByName(s: LabState, vserver: string | undefined, name: string): Volume | undefined {
  return s.volumes.find((v) => v.name === name && (vserver === undefined || v.vserver === vserver));
}

export function primaryVolume(s: LabState): Volume {
  return volumeByName(s, PRIMARY.vserver, PRIMARY.volume)!;
}
export function mirrorVolume(s: LabState): Volume {
  return volumeByName(s, MIRROR.vserver, MIRROR.volume)!;
}

export interface Located {
  mount: NfsMount;
  volume: Volume | undefined;
  accessible: boolean;
  writable: boolean;
}

/** A datastore (by name or uuid) as one host sees it. */
export function locate(s: LabState, h: Host, ds: string): Located | undefined {
  const mount = h.nfs.find((m) => m.name === ds || m.uuid === ds);
  if (!mount) return undefined;
  const volume = s.volumes.find((v) => v.junction === mount.share);
  const accessible = Boolean(volume && volume.state === 'online');
  return { mount, volume, accessible, writable: accessible && volume!.type === 'RW' && !mount.readOnly };
}

// ---- VM disks and VMware snapshots (all on a volume's file map) ----

export function vmDir(rel: string): string {
  return path.posix.dirname(rel);
}

export function currentDisk(files: Files, vmxRel: string): string | null {
  const vmx = files[vmxRel];
  if (vmx === undefined) return null;
  const f = parseVmx(vmx).get('scsi0:0.filename');
  return f ? path.posix.join(vmDir(vmxRel), f) : null;
}

export function vmMarker(files: Files, vmxRel: string): number | null {
  const d = currentDisk(files, vmxRel);
  return d ? readMarker(files[d]) : null;
}

export function vmsdPath(files: Files, vmxRel: string): string {
  return vmxRel.replace(/\.vmx$/, '.vmsd');
}

export function readVmsd(files: Files, vmxRel: string): Vmsd {
  return parseVmsd(files[vmsdPath(files, vmxRel)]);
}

/** A running VM writes: its current disk (the delta while a snapshot exists) advances. */
export function advanceMarker(files: Files, vmxRel: string): void {
  const d = currentDisk(files, vmxRel);
  if (!d || files[d] === undefined) return;
  const m = readMarker(files[d]);
  if (m !== null) files[d] = writeMarker(files[d], m + 1);
}

export function vmSnapshotCreate(
  files: Files,
  vmxRel: string,
  o: { name: string; description: string; time: number; poweredOn: boolean; memory: boolean; quiesced: boolean },
): number {
  const dir = vmDir(vmxRel);
  const base = path.posix.basename(vmxRel, '.vmx');
  const disk = currentDisk(files, vmxRel)!;
  const marker = readMarker(files[disk]) ?? 0;
  const vmsd = readVmsd(files, vmxRel);
  const uid = vmsd.lastUid + 1;
  const n = vmsd.snapshots.length + 1;
  const deltaName = `${base}-${String(n).padStart(6, '0')}.vmdk`;
  files[`${dir}/${deltaName}`] = buildVmdk({ marker, parent: path.posix.basename(disk), cid: uid.toString(16).padStart(8, '0') });
  const vmsn = `${base}-Snapshot${uid}.vmsn`;
  files[`${dir}/${vmsn}`] = `VMSN snapshot ${uid}\n`;
  vmsd.snapshots.push({
    uid,
    name: o.name,
    description: o.description,
    createTime: o.time,
    disk: path.posix.basename(disk),
    vmsn,
    state: o.memory && o.poweredOn ? 'powered on' : 'powered off',
    quiesced: o.quiesced,
  });
  vmsd.lastUid = uid;
  vmsd.current = uid;
  files[vmsdPath(files, vmxRel)] = buildVmsd(vmsd);
  files[vmxRel] = setVmxKeys(files[vmxRel]!, { 'scsi0:0.fileName': deltaName });
  return uid;
}

/** Revert: the disk written since the snapshot goes back to the snapshot's content. */
export function vmSnapshotRevert(files: Files, vmxRel: string, uid: number): boolean {
  const vmsd = readVmsd(files, vmxRel);
  const i = vmsd.snapshots.findIndex((x) => x.uid === uid);
  if (i < 0) return false;
  const snap = vmsd.snapshots[i]!;
  const dir = vmDir(vmxRel);
  const frozen = readMarker(files[`${dir}/${snap.disk}`]) ?? 0;
  const child = i + 1 < vmsd.snapshots.length ? vmsd.snapshots[i + 1]!.disk : path.posix.basename(currentDisk(files, vmxRel)!);
  // Later snapshots stay; the running disk now holds exactly the snapshot's content.
  const cur = currentDisk(files, vmxRel)!;
  files[cur] = writeMarker(files[cur]!, frozen);
  if (`${dir}/${child}` !== cur && files[`${dir}/${child}`]) files[`${dir}/${child}`] = writeMarker(files[`${dir}/${child}`]!, frozen);
  vmsd.current = uid;
  files[vmsdPath(files, vmxRel)] = buildVmsd(vmsd);
  return true;
}

/** Delete a snapshot: its child delta is consolidated into the disk it froze. */
export function vmSnapshotRemove(files: Files, vmxRel: string, uid: number): boolean {
  const vmsd = readVmsd(files, vmxRel);
  const i = vmsd.snapshots.findIndex((x) => x.uid === uid);
  if (i < 0) return false;
  const snap = vmsd.snapshots[i]!;
  const dir = vmDir(vmxRel);
  const cur = path.posix.basename(currentDisk(files, vmxRel)!);
  const childDisk = i + 1 < vmsd.snapshots.length ? vmsd.snapshots[i + 1]!.disk : cur;
  const childText = files[`${dir}/${childDisk}`];
  const parentPath = `${dir}/${snap.disk}`;
  const merged = readMarker(childText);
  if (merged !== null && files[parentPath]) files[parentPath] = writeMarker(files[parentPath], merged);
  if (childDisk !== snap.disk) delete files[`${dir}/${childDisk}`];
  delete files[`${dir}/${snap.vmsn}`];
  if (i + 1 < vmsd.snapshots.length) vmsd.snapshots[i + 1]!.disk = snap.disk;
  else files[vmxRel] = setVmxKeys(files[vmxRel]!, { 'scsi0:0.fileName': snap.disk });
  vmsd.snapshots.splice(i, 1);
  if (vmsd.current === uid) vmsd.current = vmsd.snapshots.length ? vmsd.snapshots[vmsd.snapshots.length - 1]!.uid : null;
  files[vmsdPath(files, vmxRel)] = buildVmsd(vmsd);
  return true;
}

export function diskChainOk(files: Files, vmxRel: string): boolean {
  let d = currentDisk(files, vmxRel);
  for (let n = 0; d && n < 64; n++) {
    const text = files[d];
    if (text === undefined) return false;
    const p = parentOf(text);
    if (!p) return true;
    d = path.posix.join(vmDir(vmxRel), p);
  }
  return false;
}

// ---- NetApp snapshots ----

export function copyFiles(f: Files): Files {
  return { ...f };
}

export function netappSnapshotCreate(v: Volume, name: string, time: number): NetAppSnapshot {
  if (v.snapshots.some((x) => x.name === name)) throw new Error(`snapshot ${name} already exists`);
  const snap = { name, createTime: time, files: copyFiles(v.files) };
  v.snapshots.push(snap);
  return snap;
}

/** SnapRestore: the volume becomes the snapshot; every newer snapshot is deleted. */
export function snapRestore(v: Volume, name: string): boolean {
  const snap = v.snapshots.find((x) => x.name === name);
  if (!snap) return false;
  v.files = copyFiles(snap.files);
  v.snapshots = v.snapshots.filter((x) => x.createTime <= snap.createTime);
  return true;
}

/** restore-file: one file (path relative to the volume root) back from a snapshot. */
export function restoreFile(v: Volume, snapshot: string, file: string, restorePath?: string): 'ok' | 'no-snapshot' | 'no-file' {
  const snap = v.snapshots.find((x) => x.name === snapshot);
  if (!snap) return 'no-snapshot';
  const rel = file.replace(/^\/+/, '');
  const text = snap.files[rel];
  if (text === undefined) return 'no-file';
  v.files[(restorePath ?? file).replace(/^\/+/, '')] = text;
  return 'ok';
}

export function cloneVolume(
  s: LabState,
  parent: Volume,
  snapshot: string,
  vserver: string,
  name: string,
  junction: string | null,
): Volume | string {
  const snap = parent.snapshots.find((x) => x.name === snapshot);
  if (!snap) return `Snapshot copy "${snapshot}" does not exist in volume "${parent.name}".`;
  if (volumeByName(s, vserver, name)) return `Duplicate volume name ${name}.`;
  const v: Volume = {
    vserver,
    name,
    junction,
    type: 'RW',
    state: 'online',
    aggregate: parent.aggregate,
    files: copyFiles(snap.files),
    snapshots: [{ name: snap.name, createTime: snap.createTime, files: copyFiles(snap.files) }],
    cloneOf: { volume: parent.name, snapshot },
  };
  s.volumes.push(v);
  return v;
}

// ---- time moves on ----

/** Kills that have taken effect by `now`. */
export function settle(s: LabState, now: number): boolean {
  let changed = false;
  for (const h of s.hosts)
    for (const r of h.registrations)
      if (r.dyingAt !== null && r.dyingAt <= now) {
        powerOffNow(r);
        changed = true;
      }
  return changed;
}

/** Every running VM whose datastore is writable writes once. */
export function tick(s: LabState): void {
  for (const h of s.hosts)
    for (const r of h.registrations) {
      if (r.power !== 'on') continue;
      const loc = locate(s, h, r.datastore);
      if (loc?.writable && loc.volume) advanceMarker(loc.volume.files, r.rel);
    }
}

export function fmtStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function snapmirrorStamp(ms: number): string {
  const t = fmtStamp(ms);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}_${t.slice(8)}`;
}

/** The VSC job (design §1): VMware snapshots, NetApp snapshot, delete VMware snapshots, SnapMirror update. */
export function backup(s: LabState, job: string, snapshotFails: (vm: string) => boolean, wall = Date.now()): Backup {
  const primary = primaryVolume(s);
  if (primary.state !== 'online') throw new Error(`the primary volume ${primary.vserver}:${primary.name} is offline`);
  const start = labNow(s, wall);
  const smvi = `smvi_${uuidFromRng(labRng(s))}`;
  const iso = new Date(start).toISOString().replace(/\.\d+Z$/, 'Z');
  const quiesced: Record<string, number | null> = {};
  const snapped: { rel: string; uid: number }[] = [];
  for (const vm of s.vms.filter((x) => x.job === job)) {
    const rel = Object.keys(primary.files).find((k) => k.startsWith(`${vm.dir}/`) && k.endsWith('.vmx'));
    const reg = rel ? findPrimaryRegistration(s, rel) : undefined;
    if (!rel || !reg || reg.power !== 'on' || snapshotFails(vm.name)) {
      quiesced[vm.name] = null;
      continue;
    }
    quiesced[vm.name] = vmMarker(primary.files, rel);
    const uid = vmSnapshotCreate(primary.files, rel, {
      name: smvi,
      description: `VSC backup ${job} ${iso}`,
      time: start,
      poweredOn: true,
      memory: false,
      quiesced: true,
    });
    snapped.push({ rel, uid });
  }
  tick(s);
  const recent = `smvi__${job}_recent`;
  const old = primary.snapshots.find((x) => x.name === recent);
  if (old) {
    const renamed = `smvi__${job}_${fmtStamp(old.createTime)}`;
    old.name = renamed;
    for (const b of s.backups) if (b.snapshot === recent && b.job === job) b.snapshot = renamed;
  }
  const snapTime = labNow(s, wall);
  netappSnapshotCreate(primary, recent, snapTime);
  // VSC retention: the oldest renamed backups of this job go.
  const mine = primary.snapshots.filter((x) => x.name.startsWith(`smvi__${job}_`) && x.name !== recent);
  while (mine.length > SNAPSHOT_RETENTION) {
    const gone = mine.shift()!;
    primary.snapshots = primary.snapshots.filter((x) => x !== gone);
    s.backups = s.backups.filter((b) => b.snapshot !== gone.name);
  }
  for (const x of snapped) vmSnapshotRemove(primary.files, x.rel, x.uid);
  tick(s);
  const record: Backup = { snapshot: recent, job, time: new Date(snapTime).toISOString(), vmwareSnapshot: smvi, quiesced };
  s.backups.push(record);
  const out = relationshipTo(s, `${MIRROR.vserver}:${MIRROR.volume}`);
  if (out && out.source === `${PRIMARY.vserver}:${PRIMARY.volume}` && out.state === 'Snapmirrored') snapmirrorUpdate(s, out, wall);
  return record;
}

function findPrimaryRegistration(s: LabState, rel: string): Registration | undefined {
  for (const h of s.hosts) for (const r of h.registrations) if (r.datastore === PRIMARY.datastore && r.rel === rel) return r;
  return undefined;
}

/** A SnapMirror transfer: a new snapmirror.* snapshot on the source, then the destination becomes it. */
export function snapmirrorUpdate(s: LabState, rel: Relationship, wall = Date.now()): string | null {
  const src = volumeByPath(s, rel.source);
  const dst = volumeByPath(s, rel.destination);
  if (!src || !dst) return `Volume not found`;
  if (src.state !== 'online') return `Source volume "${rel.source}" is offline.`;
  if (rel.state !== 'Snapmirrored') return `Relationship with destination "${rel.destination}" is not in snapmirrored state.`;
  if (rel.status === 'Quiesced') return `Relationship with destination "${rel.destination}" is quiesced.`;
  transferNow(s, rel, src, dst, wall);
  rel.updates++;
  return null;
}

/** The transfer itself: a new snapmirror.* snapshot on the source; the destination becomes it, snapshots included. */
function transferNow(s: LabState, rel: Relationship, src: Volume, dst: Volume, wall = Date.now()): void {
  const time = labNow(s, wall);
  s.counters.transfer++;
  const name = `snapmirror.${s.clusterUuid}_${s.counters.transfer}.${snapmirrorStamp(time)}`;
  const bytes = changedBytes(src.files, rel.newestSnapshot ? dst.files : null);
  rel.lastTransfer = { bytes, seconds: Math.max(1, Math.round(bytes / LAB_LINK_BYTES_PER_SECOND)) };
  src.snapshots = src.snapshots.filter((x) => !x.name.startsWith('snapmirror.'));
  const snap = netappSnapshotCreate(src, name, time);
  dst.files = copyFiles(snap.files);
  dst.snapshots = src.snapshots.map((x) => ({ name: x.name, createTime: x.createTime, files: copyFiles(x.files) }));
  rel.lastTransferEnd = time;
  rel.newestSnapshot = name;
  rel.newestSnapshotTime = time;
}

export function newRelationship(source: string, destination: string, state: Relationship['state'], relationshipId: string): Relationship {
  return {
    source,
    destination,
    state,
    status: 'Idle',
    healthy: true,
    relationshipId,
    lastTransferEnd: null,
    newestSnapshot: null,
    newestSnapshotTime: null,
    updates: 0,
    breaks: 0,
    resyncs: 0,
    transfer: null,
  };
}

export function volumeByPath(s: LabState, p: string): Volume | undefined {
  const [vserver, name] = p.split(':') as [string, string | undefined];
  return name === undefined ? undefined : volumeByName(s, vserver, name);
}

/** The relationship into `destination` that the destination still knows (not deleted). */
export function relationshipTo(s: LabState, destination: string): Relationship | undefined {
  return s.relationships.find((r) => r.destination === destination && !r.deleted);
}

/** The relationship that protects the site now: the one mirroring, else the original direction. */
export function protectingRelationship(s: LabState): Relationship | undefined {
  const live = s.relationships.filter((r) => !r.deleted);
  return live.find((r) => r.state === 'Snapmirrored') ?? live.find((r) => r.source === `${PRIMARY.vserver}:${PRIMARY.volume}`) ?? live[0];
}

/**
 * The newest snapshot both volumes hold (same name and create time): what a resync starts from.
 * null: none, and only a baseline (`snapmirror initialize`) can set the relationship up.
 */
export function commonSnapshot(a: Volume, b: Volume): NetAppSnapshot | null {
  const shared = b.snapshots.filter((x) => a.snapshots.some((y) => y.name === x.name && y.createTime === x.createTime));
  return shared.sort((x, y) => y.createTime - x.createTime)[0] ?? null;
}

/** What the lab says a volume uses (`volume show -fields used`): fixed, like its size and free space. */
export const LAB_VOLUME_USED_BYTES = Math.round(87.7 * 2 ** 30);
/** The lab's link between the clusters: what `last-transfer-duration` is computed from. */
export const LAB_LINK_BYTES_PER_SECOND = 100 * 2 ** 20;
/** What one `lab tick` moves of a transfer: a baseline of the lab's volume takes one tick. */
export const LAB_TICK_BYTES = 100 * 2 ** 30;
/** Transfers up to this size finish on their own (incremental ones); larger ones need lab ticks. */
export const LAB_QUICK_BYTES = 2 ** 30;
/** The lab's size of one changed file of a VM (its disk changed: a few hundred MB). */
const CHANGED_FILE_BYTES = 64 * 2 ** 20;

/** Bytes an incremental transfer from `base` moves: the files that differ from it. */
export function changedBytes(files: Files, base: Files | null): number {
  if (!base) return LAB_VOLUME_USED_BYTES;
  let n = 0;
  for (const [k, v] of Object.entries(files)) if (base[k] !== v) n++;
  for (const k of Object.keys(base)) if (files[k] === undefined) n++;
  return n * CHANGED_FILE_BYTES;
}

/** Start a transfer of `bytes`; it ends in finishTransfer (at once when small, else by lab ticks). */
export function startTransfer(rel: Relationship, kind: Transfer['kind'], bytes: number): void {
  rel.status = 'Transferring';
  rel.transfer = { kind, bytesTotal: bytes, bytesDone: 0 };
}

/** A transfer that has moved every byte: the destination becomes the source's new snapshot. */
export function finishTransfer(s: LabState, rel: Relationship, wall = Date.now()): void {
  const t = rel.transfer;
  if (!t) return;
  rel.transfer = null;
  const src = volumeByPath(s, rel.source);
  const dst = volumeByPath(s, rel.destination);
  rel.status = rel.status === 'Transferring' ? 'Idle' : rel.status;
  if (!src || !dst || src.state !== 'online') {
    rel.healthy = false;
    return;
  }
  transferNow(s, rel, src, dst, wall);
  if (t.kind === 'initialize') rel.state = 'Snapmirrored';
  if (t.kind === 'update') rel.updates++;
  rel.healthy = true;
}

/** lab tick: every running transfer moves LAB_TICK_BYTES. */
export function advanceTransfers(s: LabState, wall = Date.now()): void {
  for (const rel of s.relationships) {
    if (!rel.transfer || rel.deleted) continue;
    rel.transfer.bytesDone = Math.min(rel.transfer.bytesTotal, rel.transfer.bytesDone + LAB_TICK_BYTES);
    if (rel.transfer.bytesDone >= rel.transfer.bytesTotal) finishTransfer(s, rel, wall);
  }
}

/**
 * `lab repair`: the primary volume comes back as it was at the disaster. Without the common
 * snapshot, it has lost every snapshot it shared with the mirror (as after a SnapRestore to an
 * older one), so only a new baseline can protect it again.
 */
export function repair(s: LabState, o: { noCommonSnapshot: boolean }): void {
  const primary = primaryVolume(s);
  if (primary.state === 'online' && !s.disaster)
    throw new Error('the primary volume is not lost: nothing to repair (lab disaster loses it)');
  primary.state = 'online';
  if (o.noCommonSnapshot) {
    const mirror = mirrorVolume(s);
    primary.snapshots = primary.snapshots.filter((x) => !mirror.snapshots.some((y) => y.name === x.name));
  }
  s.repaired = true;
}

/** A state.json written before relationships went both ways had one `relationship`. */
export function upgradeState(s: LabState): LabState {
  const old = (s as unknown as { relationship?: Relationship }).relationship;
  if (!s.relationships) s.relationships = old ? [old] : [];
  delete (s as unknown as { relationship?: Relationship }).relationship;
  return s;
}

export function disaster(s: LabState): void {
  tick(s);
  const primary = primaryVolume(s);
  primary.state = 'offline';
  s.disaster = true;
  const vc = s.vms.find((v) => v.vcenter);
  if (vc) {
    for (const h of s.hosts)
      for (const r of h.registrations) if (r.datastore === PRIMARY.datastore && r.rel.startsWith(`${vc.dir}/`)) powerOffNow(r);
  }
}

// ---- persistence ----

export function saveState(dir: string, s: LabState): void {
  const file = path.join(dir, 'state.json');
  // Saved often while the lab runs; a crash of the machine may lose the last change.
  writeFileAtomic(file, JSON.stringify(s), { durable: false });
}

export function actionKey(host: string, action: string, target: string): string {
  return `${host}\u0000${action}\u0000${target}`;
}

export function countAction(s: LabState, host: string, action: string, target: string): void {
  const k = actionKey(host, action, target);
  s.actions[k] = (s.actions[k] ?? 0) + 1;
}

export function registrationMarker(s: LabState, h: Host, r: Registration): number | null {
  const loc = locate(s, h, r.datastore);
  return loc?.volume ? vmMarker(loc.volume.files, r.rel) : null;
}

export function vmxOf(s: LabState, h: Host, r: Registration): Map<string, string> | null {
  const loc = locate(s, h, r.datastore);
  if (!loc?.accessible) return null;
  const text = loc.volume!.files[r.rel];
  return text === undefined ? null : parseVmx(text);
}

export { parseVmx };
