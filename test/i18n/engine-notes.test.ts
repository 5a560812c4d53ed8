import { describe, expect, it } from 'vitest';
import { engineNotes, parseEngineNote } from '../../src/engine/notes.js';
import { localizeNote } from '../../src/i18n/engine.js';

describe("the engine's notes in the operator's language", () => {
  const samples = [
    engineNotes.nothingToDo(),
    engineNotes.failedInStep('fence'),
    engineNotes.stoppedHere(),
    engineNotes.stoppedAtConfirmation(),
    engineNotes.skippedByOperator(),
    engineNotes.stoppedNotFinished(3, 24),
    engineNotes.failedCount(1, 24),
    engineNotes.blockedCount(2, 4),
  ];

  it('reads back every note the engine writes, and says it the same in English', () => {
    for (const note of samples) {
      expect(parseEngineNote(note), note).not.toBeNull();
      expect(localizeNote(note, 'en')).toBe(note);
    }
  });

  it('says each in Japanese, keeping the numbers and the step', () => {
    for (const note of samples) expect(localizeNote(note, 'ja'), note).not.toBe(note);
    expect(localizeNote(engineNotes.failedCount(1, 24), 'ja')).toContain('24件中1件');
    expect(localizeNote(engineNotes.failedInStep('fence'), 'ja')).toContain('fence');
  });

  it("leaves an action's own note as it is", () => {
    expect(localizeNote('web01: answered "I moved it"', 'ja')).toBe('web01: answered "I moved it"');
    expect(localizeNote(undefined, 'ja')).toBeUndefined();
  });
});
