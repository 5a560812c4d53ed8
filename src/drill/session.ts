/**
 * `drbook drill` and `drbook drill cleanup` as sessions: the same session as the failover
 * (src/failover/session.ts: journal, site lock, SSH pool with audit, renderer, report), with the
 * drill's runbooks, actions and report. A drill and its cleanups are journaled as kind 'drill'.
 */
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../engine/events.js';
import { OperatorError } from '../errors.js';
import { chooseCapture } from '../failover/session.js';
import { createSitePool } from '../runbook/site-pool.js';
import { runSession, type SessionCommon, type SessionResult } from '../session/run.js';
import { situationItems, situationLines, type SituationLine } from '../failover/situation-text.js';
import { failoverMessages } from '../i18n/failover.js';
import { drillFolderMessages } from '../i18n/drill-folder.js';
import type { Lang } from '../i18n/lang.js';
import type { Capture } from '../inventory/types.js';
import { Journal, type Run } from '../journal/journal.js';
import { writeReport } from '../reporters/report.js';
import type { SituationBoard } from '../runbook/board.js';
import { drillStepActions } from '../steps/drill/index.js';
import { createDrillContext, touchesDrill, type DrillContext, type DrillOptions } from './context.js';
import { drillVcenterLine } from './folder.js';
import { DRILL_CLEANUP_RUNBOOK, DRILL_RUNBOOK, summarizeDrill, writeDrillReport } from './report.js';

export interface DrillSessionOptions extends SessionCommon {
  captureId?: string | undefined;
  snapshot?: string | undefined;
  hosts?: string[] | undefined;
  powerOn?: boolean | undefined;
  keep?: boolean | undefined;
  /** Overrides of the timings (tests use short ones). */
  timing?: Partial<Pick<DrillOptions, 'heartbeatMs' | 'pollMs' | 'powerOnMs'>> | undefined;
}

export interface DrillCleanupOptions extends SessionCommon {
  /** The drill to clean up; default: the newest drill of the site that did not clean up after itself. */
  drillRunId?: string | undefined;
}

export function drillRunbookPath(name: 'drill' | 'drill-cleanup'): string {
  return fileURLToPath(new URL(`../../runbooks/${name}.yaml`, import.meta.url));
}

const eventsOf = (journal: Journal, runId: string): EngineEvent[] => journal.runEvents(runId);

/** The drill's preflight board as plain lines, picked from the failover's by what each line is about. */
export function drillSituationLines(s: SituationBoard, lang: Lang = 'en'): string[] {
  if (s.kind === 'failover') return situationLines(s, Date.now(), lang);
  if (s.kind !== 'drill') return [];
  const m = drillFolderMessages(lang);
  // The failover's board, without what only a failover needs (restore target, stale VMs, mirror mounts).
  const all = situationItems(s, Date.now(), lang, (api, l) => drillVcenterLine(api, s.drill, l)).filter(
    (l) => l.kind !== 'restore' && l.kind !== 'host',
  );
  const problem = (l: SituationLine) => l.kind === 'stop' || l.kind === 'warning';
  const hosts = s.hosts.map((h) =>
    h.reachable
      ? m.sitHost({ host: h.name, lockdown: h.lockdown === null ? null : h.lockdown ? 'on' : 'off' })
      : failoverMessages(lang)
          .sitHostDown({ host: h.name, error: h.error ?? '' })
          .trimEnd(),
  );
  const lines = [...all.filter((l) => !problem(l)).map((l) => l.text), ...hosts, ...all.filter(problem).map((l) => l.text)];
  const d = s.drill;
  lines.push(
    m.sitClone({ vserver: d.vserver, clone: d.clone, snapshot: s.plan?.snapshot ?? '?', junction: d.junction, datastore: d.datastore }),
  );
  lines.push(
    m.sitHosts({
      hosts: Object.entries(d.hosts)
        .map(([host, count]) => m.sitHostVms({ host, count }))
        .join(', '),
      powerOn: d.powerOn,
      keep: d.keep,
    }),
  );
  return lines;
}

