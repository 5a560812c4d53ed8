/**
 * The boards a preflight shows before anything is changed, one per runbook: the typed payload of
 * the engine's `situation` event. The engine carries it opaquely; everything that reads one back
 * (a resume, the report, the plain lines) reads it here, by its `kind`. Journals written before
 * boards had a kind get one as they are loaded (src/journal/upgrade.ts).
 */
import type { DrillSituation } from '../drill/actions.js';
import type { EngineEvent } from '../engine/events.js';
import type { FailbackBoard, FailbackPlacement, ReprotectPlan } from '../failback/context.js';
import type { Situation } from '../failover/situation.js';
import type { HvBoard } from '../hyperv/board.js';

export type SituationBoard = Situation | DrillSituation | HvBoard | ReprotectPlan | FailbackBoard | FailbackPlacement;
export type BoardKind = SituationBoard['kind'];
export type BoardOf<K extends BoardKind> = Extract<SituationBoard, { kind: K }>;

const KINDS: Record<BoardKind, true> = {
  failover: true,
  drill: true,
  hyperv: true,
  'reprotect-plan': true,
  'failback-preflight': true,
  'failback-placement': true,
};

/** Whether a `situation` event's data is one of the boards (every board drbook emits names its kind). */
export function isBoard(data: unknown): data is SituationBoard {
  if (typeof data !== 'object' || data === null || !('kind' in data)) return false;
  return typeof data.kind === 'string' && Object.hasOwn(KINDS, data.kind);
}

/** The board of a `situation` event; undefined for any other event. */
export function boardOf(e: EngineEvent): SituationBoard | undefined {
  return e.type === 'situation' && isBoard(e.data) ? e.data : undefined;
}

/** The newest board of one of these kinds, this attempt's or an earlier one's. */
export function lastBoard<K extends BoardKind>(events: readonly EngineEvent[], ...kinds: K[]): BoardOf<K> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const b = boardOf(events[i]!);
    if (b && isKind(b, kinds)) return b;
  }
  return undefined;
}

/** The first board of one of these kinds (what the run found when it began). */
export function firstBoard<K extends BoardKind>(events: readonly EngineEvent[], ...kinds: K[]): BoardOf<K> | undefined {
  for (const e of events) {
    const b = boardOf(e);
    if (b && isKind(b, kinds)) return b;
  }
  return undefined;
}

function isKind<K extends BoardKind>(b: SituationBoard, kinds: readonly K[]): b is BoardOf<K> {
  return (kinds as readonly BoardKind[]).includes(b.kind);
}

/**
 * The newest board of each kind, in the order the kinds first came: what a screen keeps of a run
 * whose steps show several (the failback's preflight, then its placement), each replaced by its
 * own kind's newer one (a resumed run's new preflight).
 */
export function latestOfEachKind(data: readonly unknown[]): SituationBoard[] {
  const byKind = new Map<BoardKind, SituationBoard>();
  for (const d of data) if (isBoard(d)) byKind.set(d.kind, d);
  return [...byKind.values()];
}
