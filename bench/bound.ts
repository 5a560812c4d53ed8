/**
 * The lower bound of a failover: what a perfect orchestrator of the same runbook could reach on
 * the same lab. Computed from the lab's latency profile (every device operation costs its
 * profile delay plus one command round trip, and nothing else: no check, no verify, no polling),
 * the runbook's structure (steps one after another; inside a per-VM step each VM's stages in
 * order; the priority gate) and the per-host slot limit. The model is described in bench/README.md.
 */
import type { LabStatus } from '../src/lab/lab.js';
import type { LatencyProfile } from '../src/lab/latency.js';

export interface BoundVm {
  name: string;
  host: string;
  /** Still running on the lost datastore after the disaster: needs a kill. */
  running: boolean;
  /** Registered (stale) on its host: needs an unregister. */
  registered: boolean;
  /** Has its VSC quiesce point: revert + snapshot delete. */
  quiesced: boolean;
  /** Powered on before the outage (captured): power on + heartbeat. */
  powerOn: boolean;
  vcenter: boolean;
  /** Priority group index; groups.length for VMs in none. */
  group: number;
}

/** One stage of a per-VM chain: its cost, and whether it holds a host slot while it runs. */
interface Op {
  ms: number;
  slot: boolean;
}

export interface BoundBreakdown {
  /** Per step: its lower bound (ms). */
  steps: Record<string, number>;
  totalMs: number;
  /** The same VMs done one at a time with every wait (the by-hand procedure), from the same model. */
  sequentialModelMs: number;
}

export function boundVms(before: LabStatus, powerAtCapture: Map<string, string>, groups: string[][]): BoundVm[] {
  const quiesced = new Map<string, boolean>();
  for (const b of before.backups)
    for (const [vm, m] of Object.entries(b.quiesced)) quiesced.set(vm, (quiesced.get(vm) ?? false) || m !== null);
  return before.vms
    .filter((v) => v.stale)
    .map((v) => {
      const g = groups.findIndex((names) => names.includes(v.name));
      return {
        name: v.name,
        host: v.host,
        running: v.worldId !== null,
        registered: true,
        quiesced: quiesced.get(v.name) ?? false,
        powerOn: powerAtCapture.get(v.name) === 'on' || v.name === before.vcenter,
        vcenter: v.name === before.vcenter,
        group: g >= 0 ? g : groups.length,
      };
    });
}

/** What a VM needs in the fence and the recover (the rest of BoundVm does not change its operations). */
type VmNeeds = Pick<BoundVm, 'running' | 'registered' | 'quiesced' | 'powerOn'>;

/**
 * One VM's operations in the fence and the recover, as the bound counts them: each its profile
 * delay plus one command round trip. The recover's are split at the priority gate: `before` it
 * (register, revert, snapshot delete) and `after` it (power on, then the heartbeat, which holds no slot).
 */
export function vmOps(p: LatencyProfile, v: VmNeeds): { fence: Op[]; before: Op[]; after: Op[] } {
  const op = (ms: number, slot = true): Op => ({ ms: p.command + ms, slot });
  return {
    fence: [...(v.running ? [op(p.killSoft)] : []), ...(v.registered ? [op(p.unregister)] : [])],
    before: [op(p.register), ...(v.quiesced ? [op(p.revert), op(p.snapshotRemove)] : [])],
    after: v.powerOn ? [op(p.powerOn), op(p.heartbeat, false)] : [],
  };
}

/** The time a VM that needs every operation holds a host slot, per step, in the bound: what bench/slot-time.ts measures against. */
export function fullVmSlotMs(p: LatencyProfile): { fence: number; recover: number } {
  const o = vmOps(p, { running: true, registered: true, quiesced: true, powerOn: true });
  const slotted = (ops: Op[]) => ops.filter((x) => x.slot).reduce((a, x) => a + x.ms, 0);
  return { fence: slotted(o.fence), recover: slotted([...o.before, ...o.after]) };
}

/**
 * Lower bound of the makespan of chains on `slots` parallel slots (one host), where `release[i]`
 * is the earliest start of chain i's gated part. Three bounds, the largest holds:
 * the slotted work spread evenly over the slots; the longest chain; and for chains ending in an
 * unslotted wait (heartbeat), their slotted work spread evenly plus the shortest such wait.
 */
