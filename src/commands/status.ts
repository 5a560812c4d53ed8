/**
 * `drbook status --site FILE [--json]`: where the site stands, read from the devices (read-only:
 * nothing is changed, lockdown included), with the database as context. The first command an
 * on-call engineer types. Exit 0; 1 when the site cannot be read (the cluster, or every host).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dbOption, langOption, siteOption } from './options.js';
import { EXIT, type ExitCode } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import type { Site } from '../runbook/site.js';
import type { SiteContext, SiteFacts, SiteState } from '../site/state.js';
import type { StatusRow } from '../site/status-rows.js';
import type { CommandContext } from './context.js';
import { placementMessages } from '../i18n/placement.js';
import type { PlacementStatus } from '../placement/place-all.js';
import { stringifyWithIsoTimes } from '../reporters/json-times.js';

interface StatusFlags {
  site: string;
  db?: string | undefined;
  json?: boolean | undefined;
  lang?: string | undefined;
}

const ageSeconds = (iso: string | null | undefined, now: number): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.round((now - t) / 1000)) : null;
};

/** The stable JSON of `drbook status --json`: `state` is one of SiteStateName; keys are only ever added. */
export function statusJson(
  site: Site,
  facts: SiteFacts,
  context: SiteContext,
  state: SiteState,
  now: number,
  placement: PlacementStatus | null = null,
) {
  return {
    site: site.site,
    state: state.state,
    drillRunning: state.drillRunning,
    reason: state.reason,
    next: state.next,
    since: state.since === null ? null : new Date(state.since).toISOString(),
    byRun: state.byRun,
    observedAt: facts.observedAt,
    relationship: facts.relationship,
    reverseRelationship: facts.reverseRelationship ?? null,
    primaryVolumeState: facts.primaryVolumeState,
    ontapError: facts.ontapError,
    newestVsc: facts.newestVsc ? { ...facts.newestVsc, ageSeconds: ageSeconds(facts.newestVsc.createTime, now) } : null,
    lastGoodCapture: context.lastGoodCapture
      ? { ...context.lastGoodCapture, ageSeconds: ageSeconds(context.lastGoodCapture.takenAt, now) }
      : null,
    degradedCapture: context.degradedCapture,
    lastRun: context.lastRun
      ? {
          ...context.lastRun,
          createdAt: new Date(context.lastRun.createdAt).toISOString(),
          updatedAt: new Date(context.lastRun.updatedAt).toISOString(),
        }
      : null,
    unfinishedFailovers: context.unfinishedFailovers.map((r) => r.id),
    lock: context.lock ? { ...context.lock, since: new Date(context.lock.since).toISOString() } : null,
    mirror: state.mirror,
    drillClones: facts.drillClones,
    hosts: facts.hosts.map((h) => ({
      name: h.name,
      reachable: h.reachable,
      error: h.error ?? null,
      lockdown: h.lockdown,
      primaryDatastore: h.primaryDatastore,
      mirrorDatastore: h.mirrorDatastore,
      vmsOnPrimary: h.onPrimary?.length ?? null,
      vmsOnMirror: h.onMirror?.length ?? null,
      runningOnMirror: h.onMirror ? h.onMirror.filter((v) => v.running).length : null,
    })),
    /** vCenter placement of the latest capture's VMs (null: the site has no vCenter API, or no capture records placement). */
    placement,
  };
}

