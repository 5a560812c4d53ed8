/**
 * The Hyper-V recovery's preflight board: what the operator sees before anything is removed or
 * imported — the cluster's nodes, its CSVs, and the capture's VMs against what is registered now.
 * The preflight emits it as the `situation` event; the screen draws it, the plain reporter prints
 * its lines.
 */
import { hypervMessages } from '../i18n/hyperv.js';
import type { Lang } from '../i18n/lang.js';
import type { EngineEvent } from '../engine/events.js';
import type { ReportSection } from '../reporters/report.js';
import { lastBoard } from '../runbook/board.js';
import type { HvCapture } from './capture.js';
import type { HvSiteFacts } from './state.js';

export interface HvBoard {
  kind: 'hyperv';
  /** The UI's board tells a Hyper-V board by it. */
  platform: 'hyperv';
  cluster: string;
  nodes: { name: string; reachable: boolean; registered: number | null; running: number | null }[];
  csvs: { name: string; path: string; state: string; redirectedAccess: boolean; maintenanceMode: boolean }[];
  /** The capture's VMs: how many, how many registered (by VM ID) and running now, how many lack their files. */
  vms: { recorded: number; registered: number; running: number; configMissing: number };
  failedRoles: number;
}

export function hvBoardOf(facts: HvSiteFacts, capture: HvCapture): HvBoard {
  const now = new Map(facts.nodes.flatMap((n) => (n.vms ?? []).map((v) => [v.id, v] as const)));
  const recorded = capture.vms.map((v) => now.get(v.id)).filter((v) => v !== undefined);
  return {
    kind: 'hyperv',
    platform: 'hyperv',
    cluster: facts.cluster,
    nodes: facts.nodes.map((n) => ({
      name: n.name,
      reachable: n.reachable,
      registered: n.vms?.length ?? null,
      running: n.vms ? n.vms.filter((v) => v.state === 'running').length : null,
    })),
    csvs: facts.csvs.map((v) => ({
      name: v.name,
      path: v.path,
      state: v.state,
      redirectedAccess: v.redirectedAccess,
      maintenanceMode: v.maintenanceMode,
    })),
    vms: {
      recorded: capture.vms.length,
      registered: recorded.length,
      running: recorded.filter((v) => v.state === 'running').length,
      configMissing: facts.configMissing?.length ?? 0,
    },
    failedRoles: facts.failedRoles.length,
  };
}

export const csvHealthy = (v: HvBoard['csvs'][number]): boolean => v.state === 'online' && !v.redirectedAccess && !v.maintenanceMode;

/** The board as plain lines (the plain reporter and the report). */
export function hvBoardLines(b: HvBoard, lang: Lang): string[] {
  const m = hypervMessages(lang);
  const lines = [m.boardCluster({ cluster: b.cluster, up: b.nodes.filter((n) => n.reachable).length, total: b.nodes.length })];
  const bad = b.csvs.filter((v) => !csvHealthy(v));
  lines.push(
    bad.length === 0
      ? m.boardCsvsOk({ count: b.csvs.length })
      : m.boardCsvsBad({ bad: bad.map((v) => `${v.name} ${v.path} ${v.state}`).join(', ') }),
  );
  lines.push(m.boardVms(b.vms));
  lines.push(b.failedRoles > 0 ? m.boardRoles({ count: b.failedRoles }) : m.boardRolesNone);
  if (b.vms.configMissing > 0) lines.push(m.boardFilesMissing({ count: b.vms.configMissing }));
  return lines;
}

/** The recovery report's own section: the board the operator confirmed against (the latest one). */
export function hypervReportSections(events: readonly EngineEvent[], lang: Lang = 'en'): ReportSection[] {
  const board = lastBoard(events, 'hyperv');
  return board ? [{ title: hypervMessages(lang).boardSection, lines: hvBoardLines(board, lang) }] : [];
}
