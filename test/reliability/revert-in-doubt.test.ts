/**
 * Issue 15, "nothing done twice": a revert drbook sent and never heard back from is decided on the
 * host by its task list (src/failover/revert-in-doubt.ts). drbook is SIGKILLed at a moment the
 * test waits for on the lab (the revert task running, or finished with its answer lost), then
 * resumed; the lab counts the reverts it ran. Only a host that cannot list its tasks gets the
 * revert once more (documented exception), never a third time.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabStatus } from '../../src/lab/lab.js';
import type { LabFaults } from '../../src/lab/faults.js';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  actionsSince,
  appliedTwice,
  cloneTemplate,
  outcomeOf,
  prepareTemplate,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';

const FLAGS = ['--json', '--confirm', MIRROR_PATH, '--ack-manual', '--crash-consistent', 'power-on'];
const Database = loadSqlite();

let root: string;
let template: Template;
/** A VM with a quiesce point: its failover reverts it. */
let vm: { name: string; rel: string };
let reference: LabStatus;

beforeAll(async () => {
  root = tempDir('drbook-revert-doubt-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 4, seed: 11 });
  const v = template.before.vms.find((x) => template.quiesced[x.name] != null)!;
  vm = { name: v.name, rel: v.path.replace(/^\[[^\]]+\] /, '') };
  const lab = await startCase(cloneTemplate(template.dir, path.join(root, 'reference')));
  try {
    const r = await runCli(['failover', '--site', lab.siteFile, '--db', path.join(lab.dir, 'drbook.db'), ...FLAGS], {
      env: cliEnv(),
      timeoutMs: 180_000,
    });
    if (r.code !== 0) throw new Error(`reference failover: exit ${r.code}: ${r.stderr}`);
    reference = lab.status();
  } finally {
    await lab.stop();
  }
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function notes(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare("SELECT payload FROM events WHERE type = 'note' ORDER BY seq").all() as { payload: string }[]).map(
      (e) => (JSON.parse(e.payload) as { text: string }).text,
    );
  } finally {
    d.close();
  }
}

const mirrorTasks = (lab: Lab) => lab.status().vms.find((v) => v.name === vm.name && !v.stale)?.tasks ?? [];
const revertsOf = (lab: Lab, before: LabStatus) =>
  actionsSince(before, lab.status()).filter((a) => a.action === 'revert' && a.target.endsWith(` ${vm.rel}`));

const revertTask = (state: 'running' | 'success') => (l: Lab) =>
  mirrorTasks(l).some((t) => t.name === 'vim.vm.Snapshot.revert' && t.state === state);

/** Resolves once `cond` holds (polled: a condition, not a sleep). */
function until(cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => (cond() ? resolve() : void setTimeout(poll, 10));
    poll();
  });
}

/**
 * Fail over; once drbook announced the revert of `vm` and its task runs on the host, SIGKILL
 * drbook (the revert is in flight: sent, unanswered); wait for `beforeResume` on the lab, resume.
 */
async function killDuringRevert(name: string, faults: LabFaults, beforeResume: (lab: Lab) => boolean) {
  const dir = cloneTemplate(template.dir, path.join(root, name));
  const db = path.join(dir, 'drbook.db');
  const lab = await startCase(dir, { faults });
  const before = lab.status();
  let killed = false;
  const first = await runCli(['failover', '--site', lab.siteFile, '--db', db, ...FLAGS], {
    env: cliEnv(),
    timeoutMs: 180_000,
    onLine: (line, child) => {
      if (killed) return;
      let e: { type?: string; command?: string; targetId?: string } = {};
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        return;
      }
      if (e.type !== 'command.started' || !/snapshot\.revert/.test(e.command ?? '') || e.targetId !== `vm:${vm.rel}`) return;
      killed = true;
      void until(() => revertTask('running')(lab)).then(() => child.kill('SIGKILL'));
    },
  });
  expect(first.signal, first.stderr).toBe('SIGKILL');
  await until(() => beforeResume(lab));
  const resumed = await runCli(['resume', '--db', db, ...FLAGS], { env: cliEnv(), timeoutMs: 180_000 });
  expect(resumed.code, resumed.stderr).toBe(0);
  return { lab, before, db };
}

describe('a revert sent without an answer is decided by the host', () => {
  it('answer lost after the host ran it: the task list shows it succeeded, it is not sent again', async () => {
    const faults: LabFaults = { vms: { [vm.name]: { revertMs: 1500 } }, hosts: {} };
    const { lab, before, db } = await killDuringRevert('ran', faults, revertTask('success'));
    try {
      expect(revertsOf(lab, before).map((a) => a.count)).toEqual([1]);
      expect(appliedTwice(actionsSince(before, lab.status()))).toEqual([]);
      expect(notes(db).some((n) => n.startsWith(`${vm.name}: the revert sent earlier without a clear answer ran on `))).toBe(true);
      expect(outcomeOf(lab.status())).toEqual(outcomeOf(reference));
    } finally {
      await lab.stop();
    }
  }, 300_000);

  it('still running on the host when drbook died: the resume waits for its task and takes its result', async () => {
    // Long enough that the resume reaches the revert before the host finishes it.
    const faults: LabFaults = { vms: { [vm.name]: { revertMs: 30_000 } }, hosts: {} };
    const { lab, before, db } = await killDuringRevert('running', faults, revertTask('running'));
    try {
      expect(revertsOf(lab, before).map((a) => a.count)).toEqual([1]);
      const said = notes(db);
      expect(said.some((n) => n.startsWith(`${vm.name}: the revert sent earlier without a clear answer still runs on `))).toBe(true);
      expect(said.some((n) => n.startsWith(`${vm.name}: the revert sent earlier without a clear answer ran on `))).toBe(true);
      expect(outcomeOf(lab.status())).toEqual(outcomeOf(reference));
    } finally {
      await lab.stop();
    }
  }, 300_000);

  it('a host that cannot list its tasks: the revert is sent once more (the documented exception), and the run ends right', async () => {
    const faults: LabFaults = {
      vms: { [vm.name]: { revertMs: 1500 } },
      hosts: Object.fromEntries(template.before.hosts.map((h) => [h.name, { failFirst: { match: 'vmsvc/get.tasklist', times: 1000 } }])),
    };
    const { lab, before, db } = await killDuringRevert('cannot-tell', faults, revertTask('success'));
    try {
      expect(revertsOf(lab, before).map((a) => a.count)).toEqual([2]);
      expect(notes(db).some((n) => n.startsWith(`${vm.name}: `) && n.includes('cannot list its recent tasks'))).toBe(true);
      expect(outcomeOf(lab.status())).toEqual(outcomeOf(reference));
    } finally {
      await lab.stop();
    }
  }, 300_000);
});
