/**
 * Labs for end-to-end tests of drbook: one prepared "after the disaster" state (backup taken,
 * capture in the database, primary volume lost) saved as a template directory, then copied for
 * each case so that every case starts from exactly the same site. The lab runs in the test
 * process (startLab); drbook runs as a real child process against it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startLab, type Lab, type LabStartOptions, type LabStatus } from '../../src/lab/lab.js';
import { cliEnv, runCli } from './drbook-cli.js';

export const MIRROR_PATH = 'svm2:vm_vol1_mirror';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Edit a site file in place (YAML in, YAML out). */
export function patchSite(file: string, edit: (site: Record<string, unknown>) => void): void {
  const site = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(site);
  writeFileSync(file, stringify(site));
}

/** Short kill and heartbeat timeouts so stuck VMs escalate in about a second. */
export function quickTimeouts(site: Record<string, unknown>): void {
  site['timeouts'] = { connectSeconds: 10, commandSeconds: 60, killVerifySeconds: 1, heartbeatSeconds: 60 };
}

export interface TemplateOptions extends Omit<LabStartOptions, 'dir'> {
  /** Skip the capture (a test that wants to capture itself). */
  noCapture?: boolean;
  /** Skip the disaster. */
  noDisaster?: boolean;
}

export interface Template {
  dir: string;
  /** The lab's status right after the disaster: the baseline for action counts. */
  before: LabStatus;
  /** The marker each VM's VSC snapshot captured, from the backup. */
  quiesced: Record<string, number | null>;
}

/** lab up → backup → capture (real CLI) → disaster → down, in `dir`. */
export async function prepareTemplate(dir: string, o: TemplateOptions = {}): Promise<Template> {
  const { noCapture, noDisaster, ...start } = o;
  const lab = await startLab({ ...start, dir });
  try {
    const [b] = await lab.backup();
    if (!noCapture) {
      const r = await runCli(['capture', '--site', lab.siteFile, '--db', path.join(dir, 'drbook.db')], {
        env: cliEnv(),
        timeoutMs: 60_000,
      });
      if (r.code !== 0 && r.code !== 3) throw new Error(`capture failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
    }
    if (!noDisaster) await lab.disaster();
    return { dir, before: lab.status(), quiesced: b!.quiesced };
  } finally {
    await lab.stop();
  }
}

const TRANSIENT = new Set(['control.sock', 'ready', 'lab.pid', 'lab.log', 'commands.ndjson']);

/** A copy of a template, to run one case on. */
export function cloneTemplate(template: string, dest: string): string {
  cpSync(template, dest, { recursive: true, filter: (src) => !TRANSIENT.has(path.basename(src)) });
  return dest;
}

/** Start the lab of `dir` (an existing state) and re-apply the site edits startLab overwrote. */
export async function startCase(
  dir: string,
  o: Omit<LabStartOptions, 'dir'> = {},
  edit: (site: Record<string, unknown>) => void = quickTimeouts,
): Promise<Lab> {
  const lab = await startLab({ ...o, dir });
  patchSite(lab.siteFile, edit);
  return lab;
}

/**
 * What a failover must leave behind, without what legitimately differs between two correct runs
 * (vmids and world ids follow the order of concurrent registrations; times; connection counts).
 */
export function outcomeOf(s: LabStatus) {
  const vms = s.vms
    .map((v) => ({
      name: v.name,
      host: v.host,
      datastore: v.datastore,
      path: v.path,
      power: v.power,
      marker: v.marker,
      bootMarker: v.bootMarker,
      snapshots: v.snapshots,
      stale: v.stale,
      question: v.question,
    }))
    .sort((a, b) => `${a.host}\u0000${a.path}\u0000${a.name}`.localeCompare(`${b.host}\u0000${b.path}\u0000${b.name}`));
  return {
    vms,
    lockdown: s.lockdown,
    mirror: {
      state: s.mirror.state,
      status: s.mirror.status,
      destinationType: s.mirror.destinationType,
      source: s.mirror.source,
      destination: s.mirror.destination,
    },
    volumes: s.volumes.map((v) => ({
      vserver: v.vserver,
      name: v.name,
      state: v.state,
      type: v.type,
      junction: v.junction,
      snapshots: v.snapshots,
    })),
  };
}

export interface ActionCount {
  host: string;
  action: string;
  target: string;
  count: number;
}

/** The actions done since `before` (the lab counts every non-idempotent action it applies). */
export function actionsSince(before: LabStatus, after: LabStatus): ActionCount[] {
  const key = (a: ActionCount) => `${a.host}\u0000${a.action}\u0000${a.target}`;
  const base = new Map(before.actions.map((a) => [key(a), a.count]));
  return after.actions.map((a) => ({ ...a, count: a.count - (base.get(key(a)) ?? 0) })).filter((a) => a.count > 0);
}

/** The actions that must never be applied twice to one target, even across crashes. */
export const ONCE_ONLY = new Set(['register', 'unregister', 'revert', 'snapshot-remove', 'power-on', 'break', 'restore', 'kill']);

/** Human-readable list of the actions applied more than once (kills count per world AND type). */
export function appliedTwice(actions: ActionCount[]): string[] {
  return actions.filter((a) => ONCE_ONLY.has(a.action) && a.count > 1).map((a) => `${a.host} ${a.action} ${a.target} ×${a.count}`);
}

/**
 * Kills sent to one world must escalate: never the same type twice (appliedTwice says so too).
 * A type may be missing: a kill that drbook journaled as sent but whose answer never came (it died
 * with it in flight) is not sent again; after its wait the next harder type follows.
 */
export function killEscalationProblems(actions: ActionCount[]): string[] {
  return actions.filter((a) => a.action === 'kill' && a.count > 1).map((a) => `${a.host}/${a.target}: sent ${a.count} times`);
}
