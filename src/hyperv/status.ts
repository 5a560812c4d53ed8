/**
 * `drbook status` on a Hyper-V site: the state in one word and one sentence (derived from the
 * cluster's nodes, ./state.ts), one line per fact, and what to do next. Read-only.
 */
import { existsSync } from 'node:fs';
import type { CommandContext } from '../commands/context.js';
import { EXIT, type ExitCode } from '../errors.js';
import { hypervMessages } from '../i18n/hyperv.js';
import { statusMessages } from '../i18n/status.js';
import type { Lang } from '../i18n/lang.js';
import { openDatabase } from '../journal/db.js';
import type { HypervSite } from '../runbook/site.js';
import { createHypervPool } from './pool.js';
import { readHvSiteState } from './read-state.js';
import { journalRows, statusTable, type StatusRow } from '../site/status-rows.js';
import type { HvNextStep, HvSiteContext, HvSiteFacts, HvSiteState } from './state.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The stable JSON of `drbook status --json` for a Hyper-V site: `state` as for vSphere; keys only ever added. */
export function hvStatusJson(site: HypervSite, facts: HvSiteFacts, context: HvSiteContext, state: HvSiteState, now: number) {
  const c = context.lastCapture;
  return {
    site: site.site,
    platform: 'hyperv' as const,
    cluster: site.hyperv.cluster,
    state: state.state,
    reason: state.reason,
    next: state.next,
    since: iso(state.since),
    byRun: state.byRun,
    observedAt: facts.observedAt,
    lastGoodCapture: c
      ? {
          id: c.id,
          takenAt: c.takenAt,
          vms: c.vms.length,
          findings: c.findings,
          ageSeconds: Math.max(0, Math.round((now - Date.parse(c.takenAt)) / 1000)),
        }
      : null,
    lastRun: context.lastRun
      ? { ...context.lastRun, createdAt: iso(context.lastRun.createdAt), updatedAt: iso(context.lastRun.updatedAt) }
      : null,
    unfinishedFailovers: context.unfinishedFailovers.map((r) => r.id),
    lock: context.lock ? { ...context.lock, since: iso(context.lock.since) } : null,
    missing: state.missing,
    unknown: state.unknown,
    configMissing: facts.configMissing,
    failedRoles: facts.failedRoles,
    clusterError: facts.clusterError,
    csvs: facts.csvs,
    nodes: facts.nodes.map((n) => ({
      name: n.name,
      reachable: n.reachable,
      error: n.error ?? null,
      registered: n.vms?.length ?? null,
      running: n.vms ? n.vms.filter((v) => v.state === 'running').length : null,
    })),
  };
}

/** What to do next, in the operator's language. */
export async function hvNextText(n: HvNextStep, file: string, lang: Lang): Promise<string> {
  const m = hypervMessages(lang);
  if (n.kind === 'capture') return m.nextCapture({ file });
  if (n.kind === 'restore-files') return m.nextRestoreFiles({ vms: n.vms.join(', '), file });
  return statusMessages(lang).next(n, file);
}

export async function hvStatusLines(
  site: HypervSite,
  facts: HvSiteFacts,
  context: HvSiteContext,
  state: HvSiteState,
  lang: Lang,
  now: number,
  dbFile: string | null,
): Promise<string[]> {
  const sm = statusMessages(lang);
  const m = hypervMessages(lang);
  const dur = (s: number) => sm.duration(Math.max(0, s));
  const rows: StatusRow[] = [];
  rows.push([m.labelCluster, m.clusterLine({ cluster: site.hyperv.cluster, csvs: facts.csvs.length, error: facts.clusterError ?? '' })]);
  facts.csvs.forEach((v, i) =>
    rows.push([
      i === 0 ? m.labelCsvs : '',
      m.csvLine({ name: v.name, path: v.path, state: v.state, redirected: v.redirectedAccess, maintenance: v.maintenanceMode }),
    ]),
  );
  facts.nodes.forEach((n, i) => {
    const label = i === 0 ? m.labelNodes : '';
    if (!n.vms) rows.push([label, sm.hostUnreachable({ name: n.name, error: n.error ?? sm.unknown })]);
    else
      rows.push([
        label,
        m.nodeLine({ name: n.name, registered: n.vms.length, running: n.vms.filter((v) => v.state === 'running').length }),
      ]);
  });
  const cap = context.lastCapture;
  if (cap) {
    rows.push([
      m.labelVms,
      m.vmsLine({
        recorded: cap.vms.length,
        back: cap.vms.length - state.missing.length - state.unknown.length,
        missing: state.missing.length,
        unknown: state.unknown.length,
        noFiles: facts.configMissing === null || state.missing.length === 0 ? null : facts.configMissing.length,
      }),
    ]);
  }
  if (facts.failedRoles.length > 0) rows.push([m.labelRoles, facts.failedRoles.join(', ')]);
  rows.push([
    sm.labelCapture,
    cap
      ? m.captureLine({
          id: cap.id,
          age: dur(Math.round((now - Date.parse(cap.takenAt)) / 1000)),
          vms: cap.vms.length,
          findings: cap.findings,
        })
      : dbFile === null
        ? sm.unknown
        : sm.noCapture,
  ]);
  rows.push(...journalRows(context, { lang, now, hasDb: dbFile !== null }));
  rows.push([sm.labelNext, await hvNextText(state.next, site.file, lang)]);
  return statusTable(hvTitle(site, state, lang), rows);
}

/** `site S: WORD — sentence`, as for vSphere. */
export function hvTitle(site: HypervSite, state: HvSiteState, lang: Lang): string {
  const sm = statusMessages(lang);
  return sm.title({
    site: site.site,
    word: sm.stateWord[state.state],
    sentence: hypervMessages(lang).reason(state.reason, site.hyperv.cluster),
  });
}

export async function runHypervStatus(
  ctx: CommandContext,
  site: HypervSite,
  o: { dbFile: string; json: boolean; lang: Lang },
): Promise<ExitCode> {
  // Read-only: a missing database is not created; the context is then unknown.
  const db = existsSync(o.dbFile) ? openDatabase(o.dbFile, { forReading: true }) : undefined;
  const pool = createHypervPool(site, ctx.env, { redactor: ctx.redactor });
  let read;
  try {
    read = await readHvSiteState(site, pool, db);
  } finally {
    await pool.close();
    db?.close();
  }
  const { facts, context, state } = read;
  const now = Date.now();
  if (o.json) {
    ctx.stdout.write(`${JSON.stringify(hvStatusJson(site, facts, context, state, now), null, 2)}\n`);
  } else {
    const lines = await hvStatusLines(site, facts, context, state, o.lang, now, db ? o.dbFile : null);
    if (!db) lines.push(statusMessages(o.lang).noDb({ file: o.dbFile }));
    ctx.stdout.write(`${ctx.redactor.redact(lines.join('\n'))}\n`);
  }
  return facts.nodes.every((n) => !n.reachable) ? EXIT.failed : EXIT.ok;
}