function hostBound(chains: Op[][], slots: number): number {
  if (chains.length === 0) return 0;
  const work = (ops: Op[]) => ops.filter((o) => o.slot).reduce((a, o) => a + o.ms, 0);
  const span = (ops: Op[]) => ops.reduce((a, o) => a + o.ms, 0);
  const total = chains.reduce((a, c) => a + work(c), 0) / slots;
  const longest = Math.max(...chains.map(span));
  const tailed = chains.filter((c) => c.length > 0 && !c[c.length - 1]!.slot);
  const tailBound = tailed.length
    ? tailed.reduce((a, c) => a + work(c), 0) / slots + Math.min(...tailed.map((c) => c[c.length - 1]!.ms))
    : 0;
  return Math.max(total, longest, tailBound);
}

function byHost(list: readonly BoundVm[]): Map<string, BoundVm[]> {
  const m = new Map<string, BoundVm[]>();
  for (const v of list) (m.get(v.host) ?? m.set(v.host, []).get(v.host)!).push(v);
  return m;
}

/**
 * A per-VM step whose chains are `before` (ungated) then `after` (power on, gated by priority
 * group, then the unslotted heartbeat): group k's power-ons start only when every VM of the lower
 * groups has its heartbeat, so the gate opens no earlier than the lower groups' bound.
 */
function gatedBound(vms: readonly BoundVm[], before: (v: BoundVm) => Op[], after: (v: BoundVm) => Op[], perHost: number): number {
  const groups = [...new Set(vms.map((v) => v.group))].sort((a, b) => a - b);
  // gateOpen[k]: earliest time every VM of groups < k has its heartbeat (lower bound).
  let gateOpen = 0;
  let bound = 0;
  for (const g of groups) {
    const members = vms.filter((v) => v.group === g);
    let groupEnd = 0;
    for (const [, list] of byHost(members)) {
      // Ungated part from 0; the gated part (power on + heartbeat) not before the gate opens.
      const full = hostBound(
        list.map((v) => [...before(v), ...after(v)]),
        perHost,
      );
      const gated = gateOpen + hostBound(list.map(after), perHost);
      const chainAfterGate = Math.max(
        ...list.map(
          (v) =>
            Math.max(
              gateOpen,
              before(v).reduce((a, o) => a + o.ms, 0),
            ) + after(v).reduce((a, o) => a + o.ms, 0),
        ),
      );
      groupEnd = Math.max(groupEnd, full, gated, chainAfterGate);
    }
    // Slots are shared by all groups on a host: the whole host's work bounds every group too.
    bound = Math.max(bound, groupEnd);
    gateOpen = Math.max(gateOpen, groupEnd);
  }
  for (const [, list] of byHost(vms))
    bound = Math.max(
      bound,
      hostBound(
        list.map((v) => [...before(v), ...after(v)]),
        perHost,
      ),
    );
  return bound;
}

export function computeBound(p: LatencyProfile, vms: BoundVm[], lockdownHosts: string[], hosts: string[], perHost: number): BoundBreakdown {
  const cmd = p.command;
  const ontap = p.ontapCommand;
  // The lab runs each ONTAP command after `ontapCommand`, and quiesce/break/restore sleep again inside.
  const op = (ms: number, slot = true): Op => ({ ms: cmd + ms, slot });
  const steps: Record<string, number> = {};
  steps['preflight'] = Math.max(ontap, cmd); // one read of each device, in parallel
  steps['break'] = 2 * ontap + (2 * ontap + p.snapmirrorBreak); // quiesce, then break
  steps['snaprestore'] = ontap + p.snapRestore;
  steps['lockdown-exit'] = lockdownHosts.length ? cmd + p.lockdown : 0;
  steps['mount'] = cmd + p.nfsAdd;

  const fenceChain = (v: BoundVm): Op[] => vmOps(p, v).fence;
  steps['fence'] = Math.max(0, ...[...byHost(vms)].map(([, list]) => hostBound(list.map(fenceChain), perHost)));

  const vc = vms.find((v) => v.vcenter);
  // register, restore-backup (a manual tick: 0), power on, heartbeat — one VM, no contention.
  steps['vcenter'] = vc ? cmd + p.register + cmd + p.powerOn + cmd + p.heartbeat : 0;

  // recover: register → revert → remove-snapshot → power-on (gated) → heartbeat (holds no slot).
  const rest = vms.filter((v) => !v.vcenter);
  const before = (v: BoundVm): Op[] => vmOps(p, v).before;
  const after = (v: BoundVm): Op[] => vmOps(p, v).after;
  const recover = gatedBound(rest, before, after, perHost);
  steps['recover'] = recover;
  steps['verify'] = cmd; // one read per host, in parallel
  steps['lockdown-enter'] = lockdownHosts.length ? cmd + p.lockdown : 0;
  const totalMs = Object.values(steps).reduce((a, b) => a + b, 0);

  // By hand: every operation one after another, each wait included.
  const seqChain = (v: BoundVm) => [
    ...fenceChain(v),
    ...(v.vcenter ? [op(p.register), op(p.powerOn), { ms: p.heartbeat + cmd, slot: false }] : [...before(v), ...after(v)]),
  ];
  const perVm = vms.reduce((a, v) => a + seqChain(v).reduce((s, o) => s + o.ms, 0), 0);
  const siteSerial =
    steps['preflight'] +
    steps['break'] +
    steps['snaprestore'] +
    (cmd + p.lockdown) * lockdownHosts.length * 2 +
    (cmd + p.nfsAdd) * hosts.length +
    cmd * hosts.length;
  return { steps, totalMs, sequentialModelMs: perVm + siteSerial };
}

