import type { AuditSink, CommandStarted } from '../transport/types.js';
import type { EventSink } from './ports.js';
import { currentScope } from './scope.js';

/** The last `maxLines` lines (and at most `maxChars` characters) of a command's output. */
export function tail(text: string, maxLines = 20, maxChars = 4000): string {
  const trimmed = text.trimEnd();
  // Found from the end: every command's answer passes here, and a host's process list has
  // hundreds of lines, of which 20 are kept.
  let start = 0;
  for (let at = trimmed.length, n = 0; n < maxLines && at > 0; n++) {
    const nl = trimmed.lastIndexOf('\n', at - 1);
    if (nl < 0) break;
    if (n === maxLines - 1) start = nl + 1;
    at = nl;
  }
  const kept = trimmed.slice(start);
  return kept.length > maxChars ? kept.slice(-maxChars) : kept;
}

/**
 * The transport's AuditSink as engine events: command.started / command.finished tagged with
 * the step and target of the current scope. Wire it into the host pool in the composition root.
 */
export function auditToEvents(
  sink: EventSink,
  opts: { tailLines?: number; now?: () => number } = {},
): { commandStarted(e: CommandStarted): void; commandFinished: AuditSink['commandFinished'] } {
  const now = opts.now ?? Date.now;
  const scopes = new Map<string, { stepId?: string; targetId?: string }>();
  return {
    commandStarted(e) {
      const s = currentScope();
      scopes.set(e.id, { stepId: s?.stepId, targetId: s?.targetId });
      sink.emit({
        type: 'command.started',
        at: e.at,
        id: e.id,
        host: e.host,
        command: e.command,
        purpose: e.purpose,
        intent: e.intent,
        stepId: s?.stepId,
        targetId: s?.targetId,
        ...(e.script === undefined ? {} : { script: e.script }),
      });
    },
    commandFinished(e) {
      // The finish callback may run outside the scope (socket callbacks): use the one seen at start.
      const s = scopes.get(e.id) ?? currentScope();
      scopes.delete(e.id);
      const r = e.result;
      sink.emit({
        type: 'command.finished',
        at: now(),
        id: e.id,
        host: r.host,
        exitCode: r.exitCode,
        signal: r.signal,
        durationMs: r.durationMs,
        stdoutTail: tail(r.stdout, opts.tailLines),
        stderrTail: tail(r.stderr, opts.tailLines),
        error: e.error,
        stepId: s?.stepId,
        targetId: s?.targetId,
      });
    },
  };
}
