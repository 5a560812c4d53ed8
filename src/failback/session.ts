/**
 * `drbook reprotect` and `drbook failback` as sessions: the failover's session (journal, site lock,
 * SSH pool, renderer, report, resume) with the way back's runbooks and steps. A new run is refused
 * in one line (exit 2, nothing changed) when the site is not where the step can safely start.
 */
import { OperatorError } from '../errors.js';
import { chooseCapture } from '../failover/session.js';
import { createSitePool } from '../runbook/site-pool.js';
import { runSession, type SessionCommon, type SessionResult } from '../session/run.js';
import type { Capture } from '../inventory/types.js';
import type { Journal } from '../journal/journal.js';
import { wayBackMessages } from '../i18n/wayback.js';
import { statusMessages } from '../i18n/status.js';
import { failoverMessages } from '../i18n/failover.js';
import { lagSeconds } from '../site/state.js';
import type { SituationBoard } from '../runbook/board.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import type { HostPool } from '../transport/types.js';
import { wayBackRunbookPath } from './runbook-path.js';
import { createWayBackContext, sizeText, type WayBackContext } from './context.js';
import { failbackStepActions } from '../steps/failback/index.js';
import { reprotectStepActions } from '../steps/reprotect/index.js';

export interface WayBackSessionOptions extends SessionCommon {
  /** failback: the oldest lag of the way back it accepts (default 60 minutes). */
  maxLagMinutes?: number | undefined;
  /** failback: how long a guest shutdown may take before power off (default 300 s). */
  shutdownSeconds?: number | undefined;
  /** Overrides of the timings (tests use short ones). */
  timing?: { heartbeatMs?: number; pollMs?: number; killVerifyMs?: number; transferMs?: number } | undefined;
}

export { wayBackRunbookPath };

/** The capture is context only (priority groups come from the site file): a site without one still goes back. */
function captureOrNone(journal: Journal, site: Site): Capture {
  try {
    return chooseCapture(journal, site, undefined);
  } catch {
    return noCapture(site);
  }
}

/** A site without a capture: nothing recorded (the way back reads the devices). */
export function noCapture(site: Site): Capture {
  return {
    id: 'none',
    site: site.site,
    takenAt: '',
    drbookVersion: '',
    hosts: [],
    vms: [],
    volumes: [],
    audit: { vms: [], findings: [] },
  };
}

/** The way back's boards (plan, preflight, placement) as plain lines. */
export function wayBackSituationLines(site: Site, lang: SessionCommon['lang']) {
  return (d: SituationBoard): string[] => {
    const m = wayBackMessages(lang);
    const primary = site.relationship.source;
    const mirror = site.relationship.destination;
    if (d?.kind === 'reprotect-plan') {
      const lines = [
        d.originalState ? m.boardOriginal({ source: primary, destination: mirror, state: d.originalState }) : m.boardNoOriginal,
        m.boardPrimary({ primary, state: d.primary.state ?? '?', type: d.primary.type ?? '?' }),
        m.boardReverse({ source: mirror, destination: primary }),
      ];
      if (d.mode === 'resync' && d.common) {
        lines.push(m.boardResync({ snapshot: d.common.name, time: d.common.createTime ?? '?' }));
        if (d.discarded.length) lines.push(m.boardDiscard({ snapshots: d.discarded.join(', ') }));
        lines.push(m.boardDiscardData({ time: d.common.createTime ?? '?' }));
      } else {
        lines.push(m.boardBaseline({ size: sizeText(d.baselineBytes) }));
        if (d.aside) lines.push(m.boardSetAside({ aside: d.aside }));
      }
      return lines;
    }
    if (d?.kind === 'failback-preflight') {
      const r = d.reverse;
      // In the failover board's words: healthy / not healthy, and a lag as a person reads it (30 s, not 0:0:30).
      const f = failoverMessages(lang);
      const healthy = r?.healthy === null || r?.healthy === undefined ? f.healthyUnknown : r.healthy ? f.healthyTrue : f.healthyFalse;
      const lag = r ? lagSeconds(r.lagTime) : null;
      return [
        m.boardReverse({ source: mirror, destination: primary }) + (r ? `: ${r.state ?? '?'}, ${r.status ?? '?'}, ${healthy}` : ''),
        m.boardLag({ lag: lag !== null ? statusMessages(lang).duration(lag) : (r?.lagTime ?? '-') }),
      ];
    }
    if (d?.kind === 'failback-placement') {
      const hosts = [...new Set(d.vms.map((v) => v.host))].join(', ');
      return [m.boardVms({ count: d.vms.length, on: d.vms.filter((v) => v.power === 'on').length, hosts })];
    }
    return [];
  };
}

