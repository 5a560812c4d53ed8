import { describe, expect, it } from 'vitest';
import { bestTarget, planPoints, quiescePointFor, snapshotsNewerThan, vscBackups, type VmPoints } from '../../src/failover/vsc.js';
import type { SnapshotNode } from '../../src/adapters/esxi/snapshot-tree.js';

const snap = (name: string, createTime: string) => ({ name, createTime });
const SNAPS = [
  snap('smvi__job1_20261120000000', '2026-11-20T00:00:00Z'),
  snap('smvi__job1_recent', '2026-11-21T01:00:00Z'),
  snap('smvi__job2_recent', '2026-11-21T02:00:00Z'),
  snap('smvi__job3_recent', '2026-11-21T03:00:00Z'),
  snap('snapmirror.abc_1.2026-11-21_030500', '2026-11-21T03:05:00Z'),
];
const vm = (name: string, quiescedIn: string[]): VmPoints => ({ targetId: `vm:${name}`, name, quiescedIn });
const VMS = [
  vm('a1', ['smvi__job1_recent', 'smvi__job1_20261120000000']),
  vm('a2', ['smvi__job1_recent']),
  vm('b1', ['smvi__job2_recent']),
  vm('c1', ['smvi__job3_recent']),
  vm('off', []),
];

describe('VSC backups and the restore plan', () => {
  it('lists VSC backups newest first and the snapshots a restore deletes', () => {
    expect(vscBackups(SNAPS).map((b) => b.name)).toEqual([
      'smvi__job3_recent',
      'smvi__job2_recent',
      'smvi__job1_recent',
      'smvi__job1_20261120000000',
    ]);
    expect(vscBackups(SNAPS, ['job2']).map((b) => b.job)).toEqual(['job2']);
    expect(snapshotsNewerThan(SNAPS, SNAPS[2]!).map((s) => s.name)).toEqual(['smvi__job3_recent', 'snapmirror.abc_1.2026-11-21_030500']);
  });

  it('gives each VM the newest point that survives the restore, and says how it gets there', () => {
    const plan = planPoints(VMS, SNAPS, SNAPS[3]!);
    expect(plan.map((p) => [p.name, p.snapshot, p.via, p.lostNewer])).toEqual([
      ['a1', 'smvi__job1_recent', 'restore-file', null],
      ['a2', 'smvi__job1_recent', 'restore-file', null],
      ['b1', 'smvi__job2_recent', 'restore-file', null],
      ['c1', 'smvi__job3_recent', 'volume', null],
      ['off', null, 'none', null],
    ]);
    expect(
      planPoints(VMS, SNAPS, SNAPS[3]!, 'flexclone')
        .filter((p) => p.via === 'flexclone')
        .map((p) => p.name),
    ).toEqual(['a1', 'a2', 'b1']);
  });

  it('knows that restoring to an older backup deletes the newer points', () => {
    const plan = planPoints(VMS, SNAPS, SNAPS[1]!);
    expect(plan.find((p) => p.name === 'c1')).toMatchObject({ snapshot: null, via: 'none', lostNewer: 'smvi__job3_recent' });
    expect(plan.find((p) => p.name === 'a1')).toMatchObject({ snapshot: 'smvi__job1_recent', via: 'volume' });
  });

  it('chooses the target that keeps every VM at its newest point, not the one that covers most VMs directly', () => {
    const candidates = vscBackups(SNAPS).filter((b) => b.recent);
    const best = bestTarget(VMS, SNAPS, candidates)!;
    // job1 covers the most VMs directly (2), but restoring to it deletes job2's and job3's points.
    expect(best.target.name).toBe('smvi__job3_recent');
    expect(best.scores.find((s) => s.snapshot === 'smvi__job1_recent')).toMatchObject({ direct: 2, atNewest: 2 });
    expect(best.scores.find((s) => s.snapshot === 'smvi__job3_recent')).toMatchObject({ direct: 1, atNewest: 4 });
  });
});

describe('the VMware snapshot VSC took for a NetApp snapshot', () => {
  const node = (name: string, createdAt: string, children: SnapshotNode[] = []): SnapshotNode => ({
    name,
    id: name.length,
    description: '',
    createdOn: '',
    createdAt,
    state: 'powered off',
    children,
  });

  it("takes the newest smvi_ snapshot taken before the NetApp one, not the operator's own or a later one", () => {
    const tree = [
      node('before-upgrade', '2026-11-21T00:30:00Z', [
        node('smvi_old', '2026-11-20T23:59:00Z'),
        node('smvi_this', '2026-11-21T00:58:00Z', [node('smvi_later', '2026-11-21T05:00:00Z')]),
      ]),
    ];
    expect(quiescePointFor(tree, { name: 'smvi__job1_recent', createTime: '2026-11-21T01:00:00Z' })?.name).toBe('smvi_this');
    expect(quiescePointFor(tree, { name: 'smvi__job1_recent', createTime: '2026-11-22T01:00:00Z' })).toBeNull();
    expect(quiescePointFor([node('mine', '2026-11-21T00:58:00Z')], { name: 's', createTime: '2026-11-21T01:00:00Z' })).toBeNull();
  });
});
