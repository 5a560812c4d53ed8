import { fail, ok, type EsxiContext, type Output } from './esxi-context.js';
import {
  faults,
  formatGetAllVms,
  formatGuestInfo,
  formatSnapshotTree,
  formatTaskInfo,
  formatTaskList,
  formatUuidQuestion,
  type TreeSnapshot,
} from './esxi-format.js';
import {
  labRng,
  locate,
  macFromRng,
  newRegistration,
  powerOffNow,
  finishTask,
  powerOnNow,
  readVmsd,
  recentTasks,
  startTask,
  vmSnapshotCreate,
  vmSnapshotRemove,
  vmSnapshotRevert,
  vmUuidFromRng,
  type Host,
  type LabState,
  type Registration,
} from './model.js';
import { locationUuid, parseVmx, setVmxKeys } from './vmfiles.js';

/** `vim-cmd` as an ESXi 8 host answers it, in the layouts of shared/fixtures. */
export async function runVimCmd(ctx: EsxiContext, argv: string[]): Promise<Output> {
  let user = 'root';
  const args = [...argv];
  if (args[0] === '-U') {
    user = args[1] ?? '';
    args.splice(0, 2);
  }
  const [cmd = '', ...rest] = args;
  const lockdownCall = cmd.startsWith('vimsvc/auth/lockdown_');
  if (ctx.host.lockdown && !(user === 'dcui' && lockdownCall))
    return fail(faults.noPermission(lockdownCall ? 'Host.Config.Settings' : 'System.View'));
  switch (cmd) {
    case 'vimsvc/auth/lockdown_is_enabled':
      return ok(`${ctx.host.lockdown}\n`);
    case 'vimsvc/auth/lockdown_mode_exit':
    case 'vimsvc/auth/lockdown_mode_enter': {
      const enter = cmd.endsWith('enter');
      await ctx.sleep(ctx.latency.lockdown);
      ctx.host.lockdown = enter;
      ctx.action(enter ? 'lockdown-enter' : 'lockdown-exit', ctx.host.name);
      ctx.changed();
      return ok();
    }
    case 'vmsvc/getallvms':
      return getAllVms(ctx);
    case 'vimsvc/task_info': {
      const now = ctx.now();
      const found = ctx.host.registrations.flatMap((r) => recentTasks(r, now).map((t) => ({ t, r }))).find((x) => x.t.key === rest[0]);
      return found ? ok(formatTaskInfo(found.t, found.r.name)) : fail(faults.taskNotFound(rest[0] ?? ''));
    }
    case 'solo/registervm':
      return registerVm(ctx, rest);
  }
  if (!cmd.startsWith('vmsvc/')) return fail(`Unknown command: '${cmd}'\n`);
  const vmidArg = rest[0];
  if (vmidArg === undefined) return fail(`Insufficient arguments.\n`);
  const reg = /^\d+$/.test(vmidArg) ? ctx.host.registrations.find((r) => r.vmid === Number(vmidArg)) : undefined;
  if (!reg) return fail(faults.notFoundVm(vmidArg));
  const loc = locate(ctx.state, ctx.host, reg.datastore);
  const files = loc?.accessible ? loc.volume!.files : null;
  const target = `[${reg.datastore}] ${reg.rel}`;
  switch (cmd) {
    case 'vmsvc/power.getstate':
      return ok(`Retrieved runtime info\n${reg.power === 'on' ? 'Powered on' : 'Powered off'}\n`);
    case 'vmsvc/power.on':
      return powerOn(ctx, reg, target);
    case 'vmsvc/power.off': {
      if (reg.power === 'off') return fail(`Powering off VM:\n${faults.invalidPowerState('poweredOff', 'poweredOff')}`);
      if (!files) return fail(`Powering off VM:\n${faults.invalidState()}`);
      await ctx.sleep(ctx.latency.powerOff);
      powerOffNow(reg);
      ctx.action('power-off', target);
      ctx.changed();
      return ok('Powering off VM:\n');
    }
    case 'vmsvc/power.shutdown': {
      if (reg.power === 'off') return fail(faults.invalidPowerState('poweredOn', 'poweredOff'));
      if (!files || reg.toolsAt === null || reg.toolsAt > ctx.now())
        return fail(
          '(vim.fault.ToolsUnavailable) {\n   faultCause = (vmodl.MethodFault) null,\n   faultMessage = <unset>\n   msg = "Cannot complete operation because VMware Tools is not running in this virtual machine."\n}\n',
        );
      await ctx.sleep(ctx.latency.powerOff);
      powerOffNow(reg);
      ctx.changed();
      return ok();
    }
    case 'vmsvc/get.guest': {
      const vmx = files?.[reg.rel] !== undefined ? parseVmx(files[reg.rel]!) : null;
      return ok(
        formatGuestInfo({
          running: reg.power === 'on' && files !== null,
          toolsOk: reg.toolsAt !== null && reg.toolsAt <= ctx.now(),
          hostName: (vmx?.get('displayname') ?? reg.name).replace(/[^A-Za-z0-9-]/g, '').toLowerCase() || 'guest',
          guestId: vmx?.get('guestos') ?? 'otherGuest',
          ip: `192.168.10.${10 + reg.vmid}`,
        }),
      );
    }
    case 'vmsvc/get.guestheartbeatStatus':
      return ok(`${reg.power === 'on' && files && reg.toolsAt !== null && reg.toolsAt <= ctx.now() ? 'green' : 'gray'}\n`);
    case 'vmsvc/message':
      return message(ctx, reg, rest.slice(1));
    case 'vmsvc/get.tasklist':
      return ok(formatTaskList(recentTasks(reg, ctx.now()).map((t) => t.key)));
    case 'vmsvc/unregister': {
      if (reg.power === 'on') return fail(faults.invalidPowerState('poweredOff', 'poweredOn'));
      await ctx.sleep(ctx.latency.unregister);
      ctx.host.registrations = ctx.host.registrations.filter((r) => r !== reg);
      ctx.action('unregister', target);
      ctx.changed();
      return ok();
    }
  }
  if (cmd.startsWith('vmsvc/snapshot.')) {
    if (!files || files[reg.rel] === undefined) return fail(faults.invalidState());
    const vmsd = readVmsd(files, reg.rel);
    const tree = (): TreeSnapshot[] =>
      readVmsd(files, reg.rel).snapshots.map((s) => ({
        name: s.name,
        id: s.uid,
        description: s.description,
        created: s.createTime,
        state: s.state,
      }));
    const writable = loc!.writable;
    switch (cmd) {
      case 'vmsvc/snapshot.get':
        return ok(formatSnapshotTree('Get Snapshot:', tree()));
      case 'vmsvc/snapshot.create': {
        if (!writable) return fail(`Create Snapshot:\n${faults.fileNotFound(reg.rel)}`);
        await ctx.sleep(ctx.latency.snapshotCreate);
        vmSnapshotCreate(files, reg.rel, {
          name: rest[1] ?? 'snapshot',
          description: rest[2] ?? '',
          time: ctx.now(),
          poweredOn: reg.power === 'on',
          memory: (rest[3] ?? 'false') === 'true' || rest[3] === '1',
          quiesced: (rest[4] ?? 'false') === 'true' || rest[4] === '1',
        });
        ctx.changed();
        return ok('Create Snapshot:\n');
      }
      case 'vmsvc/snapshot.revert': {
        const uid = Number(rest[1]);
        const snap = vmsd.snapshots.find((s) => s.uid === uid);
        if (!snap || !/^\d+$/.test(rest[1] ?? '')) return fail(faults.notFoundVm(rest[1] ?? ''));
        // hostd runs the revert as a task: it goes on if the vim-cmd is cut off, and stays listed.
        const task = startTask(ctx.host, reg, 'vim.vm.Snapshot.revert', 'vm.Snapshot.revert', ctx.now());
        ctx.changed();
        if (!writable) {
          finishTask(task, ctx.now(), 'Unable to access file');
          return fail(`Revert Snapshot:\n${faults.fileNotFound(reg.rel)}`);
        }
        await ctx.sleep(ctx.vmFault?.(reg.name)?.revertMs ?? ctx.latency.revert);
        vmSnapshotRevert(files, reg.rel, uid);
        if (snap.state === 'powered off' && reg.power === 'on') powerOffNow(reg);
        finishTask(task, ctx.now());
        ctx.action('revert', target);
        ctx.changed();
        return ok(formatSnapshotTree('Revert Snapshot:', tree()));
      }
      case 'vmsvc/snapshot.remove': {
        const uid = Number(rest[1]);
        if (!/^\d+$/.test(rest[1] ?? '') || !vmsd.snapshots.some((s) => s.uid === uid)) return fail(faults.notFoundVm(rest[1] ?? ''));
        if (!writable) return fail(`Remove Snapshot:\n${faults.fileNotFound(reg.rel)}`);
        await ctx.sleep(ctx.latency.snapshotRemove);
        vmSnapshotRemove(files, reg.rel, uid);
        ctx.action('snapshot-remove', target);
        ctx.changed();
        return ok(formatSnapshotTree('Remove Snapshot:', tree()));
      }
      case 'vmsvc/snapshot.removeall': {
        if (!writable) return fail(`Remove All Snapshots:\n${faults.fileNotFound(reg.rel)}`);
        await ctx.sleep(vmsd.snapshots.length ? ctx.latency.snapshotRemove : 0);
        for (const s of [...vmsd.snapshots].reverse()) vmSnapshotRemove(files, reg.rel, s.uid);
        ctx.action('snapshot-remove', target);
        ctx.changed();
        return ok('Remove All Snapshots:\n');
      }
    }
  }
  return fail(`Unknown command: '${cmd}'\n`);
}

