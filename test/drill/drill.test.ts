import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrillCleanupSession, runDrillSession } from '../../src/drill/session.js';
import { collectCapture } from '../../src/inventory/collect.js';
import { CaptureStore } from '../../src/inventory/store.js';
import { openDatabase } from '../../src/journal/db.js';
import { Journal } from '../../src/journal/journal.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { parseVmx } from '../../src/lab/vmfiles.js';
import { loadSite, type Site } from '../../src/runbook/site.js';
import { createSshPool } from '../../src/transport/ssh/pool.js';
import { commandContext } from '../helpers/command-context.js';

/**
 * `drbook drill` against the lab over real SSH (issue 8's "done when"): 24 VMs come up from a
 * FlexClone with their NICs disconnected, and afterwards the lab is exactly as it was — after a
 * drill, after a stopped drill, after a killed drill and `drill cleanup`, after --keep and cleanup.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const context = (cwd: string, signal?: AbortSignal) => commandContext(cwd, signal ? { signal } : {});

const digest = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex');

/** Everything a drill must leave as it found it, as the lab reports it. */
function picture(lab: Lab) {
  const s = lab.status();
  return {
    registrations: s.vms
      .map((v) => ({
        host: v.host,
        vmid: v.vmid,
        name: v.name,
        path: v.path,
        power: v.power,
        marker: v.marker,
        bootMarker: v.bootMarker,
        snapshots: v.snapshots,
        question: v.question,
        worldId: v.worldId,
      }))
      .sort((a, b) => (a.host + a.vmid).localeCompare(b.host + b.vmid)),
    mirror: s.mirror,
    volumes: s.volumes,
    lockdown: s.lockdown,
    mounts: lab.state.hosts.map((h) => ({ host: h.name, nfs: h.nfs.map((m) => `${m.name} ${m.share} ${m.readOnly}`) })),
    // The content of the production and mirror volumes, their snapshots included.
    files: lab.state.volumes.map((v) => ({
      volume: `${v.vserver}:${v.name}`,
      files: digest(v.files),
      snapshots: v.snapshots.map((x) => `${x.name}@${x.createTime}:${digest(x.files)}`),
    })),
  };
}

interface LogLine {
  host: string;
  line: string;
  commands: string[][];
}

