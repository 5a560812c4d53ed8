import { describe, expect, it } from 'vitest';
import { RemoteCommandError } from '../../../src/errors.js';
import { OntapOps, ontapSessionLine } from '../../../src/adapters/ontap/ops.js';
import type { CommandResult, Endpoint, ExecOptions, RemoteHost } from '../../../src/transport/types.js';
import { fixture } from './fixtures.js';

interface Reply {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/** A RemoteHost that answers exact command lines with ONTAP-format text and records what was sent. */
class FakeCluster implements RemoteHost {
  readonly endpoint: Endpoint = {
    name: 'cluster2',
    kind: 'ontap',
    address: '127.0.0.1',
    port: 22,
    user: 'admin',
    auth: { method: 'agent' },
  };
  readonly sent: { line: string; options: ExecOptions | undefined }[] = [];
  constructor(private readonly replies: Record<string, Reply>) {}
  async exec(line: string, options?: ExecOptions): Promise<CommandResult> {
    this.sent.push({ line, options });
    const r = this.replies[line];
    if (!r) throw new Error(`the test did not expect the line: ${line}`);
    return {
      host: this.endpoint.name,
      command: line,
      exitCode: r.exitCode ?? 0,
      signal: null,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      startedAt: 0,
      durationMs: 1,
      truncated: false,
    };
  }
  lines(): string[] {
    return this.sent.map((s) => s.line);
  }
}

const PREFIX = 'set -confirmations off; rows 0; ';
const FIELDS = 'source-path,destination-path,type,state,status,healthy,lag-time,newest-snapshot,newest-snapshot-timestamp';

/** ONTAP prints the key fields first, then the rest in its own order, whatever order was asked. */
const SM_FIELDS_OUT = [
  'source-path destination-path type healthy state        status newest-snapshot                                      newest-snapshot-timestamp lag-time',
  '----------- ---------------- ---- ------- ------------ ------ ---------------------------------------------------- ------------------------- --------',
  'vs1:vol1    vs2:vol1_dr      XDP  true    Snapmirrored Idle   snapmirror.81072ce1_2159190496.2019-09-19_062631     09/19 06:26:31            0:35:2',
  '',
].join('\n');

describe('OntapOps command lines', () => {
  it('sends every command as one exec: session prefix, then the command, `;`-separated', () => {
    expect(ontapSessionLine(['snapmirror', 'quiesce', { param: '-destination-path' }, 'vs2:vol1_dr'])).toBe(
      `${PREFIX}snapmirror quiesce -destination-path vs2:vol1_dr`,
    );
  });

  it("relationships() asks for -fields and reads ONTAP's column order", async () => {
    const host = new FakeCluster({ [`${PREFIX}snapmirror show -fields ${FIELDS}`]: { stdout: SM_FIELDS_OUT } });
    const rels = await new OntapOps(host, { timeoutMs: 5000 }).relationships();
    expect(host.lines()).toEqual([`${PREFIX}snapmirror show -fields ${FIELDS}`]);
    expect(host.sent[0]!.options).toMatchObject({ timeoutMs: 5000 });
    expect(rels).toEqual([
      expect.objectContaining({
        source: 'vs1:vol1',
        destination: 'vs2:vol1_dr',
        type: 'XDP',
        state: 'Snapmirrored',
        status: 'Idle',
        healthy: true,
        lagTime: '0:35:2',
        newestSnapshot: 'snapmirror.81072ce1_2159190496.2019-09-19_062631',
        newestSnapshotTimestamp: '09/19 06:26:31',
      }),
    ]);
  });

  it('relationships({destination}) filters on the destination path, and no match is []', async () => {
    const line = `${PREFIX}snapmirror show -destination-path vs2:nope -fields ${FIELDS}`;
    const host = new FakeCluster({ [line]: { stdout: 'There are no entries matching your query.\n' } });
    expect(await new OntapOps(host).relationships({ destination: 'vs2:nope' })).toEqual([]);
    expect(host.lines()).toEqual([line]);
  });

  it('quiesce, break, update, resync', async () => {
    const host = new FakeCluster({
      [`${PREFIX}snapmirror quiesce -destination-path vs2:vol1_dr`]: { stdout: fixture('ontap-snapmirror-quiesce-1.txt') },
      [`${PREFIX}snapmirror break -destination-path vs2:vol1_dr`]: { stdout: '' },
      [`${PREFIX}snapmirror update -destination-path vs2:vol1_dr`]: {
        stdout: 'Operation is queued: snapmirror update of destination "vs2:vol1_dr".\n',
      },
      [`${PREFIX}snapmirror resync -destination-path vs2:vol1_dr`]: { stdout: fixture('ontap-confirm-snapmirror-resync-1.txt') },
    });
    const ops = new OntapOps(host);
    expect((await ops.quiesce('vs2:vol1_dr')).message.kind).toBe('success');
    expect((await ops.break('vs2:vol1_dr')).message).toMatchObject({ kind: 'success', text: '' });
    expect((await ops.update('vs2:vol1_dr')).message.text).toMatch(/^Operation is queued/);
    expect((await ops.resync('vs2:vol1_dr')).message.warnings).toHaveLength(1);
    expect(host.lines().map((l) => l.slice(PREFIX.length))).toEqual([
      'snapmirror quiesce -destination-path vs2:vol1_dr',
      'snapmirror break -destination-path vs2:vol1_dr',
      'snapmirror update -destination-path vs2:vol1_dr',
      'snapmirror resync -destination-path vs2:vol1_dr',
    ]);
  });

  it('snapshots() with create times; create and delete', async () => {
    const out = [
      'vserver volume  snapshot                             create-time',
      '------- ------- ------------------------------------ ------------------------',
      'vs2     vol1_dr smvi__job1_recent                    Sun Dec  1 02:00:00 2019',
      'vs2     vol1_dr snapmirror.1a2b_21.2019-12-01_020500 Sun Dec  1 02:05:00 2019',
      '2 entries were displayed.',
      '',
    ].join('\n');
    const host = new FakeCluster({
      [`${PREFIX}volume snapshot show -vserver vs2 -volume vol1_dr -fields create-time`]: { stdout: out },
      [`${PREFIX}volume snapshot create -vserver vs2 -volume vol1_dr -snapshot drbook_before`]: {},
      [`${PREFIX}volume snapshot delete -vserver vs2 -volume vol1_dr -snapshot drbook_before`]: {},
    });
    const ops = new OntapOps(host);
    const snaps = await ops.snapshots('vs2', 'vol1_dr');
    expect(snaps.map((s) => [s.name, s.createTime])).toEqual([
      ['smvi__job1_recent', '2019-12-01T02:00:00'],
      ['snapmirror.1a2b_21.2019-12-01_020500', '2019-12-01T02:05:00'],
    ]);
    await ops.createSnapshot('vs2', 'vol1_dr', 'drbook_before');
    await ops.deleteSnapshot('vs2', 'vol1_dr', 'drbook_before');
    expect(host.lines()).toHaveLength(3);
  });

  it('restoreVolume and restoreFile (quoted paths, optional restore path)', async () => {
    const host = new FakeCluster({
      [`${PREFIX}volume snapshot restore -vserver vs2 -volume vol1_dr -snapshot smvi__job1_recent`]: {},
      [`${PREFIX}volume snapshot restore-file -vserver vs2 -volume vol1_dr -snapshot smvi__job2_recent -path "/web 01/web 01.vmx"`]: {},
      [`${PREFIX}volume snapshot restore-file -vserver vs2 -volume vol1_dr -snapshot smvi__job2_recent -path /db01/db01.vmdk -restore-path /db01/db01-restored.vmdk`]:
        {},
    });
    const ops = new OntapOps(host);
    expect((await ops.restoreVolume('vs2', 'vol1_dr', 'smvi__job1_recent')).message.kind).toBe('success');
    await ops.restoreFile('vs2', 'vol1_dr', 'smvi__job2_recent', '/web 01/web 01.vmx');
    await ops.restoreFile('vs2', 'vol1_dr', 'smvi__job2_recent', '/db01/db01.vmdk', '/db01/db01-restored.vmdk');
    expect(host.lines()).toHaveLength(3);
  });

  it('cloneCreate, and cloneDelete as unmount, offline, delete', async () => {
    const host = new FakeCluster({
      [`${PREFIX}volume clone create -vserver vs2 -flexclone drill_1 -parent-volume vol1_dr -parent-snapshot smvi__job1_recent -junction-path /drill_1`]:
        {
          stdout: fixture('ontap-volume-clone-create-1.txt'),
        },
      [`${PREFIX}volume unmount -vserver vs2 -volume drill_1`]: {},
      [`${PREFIX}volume offline -vserver vs2 -volume drill_1`]: { stdout: 'Volume "vs2:drill_1" is now offline.\n' },
      [`${PREFIX}volume delete -vserver vs2 -volume drill_1`]: { stdout: '[Job 109] Job succeeded: Successful\n' },
    });
    const ops = new OntapOps(host);
    expect((await ops.cloneCreate('vs2', 'drill_1', 'vol1_dr', 'smvi__job1_recent', '/drill_1')).message.job).toEqual({
      id: 108,
      state: 'succeeded',
      text: 'Successful',
    });
    const steps = await ops.cloneDelete('vs2', 'drill_1');
    expect(steps.map((s) => s.command)).toEqual([
      'volume unmount -vserver vs2 -volume drill_1',
      'volume offline -vserver vs2 -volume drill_1',
      'volume delete -vserver vs2 -volume drill_1',
    ]);
    // An interrupted delete goes on from where it stopped, with the same builders.
    expect((await ops.cloneDelete('vs2', 'drill_1', { unmounted: true })).map((s) => s.command)).toEqual([
      'volume offline -vserver vs2 -volume drill_1',
      'volume delete -vserver vs2 -volume drill_1',
    ]);
    expect((await ops.cloneDelete('vs2', 'drill_1', { unmounted: true, offline: true })).map((s) => s.command)).toEqual([
      'volume delete -vserver vs2 -volume drill_1',
    ]);
  });

  it('volumeState, mount and unmount', async () => {
    const show = (vol: string) => `${PREFIX}volume show -vserver vs2 -volume ${vol} -fields state,type,junction-path`;
    const host = new FakeCluster({
      [show('vol1_dr')]: {
        stdout: 'vserver volume  state  type junction-path\n------- ------- ------ ---- -------------\nvs2     vol1_dr online DP   -\n',
      },
      [show('gone')]: { stdout: 'There are no entries matching your query.\n' },
      [`${PREFIX}volume mount -vserver vs2 -volume vol1_dr -junction-path /vol1_dr`]: {
        stdout: fixture('ontap-confirm-volume-mount-1.txt'),
      },
      [`${PREFIX}volume unmount -vserver vs2 -volume vol1_dr`]: {},
    });
    const ops = new OntapOps(host);
    expect(await ops.volumeState('vs2', 'vol1_dr')).toEqual({ state: 'online', type: 'DP', junctionPath: null });
    expect(await ops.volumeState('vs2', 'gone')).toBeNull();
    expect((await ops.mount('vs2', 'vol1_dr', '/vol1_dr')).message.kind).toBe('warning');
    await ops.unmount('vs2', 'vol1_dr');
  });

  it('quotes hostile values so they stay one argument (`;` cannot start a second command)', async () => {
    const line = `${PREFIX}volume snapshot delete -vserver vs2 -volume vol1_dr -snapshot "x; volume delete -volume vol1_dr"`;
    const host = new FakeCluster({ [line]: {} });
    await new OntapOps(host).deleteSnapshot('vs2', 'vol1_dr', 'x; volume delete -volume vol1_dr');
    expect(host.lines()).toEqual([line]);
  });
});

describe("OntapOps errors come from ONTAP's text, whatever the exit status", () => {
  const breakLine = `${PREFIX}snapmirror break -destination-path vs2:vol1_dr`;
  const failed = "Error: command failed: RPC: Couldn't make connection\n";

  for (const exitCode of [0, 1]) {
    it(`an Error: with exit status ${exitCode} is a RemoteCommandError carrying ONTAP's message`, async () => {
      const host = new FakeCluster({ [breakLine]: { stdout: failed, exitCode } });
      const err = await new OntapOps(host).break('vs2:vol1_dr').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteCommandError);
      expect(err).toMatchObject({
        host: 'cluster2',
        command: 'snapmirror break -destination-path vs2:vol1_dr',
        deviceMessage: "Error: command failed: RPC: Couldn't make connection",
      });
    });
  }

  it('an Error: on stderr counts too, with its continuation lines joined', async () => {
    const host = new FakeCluster({ [breakLine]: { stderr: fixture('ontap-error-command-failed-1.txt') } });
    await expect(new OntapOps(host).break('vs2:vol1_dr')).rejects.toMatchObject({
      deviceMessage: expect.stringMatching(
        /^Error: command failed: Path\(s\) "dir5, dir6" does not exist in origin volume "vol_origin1_vs1_c1" in Vserver "vs1_c1"\.$/,
      ),
    });
  });

  it('a failed exit with no ONTAP error text is not taken for success', async () => {
    const host = new FakeCluster({ [breakLine]: { exitCode: 255 } });
    await expect(new OntapOps(host).break('vs2:vol1_dr')).rejects.toMatchObject({ deviceMessage: 'exit status 255 and no output' });
  });

  it('cloneDelete stops at the first failing step', async () => {
    const host = new FakeCluster({
      [`${PREFIX}volume unmount -vserver vs2 -volume drill_1`]: {},
      [`${PREFIX}volume offline -vserver vs2 -volume drill_1`]: {
        stdout: 'Error: command failed: Volume "drill_1" in Vserver "vs2" is busy.\n',
      },
    });
    await expect(new OntapOps(host).cloneDelete('vs2', 'drill_1')).rejects.toBeInstanceOf(RemoteCommandError);
    expect(host.lines()).toHaveLength(2);
  });

  it('a show that fails is an error, not an empty list', async () => {
    const line = `${PREFIX}volume snapshot show -vserver vs2 -volume nope -fields create-time`;
    const host = new FakeCluster({ [line]: { stdout: 'Error: show failed: Volume "nope" in Vserver "vs2" does not exist.\n' } });
    await expect(new OntapOps(host).snapshots('vs2', 'nope')).rejects.toMatchObject({
      deviceMessage: expect.stringMatching(/^Error: show failed/),
    });
  });
});