function getAllVms(ctx: EsxiContext): Output {
  let stderr = '';
  const rows = [];
  for (const r of ctx.host.registrations) {
    const loc = locate(ctx.state, ctx.host, r.datastore);
    const text = loc?.accessible ? loc.volume!.files[r.rel] : undefined;
    if (text === undefined) {
      stderr += `Skipping invalid VM '${r.vmid}'\n`;
      continue;
    }
    const vmx = parseVmx(text);
    rows.push({
      vmid: r.vmid,
      name: r.name,
      file: `[${r.datastore}] ${r.rel}`,
      guest: vmx.get('guestos') ?? 'otherGuest',
      version: `vmx-${vmx.get('virtualhw.version') ?? '19'}`,
      annotation: vmx.get('annotation') ?? '',
    });
  }
  return { stdout: formatGetAllVms(rows), stderr, code: 0 };
}

/** `[ds] dir/file.vmx` or `/vmfs/volumes/ds/dir/file.vmx` → datastore name + path in it. */
export function splitVmxPath(ctx: Pick<EsxiContext, 'host'>, p: string): { datastore: string; rel: string } | null {
  let m = /^\[([^\]]+)\] ?(.+)$/.exec(p);
  if (!m) m = /^\/vmfs\/volumes\/([^/]+)\/(.+)$/.exec(p);
  if (!m) return null;
  const mount = ctx.host.nfs.find((x) => x.name === m[1] || x.uuid === m[1]);
  return { datastore: mount ? mount.name : m[1]!, rel: m[2]!.replace(/\/+/g, '/') };
}

