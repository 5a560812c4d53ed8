import { describe, expect, it } from 'vitest';
import { SharedReads } from '../../src/transport/shared-reads.js';
import type { CommandResult, Endpoint, ExecOptions, RemoteHost } from '../../src/transport/types.js';

/** A host whose commands end when the test says so: what was sent, in order, and a way to answer it. */
function scriptedHost(name: string) {
  const sent: { line: string; answer: (stdout: string) => void; fail: (err: Error) => void }[] = [];
  const endpoint: Endpoint = { name, kind: 'esxi', address: '127.0.0.1', port: 22, user: 'root', auth: { method: 'agent' } };
  const host: RemoteHost = {
    endpoint,
    exec: (line: string, _o?: ExecOptions) =>
      new Promise<CommandResult>((resolve, reject) => {
        sent.push({
          line,
          answer: (stdout) =>
            resolve({
              host: name,
              command: line,
              exitCode: 0,
              signal: null,
              stdout,
              stderr: '',
              startedAt: 0,
              durationMs: 0,
              truncated: false,
            }),
          fail: reject,
        });
      }),
  };
  return { host, sent, lines: () => sent.map((s) => s.line) };
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

  it('a failed read is given to those who shared it and then forgotten; own reads and reads with a signal are never shared', async () => {
    const s = setup();
    const a = s.h1.exec('getallvms', shared);
    const b = s.h1.exec('getallvms', shared);
    s.esx1.sent[0]!.fail(new Error('channel closed'));
    await expect(a).rejects.toThrow('channel closed');
    await expect(b).rejects.toThrow('channel closed');
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toHaveLength(2);
    void s.h1.exec('cat /vmfs/volumes/ds/vm.vmx', { read: 'own' });
    void s.h1.exec('cat /vmfs/volumes/ds/vm.vmx', { read: 'own' });
    void s.h1.exec('getallvms', { read: 'shared', signal: new AbortController().signal });
    expect(s.esx1.lines()).toHaveLength(5);
    // An own read changes nothing: the shared read sent before it still serves.
    void s.h1.exec('getallvms', shared);
    expect(s.esx1.lines()).toHaveLength(5);
  });
});