/** The human form: the state in one word and one sentence, then one line per fact, then what to do. */
export async function statusLines(
  site: Site,
  facts: SiteFacts,
  context: SiteContext,
  state: SiteState,
  lang: Lang,
  now: number,
  dbFile: string | null,
  placement: PlacementStatus | null = null,
): Promise<string[]> {
  const { statusMessages } = await import('../i18n/status.js');
  const { journalRows, statusTable } = await import('../site/status-rows.js');
  const m = statusMessages(lang);
  const dur = (s: number | null) => (s === null ? m.unknown : m.duration(s));
  const x = {
    primary: site.datastores.primary.name,
    mirror: site.datastores.mirror.name,
    source: site.relationship.source,
    destination: site.relationship.destination,
  };
  const rows: StatusRow[] = [];
  const r = facts.relationship;
  rows.push([
    m.labelRelationship,
    r
      ? m.relationship({
          source: r.source,
          destination: r.destination,
          state: r.state ?? m.unknown,
          status: r.status ?? m.unknown,
          healthy: r.healthy === null ? m.unknown : r.healthy ? m.healthy : m.unhealthy,
          lag: r.lagSeconds !== null ? dur(r.lagSeconds) : (r.lagTime ?? m.unknown),
        })
      : facts.ontapError !== null
        ? m.unknown
        : facts.reverseRelationship
          ? m.replacedByReverse(facts.reverseRelationship)
          : m.noRelationship,
  ]);
  const rev = facts.reverseRelationship;
  if (rev) {
    rows.push([
      m.labelRelationship,
      m.relationship({
        source: rev.source,
        destination: rev.destination,
        state: rev.state ?? m.unknown,
        status: rev.status ?? m.unknown,
        healthy: rev.healthy === null ? m.unknown : rev.healthy ? m.healthy : m.unhealthy,
        lag: rev.lagSeconds !== null ? dur(rev.lagSeconds) : (rev.lagTime ?? m.unknown),
      }),
    ]);
  }
  const v = facts.newestVsc;
  rows.push([
    m.labelBackup,
    v
      ? v.createTime
        ? m.backup({ name: v.name, age: dur(ageSeconds(v.createTime, now)) })
        : m.backupNoTime({ name: v.name })
      : facts.ontapError !== null
        ? m.unknown
        : m.noBackup,
  ]);
  const g = context.lastGoodCapture;
  rows.push([
    m.labelCapture,
    g ? m.capture({ id: g.id, age: dur(ageSeconds(g.takenAt, now)), vms: g.vms }) : dbFile === null ? m.unknown : m.noCapture,
  ]);
  if (context.degradedCapture) rows.push(['', m.degraded({ id: context.degradedCapture.id, reason: context.degradedCapture.reason })]);
  rows.push(...journalRows(context, { lang, now, hasDb: dbFile !== null }));
  if (state.drillRunning)
    rows.push([m.labelDrill, m.drillRunning({ clones: facts.drillClones.join(', ') || (context.lock?.runId ?? '') })]);
  facts.hosts.forEach((h, i) => {
    const label = i === 0 ? m.labelHost : '';
    if (!h.reachable) rows.push([label, m.hostUnreachable({ name: h.name, error: h.error ?? m.unknown })]);
    else if (h.onMirror === null && h.lockdown) rows.push([label, m.hostHidden({ name: h.name })]);
    else
      rows.push([
        label,
        m.host({
          name: h.name,
          lockdown: h.lockdown === null ? m.unknown : h.lockdown ? m.on : m.off,
          primary: m.datastore({ name: x.primary, access: h.primaryDatastore ? m.access[h.primaryDatastore] : m.unknown }),
          mirror: m.datastore({ name: x.mirror, access: h.mirrorDatastore ? m.access[h.mirrorDatastore] : m.unknown }),
          vms:
            h.onPrimary && h.onMirror
              ? m.hostVms({ primary: h.onPrimary.length, mirror: h.onMirror.length, running: h.onMirror.filter((v) => v.running).length })
              : (h.error ?? m.unknown),
        }),
      ]);
  });
  if (placement) rows.push(...placementRows(placement, lang, site.file));
  rows.push([m.labelNext, m.next(state.next, site.file)]);
  return statusTable(m.title({ site: site.site, word: m.stateWord[state.state], sentence: m.reason(state.reason, x) }), rows);
}

/** The vCenter rows: placed as recorded, and each move `drbook place` would make (the first few). */
function placementRows(p: PlacementStatus, lang: Lang, siteFile: string): [string, string][] {
  const m = placementMessages(lang);
  if (p.placed === null) return [[m.labelPlacement, m.statusUnread({ url: p.url, error: p.error ?? '' })]];
  const rows: [string, string][] = [
    [m.labelPlacement, m.statusPlaced({ placed: p.placed, toPlace: p.toPlace.length, missing: p.notInVcenter.length, capture: p.capture })],
  ];
  const shown = p.toPlace.slice(0, 8);
  for (const t of shown)
    rows.push([
      '',
      m.statusWouldMove({ vm: t.vm, from: `${t.from.folder}, ${t.from.resourcePool}`, to: `${t.to.folder}, ${t.to.resourcePool}` }),
    ]);
  if (p.toPlace.length > shown.length) rows.push(['', m.statusMore({ count: p.toPlace.length - shown.length })]);
  if (p.toPlace.length > 0) rows.push(['', m.statusPlaceHint({ site: siteFile })]);
  return rows;
}

