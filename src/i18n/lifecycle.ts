import { pick, type Lang } from './lang.js';

/** What drbook says about where its files are, the site lock, signals, and who answered a question. */
const en = {
  dbLookedAt: {
    flag: (p: { file: string }) => `${p.file} (given by --db)`,
    env: (p: { file: string }) => `${p.file} (given by $DRBOOK_DB)`,
    site: (p: { file: string }) => `${p.file} (beside the site file)`,
    cwd: (p: { file: string }) => `${p.file} (in the working directory: no --db, no $DRBOOK_DB, no site file)`,
  },
  noDatabase: (p: { where: string }) => `no drbook database at ${p.where}`,
  noDatabaseHint:
    'pass the site file (--site FILE: the database is beside it), or --db FILE, or set DRBOOK_DB; drbook capture --site FILE creates it',
  legacyDb: (p: { file: string; legacy: string }) =>
    `no drbook database beside the site file (${p.file}), but an older drbook kept one at ${p.legacy}`,
  legacyDbHint: (p: { file: string; legacy: string }) =>
    `move it beside the site file (mv ${p.legacy} ${p.file}), or pass --db ${p.legacy}`,
  siteNameAmbiguous: (p: { name: string; files: string }) => `several site files in this folder are of site ${p.name}: ${p.files}`,
  siteNameNotFound: (p: { name: string; dir: string }) => `no site file of site ${p.name} in ${p.dir}, and the journal knows none`,
  siteNameHint: 'pass the site file itself: --site FILE',
  lockHeld: (p: { site: string; kind: string; runId: string; pid: string; host: string; user: string; since: string }) =>
    `site ${p.site} is held by ${p.kind} run ${p.runId} (pid ${p.pid} on host ${p.host}, user ${p.user}, since ${p.since})`,
  lockWaitHint: 'wait for it, or stop it; drbook runs shows it',
  unfinishedRun: (p: { kind: string; runId: string; status: string; since: string }) =>
    `${p.kind} ${p.runId} of this site (started ${p.since} UTC) did not finish (${p.status}) after it changed the site: a new ${p.kind} would start without what it recorded and confirmed`,
  unfinishedRunHint: (p: { runId: string }) =>
    `drbook resume ${p.runId} continues it (it reads the site again and does only what is left); if it belongs to an earlier outage, finished by hand, add --abandon ${p.runId}`,
  abandonNotOpen: (p: { runId: string; kind: string }) => `--abandon ${p.runId}: it is not the unfinished ${p.kind} of this site`,
  abandonNotOpenHint: 'drbook runs lists the runs; --abandon names the run a refusal named',
  abandoned: (p: { runId: string; kind: string }) =>
    `drbook: ${p.kind} ${p.runId} set aside (--abandon): marked aborted, it will not be resumed`,
  lockOtherHostHint: (p: { site: string }) =>
    `wait for it, or stop it; drbook cannot check a process on another host: if you are sure it is gone, drbook unlock --site ${p.site}`,
  lockUnreadable: (p: { file: string }) => `the site lock ${p.file} cannot be read`,
  lockUnlockHint: (p: { site: string }) => `drbook unlock --site ${p.site} shows it and removes it`,
  lockContended: (p: { file: string }) => `the site lock ${p.file} keeps changing hands; try again`,
  lockTakenOver: (p: { runId: string; why: string }) => `the site lock of run ${p.runId} was taken over: ${p.why}`,
  staleWhy: {
    'pid-gone': 'its process is gone',
    rebooted: 'the machine has rebooted since it was taken',
    'pid-reused': 'its process id now belongs to another process',
  },
  unknownWhy: {
    'other-host': 'it was taken on another host (or container); drbook cannot check that process from here',
    unreadable: 'the lock file cannot be read',
  },
  unlockNone: (p: { site: string; file: string }) => `site ${p.site} is not locked (no ${p.file}).`,
  unlockHolder: (p: { file: string }) => `Lock ${p.file}:`,
  unlockField: {
    run: 'run',
    kind: 'kind',
    pid: 'pid',
    host: 'host',
    user: 'user',
    since: 'since',
    command: 'command',
    bootId: 'boot id',
  },
  unlockAlive: (p: { pid: string }) => `the holder (pid ${p.pid}) is running on this machine; drbook unlock never breaks a live lock`,
  unlockAliveHint: (p: { pid: string }) =>
    `stop it first (Ctrl+C in its terminal, or kill -TERM ${p.pid}): it re-enters lockdown and leaves the run resumable`,
  unlockState: (p: { why: string }) => `The holder is not running: ${p.why}.`,
  unlockUnknown: (p: { why: string }) => `Cannot tell whether the holder still runs: ${p.why}.`,
  unlockAsk: (p: { site: string }) => `Type the site name (${p.site}) to break the lock: `,
  unlockNeedsConfirm: (p: { site: string }) =>
    `breaking the lock of site ${p.site} needs a typed confirmation and this command cannot prompt`,
  unlockNeedsConfirmHint: (p: { site: string }) => `pass --confirm ${p.site}`,
  unlockMismatch: (p: { typed: string; site: string }) => `"${p.typed}" is not the site name ${p.site}; the lock is left as it was`,
  unlockChanged: 'the lock changed hands while you were asked; it is left as it was: run drbook unlock again',
  unlockDone: (p: { runId: string }) => `Lock broken. Run ${p.runId} is left as it was; to continue it:`,
  interrupted: {
    SIGINT: 'stopped: interrupted (SIGINT)',
    SIGTERM: 'stopped: asked to terminate (SIGTERM)',
    SIGHUP: 'stopped: the terminal went away (SIGHUP)',
    EPIPE: 'stopped: the output was closed (the reader of stdout went away)',
  },
  interruptedHint: 'drbook resume continues the run',
  stoppingNow: 'drbook: stopping now; `drbook resume` continues the run.',
  resumeHint: (p: { command: string }) => `The run is saved. Continue it with: ${p.command}`,
  demoResume: (p: { dir: string; command: string }) =>
    `The lab stopped with the demo; its state is kept in ${p.dir}. To continue the run, start the lab again, then resume:\n  drbook lab up --dir ${p.dir} --detach\n  ${p.command}\n  drbook lab down --dir ${p.dir}`,
  needsFlag: (p: { title: string; flag: string }) => `${p.title}: this run cannot ask, and ${p.flag} does not answer it`,
  needsFlagHint: (p: { flag: string; values: string }) => `pass ${p.flag} ${p.values}; drbook resume continues the run from here`,
  stoppedByFlag: (p: { title: string; flag: string }) => `${p.title}: stopped here, as ${p.flag} stop says`,
  stoppedByFlagHint: 'once it is sorted out, drbook resume continues the run',
};

