/**
 * `drbook failover` (and `resume`) on a Hyper-V site: runbooks/hyperv-recovery.yaml on the shared
 * run session (journal, site lock, SSH pool, renderer, report), from the site's Hyper-V capture.
 */
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { OperatorError } from '../errors.js';
import { runSession, type SessionCommon, type SessionResult } from '../session/run.js';
import type { HypervSite } from '../runbook/site.js';
import { hypervStepActions } from '../steps/hyperv/index.js';
import type { HvRecoveryContext } from './context.js';
import type { HvCapture } from './capture.js';
import { loadHypervCapture } from './capture-command.js';
import { createHypervPool } from './pool.js';
import { hvBoardLines, hypervReportSections } from './board.js';
import { writeReport } from '../reporters/report.js';

export interface HypervRecoveryOptions extends SessionCommon<HypervSite> {
  captureId?: string | undefined;
  /** Overrides of the timings (tests use short ones). */
  timing?: { heartbeatMs?: number; pollMs?: number } | undefined;
}

export function hypervRunbookPath(): string {
  return fileURLToPath(new URL('../../runbooks/hyperv-recovery.yaml', import.meta.url));
}

export async function runHypervRecovery(o: HypervRecoveryOptions): Promise<SessionResult> {
  let capture: HvCapture | undefined;
  return runSession<HvRecoveryContext, HypervSite>(o, {
    kind: 'failover',
    runbookPath: hypervRunbookPath(),
    actions: hypervStepActions(),
    prepare(journal, resumed) {
      const id = o.captureId ?? (resumed?.options.captureId as string | undefined);
      capture = loadHypervCapture(journal.db, o.site.site, id);
      if (!capture) {
        throw new OperatorError(
          id ? `no Hyper-V capture ${id} in the database` : `no capture of Hyper-V site ${o.site.site} in the database`,
          `run drbook capture --site ${o.site.file} first (before the outage, on a schedule)`,
        );
      }
      if (capture.site !== o.site.site) throw new OperatorError(`capture ${capture.id} is of site ${capture.site}, not ${o.site.site}`);
      return { captureId: capture.id };
    },
    createContext: (a) => {
      // Every command and wait of the run listens on it: dozens at once is normal.
      setMaxListeners(0, a.signal);
      return {
        site: o.site,
        capture: capture!,
        pool: a.pool,
        signal: a.signal,
        lang: o.lang,
        timeoutMs: o.site.timeouts.commandSeconds * 1000,
        heartbeatMs: o.timing?.heartbeatMs ?? o.site.timeouts.heartbeatSeconds * 1000,
        pollMs: o.timing?.pollMs ?? 1000,
      };
    },
    formatSituation: (b) => (b.kind === 'hyperv' ? hvBoardLines(b, o.lang) : []),
    writeReport: (dir, runId, events, journal, redactor) =>
      writeReport(dir, (part) => journal.streamRunEvents(runId, part), {
        formats: ['md', 'json', 'html'],
        basename: `failover-${runId}`,
        sections: hypervReportSections(events, o.lang),
        lang: o.lang,
        redactor,
      }),
    createPool: (env, options) => createHypervPool(o.site, env, options),
  });
}
