import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { esxiCommands } from '../../src/adapters/esxi/commands.js';
import type { Capture, CapturedVm } from '../../src/inventory/types.js';
import { buildWayBackPlan } from '../../src/failback/plan.js';
import { buildPlan } from '../../src/plan/build.js';
import { OUTPUT_EXAMPLES } from '../../src/plan/examples.js';
import { renderHtml } from '../../src/plan/render-html.js';
import { renderMarkdown } from '../../src/plan/render-md.js';
import { renderPlan } from '../../src/plan/render.js';
import { planMessages } from '../../src/i18n/plan.js';
import { parseSite } from '../../src/runbook/site.js';
import { host, vm, volumes } from '../inventory/synthetic.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

/** The procedure document from a synthetic site and capture: content rules and escaping. */

const SITE = `
site: synth
esxi:
  hosts:
    - { name: esx1, address: 127.0.0.1 }
    - { name: esx2, address: 127.0.0.1 }
ontap: { name: cl1, address: 127.0.0.1 }
relationship: { source: 'svm1:vol1', destination: 'svm2:vol2' }
datastores:
  primary: { name: ds1, nfsHost: 10.0.0.1, share: /vol1 }
  mirror: { name: ds2, nfsHost: 10.0.0.2, share: /vol2 }
jobs: [daily]
vcenter: { vm: vc1 }
priorityGroups:
  - { name: infra, vms: [dc1] }
  - { name: rest, vms: ['*'] }
`;

const site = parseSite(SITE, '/tmp/synth-site.yaml');
const T0 = '2026-11-01T10:00:00.000Z';
const NETAPP = '2026-11-01T09:00:00.000Z';

function capture(vms: CapturedVm[], over: Partial<Capture> = {}): Capture {
  return {
    id: '20261101-100000-abcd',
    site: 'synth',
    takenAt: T0,
    drbookVersion: '0.1.0',
    hosts: [host('esx1', { lockdown: true }), host('esx2')],
    vms,
    volumes: volumes([
      ['smvi__daily_recent', NETAPP],
      ['smvi__daily_20261031090000', '2026-10-31T09:00:00.000Z'],
      ['snapmirror.abc_123.2026-11-01_090500', '2026-11-01T09:05:00.000Z'],
    ]),
    audit: {
      vms: vms.map((v) => ({
        vm: v.name,
        host: v.host,
        vmxPath: v.vmxPath,
        points: [
          {
            snapshot: 'smvi__daily_recent',
            job: 'daily',
            quiesced: v.power === 'on',
            ...(v.power === 'on' ? { vmwareSnapshot: { name: 'smvi_1234-abcd', id: '3', createdAt: '2026-11-01T08:58:00.000Z' } } : {}),
            files: [],
          },
        ],
      })),
      findings: [],
    },
    ...over,
  };
}

const HOSTILE = `<script>alert(1)</script> & "x" 'y' a|b \`\`\`fence\`\`\``;
const vms = [
  vm('vc1', { host: 'esx2', vmid: '10', isVcenter: true, job: 'daily' }),
  vm('dc1', { host: 'esx1', vmid: '11', job: 'daily' }),
  vm(HOSTILE, { host: 'esx1', vmid: '12', vmxDir: 'hostile', vmxFile: 'hostile.vmx', job: 'daily' }),
  vm('off1', { host: 'esx2', vmid: '13', power: 'off', job: 'daily' }),
  vm('line\nbreak', { host: 'esx2', vmid: '14', vmxDir: 'lb', vmxFile: 'lb.vmx', job: 'daily' }),
  vm('on-other-volume', { host: 'esx2', vmid: '15', volume: 'svm9:other', datastore: 'ds9' }),
];
const NOW = new Date('2026-11-01T12:00:00Z');
const plan = (c: Capture, lang: 'en' | 'ja' = 'en', now = NOW) => buildPlan({ site, capture: c, lang, now, drbookVersion: '9.9.9' });

