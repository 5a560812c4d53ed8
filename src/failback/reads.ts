/**
 * The reads the way back's steps make right before they act: a relationship by its two ends, the
 * newest snapshot two volumes share, and what runs from a datastore on the hosts.
 */
import type { SnapmirrorRelationship } from '../adapters/ontap/parsers.js';
import type { OntapSnapshot } from '../adapters/ontap/parsers.js';
import type { Target } from '../engine/runner.js';
import { OperatorError } from '../errors.js';
import { wayBackMessages } from '../i18n/wayback.js';
import { splitVolumePath } from '../runbook/site.js';
import { readHostPlacement } from '../site/placement.js';
import type { WayBackContext } from './context.js';

export const siteTarget = (ctx: WayBackContext): Target => ({ id: 'site', label: wayBackMessages(ctx.lang).siteTarget });

/** The relationship from `source` into `destination`, as the destination's cluster lists it. */
export async function relationshipOf(
  ctx: Pick<WayBackContext, 'ontap'>,
  ends: { source: string; destination: string },
): Promise<SnapmirrorRelationship | undefined> {
  const rels = await ctx.ontap.relationships({ destination: ends.destination });
  return rels.find((r) => r.destination === ends.destination && r.source === ends.source);
}

/** Whether the source side still keeps a record of a relationship into `destination` (until released). */
export async function sourceRecordOf(ctx: WayBackContext, ends: { source: string; destination: string }): Promise<boolean> {
  const list = await ctx.ontap.listDestinations(ends.destination);
  return list.some((r) => r.destination === ends.destination && r.source === ends.source);
}

export async function snapshotsOf(ctx: Pick<WayBackContext, 'ontap'>, path: string): Promise<OntapSnapshot[]> {
  const { vserver, volume } = splitVolumePath(path);
  return ctx.ontap.snapshots(vserver, volume);
}

/** The newest snapshot both lists hold (same name; same create time when both say one). */
export function commonSnapshot(a: readonly OntapSnapshot[], b: readonly OntapSnapshot[]): OntapSnapshot | null {
  const shared = b.filter((x) =>
    a.some((y) => y.name === x.name && (x.createTime == null || y.createTime == null || x.createTime === y.createTime)),
  );
  return shared.sort((x, y) => String(y.createTime ?? '').localeCompare(String(x.createTime ?? '')))[0] ?? null;
}

/** The VMs registered or running from `datastore`, per host; hosts whose VMs lockdown hides or that did not answer are listed apart. */
export async function vmsOnDatastore(
  ctx: Pick<WayBackContext, 'site' | 'esxi'>,
  datastore: 'primary' | 'mirror',
): Promise<{ vms: { host: string; name: string }[]; unread: string[] }> {
  const ds = { primary: ctx.site.datastores.primary.name, mirror: ctx.site.datastores.mirror.name };
  const rows = await Promise.all(ctx.site.endpoints.esxi.map((e) => readHostPlacement(e.name, ctx.esxi(e.name), ds)));
  const vms: { host: string; name: string }[] = [];
  const unread: string[] = [];
  for (const r of rows) {
    const on = datastore === 'primary' ? r.onPrimary : r.onMirror;
    if (on === null) unread.push(r.name);
    else for (const v of on) vms.push({ host: r.name, name: v.name });
  }
  return { vms, unread };
}

/**
 * The guard of a resync: never send it while VMs are registered or running from the volume it
 * overwrites. Refused (OperatorError: the run stops, nothing sent) with what to do.
 */
export async function refuseVmsOn(ctx: WayBackContext, datastore: 'primary' | 'mirror'): Promise<void> {
  const { vms } = await vmsOnDatastore(ctx, datastore);
  if (vms.length === 0) return;
  const m = wayBackMessages(ctx.lang);
  const name = datastore === 'primary' ? ctx.site.datastores.primary.name : ctx.site.datastores.mirror.name;
  const names =
    vms
      .slice(0, 5)
      .map((v) => `${v.name} on ${v.host}`)
      .join(', ') + (vms.length > 5 ? ', …' : '');
  if (datastore === 'primary') throw new OperatorError(m.vmsOnPrimary({ count: vms.length, datastore: name, names }), m.vmsOnPrimaryHint);
  throw new OperatorError(m.vmsOnMirror({ count: vms.length, datastore: name, names }), m.vmsOnMirrorHint);
}

/** Poll a relationship until `done` says so (a transfer finishing); false when the time is up. */
export async function waitRelationship(
  ctx: WayBackContext,
  ends: { source: string; destination: string },
  done: (r: SnapmirrorRelationship | undefined) => boolean,
  signal: AbortSignal,
): Promise<boolean> {
  const { waitFor } = await import('../failover/wait.js');
  return waitFor(async () => done(await relationshipOf(ctx, ends)), ctx.wayBack.transferMs, ctx.options.pollMs, signal);
}
