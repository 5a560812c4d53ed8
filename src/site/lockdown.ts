/**
 * Which hosts drbook took out of lockdown, read from what it journaled: the one definition the
 * runbooks' re-entry step, the end of a run, the screens and the report use. A host counts once a
 * lockdown exit was SENT to it (answered or not: re-entering is harmless, forgetting is not), and
 * stops counting when its `lockdown-enter` target is done (the re-entry verified).
 */
import type { EngineEvent } from '../engine/events.js';
import type { ViewModel } from '../engine/view-model.js';

/** The step id every runbook gives its lockdown re-entry. */
export const LOCKDOWN_ENTER_STEP = 'lockdown-enter';

/** The hosts of these events a lockdown exit was sent to, in the order they were sent. */
export function hostsSentLockdownExit(events: Iterable<EngineEvent>): string[] {
  const hosts = new Set<string>();
  for (const e of events) if (e.type === 'command.started' && e.intent?.op === 'lockdown-exit') hosts.add(e.host);
  return [...hosts];
}

/** Hosts still out of lockdown in a folded run: an exit was sent, and their re-entry is not done. */
export function hostsOutOfLockdown(vm: ViewModel): string[] {
  const sent = new Set<string>();
  for (const c of vm.history) if (c.intent?.op === 'lockdown-exit') sent.add(c.host);
  if (sent.size === 0) return [];
  for (const t of vm.targets) if (t.stepId === LOCKDOWN_ENTER_STEP && t.state === 'done') sent.delete(t.host ?? t.label);
  return [...sent];
}
