/**
 * The preflight board as the plain output and the reports print it (situationLines): words a
 * reader says, not ONTAP's field values; and a drill's vCenter line says what the drill does.
 */
import { describe, expect, it } from 'vitest';
import type { DrillSituation } from '../../src/drill/actions.js';
import { drillSituationLines } from '../../src/drill/session.js';
import type { Situation } from '../../src/failover/situation.js';
import { situationLines } from '../../src/failover/situation-text.js';

const observedAt = '2026-12-03T01:00:00.000Z';
const now = Date.parse(observedAt);

function board(healthy: boolean | null, vcenterApi?: Situation['vcenterApi']): Situation {
  return {
    kind: 'failover',
    site: 'lab',
    capture: { id: 'cap-1', takenAt: '2026-12-02T23:00:00.000Z', vms: 4 },
    relationship: {
      source: 'svm1:vm_vol1',
      destination: 'svm2:vm_vol1_mirror',
      state: 'Broken-off',
      status: 'Idle',
      healthy,
      lagTime: '0:0:4',
    },
    sourceVolumeState: null,
    snapshots: [],
    plan: null,
    hosts: [],
    missingFromMirror: null,
    problems: [],
    ...(vcenterApi ? { vcenterApi } : {}),
    observedAt,
  };
}

function drillBoard(mode: 'drill' | 'cleanup', keep: boolean, vcenterApi: Situation['vcenterApi']): DrillSituation {
  const { kind: _kind, ...facts } = board(true, vcenterApi);
  return {
    ...facts,
    kind: 'drill',
    drill: {
      runId: 'r-7',
      mode,
      clone: 'drill_r_7',
      vserver: 'svm2',
      junction: '/drill_r_7',
      datastore: 'drill_r_7',
      hosts: {},
      powerOn: true,
      keep,
    },
  };
}

describe('the preflight board', () => {
  it('says the relationship is healthy, not healthy, or that its health is unknown (en and ja)', () => {
    expect(situationLines(board(true), now)[0]).toBe(
      'relationship svm1:vm_vol1 → svm2:vm_vol1_mirror: Broken-off / Idle, healthy, lag 4 s',
    );
    expect(situationLines(board(false), now)[0]).toBe(
      'relationship svm1:vm_vol1 → svm2:vm_vol1_mirror: Broken-off / Idle, not healthy, lag 4 s',
    );
    expect(situationLines(board(null), now)[0]).toContain(': Broken-off / Idle, health unknown, lag 4 s');
    expect(situationLines(board(true), now, 'ja')[0]).toBe('関係 svm1:vm_vol1 → svm2:vm_vol1_mirror: Broken-off / Idle、正常、遅延 4秒');
    expect(situationLines(board(false), now, 'ja')[0]).toContain('Idle、異常、遅延');
    for (const lang of ['en', 'ja'] as const)
      for (const h of [true, false, null]) expect(situationLines(board(h), now, lang)[0]).not.toMatch(/true|false|はい|いいえ/);
  });

  it("the failover's vCenter line says where the recovered VMs go", () => {
    const url = 'https://127.0.0.1:8989/sdk';
    expect(situationLines(board(true, { url, up: false, error: 'connection refused' }), now)).toContain(
      `vCenter ${url}: down (connection refused) — the VMs are registered on their hosts, and placed once vCenter is up`,
    );
  });

  it("the drill's vCenter line says what the drill does with its drill folder, never the failover's placement", () => {
    const url = 'https://127.0.0.1:8989/sdk';
    const up = { url, up: true };
    const down = { url, up: false, error: 'connection refused' };
    const vcenterLine = (b: DrillSituation) => drillSituationLines(b).filter((l) => l.startsWith('vCenter '));
    expect(vcenterLine(drillBoard('drill', false, up))).toEqual([
      `vCenter ${url}: up — the drill VMs are put into the drill folder "drbook drill r-7", removed with them at the end`,
    ]);
    expect(vcenterLine(drillBoard('drill', true, up))).toEqual([
      `vCenter ${url}: up — the drill VMs are put into the drill folder "drbook drill r-7", left with them (--keep); drbook drill cleanup removes it`,
    ]);
    expect(vcenterLine(drillBoard('drill', false, down))).toEqual([
      `vCenter ${url}: down (connection refused) — the drill goes on without its drill folder: the drill VMs stay where their hosts put them`,
    ]);
    expect(vcenterLine(drillBoard('cleanup', false, up))).toEqual([
      `vCenter ${url}: up — the drill folder "drbook drill r-7" is removed once empty`,
    ]);
    expect(vcenterLine(drillBoard('cleanup', false, down))).toEqual([
      `vCenter ${url}: down (connection refused) — the drill folder, if one was made, is left; drbook drill cleanup r-7 removes it once vCenter is up`,
    ]);
    for (const b of [drillBoard('drill', false, up), drillBoard('drill', false, down)])
      expect(drillSituationLines(b).join('\n')).not.toMatch(/placed once vCenter is up|recorded folders and resource pools/);
  });

  it('the drill board picks its lines by what they say, not by their English words: the Japanese board is the same board', () => {
    const url = 'https://127.0.0.1:8989/sdk';
    const b: DrillSituation = {
      ...drillBoard('drill', false, { url, up: true }),
      snapshots: [{ name: 'smvi__daily_recent', job: 'daily', createTime: observedAt, quiesced: 2, total: 2, atNewest: 2, chosen: true }],
      plan: { snapshot: 'smvi__daily_recent', newer: ['snapmirror.x'], vms: [] } as unknown as DrillSituation['plan'],
      hosts: [
        { name: 'esx1', reachable: true, lockdown: true, staleRegistered: 3, staleRunning: 1, mirrorMounted: true, error: null },
        {
          name: 'esx2',
          reachable: false,
          lockdown: null,
          staleRegistered: null,
          staleRunning: null,
          mirrorMounted: null,
          error: 'timeout',
        },
      ] as DrillSituation['hosts'],
      problems: [{ message: 'a stop', blocking: true }],
      drill: { ...drillBoard('drill', false, { url, up: true }).drill, hosts: { esx1: 2 } },
    };
    const en = drillSituationLines(b, 'en');
    const ja = drillSituationLines(b, 'ja');
    // One line each, in the same order: relationship, source, snapshot, vCenter, 2 hosts, the stop, the clone, the drill hosts.
    expect(ja.length).toBe(en.length);
    expect(en).toEqual([
      expect.stringContaining('relationship'),
      expect.any(String),
      expect.stringContaining('smvi__daily_recent'),
      expect.stringMatching(/^vCenter /),
      'host esx1: lockdown on',
      'host esx2: UNREACHABLE timeout',
      'STOP: a stop',
      'drill: clone svm2:drill_r_7 of smvi__daily_recent at /drill_r_7, datastore drill_r_7',
      'drill hosts: esx1 (2 VMs); power on',
    ]);
    // Neither the restore (a drill restores nothing) nor the failover's host line (stale VMs, mirror mounts).
    for (const lines of [en, ja]) expect(lines.join('\n')).not.toMatch(/restore to|へ復元|stale|古い VM|mirror mounted|ミラーのマウント/);
    expect(ja).toContain('ホスト esx1: ロックダウン 有効');
    expect(ja).toContain('ホスト esx2: 到達不可 timeout');
    expect(ja[6]).toContain('a stop');
    expect(ja[3]).toMatch(/^vCenter .*稼働中/);
  });
});
