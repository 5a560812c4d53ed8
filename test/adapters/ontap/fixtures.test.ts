import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import {
  parseOntapMessage,
  parseOntapTable,
  parseSnapmirrorShow,
  parseSnapshotShow,
  parseVolumeCloneShow,
  parseVolumeShow,
  findOntapError,
} from '../../../src/adapters/ontap/parsers.js';
import { fixture, ontapFixtureNames } from './fixtures.js';

type Which = 'snapmirror' | 'snapshot' | 'volume' | 'clone' | 'table' | 'message';

/** The parser a fixture's name implies. A new fixture with an unknown name fails the suite. */
function parserOf(name: string): Which {
  if (/^ontap-snapmirror-show-/.test(name)) return 'snapmirror';
  if (/^ontap-volume-snapshot-show-/.test(name)) return 'snapshot';
  if (/^ontap-volume-show-/.test(name)) return 'volume';
  if (/^ontap-volume-clone-show-/.test(name)) return 'clone';
  if (/^ontap-snapmirror-list-destinations-/.test(name)) return 'table';
  if (/^ontap-(confirm|empty|error|job|snapmirror-(break|create|quiesce)|volume-clone-create)-/.test(name)) return 'message';
  throw new Error(`no parser is implied by the fixture name ${name}`);
}

function parse(name: string): unknown {
  const text = fixture(name);
  switch (parserOf(name)) {
    case 'snapmirror':
      return parseSnapmirrorShow(text);
    case 'snapshot':
      return parseSnapshotShow(text);
    case 'volume':
      return parseVolumeShow(text);
    case 'clone':
      return parseVolumeCloneShow(text);
    case 'table':
      return parseOntapTable(text);
    case 'message':
      return parseOntapMessage(text);
  }
}

const rel = (o: Record<string, unknown>) => ({ relationships: [expect.objectContaining(o)] });