/**
 * The drill's lower bound, same model: the lab stays healthy; a FlexClone of the mirror is made and
 * mounted; every VM of the primary volume is isolated (one .vmx write), registered from the clone,
 * reverted and its snapshot deleted (when quiesced), powered on (gated) with its heartbeat when
 * it was on; then every drill VM is powered off and unregistered, the clone unmounted and deleted.
 */
export function computeDrillBound(p: LatencyProfile, vms: BoundVm[], lockdownHosts: string[], perHost: number): BoundBreakdown {
  const cmd = p.command;
  const ontap = p.ontapCommand;
  const op = (ms: number, slot = true): Op => ({ ms: cmd + ms, slot });
  const steps: Record<string, number> = {};
  steps['preflight'] = Math.max(ontap, cmd);
  steps['lockdown-exit'] = lockdownHosts.length ? cmd + p.lockdown : 0;
  steps['clone'] = ontap + p.cloneCreate;
  steps['mount'] = cmd + p.nfsAdd;
  const before = (v: BoundVm): Op[] => [op(0), op(p.register), ...(v.quiesced ? [op(p.revert), op(p.snapshotRemove)] : [])];
  const after = (v: BoundVm): Op[] => (v.powerOn ? [op(p.powerOn), { ms: p.heartbeat + cmd, slot: false }] : []);
  steps['recover'] = gatedBound(vms, before, after, perHost);
  const teardown = (v: BoundVm): Op[] => [...(v.powerOn ? [op(p.powerOff)] : []), op(p.unregister)];
  steps['teardown'] = Math.max(0, ...[...byHost(vms)].map(([, list]) => hostBound(list.map(teardown), perHost)));
  steps['unmount'] = cmd;
  // unmount, offline, delete: the lab sleeps `ontapCommand` per exec and again inside each.
  steps['delete-clone'] = 3 * 2 * ontap;
  steps['verify'] = Math.max(ontap, cmd);
  steps['lockdown-enter'] = lockdownHosts.length ? cmd + p.lockdown : 0;
  const totalMs = Object.values(steps).reduce((a, b) => a + b, 0);
  const seq = vms.reduce((a, v) => a + [...before(v), ...after(v), ...teardown(v)].reduce((s, o) => s + o.ms, 0), 0);
  return { steps, totalMs, sequentialModelMs: seq + totalMs - steps['recover'] - steps['teardown'] };
}

/** The drill's VMs: every VM of the primary datastore (healthy lab), with its power at capture. */
export function drillBoundVms(
  before: LabStatus,
  primaryDatastore: string,
  powerAtCapture: Map<string, string>,
  groups: string[][],
): BoundVm[] {
  const quiesced = new Map<string, boolean>();
  for (const b of before.backups)
    for (const [vm, m] of Object.entries(b.quiesced)) quiesced.set(vm, (quiesced.get(vm) ?? false) || m !== null);
  return before.vms
    .filter((v) => v.datastore === primaryDatastore)
    .map((v) => {
      const g = groups.findIndex((names) => names.includes(v.name));
      return {
        name: v.name,
        host: v.host,
        running: false,
        registered: false,
        quiesced: quiesced.get(v.name) ?? false,
        powerOn: powerAtCapture.get(v.name) === 'on',
        vcenter: v.name === before.vcenter,
        group: g >= 0 ? g : groups.length,
      };
    });
}
