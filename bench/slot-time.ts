/**
 * Where a host slot's time goes in a per-VM step, from the run's events: for each VM, its stages
 * that hold a slot (the runbook's `slot: false` stages, the heartbeat, hold none), split into the
 * time its changes ran (an exec carrying a command with an intent), the time its own reads ran
 * (execs of reads only: its checks, guards and verifies), and the rest: waiting for a poll's tick,
 * for a read another VM asked (journaled under that VM) or for a free channel, and drbook's own
 * processing. Execs are told apart by their journal entries: the commands of one script carry its
 * id (`script`; each is answered as it ends), a command alone is an exec of its own. A stage that gives its slot on when its last change ends
 * (ActionIO.changesEnded: the register, the revert, the snapshot delete, the unregister) is counted to its end:
 * the journal does not say when the change's part of its exec ended, so the reads after it count as
 * the change's time here although another VM's stage already had the slot.
 */
import type { EngineEvent } from '../src/engine/events.js';

export interface SlotTime {
  /** VMs with at least one slotted stage in the step. */
  vms: number;
  /** Per VM, mean ms: the slotted stages' time, and its parts. */
  slotMs: number;
  changesMs: number;
  readsMs: number;
  otherMs: number;
  /** Per VM, mean: execs of reads only sent for it while its slot was held. */
  readExecs: number;
}

interface Span {
  from: number;
  to: number;
}

/** Total length of the union of intervals. */
function unionMs(spans: Span[]): number {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  let total = 0;
  let end = -Infinity;
  for (const s of sorted) {
    if (s.to <= end) continue;
    total += s.to - Math.max(s.from, end);
    end = s.to;
  }
  return total;
}

export function slotTimes(
  events: readonly EngineEvent[],
  steps: readonly string[],
  unslotted: ReadonlySet<string>,
): Record<string, SlotTime> {
  const stageSpans = new Map<string, Span[]>();
  const open = new Map<string, number>();
  const execs = new Map<string, { from: number; to: number; change: boolean; target: string }>();
  /** The commands of the steps' targets, by id, until they finish. */
  const started = new Map<string, { exec: string; at: number; target: string; change: boolean }>();
  for (const e of events) {
    if (e.type === 'target.state' && e.stage !== undefined && steps.includes(e.stepId) && !unslotted.has(e.stage)) {
      const k = `${e.stepId}\u0000${e.targetId}\u0000${e.stage}`;
      if (e.state === 'running') open.set(k, e.at);
      else if (open.has(k)) {
        const key = `${e.stepId}\u0000${e.targetId}`;
        const list = stageSpans.get(key) ?? [];
        list.push({ from: open.get(k)!, to: e.at });
        stageSpans.set(key, list);
        open.delete(k);
      }
    } else if (e.type === 'command.started' && e.stepId !== undefined && steps.includes(e.stepId) && e.targetId !== undefined) {
      started.set(e.id, { exec: e.script ?? e.id, at: e.at, target: `${e.stepId}\u0000${e.targetId}`, change: e.intent !== undefined });
    } else if (e.type === 'command.finished') {
      const c = started.get(e.id);
      if (!c) continue;
      started.delete(e.id);
      // A script's span runs from its start to its last command's end.
      const x = execs.get(c.exec) ?? { from: c.at, to: e.at, change: false, target: c.target };
      x.to = Math.max(x.to, e.at);
      x.change ||= c.change;
      execs.set(c.exec, x);
    }
  }
  const byTarget = new Map<string, { change: Span[]; read: Span[] }>();
  for (const x of execs.values()) {
    const t = byTarget.get(x.target) ?? { change: [], read: [] };
    (x.change ? t.change : t.read).push({ from: x.from, to: x.to });
    byTarget.set(x.target, t);
  }
  const out: Record<string, SlotTime> = {};
  for (const step of steps) {
    let vms = 0;
    let slot = 0;
    let changes = 0;
    let reads = 0;
    let readExecs = 0;
    for (const [key, spans] of stageSpans) {
      if (!key.startsWith(`${step}\u0000`)) continue;
      vms++;
      slot += spans.reduce((a, s) => a + s.to - s.from, 0);
      const t = byTarget.get(key) ?? { change: [], read: [] };
      const inSlot = (x: Span): boolean => spans.some((s) => x.from >= s.from && x.from <= s.to);
      const ch = t.change.filter(inSlot);
      const rd = t.read.filter(inSlot);
      changes += unionMs(ch);
      // A read running while a change of the same VM runs is counted once, with the change.
      reads += unionMs([...ch, ...rd]) - unionMs(ch);
      readExecs += rd.length;
    }
    if (vms === 0) continue;
    const mean = (n: number): number => Math.round(n / vms);
    out[step] = {
      vms,
      slotMs: mean(slot),
      changesMs: mean(changes),
      readsMs: mean(reads),
      otherMs: mean(slot - changes - reads),
      readExecs: Math.round((readExecs / vms) * 10) / 10,
    };
  }
  return out;
}
