import { describe, expect, it } from 'vitest';
import { SharedReads, changeScope } from '../../src/transport/shared-reads.js';
import type { CommandResult, Endpoint, ExecOptions, ReadSubject, RemoteHost } from '../../src/transport/types.js';

/** A host whose commands end when the test says so: what was sent, in order, and a way to answer it. */
function scriptedHost(name: string) {
  const sent: {
    line: string;
    leaves: () => void;
    answer: (stdout: string, after?: readonly CommandResult[]) => void;
    fail: (err: Error) => void;
  }[] = [];
  const endpoint: Endpoint = { name, kind: 'esxi', address: '127.0.0.1', port: 22, user: 'root', auth: { method: 'agent' } };
  const host: RemoteHost = {
    endpoint,
    exec: (line: string, o?: ExecOptions) =>
      new Promise<CommandResult>((resolve, reject) => {
        sent.push({
          line,
          // The pool calls onSent once a channel is free and the command goes to the device.
          leaves: () => o?.onSent?.(),
          answer: (stdout, after) => resolve({ ...resultOf(name, line, stdout), ...(after ? { readsAfter: after } : {}) }),
          fail: reject,
        });
      }),
  };
  return { host, sent, lines: () => sent.map((s) => s.line) };
}

function resultOf(host: string, command: string, stdout: string, exitCode: number | null = 0): CommandResult {
  return { host, command, exitCode, signal: null, stdout, stderr: '', startedAt: 0, durationMs: 0, truncated: false };
}

function setup(freshMs = 100) {
  let clock = 1000;
  const reads = new SharedReads({ freshMs, now: () => clock });
  const esx1 = scriptedHost('esx1');
  const esx2 = scriptedHost('esx2');
  const ontap = scriptedHost('ontap');
  return {
    reads,
    esx1,
    esx2,
    ontap,
    h1: reads.host(esx1.host),
    h2: reads.host(esx2.host),
    storage: reads.host(ontap.host, { storage: true }),
    tick: (ms: number) => (clock += ms),
  };
}

const shared: ExecOptions = { read: 'shared' };

