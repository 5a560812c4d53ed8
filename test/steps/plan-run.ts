/**
 * Compare what `drbook plan` prints with what a run sent. A run's commands are grouped by runbook
 * step, host and engine target (as the journal records them); the plan's by the step of their
 * section, the host they are sent to and the target their plan step stands for (no target: the
 * reads that choose the step's targets). Within a group the run must follow the plan (followsPlan).
 * Placeholders (NEW_VMID…) stand for one word.
 */
import { expect } from 'vitest';
import type { PlanDocument } from '../../src/plan/model.js';
import { openDatabase } from '../../src/journal/db.js';

export interface Sent {
  step: string;
  host: string;
  target: string | undefined;
  line: string;
}

const TARGETS = '(targets)';
const key = (step: string, host: string, target: string | undefined): string => `${step} | ${host} | ${target || TARGETS}`;

/** Every command.started of a run, in journal order. */
export function sentCommands(dbFile: string, runId: string): Sent[] {
  const db = openDatabase(dbFile, { readonly: true });
  try {
    const rows = db.prepare(`SELECT payload FROM events WHERE run_id = ? AND type = 'command.started' ORDER BY seq`).all(runId) as {
      payload: string;
    }[];
    return rows.map((r) => {
      const e = JSON.parse(r.payload) as { host: string; command: string; stepId?: string; targetId?: string };
      return { step: e.stepId ?? '?', host: e.host, target: e.targetId, line: e.command };
    });
  } finally {
    db.close();
  }
}

/** The plan's commands by (step, host, target), in the plan's order; callouts run locally and are left out. */
export function planGroups(doc: Pick<PlanDocument, 'sections'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of doc.sections) {
    for (const st of s.steps) {
      for (const c of st.commands) {
        if (c.device === 'local') continue;
        const k = key(s.step ?? s.id, c.target, st.target);
        out.set(k, [...(out.get(k) ?? []), c.line]);
      }
    }
  }
  return out;
}

function matcher(planLine: string, placeholders: readonly string[]): RegExp {
  let re = planLine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const p of placeholders) re = re.replace(new RegExp(`\\b${p}\\b`, 'g'), '\\S+');
  return new RegExp(`^${re}$`);
}

/**
 * Why the run's lines do not follow the plan's, or null when they do: each line the run sends is
 * either a repeat of a plan line it already sent (a poll, a re-read), or the plan's next line
 * not yet sent (skipping lines: a branch not taken, such as the hard kill after a soft one that
 * worked). So the first use of every command follows the plan's order, and nothing is sent that
 * the plan does not show.
 */
export function followsPlan(plan: readonly string[], sent: readonly string[], placeholders: readonly string[]): string | null {
  const res = plan.map((l) => matcher(l, placeholders));
  const visited = new Set<number>();
  let cursor = 0;
  let last: string | undefined;
  for (const line of sent) {
    if ([...visited].some((i) => res[i]!.test(line))) continue;
    let j = -1;
    for (let i = cursor; i < res.length; i++) {
      if (res[i]!.test(line)) {
        j = i;
        break;
      }
    }
    if (j < 0) {
      const earlier = res.findIndex((r) => r.test(line));
      return earlier >= 0
        ? `sent ${JSON.stringify(line)} after ${JSON.stringify(last)}, but the plan shows it before (plan: ${JSON.stringify(plan)})`
        : `sent ${JSON.stringify(line)}, which the plan does not show (plan: ${JSON.stringify(plan)})`;
    }
    cursor = j + 1;
    visited.add(j);
    last = line;
  }
  return null;
}

/**
 * Every difference between a run and the plan, one line each (empty: the run followed the plan).
 * A plan target may carry a placeholder (`drill-vm:esx01:NEW_VMID`, a target found on the device).
 * `normalise` rewrites a sent line before it is compared (one argument the plan shows as a
 * described placeholder); everything else is compared as sent.
 */
