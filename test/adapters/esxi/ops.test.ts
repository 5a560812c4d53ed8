import { describe, expect, it } from 'vitest';
import { RemoteCommandError } from '../../../src/errors.js';
import { EsxiOps, isNoPermission, splitDatastorePath } from '../../../src/adapters/esxi/ops.js';
import type { CommandResult, Endpoint, ExecOptions, RemoteHost } from '../../../src/transport/types.js';
import { fixture } from './fixtures.js';

interface Reply {
  stdout?: string;
  stderr?: string;
  exitCode?: number | null;
  truncated?: boolean;
}

/** A RemoteHost that answers exact command lines from a script and records what was sent. */
class ScriptedHost implements RemoteHost {
  readonly endpoint: Endpoint = { name: 'esx01', kind: 'esxi', address: '127.0.0.1', port: 22, user: 'root', auth: { method: 'agent' } };
  readonly sent: { line: string; options: ExecOptions | undefined }[] = [];
  constructor(private readonly script: Record<string, Reply | Reply[] | (() => Promise<Reply>)>) {}

  async exec(line: string, options?: ExecOptions): Promise<CommandResult> {
    this.sent.push({ line, options });
    const entry = this.script[line];
    if (entry === undefined) throw new Error(`unscripted command: ${line}`);
    const reply = typeof entry === 'function' ? await entry() : Array.isArray(entry) ? entry.shift() : entry;
    if (!reply) throw new Error(`no more replies for: ${line}`);
    return {
      host: this.endpoint.name,
      command: line,
      exitCode: reply.exitCode === undefined ? 0 : reply.exitCode,
      signal: null,
      stdout: reply.stdout ?? '',
      stderr: reply.stderr ?? '',
      startedAt: 0,
      durationMs: 1,
      truncated: reply.truncated ?? false,
    };
  }

  get lines(): string[] {
    return this.sent.map((s) => s.line);
  }
}

async function rejection(p: Promise<unknown>): Promise<RemoteCommandError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RemoteCommandError) return err;
    throw err;
  }
  throw new Error('expected a RemoteCommandError');
}