function commandLog(lab: Lab): LogLine[] {
  return readFileSync(path.join(lab.dir, 'commands.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

async function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const drillVms = (lab: Lab) => lab.status().vms.filter((v) => v.path.startsWith('[drill_'));
const timing = { pollMs: 100, heartbeatMs: 30_000, powerOnMs: 30_000 };

// Each test runs a whole drill of 24 VMs over real SSH; on a loaded machine that takes a while.
describe('drbook drill on the lab (24 VMs, 4 hosts, two in lockdown)', { timeout: 240_000 }, () => {
  let dir: string;
  let lab: Lab;
  let site: Site;
  let dbPath: string;
  let before: ReturnType<typeof picture>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-drill-'));
    lab = await startLab({ dir: path.join(dir, 'lab'), hosts: 4, vms: 24, seed: 1, latency: 'none' });
    await lab.backup();
    site = loadSite(lab.siteFile);
    dbPath = path.join(dir, 'drbook.db');
    const db = openDatabase(dbPath);
    const pool = createSshPool([...site.endpoints.esxi, site.endpoints.ontap], { env: { HOME: dir } });
    try {
      new CaptureStore(db).save(await collectCapture({ site, pool, drbookVersion: 'test', signal: new AbortController().signal }));
    } finally {
      await pool.close();
      db.close();
    }
    before = picture(lab);
    expect(Object.values(before.lockdown)).toContain(true);
    expect(before.registrations).toHaveLength(24);
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('powers every VM on from the clone, NICs disconnected before registering, and leaves the lab exactly as before', async () => {
    const logFrom = commandLog(lab).length;
    const { ctx, out } = context(dir);
    const r = await runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', timing });
    expect(r.exitCode, out()).toBe(0);
    expect(picture(lab)).toEqual(before);

    const ds = `drill_${r.runId.replace(/-/g, '_')}`;
    const log = commandLog(lab).slice(logFrom);
    const registers = log.filter((l) => l.commands[0]?.[1] === 'solo/registervm');
    expect(registers).toHaveLength(24);
    for (const reg of registers) {
      const vmx = reg.commands[0]![2]!;
      expect(vmx.startsWith(`/vmfs/volumes/${ds}/`)).toBe(true);
      expect(reg.commands[0]![3]!.endsWith(' [drill]')).toBe(true);
      // The .vmx in the clone was rewritten with every NIC disconnected before it was registered.
      const i = log.indexOf(reg);
      const write = log.slice(0, i).find((l) => l.host === reg.host && l.commands.some((c) => c[0] === 'mv' && c[2] === vmx));
      expect(write, vmx).toBeDefined();
      const written = write!.commands[0]![2]!;
      const nics = [...written.matchAll(/^(ethernet\d+)\./gm)].map((m) => m[1]);
      expect(nics.length).toBeGreaterThan(0);
      for (const n of new Set(nics)) expect(written).toContain(`${n}.startConnected = "FALSE"`);
      expect(written).not.toMatch(/startConnected = "TRUE"/);
    }
    // Every VM powered on from the clone and answered "I copied it" (choice 2).
    const powerOns = lab.status().actions.filter((a) => a.action === 'power-on' && a.target.startsWith(`[${ds}]`));
    expect(powerOns).toHaveLength(24);
    const answers = log.filter((l) => l.commands[0]?.[1] === 'vmsvc/message' && l.commands[0]?.length === 5);
    expect(answers.length).toBe(24);
    for (const a of answers) expect(a.commands[0]![4]).toBe('2');
    // Nothing was ever sent that breaks, quiesces, restores or resyncs.
    const ontap = log.filter((l) => l.host === 'cluster1').map((l) => l.line);
    for (const bad of ['snapmirror quiesce', 'snapmirror break', 'snapmirror resync', 'snapshot restore', 'snapmirror update']) {
      expect(
        ontap.some((l) => l.includes(bad)),
        bad,
      ).toBe(false);
    }

    // Boot order, as in the failover: a priority group powers on only when every earlier group is
    // up (its heartbeat seen); in journal order, so it holds however fast the lab answers.
    const journal = Journal.open(dbPath);
    try {
      const events = journal.runEvents(r.runId);
      const targets = events.flatMap((e) => (e.type === 'step.targets' && e.stepId === 'recover' ? e.targets : []));
      const indexOf = (id: string, stage: string, state: string): number =>
        events.findIndex(
          (e) => e.type === 'target.state' && e.stepId === 'recover' && e.targetId === id && e.stage === stage && e.state === state,
        );
      const groups = [...new Set(targets.map((t) => t.group ?? Infinity))].sort((a, b) => a - b);
      expect(groups.length).toBeGreaterThan(1);
      for (const [k, group] of groups.entries()) {
        if (k === 0) continue;
        const earlierUp = Math.max(...targets.filter((t) => (t.group ?? Infinity) < group).map((t) => indexOf(t.id, 'heartbeat', 'done')));
        const firstPowerOn = Math.min(
          ...targets.filter((t) => (t.group ?? Infinity) === group).map((t) => indexOf(t.id, 'power-on', 'running')),
        );
        expect(earlierUp).toBeGreaterThan(0);
        expect(firstPowerOn, `group ${group} powered on before every earlier group was up`).toBeGreaterThan(earlierUp);
      }
    } finally {
      journal.close();
    }

    // The report: 0600, every VM booted with a heartbeat, the recovery time measured.
    const json = r.reportFiles.find((f) => f.endsWith('.json'))!;
    expect(statSync(json).mode & 0o777).toBe(0o600);
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(rep.drill.counts).toMatchObject({ total: 24, booted: 24, heartbeat: 24, failed: 0 });
    expect(rep.drill.counts.quiesced + rep.drill.counts.crashConsistent).toBe(24);
    expect(rep.drill.recoveryMs).toBeGreaterThan(0);
    expect(rep.drill.production).toBe('untouched');
    expect(rep.drill.cleanedUp).toBe(true);
    const md = readFileSync(
      r.reportFiles.find((f) => f.endsWith('.md'))!,
      'utf8',
    );
    expect(md).toContain('Recovery time (first register → last heartbeat)');
    expect(md).toContain('## Trend');
  });

  it('--keep leaves the drill in place with NICs disconnected and new identities; drill cleanup removes it all', async () => {
    const { ctx, out } = context(dir);
    const r = await runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', keep: true, timing });
    expect(r.exitCode, out()).toBe(0);
    const ds = `drill_${r.runId.replace(/-/g, '_')}`;
    const clone = lab.state.volumes.find((v) => v.name === ds)!;
    expect(clone.cloneOf).toEqual({ volume: 'vm_vol1_mirror', snapshot: 'smvi__job1_recent' });
    const running = drillVms(lab);
    expect(running).toHaveLength(24);
    expect(running.every((v) => v.power === 'on' && v.name.endsWith(' [drill]'))).toBe(true);
    const production = lab.state.volumes.find((v) => v.name === 'vm_vol1')!;
    for (const [rel, text] of Object.entries(clone.files).filter(([k]) => k.endsWith('.vmx'))) {
      const vmx = parseVmx(text);
      for (const [k, v] of vmx) if (/^ethernet\d+\.startconnected$/.test(k)) expect(v, rel).toBe('FALSE');
      // "I copied it": a new BIOS uuid, so the drill copy never poses as the production VM.
      expect(vmx.get('uuid.bios')).not.toBe(parseVmx(production.files[rel]!).get('uuid.bios'));
    }
    // The trend lists the site's earlier drills, from the journal.
    const rep = JSON.parse(
      readFileSync(
        r.reportFiles.find((f) => f.endsWith('.json'))!,
        'utf8',
      ),
    );
    const j = Journal.open(dbPath);
    const earlier = j
      .listRuns({ site: 'lab' })
      .filter((x) => x.runbook === 'drbook-drill' && x.id !== r.runId)
      .map((x) => x.id);
    j.close();
    expect(rep.drill.trend.map((t: { runId: string }) => t.runId)).toEqual(earlier.slice(0, 10));
    expect(rep.drill.cleanedUp).toBe(false);

    // A next drill refuses while this one's VMs hold the drill names, and touches none of them.
    const kept = drillVms(lab);
    const next = context(dir);
    const refused = await runDrillSession({ ctx: next.ctx, site, dbPath, renderer: 'plain', lang: 'en', timing });
    expect(refused.exitCode, next.out()).toBe(1);
    expect(next.out()).toContain(`run drbook drill cleanup ${r.runId} first`);
    expect(next.out()).toContain('the drill left nothing behind');
    expect(drillVms(lab)).toEqual(kept);

    const c = context(dir);
    const cleaned = await runDrillCleanupSession({ ctx: c.ctx, site, dbPath, renderer: 'plain', lang: 'en' });
    expect(cleaned.exitCode, c.out()).toBe(0);
    expect(cleaned.drillRunId).toBe(r.runId);
    expect(picture(lab)).toEqual(before);
  });

  it('--host runs every VM on the named hosts; hosts it only looked at are left alone', async () => {
    const logFrom = commandLog(lab).length;
    const { ctx, out } = context(dir);
    const unlocked = Object.entries(before.lockdown)
      .filter(([, l]) => !l)
      .map(([h]) => h);
    const locked = Object.entries(before.lockdown)
      .filter(([, l]) => l)
      .map(([h]) => h);
    const r = await runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', hosts: unlocked, timing });
    expect(r.exitCode, out()).toBe(0);
    expect(picture(lab)).toEqual(before);
    const log = commandLog(lab).slice(logFrom);
    const registers = log.filter((l) => l.commands[0]?.[1] === 'solo/registervm');
    expect(registers).toHaveLength(24);
    expect(new Set(registers.map((l) => l.host))).toEqual(new Set(unlocked));
    // The hosts in lockdown were only observed: never opened, never changed.
    for (const h of locked)
      expect(
        log
          .filter((l) => l.host === h)
          .map((l) => l.line)
          .filter((l) => !l.includes('lockdown_is_enabled')),
      ).toEqual([]);
  });

  it('a drill stopped halfway cleans up after itself (its always steps)', async () => {
    const stop = new AbortController();
    const { ctx, out } = context(dir, stop.signal);
    const running = runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', timing });
    await until(() => drillVms(lab).some((v) => v.power === 'on'), 'a drill VM powered on');
    stop.abort(new Error('SIGINT'));
    const r = await running;
    expect(r.outcome, out()).toBe('stopped');
    expect(r.exitCode).toBe(4);
    expect(picture(lab)).toEqual(before);
  });

  it('a second drill while one holds the site lock is refused, naming it', async () => {
    const { ctx } = context(dir);
    const first = runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', timing });
    await until(() => drillVms(lab).length > 0, 'the first drill registering');
    const j = Journal.open(dbPath);
    const holder = j.lockHolder('lab');
    j.close();
    expect(holder?.kind).toBe('drill');
    const second = context(dir);
    await expect(runDrillSession({ ctx: second.ctx, site, dbPath, renderer: 'plain', lang: 'en', timing })).rejects.toThrow(
      new RegExp(`site lab is held by drill run ${holder!.runId}`),
    );
    expect((await first).exitCode).toBe(0);
    expect(picture(lab)).toEqual(before);
  });

  it('a drill killed halfway (SIGKILL) leaves things behind; drbook drill cleanup removes exactly them, twice over', async () => {
    const env = { ...process.env, HOME: dir, DRBOOK_DB: dbPath, NO_COLOR: '1' };
    const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'drill', '--site', lab.siteFile, '--plain'], {
      env,
      cwd: dir,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await until(() => drillVms(lab).filter((v) => v.power === 'on').length >= 3, 'three drill VMs running');
    child.kill('SIGKILL');
    await exited;
    // Left behind: drill VMs, the clone, its mounts; hosts out of lockdown.
    expect(drillVms(lab).length).toBeGreaterThan(0);
    expect(lab.state.volumes.some((v) => v.name.startsWith('drill_'))).toBe(true);
    expect(picture(lab)).not.toEqual(before);

    // The CLI, as an operator would run it.
    const cleanup = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(
          process.execPath,
          [path.join(root, 'dist/cli.js'), 'drill', 'cleanup', ...args, '--site', lab.siteFile, '--plain'],
          { env, cwd: dir },
        );
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.stderr.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', (code) => resolve({ code, out }));
      });
    const first = await cleanup([]);
    expect(first.code, first.out).toBe(0);
    expect(picture(lab)).toEqual(before);
    const runId = /drill (\d{8}-\d{4}-[0-9a-f]{4}): clone/.exec(first.out)?.[1];
    expect(runId, first.out).toBeDefined();
    // Idempotent: again, by name, finds nothing left and changes nothing.
    const again = await cleanup([runId!]);
    expect(again.code, again.out).toBe(0);
    expect(picture(lab)).toEqual(before);
    // And without a name there is nothing left to clean.
    const none = await cleanup([]);
    expect(none.code).toBe(2);
    expect(none.out).toContain('left anything behind');
  });
});

describe('drbook drill with hostile VM names', { timeout: 240_000 }, () => {
  let dir: string;
  let lab: Lab;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-drill-hostile-'));
    lab = await startLab({ dir: path.join(dir, 'lab'), hosts: 3, vms: 24, seed: 7, latency: 'none', names: 'hostile' });
    await lab.backup();
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers every VM under its recorded name byte for byte plus the suffix, and leaves the lab as before', async () => {
    const site = loadSite(lab.siteFile);
    const dbPath = path.join(dir, 'drbook.db');
    const db = openDatabase(dbPath);
    const pool = createSshPool([...site.endpoints.esxi, site.endpoints.ontap], { env: { HOME: dir } });
    try {
      new CaptureStore(db).save(await collectCapture({ site, pool, drbookVersion: 'test', signal: new AbortController().signal }));
    } finally {
      await pool.close();
      db.close();
    }
    const before = picture(lab);
    const logFrom = commandLog(lab).length;
    const { ctx, out } = context(dir);
    const r = await runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', keep: true, timing });
    expect(r.exitCode, out()).toBe(0);
    const names = drillVms(lab)
      .map((v) => v.name)
      .sort();
    expect(names).toEqual(before.registrations.map((v) => `${v.name.trimEnd()} [drill]`).sort());
    expect(names).toContain('$(reboot) [drill]');
    expect(
      commandLog(lab)
        .slice(logFrom)
        .filter((l) => l.commands[0]?.[1] === 'solo/registervm'),
    ).toHaveLength(24);
    const c = context(dir);
    expect((await runDrillCleanupSession({ ctx: c.ctx, site, dbPath, renderer: 'plain', lang: 'en' })).exitCode, c.out()).toBe(0);
    expect(picture(lab)).toEqual(before);
  });
});