function context(
  o: WayBackSessionOptions,
  capture: () => Capture,
  a: Parameters<Parameters<typeof runSession<WayBackContext>>[1]['createContext']>[0],
): WayBackContext {
  return createWayBackContext({
    site: o.site,
    capture: capture(),
    pool: a.pool,
    sink: a.sink,
    prompter: a.prompter,
    signal: a.signal,
    events: a.events,
    env: o.ctx.env,
    commandTimeoutMs: o.site.timeouts.commandSeconds * 1000,
    lang: o.lang,
    options: {
      killVerifyMs: o.timing?.killVerifyMs ?? o.site.timeouts.killVerifySeconds * 1000,
      heartbeatMs: o.timing?.heartbeatMs ?? o.site.timeouts.heartbeatSeconds * 1000,
      pollMs: o.timing?.pollMs ?? 1000,
    },
    wayBack: {
      shutdownMs: ((a.runOptions.shutdownSeconds as number | undefined) ?? 300) * 1000,
      transferMs: o.timing?.transferMs ?? o.site.timeouts.commandSeconds * 1000 * 10,
      maxLagSeconds: ((a.runOptions.maxLagMinutes as number | undefined) ?? 60) * 60,
    },
  });
}

async function ontapOf(site: Site, pool: HostPool) {
  const { OntapOps } = await import('../adapters/ontap/ops.js');
  return new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs: site.timeouts.commandSeconds * 1000 });
}

/** A new reprotect starts only on a failed-over site whose original volume is back. */
export async function guardReprotect(
  site: Site,
  pool: HostPool,
  db: Journal['db'] | undefined,
  runId: string | undefined,
  lang: SessionCommon['lang'],
): Promise<void> {
  const m = wayBackMessages(lang);
  const ontap = await ontapOf(site, pool);
  const primary = splitVolumePath(site.relationship.source);
  let reverse, original, volume;
  try {
    [reverse, original, volume] = await Promise.all([
      ontap.relationships({ destination: site.relationship.source }),
      ontap.relationships({ destination: site.relationship.destination }),
      ontap.volumeState(primary.vserver, primary.volume),
    ]);
  } catch (err) {
    throw new OperatorError(m.clusterUnreadable({ error: (err as Error).message }), m.clusterUnreadableHint({ file: site.file }));
  }
  const rev = reverse.find((r) => r.source === site.relationship.destination);
  if (rev)
    throw new OperatorError(
      m.alreadyReprotected({ source: rev.source, destination: rev.destination, state: rev.state ?? '?' }),
      m.alreadyReprotectedHint({ file: site.file }),
    );
  const orig = original.find((r) => r.source === site.relationship.source);
  if (orig && orig.state !== 'Broken-off') {
    const { readSiteState } = await import('../site/read.js');
    const { state } = await readSiteState(site, pool, db, { ignoreRun: runId });
    throw new OperatorError(
      m.notFailedOver({ site: site.site, state: statusMessages(lang).stateWord[state.state] }),
      m.notFailedOverHint({ file: site.file }),
    );
  }
  if (volume?.state !== 'online') {
    throw new OperatorError(
      m.primaryUnreachable({ primary: site.relationship.source, state: volume ? (volume.state ?? '?') : 'gone' }),
      m.primaryUnreachableHint,
    );
  }
}