export async function runStatus(ctx: CommandContext, f: StatusFlags): Promise<ExitCode> {
  const { commandLang } = await import('../i18n/lang.js');
  const lang = await commandLang(ctx.env, f.lang);
  const { openDatabase } = await import('../journal/db.js');
  const { createSitePool } = await import('../runbook/site-pool.js');
  const { readSiteState } = await import('../site/read.js');
  const { readSiteArg } = await import('./site-arg.js');
  const where = readSiteArg(ctx, f, true, lang);
  const { loadAnySite } = await import('../runbook/site.js');
  const any = loadAnySite(path.resolve(ctx.cwd, where.file!));
  if (any.kind === 'hyperv')
    return (await import('../hyperv/status.js')).runHypervStatus(ctx, any.site, { dbFile: where.db.file, json: Boolean(f.json), lang });
  const site = any.site;
  const dbFile = where.db.file;
  // Read-only: a missing database is not created; the context is then unknown.
  const db = existsSync(dbFile) ? openDatabase(dbFile, { forReading: true }) : undefined;
  const pool = createSitePool(site, ctx.env, { redactor: ctx.redactor });
  let read;
  try {
    read = await readSiteState(site, pool, db);
  } finally {
    await pool.close();
    db?.close();
  }
  const { facts, context, state } = read;
  const placement = await readPlacementStatus(site, dbFile, ctx.env);
  const now = Date.now();
  if (f.json) {
    ctx.stdout.write(`${stringifyWithIsoTimes(statusJson(site, facts, context, state, now, placement), 2)}\n`);
  } else {
    const lines = await statusLines(site, facts, context, state, lang, now, existsSync(dbFile) ? dbFile : null, placement);
    if (!existsSync(dbFile)) {
      const { statusMessages } = await import('../i18n/status.js');
      lines.push(statusMessages(lang).noDb({ file: dbFile }));
    }
    ctx.stdout.write(`${lines.join('\n')}\n`);
  }
  const unreadable = facts.ontapError !== null || facts.hosts.every((h) => !h.reachable);
  return unreadable ? EXIT.failed : EXIT.ok;
}

/** The latest capture's placement as vCenter shows it; null without a vCenter API or a capture that records placement. */
async function readPlacementStatus(site: Site, dbFile: string, env: NodeJS.ProcessEnv): Promise<PlacementStatus | null> {
  const { vcenterEndpoint } = await import('../adapters/vcenter/site.js');
  if (!vcenterEndpoint(site) || !existsSync(dbFile)) return null;
  const { openDatabase } = await import('../journal/db.js');
  const { latestCapture } = await import('../inventory/store.js');
  const db = openDatabase(dbFile, { forReading: true });
  let capture;
  try {
    capture = latestCapture(db, site.site);
  } finally {
    db.close();
  }
  if (!capture?.vms.some((v) => v.placement)) return null;
  const { placementStatus } = await import('../placement/place-all.js');
  return placementStatus(site, capture, env);
}

export function registerStatus(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('status')
    .description('where the site stands, read from the devices: protected, primary lost, failed over… and what to do next (read-only)')
    .addOption(siteOption({ required: true }))
    .addOption(dbOption())
    .option(
      '--json',
      'JSON output; its `state` field is one of protected, primary-lost, failover-in-progress, failed-over, unknown (reprotecting, reprotected, failing-back to come)',
    )
    .addOption(langOption({ json: true }))
    .addHelpText(
      'after',
      '\nExit: 0 the site was read (whatever its state); 1 the site could not be read (the cluster, or every host); 2 bad input.',
    )
    .action((opts: StatusFlags) => setRunner((ctx) => runStatus(ctx, opts)));
}