describe('shared reads', () => {
  it('sends identical concurrent reads of one host once, and every caller gets the answer', async () => {
    const s = setup();
    const a = s.h1.exec('getallvms', shared);
    const b = s.h1.exec('getallvms', shared);
    const other = s.h2.exec('getallvms', shared);
    expect(s.esx1.lines()).toEqual(['getallvms']);
    expect(s.esx2.lines()).toEqual(['getallvms']);
    s.esx1.sent[0]!.answer('vm list');
    expect((await a).stdout).toBe('vm list');
    expect((await b).stdout).toBe('vm list');
    s.esx2.sent[0]!.answer('other');
    expect((await other).stdout).toBe('other');
    expect(s.reads.stats()).toEqual({ sent: 2, shared: 1 });
  });

  it('a read after a change is sent anew: the change makes the earlier read stale when sent and when answered', async () => {
    const s = setup();
    const before = s.h1.exec('power.getstate 5', shared);
    s.esx1.sent[0]!.answer('off');
    await before;
    const on = s.h1.exec('power.on 5');
    // Sent while the change is in flight: a new read, which may see either side of it ...
    const during = s.h1.exec('power.getstate 5', shared);
    expect(s.esx1.lines()).toEqual(['power.getstate 5', 'power.on 5', 'power.getstate 5']);
    s.esx1.sent[2]!.answer('off');
    await during;
    s.esx1.sent[1]!.answer('');
    await on;
    // ... so after the change is answered, the verify reads again.
    const after = s.h1.exec('power.getstate 5', shared);
    expect(s.esx1.lines()).toHaveLength(4);
    s.esx1.sent[3]!.answer('on');
    expect((await after).stdout).toBe('on');
  });

  it('a change to one host leaves the other hosts reads shared; a storage change makes every host read anew', async () => {
    const s = setup();
    const r1 = s.h1.exec('getallvms', shared);
    const r2 = s.h2.exec('getallvms', shared);
    s.esx1.sent[0]!.answer('a');
    s.esx2.sent[0]!.answer('b');
    await Promise.all([r1, r2]);
    const change = s.h1.exec('unregister 3');
    s.esx1.sent[1]!.answer('');
    await change;
    void s.h2.exec('getallvms', shared);
    expect(s.esx2.lines()).toHaveLength(1);
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toHaveLength(3);
    const restore = s.storage.exec('volume snapshot restore');
    s.ontap.sent[0]!.answer('');
    await restore;
    void s.h2.exec('getallvms', shared);
    expect(s.esx2.lines()).toHaveLength(2);
  });

  it('a read older than the moment is not shared, so a poll always sees a read sent after its previous one', async () => {
    const s = setup(100);
    const first = s.h1.exec('process list', shared);
    s.esx1.sent[0]!.answer('world 7');
    await first;
    s.tick(100);
    void s.h1.exec('process list', shared);
    expect(s.esx1.lines()).toHaveLength(1);
    s.tick(1);
    void s.h1.exec('process list', shared);
    expect(s.esx1.lines()).toHaveLength(2);
  });

  it('a read counts as sent when it leaves for the device, not while it waits for a free channel', async () => {
    const s = setup(100);
    const first = s.h1.exec('process list', shared);
    s.tick(150);
    s.esx1.sent[0]!.leaves();
    s.tick(60);
    s.esx1.sent[0]!.answer('world 7');
    await first;
    void s.h1.exec('process list', shared);
    expect(s.esx1.lines()).toHaveLength(1);
    s.tick(41);
    void s.h1.exec('process list', shared);
    expect(s.esx1.lines()).toHaveLength(2);
  });

  it('a failed read is given to those who shared it and then forgotten; own reads once sent and reads with a signal are never shared', async () => {
    const s = setup();
    const a = s.h1.exec('getallvms', shared);
    const b = s.h1.exec('getallvms', shared);
    s.esx1.sent[0]!.fail(new Error('channel closed'));
    await expect(a).rejects.toThrow('channel closed');
    await expect(b).rejects.toThrow('channel closed');
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toHaveLength(2);
    void s.h1.exec('cat /vmfs/volumes/ds/vm.vmx', { read: 'own' });
    s.esx1.sent[2]!.leaves();
    void s.h1.exec('cat /vmfs/volumes/ds/vm.vmx', { read: 'own' });
    void s.h1.exec('getallvms', { read: 'shared', signal: new AbortController().signal });
    expect(s.esx1.lines()).toHaveLength(5);
    // An own read changes nothing: the shared read sent before it still serves.
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toHaveLength(5);
  });

  it('own reads of one line asked before it left for the device share it: it was sent after each of them asked', async () => {
    const s = setup();
    const guard = { read: 'own' } as const;
    const a = s.h1.exec('esxcli vm process list', guard);
    const b = s.h1.exec('esxcli vm process list', guard);
    // Another host, another line: their own.
    const other = s.h2.exec('esxcli vm process list', guard);
    const file = s.h1.exec('cat /vmfs/volumes/ds/vm.vmx', guard);
    expect(s.esx1.lines()).toEqual(['esxcli vm process list', 'cat /vmfs/volumes/ds/vm.vmx']);
    s.esx1.sent[0]!.leaves();
    // Asked once it has left: it may have been read before this caller asked, so it gets its own.
    const c = s.h1.exec('esxcli vm process list', guard);
    expect(s.esx1.lines()).toEqual(['esxcli vm process list', 'cat /vmfs/volumes/ds/vm.vmx', 'esxcli vm process list']);
    s.esx1.sent[0]!.answer('worlds');
    s.esx1.sent[2]!.answer('worlds later');
    expect([(await a).stdout, (await b).stdout, (await c).stdout]).toEqual(['worlds', 'worlds', 'worlds later']);
    // One that ended without leaving (refused) is not given to the next caller either.
    s.esx1.sent[1]!.fail(new Error('pool closed'));
    await expect(file).rejects.toThrow('pool closed');
    void s.h1.exec('cat /vmfs/volumes/ds/vm.vmx', guard);
    expect(s.esx1.lines()).toHaveLength(4);
    s.esx2.sent[0]!.answer('');
    await other;
    expect(s.reads.stats()).toEqual({ sent: 5, shared: 1 });
  });
});

/** A read of VM `vmid`, and changes as the ESXi adapter sends them (their intent names what they change). */
const vmRead = (vmid: number): ExecOptions => ({ read: 'shared', vmid });
const powerOn = (vmid: number): ExecOptions => ({ intent: { op: 'power-on', vmid } });

