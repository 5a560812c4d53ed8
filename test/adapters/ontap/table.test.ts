import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import {
  parseOntapInstance,
  parseOntapTable,
  parseSnapmirrorShow,
  parseSnapshotShow,
  parseVolumeShow,
  camelKey,
} from '../../../src/adapters/ontap/parsers.js';
import { parseOntapCtime } from '../../../src/adapters/ontap/parsers.js';
import { fixture } from './fixtures.js';

const SM_HEADER = [
  '                                                                       Progress',
  'Source            Destination Mirror  Relationship   Total             Last',
  'Path        Type  Path        State   Status         Progress  Healthy Updated',
  '----------- ---- ------------ ------- -------------- --------- ------- --------',
];
const ROW = [
  'vs1:vol1    XDP  vs2:vol1_dr  Snapmirrored',
  '                                      Idle           -         true    -',
] as const;
const sm = (...rows: string[]): string => [...SM_HEADER, ...rows].join('\n') + '\n';

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('expected a ParseError');
}

describe('parseOntapTable: columns', () => {
  it('takes the snapmirror show column starts and names from the dash line and header (README column facts)', () => {
    const t = parseOntapTable(fixture('ontap-snapmirror-show-1.txt'));
    expect(t.columns.map((c) => [c.name, c.start, c.end - c.start])).toEqual([
      ['Source Path', 0, 11],
      ['Type', 12, 4],
      ['Destination Path', 17, 12],
      ['Mirror State', 30, 7],
      ['Relationship Status', 38, 14],
      ['Total Progress', 53, 9],
      ['Healthy', 63, 7],
      ['Progress Last Updated', 71, 8],
    ]);
  });

  it('leaves the ---Blocks--- super-header out of the column names', () => {
    const t = parseOntapTable(fixture('ontap-volume-snapshot-show-1.txt'));
    expect(t.columns.map((c) => c.name)).toEqual(['Vserver', 'Volume', 'Snapshot', 'Size', 'Total%', 'Used%']);
    expect(t.displayedCount).toBe(2);
  });

  it('reads right-aligned numeric values pushed onto their own line', () => {
    const t = parseOntapTable(fixture('ontap-volume-snapshot-show-1.txt'));
    expect(t.rows.map((r) => [r.values.Size, r.values['Total%'], r.values['Used%']])).toEqual([
      ['6.14MB', '0%', '0%'],
      ['3.89MB', '0%', '0%'],
    ]);
  });
});

describe('parseOntapTable: records', () => {
  it('reads a squeezed row and a wrapped row in the same table', () => {
    const t = parseSnapmirrorShow(
      sm(
        'c2_svm1:c1_svm1_vol1_dest XDP c1_svm1:c1_svm1_vol1 Snapmirrored Transferring 0B true 03/06 13:59:27',
        'c1_svm1:vol_src',
        '            XDP  c2_svm1:vol_src_dest',
        '                              Uninitialized',
        '                                      Idle           -         true    -',
        '2 entries were displayed.',
      ),
    );
    expect(t.relationships.map((r) => [r.source, r.destination, r.state, r.status, r.lastUpdated])).toEqual([
      ['c2_svm1:c1_svm1_vol1_dest', 'c1_svm1:c1_svm1_vol1', 'Snapmirrored', 'Transferring', '03/06 13:59:27'],
      ['c1_svm1:vol_src', 'c2_svm1:vol_src_dest', 'Uninitialized', 'Idle', null],
    ]);
  });

  it('carries Source and Type into a grouped row that starts at the Destination column', () => {
    const t = parseSnapmirrorShow(
      sm(
        'vs1:vol1    XDP  vs2:vol1_dr  Snapmirrored',
        '                                      Idle           -         true    -',
        '                 vs3:vol1_dr  Broken-off',
        '                                      Idle           -         false   -',
      ),
    );
    expect(t.relationships.map((r) => [r.source, r.type, r.destination, r.state, r.healthy, r.line])).toEqual([
      ['vs1:vol1', 'XDP', 'vs2:vol1_dr', 'Snapmirrored', true, 5],
      ['vs1:vol1', 'XDP', 'vs3:vol1_dr', 'Broken-off', false, 7],
    ]);
  });

  it('does not trust the footer count', () => {
    const t = parseOntapTable(
      sm(
        'c1_svm2:    XDP  svmdr-dest:  Broken-off',
        '                                      Idle           -         true    -',
        '5 entries were displayed.',
      ),
    );
    expect(t.rows).toHaveLength(1);
    expect(t.displayedCount).toBe(5);
  });

  it('returns no rows for "There are no entries matching your query."', () => {
    expect(parseOntapTable('There are no entries matching your query.\n')).toMatchObject({ rows: [], noEntries: true });
    expect(parseSnapmirrorShow('\nThere are no entries matching your query.\n')).toEqual({ relationships: [] });
    expect(parseSnapshotShow('There are no entries matching your query.\n')).toEqual({ snapshots: [] });
  });

  it('accepts CRLF line ends and missing trailing newline', () => {
    const text = fixture('ontap-snapmirror-show-4.txt').replace(/\n/g, '\r\n').trimEnd();
    expect(parseSnapmirrorShow(text).relationships[0]).toMatchObject({ source: 'SVM_SAN_P:/cg/cg_p', lastUpdated: null });
  });
});