function validateHosts(o: DrillSessionOptions): string[] {
  const known = o.site.endpoints.esxi.map((e) => e.name);
  const hosts = o.hosts ?? [];
  const bad = hosts.filter((h) => !known.includes(h));
  if (bad.length)
    throw new OperatorError(`--host ${bad.join(', ')}: not a host of site ${o.site.site}`, `the hosts are: ${known.join(', ')}`);
  return [...new Set(hosts)];
}

function drillOptions(site: SessionCommon['site'], recorded: Record<string, unknown>, timing: DrillSessionOptions['timing']): DrillOptions {
  return {
    snapshot: recorded.snapshot as string | undefined,
    hosts: (recorded.hosts as string[] | undefined) ?? [],
    powerOn: (recorded.powerOn as boolean | undefined) ?? true,
    keep: (recorded.keep as boolean | undefined) ?? false,
    heartbeatMs: timing?.heartbeatMs ?? site.timeouts.heartbeatSeconds * 1000,
    pollMs: timing?.pollMs ?? 1000,
    powerOnMs: timing?.powerOnMs ?? site.timeouts.killVerifySeconds * 2000,
  };
}

export async function runDrillSession(o: DrillSessionOptions): Promise<SessionResult> {
  const hosts = validateHosts(o);
  let capture: Capture | undefined;
  let leftBehind: string[] = [];
  let context: DrillContext | undefined;
  return runSession<DrillContext>(o, {
    kind: 'drill',
    runbookPath: drillRunbookPath('drill'),
    actions: drillStepActions(),
    prepare(journal, resumed) {
      if (resumed)
        throw new OperatorError(
          `run ${resumed.id} is a drill: it is not resumed`,
          `drbook drill cleanup ${resumed.id} removes what it left, then drill again`,
        );
      capture = chooseCapture(journal, o.site, o.captureId);
      leftBehind = drillsToClean(journal, o.site.site).map((r) => r.id);
      return { captureId: capture.id, snapshot: o.snapshot, hosts, powerOn: o.powerOn ?? true, keep: o.keep ?? false };
    },
    createContext: (a) =>
      (context = createDrillContext({
        mode: 'drill',
        drillRunId: a.runId,
        site: o.site,
        capture: capture!,
        pool: a.pool,
        sink: a.sink,
        prompter: a.prompter,
        signal: a.signal,
        events: a.events,
        priorEvidence: [],
        leftBehind,
        env: o.ctx.env,
        lang: o.lang,
        options: drillOptions(o.site, a.runOptions, o.timing),
        commandTimeoutMs: o.site.timeouts.commandSeconds * 1000,
      })),
    lockdownEvidence: (context) => context.evidence(),
    writeReport: (dir, runId, events, journal) => writeDrillReport(dir, runId, events, journal),
    unfinishedHint: (runId) =>
      context && !leftSomething(context)
        ? 'drbook: the drill left nothing behind.'
        : `drbook: drbook drill cleanup ${runId} removes what this drill left behind.`,
    formatSituation: (board) => drillSituationLines(board, o.lang),
    dispose: (context) => context.placement?.close() ?? Promise.resolve(),
    createPool: (env, options) => createSitePool(o.site, env, options),
  });
}

/** Whether the drill sent anything that creates (the clone, a mount, a registration) and its teardown did not finish. */
function leftSomething(ctx: DrillContext): boolean {
  const events = ctx.evidence();
  const made = events.some((e) => e.type === 'command.started' && touchesDrill(e.intent, ctx.names));
  return made && summarizeDrill(events).cleanedUp !== true;
}

/**
 * Drills of the site that may have left something behind (newest first): their journal does not
 * show the teardown finished (killed, --keep, or a teardown that failed), and no cleanup of them
 * finished since.
 */
export function drillsToClean(journal: Journal, site: string): Run[] {
  const runs = journal.listRuns({ site }).filter((r) => r.kind === 'drill');
  const cleaned = new Set(
    runs.filter((r) => r.runbook === DRILL_CLEANUP_RUNBOOK && r.status === 'done').map((r) => String(r.options.cleanupOf)),
  );
  return runs.filter((r) => {
    if (r.runbook !== DRILL_RUNBOOK || cleaned.has(r.id)) return false;
    const events = eventsOf(journal, r.id);
    // No event at all: it never started (refused by the site lock).
    return events.length > 0 && summarizeDrill(events).cleanedUp !== true;
  });
}