/** Answer every command sent to `host` from index `from` on, and wait for the callers. */
async function answerAll(host: ReturnType<typeof scriptedHost>, from: number, pending: Promise<unknown>[]): Promise<void> {
  for (const c of host.sent.slice(from)) c.answer('');
  await Promise.all(pending);
}

describe('shared reads have a scope: one VM, or the whole host', () => {
  it('a change to VM 5 makes VM 5 read anew, and leaves VM 6 shared', async () => {
    const s = setup();
    const reads = [s.h1.exec('power.getstate 5', vmRead(5)), s.h1.exec('power.getstate 6', vmRead(6))];
    await answerAll(s.esx1, 0, reads);
    const on = s.h1.exec('power.on 5', powerOn(5));
    await answerAll(s.esx1, 2, [on]);
    void s.h1.exec('power.getstate 5', vmRead(5));
    void s.h1.exec('power.getstate 6', vmRead(6));
    // VM 5's verify is a read sent after its power-on; VM 6's earlier read still serves.
    expect(s.esx1.lines()).toEqual(['power.getstate 5', 'power.getstate 6', 'power.on 5', 'power.getstate 5']);
    expect(s.reads.stats()).toEqual({ sent: 3, shared: 1 });
  });

  it("a VM's read sent while a change to it is in flight serves nobody after the change ends; another VM's does", async () => {
    const s = setup();
    const on = s.h1.exec('power.on 5', powerOn(5));
    const during5 = s.h1.exec('power.getstate 5', vmRead(5));
    const during6 = s.h1.exec('power.getstate 6', vmRead(6));
    // In flight, one read still serves those who ask at the same moment.
    void s.h1.exec('power.getstate 5', vmRead(5));
    expect(s.esx1.lines()).toEqual(['power.on 5', 'power.getstate 5', 'power.getstate 6']);
    s.esx1.sent[1]!.answer('off');
    s.esx1.sent[2]!.answer('off');
    await Promise.all([during5, during6]);
    s.esx1.sent[0]!.answer('');
    await on;
    const after5 = s.h1.exec('power.getstate 5', vmRead(5));
    void s.h1.exec('power.getstate 6', vmRead(6));
    expect(s.esx1.lines()).toEqual(['power.on 5', 'power.getstate 5', 'power.getstate 6', 'power.getstate 5']);
    s.esx1.sent[3]!.answer('on');
    expect((await after5).stdout).toBe('on');
  });

  it('a change to the whole host (a kill names a world; an unknown command) makes every VM read anew', async () => {
    for (const change of [{ intent: { op: 'kill', worldId: 77, type: 'soft' } }, {}] as ExecOptions[]) {
      const s = setup();
      const reads = [s.h1.exec('power.getstate 5', vmRead(5)), s.h1.exec('snapshot.get 6', vmRead(6)), s.h1.exec('getallvms', shared)];
      await answerAll(s.esx1, 0, reads);
      const c = s.h1.exec('kill or anything', change);
      await answerAll(s.esx1, 3, [c]);
      void s.h1.exec('power.getstate 5', vmRead(5));
      void s.h1.exec('snapshot.get 6', vmRead(6));
      void s.h1.exec('getallvms', shared);
      expect(s.esx1.lines()).toHaveLength(7);
    }
  });

  it("a change to one VM makes the host-wide reads stale; a register makes only those stale, not the VMs' own", async () => {
    const s = setup();
    const reads = [s.h1.exec('getallvms', shared), s.h1.exec('power.getstate 6', vmRead(6))];
    await answerAll(s.esx1, 0, reads);
    const unregister = s.h1.exec('unregister 5', { intent: { op: 'unregister', vmid: 5 } });
    await answerAll(s.esx1, 2, [unregister]);
    void s.h1.exec('getallvms', shared);
    void s.h1.exec('power.getstate 6', vmRead(6));
    expect(s.esx1.lines()).toEqual(['getallvms', 'power.getstate 6', 'unregister 5', 'getallvms']);
    const register = s.h1.exec('registervm', { intent: { op: 'register', vmxPath: '/vmfs/volumes/ds/a/a.vmx' } });
    await answerAll(s.esx1, 3, [register]);
    void s.h1.exec('getallvms', shared);
    void s.h1.exec('power.getstate 6', vmRead(6));
    expect(s.esx1.lines()).toEqual(['getallvms', 'power.getstate 6', 'unregister 5', 'getallvms', 'registervm', 'getallvms']);
  });

  it("a register vCenter makes on a host (changedElsewhere) stales that host's inventory reads, during it and after; not another host's", async () => {
    const s = setup();
    const reads = [s.h1.exec('getallvms', shared), s.h1.exec('power.getstate 6', vmRead(6)), s.h2.exec('getallvms', shared)];
    await Promise.all([answerAll(s.esx1, 0, reads.slice(0, 2)), answerAll(s.esx2, 0, reads.slice(2))]);
    let finish = (): void => undefined;
    const viaVcenter = s.reads.changedElsewhere(
      'esx1',
      { op: 'register', vmxPath: '[ds] a/a.vmx', name: 'a' },
      () => new Promise<void>((r) => (finish = r)),
    );
    // Read while vCenter's task runs: it may predate the registration, so it serves nobody after.
    const during = s.h1.exec('getallvms', shared);
    s.esx1.sent[2]!.answer('');
    await during;
    finish();
    await viaVcenter;
    void s.h1.exec('getallvms', shared);
    void s.h1.exec('power.getstate 6', vmRead(6));
    void s.h2.exec('getallvms', shared);
    expect(s.esx1.lines()).toEqual(['getallvms', 'power.getstate 6', 'getallvms', 'getallvms']);
    expect(s.esx2.lines()).toEqual(['getallvms']);
  });

  it("VM 5 on one host is not VM 5 on another; a storage change makes every host's VM reads stale", async () => {
    const s = setup();
    const reads = [s.h1.exec('power.getstate 5', vmRead(5)), s.h2.exec('power.getstate 5', vmRead(5))];
    await answerAll(s.esx1, 0, [reads[0]!]);
    await answerAll(s.esx2, 0, [reads[1]!]);
    const on = s.h1.exec('power.on 5', powerOn(5));
    await answerAll(s.esx1, 1, [on]);
    void s.h2.exec('power.getstate 5', vmRead(5));
    expect(s.esx2.lines()).toHaveLength(1);
    const restore = s.storage.exec('volume snapshot restore', { intent: { op: 'restore', volume: 'svm:vol', snapshot: 'snap' } });
    await answerAll(s.ontap, 0, [restore]);
    void s.h2.exec('power.getstate 5', vmRead(5));
    expect(s.esx2.lines()).toHaveLength(2);
  });

  it("a VM's read older than the moment, failed, or with a signal is not shared, as a host's", async () => {
    const s = setup(100);
    const first = s.h1.exec('power.getstate 5', vmRead(5));
    s.esx1.sent[0]!.fail(new Error('channel closed'));
    await expect(first).rejects.toThrow('channel closed');
    const second = s.h1.exec('power.getstate 5', vmRead(5));
    await answerAll(s.esx1, 1, [second]);
    s.tick(101);
    void s.h1.exec('power.getstate 5', vmRead(5));
    void s.h1.exec('power.getstate 5', { ...vmRead(5), signal: new AbortController().signal });
    void s.h1.exec('power.getstate 5', { read: 'own', vmid: 5 });
    expect(s.esx1.lines()).toHaveLength(5);
  });

  it("a caller that accepts a VM's read kept until changed (a power-on's check) is served however old it is, until a change to that VM or the whole host", async () => {
    const s = setup(100);
    const kept: ExecOptions = { ...vmRead(5), keptUntilChanged: true };
    const first = s.h1.exec('power.getstate 5', vmRead(5));
    s.esx1.sent[0]!.answer('Powered off');
    await first;
    s.tick(60_000);
    // A minute on: served to the caller that accepts it, not to one that asks for the moment.
    expect((await s.h1.exec('power.getstate 5', kept)).stdout).toBe('Powered off');
    void s.h1.exec('power.getstate 5', vmRead(5));
    expect(s.esx1.lines()).toEqual(['power.getstate 5', 'power.getstate 5']);
    await answerAll(s.esx1, 1, []);
    // A change to VM 6 leaves it; one to VM 5, or a kill that names no VM, does not.
    await answerAll(s.esx1, 2, [s.h1.exec('power.on 6', powerOn(6))]);
    s.tick(60_000);
    void s.h1.exec('power.getstate 5', kept);
    expect(s.esx1.lines()).toHaveLength(3);
    await answerAll(s.esx1, 3, [s.h1.exec('power.on 5', powerOn(5))]);
    void s.h1.exec('power.getstate 5', kept);
    expect(s.esx1.lines()).toHaveLength(5);
    await answerAll(s.esx1, 4, []);
    await answerAll(s.esx1, 5, [s.h1.exec('kill 77', { intent: { op: 'kill', worldId: 77, type: 'soft' } })]);
    void s.h1.exec('power.getstate 5', kept);
    expect(s.esx1.lines()).toHaveLength(7);
  });

  describe('reads taken right after a change, in its exec (readsAfter)', () => {
    const vmRead = (vmid: number): ExecOptions => ({ read: 'shared', vmid });
    const revert5: ExecOptions = {
      intent: { op: 'snapshot-revert', vmid: 5, snapshotId: 1 },
      readsAfter: [
        { line: 'power.getstate 5', options: vmRead(5) },
        { line: 'getallvms', options: shared },
        { line: 'snapshot.get 5', options: { read: 'own', vmid: 5 } },
        { line: 'get.guest 5', options: vmRead(5) },
      ],
    };
    const answers = (): CommandResult[] => [
      resultOf('esx1', 'power.getstate 5', 'off'),
      resultOf('esx1', 'getallvms', 'vm list'),
      resultOf('esx1', 'snapshot.get 5', 'tree'),
      // The script ended before it: nothing is known of it.
      resultOf('esx1', 'get.guest 5', '', null),
    ];

    it('serve the verify and the next check: shared ones that were answered, and only those', async () => {
      const s = setup();
      const revert = s.h1.exec('snapshot.revert 5 1', revert5);
      s.esx1.sent[0]!.answer('', answers());
      await revert;
      s.tick(50);
      expect((await s.h1.exec('power.getstate 5', vmRead(5))).stdout).toBe('off');
      expect((await s.h1.exec('getallvms', shared)).stdout).toBe('vm list');
      void s.h1.exec('snapshot.get 5', vmRead(5));
      void s.h1.exec('get.guest 5', vmRead(5));
      expect(s.esx1.lines()).toEqual(['snapshot.revert 5 1', 'snapshot.get 5', 'get.guest 5']);
      // Like any read, one older than the moment is not shared.
      s.tick(60);
      void s.h1.exec('power.getstate 5', vmRead(5));
      expect(s.esx1.lines()).toHaveLength(4);
    });

    it('are not kept when another change of their scope began or ended while the change ran', async () => {
      const s = setup();
      const revert = s.h1.exec('snapshot.revert 5 1', revert5);
      // Another VM's change: VM 5's reads may still be kept, the host-wide one not.
      const other = s.h1.exec('power.on 6', { intent: { op: 'power-on', vmid: 6 } });
      s.esx1.sent[1]!.answer('');
      await other;
      s.esx1.sent[0]!.answer('', answers());
      await revert;
      expect((await s.h1.exec('power.getstate 5', vmRead(5))).stdout).toBe('off');
      void s.h1.exec('getallvms', shared);
      expect(s.esx1.lines()).toEqual(['snapshot.revert 5 1', 'power.on 6', 'getallvms']);

      // A change to VM 5 itself, sent while the revert ran and answered after: none is kept (it
      // may have come after they were taken), and its end makes them stale anyway.
      const t = setup();
      const again = t.h1.exec('snapshot.revert 5 1', revert5);
      const answer = t.h1.exec('message 5 q 1', { intent: { op: 'answer-question', vmid: 5, questionId: 'q', choice: 1 } });
      t.esx1.sent[0]!.answer('', answers());
      await again;
      void t.h1.exec('power.getstate 5', vmRead(5));
      expect(t.esx1.lines()).toEqual(['snapshot.revert 5 1', 'message 5 q 1', 'power.getstate 5']);
      t.esx1.sent[1]!.answer('');
      await answer;

      // A change to the whole host (a kill) while it ran: none is kept.
      const u = setup();
      const third = u.h1.exec('snapshot.revert 5 1', revert5);
      const kill = u.h1.exec('kill 123', { intent: { op: 'kill', worldId: 123, type: 'soft' } });
      u.esx1.sent[1]!.answer('');
      await kill;
      u.esx1.sent[0]!.answer('', answers());
      await third;
      void u.h1.exec('power.getstate 5', vmRead(5));
      expect(u.esx1.lines()).toEqual(['snapshot.revert 5 1', 'kill 123', 'power.getstate 5']);
    });

    it('a storage change while it ran: none is kept; a failed change keeps none', async () => {
      const s = setup();
      const revert = s.h1.exec('snapshot.revert 5 1', revert5);
      const restore = s.storage.exec('snapshot restore');
      s.ontap.sent[0]!.answer('');
      await restore;
      s.esx1.sent[0]!.answer('', answers());
      await revert;
      void s.h1.exec('power.getstate 5', vmRead(5));
      expect(s.esx1.lines()).toEqual(['snapshot.revert 5 1', 'power.getstate 5']);

      const t = setup();
      const failed = t.h1.exec('snapshot.revert 5 1', revert5);
      t.esx1.sent[0]!.fail(new Error('dropped'));
      await expect(failed).rejects.toThrow('dropped');
      void t.h1.exec('power.getstate 5', vmRead(5));
      expect(t.esx1.lines()).toEqual(['snapshot.revert 5 1', 'power.getstate 5']);
    });
  });

  it("the scope of a change comes from its intent: what it may change of the host-wide lists, and which VMs' own reads", () => {
    expect(changeScope({ op: 'power-on', vmid: 4 })).toEqual({ touches: ['vm:4', 'world:*'], vms: [4] });
    expect(changeScope({ op: 'answer-question', vmid: 4, questionId: '_vmx1', choice: 2 })).toEqual({
      touches: ['vm:4', 'world:*'],
      vms: [4],
    });
    // A revert may bring back the name the VM had at the snapshot.
    expect(changeScope({ op: 'snapshot-revert', vmid: 4, snapshotId: 1 })).toEqual({ touches: ['vm:4', 'world:*', 'name:*'], vms: [4] });
    // An unregister frees a .vmx and a name the vmid does not say.
    expect(changeScope({ op: 'unregister', vmid: 4 })).toEqual({ touches: ['vm:4', 'vmx:*', 'name:*'], vms: [4] });
    // Both ways of writing a .vmx path name the same file; a register gives some new vmid.
    expect(changeScope({ op: 'register', vmxPath: '/vmfs/volumes/ds/a/a.vmx', name: 'a ' })).toEqual({
      touches: ['vm:*', 'vmx:a/a.vmx', 'name:a'],
      vms: [],
    });
    expect(changeScope({ op: 'register', vmxPath: '[ds] a//a.vmx' })).toEqual({ touches: ['vm:*', 'vmx:a/a.vmx', 'name:*'], vms: [] });
    expect(changeScope({ op: 'register', vmxPath: 'a.vmx' })).toEqual({ touches: ['vm:*', 'vmx:*', 'name:*'], vms: [] });
    expect(changeScope({ op: 'kill', worldId: 9, type: 'force', vmid: 4 })).toEqual({ touches: ['world:9', 'vm:4'], vms: [4] });
    expect(changeScope({ op: 'kill', worldId: 9, type: 'force' })).toEqual({ touches: ['world:9', 'vm:*'], vms: 'all' });
    expect(changeScope({ op: 'write-file', path: '/vmfs/volumes/ds/a/a.vmx' })).toEqual({ touches: ['vmx:a/a.vmx', 'name:*'], vms: [] });
    for (const other of [{ op: 'lockdown-exit' }, { op: 'write-file', path: '/vmfs/volumes/ds/a/a.vmsd' }, undefined] as const)
      expect(changeScope(other)).toEqual({ touches: ['*'], vms: 'all' });
  });
});

