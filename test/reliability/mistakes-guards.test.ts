/**
 * Issue 15: the action-level guards on their own. In every case the session-level refusal passes
 * (the site is not failed over when the run starts) and something changes on the devices in the
 * middle of the run, as a second operator or a second machine would do it; the step's own read
 * right before its destructive command must then refuse. Each case asserts on the lab's `actions`
 * (nothing destructive sent) and on the journal and the exit code.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.js';
import { loadSqlite } from '../../src/journal/sqlite.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  actionsSince,
  cloneTemplate,
  patchSite,
  prepareTemplate,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';

const CONFIRM = ['--plain', '--confirm', MIRROR_PATH, '--ack-manual', '--crash-consistent', 'power-on', '--on-vm-failure', 'skip'];
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
const Database = loadSqlite();

let root: string;
let template: Template;

beforeAll(async () => {
  root = tempDir('drbook-guards-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 6, seed: 7 });
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { env: cliEnv(), timeoutMs: 180_000 });

type LabStatus = ReturnType<Lab['status']>;

/**
 * One failover on a copy of the template while a second operator acts at a host (the lab's
 * `interpose` faults): the lab before and after it, the journal, the CLI's result.
 */
async function failoverWithOperator(
  dir: string,
  faults: NonNullable<Parameters<typeof startCase>[1]>['faults'],
  check: (c: { before: LabStatus; after: LabStatus; db: string; r: Awaited<ReturnType<typeof cli>> }) => void,
): Promise<void> {
  const lab = await startCase(dir, { faults });
  try {
    const before = lab.status();
    const db = path.join(dir, 'drbook.db');
    const r = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
    check({ before, after: lab.status(), db, r });
  } finally {
    await lab.stop();
  }
}

function runStatus(db: string): { status: string; errors: string[] } {
  const d = new Database(db, { readonly: true });
  try {
    const run = d.prepare('SELECT id, status FROM runs ORDER BY created_at DESC LIMIT 1').get() as { id: string; status: string };
    // What went wrong as the journal keeps it: a failed target's error, the run's, the notes.
    const errors = (
      d
        .prepare("SELECT payload FROM events WHERE run_id = ? AND type IN ('target.state', 'run.finished', 'note') ORDER BY seq")
        .all(run.id) as { payload: string }[]
    )
      .map((e) => JSON.parse(e.payload) as { error?: string; text?: string })
      .map((e) => e.error ?? e.text)
      .filter((e): e is string => typeof e === 'string');
    return { status: run.status, errors };
  } finally {
    d.close();
  }
}

/**
 * A callout (a local command the site file runs at a named point) that acts as a second operator:
 * it runs these shell lines on one lab host over SSH, with the lab's key, through ssh2.
 */
function operatorCallout(lab: Lab, dir: string, host: string, lines: string[]): Record<string, unknown> {
  const status = lab.status();
  const h = status.hosts.find((x) => x.name === host)!;
  const script = path.join(dir, 'second-operator.mjs');
  writeFileSync(
    script,
    `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(${JSON.stringify(PACKAGE_JSON)});
const { Client } = require('ssh2');
const lines = ${JSON.stringify(lines)};
const c = new Client();
c.on('ready', async () => {
  for (const line of lines) {
    const code = await new Promise((resolve, reject) => c.exec(line, (err, ch) => {
      if (err) return reject(err);
      ch.on('data', (d) => process.stdout.write(d)).stderr.on('data', (d) => process.stderr.write(d));
      ch.on('exit', (code) => resolve(code)).on('close', () => resolve(0));
    }));
    if (code !== 0) { console.error('failed: ' + line); process.exit(1); }
  }
  c.end();
}).connect({ host: '127.0.0.1', port: ${h.port}, username: 'root', privateKey: readFileSync(${JSON.stringify(status.keyFile)}) });
`,
  );
  return { name: 'second-operator', at: 'before-break', run: [process.execPath, script] };
}