export async function runDrillCleanupSession(o: DrillCleanupOptions): Promise<SessionResult & { drillRunId: string }> {
  let drill: Run | undefined;
  let prior: EngineEvent[] = [];
  let capture: Capture | undefined;
  const result = await runSession<DrillContext>(o, {
    kind: 'drill',
    runbookPath: drillRunbookPath('drill-cleanup'),
    actions: drillStepActions(),
    prepare(journal) {
      if (o.drillRunId) {
        drill = journal.getRun(o.drillRunId);
        if (!drill) throw new OperatorError(`no run ${o.drillRunId} in ${o.dbPath}`, 'drbook runs lists them');
        if (drill.kind !== 'drill' || drill.runbook !== DRILL_RUNBOOK)
          throw new OperatorError(`run ${drill.id} is not a drill`, 'drbook runs lists the drills');
        if (drill.site !== o.site.site) throw new OperatorError(`drill ${drill.id} is of site ${drill.site}, not ${o.site.site}`);
      } else {
        drill = drillsToClean(journal, o.site.site)[0];
        if (!drill)
          throw new OperatorError(
            `no drill of site ${o.site.site} left anything behind`,
            'name one: drbook drill cleanup RUN (drbook runs lists them)',
          );
      }
      // Evidence: the drill's events, then every earlier cleanup of it (lockdown exits included).
      const cleanups = journal
        .listRuns({ site: o.site.site })
        .filter((r) => r.runbook === DRILL_CLEANUP_RUNBOOK && r.options.cleanupOf === drill!.id)
        .reverse();
      prior = [...eventsOf(journal, drill.id), ...cleanups.flatMap((r) => eventsOf(journal, r.id))];
      const captureId = drill.options.captureId as string | undefined;
      try {
        capture = chooseCapture(journal, o.site, captureId);
      } catch {
        capture = {
          id: 'none',
          site: o.site.site,
          takenAt: '',
          drbookVersion: '',
          hosts: [],
          vms: [],
          volumes: [],
          audit: { vms: [], findings: [] },
        };
      }
      return { cleanupOf: drill.id };
    },
    createContext: (a) =>
      createDrillContext({
        mode: 'cleanup',
        drillRunId: drill!.id,
        site: o.site,
        capture: capture!,
        pool: a.pool,
        sink: a.sink,
        prompter: a.prompter,
        signal: a.signal,
        events: a.events,
        priorEvidence: prior,
        env: o.ctx.env,
        lang: o.lang,
        options: drillOptions(o.site, drill!.options, undefined),
        commandTimeoutMs: o.site.timeouts.commandSeconds * 1000,
      }),
    lockdownEvidence: (context) => context.evidence(),
    writeReport: (dir, runId, _events, journal) =>
      writeReport(dir, (part) => journal.streamRunEvents(runId, part), {
        formats: ['md', 'json', 'html'],
        basename: `drill-cleanup-${runId}`,
      }),
    unfinishedHint: (runId) =>
      `drbook: run drbook drill cleanup ${drill?.id ?? ''} again to finish (cleanup run ${runId}); every step is checked on the devices first.`,
    formatSituation: (board) => drillSituationLines(board, o.lang),
    dispose: (context) => context.placement?.close() ?? Promise.resolve(),
    createPool: (env, options) => createSitePool(o.site, env, options),
  });
  if (result.outcome === 'done' && drill!.status === 'active') {
    // The drill's process is gone (its lock was taken over, or it was killed): say so in the journal.
    const j = Journal.open(o.dbPath);
    try {
      if (!j.lockHolder(o.site.site) && j.getRun(drill!.id)?.status === 'active') j.setRunStatus(drill!.id, 'aborted');
    } finally {
      j.close();
    }
  }
  return { ...result, drillRunId: drill!.id };
}
