/**
 * The one place a run's events and questions are redacted: between the engine (and the pool's
 * audit) and everything that keeps or shows them — the journal, the report, the screen, the plain
 * and NDJSON reporters. Actions and parsers work on the device's raw output; only these copies
 * are blanked (src/transport/redact.ts has the rule).
 */
import type { Redactor } from '../transport/redact.js';
import type { EngineEvent } from './events.js';
import type { EventSink, Prompter } from './ports.js';

/**
 * Structural fields: ids, states and names from the site file and the runbook, never a secret,
 * and needed verbatim to fold and resume a run. Every other string is redacted, so a field added
 * later is blanked by default.
 */
const KEEP = new Set([
  'type',
  'runId',
  'site',
  'runbook',
  'stepId',
  'targetId',
  'promptId',
  'id',
  'host',
  'state',
  'stage',
  'kind',
  'level',
  'via',
  'by',
  'answer',
  'outcome',
  'expect',
  'key',
]);

function redactDeep(value: unknown, r: Redactor, keep: boolean): unknown {
  if (typeof value === 'string') return r.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, r, keep));
  if (value && typeof value === 'object') {
    // Every event passes here, and the run keeps many (src/engine/decision-events.ts): a copy of
    // the whole object keeps its fields in the object, where fields added one by one went to a
    // second array (3 MB of a 2,000-VM failover's live heap); then each field not kept is redacted.
    const out: Record<string, unknown> = { ...value };
    for (const k in out) {
      if (!(keep && KEEP.has(k))) out[k] = redactDeep(out[k], r, keep && k !== 'data');
    }
    return out;
  }
  return value;
}

/** The event as it may be stored or shown. The situation board (`data`) is redacted throughout. */
export function redactEvent<E extends EngineEvent>(event: E, redactor: Redactor): E {
  return redactDeep(event, redactor, true) as E;
}

export function redactingSink(sink: EventSink, redactor: Redactor): EventSink {
  return { emit: (e) => sink.emit(redactEvent(e, redactor)) };
}

/** What the operator is shown in a question is redacted too; the answer compared is not. */
export function redactingPrompter(prompter: Prompter, redactor: Redactor): Prompter {
  const text = (s: string) => redactor.redact(s);
  const lines = (l: string[]) => l.map(text);
  return {
    via: prompter.via,
    confirmTyped: (req) => prompter.confirmTyped({ ...req, title: text(req.title), lines: lines(req.lines) }),
    choose: (req) =>
      prompter.choose({
        ...req,
        title: text(req.title),
        lines: lines(req.lines),
        options: req.options.map((o) => ({ ...o, label: text(o.label) })),
        failure: req.failure && (redactDeep(req.failure, redactor, false) as typeof req.failure),
      }),
    checklist: (req) => prompter.checklist({ ...req, title: text(req.title), items: lines(req.items) }),
  };
}