describe('the plan document', () => {
  it('follows the runbook: sections in order, priority groups in site order, vCenter first', () => {
    const doc = plan(capture(vms));
    expect(doc.sections.map((s) => s.id)).toEqual([
      'preflight',
      'break',
      'snaprestore',
      'lockdown-exit',
      'mount',
      'fence',
      'vcenter',
      'recover:1',
      'recover:2',
      'verify',
      'lockdown-enter',
    ]);
    const recover1 = doc.sections.find((s) => s.id === 'recover:1')!;
    // First the reads that choose the step's targets (every host answers?), then one step per VM.
    expect(recover1.steps.map((s) => s.vm)).toEqual([undefined, 'dc1']);
    expect(recover1.steps[0]!.id).toBe('recover:hosts');
    expect(doc.sections.find((s) => s.id === 'recover:2')!.steps.map((s) => s.vm)).toEqual([HOSTILE, 'line\nbreak', 'off1']);
    // The VM on another volume is in no step and not in the table.
    expect(JSON.stringify(doc)).not.toContain('on-other-volume');
    expect(doc.vms.map((v) => v.name)).toEqual(['vc1', 'dc1', HOSTILE, 'line\nbreak', 'off1']);
    expect(doc.snapshot).toEqual({
      name: 'smvi__daily_recent',
      createTime: NETAPP,
      job: 'daily',
      newer: ['snapmirror.abc_123.2026-11-01_090500'],
    });
  });

  it('fences each VM on its recorded host by its recorded vmid, escalating soft → hard → force', () => {
    const doc = plan(capture(vms));
    const fence = doc.sections.find((s) => s.id === 'fence')!;
    const dc1 = fence.steps.find((s) => s.vm === 'dc1')!;
    expect(dc1.host).toBe('esx1');
    expect(dc1.commands.map((c) => c.line)).toEqual([
      'esxcli vm process list',
      'esxcli storage filesystem list',
      'esxcli vm process kill --type=soft --world-id=WORLD_ID',
      'esxcli vm process list',
      'esxcli vm process kill --type=hard --world-id=WORLD_ID',
      'esxcli vm process list',
      'esxcli vm process kill --type=force --world-id=WORLD_ID',
      'esxcli vm process list',
      // No read before the unregister: the host's own lookup guards it (NotFound for a vmid it lacks).
      'vim-cmd vmsvc/unregister 11',
      'vim-cmd vmsvc/getallvms',
    ]);
    expect(dc1.commands.every((c) => c.target === 'esx1' && c.device === 'esxi')).toBe(true);
  });

  it('registers, reverts, removes the VSC snapshot and powers on; a VM that was off stays off', () => {
    const doc = plan(capture(vms));
    const steps = doc.sections.flatMap((s) => s.steps);
    const dc1 = steps.find((s) => s.id === 'vm:dc1/dc1.vmx')!;
    expect(dc1.commands.map((c) => c.line)).toEqual([
      'vim-cmd vmsvc/getallvms',
      'esxcli vm process list',
      // The guard in the register's own line: the host registers only a .vmx it finds right then.
      'test -e /vmfs/volumes/ds2/dc1/dc1.vmx && vim-cmd solo/registervm /vmfs/volumes/ds2/dc1/dc1.vmx dc1',
      'vim-cmd vmsvc/getallvms',
      'vim-cmd vmsvc/power.getstate NEW_VMID',
      'vim-cmd vmsvc/snapshot.get NEW_VMID',
      // The guard in the revert's own line: the host reverts only a VM it reads off right then.
      "vim-cmd vmsvc/power.getstate NEW_VMID | grep -E '^(Powered off|Suspended) *$' && vim-cmd vmsvc/snapshot.revert NEW_VMID SNAPSHOT_ID 1",
      'vim-cmd vmsvc/snapshot.remove NEW_VMID SNAPSHOT_ID',
      'vim-cmd vmsvc/power.on NEW_VMID',
      'vim-cmd vmsvc/message NEW_VMID',
      'vim-cmd vmsvc/message NEW_VMID QUESTION_ID MOVED_CHOICE',
      'vim-cmd vmsvc/power.getstate NEW_VMID',
      'vim-cmd vmsvc/get.guestheartbeatStatus NEW_VMID',
    ]);
    const snapshotGet = (st: typeof dc1) => st.commands.find((c) => c.line === 'vim-cmd vmsvc/snapshot.get NEW_VMID')!;
    expect(snapshotGet(dc1).text).toContain('smvi_1234-abcd');
    const off = steps.find((s) => s.id === 'vm:off1/off1.vmx')!;
    expect(off.commands.map((c) => c.line)).not.toContain('vim-cmd vmsvc/power.on NEW_VMID');
    expect(off.text.join(' ')).toContain('leave it off');
    // No quiesce point (it was off at backup): the crash-consistent choice is explained.
    expect(snapshotGet(off).text).toContain('crash-consistent');
    const hostile = steps.find((s) => s.id === 'vm:hostile/hostile.vmx')!;
    expect(hostile.commands[2]!.line).toBe(
      `test -e /vmfs/volumes/ds2/hostile/hostile.vmx && vim-cmd solo/registervm /vmfs/volumes/ds2/hostile/hostile.vmx '${HOSTILE.replace(/'/g, `'\\''`)}'`,
    );
    const vc = doc.sections.find((s) => s.id === 'vcenter')!;
    // The reads that choose the targets; then register (after the reads that say whether it already is), the restore by hand, power on.
    expect(vc.steps.map((s) => s.id)).toEqual([
      'vcenter:hosts',
      'vcenter:vm:vc1/vc1.vmx:register',
      'vcenter:vm:vc1/vc1.vmx:restore-backup',
      'vcenter:vm:vc1/vc1.vmx:power-on',
    ]);
    expect(vc.steps[1]!.commands[2]!.line).toBe(esxiCommands.registerIfPresent('/vmfs/volumes/ds2/vc1/vc1.vmx', 'vc1'));
    expect(vc.steps[2]!.checklist).toHaveLength(3);
    expect(vc.steps[3]!.commands[1]!.line).toBe('vim-cmd vmsvc/power.on NEW_VMID');
  });

  it('says which hosts were in lockdown at capture time, and warns about an old capture and its findings', () => {
    const fresh = plan(capture(vms));
    expect(fresh.warnings).toEqual([]);
    expect(renderMarkdown(fresh)).toContain('None: the capture is recent and has no findings.');
    const exit = fresh.sections.find((s) => s.id === 'lockdown-exit')!;
    expect(exit.steps.map((s) => [s.host, s.text[0]])).toEqual([
      ['esx1', 'At capture time this host was in lockdown mode.'],
      ['esx2', 'At capture time this host was not in lockdown mode.'],
    ]);
    const old = plan(
      capture(vms, {
        audit: { vms: [], findings: [{ code: 'no-quiesce-any', severity: 'warning', vm: 'off1', message: 'off1 has <no> quiesce point' }] },
      }),
      'ja',
      new Date('2026-11-20T12:00:00Z'),
    );
    expect(old.warnings[0]).toBe(
      'キャプチャは 19 日前のものです。その後に作成・名前変更・移動された VM は、この手順書では欠けているか誤っています。drbook capture を実行してから印刷し直してください。',
    );
    expect(old.warnings[1]).toContain('1 件の指摘');
    expect(renderHtml(old)).toContain('off1 has &lt;no&gt; quiesce point');
  });

  it('HTML escapes names everywhere and Markdown keeps them from becoming markup', () => {
    const doc = plan(capture(vms));
    const html = renderHtml(doc);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39; a|b');
    // A newline in a name is shown as \n in the table, never as a line break.
    expect(html).toContain('<td class="name">line\\nbreak</td>');
    const md = renderMarkdown(doc);
    const row = md.split('\n').find((l) => l.includes('alert'))!;
    // Nine columns: the | inside the name is escaped.
    expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(9);
    // The fence around a command holding ``` is longer than any backtick run in it.
    const line = doc.sections.flatMap((s) => s.steps).find((s) => s.id === 'vm:hostile/hostile.vmx')!.commands[2]!.line;
    expect(md).toContain(`\`\`\`\`text\n${line}\n\`\`\`\``);
    expect(md).toContain('| line\\\\nbreak |');
  });

  it('JSON is the document; md and html hold the same command lines', () => {
    const doc = plan(capture(vms), 'ja');
    const back = JSON.parse(renderPlan(doc, 'json'));
    expect(back).toEqual(JSON.parse(JSON.stringify(doc)));
    const md = renderMarkdown(doc);
    const html = renderHtml(doc)
      .replace(/<wbr>/g, '')
      .replace(/<span class="(?:nb|sp)">([^<]*)<\/span>/g, '$1');
    for (const c of doc.sections.flatMap((s) => s.steps.flatMap((st) => st.commands))) {
      expect(md).toContain(c.line);
      expect(html).toContain(
        c.line.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!),
      );
    }
  });
});

