/**
 * Issue 11 §2: every fault the lab can inject gives its documented outcome (the table in
 * test/reliability/README.md): a clear message, the right VM or step stopped or skipped, the
 * others go on, the journal intact (events readable in order, the run's status right).
 * VM faults are baked into one template (they act at backup and disaster); host faults are
 * switched on for the failover only, one lab per fault, all run in parallel.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabStatus } from '../../src/lab/lab.js';
import type { HostFault } from '../../src/lab/faults.js';
import { cliEnv, runCli, type CliResult } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  actionsSince,
  appliedTwice,
  cloneTemplate,
  killEscalationProblems,
  prepareTemplate,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';

// better-sqlite3 as drbook loads it on this Node (src/journal/sqlite.ts).
const Database = loadSqlite();

// hosts 3, vms 10, seed 7: esx01 dc02 db01 erp01 · esx02 dc01 app01 mail01 · esx03 vcenter01 web01 file01 crm01
const VM_FAULTS = {
  web01: { stuck: 'soft' as const },
  crm01: { stuck: 'hard' as const },
  app01: { snapshotFails: true },
  db01: { poweredOffAtBackup: true },
  file01: { vmxName: 'other' as const },
  mail01: { duplicateOf: 'dc02' },
};

/** Every question of these runs answered by a flag (without them a script run stops at the question). */
const ANSWERS = [
  '--confirm',
  MIRROR_PATH,
  '--ack-manual',
  '--crash-consistent',
  'power-on',
  '--unreachable-host',
  'skip',
  '--on-vm-failure',
  'skip',
];

interface Outcome {
  /** After the fault is gone: `drbook resume`, its result and the lab after it. */
  resumed?: { run: CliResult; after: LabStatus; status: string };
  run: CliResult;
  before: LabStatus;
  after: LabStatus;
  events: { seq: number; type: string; [k: string]: unknown }[];
  status: string;
  text: string;
}

let root: string;
let template: Template;
const outcomes = new Map<string, Outcome>();

function readJournal(db: string): { status: string; events: Outcome['events'] } {
  const d = new Database(db, { readonly: true });
  try {
    const run = d.prepare('SELECT id, status FROM runs').get() as { id: string; status: string };
    const events = (
      d.prepare('SELECT seq, payload FROM events WHERE run_id = ? ORDER BY seq').all(run.id) as { seq: number; payload: string }[]
    ).map((r) => ({
      seq: r.seq,
      ...(JSON.parse(r.payload) as { type: string }),
    }));
    return { status: run.status, events };
  } finally {
    d.close();
  }
}

/** One failover with `hostFaults` on; with `resume`, the fault is then cleared and the run resumed. */
async function runWith(name: string, hostFaults: Record<string, HostFault>, resume = false): Promise<Outcome> {
  const dir = cloneTemplate(template.dir, path.join(root, name));
  const db = path.join(dir, 'drbook.db');
  let lab = await startCase(dir, { faults: { vms: VM_FAULTS, hosts: hostFaults } });
  try {
    const before = lab.status();
    const run = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', ...ANSWERS], {
      env: cliEnv(),
      timeoutMs: 150_000,
    });
    const after = lab.status();
    const { status, events } = readJournal(db);
    let resumed: Outcome['resumed'];
    if (resume) {
      await lab.stop();
      lab = await startCase(dir, { faults: { vms: VM_FAULTS, hosts: {} } });
      const r = await runCli(['resume', '--db', db, '--plain', ...ANSWERS], { env: cliEnv(), timeoutMs: 150_000 });
      resumed = { run: r, after: lab.status(), status: readJournal(db).status };
    }
    return { run, before, after, events, status, text: run.stdout + run.stderr, resumed };
  } finally {
    await lab.stop();
  }
}

