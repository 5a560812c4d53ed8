import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARSE_KINDS, runParse } from '../../src/commands/parse.js';
import { ParseError } from '../../src/errors.js';
import { FIXTURES_DIR } from '../adapters/ontap/fixtures.js';
import { commandContext } from '../helpers/command-context.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function drbook(args: string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fx = (name: string): string => `${FIXTURES_DIR}/${name}`;

function json(args: string[], input = ''): unknown {
  const r = drbook(args, input);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

/** stderr is exactly one line. */
function oneLine(stderr: string): string {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  return stderr.trimEnd();
}

describe('drbook parse: the ONTAP kinds', () => {
  it('ontap-snapmirror-show reads the default table, -fields and -instance into the contract keys', () => {
    for (const name of ['ontap-snapmirror-show-1.txt', 'ontap-snapmirror-show-fields-1.txt', 'ontap-snapmirror-show-instance-2.txt']) {
      const out = json(['parse', 'ontap-snapmirror-show', fx(name)]) as { relationships: Record<string, unknown>[] };
      expect(out.relationships).toHaveLength(1);
      for (const key of ['source', 'destination', 'type', 'state', 'status', 'healthy']) expect(out.relationships[0]).toHaveProperty(key);
    }
    expect(json(['parse', 'ontap-snapmirror-show', fx('ontap-snapmirror-show-squeezed-2.txt')])).toMatchObject({
      relationships: [
        { source: 'svmdr-dest:', type: 'XDP', destination: 'c1_svm2:', state: 'Broken-off', status: 'Transferring', healthy: true },
      ],
    });
  });

  it('ontap-snapshot-show', () => {
    expect(json(['parse', 'ontap-snapshot-show', fx('ontap-volume-snapshot-show-3.txt')])).toMatchObject({
      snapshots: [
        {
          vserver: 'nfs_svm',
          volume: 'nas1_pvc_f2c671b5_26e3_4a6d_9344_4a2083a611a3',
          name: 'snapshot-3a286486-7a69-499d-b9d7-163e3f62892c',
        },
        { vserver: 'nfs_svm', volume: 'nas1_pvc_f2c671b5_26e3_4a6d_9344_4a2083a611a3', name: 'hourly.2021-06-17_1505' },
      ],
    });
  });

  it('ontap-volume-show and ontap-volume-clone-show', () => {
    expect(json(['parse', 'ontap-volume-show', fx('ontap-volume-show-fields-1.txt')])).toMatchObject({
      volumes: [{ vserver: 'vs1', volume: 'data', state: 'offline', junctionPath: null }, { volume: 'home4' }, { volume: 'sales' }],
    });
    expect(json(['parse', 'ontap-volume-clone-show', fx('ontap-volume-clone-show-1.txt')])).toMatchObject({
      clones: [
        {
          vserver: 'svm1',
          parentVolume: 'nas1_pvc_b2113a4f_7359_4ab2_b771_a86272e3d11d',
          parentSnapshot: 'snapshot-21331427-59a4-4b4a-a71f-91ffe2fb39bc',
        },
      ],
    });
    expect(json(['parse', 'ontap-volume-clone-show', fx('ontap-empty-table-1.txt')])).toEqual({ clones: [] });
  });

  it('ontap-message reads stdin when FILE is absent or -', () => {
    const text = "Error: command failed: RPC: Couldn't make connection\n";
    expect(json(['parse', 'ontap-message'], text)).toMatchObject({
      kind: 'error',
      text: "Error: command failed: RPC: Couldn't make connection",
    });
    expect(json(['parse', 'ontap-message', '-'], '')).toMatchObject({ kind: 'success', text: '' });
    expect(json(['parse', 'ontap-message', fx('ontap-snapmirror-quiesce-1.txt')])).toMatchObject({ kind: 'success' });
  });
});

describe('drbook parse: the ESXi kinds keep the contract shapes', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reads its own kind's JSON
  const cases: [string, string, (out: any) => void][] = [
    [
      'esxi-getallvms',
      'esxi-getallvms-1.txt',
      (o) => {
        expect(o.vms.length).toBeGreaterThan(0);
        for (const k of ['vmid', 'name', 'datastore', 'path', 'guestOs', 'version', 'annotation']) expect(o.vms[0]).toHaveProperty(k);
        expect(o).toHaveProperty('skipped');
      },
    ],
    [
      'esxi-snapshot-get',
      'esxi-snapshot-revert-1.txt',
      (o) => {
        for (const k of ['name', 'id', 'description', 'createdOn', 'state', 'children']) expect(o.snapshots[0]).toHaveProperty(k);
        expect(o.snapshots[0].children.length).toBeGreaterThan(0);
      },
    ],
    ['esxi-power-getstate', 'esxi-power-getstate-suspended-1.txt', (o) => expect(o).toMatchObject({ state: 'suspended' })],
    [
      'esxi-process-list',
      'esxi-vm-process-list-1.txt',
      (o) => {
        for (const k of ['worldId', 'processId', 'vmxCartelId', 'uuid', 'displayName', 'configFile'])
          expect(o.processes[0]).toHaveProperty(k);
      },
    ],
    [
      'esxi-nfs-list',
      'esxi-storage-nfs-list-2.txt',
      (o) => {
        for (const k of ['volumeName', 'host', 'share', 'accessible', 'mounted', 'readOnly']) expect(o.mounts[0]).toHaveProperty(k);
      },
    ],
    [
      'esxi-version',
      'esxi-system-version-get-1.txt',
      (o) => {
        for (const k of ['product', 'version', 'build']) expect(o).toHaveProperty(k);
      },
    ],
    ['esxi-lockdown', 'esxi-lockdown-is-enabled-1.txt', (o) => expect(o).toMatchObject({ enabled: false })],
    [
      'esxi-fault',
      'esxi-registervm-notfound-1.txt',
      (o) => expect(o).toMatchObject({ fault: 'vim.fault.NotFound', message: 'The object or item referred to could not be found.' }),
    ],
    [
      'esxi-filesystem-list',
      'esxi-storage-filesystem-list-1.txt',
      (o) => {
        expect(o.filesystems[0]).toEqual({
          mountPoint: '/vmfs/volumes/2707af93-17b6f4d4',
          volumeName: '124-share',
          uuid: '2707af93-17b6f4d4',
          mounted: true,
          type: 'NFS',
          size: 40008333393920,
          free: 12798507614208,
        });
      },
    ],
    [
      'esxi-message',
      'esxi-vmsvc-message-1.txt',
      (o) => {
        expect(o.questions).toHaveLength(1);
        expect(o.questions[0]).toMatchObject({ id: '0', messageKey: 'msg.uuid.altered' });
        expect(o.questions[0].choices[1]).toEqual({
          key: 1,
          label: 'I moved it',
          labelId: 'I _moved it',
          raw: 'I _moved it (I _moved it)',
          isDefault: false,
        });
      },
    ],
    ['esxi-registervm', 'esxi-registervm-1.txt', (o) => expect(o).toEqual({ vmid: 222 })],
    [
      'esxi-power-on-off',
      'esxi-power-off-already-off-2.txt',
      (o) => expect(o).toEqual({ failed: true, message: 'Power off failed', fault: null }),
    ],
    ['esxi-power-on-off', 'esxi-power-on-1.txt', (o) => expect(o).toEqual({ failed: false, message: null, fault: null })],
    [
      'esxi-vmsd',
      'esxi-vmsd-2.txt',
      (o) => {
        expect(o.snapshots.map((x: { displayName: string }) => x.displayName)).toEqual([
          'SNAPSHOT POST INSTALL',
          'SECOND',
          'third',
          'from cli',
        ]);
        expect(o.unread).toEqual([]);
      },
    ],
    [
      'esxi-vmx',
      'esxi-vmx-1.txt',
      (o) => expect(o.lines).toContainEqual({ kind: 'pair', key: 'displayName', value: 'test flo', raw: 'displayName = "test flo"' }),
    ],
  ];
  for (const [kind, file, check] of cases) {
    it(`${kind} on ${file}`, () => check(json(['parse', kind, fx(file)])));
  }

  it('esxi-fault on text without a fault is exit 2', () => {
    const r = drbook(['parse', 'esxi-fault', fx('esxi-power-getstate-1.txt')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(/esxi-fault/);
  });
});

describe('drbook parse: bad input', () => {
  it('text that is not of that kind: exit 2, nothing on stdout, one line on stderr naming the line', () => {
    const r = drbook(['parse', 'ontap-snapmirror-show', fx('ontap-volume-snapshot-show-1.txt')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(/^drbook: ontap-snapmirror-show: line 1: /);

    const cut = drbook(['parse', 'ontap-snapmirror-show'], 'Source Path: a:b\nDestination Path: c:d\nHealthy: perhaps\n');
    expect(cut.code).toBe(2);
    expect(oneLine(cut.stderr)).toMatch(/line 1: Healthy is "perhaps"/);

    const snap = drbook(['parse', 'ontap-snapshot-show', fx('ontap-snapmirror-quiesce-1.txt')]);
    expect(snap.code).toBe(2);
    expect(oneLine(snap.stderr)).toMatch(/ontap-snapshot-show: line 1: /);
  });

  it('an unknown kind: exit 2 listing the kinds', () => {
    const r = drbook(['parse', 'ontap-volume-sho', fx('ontap-snapmirror-show-1.txt')]);
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line).toMatch(/unknown kind "ontap-volume-sho"/);
    expect(line).toContain('esxi-getallvms');
    expect(line).toContain('ontap-message');
  });

  it('no kind, or a file that cannot be read: exit 2 with one line', () => {
    const none = drbook(['parse']);
    expect(none.code).toBe(2);
    expect(oneLine(none.stderr)).toMatch(/needs a KIND/);
    const missing = drbook(['parse', 'ontap-message', '/nonexistent/drbook-parse-input.txt']);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toMatch(/cannot read \/nonexistent\/drbook-parse-input\.txt \(ENOENT\)/);
  });
});

describe('drbook parse --list', () => {
  it('prints every kind with a description, as --list or list', () => {
    const kinds = [
      'esxi-getallvms',
      'esxi-registervm',
      'esxi-snapshot-get',
      'esxi-power-getstate',
      'esxi-power-on-off',
      'esxi-message',
      'esxi-heartbeat',
      'esxi-guest',
      'esxi-tasklist',
      'esxi-task-info',
      'esxi-process-list',
      'esxi-lockdown',
      'esxi-nfs-list',
      'esxi-filesystem-list',
      'esxi-version',
      'esxi-vmx',
      'esxi-vmsd',
      'esxi-fault',
      'ontap-snapmirror-show',
      'ontap-snapshot-show',
      'ontap-volume-show',
      'ontap-volume-clone-show',
      'ontap-message',
      'vcenter-soap',
      'hyperv-vms',
      'hyperv-cluster-groups',
      'hyperv-cluster-resources',
      'hyperv-csv',
      'hyperv-cluster-nodes',
      'hyperv-be-job-history',
      'hyperv-compare-vm',
      'hyperv-error',
    ];
    for (const args of [
      ['parse', '--list'],
      ['parse', 'list'],
    ]) {
      const r = drbook(args);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(kinds);
      for (const l of lines) expect(l).toMatch(/^\S+\s{2,}\S/);
    }
  });
});

/**
 * Which real samples each kind reads (test/fixtures/devices/KINDS.md). A kind with no public sample
 * is null and must say so there; every other kind reads each of its samples through `drbook parse`.
 */
const SAMPLES: Record<string, RegExp | null> = {
  'esxi-getallvms': /^esxi-getallvms-/,
  'esxi-registervm': /^esxi-registervm-\d/,
  'esxi-snapshot-get': /^esxi-snapshot-(get|revert|removeall)-/,
  'esxi-power-getstate': /^esxi-power-getstate-/,
  'esxi-power-on-off': /^esxi-power-(on|off)-/,
  'esxi-message': /^esxi-vmsvc-message-\d/,
  'esxi-heartbeat': null,
  'esxi-guest': null,
  'esxi-tasklist': /^esxi-get-tasklist-/,
  'esxi-task-info': /^esxi-task-info-(?!notfound)/,
  'esxi-process-list': /^esxi-vm-process-list-/,
  'esxi-lockdown': /^esxi-lockdown-is-enabled-/,
  'esxi-nfs-list': /^esxi-storage-nfs-list-/,
  'esxi-filesystem-list': /^esxi-storage-filesystem-list-/,
  'esxi-version': /^esxi-system-version-get-/,
  'esxi-vmx': /^esxi-vmx-/,
  'esxi-vmsd': /^esxi-vmsd-/,
  'esxi-fault': /^esxi-(registervm-notfound|unregister-notfound|vimcmd-notfound|task-info-notfound)-/,
  'ontap-snapmirror-show': /^ontap-(snapmirror-show-|empty-)/,
  'ontap-snapshot-show': /^ontap-(volume-snapshot-show-|empty-)/,
  'ontap-volume-show': /^ontap-(volume-show-|empty-)/,
  'ontap-volume-clone-show': /^ontap-(volume-clone-show-|empty-)/,
  'ontap-message': /^ontap-(confirm|empty|error|job|snapmirror-(break|create|quiesce)|volume-clone-create)-/,
  // Hyper-V: no public ConvertTo-Json sample was found; the hand-written ones in hyperv/ are read below.
  'hyperv-vms': null,
  'hyperv-cluster-groups': null,
  'hyperv-cluster-resources': null,
  'hyperv-csv': null,
  'hyperv-cluster-nodes': null,
  'hyperv-be-job-history': null,
  'hyperv-compare-vm': null,
  'hyperv-error': null,
  'vcenter-soap': /^vcenter-soap-/,
};

describe('drbook parse: every kind on every one of its real samples', () => {
  const names = readdirSync(FIXTURES_DIR).filter((n) => n.endsWith('.txt') || n.endsWith('.xml'));
  const kindsDoc = readFileSync(`${FIXTURES_DIR}/KINDS.md`, 'utf8');

  it('the README section on drbook parse has a row for every kind', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## `drbook parse`'), readme.indexOf('## Development'));
    for (const k of PARSE_KINDS) expect(section, k.kind).toContain(`| \`${k.kind}\` |`);
  });

  it('every kind has its samples, or KINDS.md says it has none', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(PARSE_KINDS.map((k) => k.kind).sort());
    for (const [kind, re] of Object.entries(SAMPLES)) {
      expect(kindsDoc, `KINDS.md has a section for ${kind}`).toContain(`\`${kind}\``);
      if (re === null) expect(kindsDoc).toMatch(new RegExp(`\`${kind}\`[^\\n]*\\n+[^#]*no real sample`, 'i'));
      else expect(names.filter((n) => re.test(n)).length, kind).toBeGreaterThan(0);
    }
  });

  for (const [kind, re] of Object.entries(SAMPLES)) {
    if (re === null) continue;
    it(`${kind}`, async () => {
      for (const name of names.filter((n) => re.test(n))) {
        const { ctx, out } = commandContext('/nonexistent');
        await runParse(ctx, { kind, file: fx(name) }).catch((err: unknown) => {
          throw new Error(`${kind} on ${name}: ${err instanceof ParseError ? err.message : String(err)}`);
        });
        expect(() => JSON.parse(out()), name).not.toThrow();
      }
    });
  }
});

describe('drbook parse: the Hyper-V kinds', () => {
  const hv = (name: string): string => fileURLToPath(new URL(`../fixtures/devices/hyperv/${name}`, import.meta.url));
  it('hyperv-vms reads PowerShell 5.1 JSON; Format-Table text is refused with exit 2', () => {
    const vms = json(['parse', 'hyperv-vms', hv('get-vm-ps51-1.json')]) as { name: string; state: string }[];
    expect(vms.map((v) => [v.name, v.state])).toEqual([
      ['SQL01', 'running'],
      ['FILE02', 'off'],
    ]);
    const bad = drbook(['parse', 'hyperv-vms'], 'Name  State\n----  -----\nSQL01 Running\n');
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toMatch(/hyperv-vms: not JSON/);
  });
});