/** A new failback starts only when the way back exists, mirrors, is healthy and current. */
export async function guardFailback(
  site: Site,
  pool: HostPool,
  db: Journal['db'] | undefined,
  runId: string | undefined,
  lang: SessionCommon['lang'],
  maxLagMinutes: number,
): Promise<void> {
  const m = wayBackMessages(lang);
  const ontap = await ontapOf(site, pool);
  let rels;
  try {
    rels = await ontap.relationships({ destination: site.relationship.source });
  } catch (err) {
    throw new OperatorError(m.clusterUnreadable({ error: (err as Error).message }), m.clusterUnreadableHint({ file: site.file }));
  }
  const rev = rels.find((r) => r.source === site.relationship.destination);
  if (!rev) {
    const { readSiteState } = await import('../site/read.js');
    const { state } = await readSiteState(site, pool, db, { ignoreRun: runId });
    if (state.state === 'protected' || state.state === 'primary-lost' || state.state === 'unknown')
      throw new OperatorError(
        m.notFailedOver({ site: site.site, state: statusMessages(lang).stateWord[state.state] }),
        m.notFailedOverHint({ file: site.file }),
      );
    throw new OperatorError(
      m.notReprotected({ source: site.relationship.destination, destination: site.relationship.source }),
      m.notReprotectedHint({ file: site.file }),
    );
  }
  if (rev.state !== 'Snapmirrored' || rev.status !== 'Idle' || rev.healthy === false) {
    throw new OperatorError(
      m.reverseNotReady({ state: rev.state ?? '?', status: rev.status ?? '?', healthy: rev.healthy === false ? 'unhealthy' : 'healthy' }),
      m.reverseNotReadyHint({ file: site.file }),
    );
  }
  const { lagSeconds } = await import('../site/state.js');
  const lag = lagSeconds(rev.lagTime);
  if (lag !== null && lag > maxLagMinutes * 60)
    throw new OperatorError(m.reverseLags({ lag: rev.lagTime ?? '?', max: `${maxLagMinutes} min` }), m.reverseLagsHint);
}

export async function runReprotectSession(o: WayBackSessionOptions): Promise<SessionResult> {
  let capture: Capture | undefined;
  return runSession<WayBackContext>(o, {
    kind: 'reprotect',
    runbookPath: wayBackRunbookPath('reprotect'),
    actions: reprotectStepActions(),
    prepare(journal, resumed) {
      capture = captureOrNone(journal, o.site);
      return resumed?.options ?? {};
    },
    createContext: (a) => context(o, () => capture!, a),
    createPool: (env, options) => createSitePool(o.site, env, options),
    guard: async ({ pool, journal, runId, resumed }) => {
      if (!resumed) await guardReprotect(o.site, pool, journal.db, runId, o.lang);
    },
    formatSituation: wayBackSituationLines(o.site, o.lang),
  });
}

export async function runFailbackSession(o: WayBackSessionOptions): Promise<SessionResult> {
  let capture: Capture | undefined;
  let maxLag = o.maxLagMinutes ?? 60;
  return runSession<WayBackContext>(o, {
    kind: 'failback',
    runbookPath: wayBackRunbookPath('failback'),
    actions: failbackStepActions(),
    prepare(journal, resumed) {
      capture = captureOrNone(journal, o.site);
      const recorded = resumed?.options ?? {};
      maxLag = o.maxLagMinutes ?? (recorded.maxLagMinutes as number | undefined) ?? 60;
      return { maxLagMinutes: maxLag, shutdownSeconds: o.shutdownSeconds ?? recorded.shutdownSeconds ?? 300 };
    },
    createContext: (a) => context(o, () => capture!, a),
    createPool: (env, options) => createSitePool(o.site, env, options),
    guard: async ({ pool, journal, runId, resumed }) => {
      if (!resumed) await guardFailback(o.site, pool, journal.db, runId, o.lang, maxLag);
    },
    formatSituation: wayBackSituationLines(o.site, o.lang),
  });
}