describe('EsxiOps command lines', () => {
  it('list VMs, power state and power changes', async () => {
    const host = new ScriptedHost({
      'vim-cmd vmsvc/getallvms': { stdout: fixture('esxi-getallvms-1.txt'), stderr: "Skipping invalid VM '16'\n" },
      'vim-cmd vmsvc/power.getstate 10': { stdout: fixture('esxi-power-getstate-suspended-1.txt') },
      'vim-cmd vmsvc/power.off 10': { stdout: fixture('esxi-power-off-1.txt') },
      'vim-cmd vmsvc/power.on 10': { stdout: 'Powering on VM:\n' },
    });
    const ops = new EsxiOps(host, { timeoutMs: 5000 });
    const list = await ops.listVms();
    expect(list.vms.map((v) => v.vmid)).toEqual([10, 11, 20, 21, 6, 8, 9]);
    expect(list.skipped).toEqual([16]);
    expect(await ops.powerState(10)).toBe('suspended');
    await ops.powerOff(10);
    await ops.powerOn(10);
    expect(host.sent[0]!.options).toEqual({ purpose: 'list VMs', read: 'shared', batch: 'posix-sh', timeoutMs: 5000 });
    expect(host.sent[2]!.options?.purpose).toBe('power off vmid 10');
  });

  it('kill sends the type and world id and a purpose for the audit log', async () => {
    const host = new ScriptedHost({
      'esxcli vm process list': { stdout: fixture('esxi-vm-process-list-1.txt') },
      'esxcli vm process kill --type=soft --world-id=4455345': { stdout: '' },
      'esxcli vm process kill --type=force --world-id=4455345': { stdout: '' },
    });
    const ops = new EsxiOps(host);
    const procs = await ops.processList();
    expect(procs[0]!.worldId).toBe(4455345);
    await ops.kill(4455345, 'soft');
    await ops.kill(4455345, 'force');
    expect(host.sent[1]!.options?.purpose).toBe('kill soft world 4455345');
  });

  it('quotes hostile names and paths for busybox sh', async () => {
    const path = "/vmfs/volumes/ds2/it's $(reboot)/vm `x`.vmx";
    const name = 'メール サーバ "01"';
    const line = `vim-cmd solo/registervm '/vmfs/volumes/ds2/it'\\''s $(reboot)/vm \`x\`.vmx' 'メール サーバ "01"'`;
    const host = new ScriptedHost({ [line]: { stdout: '222\n' } });
    expect(await new EsxiOps(host).register(path, name)).toBe(222);
    expect(host.lines).toEqual([line]);
  });

  it('register finds the vmid by datastore and path when registervm prints nothing', async () => {
    const host = new ScriptedHost({
      "vim-cmd solo/registervm '/vmfs/volumes/datastore1/My Awesome VM/My Awesome VM.vmx' 'My Awesome VM'": { stdout: '' },
      'vim-cmd vmsvc/getallvms': { stdout: fixture('esxi-getallvms-grep-spaces-1.txt') },
    });
    expect(await new EsxiOps(host).register('/vmfs/volumes/datastore1/My Awesome VM/My Awesome VM.vmx', 'My Awesome VM')).toBe(6);
  });

  it('registerIfPresent: the host registers only a .vmx that test -e finds in the same line; a missing one registers nothing', async () => {
    const line = (vmx: string) => `test -e ${vmx} && vim-cmd solo/registervm ${vmx} web`;
    const host = new ScriptedHost({
      [line('/vmfs/volumes/ds2/web/web.vmx')]: { stdout: fixture('esxi-registervm-1.txt') },
      // test -e found nothing: exit status 1, no output; asked again to tell it from a silent registervm.
      [line('/vmfs/volumes/ds2/gone/gone.vmx')]: { stdout: '', exitCode: 1 },
      'test -e /vmfs/volumes/ds2/gone/gone.vmx': { exitCode: 1 },
      // The file is there, yet the line ended 1 with nothing said: a failure, never "missing".
      [line('/vmfs/volumes/ds2/odd/odd.vmx')]: { stdout: '', exitCode: 1 },
      'test -e /vmfs/volumes/ds2/odd/odd.vmx': { exitCode: 0 },
    });
    const ops = new EsxiOps(host);
    expect(await ops.registerIfPresent('/vmfs/volumes/ds2/web/web.vmx', 'web')).toBe(Number(fixture('esxi-registervm-1.txt').trim()));
    expect(host.sent[0]!.options?.intent).toEqual({ op: 'register', vmxPath: '/vmfs/volumes/ds2/web/web.vmx', name: 'web' });
    expect(await ops.registerIfPresent('/vmfs/volumes/ds2/gone/gone.vmx', 'web')).toBeNull();
    expect((await rejection(ops.registerIfPresent('/vmfs/volumes/ds2/odd/odd.vmx', 'web'))).deviceMessage).toBe('exit status 1');
  });

  it("unregisterIfRegistered: the host's own lookup is the guard; NotFound for a vmid the list after it lacks is false, for one it shows an error", async () => {
    const notFound = fixture('esxi-vimcmd-notfound-3.txt'); // `vim-cmd vmsvc/unregister 16` on a missing VM
    const host = new ScriptedHost({
      'vim-cmd vmsvc/unregister 10': { stdout: '' },
      'vim-cmd vmsvc/unregister 16': { stdout: notFound, exitCode: 1 },
      'vim-cmd vmsvc/unregister 11': { stdout: notFound.replace('"16"', '"11"'), exitCode: 1 },
      'vim-cmd vmsvc/getallvms': { stdout: fixture('esxi-getallvms-1.txt') },
    });
    const ops = new EsxiOps(host);
    expect(await ops.unregisterIfRegistered(10)).toBe(true);
    expect(host.sent[0]!.options?.intent).toEqual({ op: 'unregister', vmid: 10 });
    expect(await ops.unregisterIfRegistered(16)).toBe(false);
    // Listed, yet the host said it knows no such VM: not "already unregistered".
    expect((await rejection(ops.unregisterIfRegistered(11))).fault).toBe('vim.fault.NotFound');
    expect(host.lines).toEqual([
      'vim-cmd vmsvc/unregister 10',
      'vim-cmd vmsvc/unregister 16',
      'vim-cmd vmsvc/getallvms',
      'vim-cmd vmsvc/unregister 11',
      'vim-cmd vmsvc/getallvms',
    ]);
  });

  it('register fails when the new VM cannot be found', async () => {
    const host = new ScriptedHost({
      'vim-cmd solo/registervm /vmfs/volumes/ds9/x/x.vmx': { stdout: '' },
      'vim-cmd vmsvc/getallvms': { stdout: fixture('esxi-getallvms-1.txt') },
    });
    const err = await rejection(new EsxiOps(host).register('/vmfs/volumes/ds9/x/x.vmx'));
    expect(err.deviceMessage).toMatch(/no VM with/);
  });

  const guardedRevert = (vmid: number, snap: number) =>
    `vim-cmd vmsvc/power.getstate ${vmid} | grep -E '^(Powered off|Suspended) *$' && vim-cmd vmsvc/snapshot.revert ${vmid} ${snap} 1`;

  it('snapshots: tree, revert with power-on suppressed behind its guard in the same line, remove one', async () => {
    const host = new ScriptedHost({
      'vim-cmd vmsvc/snapshot.get 10': { stdout: fixture('esxi-snapshot-get-1.txt') },
      // grep echoes the state it let through, then the revert prints its tree.
      [guardedRevert(10, 5)]: { stdout: `Powered off\n${fixture('esxi-snapshot-revert-1.txt')}` },
      'vim-cmd vmsvc/snapshot.remove 10 6': { stdout: 'Remove Snapshot:\n' },
    });
    const ops = new EsxiOps(host);
    expect((await ops.snapshotTree(10)).snapshots[0]!.id).toBe(5);
    expect((await ops.revertUnlessOn(10, 5))!.snapshots[0]!.children[0]!.id).toBe(6);
    expect(host.sent[1]!.options?.intent).toEqual({ op: 'snapshot-revert', vmid: 10, snapshotId: 5 });
    expect(await ops.removeSnapshot(10, 6)).toEqual({ title: 'Remove Snapshot', snapshots: [] });
  });

  it('a revert whose guard read the VM on is not run: null, and only a state line that is not off or suspended gives that', async () => {
    const host = new ScriptedHost({
      // The VM was on: grep matched nothing, printed nothing and ended the line with status 1.
      [guardedRevert(10, 5)]: { stdout: '', exitCode: 1 },
      // The guard let it through and the revert itself failed: the device's words, not null.
      [guardedRevert(11, 5)]: {
        stdout: 'Suspended\n',
        stderr: '',
        exitCode: 1,
      },
      // Output that is neither: an error, never taken for a refusal.
      [guardedRevert(12, 5)]: { stdout: 'Powered on\n', exitCode: 0 },
    });
    const ops = new EsxiOps(host);
    expect(await ops.revertUnlessOn(10, 5)).toBeNull();
    expect((await rejection(ops.revertUnlessOn(11, 5))).deviceMessage).toBe('exit status 1');
    expect((await rejection(ops.revertUnlessOn(12, 5))).deviceMessage).toBe('Powered on');
  });

  it('questions, guest info, lockdown, nfs and version', async () => {
    const question =
      'Virtual machine message _vmx1:\nmsg.uuid.altered:This virtual machine may have been moved or copied.\n0. Cancel (Cancel)\n1. I _moved it (I _moved it)\n2. I _copied it (I _copied it) [default]\n';
    const host = new ScriptedHost({
      'vim-cmd vmsvc/message 10': { stdout: question },
      'vim-cmd vmsvc/message 10 _vmx1 1': { stdout: '' },
      'vim-cmd vmsvc/get.guest 10': {
        stdout:
          'Guest information:\n\n(vim.vm.GuestInfo) {\n   toolsStatus = "toolsOk",\n   toolsRunningStatus = "guestToolsRunning",\n   guestState = "running",\n}\n',
      },
      'vim-cmd vmsvc/get.guestheartbeatStatus 10': { stdout: 'green\n' },
      'vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled': { stdout: 'true\n' },
      'vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit': { stdout: '' },
      'vim-cmd -U dcui vimsvc/auth/lockdown_mode_enter': { stdout: '' },
      'esxcli storage nfs list': { stdout: fixture('esxi-storage-nfs-list-2.txt') },
      "esxcli storage nfs add -H 192.0.2.10 -s /vol/ds2 -v 'DS 2'": { stdout: '' },
      "esxcli storage nfs remove -v 'DS 2'": { stdout: '' },
      'esxcli system version get': { stdout: fixture('esxi-system-version-get-1.txt') },
    });
    const ops = new EsxiOps(host);
    const q = (await ops.pendingQuestion(10))!;
    await ops.answerQuestion(10, q.id, 1);
    expect((await ops.guestInfo(10)).guestState).toBe('running');
    expect(await ops.heartbeat(10)).toBe('green');
    expect(await ops.lockdownEnabled()).toBe(true);
    await ops.exitLockdown();
    await ops.enterLockdown();
    expect((await ops.nfsList())[0]!.volumeName).toBe('nfsbackup');
    await ops.nfsAdd('192.0.2.10', '/vol/ds2', 'DS 2');
    await ops.nfsRemove('DS 2');
    expect((await ops.version()).version).toBe('9.0.0');
  });

  it('files: read, list, exists, atomic write, .vmx edit', async () => {
    const vmx = '/vmfs/volumes/ds2/test flo/test flo.vmx';
    const q = "'/vmfs/volumes/ds2/test flo/test flo.vmx'";
    const original = fixture('esxi-vmx-1.txt');
    const edited = original.replace('displayName = "test flo"', 'displayName = "test flo (DR)"');
    const host = new ScriptedHost({
      [`cat ${q}`]: { stdout: original },
      "ls -1a '/vmfs/volumes/ds2/test flo'": { stdout: '.\n..\ntest flo.vmx\ntest flo.nvram\n' },
      [`test -e ${q}`]: [{ exitCode: 0 }, { exitCode: 1 }],
      [`printf %s '${edited}' > '/vmfs/volumes/ds2/test flo/test flo.vmx.drbook-tmp' && mv '/vmfs/volumes/ds2/test flo/test flo.vmx.drbook-tmp' ${q}`]:
        { stdout: '' },
    });
    const ops = new EsxiOps(host);
    expect(await ops.listDir('/vmfs/volumes/ds2/test flo')).toEqual(['test flo.vmx', 'test flo.nvram']);
    expect(await ops.fileExists(vmx)).toBe(true);
    expect(await ops.fileExists(vmx)).toBe(false);
    await ops.editVmx(vmx, { displayName: 'test flo (DR)' });
    expect(host.lines.at(-1)).toContain('mv ');
  });
});