describe('the way back’s plan', () => {
  const placement = [
    { id: 'vm:vc1/vc1.vmx', name: 'vc1', host: 'esx2', path: 'vc1/vc1.vmx', power: 'on' as const, group: 0, mirrorVmid: 3 },
    { id: 'vm:dc1/dc1.vmx', name: 'dc1', host: 'esx1', path: 'dc1/dc1.vmx', power: 'off' as const, group: 1, mirrorVmid: null },
  ];
  const wayBack = (procedure: 'reprotect' | 'failback', lang: 'en' | 'ja' = 'en') =>
    buildWayBackPlan({
      site,
      capture: capture(vms),
      lang,
      now: NOW,
      drbookVersion: '9.9.9',
      procedure,
      facts: {
        readAt: NOW.toISOString(),
        reprotect:
          procedure === 'reprotect'
            ? {
                kind: 'reprotect-plan',
                observedAt: NOW.toISOString(),
                mode: 'resync',
                common: { name: 'smvi__daily_recent', createTime: NETAPP },
                discarded: [],
                baselineBytes: null,
                aside: null,
                originalState: 'online',
                primary: { state: 'online', type: 'RW' },
              }
            : null,
        placement: procedure === 'failback' ? placement : null,
        lockedHosts: [],
      },
    });

  it('the failback’s VM table says where each VM runs now and where it comes back from, in md, html and json', () => {
    const doc = wayBack('failback');
    expect(doc.vms).toEqual([
      {
        name: 'vc1',
        host: 'esx2',
        runsFrom: '[ds2] vc1/vc1.vmx',
        vmid: '3',
        power: 'on',
        returnsTo: '[ds1] vc1/vc1.vmx',
        group: null,
        isVcenter: true,
      },
      {
        name: 'dc1',
        host: 'esx1',
        runsFrom: '[ds2] dc1/dc1.vmx',
        vmid: '?',
        power: 'off',
        returnsTo: '[ds1] dc1/dc1.vmx',
        group: 'infra',
        isVcenter: false,
      },
    ]);
    const md = renderMarkdown(doc);
    expect(md).toContain(
      '| Done | Recorded name | Host | Runs now from (mirror) | vmid on the mirror | Power | Comes back from (original) | Priority group |',
    );
    expect(md).toContain('| ☐ | vc1 (vCenter) | esx2 | [ds2] vc1/vc1.vmx | 3 | on | [ds1] vc1/vc1.vmx |  |');
    expect(md).toContain('| ☐ | dc1 | esx1 | [ds2] dc1/dc1.vmx | ? | off | [ds1] dc1/dc1.vmx | infra |');
    const html = renderHtml(doc);
    expect(html).toContain('<th scope="col">Comes back from (original)</th>');
    expect(html).toContain('<td class="path">[ds2] dc1/dc1.vmx</td><td>?</td><td>off</td><td class="path">[ds1] dc1/dc1.vmx</td>');
    // Nothing of the failover's table: no VSC job, no quiesce point.
    for (const text of [md, html, renderPlan(doc, 'json')]) expect(text).not.toMatch(/VSC job|Quiesced|quiescedInNewest|"job"/);
    const ja = renderMarkdown(wayBack('failback', 'ja'));
    expect(ja).toContain(
      '| 済 | 記録された名前 | ホスト | 現在の実行元 (ミラー) | ミラー上の vmid | 電源 | 戻し先 (元のデータストア) | 優先グループ |',
    );
    expect(ja).not.toContain('VSC ジョブ');
  });

  it('the reprotect, which changes no VM, says so without a VM heading or table', () => {
    for (const lang of ['en', 'ja'] as const) {
      const doc = wayBack('reprotect', lang);
      const m = planMessages(lang);
      expect(doc.vms).toEqual([]);
      const md = renderMarkdown(doc);
      const html = renderHtml(doc);
      expect(md).toContain(doc.vmText[0]);
      expect(md).not.toContain(`## ${m.vmTableTitle}`);
      expect(html).toContain(`<p>${doc.vmText[0]}</p>`);
      expect(html).not.toContain(m.vmTableTitle);
      expect(html).not.toContain('<table class="vms">');
    }
  });
});

const FIXTURES = FIXTURES_DIR;

describe('the real output examples', () => {
  it('are byte for byte the real samples', () => {
    for (const [key, ex] of Object.entries(OUTPUT_EXAMPLES)) {
      expect(ex.text, key).toBe(readFileSync(path.join(FIXTURES, ex.fixture), 'utf8'));
    }
  });
});
