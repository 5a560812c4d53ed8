/**
 * The engine's own notes on steps and targets, as data: a key and its parameters, journaled as
 * they are and said in the operator's language where they are shown (src/i18n/engine.ts). An
 * action's note is its own text, already in the run's language.
 */
export type EngineNote =
  | { key: 'nothingToDo' | 'stoppedHere' | 'stoppedAtConfirmation' | 'skippedByOperator' }
  | { key: 'failedInStep'; params: { step: string } }
  | { key: 'stoppedNotFinished' | 'failedCount' | 'blockedCount'; params: { n: number; total: number } };

export type EngineNoteKey = EngineNote['key'];

/** A step's or target's note: an action's text, or one of the engine's notes. */
export type Note = string | EngineNote;

export const engineNotes = {
  nothingToDo: (): EngineNote => ({ key: 'nothingToDo' }),
  failedInStep: (step: string): EngineNote => ({ key: 'failedInStep', params: { step } }),
  stoppedHere: (): EngineNote => ({ key: 'stoppedHere' }),
  stoppedAtConfirmation: (): EngineNote => ({ key: 'stoppedAtConfirmation' }),
  skippedByOperator: (): EngineNote => ({ key: 'skippedByOperator' }),
  stoppedNotFinished: (n: number, total: number): EngineNote => ({ key: 'stoppedNotFinished', params: { n, total } }),
  failedCount: (n: number, total: number): EngineNote => ({ key: 'failedCount', params: { n, total } }),
  blockedCount: (n: number, total: number): EngineNote => ({ key: 'blockedCount', params: { n, total } }),
};

/** Is this note the engine's note `key`? */
export function isEngineNote(note: Note | undefined, key: EngineNoteKey): boolean {
  return typeof note === 'object' && note.key === key;
}