describe('a shared read answers many callers', () => {
  /** A host that hands every caller of a line the same result, as src/transport/shared-reads.ts does. */
  class SharingHost extends ScriptedHost {
    private readonly kept = new Map<string, Promise<CommandResult>>();
    override exec(line: string, options?: ExecOptions): Promise<CommandResult> {
      let r = this.kept.get(line);
      if (!r) this.kept.set(line, (r = super.exec(line, options)));
      return r;
    }
  }

  it('parses one result once, for every caller, and no caller can change what the next is given', async () => {
    const host = new SharingHost({
      'esxcli vm process list': { stdout: fixture('esxi-vm-process-list-1.txt') },
      'vim-cmd vmsvc/getallvms': { stdout: fixture('esxi-getallvms-1.txt'), stderr: "Skipping invalid VM '16'\n" },
    });
    const [a, b] = [new EsxiOps(host), new EsxiOps(host)];
    const procs = await a.processList();
    expect(await b.processList()).toBe(procs);
    expect(Object.isFrozen(procs) && Object.isFrozen(procs[0])).toBe(true);
    expect(() => (procs as { worldId: number }[])[0]!.worldId++).toThrow(TypeError);
    // The skipped VMs come from stderr: read once too, not once more per caller.
    const [l1, l2] = await Promise.all([a.listVms(), b.listVms()]);
    expect(l2).toBe(l1);
    expect(l1.skipped).toEqual([16]);
    expect(host.lines).toEqual(['esxcli vm process list', 'vim-cmd vmsvc/getallvms']);
  });

  it('a result that fails its checks fails every caller with its own error', async () => {
    const host = new SharingHost({ 'esxcli vm process list': { stdout: '', stderr: 'sh: esxcli: not found', exitCode: 127 } });
    const ops = new EsxiOps(host);
    const [e1, e2] = [await rejection(ops.processList()), await rejection(ops.processList())];
    expect(e1).not.toBe(e2);
    expect(e2.deviceMessage).toBe('sh: esxcli: not found');
  });
});

