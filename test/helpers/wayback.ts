/**
 * Labs for the way back (reprotect, failback): a site failed over by the real CLI, written to by
 * its VMs on the mirror (lab tick), its original volume repaired (with or without the common
 * snapshot), saved as a template to copy per case.
 */
import path from 'node:path';
import { startLab, type LabStatus } from '../../src/lab/lab.js';
import { cliEnv, runCli } from './drbook-cli.js';
import { MIRROR_PATH, prepareTemplate, quickTimeouts, patchSite, type TemplateOptions } from './lab-fixture.js';

export const PRIMARY_PATH = 'svm1:vm_vol1';
export const FAILOVER_FLAGS = [
  '--json',
  '--confirm',
  MIRROR_PATH,
  '--ack-manual',
  '--crash-consistent',
  'power-on',
  '--unreachable-host',
  'skip',
];

/** lab up → backup → capture → disaster → failover (CLI) → tick → repair → down, in `dir`. */
export async function failedOverTemplate(
  dir: string,
  o: TemplateOptions & { noCommonSnapshot: boolean },
): Promise<{ dir: string; failedOver: LabStatus }> {
  const { noCommonSnapshot, ...t } = o;
  await prepareTemplate(dir, t);
  const lab = await startLab({ dir });
  try {
    patchSite(lab.siteFile, quickTimeouts);
    const r = await runCli(['failover', '--site', lab.siteFile, '--db', path.join(dir, 'drbook.db'), ...FAILOVER_FLAGS], {
      env: cliEnv(),
      timeoutMs: 120_000,
    });
    if (r.code !== 0) throw new Error(`the failover failed (exit ${r.code}): ${r.stderr}`);
    await lab.tick();
    await lab.repair({ noCommonSnapshot });
    return { dir, failedOver: lab.status() };
  } finally {
    await lab.stop();
  }
}

/** Snapshot names carry the transfer counter and time: the same transfer has a new name in each run. */
const generic = (name: string): string =>
  name.startsWith('snapmirror.') ? 'snapmirror.*' : name.replace(/_before_reprotect_\d+$/, '_before_reprotect_*');

/** What the way back must leave, without what differs between two correct runs (ids, times). */
export function wayBackOutcome(s: LabStatus) {
  return {
    vms: s.vms
      .map((v) => ({
        name: v.name,
        host: v.host,
        datastore: v.datastore,
        path: v.path,
        power: v.power,
        marker: v.marker,
        snapshots: v.snapshots,
        stale: v.stale,
        question: v.question,
      }))
      .sort((a, b) => `${a.host}\u0000${a.path}`.localeCompare(`${b.host}\u0000${b.path}`)),
    lockdown: s.lockdown,
    relationships: s.relationships.map((r) => ({
      source: r.source,
      destination: r.destination,
      state: r.state,
      status: r.status,
      healthy: r.healthy,
      deleted: r.deleted,
    })),
    volumes: s.volumes
      .map((v) => ({
        vserver: v.vserver,
        name: generic(v.name),
        state: v.state,
        type: v.type,
        junction: v.junction,
        snapshots: [...new Set(v.snapshots.map(generic))],
      }))
      .sort((a, b) => `${a.vserver}:${a.name}`.localeCompare(`${b.vserver}:${b.name}`)),
  };
}

/** Device actions applied more than once between two statuses (lockdown exit/enter excepted: re-entering is owed). */
export function repeatedActions(before: LabStatus, after: LabStatus): string[] {
  const key = (a: { host: string; action: string; target: string }) => `${a.host} ${a.action} ${a.target}`;
  const base = new Map(before.actions.map((a) => [key(a), a.count]));
  return after.actions
    .map((a) => ({ k: key(a), n: a.count - (base.get(key(a)) ?? 0), action: a.action }))
    .filter((a) => a.n > 1 && !a.action.startsWith('lockdown'))
    .map((a) => `${a.k} ×${a.n}`);
}