/** What each real sample must read as (fixtures README notes in the comments). */
const EXPECTED: Record<string, unknown> = {
  // wrapped: source alone, type+destination, state alone at col 30, the rest at col 38
  'ontap-snapmirror-show-1.txt': rel({
    source: 'svm_NetAppCloudVolumeTest1:SourceVolume',
    destination: 'svm_NetAppCloudVolumeTest2:MirrorDestVolume',
    type: 'XDP',
    state: 'Snapmirrored',
    status: 'Idle',
    healthy: true,
    totalProgress: null,
    lastUpdated: null,
  }),
  // a Last Updated value with a space, past the header width
  'ontap-snapmirror-show-2.txt': rel({
    destination: 'svm_NetAppCloudVolumeTestHA:NetAppCloudVolumeTestHA_data',
    status: 'Transferring',
    totalProgress: '5.07GB',
    healthy: true,
    lastUpdated: '09/19 07:58:29',
  }),
  'ontap-snapmirror-show-3.txt': {
    relationships: [
      expect.objectContaining({
        source: 'nassvm:trident_pvc_109e03c7_c31c_48a5_977d_7c762ad15b6c',
        destination: 'svm_secondary:trident_pvc_60e385aa_28c3_44c3_b137_dd8c77ad0683',
        state: 'Snapmirrored',
        line: 5,
      }),
      expect.objectContaining({
        source: 'nassvm:trident_pvc_14f39235_f5b0_4e78_8608_9b9a02ac4c35',
        destination: 'svm_secondary:trident_pvc_f5665b5a_3322_4fab_8b45_d8a7d8cfe0fc',
        status: 'Idle',
        line: 9,
      }),
    ],
  },
  // squeezed, single spaces, `true` snapped back to col 64
  'ontap-snapmirror-show-4.txt': rel({
    source: 'SVM_SAN_P:/cg/cg_p',
    type: 'XDP',
    destination: 'SVM_SAN_S:/cg/cg_s',
    state: 'Snapmirrored',
    status: 'InSync',
    totalProgress: null,
    healthy: true,
    lastUpdated: null,
  }),
  'ontap-snapmirror-show-squeezed-1.txt': rel({
    source: 'c2_svm1:c1_svm1_vol1_dest',
    destination: 'c1_svm1:c1_svm1_vol1',
    state: 'Snapmirrored',
    status: 'Transferring',
    totalProgress: '0B',
    healthy: true,
    lastUpdated: '03/06 13:59:27',
  }),
  // SVM-DR paths end in `:`; `-` at col 54
  'ontap-snapmirror-show-squeezed-2.txt': rel({
    source: 'svmdr-dest:',
    destination: 'c1_svm2:',
    state: 'Broken-off',
    status: 'Transferring',
    totalProgress: null,
    healthy: true,
  }),
  'ontap-snapmirror-show-svmdr-broken-off-1.txt': rel({
    source: 'c1_svm2:',
    destination: 'svmdr-dest:',
    state: 'Broken-off',
    status: 'Idle',
  }),
  'ontap-snapmirror-show-uninitialized-1.txt': rel({ state: 'Uninitialized', status: 'Idle', destination: 'c2_svm1:vol_src_dest' }),
  'ontap-snapmirror-show-insync-1.txt': rel({ source: 'c1_svm1:sync_src', destination: 'c2_svm1:sync_dest', status: 'InSync' }),
  // -fields: columns in ONTAP's order, not the requested one
  'ontap-snapmirror-show-fields-1.txt': rel({
    source: 'svm_NetAppCloudVolumeTest1:SourceVolume',
    destination: 'svm_NetAppCloudVolumeTest2:MirrorDestVolume',
    type: null,
    state: null,
    healthy: null,
    lagTime: '64:17:2',
    fields: expect.objectContaining({ lastTransferSize: '3.96GB', lastTransferDuration: '0:0:49' }),
  }),
  'ontap-snapmirror-show-fields-2.txt': rel({
    destination: 'svm_NetAppCloudVolumeTestHA:NetAppCloudVolumeTestHA_data',
    newestSnapshotTimestamp: '09/19 07:35:27',
    lagTime: '0:2:6',
  }),
  // -instance, labels flushed left by the docs
  'ontap-snapmirror-show-instance-1.txt': rel({
    source: 'vs0:fgd',
    destination: 'vs0:fg2',
    type: 'RST',
    state: null,
    status: 'Transferring',
    healthy: true,
    totalProgress: '2.87MB',
    lastUpdated: '09/19 07:07:36',
    lagTime: null,
    fields: expect.objectContaining({
      relationshipCapability: '8.2 and above',
      networkCompressionRatio: '1:1',
      throttleKbSec: 'unlimited',
    }),
  }),
  'ontap-snapmirror-show-instance-2.txt': rel({
    source: 'svm1:volA',
    destination: 'svm_backup:volA_dst',
    type: 'DP',
    state: 'Snapmirrored',
    status: 'Idle',
    healthy: true,
    newestSnapshot: 'snapmirror.10af643c-32d1-11e3-954b-123478563412_2147484682.2014-06-27_100026',
    newestSnapshotTimestamp: '06/27 10:00:55',
  }),
  'ontap-snapmirror-list-destinations-1.txt': expect.objectContaining({
    rows: [
      expect.objectContaining({
        values: {
          'Source Path': 'c2_svm1:c1_svm1_vol1_dest',
          Type: 'XDP',
          'Destination Path': 'c1_svm1:c1_svm1_vol1',
          Status: 'Idle',
          'Transfer Progress': null,
          'Progress Last Updated': null,
          'Relationship Id': 'af6440f6-fa84-11ef-b32b-005056990101',
        },
      }),
    ],
  }),
  // Vserver and Volume each alone on a line; sizes pushed to the next line, right-aligned
  'ontap-volume-snapshot-show-1.txt': {
    snapshots: [
      expect.objectContaining({
        vserver: 'svm_NetAppCloudVolumeTest1',
        volume: 'SourceVolume',
        name: 'snapmirror.3e430262-cfd8-11e9-a813-53a7aecad837_2159983246.2019-09-19_074825',
        size: '6.14MB',
      }),
      expect.objectContaining({
        vserver: 'svm_NetAppCloudVolumeTest1',
        volume: 'SourceVolume',
        name: 'snapmirror.3e430262-cfd8-11e9-a813-53a7aecad837_2159983246.2019-09-19_075403',
        size: '3.89MB',
      }),
    ],
  },
  'ontap-volume-snapshot-show-2.txt': {
    snapshots: [
      expect.objectContaining({
        volume: 'SourceVolume',
        name: 'snapmirror.3e430262-cfd8-11e9-a813-53a7aecad837_2159983246.2019-09-19_075403',
        size: '5.94GB',
        fields: expect.objectContaining({ total: '6%', used: '22%' }),
      }),
    ],
  },
  // squeezed row `… 168KB 0%  19%`; Vserver/Volume carried to the second row
  'ontap-volume-snapshot-show-3.txt': {
    snapshots: [
      expect.objectContaining({
        vserver: 'nfs_svm',
        volume: 'nas1_pvc_f2c671b5_26e3_4a6d_9344_4a2083a611a3',
        name: 'snapshot-3a286486-7a69-499d-b9d7-163e3f62892c',
        size: '168KB',
        fields: expect.objectContaining({ total: '0%', used: '19%' }),
      }),
      expect.objectContaining({
        vserver: 'nfs_svm',
        volume: 'nas1_pvc_f2c671b5_26e3_4a6d_9344_4a2083a611a3',
        name: 'hourly.2021-06-17_1505',
        size: '136KB',
        fields: expect.objectContaining({ total: '0%', used: '16%' }),
      }),
    ],
  },
  // State column; row 2 misaligned by a doc edit
  // NetApp docs: a `-fields` table with `-` for no junction path, and a leading blank line
  'ontap-volume-show-fields-1.txt': {
    volumes: [
      expect.objectContaining({ vserver: 'vs1', volume: 'data', state: 'offline', junctionPath: null, line: 4 }),
      expect.objectContaining({ vserver: 'vs1', volume: 'home4', state: 'online', junctionPath: '/eng/home' }),
      expect.objectContaining({ vserver: 'vs1', volume: 'sales', state: 'online', junctionPath: '/sales' }),
    ],
  },
  // a doc-edited dash line: `vs2_root` (8) overflows the 6-wide volume column, and is read squeezed
  'ontap-volume-show-fields-2.txt': {
    volumes: [
      expect.objectContaining({ volume: 'data1', state: 'online', type: 'RW', junctionPath: null }),
      expect.objectContaining({ volume: 'data2', junctionPath: '/data2' }),
      expect.objectContaining({ volume: 'data2_1', junctionPath: '/data2/d2_1' }),
      expect.objectContaining({ volume: 'data2_2', junctionPath: '/data2/d2_2' }),
      expect.objectContaining({ volume: 'pubs', junctionPath: '/publications' }),
      expect.objectContaining({ volume: 'images', junctionPath: '/images' }),
      expect.objectContaining({ volume: 'logs', junctionPath: '/logs' }),
      expect.objectContaining({ vserver: 'vs2', volume: 'vs2_root', state: 'online', type: 'RW', junctionPath: '/', line: 10 }),
    ],
  },
  // values one column right of their dash run (`/` at col 23): placed by the next word start
  'ontap-volume-show-fields-3.txt': {
    volumes: ['vs1_root:/', 'vs1_vol1:/eng', 'vs1_vol2:/eng/projects1', 'vs1_vol3:/eng/projects2'].map((v) => {
      const [volume, junctionPath] = v.split(':');
      return expect.objectContaining({ vserver: 'vs1', volume, junctionPath, state: null, type: null });
    }),
  },
  'ontap-volume-show-fields-4.txt': {
    volumes: [
      expect.objectContaining({
        vserver: 'vs0',
        volume: 'my_volume',
        state: 'online',
        fields: expect.objectContaining({ volumeStyleExtended: 'flexvol' }),
      }),
    ],
  },
  // the default view: one record over 4 lines (FlexClone, Parent Volume and Parent Snapshot overflow)
  'ontap-volume-clone-show-1.txt': {
    clones: [
      expect.objectContaining({
        vserver: 'svm1',
        flexclone: 'nas1_pvc_4d6e8738_a419_405e_96fc_9cf3a0840b56',
        parentVserver: 'svm1',
        parentVolume: 'nas1_pvc_b2113a4f_7359_4ab2_b771_a86272e3d11d',
        parentSnapshot: 'snapshot-21331427-59a4-4b4a-a71f-91ffe2fb39bc',
        state: 'online',
        type: 'RW',
        line: 4,
      }),
    ],
  },
  'ontap-volume-clone-show-2.txt': {
    clones: [
      expect.objectContaining({
        vserver: 'sansvm',
        flexclone: 'trident_pvc_0e57372e_f121_4a3b_aa70_6f1adaef83b6',
        parentVolume: 'trident_pvc_db1bb1df_bc73_4052_ba39_6697271dfa98',
        parentSnapshot: 'snapshot-8d89fec3-d764-4f39-9922-334b3c3fb8f9',
        state: 'online',
      }),
    ],
  },
  'ontap-volume-clone-show-3.txt': {
    clones: [
      expect.objectContaining({
        vserver: 'ekssvm',
        flexclone: 'trident_pvc_ceb1b2c2_de35_4011_8d6e_682b6844bf02',
        parentVserver: 'ekssvm',
        parentVolume: 'trident_pvc_1aae479e_4b27_4310_8bb2_71255134edf0',
        parentSnapshot: 'snapshot-bdce9310-9698-4b37-9f9b-d1d802e44f17',
      }),
    ],
  },
  // both sentences ONTAP prints for an empty result
  'ontap-empty-no-entries-1.txt': expect.objectContaining({ kind: 'empty', text: 'There are no entries matching your query.' }),
  'ontap-empty-no-entries-2.txt': expect.objectContaining({ kind: 'empty', text: 'There are no entries matching your query.' }),
  'ontap-empty-table-1.txt': expect.objectContaining({ kind: 'empty', text: 'This table is currently empty.' }),
  'ontap-empty-table-2.txt': expect.objectContaining({ kind: 'empty', text: 'This table is currently empty.' }),
  'ontap-job-queued-1.txt': expect.objectContaining({
    kind: 'success',
    job: { id: 3479, state: 'queued', text: 'snapmirror restore for the relationship with destination vserverA:primary1' },
  }),
  // a queued job's progress line is placed, not taken for the outcome
  'ontap-job-queued-progress-1.txt': expect.objectContaining({
    kind: 'success',
    job: { id: 5384, state: 'queued', text: 'Modify fg_src.' },
    progress: ['[Job 5384] Steps completed: 4 of 4.'],
    other: [],
  }),
  // prompts wherever they stand: ending a warning's continuation line, or alone under the warning
  'ontap-confirm-prompt-in-warning-1.txt': expect.objectContaining({
    kind: 'warning',
    warnings: ['Warning: The default "allow all" setting (0.0.0.0/0, ::/0) will be replaced with your changes.'],
    prompts: [{ question: 'Do you want to continue?', answer: 'y' }],
    other: [],
  }),
  'ontap-confirm-prompt-in-warning-2.txt': expect.objectContaining({
    kind: 'warning',
    warnings: [
      'Warning: This command will delete all snapshots that have the format used by the current version of ONTAP. It will fail if any snapshot policies are enabled, or if any snapshots have an owner.',
    ],
    prompts: [{ question: 'Continue?', answer: 'y' }],
    other: [],
  }),
  // the warning is the question, on one line with the prompt
  'ontap-confirm-prompt-on-warning-line-1.txt': expect.objectContaining({
    kind: 'warning',
    warnings: ['Warning: Are you sure you want to halt the node?'],
    prompts: [{ question: 'Are you sure you want to halt the node?', answer: 'y' }],
    other: [],
  }),
  'ontap-confirm-prompt-alone-1.txt': expect.objectContaining({
    kind: 'warning',
    notices: [expect.stringMatching(/^Info: Volume "vol1" in Vserver "vs0" will be marked as deleted/)],
    warnings: ['Warning: Are you sure you want to delete volume "vol1" in Vserver "vs0" ?'],
    prompts: [{ question: 'Are you sure you want to delete volume "vol1" in Vserver "vs0" ?', answer: 'y' }],
    other: [],
  }),
  'ontap-volume-snapshot-show-4.txt': {
    snapshots: [
      expect.objectContaining({ vserver: 'vserverB', volume: 'dstvolB', name: 'snap2.2013-02-10_0010', state: 'valid', size: '124KB' }),
      expect.objectContaining({ vserver: 'vserverB', volume: 'dstvolB', name: 'snap1.2013-02-10_0015', state: 'valid', size: '112KB' }),
      expect.objectContaining({ vserver: 'vserverB', volume: 'dstvolB', name: 'snap2.2013-02-11_0010', state: 'valid', size: '164KB' }),
    ],
  },
  'ontap-confirm-snapmirror-promote-1.txt': expect.objectContaining({
    kind: 'warning',
    text: expect.stringMatching(
      /^Warning: Promote will delete .* cluster_src:\/\/svm1\/svm1_m2\. Because .* associated with this source\.$/,
    ),
    prompts: [{ question: 'Do you want to continue?', answer: 'y' }],
  }),
  'ontap-confirm-snapmirror-restore-1.txt': expect.objectContaining({
    kind: 'success',
    job: { id: 34, state: 'queued', text: 'snapmirror restore from source vserverB:secondary1 for the snapshot daily.2013-01-25_0010.' },
    warnings: ['Warning: All data newer than snapshot daily.2013-01-25_0010 on volume vserverA:primary1 will be deleted.'],
  }),
  'ontap-confirm-snapmirror-resync-1.txt': expect.objectContaining({
    kind: 'success',
    text: 'Operation is queued: initiate snapmirror resync to destination "c1_svm1:c1_svm1_vol1".',
    warnings: [
      'Warning: All data newer than Snapshot copy snapmirror.c79011ea-6f69-11ef-879f-005056990301_2163254227.2025-03-06_134500 on volume c1_svm1:c1_svm1_vol1 will be deleted.',
    ],
  }),
  'ontap-confirm-volume-modify-1.txt': expect.objectContaining({
    kind: 'success',
    text: 'Volume modify successful on volume vol_src of Vserver c1_svm1.',
  }),
  'ontap-confirm-volume-mount-1.txt': expect.objectContaining({
    kind: 'warning',
    text: 'Warning: The export-policy "default" has no rules in it. The volume will therefore be inaccessible over NFS and CIFS protocol.',
  }),
  'ontap-error-command-failed-1.txt': expect.objectContaining({
    kind: 'error',
    text: 'Error: command failed: Path(s) "dir5, dir6" does not exist in origin volume "vol_origin1_vs1_c1" in Vserver "vs1_c1".',
  }),
  'ontap-error-command-failed-2.txt': expect.objectContaining({
    kind: 'error',
    text: "Error: command failed: RPC: Couldn't make connection",
  }),
  'ontap-job-volume-create-1.txt': expect.objectContaining({ kind: 'success', job: { id: 88, state: 'succeeded', text: 'Successful' } }),
  'ontap-volume-clone-create-1.txt': expect.objectContaining({ kind: 'success', job: { id: 108, state: 'succeeded', text: 'Successful' } }),
  'ontap-snapmirror-break-svmdr-notice-1.txt': expect.objectContaining({
    kind: 'notice',
    text: 'Notice: Volume quota and efficiency operations will be queued after "SnapMirror break" operation is complete. To check the status, run "job show -description "Vserverdr Break Callback job for Vserver : svmdr-dest"".',
  }),
  'ontap-snapmirror-create-1.txt': expect.objectContaining({
    kind: 'success',
    text: 'Operation succeeded: snapmirror create for the relationship with destination "svm_NetAppCloudVolumeTest2:MirrorDestVolume".',
  }),
  'ontap-snapmirror-quiesce-1.txt': expect.objectContaining({
    kind: 'success',
    text: 'Operation succeeded: snapmirror quiesce for destination "c2_svm1:c1_svm1_vol1_dest".',
  }),
};