describe('parseOntapTable: never a half-filled record', () => {
  it('refuses a row cut before its last column, naming the line', () => {
    const e = parseErrorOf(() =>
      parseOntapTable(sm('c1_svm1:vol_src', '            XDP  c2_svm1:vol_src_dest', '                              Uninitialized')),
    );
    expect(e.line).toBe(7);
    expect(e.message).toMatch(/ends inside the row of line 5: its "Relationship Status" column is missing/);
  });

  it('refuses a new row that starts before the previous one is complete', () => {
    const e = parseErrorOf(() => parseOntapTable(sm('c1_svm1:vol_src', 'c1_svm1:other XDP c2:x Snapmirrored Idle - true -')));
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/new row starts before the row of line 5 has its "Type" column/);
  });

  it('refuses a continuation line at the wrong column', () => {
    const e = parseErrorOf(() => parseOntapTable(sm('c1_svm1:vol_src', '                                      XDP')));
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/"Type" column/);
  });

  it('refuses an indented first row, text after the footer, text before the header and no dash line', () => {
    expect(parseErrorOf(() => parseOntapTable(sm('                 vs3:vol1_dr  Broken-off'))).line).toBe(5);
    expect(parseErrorOf(() => parseOntapTable(sm(...ROW, '1 entries were displayed.', 'junk'))).line).toBe(8);
    expect(parseErrorOf(() => parseOntapTable(`Last login time: x\n\n${sm(...ROW)}`)).line).toBe(1);
    expect(parseErrorOf(() => parseOntapTable('Source Path\nvs0:x\n')).line).toBe(1);
    expect(parseErrorOf(() => parseOntapTable('')).line).toBeNull();
    expect(parseErrorOf(() => parseOntapTable(sm())).message).toMatch(/line 4: a table header with no rows/);
  });

  it('refuses a snapmirror record without a source or destination', () => {
    expect(() => parseSnapmirrorShow('Relationship Type: DP\nHealthy: true\n')).toThrow(/line 1: the record has no source value/);
  });

  it('refuses a Healthy value that is not true or false', () => {
    expect(() => parseSnapmirrorShow(sm(ROW[0], ROW[1].replace('true ', 'maybe')))).toThrow(/line 5: Healthy is "maybe"/);
  });

  it('refuses text whose spaced values overflow a middle column (a garbled row), rather than guess', () => {
    expect(() => parseOntapTable(sm('a XDP b Snapmirrored Idle - true -'))).toThrow(
      /line 5: cannot tell where the "Source Path" value ends/,
    );
  });
});

