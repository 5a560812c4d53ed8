import type { EngineNote, Note } from '../engine/notes.js';
import { pick, type Lang } from './lang.js';

/** The engine's notes in the operator's language (the engine journals them as keys). */
const en = {
  nothingToDo: 'nothing to do',
  failedInStep: (p: { step: string }) => `failed in step ${p.step}`,
  stoppedHere: 'stopped here; drbook resume continues',
  stoppedAtConfirmation: 'stopped at its confirmation; drbook resume asks again',
  skippedByOperator: 'skipped by the operator; the others go on',
  stoppedNotFinished: (p: { n: number; total: number }) => `stopped with ${p.n} of ${p.total} not finished; drbook resume continues`,
  failedCount: (p: { n: number; total: number }) => `${p.n} of ${p.total} failed`,
  blockedCount: (p: { n: number; total: number }) => `${p.n} of ${p.total} not done: they failed in an earlier step`,
};

export type EngineNoteMessages = typeof en;

const ja: EngineNoteMessages = {
  nothingToDo: '対象なし',
  failedInStep: (p) => `ステップ ${p.step} で失敗しています`,
  stoppedHere: 'ここで停止しました。drbook resume で続行します',
  stoppedAtConfirmation: '確認の時点で停止しました。drbook resume で再度確認します',
  skippedByOperator: 'オペレーターがスキップしました。ほかは続行します',
  stoppedNotFinished: (p) => `${p.total}件中${p.n}件が未完了のまま停止しました。drbook resume で続行します`,
  failedCount: (p) => `${p.total}件中${p.n}件が失敗`,
  blockedCount: (p) => `${p.total}件中${p.n}件が未完了: 前のステップで失敗しています`,
};

/** One of the engine's notes in `lang`. */
export function sayEngineNote(n: EngineNote, lang: Lang): string {
  const m = pick(lang, { en, ja });
  switch (n.key) {
    case 'failedInStep':
      return m.failedInStep(n.params);
    case 'stoppedNotFinished':
    case 'failedCount':
    case 'blockedCount':
      return m[n.key](n.params);
    default:
      return m[n.key];
  }
}

/** A step or target note in `lang`: the engine's notes are said from their key, an action's text is kept. */
export function localizeNote(note: Note | undefined, lang: Lang): string | undefined {
  if (note === undefined) return undefined;
  return typeof note === 'string' ? note : sayEngineNote(note, lang);
}
