import { pick, type Lang } from './lang.js';

/** Words and sentences shared by every screen, reporter and report. */
const en = {
  stateWaiting: 'waiting',
  stateRunning: 'running',
  stateDone: 'done',
  stateFailed: 'failed',
  stateSkipped: 'skipped',
  stateNeedsYou: 'needs you',
  yes: 'yes',
  no: 'no',
  resumeHint: (p: { runId: string; command?: string | undefined }) => `The run is saved. Continue it with: ${p.command ?? `drbook resume ${p.runId}`}`,
  lockdownStillOff: (p: { hosts: string }) => `Lockdown is still OFF on: ${p.hosts}. drbook resume re-enters it.`,
};

export type CommonMessages = typeof en;

const ja: CommonMessages = {
  stateWaiting: '待機',
  stateRunning: '実行中',
  stateDone: '完了',
  stateFailed: '失敗',
  stateSkipped: 'スキップ',
  stateNeedsYou: '要対応',
  yes: 'はい',
  no: 'いいえ',
  resumeHint: (p) => `実行状態は保存されています。続行するには: ${p.command ?? `drbook resume ${p.runId}`}`,
  lockdownStillOff: (p) => `次のホストはロックダウンが解除されたままです: ${p.hosts}。drbook resume で再び有効にします。`,
};

export function commonMessages(lang: Lang): CommonMessages {
  return pick(lang, { en, ja });
}

/** A run or target state (`waiting`, `needs-you`, …) as a word; an unknown state stays as it is. */
export function stateWord(m: CommonMessages, state: string): string {
  const words: Record<string, string> = {
    waiting: m.stateWaiting,
    running: m.stateRunning,
    done: m.stateDone,
    failed: m.stateFailed,
    skipped: m.stateSkipped,
    'needs-you': m.stateNeedsYou,
  };
  return words[state] ?? state;
}