/**
 * What hostd checks before it registers a .vmx (`solo/registervm`, and vCenter's RegisterVM_Task,
 * which goes through the host): the file is there, and not registered already.
 */
export function registrationCheck(
  state: LabState,
  host: Host,
  p: string,
): { datastore: string; rel: string; displayName: string | undefined } | { fault: 'NotFound' } | { fault: 'AlreadyExists'; vmid: number } {
  const where = splitVmxPath({ host }, p);
  const loc = where ? locate(state, host, where.datastore) : undefined;
  const text = where && loc?.accessible ? loc.volume!.files[where.rel] : undefined;
  if (!where || text === undefined) return { fault: 'NotFound' };
  const existing = host.registrations.find((r) => {
    if (r.rel !== where.rel) return false;
    const l = locate(state, host, r.datastore);
    return l?.volume === loc!.volume;
  });
  if (existing) return { fault: 'AlreadyExists', vmid: existing.vmid };
  return { ...where, displayName: parseVmx(text).get('displayname') };
}

async function registerVm(ctx: EsxiContext, args: string[]): Promise<Output> {
  const [p, name] = args;
  if (!p) return fail('Insufficient arguments.\n');
  const check = registrationCheck(ctx.state, ctx.host, p);
  if ('fault' in check) return fail(check.fault === 'NotFound' ? faults.notFound() : faults.alreadyExists(String(check.vmid)));
  await ctx.sleep(ctx.latency.register);
  const reg = newRegistration(ctx.host, check.datastore, check.rel, name ?? check.displayName ?? check.rel);
  ctx.action('register', `[${check.datastore}] ${check.rel}`);
  ctx.changed();
  return ok(`${reg.vmid}\n`);
}

