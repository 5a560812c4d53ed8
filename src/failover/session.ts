/**
 * The failover's run: its runbook, actions, recorded options, context, guard and report, run by
 * the lifecycle in src/session/run.ts. Shared by `drbook failover`, `drbook resume` and `drbook demo`.
 */
import { fileURLToPath } from 'node:url';
import { OperatorError } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { failoverMessages } from '../i18n/failover.js';
import { CaptureStore, getCapture, latestCapture } from '../inventory/store.js';
import type { Capture } from '../inventory/types.js';
import type { Journal } from '../journal/journal.js';
import { writeReport } from '../reporters/report.js';
import type { Site } from '../runbook/site.js';
import { createSitePool } from '../runbook/site-pool.js';
import type { HostPool } from '../transport/types.js';
import { failoverStepActions } from '../steps/failover/index.js';
import type { OtherJobs } from './vsc.js';
import { createFailoverContext, primaryVmsOf, type FailoverContext, type FailoverOptions } from './context.js';
import { situationLines } from './situation-text.js';
import { failoverReportSections } from './report-sections.js';
import { runSession, type SessionCommon, type SessionResult } from '../session/run.js';

export type { Renderer } from '../session/renderer.js';

export interface FailoverSessionOptions extends SessionCommon {
  /** `--capture ID`; default: the site's latest capture. */
  captureId?: string | undefined;
  snapshot?: string | undefined;
  crashConsistent?: 'power-on' | 'skip' | undefined;
  unreachableHost?: 'skip' | 'stop' | undefined;
  /** `--ack-unknown-priority`: go on although a priority-group name is no captured VM. */
  ackUnknownPriority?: boolean | undefined;
  /** `--other-jobs`: VMs of the other VSC jobs get their folder restored, or run from a FlexClone. */
  otherJobs?: OtherJobs | undefined;
  /** Overrides of the timings (tests and the demo use short ones). */
  timing?: Partial<Pick<FailoverOptions, 'killVerifyMs' | 'heartbeatMs' | 'pollMs'>> | undefined;
}

export type FailoverSessionResult = SessionResult;

export function defaultRunbookPath(): string {
  return fileURLToPath(new URL('../../runbooks/vsc-snapmirror-failover.yaml', import.meta.url));
}

/**
 * The capture a run recovers from: `id`, or the site's latest good one. A degraded capture (taken
 * after the disaster) is never the default, and a default with no VM of the primary volume is
 * refused: it would break and restore the mirror and bring nothing back. Naming it is the
 * operator's explicit choice.
 */
export function chooseCapture(journal: Journal, site: Site, id: string | undefined): Capture {
  const store = new CaptureStore(journal.db);
  const capture = id ? getCapture(journal.db, id) : latestCapture(journal.db, site.site);
  if (!capture) {
    const newest = id ? undefined : store.newest(site.site);
    if (newest?.degraded) {
      throw new OperatorError(
        `no good capture of site ${site.site}: the only one, ${newest.id} (${newest.takenAt}), is degraded (${newest.degraded.reason}) and has nothing to recover`,
        `find the capture taken before the outage (drbook inventory list) and pass --capture ID, or --capture ${newest.id} if you really mean it`,
      );
    }
    throw new OperatorError(
      id ? `no capture ${id} in the database` : `no capture of site ${site.site} in the database`,
      id ? 'drbook inventory show lists the captures' : `run drbook capture --site ${site.file} first (before the outage, on a schedule)`,
    );
  }
  if (capture.site !== site.site) throw new OperatorError(`capture ${capture.id} is of site ${capture.site}, not ${site.site}`);
  if (!id && primaryVmsOf(site, capture).length === 0) {
    throw new OperatorError(
      `capture ${capture.id} of site ${site.site} has no VM on ${site.relationship.source}: a failover from it would recover nothing`,
      `pass --capture ID with a capture taken before the outage (drbook inventory list), or --capture ${capture.id} if you really mean it`,
    );
  }
  return capture;
}