describe('drbook drill on a lab with faults', { timeout: 240_000 }, () => {
  let dir: string;
  let lab: Lab;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-drill-faults-'));
    lab = await startLab({
      dir: path.join(dir, 'lab'),
      hosts: 3,
      vms: 12,
      seed: 3,
      latency: 'none',
      faults: {
        vms: { web01: { snapshotFails: true }, app01: { poweredOffAtBackup: true } },
        // One transient hostd failure on a registration: the stage's retry takes it.
        hosts: { esx02: { failFirst: { match: 'solo/registervm', times: 1 } } },
      },
    });
    await lab.backup();
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports crash-consistent and powered-off VMs as they are, retries a transient failure, and leaves the lab as before', async () => {
    const site = loadSite(lab.siteFile);
    const dbPath = path.join(dir, 'drbook.db');
    const db = openDatabase(dbPath);
    const pool = createSshPool([...site.endpoints.esxi, site.endpoints.ontap], { env: { HOME: dir } });
    try {
      new CaptureStore(db).save(await collectCapture({ site, pool, drbookVersion: 'test', signal: new AbortController().signal }));
    } finally {
      await pool.close();
      db.close();
    }
    const before = picture(lab);
    const { ctx, out } = context(dir);
    const r = await runDrillSession({ ctx, site, dbPath, renderer: 'plain', lang: 'en', timing });
    expect(r.exitCode, out()).toBe(0);
    expect(out()).toMatch(/attempt 1 of 2 failed: esx02: vim-cmd solo\/registervm .*Connection to hostd was lost/);
    expect(picture(lab)).toEqual(before);
    const rep = JSON.parse(
      readFileSync(
        r.reportFiles.find((f) => f.endsWith('.json'))!,
        'utf8',
      ),
    );
    const vm = (name: string) => rep.drill.vms.find((v: { name: string }) => v.name === name);
    expect(vm('web01')).toMatchObject({ booted: true, heartbeat: true, consistency: 'crash-consistent' });
    expect(vm('app01')).toMatchObject({ registered: true, booted: false, heartbeat: false });
    expect(vm('db01')).toMatchObject({ booted: true, heartbeat: true, consistency: 'quiesced' });
    expect(rep.drill.counts).toMatchObject({ total: 12, booted: 11, failed: 0 });
  });
});