describe('-instance form', () => {
  it('reads right-aligned labels the live CLI prints, with wrapped values continued at the value column', () => {
    const text = [
      '                            Source Path: vs1:vol1',
      '                       Destination Path: vs2:vol1_dr',
      '                      Relationship Type: XDP',
      '                           Mirror State: Broken-off',
      '                    Relationship Status: Idle',
      '                                Healthy: false',
      '                       Unhealthy Reason: Transfer failed because the destination',
      '                                         volume is offline.',
      '                  Progress Last Updated: -',
      '',
    ].join('\n');
    const [r] = parseSnapmirrorShow(text).relationships;
    expect(r).toMatchObject({
      source: 'vs1:vol1',
      destination: 'vs2:vol1_dr',
      type: 'XDP',
      state: 'Broken-off',
      status: 'Idle',
      healthy: false,
      lastUpdated: null,
      fields: expect.objectContaining({ unhealthyReason: 'Transfer failed because the destination volume is offline.' }),
    });
  });

  it('splits records on blank lines and on a repeated label', () => {
    const recs = parseOntapInstance(
      'Source Path: a:1\nDestination Path: b:1\n\nSource Path: a:2\nDestination Path: b:2\nSource Path: a:3\nDestination Path: b:3\n',
    );
    expect(recs.map((r) => [r.line, r.values['Source Path']])).toEqual([
      [1, 'a:1'],
      [4, 'a:2'],
      [6, 'a:3'],
    ]);
  });

  it('refuses a line that is not Label: value', () => {
    expect(() => parseOntapInstance('Source Path: a:1\nthis is not a label line\n')).toThrow(/line 2: expected "Label: value"/);
  });
});

describe('volume snapshot show -fields create-time', () => {
  const text = [
    'vserver volume snapshot                  create-time',
    '------- ------ ------------------------- ------------------------',
    'vs1     vol1   smvi__job_20191201020000  Sun Dec  1 02:00:00 2019',
    'vs1     vol1   smvi__job_recent          Mon Dec 16 14:05:09 2019',
    '2 entries were displayed.',
    '',
  ].join('\n');

  it('reads the reordered columns and parses ctime with a double space for 1-digit days', () => {
    expect(parseSnapshotShow(text).snapshots).toEqual([
      expect.objectContaining({
        vserver: 'vs1',
        volume: 'vol1',
        name: 'smvi__job_20191201020000',
        createTime: '2019-12-01T02:00:00',
        createTimeText: 'Sun Dec  1 02:00:00 2019',
      }),
      expect.objectContaining({ vserver: 'vs1', volume: 'vol1', name: 'smvi__job_recent', createTime: '2019-12-16T14:05:09' }),
    ]);
  });

  it('refuses a create time it cannot read', () => {
    expect(() => parseSnapshotShow(text.replace('Mon Dec 16 14:05:09 2019', 'yesterday at noon      '))).toThrow(
      /line 4: create time "yesterday at noon"/,
    );
  });

  it('parseOntapCtime checks the calendar', () => {
    expect(parseOntapCtime('Sat Feb 29 00:00:00 2020')).toBe('2020-02-29T00:00:00');
    expect(parseOntapCtime('Sun Feb 30 00:00:00 2020')).toBeNull();
    expect(parseOntapCtime('Sun Foo  1 00:00:00 2020')).toBeNull();
  });
});

describe('volume show -fields state,type,junction-path', () => {
  it('reads the rows, `-` junction path as null', () => {
    const text = [
      'vserver volume      state   type junction-path',
      '------- ----------- ------- ---- -------------',
      'vs2     vol1_dr     online  DP   -',
      'vs2     drill_clone online  RW   /drill_clone',
      '2 entries were displayed.',
    ].join('\n');
    expect(parseVolumeShow(text).volumes.map((v) => [v.vserver, v.volume, v.state, v.type, v.junctionPath])).toEqual([
      ['vs2', 'vol1_dr', 'online', 'DP', null],
      ['vs2', 'drill_clone', 'online', 'RW', '/drill_clone'],
    ]);
  });
});

describe('camelKey', () => {
  it('makes JSON keys of headers, field names and labels', () => {
    expect(['Relationship ID', 'lag-time', 'Throttle (KB/sec)', 'Total%', 'Progress Last Updated'].map(camelKey)).toEqual([
      'relationshipId',
      'lagTime',
      'throttleKbSec',
      'total',
      'progressLastUpdated',
    ]);
  });
});
