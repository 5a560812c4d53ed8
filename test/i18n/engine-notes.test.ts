import { describe, expect, it } from 'vitest';
import { engineNotes } from '../../src/engine/notes.js';
import { localizeNote } from '../../src/i18n/engine.js';
import { legacyNote } from '../../src/journal/upgrade.js';

describe("the engine's notes in the operator's language", () => {
  // Each note with the English sentence drbook has always said for it (and journaled, before notes were keys).
  const samples = [
    [engineNotes.nothingToDo(), 'nothing to do'],
    [engineNotes.failedInStep('fence'), 'failed in step fence'],
    [engineNotes.stoppedHere(), 'stopped here; drbook resume continues'],
    [engineNotes.stoppedAtConfirmation(), 'stopped at its confirmation; drbook resume asks again'],
    [engineNotes.skippedByOperator(), 'skipped by the operator; the others go on'],
    [engineNotes.stoppedNotFinished(3, 24), 'stopped with 3 of 24 not finished; drbook resume continues'],
    [engineNotes.failedCount(1, 24), '1 of 24 failed'],
    [engineNotes.blockedCount(2, 4), '2 of 4 not done: they failed in an earlier step'],
  ] as const;

  it('says every note the engine writes in English as before, and reads the old sentence back to the same note', () => {
    for (const [note, english] of samples) {
      expect(localizeNote(note, 'en')).toBe(english);
      expect(legacyNote(english), english).toEqual(note);
    }
  });

  it('says each in Japanese, keeping the numbers and the step', () => {
    for (const [note, english] of samples) expect(localizeNote(note, 'ja'), english).not.toBe(english);
    expect(localizeNote(engineNotes.failedCount(1, 24), 'ja')).toContain('24件中1件');
    expect(localizeNote(engineNotes.failedInStep('fence'), 'ja')).toContain('fence');
  });

  it("leaves an action's own note as it is", () => {
    expect(localizeNote('web01: answered "I moved it"', 'ja')).toBe('web01: answered "I moved it"');
    expect(legacyNote('web01: answered "I moved it"')).toBe('web01: answered "I moved it"');
    expect(localizeNote(undefined, 'ja')).toBeUndefined();
  });
});