describe('action-level guards refuse on their own', () => {
  it('SnapRestore: a VM registered from the mirror after the preflight — the restore is never sent; run failed, exit 1, the journal says why', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'restore-guard'));
    const lab = await startCase(dir);
    try {
      const status = lab.status();
      // A VM of esx02 (not in lockdown), registered from the mirror by someone else.
      const vm = status.vms.find((v) => v.host === 'esx02' && v.datastore === 'ds_vm1')!;
      const rel = vm.path.replace(/^\[[^\]]*\]\s*/, '');
      const { nfsHost, share } = { nfsHost: '127.0.0.1', share: '/vm_vol1_mirror' };
      const callout = operatorCallout(lab, dir, 'esx02', [
        `esxcli storage nfs add -H ${nfsHost} -s ${share} -v ds_vm1_mirror`,
        `vim-cmd solo/registervm /vmfs/volumes/ds_vm1_mirror/${rel} intruder`,
      ]);
      patchSite(lab.siteFile, (s) => {
        s['callouts'] = [callout];
      });
      const before = lab.status();
      const db = path.join(dir, 'drbook.db');
      const r = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const acts = actionsSince(before, lab.status());
      // The second operator's registration happened, the run's break too; no restore, nothing after it.
      expect(acts.filter((a) => a.action === 'register').map((a) => a.host)).toEqual(['esx02']);
      expect(acts.map((a) => a.action)).toContain('break');
      for (const a of ['restore', 'kill', 'unregister', 'revert', 'power-on'])
        expect(
          acts.map((x) => x.action),
          a,
        ).not.toContain(a);
      expect(r.stdout).toMatch(/intruder \(esx02\)/);
      const j = runStatus(db);
      expect(j.status).toBe('failed');
      expect(
        j.errors.some((e) =>
          /SnapRestore of svm2:vm_vol1_mirror refused: 1 VM\(s\) are registered from its datastore ds_vm1_mirror .*intruder \(esx02\)/.test(
            e,
          ),
        ),
        j.errors.join('\n'),
      ).toBe(true);
    } finally {
      await lab.stop();
    }
  }, 240_000);

  it("Revert: a VM powered on by someone between the revert's check and its send — the revert is never sent, the journal says why; running, it counts as recovered", async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'revert-guard'));
    // Right before drbook's first snapshot read of a VM it registered on esx02 (its revert's check
    // has seen it off), a second operator powers it on and answers "I moved it". vCenter's own
    // question (answered by drbook) came first: this one is the lab's second.
    const faults = {
      vms: {},
      hosts: {
        esx02: {
          interpose: { match: 'vmsvc/snapshot\\.get (\\d+)', run: ['vim-cmd vmsvc/power.on $1', 'vim-cmd vmsvc/message $1 _vmx2 1'] },
        },
      },
    };
    await failoverWithOperator(dir, faults, ({ before, after, db, r }) => {
      // The retry's check finds it running from the mirror: recovered, not reverted (exit 0).
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const acts = actionsSince(before, after);
      const reverted = new Set(acts.filter((a) => a.action === 'revert').map((a) => a.target));
      const onMirror = after.vms.filter((v) => v.datastore === 'ds_vm1_mirror' && v.name !== 'vcenter01');
      const notReverted = onMirror.filter((v) => !reverted.has(v.path));
      // Exactly the VM the second operator started: running, never reverted, powered on once (by them).
      expect(notReverted.map((v) => [v.host, v.power])).toEqual([['esx02', 'on']]);
      const vm = notReverted[0]!;
      expect(acts.filter((a) => a.target === vm.path && a.action === 'power-on').map((a) => a.count)).toEqual([1]);
      expect(onMirror.filter((v) => v !== vm).every((v) => v.power === 'on')).toBe(true);
      for (const a of acts) expect(a.count, `${a.action} ${a.target}`).toBe(1);
      const j = runStatus(db);
      expect(j.status).toBe('done');
      expect(
        j.errors.some((e) => e.includes(`revert of ${vm.name} refused: it is powered on`)),
        j.errors.join('\n'),
      ).toBe(true);
    });
  }, 240_000);

  it("Register: a VM's .vmx taken off the mirror between the register's check and its send — nothing is registered from it, the journal says why; the other VMs are recovered", async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'register-guard'));
    // A VM of esx01 that is not vCenter, with a path the match can name. Right before the host runs
    // the `test -e` of its register's line, a second operator moves its .vmx away.
    const victim = template.before.vms.find(
      (v) => v.host === 'esx01' && v.stale && v.name !== template.before.vcenter && /^\[[^\]]+\] [\w./-]+$/.test(v.path),
    )!;
    const rel = victim.path.replace(/^\[[^\]]+\] /, '');
    const vmx = `/vmfs/volumes/ds_vm1_mirror/${rel}`;
    const faults = {
      vms: {},
      hosts: { esx01: { interpose: { match: `^test -e (${vmx.replace(/[.]/g, '\\.')})$`, run: ['mv $1 $1.away'] } } },
    };
    await failoverWithOperator(dir, faults, ({ before, after, db, r }) => {
      // Nothing was registered from its path; every other VM of the volume runs from the mirror.
      expect(after.vms.filter((v) => v.datastore === 'ds_vm1_mirror' && v.path.endsWith(` ${rel}`))).toEqual([]);
      expect(actionsSince(before, after).filter((a) => a.action === 'register' && a.target.includes(rel))).toEqual([]);
      const recovered = after.vms.filter((v) => v.datastore === 'ds_vm1_mirror' && v.name !== before.vcenter);
      expect(recovered.map((v) => v.name).sort()).toEqual(
        before.vms
          .filter((v) => v.stale && v.name !== before.vcenter && v.name !== victim.name)
          .map((v) => v.name)
          .sort(),
      );
      expect(recovered.every((v) => v.power === 'on' || before.vms.find((b) => b.name === v.name)?.power === 'off')).toBe(true);
      const j = runStatus(db);
      expect(
        j.errors.some((e) => e.includes(`${vmx} is not on the mirror`)),
        j.errors.join('\n'),
      ).toBe(true);
      // The one VM failed and was skipped (--on-vm-failure skip): the run says so in its exit code.
      expect(r.code, r.stdout + r.stderr).not.toBe(0);
    });
  }, 240_000);

  it("Kill: a stale VM's world ends between the fence's listing and its kill — no kill is sent to it, the journal says why; the run ends done, exit 0", async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'kill-guard'));
    // esx01 is in lockdown until drbook exits it, so the fence's listing is its first process list;
    // the second is the first kill guard's own read. Right before it, a second operator force-kills
    // one stale world (the host's other lines wait for them).
    const victim = template.before.vms.find((v) => v.host === 'esx01' && v.stale && v.worldId !== null)!;
    const world = victim.worldId!;
    const faults = {
      vms: {},
      hosts: {
        esx01: {
          interpose: { match: '^esxcli vm process list$', skip: 1, run: [`esxcli vm process kill --type=force --world-id=${world}`] },
        },
      },
    };
    const lab = await startCase(dir, { faults });
    try {
      const before = lab.status();
      expect(before.hosts.find((h) => h.name === 'esx01')?.lockdown).toBe(true);
      const others = before.vms
        .filter((v) => v.host === 'esx01' && v.stale && v.worldId !== null && v.worldId !== world)
        .map((v) => v.worldId!);
      expect(others.length).toBeGreaterThan(0);
      const db = path.join(dir, 'drbook.db');
      const r = await cli(['failover', '--site', lab.siteFile, '--db', db, ...CONFIRM]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const after = lab.status();
      const kills = actionsSince(before, after).filter((a) => a.action === 'kill');
      // The victim's only kill is the second operator's force; drbook always starts with soft.
      expect(kills.filter((a) => a.target.startsWith(`${world}/`)).map((a) => [a.target, a.count])).toEqual([[`${world}/force`, 1]]);
      // The host's other stale worlds were still killed by drbook, once each.
      for (const w of others)
        expect(
          kills.filter((a) => a.target === `${w}/soft`).map((a) => a.count),
          String(w),
        ).toEqual([1]);
      const d = new Database(db, { readonly: true });
      try {
        const sent = (d.prepare("SELECT payload FROM events WHERE type = 'command.started'").all() as { payload: string }[])
          .map((e) => JSON.parse(e.payload) as { intent?: { op?: string; worldId?: number } })
          .filter((e) => e.intent?.op === 'kill');
        expect(sent.filter((e) => e.intent!.worldId === world)).toEqual([]);
        for (const w of others) expect(sent.filter((e) => e.intent!.worldId === w).length, String(w)).toBe(1);
      } finally {
        d.close();
      }
      // The VM itself is recovered from the mirror like the others; the stale registration is gone.
      expect(after.vms.filter((v) => v.name === victim.name).map((v) => [v.datastore, v.power])).toEqual([['ds_vm1_mirror', 'on']]);
      const j = runStatus(db);
      expect(j.status).toBe('done');
      expect(
        j.errors.some(
          (e) => e === `kill --type=soft of world ${world} (${victim.name}) not sent: the world was gone when read right before the kill`,
        ),
        j.errors.join('\n'),
      ).toBe(true);
    } finally {
      await lab.stop();
    }
  }, 240_000);
  it("Unregister: a stale VM unregistered by someone between the fence's listing and drbook's unregister — the host refuses drbook's, the note says why; the run ends done, exit 0", async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'unregister-guard'));
    // Right before the host runs drbook's unregister of one stale VM, a second operator unregisters it.
    const victim = template.before.vms.find((v) => v.host === 'esx01' && v.stale && v.name !== template.before.vcenter)!;
    const faults = {
      vms: {},
      hosts: { esx01: { interpose: { match: `^vim-cmd vmsvc/unregister (${victim.vmid})$`, run: ['vim-cmd vmsvc/unregister $1'] } } },
    };
    await failoverWithOperator(dir, faults, ({ before, after, db, r }) => {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // Unregistered once, by the second operator: the host did not know the vmid when drbook's came.
      const unregisters = actionsSince(before, after).filter((a) => a.action === 'unregister' && a.host === 'esx01');
      expect(unregisters.filter((a) => a.target === victim.path).map((a) => a.count)).toEqual([1]);
      const d = new Database(db, { readonly: true });
      try {
        const finished = new Map(
          (d.prepare("SELECT payload FROM events WHERE type = 'command.finished'").all() as { payload: string }[])
            .map((e) => JSON.parse(e.payload) as { id: string; stdoutTail: string; stderrTail: string })
            .map((e) => [e.id, `${e.stdoutTail}${e.stderrTail}`]),
        );
        const sent = (d.prepare("SELECT payload FROM events WHERE type = 'command.started'").all() as { payload: string }[])
          .map((e) => JSON.parse(e.payload) as { id: string; host: string; intent?: { op?: string; vmid?: number } })
          .filter((e) => e.host === 'esx01' && e.intent?.op === 'unregister' && e.intent.vmid === victim.vmid);
        // Sent once, and the journal keeps the host's refusal.
        expect(sent.map((e) => finished.get(e.id))).toEqual([
          expect.stringContaining(`Unable to find a VM corresponding to "${victim.vmid}"`),
        ]);
      } finally {
        d.close();
      }
      // The VM is recovered from the mirror like the others.
      expect(after.vms.filter((v) => v.name === victim.name).map((v) => v.datastore)).toEqual(['ds_vm1_mirror']);
      const j = runStatus(db);
      expect(j.status).toBe('done');
      expect(
        j.errors.some(
          (e) =>
            e ===
            `vmid ${victim.vmid} (${victim.name}) not unregistered: the host no longer knew it (someone unregistered it after the fence listed it)`,
        ),
        j.errors.join('\n'),
      ).toBe(true);
    });
  }, 240_000);
  it('Kill: the operator stops the run while a stuck world is given its time after the soft kill — nothing harder is sent; resume escalates once', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'kill-stop'));
    const victim = template.before.vms.find((v) => v.host === 'esx01' && v.stale && v.worldId !== null)!;
    const world = victim.worldId!;
    // Its stale registration ignores a soft kill (the lab keeps that on the registration, not as a fault).
    const stateFile = path.join(dir, 'state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      hosts: { name: string; registrations: { name: string; stuck: string | null }[] }[];
    };
    const reg = state.hosts.find((h) => h.name === 'esx01')!.registrations.find((r) => r.name === victim.name)!;
    reg.stuck = 'soft';
    writeFileSync(stateFile, JSON.stringify(state));
    const lab = await startCase(dir, {}, (site) => {
      // Long enough that only the stop can end the wait after the soft kill.
      site['timeouts'] = { connectSeconds: 10, commandSeconds: 60, killVerifySeconds: 120, heartbeatSeconds: 60 };
    });
    try {
      const before = lab.status();
      const db = path.join(dir, 'drbook.db');
      const soft = new Set<string>();
      let stopped = false;
      const first = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--json', ...CONFIRM.filter((a) => a !== '--plain')], {
        env: cliEnv(),
        timeoutMs: 180_000,
        onLine: (line, child) => {
          const e = JSON.parse(line) as { type?: string; id?: string; intent?: { op?: string; worldId?: number; type?: string } };
          if (e.type === 'command.started' && e.intent?.op === 'kill' && e.intent.worldId === world) soft.add(e.id!);
          // The host answered the soft kill: drbook is now waiting for the world to end.
          if (!stopped && e.type === 'command.finished' && soft.has(e.id!)) {
            stopped = true;
            child.kill('SIGINT');
          }
        },
      });
      expect(stopped, first.stderr).toBe(true);
      expect(first.code, first.stderr).toBe(4);
      const kills = (from: typeof before) =>
        actionsSince(from, lab.status())
          .filter((a) => a.action === 'kill' && a.target.startsWith(`${world}/`))
          .map((a) => [a.target, a.count]);
      expect(kills(before)).toEqual([[`${world}/soft`, 1]]);
      expect(runStatus(db).errors).toContain(
        `stopped while world ${world} of ${victim.name} was given its time after kill --type=soft: nothing harder was sent`,
      );
      patchSite(lab.siteFile, (site) => {
        site['timeouts'] = { connectSeconds: 10, commandSeconds: 60, killVerifySeconds: 1, heartbeatSeconds: 60 };
      });
      const again = await cli(['resume', '--db', db, ...CONFIRM]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      // The soft kill is not sent again; the world, still running, gets the hard kill once.
      expect(kills(before)).toEqual([
        [`${world}/soft`, 1],
        [`${world}/hard`, 1],
      ]);
    } finally {
      await lab.stop();
    }
  }, 240_000);
});