export function planRunDifferences(
  doc: Pick<PlanDocument, 'sections' | 'placeholders'>,
  sent: readonly Sent[],
  normalise: (line: string) => string = (l) => l,
): string[] {
  const groups = planGroups(doc);
  const placeholders = doc.placeholders.map((p) => p.name);
  const groupOf = (k: string): string[] | undefined =>
    groups.get(k) ?? [...groups].find(([planKey]) => matcher(planKey, placeholders).test(k))?.[1];
  const byKey = new Map<string, string[]>();
  for (const s of sent) {
    const k = key(s.step, s.host, s.target);
    byKey.set(k, [...(byKey.get(k) ?? []), normalise(s.line)]);
  }
  const out: string[] = [];
  for (const [k, lines] of byKey) {
    const plan = groupOf(k);
    if (!plan) {
      out.push(`${k}: the run sent ${JSON.stringify([...new Set(lines)])}; the plan shows nothing there`);
      continue;
    }
    const why = followsPlan(plan, lines, placeholders);
    if (why) out.push(`${k}: ${why}`);
  }
  return out;
}

/** The runbook steps under which the run sent commands, and those the plan shows commands for. */
export function stepsWithCommands(doc: Pick<PlanDocument, 'sections'>, sent: readonly Sent[]): { run: string[]; plan: string[] } {
  const plan = new Set<string>();
  for (const s of doc.sections) if (s.steps.some((st) => st.commands.some((c) => c.device !== 'local'))) plan.add(s.step ?? s.id);
  return { run: [...new Set(sent.map((s) => s.step))].sort(), plan: [...plan].sort() };
}

/**
 * The changes to one VM (its intent names a vmid: power, revert, snapshot remove, answer) that no
 * read of that VM followed: a read of it (`vim-cmd vmsvc/<read> <vmid>`) sent to the same host
 * after the change ended. A read a shared read answered is in the journal once, under whoever sent
 * it, so this holds whether a stage's verify sent its read or was answered by one sent after the
 * change for another caller. Unregister and register are verified by a host-wide read (getallvms),
 * a kill by the world list.
 */
export function vmChangesNotReadAfter(dbFile: string, runId: string): string[] {
  const db = openDatabase(dbFile, { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT type, payload FROM events WHERE run_id = ? AND type IN ('command.started', 'command.finished') ORDER BY seq`)
      .all(runId) as { type: string; payload: string }[];
    const events = rows.map((r) => ({
      type: r.type,
      ...(JSON.parse(r.payload) as { id: string; host: string; command?: string; intent?: { op: string; vmid?: number } }),
    }));
    const out: string[] = [];
    for (const [i, e] of events.entries()) {
      const vmid = e.intent?.vmid;
      if (e.type !== 'command.started' || vmid === undefined || e.intent!.op === 'unregister') continue;
      const end = events.findIndex((f, j) => j > i && f.type === 'command.finished' && f.id === e.id);
      if (end < 0) continue;
      // A kill names its VM too, and is verified by the world list (is its world gone?).
      const read =
        e.intent!.op === 'kill'
          ? /^esxcli vm process list$/
          : new RegExp(`^vim-cmd vmsvc/(power\\.getstate|snapshot\\.get|get\\.guestheartbeatStatus|message) ${vmid}$`);
      const after = events
        .slice(end + 1)
        .some((f) => f.type === 'command.started' && f.host === e.host && !f.intent && read.test(f.command!));
      if (!after) out.push(`${e.host}: ${e.command} was followed by no read of vmid ${vmid}`);
    }
    return out;
  } finally {
    db.close();
  }
}

/** The run id of a `--json` run's output (its run.started event). */
export function runIdOf(stdout: string): string {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; runId?: string })
    .find((e) => e.type === 'run.started')!.runId!;
}

export interface PlanEqualsRun {
  /** The run sent more commands than this (a run that sent next to nothing proves nothing). */
  moreThan: number;
  /** same: the run sent under exactly the steps the plan shows commands for; within: under some of them. */
  steps: 'same' | 'within';
  /** Words of commands the run must have sent (the lab exercised them). */
  sends: readonly string[];
  /** See planRunDifferences. */
  normalise?: (line: string) => string;
}

/** What every plan-equals-run test asserts of a run and its plan. */
export function expectPlanEqualsRun(doc: Pick<PlanDocument, 'sections' | 'placeholders'>, sent: readonly Sent[], o: PlanEqualsRun): void {
  expect(sent.length).toBeGreaterThan(o.moreThan);
  expect(planRunDifferences(doc, sent, o.normalise)).toEqual([]);
  const steps = stepsWithCommands(doc, sent);
  if (o.steps === 'same') expect(steps.run).toEqual(steps.plan);
  else expect(steps.plan).toEqual(expect.arrayContaining(steps.run));
  for (const l of o.sends)
    expect(
      sent.some((s) => s.line.includes(l)),
      l,
    ).toBe(true);
}