export type LifecycleMessages = typeof en;

const ja: LifecycleMessages = {
  dbLookedAt: {
    flag: (p) => `${p.file} (--db で指定)`,
    env: (p) => `${p.file} ($DRBOOK_DB で指定)`,
    site: (p) => `${p.file} (サイトファイルと同じフォルダー)`,
    cwd: (p) => `${p.file} (作業フォルダー: --db、$DRBOOK_DB、サイトファイルの指定なし)`,
  },
  noDatabase: (p) => `drbook のデータベースがありません: ${p.where}`,
  noDatabaseHint:
    'サイトファイルを指定するか (--site FILE: データベースはその隣にあります)、--db FILE を指定するか、DRBOOK_DB を設定してください。drbook capture --site FILE で作成されます',
  legacyDb: (p) => `サイトファイルの隣 (${p.file}) にデータベースがありませんが、以前の drbook のデータベースが ${p.legacy} にあります`,
  legacyDbHint: (p) => `サイトファイルの隣に移動する (mv ${p.legacy} ${p.file}) か、--db ${p.legacy} を指定してください`,
  siteNameAmbiguous: (p) => `このフォルダーにはサイト ${p.name} のサイトファイルが複数あります: ${p.files}`,
  siteNameNotFound: (p) => `${p.dir} にサイト ${p.name} のサイトファイルがなく、ジャーナルにも記録がありません`,
  siteNameHint: 'サイトファイルそのものを指定してください: --site FILE',
  lockHeld: (p) =>
    `サイト ${p.site} は ${p.kind} の実行 ${p.runId} が保持しています (pid ${p.pid}、ホスト ${p.host}、ユーザー ${p.user}、${p.since} から)`,
  lockWaitHint: '終わるのを待つか、停止してください。drbook runs で確認できます',
  unfinishedRun: (p) =>
    `このサイトの ${p.kind} ${p.runId} (${p.since} UTC 開始) はサイトを変更した後に完了していません (${p.status}): 新しい ${p.kind} はその記録と確認を引き継ぎません`,
  unfinishedRunHint: (p) =>
    `drbook resume ${p.runId} で続行してください (サイトを読み直し、残りだけを行います)。以前の障害の実行で手作業で終えた場合は --abandon ${p.runId} を付けてください`,
  abandonNotOpen: (p) => `--abandon ${p.runId}: このサイトの未完了の ${p.kind} ではありません`,
  abandonNotOpenHint: 'drbook runs で実行の一覧を確認してください。--abandon には拒否の際に示された実行を指定します',
  abandoned: (p) => `drbook: ${p.kind} ${p.runId} を除外しました (--abandon): 中止として記録し、再開しません`,
  lockOtherHostHint: (p) =>
    `終わるのを待つか、停止してください。別のホストのプロセスは drbook から確認できません。確実に終了している場合は drbook unlock --site ${p.site}`,
  lockUnreadable: (p) => `サイトのロック ${p.file} を読み取れません`,
  lockUnlockHint: (p) => `drbook unlock --site ${p.site} で内容を表示して削除できます`,
  lockContended: (p) => `サイトのロック ${p.file} の保持者が入れ替わり続けています。もう一度実行してください`,
  lockTakenOver: (p) => `実行 ${p.runId} のサイトロックを引き継ぎました: ${p.why}`,
  staleWhy: {
    'pid-gone': 'そのプロセスは終了しています',
    rebooted: 'ロック取得後にマシンが再起動しています',
    'pid-reused': 'そのプロセス ID は現在別のプロセスのものです',
  },
  unknownWhy: {
    'other-host': '別のホスト (またはコンテナー) で取得されたため、ここからはそのプロセスを確認できません',
    unreadable: 'ロックファイルを読み取れません',
  },
  unlockNone: (p) => `サイト ${p.site} はロックされていません (${p.file} はありません)。`,
  unlockHolder: (p) => `ロック ${p.file}:`,
  unlockField: {
    run: '実行',
    kind: '種類',
    pid: 'pid',
    host: 'ホスト',
    user: 'ユーザー',
    since: '開始',
    command: 'コマンド',
    bootId: 'ブート ID',
  },
  unlockAlive: (p) => `保持者 (pid ${p.pid}) はこのマシンで実行中です。drbook unlock は実行中のロックを解除しません`,
  unlockAliveHint: (p) =>
    `先に停止してください (その端末で Ctrl+C、または kill -TERM ${p.pid})。ロックダウンを戻し、再開できる状態で終了します`,
  unlockState: (p) => `保持者は実行されていません: ${p.why}。`,
  unlockUnknown: (p) => `保持者がまだ実行中かどうか判断できません: ${p.why}。`,
  unlockAsk: (p) => `ロックを解除するにはサイト名 (${p.site}) を入力してください: `,
  unlockNeedsConfirm: (p) => `サイト ${p.site} のロック解除には名前の入力による確認が必要ですが、このコマンドは入力を求められません`,
  unlockNeedsConfirmHint: (p) => `--confirm ${p.site} を指定してください`,
  unlockMismatch: (p) => `「${p.typed}」はサイト名 ${p.site} ではありません。ロックはそのままです`,
  unlockChanged: '確認中にロックの保持者が変わったため、そのままにしました。もう一度 drbook unlock を実行してください',
  unlockDone: (p) => `ロックを解除しました。実行 ${p.runId} はそのままです。続行するには:`,
  interrupted: {
    SIGINT: '停止: 中断されました (SIGINT)',
    SIGTERM: '停止: 終了を要求されました (SIGTERM)',
    SIGHUP: '停止: 端末が切断されました (SIGHUP)',
    EPIPE: '停止: 出力先が閉じられました (標準出力の読み手がいなくなりました)',
  },
  interruptedHint: 'drbook resume で実行を続行できます',
  stoppingNow: 'drbook: ただちに停止します。`drbook resume` で実行を続行できます。',
  resumeHint: (p) => `実行状態は保存されています。続行するには: ${p.command}`,
  demoResume: (p) =>
    `ラボはデモと一緒に停止しました。状態は ${p.dir} に保存されています。実行を続けるには、ラボを再び起動してから再開します:\n  drbook lab up --dir ${p.dir} --detach\n  ${p.command}\n  drbook lab down --dir ${p.dir}`,
  needsFlag: (p) => `${p.title}: この実行では質問できず、${p.flag} の指定もありません`,
  needsFlagHint: (p) => `${p.flag} ${p.values} を指定してください。drbook resume でここから続行できます`,
  stoppedByFlag: (p) => `${p.title}: ${p.flag} stop の指定どおり、ここで停止しました`,
  stoppedByFlagHint: '問題を解決したら、drbook resume で実行を続行できます',
};

export function lifecycleMessages(lang: Lang): LifecycleMessages {
  return pick(lang, { en, ja });
}