async function powerOn(ctx: EsxiContext, reg: Registration, target: string): Promise<Output> {
  if (reg.power === 'on') return fail(`Powering on VM:\n${faults.invalidPowerState('poweredOn', 'poweredOn')}`);
  const loc = locate(ctx.state, ctx.host, reg.datastore);
  const text = loc?.accessible ? loc.volume!.files[reg.rel] : undefined;
  if (text === undefined) return fail(`Powering on VM:\n${faults.fileNotFound(`[${reg.datastore}] ${reg.rel}`)}`);
  if (reg.question) return ok('Powering on VM:\n');
  const vmx = parseVmx(text);
  if (!loc!.writable) {
    // A read-only datastore (an unbroken SnapMirror destination): the VM cannot lock its disk.
    const disk = vmx.get('scsi0:0.filename') ?? '';
    return fail(
      `Powering on VM:\n${faults.genericConfig(`Cannot open the disk '/vmfs/volumes/${reg.datastore}/${reg.rel.split('/')[0]}/${disk}' or one of the snapshot disks it depends on.`)}`,
    );
  }
  const here = locationUuid(`/vmfs/volumes/${reg.datastore}/${reg.rel}`);
  ctx.action('power-on', target);
  if (vmx.get('uuid.location') !== here) {
    const answer = vmx.get('answer.msg.uuid.altered');
    if (!answer) {
      ctx.state.counters.question++;
      reg.question = { id: `_vmx${ctx.state.counters.question}`, kind: 'uuid.altered' };
      ctx.changed();
      return ok('Powering on VM:\n');
    }
    applyAnswer(ctx, reg, /copied/i.test(answer) ? 2 : 1);
  }
  await ctx.sleep(ctx.latency.powerOn);
  if ((reg.power as string) === 'on') return ok('Powering on VM:\n');
  powerOnNow(ctx.state, ctx.host, reg, ctx.now(), ctx.latency.heartbeat);
  ctx.changed();
  return ok('Powering on VM:\n');
}

/** "I moved it" keeps the identity and records the new location; "I copied it" makes a new one. */
function applyAnswer(ctx: EsxiContext, reg: Registration, choice: 1 | 2): void {
  const loc = locate(ctx.state, ctx.host, reg.datastore);
  if (!loc?.writable || loc.volume!.files[reg.rel] === undefined) return;
  const values: Record<string, string> = { 'uuid.location': locationUuid(`/vmfs/volumes/${reg.datastore}/${reg.rel}`) };
  if (choice === 2) {
    const rng = labRng(ctx.state);
    values['uuid.bios'] = vmUuidFromRng(rng);
    values['ethernet0.generatedAddress'] = macFromRng(rng);
  }
  loc.volume!.files[reg.rel] = setVmxKeys(loc.volume!.files[reg.rel]!, values);
}

async function message(ctx: EsxiContext, reg: Registration, args: string[]): Promise<Output> {
  if (args.length === 0) return ok(reg.question ? formatUuidQuestion(reg.question.id) : 'No message.\n');
  const [qid, choice] = args;
  if (!reg.question || qid !== reg.question.id) return fail(faults.invalidArgument('id'));
  if (choice !== '0' && choice !== '1' && choice !== '2') return fail(faults.invalidArgument('answer'));
  reg.question = null;
  if (choice === '0') {
    ctx.changed();
    return ok();
  }
  applyAnswer(ctx, reg, choice === '1' ? 1 : 2);
  await ctx.sleep(ctx.latency.powerOn);
  if (reg.power !== 'on') powerOnNow(ctx.state, ctx.host, reg, ctx.now(), ctx.latency.heartbeat);
  ctx.changed();
  return ok();
}