/** A host-wide read asked for what it says of some subjects only. */
const about = (...subjects: ReadSubject[]): ExecOptions => ({ read: 'shared', about: subjects });

describe('a host-wide read asked about some subjects (ExecOptions.about)', () => {
  it('is still served after a change to another VM; read anew about that VM, or with no subject', async () => {
    const s = setup();
    const first = s.h1.exec('getallvms', about({ vmid: 6 }));
    await answerAll(s.esx1, 0, [first]);
    const unregister = s.h1.exec('unregister 5', { intent: { op: 'unregister', vmid: 5 } });
    await answerAll(s.esx1, 1, [unregister]);
    // VM 6's registration is what it was: the read asked before the unregister still says it.
    void s.h1.exec('getallvms', about({ vmid: 6 }));
    expect(s.esx1.lines()).toEqual(['getallvms', 'unregister 5']);
    void s.h1.exec('getallvms', about({ vmid: 5 }));
    expect(s.esx1.lines()).toEqual(['getallvms', 'unregister 5', 'getallvms']);
    // The new read serves VM 6 as well; a caller who says nothing reads after any change.
    const again = s.h1.exec('getallvms', about({ vmid: 6 }));
    await answerAll(s.esx1, 2, [again]);
    const kill = s.h1.exec('kill 70', { intent: { op: 'kill', worldId: 70, type: 'soft', vmid: 7 } });
    await answerAll(s.esx1, 3, [kill]);
    void s.h1.exec('getallvms', about({ vmid: 6 }));
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toEqual(['getallvms', 'unregister 5', 'getallvms', 'kill 70', 'getallvms']);
    expect(s.reads.stats()).toEqual({ sent: 3, shared: 3 });
  });

  it("a kill touches its world (and its VM when the caller says which, else every VM); another world's poll is still served", async () => {
    const s = setup();
    const list = s.h1.exec('process list', about({ world: 71 }));
    await answerAll(s.esx1, 0, [list]);
    const kill = s.h1.exec('kill 70', { intent: { op: 'kill', worldId: 70, type: 'soft' } });
    await answerAll(s.esx1, 1, [kill]);
    void s.h1.exec('process list', about({ world: 71 }));
    expect(s.esx1.lines()).toEqual(['process list', 'kill 70']);
    void s.h1.exec('process list', about({ world: 70 }));
    expect(s.esx1.lines()).toEqual(['process list', 'kill 70', 'process list']);
    // Without the VM it belongs to, a kill may have changed any VM's row.
    void s.h1.exec('getallvms', about({ vmid: 6 }));
    const t = setup();
    const inv = t.h1.exec('getallvms', about({ vmid: 6 }));
    await answerAll(t.esx1, 0, [inv]);
    const known = t.h1.exec('kill 70', { intent: { op: 'kill', worldId: 70, type: 'soft', vmid: 7 } });
    await answerAll(t.esx1, 1, [known]);
    void t.h1.exec('getallvms', about({ vmid: 6 }));
    void t.h1.exec('getallvms', about({ vmid: 7 }));
    expect(s.esx1.lines()).toEqual(['process list', 'kill 70', 'process list', 'getallvms']);
    expect(t.esx1.lines()).toEqual(['getallvms', 'kill 70', 'getallvms']);
  });

  it('a register touches its .vmx (however the path is written), its name and every vmid; a revert every name', async () => {
    const s = setup();
    const check = s.h1.exec('getallvms', about({ vmx: '/vmfs/volumes/ds/b/b.vmx' }, { name: 'b' }));
    await answerAll(s.esx1, 0, [check]);
    const reg = s.h1.exec('registervm a', { intent: { op: 'register', vmxPath: '[ds] a/a.vmx', name: 'a' } });
    await answerAll(s.esx1, 1, [reg]);
    void s.h1.exec('getallvms', about({ vmx: '/vmfs/volumes/ds/b/b.vmx' }, { name: 'b' }));
    expect(s.esx1.lines()).toHaveLength(2);
    for (const asks of [about({ vmx: '/vmfs/volumes/ds/a/a.vmx' }), about({ name: 'a' }), about({ vmid: 40 })]) {
      const t = setup();
      const before = t.h1.exec('getallvms', asks);
      await answerAll(t.esx1, 0, [before]);
      const r = t.h1.exec('registervm a', { intent: { op: 'register', vmxPath: '[ds] a/a.vmx', name: 'a' } });
      await answerAll(t.esx1, 1, [r]);
      void t.h1.exec('getallvms', asks);
      expect(t.esx1.lines()).toEqual(['getallvms', 'registervm a', 'getallvms']);
    }
    const revert = s.h1.exec('snapshot.revert 5 1', { intent: { op: 'snapshot-revert', vmid: 5, snapshotId: 1 } });
    await answerAll(s.esx1, 2, [revert]);
    void s.h1.exec('getallvms', about({ vmx: '/vmfs/volumes/ds/b/b.vmx' }, { name: 'b' }));
    expect(s.esx1.lines()).toEqual(['getallvms', 'registervm a', 'snapshot.revert 5 1', 'getallvms']);
  });

  it("a read sent while another VM's change ran is served after it about what that change did not touch", async () => {
    const s = setup();
    const on = s.h1.exec('power.on 5', powerOn(5));
    const during = [s.h1.exec('getallvms', about({ vmid: 6 })), s.h1.exec('process list', about({ world: 71 }))];
    await answerAll(s.esx1, 1, during);
    s.esx1.sent[0]!.answer('');
    await on;
    // VM 6's registration is untouched by VM 5's power-on; which worlds run is not (one started,
    // and the read may predate it).
    void s.h1.exec('getallvms', about({ vmid: 6 }));
    void s.h1.exec('process list', about({ world: 71 }));
    expect(s.esx1.lines()).toEqual(['power.on 5', 'getallvms', 'process list', 'process list']);
    void s.h1.exec('getallvms', about({ vmid: 5 }));
    expect(s.esx1.lines()).toEqual(['power.on 5', 'getallvms', 'process list', 'process list', 'getallvms']);
  });

  it("the list taken after an unregister serves its verify although another VM's unregister ran meanwhile; not a question about that VM", async () => {
    const s = setup();
    const un5 = s.h1.exec('unregister 5', { intent: { op: 'unregister', vmid: 5 }, readsAfter: [{ line: 'getallvms', options: shared }] });
    const un6 = s.h1.exec('unregister 6', { intent: { op: 'unregister', vmid: 6 } });
    s.esx1.sent[1]!.answer('');
    await un6;
    s.esx1.sent[0]!.answer('', [resultOf('esx1', 'getallvms', 'without 5')]);
    await un5;
    expect((await s.h1.exec('getallvms', about({ vmid: 5 }))).stdout).toBe('without 5');
    void s.h1.exec('getallvms', about({ vmid: 6 }));
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toEqual(['unregister 5', 'unregister 6', 'getallvms']);
    // …and a change after it makes it stale as any read, for what that change touched.
    const un7 = s.h1.exec('unregister 7', { intent: { op: 'unregister', vmid: 7 } });
    await answerAll(s.esx1, 3, [un7]);
    void s.h1.exec('getallvms', about({ vmid: 5 }));
    expect(s.esx1.lines()).toEqual(['unregister 5', 'unregister 6', 'getallvms', 'unregister 7']);
    void s.h1.exec('getallvms', about({ vmid: 7 }));
    expect(s.esx1.lines()).toHaveLength(5);
  });

  it("two unregisters at once, each with its list after it: the one that ends later does not take the earlier one's list from its verify", async () => {
    const s = setup();
    const after = { readsAfter: [{ line: 'getallvms', options: shared }] };
    const un5 = s.h1.exec('unregister 5', { intent: { op: 'unregister', vmid: 5 }, ...after });
    const un6 = s.h1.exec('unregister 6', { intent: { op: 'unregister', vmid: 6 }, ...after });
    s.esx1.sent[0]!.answer('', [resultOf('esx1', 'getallvms', 'without 5')]);
    await un5;
    // VM 6's list came after VM 5's unregister began and ended: it may predate its end, so it
    // cannot answer whether 5 is registered. VM 5's own list still can.
    s.esx1.sent[1]!.answer('', [resultOf('esx1', 'getallvms', 'without 5 and 6')]);
    await un6;
    const verify6 = s.h1.exec('getallvms', about({ vmid: 6 }));
    const verify5 = s.h1.exec('getallvms', about({ vmid: 5 }));
    expect(s.esx1.lines()).toEqual(['unregister 5', 'unregister 6']);
    expect((await verify6).stdout).toBe('without 5 and 6');
    expect((await verify5).stdout).toBe('without 5');
    // Neither is fresh after the moment: a new list.
    s.tick(101);
    void s.h1.exec('getallvms', about({ vmid: 5 }));
    expect(s.esx1.lines()).toEqual(['unregister 5', 'unregister 6', 'getallvms']);
  });
});
