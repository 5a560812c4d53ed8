import { pick, type Lang } from './lang.js';

/** A revert drbook sent and never heard back from (killed, connection lost), decided on the host. */
const en = {
  ranOnHost: (p: { vm: string; host: string; task: string }) =>
    `${p.vm}: the revert sent earlier without a clear answer ran on ${p.host} (task ${p.task} succeeded): not sent again`,
  waiting: (p: { vm: string; host: string; task: string }) =>
    `${p.vm}: the revert sent earlier without a clear answer still runs on ${p.host} (task ${p.task}): waiting for it`,
  failedOnHost: (p: { vm: string; host: string; task: string; error: string }) =>
    `${p.vm}: the revert sent earlier without a clear answer failed on ${p.host} (task ${p.task}: ${p.error}): sending it again`,
  notOnHost: (p: { vm: string; host: string }) =>
    `${p.vm}: ${p.host} lists no revert since drbook sent one earlier: the host never ran it, so it is sent now`,
  hostCannotTell: (p: { vm: string; host: string; error: string }) =>
    `${p.vm}: ${p.host} cannot list its recent tasks (${p.error}): whether the revert sent earlier without a clear answer ran is unknown; it is sent once more (a revert of a VM that is off at that snapshot changes nothing)`,
  stillRunning: (p: { vm: string; host: string; task: string }) =>
    `${p.vm}: the revert sent earlier without a clear answer is still running on ${p.host} (task ${p.task})`,
  stillRunningHint: 'wait for the task to end (vim-cmd vimsvc/task_info on the host shows it), then drbook resume',
};

export type RevertInDoubtMessages = typeof en;

const ja: RevertInDoubtMessages = {
  ranOnHost: (p) =>
    `${p.vm}: 先に送って結果が不明なスナップショットへの復帰は ${p.host} で実行済みです (タスク ${p.task} 成功)。再送しません`,
  waiting: (p) => `${p.vm}: 先に送って結果が不明なスナップショットへの復帰が ${p.host} でまだ実行中です (タスク ${p.task})。終了を待ちます`,
  failedOnHost: (p) =>
    `${p.vm}: 先に送って結果が不明なスナップショットへの復帰は ${p.host} で失敗しました (タスク ${p.task}: ${p.error})。もう一度送ります`,
  notOnHost: (p) =>
    `${p.vm}: drbook が先に送ったスナップショットへの復帰は ${p.host} のタスク一覧にありません。ホストは受け取っていないため、いま送ります`,
  hostCannotTell: (p) =>
    `${p.vm}: ${p.host} の最近のタスクを読めません (${p.error})。先に送った復帰が実行されたか不明のため、もう一度だけ送ります (そのスナップショットで停止中の VM を戻しても何も変わりません)`,
  stillRunning: (p) => `${p.vm}: 先に送って結果が不明なスナップショットへの復帰が ${p.host} でまだ実行中です (タスク ${p.task})`,
  stillRunningHint: 'タスクの終了を待ってから (ホストで vim-cmd vimsvc/task_info で確認できます) drbook resume を実行してください',
};

export function revertInDoubtMessages(lang: Lang): RevertInDoubtMessages {
  return pick(lang, { en, ja });
}
