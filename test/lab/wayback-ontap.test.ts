/**
 * The lab's ONTAP for the way back: relationships in both directions, a resync refused without a
 * common snapshot (ONTAP's error, read by drbook's message grammar), a baseline that takes lab
 * ticks by its size, delete and release (relationship info only keeps the common snapshot).
 */
import { describe, expect, it } from 'vitest';
import { findOntapError } from '../../src/adapters/ontap/messages.js';
import { NO_FAULTS } from '../../src/lab/faults.js';
import { latencyProfile } from '../../src/lab/latency.js';
import {
  advanceTransfers,
  backup,
  createState,
  disaster,
  mirrorVolume,
  primaryVolume,
  repair,
  snapRestore,
  type LabState,
} from '../../src/lab/model.js';
import { runOntap, type OntapContext } from '../../src/lab/ontap-cli.js';

const T0 = Date.UTC(2026, 0, 5, 3, 4, 5);

function failedOver(noCommonSnapshot: boolean): LabState {
  const s = createState({ hosts: 2, vms: 6, jobs: 1, seed: 3, names: 'plain', faults: NO_FAULTS, now: T0 });
  backup(s, 'job1', () => false, T0 + 10_000);
  disaster(s);
  const rel = s.relationships[0]!;
  rel.state = 'Broken-off';
  mirrorVolume(s).type = 'RW';
  snapRestore(mirrorVolume(s), 'smvi__job1_recent');
  repair(s, { noCommonSnapshot });
  return s;
}

function ctxOf(state: LabState): OntapContext {
  return {
    state,
    latency: latencyProfile('none'),
    now: () => Date.now(),
    changed: () => undefined,
    action: () => undefined,
    sleep: async () => undefined,
    later: (_ms, fn) => fn(),
  };
}

const run = async (s: LabState, line: string) => (await runOntap(ctxOf(s), `set -confirmations off; ${line}`)).stdout;

describe('lab ONTAP: the way back', () => {
  it('with a common snapshot: delete, release (info only), create on the read-write original (broken off), resync', async () => {
    const s = failedOver(false);
    expect(await run(s, 'snapmirror delete -destination-path svm2:vm_vol1_mirror')).toMatch(/Operation succeeded: snapmirror delete/);
    expect(await run(s, 'snapmirror show -destination-path svm2:vm_vol1_mirror -fields state')).toMatch(
      /There are no entries matching your query/,
    );
    expect(await run(s, 'snapmirror list-destinations -destination-path svm2:vm_vol1_mirror -fields status')).toMatch(
      /svm1:vm_vol1\s+svm2:vm_vol1_mirror/,
    );
    expect(await run(s, 'snapmirror release -destination-path svm2:vm_vol1_mirror -relationship-info-only true')).toMatch(/Job succeeded/);
    expect(primaryVolume(s).snapshots.map((x) => x.name)).toContain('smvi__job1_recent');
    expect(
      await run(
        s,
        'snapmirror create -source-path svm2:vm_vol1_mirror -destination-path svm1:vm_vol1 -type XDP -policy MirrorAllSnapshots',
      ),
    ).toMatch(/Operation succeeded: snapmirror create for the relationship with destination "svm1:vm_vol1"\./);
    expect(s.relationships.find((r) => r.destination === 'svm1:vm_vol1')!.state).toBe('Broken-off');
    const old = primaryVolume(s).snapshots.find((x) => x.name.startsWith('snapmirror.'))!.name;
    const out = await run(s, 'snapmirror resync -destination-path svm1:vm_vol1');
    expect(findOntapError(out)).toBeNull();
    expect(out).toMatch(/Operation is queued: initiate snapmirror resync to destination "svm1:vm_vol1"\./);
    expect(primaryVolume(s).type).toBe('DP');
    // The newer snapshot the original held (the last snapmirror.* of the old direction) is gone.
    expect(primaryVolume(s).snapshots.map((x) => x.name)).not.toContain(old);
  });

  it("without a common snapshot: the resync is refused with ONTAP's error; initialize takes lab ticks by size", async () => {
    const s = failedOver(true);
    await run(s, 'snapmirror delete -destination-path svm2:vm_vol1_mirror');
    await run(s, 'snapmirror create -source-path svm2:vm_vol1_mirror -destination-path svm1:vm_vol1');
    const refused = await run(s, 'snapmirror resync -destination-path svm1:vm_vol1');
    expect(findOntapError(refused)).toMatch(
      /No common Snapshot copy found between the source volume "svm2:vm_vol1_mirror" and the destination volume "svm1:vm_vol1"/,
    );
    // A broken-off relationship (created on the read-write original) is no baseline's destination.
    expect(findOntapError(await run(s, 'snapmirror initialize -destination-path svm1:vm_vol1'))).toMatch(/is already initialized/);
    // The original is set aside and an empty DP volume takes its name.
    await run(s, 'snapmirror delete -destination-path svm1:vm_vol1');
    await run(s, 'snapmirror release -destination-path svm1:vm_vol1 -relationship-info-only true');
    expect(await run(s, 'volume rename -vserver svm1 -volume vm_vol1 -newname vm_vol1_old')).toMatch(/Job succeeded/);
    await run(s, 'volume create -vserver svm1 -volume vm_vol1 -aggregate aggr1 -size 500GB -type DP');
    await run(s, 'snapmirror create -source-path svm2:vm_vol1_mirror -destination-path svm1:vm_vol1');
    expect(await run(s, 'snapmirror show -destination-path svm1:vm_vol1 -fields state')).toMatch(/Uninitialized/);
    expect(await run(s, 'snapmirror initialize -destination-path svm1:vm_vol1')).toMatch(
      /Operation is queued: snapmirror initialize of destination "svm1:vm_vol1"\./,
    );
    const rel = s.relationships.find((r) => r.destination === 'svm1:vm_vol1')!;
    expect({ state: rel.state, status: rel.status }).toEqual({ state: 'Uninitialized', status: 'Transferring' });
    advanceTransfers(s);
    expect({ state: rel.state, status: rel.status }).toEqual({ state: 'Snapmirrored', status: 'Idle' });
    expect(primaryVolume(s).files).toEqual(mirrorVolume(s).files);
  });
});