beforeAll(async () => {
  root = tempDir('drbook-faults-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 3, vms: 10, seed: 7, faults: { vms: VM_FAULTS, hosts: {} } });
  const cases: [string, Record<string, HostFault>, boolean][] = [
    ['vm-faults', {}, false],
    ['refuse', { esx02: { refuse: true } }, true],
    // esx01's connection drops at three named commands, the same ones in every run (where
    // dropAfter drops depends on how the run's commands happen to share connections): the first
    // soft kill runs and its answer is lost (fence); db01's registration runs and its answer is
    // lost; erp01's registration is cut off before it runs, at both attempts.
    [
      'drop',
      {
        esx01: {
          dropAt: [
            { match: 'esxcli vm process kill --type=soft' },
            { match: 'solo/registervm \\S+/db01/db01\\.vmx' },
            { match: 'solo/registervm \\S+/erp01/erp01\\.vmx', times: 2, ran: false },
          ],
        },
      },
      true,
    ],
    ['slow', { esx01: { slowMs: 150 } }, false],
    ['fail-register-once', { esx01: { failFirst: { match: 'solo/registervm', times: 1 } } }, false],
    ['fail-break', { cluster1: { failFirst: { match: 'snapmirror break', times: 1 } } }, true],
    // Every force kill on esx03 fails: crm01 (stuck hard) cannot be fenced; soft and hard still work.
    ['kill-fails', { esx03: { failFirst: { match: 'kill --type=force', times: 100 } } }, true],
  ];
  const results = await Promise.all(cases.map(([name, f, resume]) => runWith(name, f, resume)));
  cases.forEach(([name], i) => outcomes.set(name, results[i]!));
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const vm = (s: LabStatus, name: string, ds = 'ds_vm1_mirror') => s.vms.filter((v) => v.name === name && v.datastore === ds);

/** The journal is intact: every event readable, numbered without a hole, one run.started first. */
function journalIntact(o: Outcome): void {
  expect(o.events.length).toBeGreaterThan(10);
  o.events.forEach((e, i) => expect(e.seq).toBe(i + 1));
  expect(o.events[0]!.type).toBe('run.started');
  expect(o.events.at(-1)!.type).toBe('run.finished');
}

/** The resumed run is done: every VM of the capture on the mirror, none stale, nothing twice, lockdown back. */
function expectResumedClean(o: Outcome): void {
  const r = o.resumed!;
  expect(r.run.code, r.run.stdout + r.run.stderr).toBe(0);
  expect(r.status).toBe('done');
  expect(r.after.vms.filter((v) => v.stale).map((v) => `${v.host} ${v.name}`)).toEqual([]);
  expect(r.after.vms.filter((v) => v.datastore === 'ds_vm1_mirror')).toHaveLength(o.before.vms.length);
  expect(appliedTwice(actionsSince(o.before, r.after))).toEqual([]);
  expect(r.after.lockdown).toEqual(o.before.lockdown);
}

function notes(o: Outcome): string[] {
  return o.events.filter((e) => e.type === 'note').map((e) => String(e['text']));
}

describe('VM faults (one failover with all of them)', () => {
  const o = () => outcomes.get('vm-faults')!;

  it('the run completes and its journal is intact', () => {
    expect(o().run.code, o().text).toBe(0);
    expect(o().status).toBe('done');
    journalIntact(o());
    expect(appliedTwice(actionsSince(o().before, o().after))).toEqual([]);
  });

  it('stuck soft: soft, then hard after the verify timeout, with a note; the VM comes back', () => {
    const kills = actionsSince(o().before, o().after).filter((a) => a.action === 'kill');
    expect(killEscalationProblems(kills)).toEqual([]);
    expect(notes(o()).some((n) => /still running .* after a soft kill; escalating to hard/.test(n))).toBe(true);
    expect(vm(o().after, 'web01')[0]?.power).toBe('on');
  });

  it('stuck hard: soft, hard, then force; the VM comes back', () => {
    expect(notes(o()).some((n) => /after a hard kill; escalating to force/.test(n))).toBe(true);
    const types = actionsSince(o().before, o().after)
      .filter((a) => a.action === 'kill')
      .map((a) => a.target.split('/')[1]);
    expect(types.filter((t) => t === 'force')).toHaveLength(1);
    expect(vm(o().after, 'crm01')[0]?.power).toBe('on');
  });

  it('failed VMware snapshot at backup: no quiesce point, said so, powered on crash-consistent (--crash-consistent power-on)', () => {
    expect(template.quiesced['app01']).toBeNull();
    expect(notes(o())).toContain('app01: no quiesce point; powered on crash-consistent');
    expect(vm(o().after, 'app01')[0]?.power).toBe('on');
  });

  it('powered off at backup: recovered and left off, as it was', () => {
    const said = o()
      .events.filter((e) => e.type === 'target.state' && e['stepId'] === 'recover' && String(e['targetId']).includes('db01'))
      .map((e) => String(e['note']));
    expect(
      said.some((n) => /was off before the outage: left off/.test(n)),
      said.join(' | '),
    ).toBe(true);
    expect(vm(o().after, 'db01')[0]?.power).toBe('off');
    // Not asked about, and never said to be powered on crash-consistent: it is left off.
    expect(notes(o())).not.toContain('db01: no quiesce point; powered on crash-consistent');
    expect(
      notes(o()).some((n) => /^db01: recorded off, so VSC took no quiesce point of it .*left off$/.test(n)),
      notes(o()).join(' | '),
    ).toBe(true);
  });

  it('.vmx named unlike the display name: registered from its own .vmx under its recorded display name', () => {
    const file01 = vm(o().after, 'file01');
    expect(file01).toHaveLength(1);
    expect(file01[0]!.path).toMatch(/^\[ds_vm1_mirror\] file01\/vm-\d+\.vmx$/);
  });

  it('duplicate display names: both VMs come back from their own directories under the same name', () => {
    const dc02 = vm(o().after, 'dc02');
    // The lab names the second one's directory dc02_2, as vSphere would.
    expect(dc02.map((v) => v.path).sort()).toEqual(['[ds_vm1_mirror] dc02/dc02.vmx', '[ds_vm1_mirror] dc02_2/dc02_2.vmx']);
    for (const v of dc02) expect(v.power).toBe('on');
  });
});

describe('host faults', () => {
  it('a host refusing connections: said in the preflight, its VMs skipped by name, the others recovered, run failed (exit 1)', () => {
    const o = outcomes.get('refuse')!;
    expect(o.run.code, o.text).toBe(1);
    expect(o.status).toBe('failed');
    journalIntact(o);
    expect(o.text).toMatch(/esx02 cannot be reached/);
    // esx02 holds dc01, app01 and the second dc02 (mail01 took dc02's name).
    for (const name of ['dc01', 'app01', 'dc02'])
      expect(notes(o)).toContain(
        `${name} is left for later: its host esx02 cannot be reached; drbook resume brings it up once the host is back`,
      );
    for (const name of ['dc02', 'erp01', 'web01', 'crm01', 'vcenter01']) expect(vm(o.after, name).length, name).toBeGreaterThan(0);
    // Lockdown back on every host drbook could reach and had taken out of it.
    for (const h of ['esx01', 'esx03']) expect(o.after.lockdown[h]).toBe(o.before.lockdown[h]);
    expect(appliedTwice(actionsSince(o.before, o.after))).toEqual([]);
  });

  // A host that could not be listed or reached leaves its fence and recover targets failed, so
  // the resume comes back to them once the host is back (it used to end those steps 'done').
  it('the refusing host back: resume fences its stale VMs and recovers them, nothing applied twice', () => {
    expectResumedClean(outcomes.get('refuse')!);
  });

  it('a host dropping connections mid-command: the dropped command named, retried; VMs that lose both attempts fail by name, the others go on', () => {
    const o = outcomes.get('drop')!;
    expect(o.run.code, o.text).toBe(1);
    expect(o.status).toBe('failed');
    journalIntact(o);
    expect(o.text).toMatch(/esx01 \(127\.0\.0\.1:\d+\): the connection dropped while running: \S+/);
    expect(o.text).toMatch(/attempt 1 of 2 failed: esx01 .*the connection dropped while running/);
    // The soft kill that ran: its retry reads first and finds the world gone.
    expect(o.text).toMatch(/kill --type=soft of world \d+ \((dc02|erp01)\) not sent: the world was gone when read right before the kill/);
    // erp01 cannot be registered in this run (each registervm it sends is cut off): it fails by name.
    // Which of its commands the message names depends on what else was in flight on the connection
    // when a drop cut it (a drop takes every channel of the connection with it).
    expect(o.text).toMatch(/erp01 \(esx01\): FAILED at register: esx01 \(127\.0\.0\.1:\d+\): the connection dropped while running: /);
    expect(vm(o.after, 'erp01')).toEqual([]);
    // db01's registration runs and its answer is lost: its retry reads first and does not register
    // it again (appliedTwice below). Whether db01 itself ends recovered depends on what else the
    // drops cut, so it is not asserted here; the resume below brings every VM back.
    // Every VM of the other hosts came back.
    for (const name of ['dc01', 'app01', 'web01', 'crm01', 'file01']) expect(vm(o.after, name).length, name).toBeGreaterThan(0);
    expect(appliedTwice(actionsSince(o.before, o.after))).toEqual([]);
  });

  // The same for a host that dropped its connections in the fence and recover steps.
  it('the network back: resume finishes every VM, nothing applied twice', () => {
    expectResumedClean(outcomes.get('drop')!);
  });

  it('a slow host: the same result, only later', () => {
    const o = outcomes.get('slow')!;
    const ref = outcomes.get('vm-faults')!;
    expect(o.run.code, o.text).toBe(0);
    journalIntact(o);
    const names = (s: LabStatus) => s.vms.map((v) => `${v.host} ${v.path} ${v.name} ${v.power} ${v.bootMarker}`).sort();
    expect(names(o.after)).toEqual(names(ref.after));
  });

  it('a command failing its first try: retried by the stage policy with a note, the VM comes back', () => {
    const o = outcomes.get('fail-register-once')!;
    expect(o.run.code, o.text).toBe(0);
    journalIntact(o);
    expect(notes(o).some((n) => /attempt 1 of 2 failed: .*Connection to hostd was lost/.test(n))).toBe(true);
    expect(appliedTwice(actionsSince(o.before, o.after))).toEqual([]);
  });

  it('an ONTAP error at the break: the run stops before anything destructive, with the device message', () => {
    const o = outcomes.get('fail-break')!;
    expect(o.run.code, o.text).toBe(1);
    expect(o.status).toBe('failed');
    journalIntact(o);
    expect(o.text).toMatch(/RPC: Couldn't make connection/);
    const acts = actionsSince(o.before, o.after).map((a) => a.action);
    for (const a of ['break', 'restore', 'register', 'unregister', 'kill', 'power-on']) expect(acts, a).not.toContain(a);
    expect(o.after.mirror.state).toBe('Snapmirrored');
  });

  it('the cluster answering again: resume breaks, restores and recovers everything once', () => {
    expectResumedClean(outcomes.get('fail-break')!);
  });

  it('a VM that cannot be fenced (its force kill fails): it fails by name with the device message, the others go on', () => {
    const o = outcomes.get('kill-fails')!;
    expect(o.run.code, o.text).toBe(1);
    expect(o.status).toBe('failed');
    journalIntact(o);
    expect(o.text).toMatch(/kill --type=force: A general system error occurred: Connection to hostd was lost/);
    expect(o.text).toMatch(/world \d+ of crm01 is still running after a force kill/);
    // Its stale copy still runs from the lost datastore, so it is not started from the mirror beside it.
    expect(o.text).toMatch(/crm01: its stale copy still runs on esx03 \(world \d+\); started from the mirror it would run twice/);
    expect(o.after.vms.filter((v) => v.name === 'crm01' && v.power === 'on')).toHaveLength(1);
    for (const name of ['vcenter01', 'web01', 'file01', 'dc01', 'app01', 'erp01']) expect(vm(o.after, name)[0]?.power, name).toBe('on');
  });

  // A fence that runs again after VMs were recovered (its step failed) must take only stale
  // processes: the recovered ones keep their uuid ("I moved it"). And a force kill the host refused
  // is sent again. (Before bba2194 and b123c94 this resume killed every recovered VM.)
  it('the host answering again: resume fences the stale VM and leaves the recovered ones running', () => {
    expectResumedClean(outcomes.get('kill-fails')!);
  });
});
