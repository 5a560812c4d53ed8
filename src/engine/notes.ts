/**
 * The engine's own notes on steps and targets. The engine has no language: it writes them in
 * English, built here, and `parseEngineNote` reads them back so the reporters, the report and the
 * screens can say them in the operator's language (src/i18n/engine.ts).
 */
export const engineNotes = {
  nothingToDo: () => 'nothing to do',
  failedInStep: (step: string) => `failed in step ${step}`,
  stoppedHere: () => 'stopped here; drbook resume continues',
  stoppedAtConfirmation: () => 'stopped at its confirmation; drbook resume asks again',
  skippedByOperator: () => 'skipped by the operator; the others go on',
  stoppedNotFinished: (n: number, total: number) => `stopped with ${n} of ${total} not finished; drbook resume continues`,
  failedCount: (n: number, total: number) => `${n} of ${total} failed`,
  blockedCount: (n: number, total: number) => `${n} of ${total} not done: they failed in an earlier step`,
};

export type EngineNote =
  | { key: 'nothingToDo' | 'stoppedHere' | 'stoppedAtConfirmation' | 'skippedByOperator' }
  | { key: 'failedInStep'; step: string }
  | { key: 'stoppedNotFinished' | 'failedCount' | 'blockedCount'; n: number; total: number };

const FIXED = ['nothingToDo', 'stoppedHere', 'stoppedAtConfirmation', 'skippedByOperator'] as const;
const COUNTED = [
  ['stoppedNotFinished', /^stopped with (\d+) of (\d+) not finished; drbook resume continues$/],
  ['failedCount', /^(\d+) of (\d+) failed$/],
  ['blockedCount', /^(\d+) of (\d+) not done: they failed in an earlier step$/],
] as const;

/** One of the engine's notes, with its parameters; null for any other text (an action's own note). */
export function parseEngineNote(note: string): EngineNote | null {
  for (const key of FIXED) if (note === engineNotes[key]()) return { key };
  const step = /^failed in step (\S+)$/.exec(note);
  if (step) return { key: 'failedInStep', step: step[1]! };
  for (const [key, re] of COUNTED) {
    const m = re.exec(note);
    if (m) return { key, n: Number(m[1]), total: Number(m[2]) };
  }
  return null;
}