export async function runFailoverSession(o: FailoverSessionOptions): Promise<FailoverSessionResult> {
  let capture: Capture | undefined;
  return runSession<FailoverContext>(o, {
    kind: 'failover',
    runbookPath: defaultRunbookPath(),
    actions: failoverStepActions(),
    prepare(journal, resumed) {
      const recorded = resumed?.options ?? {};
      capture = chooseCapture(journal, o.site, o.captureId ?? (recorded.captureId as string | undefined));
      return {
        captureId: capture.id,
        snapshot: o.snapshot ?? recorded.snapshot,
        crashConsistent: o.crashConsistent ?? recorded.crashConsistent,
        unreachableHost: o.unreachableHost ?? recorded.unreachableHost,
        ackUnknownPriority: o.ackUnknownPriority ?? recorded.ackUnknownPriority,
        otherJobs: o.otherJobs ?? recorded.otherJobs,
      };
    },
    createContext: (a) =>
      createFailoverContext({
        site: o.site,
        capture: capture!,
        pool: a.pool,
        sink: a.sink,
        prompter: a.prompter,
        signal: a.signal,
        events: a.events,
        env: o.ctx.env,
        commandTimeoutMs: o.site.timeouts.commandSeconds * 1000,
        lang: o.lang,
        options: {
          snapshot: a.runOptions.snapshot as string | undefined,
          // No default: a run that cannot ask stops at the question unless the flag answers it.
          crashConsistent: a.runOptions.crashConsistent as 'power-on' | 'skip' | undefined,
          unreachableHost: a.runOptions.unreachableHost as 'skip' | 'stop' | undefined,
          ackUnknownPriority: a.runOptions.ackUnknownPriority === true,
          otherJobs: (a.runOptions.otherJobs as OtherJobs | undefined) ?? 'restore-file',
          killVerifyMs: o.timing?.killVerifyMs ?? o.site.timeouts.killVerifySeconds * 1000,
          heartbeatMs: o.timing?.heartbeatMs ?? o.site.timeouts.heartbeatSeconds * 1000,
          pollMs: o.timing?.pollMs ?? 1000,
        },
      }),
    guard: async ({ pool, journal, runId, resumed }) => {
      // A resumed run is the failover in progress: its preflight reads the site again instead.
      if (!resumed) await refuseFailedOverSite(o.site, pool, journal, runId, o.lang);
    },
    dispose: (context) => context.placement?.close() ?? Promise.resolve(),
    createPool: (env, options) => createSitePool(o.site, env, options),
    formatSituation: (board) => (board.kind === 'failover' ? situationLines(board, Date.now(), o.lang) : []),
    writeReport: (dir, runId, events, journal, redactor) =>
      writeReport(dir, (part) => journal.streamRunEvents(runId, part), {
        formats: ['md', 'json', 'html'],
        basename: `failover-${runId}`,
        sections: failoverReportSections(events, o.lang),
        lang: o.lang,
        redactor,
        refused: journal.getRun(runId)?.status === 'refused',
      }),
  });
}

/**
 * A failover on a site that is already failed over would SnapRestore the mirror under the
 * recovered VMs: refused in one line saying what runs there since when, before anything is shown.
 */
async function refuseFailedOverSite(site: Site, pool: HostPool, journal: Journal, runId: string, lang: Lang): Promise<void> {
  // Only a broken-off mirror can be failed over: otherwise nothing more is read (a normal failover
  // sends the devices exactly what it sent before this guard existed).
  const { OntapOps } = await import('../adapters/ontap/ops.js');
  const ontap = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
  let rel;
  try {
    rel = (await ontap.relationships({ destination: site.relationship.destination })).find(
      (r) => r.destination === site.relationship.destination,
    );
  } catch {
    return; // the preflight reads it again and says what is wrong
  }
  // No relationship into the mirror: reprotect deleted it (the way back), or the site is not set up.
  if (rel && rel.state !== 'Broken-off') return;
  const { readSiteState } = await import('../site/read.js');
  const { state } = await readSiteState(site, pool, journal.db, { ignoreRun: runId });
  if (!['failed-over', 'reprotecting', 'reprotected', 'failing-back'].includes(state.state)) return;
  const m = failoverMessages(lang);
  const r = state.reason;
  const count =
    r.kind === 'failed-over' && r.evidence === 'devices'
      ? m.failedOverCount({ registered: r.registered, running: r.running })
      : m.failedOverHidden({ hosts: state.hiddenHosts.join(', ') });
  const since =
    state.since !== null && state.byRun ? m.sinceRun({ time: new Date(state.since).toISOString(), runId: state.byRun }) : m.sinceUnknown;
  throw new OperatorError(
    m.siteFailedOver({ site: site.site, count, datastore: site.datastores.mirror.name, since, file: site.file }),
    m.siteFailedOverHint({ file: site.file }),
  );
}