describe('power-on blocked by the moved-or-copied question', () => {
  const question =
    'Virtual machine message _vmx1:\nmsg.uuid.altered:This virtual machine might have been moved or copied.\n   0. Cancel (Cancel)\n   1. I _Moved It (button.uuid.movedTheVM)\n   2. I _Copied It (button.uuid.copiedTheVM)\n';

  it('answers "I moved it" while power.on waits, then returns when power.on does', async () => {
    let release: (r: Reply) => void = () => {};
    const poweredOn = new Promise<Reply>((resolve) => (release = resolve));
    const host = new ScriptedHost({
      'vim-cmd vmsvc/power.on 10': () => poweredOn,
      'vim-cmd vmsvc/message 10': [{ stdout: question }, { stdout: question }],
      'vim-cmd vmsvc/message 10 _vmx1 1': async () => {
        release({ stdout: 'Powering on VM:\n' });
        return { stdout: '' };
      },
    });
    const ops = new EsxiOps(host);
    const r = await ops.powerOnAnsweringQuestions(10, (q) => (q.messageKey === 'msg.uuid.altered' ? 1 : null), { pollMs: 1 });
    expect(r.answered.map((a) => [a.question.id, a.choice])).toEqual([['_vmx1', 1]]);
    expect(host.lines).toContain('vim-cmd vmsvc/message 10 _vmx1 1');
  });

  it('leaves an unknown question to the operator with its text', async () => {
    const host = new ScriptedHost({
      'vim-cmd vmsvc/power.on 11': () => new Promise<Reply>(() => {}),
      'vim-cmd vmsvc/message 11': {
        stdout: 'Virtual machine message 3:\nmsg.disk.full:The disk is full.\n0. Retry (Retry)\n1. Cancel (Cancel)\n',
      },
    });
    const err = await rejection(new EsxiOps(host).powerOnAnsweringQuestions(11, () => null, { pollMs: 1 }));
    expect(err.deviceMessage).toMatch(/The disk is full/);
  });

  it('returns at once when power.on does not block', async () => {
    const host = new ScriptedHost({ 'vim-cmd vmsvc/power.on 12': { stdout: 'Powering on VM:\n' } });
    expect(await new EsxiOps(host).powerOnAnsweringQuestions(12, () => 1, { pollMs: 60_000 })).toEqual({ answered: [] });
  });
});