describe('every ONTAP fixture', () => {
  const names = ontapFixtureNames();

  it('finds the fixtures', () => {
    expect(names.length).toBeGreaterThan(20);
  });

  for (const name of names) {
    it(`${name} reads as its real content`, () => {
      expect(EXPECTED, `add the expected reading of ${name}`).toHaveProperty([name]);
      expect(parse(name)).toEqual(EXPECTED[name]);
    });
  }

  it('no ONTAP fixture that is not an error is taken for one, and every error is found', () => {
    for (const name of names) {
      const err = findOntapError(fixture(name));
      if (name.startsWith('ontap-error-')) expect(err, name).toMatch(/^Error: command failed: /);
      else expect(err, name).toBeNull();
    }
  });

  it('a table fixture given to the other show parser is refused by its header, naming line 1', () => {
    const snap = fixture('ontap-volume-snapshot-show-1.txt');
    expect(() => parseSnapmirrorShow(snap)).toThrow(ParseError);
    expect(() => parseSnapmirrorShow(snap)).toThrow(/line 1: .*source\/destination/);
    expect(() => parseSnapshotShow(fixture('ontap-snapmirror-show-1.txt'))).toThrow(/line 1: /);
  });

  it('every show parser reads both empty-result sentences as no records', () => {
    for (const name of names.filter((n) => n.startsWith('ontap-empty-'))) {
      const text = fixture(name);
      expect(parseSnapmirrorShow(text)).toEqual({ relationships: [] });
      expect(parseSnapshotShow(text)).toEqual({ snapshots: [] });
      expect(parseVolumeShow(text)).toEqual({ volumes: [] });
      expect(parseVolumeCloneShow(text)).toEqual({ clones: [] });
    }
  });

  it('a message fixture is not snapmirror show output', () => {
    expect(() => parseSnapmirrorShow(fixture('ontap-snapmirror-quiesce-1.txt'))).toThrow(ParseError);
    expect(() => parseSnapmirrorShow(fixture('ontap-error-command-failed-1.txt'))).toThrow(/line 1: the device answered with an error/);
  });
});
