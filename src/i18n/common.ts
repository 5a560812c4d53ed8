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
  resumeHint: (p: { runId: string; command?: string | undefined }) =>
    `The run is saved. Continue it with: ${p.command ?? `drbook resume ${p.runId}`}`,
  // Site file and runbook errors: `where` is FILE:LINE, `what` says which file's field.
  fileWhat: { site: 'site field', runbook: 'runbook field', faults: 'faults field' } as Record<'site' | 'runbook' | 'faults', string>,
  fileUnknownKey: (p: { where: string; what: string; field: string }) => `${p.where}: ${p.what} ${p.field}: unknown key`,
  fileUnknownKeyHint: (p: { suggestion: string }) => `did you mean ${p.suggestion}?`,
  fileUnknownKeyKnown: (p: { known: string }) => `the keys here are: ${p.known}`,
  fileMissing: (p: { where: string; what: string; field: string }) => `${p.where}: ${p.what} ${p.field}: missing`,
  fileOneOf: (p: { where: string; what: string; field: string; value: string; allowed: string }) =>
    `${p.where}: ${p.what} ${p.field}: ${p.value} is not one of: ${p.allowed}`,
  fileInvalid: (p: { where: string; what: string; field: string; problem: string }) => `${p.where}: ${p.what} ${p.field}: ${p.problem}`,
  fileFixHint: (p: { field: string; file: string }) => `fix ${p.field} in ${p.file} and run the command again`,
  errorInternal: (p: { message: string }) => `internal error: ${p.message} (please report this with the run id)`,
  // The argument parser's errors (commander), said again in the operator's language.
  cliUnknownOption: (p: { option: string }) => `unknown option ${p.option}`,
  cliUnknownCommand: (p: { command: string }) => `unknown command ${p.command}`,
  cliRequiredOption: (p: { option: string }) => `the option ${p.option} is required`,
  cliOptionArgMissing: (p: { option: string }) => `the option ${p.option} needs a value`,
  cliMissingArgument: (p: { argument: string }) => `the argument ${p.argument} is missing`,
  cliTooMany: (p: { command: string; expected: string; got: string }) =>
    `too many arguments for ${p.command}: it takes ${p.expected}, got ${p.got}`,
  cliDidYouMean: (p: { suggestion: string }) => `did you mean ${p.suggestion}?`,
  cliSeeHelp: (p: { command: string }) => `see ${p.command} --help`,
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
  fileWhat: { site: 'サイトファイルの項目', runbook: 'ランブックの項目', faults: '障害ファイルの項目' },
  fileUnknownKey: (p) => `${p.where}: ${p.what} ${p.field}: 不明なキーです`,
  fileUnknownKeyHint: (p) => `${p.suggestion} の誤りではありませんか?`,
  fileUnknownKeyKnown: (p) => `ここで使えるキー: ${p.known}`,
  fileMissing: (p) => `${p.where}: ${p.what} ${p.field}: ありません`,
  fileOneOf: (p) => `${p.where}: ${p.what} ${p.field}: ${p.value} は使えません。次のいずれかにしてください: ${p.allowed}`,
  fileInvalid: (p) => `${p.where}: ${p.what} ${p.field}: ${p.problem}`,
  fileFixHint: (p) => `${p.file} の ${p.field} を直してから、もう一度実行してください`,
  errorInternal: (p) => `内部エラー: ${p.message}（実行IDを添えて報告してください）`,
  cliUnknownOption: (p) => `不明なオプションです: ${p.option}`,
  cliUnknownCommand: (p) => `不明なコマンドです: ${p.command}`,
  cliRequiredOption: (p) => `オプション ${p.option} が必要です`,
  cliOptionArgMissing: (p) => `オプション ${p.option} には値が必要です`,
  cliMissingArgument: (p) => `引数 ${p.argument} がありません`,
  cliTooMany: (p) => `${p.command} の引数が多すぎます: ${p.expected}個のところ${p.got}個あります`,
  cliDidYouMean: (p) => `${p.suggestion} の誤りではありませんか?`,
  cliSeeHelp: (p) => `${p.command} --help を参照してください`,
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