describe('EsxiOps error mapping', () => {
  it('a fault after "Powering off VM:" is an error with the device message, even on exit 0', async () => {
    const host = new ScriptedHost({ 'vim-cmd vmsvc/power.off 10': { stdout: fixture('esxi-power-off-already-off-1.txt') } });
    const err = await rejection(new EsxiOps(host).powerOff(10));
    expect(err.fault).toBe('vim.fault.InvalidPowerState');
    expect(err.deviceMessage).toBe('The attempted operation cannot be performed in the current state (Powered Off).');
    expect(err.host).toBe('esx01');
    expect(err.command).toBe('vim-cmd vmsvc/power.off 10');
  });

  it('"Power off failed" is an error', async () => {
    const host = new ScriptedHost({ 'vim-cmd vmsvc/power.off 10': { stdout: fixture('esxi-power-off-already-off-2.txt') } });
    expect((await rejection(new EsxiOps(host).powerOff(10))).deviceMessage).toBe('Power off failed');
  });

  it('NotFound faults from either format carry msg and fault name', async () => {
    const host = new ScriptedHost({
      'vim-cmd vmsvc/unregister 16': { stdout: fixture('esxi-vimcmd-notfound-3.txt'), exitCode: 1 },
      'vim-cmd vmsvc/power.getstate 2': { stderr: fixture('esxi-vimcmd-notfound-1.txt'), exitCode: 1 },
      'vim-cmd solo/registervm /vmfs/volumes/ds/none.vmx': { stdout: fixture('esxi-registervm-notfound-1.txt') },
    });
    const ops = new EsxiOps(host);
    const a = await rejection(ops.unregister(16));
    expect([a.fault, a.deviceMessage]).toEqual(['vim.fault.NotFound', 'Unable to find a VM corresponding to "16"']);
    const b = await rejection(ops.powerState(2));
    expect([b.fault, b.deviceMessage]).toEqual(['vim.fault.NotFound', 'Unable to find a VM corresponding to "2"']);
    const c = await rejection(ops.register('/vmfs/volumes/ds/none.vmx'));
    expect(c.deviceMessage).toBe('The object or item referred to could not be found.');
  });

  it('lockdown refusals are recognisable', async () => {
    const noPerm =
      '(vim.fault.NoPermission) {\n   faultCause = (vmodl.MethodFault) null,\n   faultMessage = <unset>\n   object = \'vim.Folder:ha-folder-vm\'\n   privilegeId = "System.View"\n   msg = "Permission to perform this operation was denied."\n}\n';
    const host = new ScriptedHost({ 'vim-cmd vmsvc/getallvms': { stdout: noPerm, exitCode: 1 } });
    const err = await rejection(new EsxiOps(host).listVms());
    expect(isNoPermission(err)).toBe(true);
    expect(isNoPermission(new RemoteCommandError('h', 'c', 'Power off failed'))).toBe(false);
    expect(isNoPermission(new Error('NoPermission'))).toBe(false);
  });

  it('not found (127), non-zero exits, truncated output and unexpected text from silent commands', async () => {
    const host = new ScriptedHost({
      'esxcli vm process list': [
        { stderr: 'sh: esxcli: not found\n', exitCode: 127 },
        { stdout: fixture('esxi-vm-process-list-1.txt'), truncated: true },
      ],
      'esxcli storage nfs add -H 192.168.1.22 -s /volume1/vmnfsbackup -v nfsbackup': {
        stdout: fixture('esxi-storage-nfs-add-error-1.txt'),
        exitCode: 1,
      },
      'vim-cmd vmsvc/unregister 3': { stdout: 'something odd\n' },
      'vim-cmd vmsvc/power.getstate 3': { stdout: 'Retrieved runtime info\nPowered sideways\n' },
    });
    const ops = new EsxiOps(host);
    expect((await rejection(ops.processList())).deviceMessage).toBe('sh: esxcli: not found');
    expect((await rejection(ops.processList())).deviceMessage).toMatch(/cut/);
    expect((await rejection(ops.nfsAdd('192.168.1.22', '/volume1/vmnfsbackup', 'nfsbackup'))).deviceMessage).toMatch(
      /^Unable to create new NAS volume\. {2}/,
    );
    expect((await rejection(ops.unregister(3))).deviceMessage).toBe('something odd');
    expect((await rejection(ops.powerState(3))).deviceMessage).toMatch(/unexpected output: .*line 2/);
  });

  it('the same nfs add error on exit 0 is still an error', async () => {
    const host = new ScriptedHost({ 'esxcli storage nfs add -H h -s /s -v n': { stdout: fixture('esxi-storage-nfs-add-error-1.txt') } });
    await rejection(new EsxiOps(host).nfsAdd('h', '/s', 'n'));
  });
});

describe('splitDatastorePath', () => {
  it('reads both path forms', () => {
    expect(splitDatastorePath('/vmfs/volumes/ds 2/a/b.vmx')).toEqual({ datastore: 'ds 2', path: 'a/b.vmx' });
    expect(splitDatastorePath('[ds:2] a/b.vmx')).toEqual({ datastore: 'ds:2', path: 'a/b.vmx' });
    expect(splitDatastorePath('b.vmx')).toBeNull();
  });
});
