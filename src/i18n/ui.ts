import { pick, type Lang } from './lang.js';

/**
 * Every word the Ink screens show. Whole sentences with parameters; column headings and state
 * words are single words because they stand alone in a cell.
 */
const en = {
  // header
  titleFailover: 'drbook failover',
  titleCapture: 'drbook capture',
  titleDrill: 'drbook drill',
  titleDrillCleanup: 'drbook drill cleanup',
  titleReprotect: 'drbook reprotect',
  titleFailback: 'drbook failback',
  headerSite: (p: { site: string }) => `site ${p.site}`,
  headerRun: (p: { runId: string }) => `run ${p.runId}`,
  phasePreflight: 'preflight',
  phaseRunning: 'running',
  phasePaused: 'paused',
  phaseDone: 'finished',
  phaseFailed: 'failed',
  phaseStopped: 'stopped',

  // situation board
  boardTitle: 'Situation',
  boardNotYet: 'Preflight has not reported yet.',
  // The board is what the preflight saw: said so, or "Snapmirrored" reads wrong after the break.
  mirrorLine: (p: { destination: string; state: string; lag: string }) => `At preflight: mirror ${p.destination} ${p.state}, lag ${p.lag}`,
  mirrorLineNoLag: (p: { destination: string; state: string }) => `At preflight: mirror ${p.destination} ${p.state}`,
  snapshotLine: (p: { name: string; age: string; quiesced: number; total: number }) =>
    `Snapshot ${p.name}, ${p.age} old, quiesced ${p.quiesced}/${p.total}`,
  snapshotNone: 'No smvi__ snapshot on the mirror: there is no quiesce point to restore.',
  snapshotsOlder: (p: { count: number }) => `and ${p.count} older snapshots`,
  hostsLabel: 'Hosts',
  hostUp: 'up',
  hostDown: 'unreachable',
  lockOn: 'lockdown on',
  lockOff: 'lockdown off',
  lockExited: 'lockdown exited by drbook',
  lockUnknown: 'lockdown unknown',
  hostsSummary: (p: { up: number; total: number; locked: number; exited: number }) =>
    `Hosts ${p.up}/${p.total} reachable, lockdown on ${p.locked}, exited by drbook ${p.exited}`,
  staleNone: 'No stale VMs.',
  staleSome: (p: { count: number }) => `At preflight: ${p.count} stale VMs registered from the primary datastore.`,
  missingSome: (p: { count: number }) => `${p.count} VMs of the capture are missing from the mirror.`,

  // steps
  stepsTitle: 'Steps',
  stepsDoneCollapsed: (p: { count: number }) => `${p.count} steps finished`,
  stepsMore: (p: { count: number }) => `${p.count} more steps`,
  etaLeft: (p: { eta: string }) => `about ${p.eta} left`,
  /**
   * Step titles by `runbook/step` or step id. English shows the runbook's own titles (empty here);
   * other languages translate the built-in runbooks' steps.
   */
  stepTitles: {} as Record<string, string>,

  // VM table
  vmsTitle: (p: { shown: number; total: number }) => `VMs: ${p.shown} of ${p.total}`,
  hostsTitle: (p: { shown: number; total: number }) => `Hosts: ${p.shown} of ${p.total}`,
  /** The rows of a step whose target is the site itself (reprotect's, failback's relationship steps). */
  siteTitle: 'Site-wide step',
  colSite: 'Target',
  vmsFilter: (p: { text: string }) => `filter "${p.text}"`,
  colName: 'VM',
  colHost: 'Host',
  colStage: 'Stage',
  colTime: 'Time',
  colResult: 'Result',
  colNote: 'Note',
  vmsNone: 'No VMs in this run yet.',
  vmsNoMatch: 'No VM matches the filter. Esc clears it.',
  stages: {
    kill: 'kill',
    unregister: 'unregister',
    register: 'register',
    'restore-backup': 'restore backup',
    'restore-files': 'restore files',
    revert: 'revert',
    'remove-snapshot': 'remove snapshot',
    'power-on': 'power on',
    heartbeat: 'Tools heartbeat',
    isolate: 'isolate network',
    reisolate: 're-isolate',
    'drill-folder': 'drill folder',
    import: 'import',
    role: 'cluster role',
    owners: 'preferred owners',
    start: 'start',
    'guest-heartbeat': 'heartbeat',
  } as Record<string, string>,

  // command log and details
  logTitle: 'Command log',
  logEmpty: 'No command sent yet.',
  logRunning: 'running',
  logExit: (p: { code: string }) => `exit ${p.code}`,
  detailVmTitle: (p: { name: string; host: string }) => `VM ${p.name} on ${p.host}`,
  detailStepTitle: (p: { title: string }) => `Step: ${p.title}`,
  detailCommand: (p: { host: string; started: string; duration: string; result: string }) =>
    `On ${p.host} at ${p.started}, took ${p.duration}, ${p.result}`,
  detailCommandRunning: (p: { host: string; started: string }) => `On ${p.host} at ${p.started}, still running`,
  detailOutput: 'Output (last lines):',
  detailEarlierLines: (p: { count: number }) => `… ${p.count} earlier lines not shown (↑ PgUp)`,
  detailNoOutput: 'No output.',
  detailNoCommand: 'No command has run for this yet.',
  detailState: (p: { state: string; duration: string }) => `State: ${p.state}, time ${p.duration}`,
  detailClose: 'Esc or Enter closes · ↑↓ PgUp/PgDn Home/End scroll',
  detailScroll: (p: { above: number; below: number }) => `${p.above} lines above, ${p.below} below · ↑↓ PgUp/PgDn Home/End · Esc closes`,

  // dialogs
  typedInstruction: (p: { expect: string }) => `To go on, type exactly: ${p.expect}`,
  typedYouTyped: 'You typed:',
  typedWrong: 'That is not the expected text. Type it exactly, or press Esc to refuse.',
  typedKeys: 'Enter confirms · Ctrl+U clears · Esc refuses (the run stops, resumable)',
  refuseAsk: 'Refuse and stop the run here (resumable)? y stops · n goes back',
  dialogMore: (p: { above: number; below: number }) =>
    [p.above > 0 ? `↑ ${p.above} more above` : '', p.below > 0 ? `↓ ${p.below} more below` : ''].filter(Boolean).join(' · ') +
    ' (PgUp/PgDn)',
  checklistKeys: '↑↓ move · Space ticks · Enter when every item is ticked · Esc declines',
  checklistNotAll: (p: { left: number }) => `${p.left} items are not ticked yet. Tick each one when it is done.`,
  choiceKeys: '↑↓ choose · Enter confirms',
  errorTitle: 'A command failed',
  errorTitleFor: (p: { target: string }) => `${p.target} failed`,
  errorVm: (p: { vm: string }) => `VM: ${p.vm}`,
  errorHost: (p: { host: string }) => `Host: ${p.host}`,
  errorCommand: (p: { command: string }) => `Command: ${p.command}`,
  errorMessage: (p: { message: string }) => `The device said: ${p.message}`,
  optionLabels: {
    retry: 'Retry',
    skip: 'Skip this one and go on',
    abort: 'Stop the run here (resumable)',
  } as Record<string, string>,
  quitAsk: 'Quit? The run stays resumable. y: stop at the next safe point · n: go back',

  // help
  helpTitle: 'Keys',
  helpLines: [
    '↑ ↓          move the selection',
    'PgUp PgDn    scroll a page',
    'Tab          switch between the steps and the VM table',
    'Enter        details: every command, its output and timing',
    '             (↑↓ PgUp/PgDn Home/End scroll them)',
    '/            filter the VMs (Enter keeps it, Esc clears it)',
    'p            pause at the next safe point',
    'q            quit (asks first; the run stays resumable)',
    'Ctrl+C       pause safely: no command is killed halfway',
    '?            this help (Esc closes it)',
  ],

  // status line and key hints
  statusPreparing: 'Preparing the run…',
  statusRunning: (p: { step: string; done: number; total: number }) => `Running: ${p.step} (${p.done}/${p.total})`,
  statusRunningNoCount: (p: { step: string }) => `Running: ${p.step}`,
  statusWaitingYou: (p: { title: string }) => `Waiting for you: ${p.title}`,
  statusWaitingYouShort: 'Waiting for your answer to the question above.',
  statusPausing: 'Pausing at the next safe point: the command in flight finishes first.',
  statusPaused: 'Paused. Nothing is running.',
  statusDone: 'The failover finished. Press q to leave.',
  statusDoneDrill: 'The drill finished. Press q to leave.',
  statusDoneDrillCleanup: 'The drill cleanup finished. Press q to leave.',
  statusDoneReprotect: 'The reprotect finished. Press q to leave.',
  statusDoneFailback: 'The failback finished. Press q to leave.',
  statusFailed: 'The run stopped with failures. Press q to leave.',
  statusStopped: 'The run stopped. Press q to leave.',
  statusFiltering: 'Type to filter the VMs · Enter keeps the filter · Esc clears it',
  keysMain: '↑↓ PgUp/PgDn scroll · Enter details · / filter · Tab steps/VMs · p pause · q quit · ? help',
  keysNarrow: '↑↓ scroll · Enter details · / filter · p pause · q quit · ? help',
  keysDialog: 'Answer the question above · Ctrl+C pauses',
  keysDone: 'q leaves · ↑↓ scroll · Enter details · Tab steps/VMs · ? help',
  ctrlCPausing: 'Ctrl+C: drbook pauses at the next safe point. No command is killed halfway.',
  pauseRequested: 'Pause requested: drbook stops at the next safe point.',
  reportAt: (p: { path: string }) => `Report: ${p.path}`,
  // Zero counts other than "failed" are left out, so the line fits 80 columns.
  resultLine: (p: { done: number; total: number; failed: number; skipped: number; notReached: number; crashConsistent: number }) =>
    `${p.done} of ${p.total} VMs recovered · ${p.failed} failed` +
    (p.skipped > 0 ? ` · ${p.skipped} skipped` : '') +
    (p.notReached > 0 ? ` · ${p.notReached} not reached` : '') +
    (p.crashConsistent > 0 ? ` · ${p.crashConsistent} crash-consistent (no quiesce point)` : ''),
  // A failback brings the VMs back to the original site: they were never lost.
  resultLineFailback: (p: { done: number; total: number; failed: number; skipped: number; notReached: number }) =>
    `${p.done} of ${p.total} VMs brought back · ${p.failed} failed` +
    (p.skipped > 0 ? ` · ${p.skipped} skipped` : '') +
    (p.notReached > 0 ? ` · ${p.notReached} not reached` : ''),
  // A run whose targets are the site (reprotect): counted in steps, not in VMs.
  resultSteps: (p: { done: number; total: number; failed: number; skipped: number; notReached: number }) =>
    `${p.done} of ${p.total} steps done · ${p.failed} failed` +
    (p.skipped > 0 ? ` · ${p.skipped} skipped` : '') +
    (p.notReached > 0 ? ` · ${p.notReached} not reached` : ''),
  resultNone: (p: { step: string }) => `No VM was recovered: the run ended before "${p.step}".`,

  // progress screen
  progressWorking: (p: { done: number; total: number }) => `Working: ${p.done} of ${p.total} finished`,
  progressDone: 'Finished.',
  findingsTitle: (p: { count: number }) => `Findings: ${p.count}`,
  findingsNone: 'No findings.',
  severity: { info: 'info', warn: 'warning', error: 'error' } as Record<'info' | 'warn' | 'error', string>,
  progressLeave: 'Press q or Enter to leave.',
  colProgress: 'Progress',
  colActivity: 'Now',
};

export type UiMessages = typeof en;

const ja: UiMessages = {
  titleFailover: 'drbook フェイルオーバー',
  titleCapture: 'drbook キャプチャ',
  titleDrill: 'drbook 訓練',
  titleDrillCleanup: 'drbook 訓練の後片付け',
  titleReprotect: 'drbook 再保護',
  titleFailback: 'drbook フェイルバック',
  headerSite: (p) => `サイト ${p.site}`,
  headerRun: (p) => `実行 ${p.runId}`,
  phasePreflight: '事前確認',
  phaseRunning: '実行中',
  phasePaused: '一時停止',
  phaseDone: '完了',
  phaseFailed: '失敗',
  phaseStopped: '停止',

  boardTitle: '状況',
  boardNotYet: '事前確認の結果はまだありません。',
  mirrorLine: (p) => `事前確認時: ミラー ${p.destination} ${p.state}、遅延 ${p.lag}`,
  mirrorLineNoLag: (p) => `事前確認時: ミラー ${p.destination} ${p.state}`,
  snapshotLine: (p) => `スナップショット ${p.name}、${p.age}前、静止点 ${p.quiesced}/${p.total}`,
  snapshotNone: 'ミラーに smvi__ スナップショットがありません。復元できる静止点がありません。',
  snapshotsOlder: (p) => `ほかに古いスナップショット ${p.count}件`,
  hostsLabel: 'ホスト',
  hostUp: '到達可',
  hostDown: '到達不可',
  lockOn: 'ロックダウン有効',
  lockOff: 'ロックダウン無効',
  lockExited: 'drbook がロックダウン解除中',
  lockUnknown: 'ロックダウン不明',
  hostsSummary: (p) => `ホスト ${p.up}/${p.total} 到達可、ロックダウン有効 ${p.locked}、drbook が解除 ${p.exited}`,
  staleNone: '古いVMはありません。',
  staleSome: (p) => `事前確認時: 古いVM ${p.count}台がプライマリから登録されていました。`,
  missingSome: (p) => `キャプチャのVMのうち${p.count}台がミラーにありません。`,

  stepsTitle: 'ステップ',
  stepsDoneCollapsed: (p) => `${p.count}ステップ完了`,
  stepsMore: (p) => `ほか${p.count}ステップ`,
  etaLeft: (p) => `残り約${p.eta}`,
  stepTitles: {
    preflight: '事前確認: 状況、キャプチャ、機器',
    'before-break': '解除前のコールアウト',
    break: 'SnapMirror 関係の解除',
    snaprestore: 'ミラーを VSC スナップショットへ SnapRestore',
    clones: 'ほかのジョブのスナップショットの FlexClone',
    'lockdown-exit': 'ロックダウンモードの解除',
    mount: 'ミラーデータストアのマウント',
    fence: '古いVMの隔離（強制停止、登録解除）',
    vcenter: 'vCenter の復旧',
    recover: '登録、静止点への復帰、電源オン',
    verify: '全VMの検証',
    place: 'vCenter の配置: フォルダーとリソースプール',
    end: '終了時のコールアウト',
    'lockdown-enter': 'ロックダウンモードの再有効化',
    'drill/plan': 'ジャーナルに記録された訓練の作成物',
    'drill/lockdown-exit': '訓練ホストのロックダウン解除',
    'drill/clone': 'VSC スナップショットからミラーをクローン',
    'drill/mount': 'クローンを訓練用データストアとしてマウント',
    'drill/recover': '隔離、登録、静止点への復帰、電源オン',
    'drill/teardown': '訓練VMの電源オフと登録解除',
    'drill/remove-drill-folder': '空になった vCenter の訓練用フォルダーの削除',
    'drill/unmount': '訓練用データストアのアンマウント',
    'drill/delete-clone': 'クローンの削除',
    'drill/verify': '本番に影響がないことの検証',
    'hv-preflight': '事前確認: 登録、ファイル、稼働中のVM、CSV',
    'hv-remove': '無効な登録と失敗したロールの削除',
    'hv-recover': 'その場で登録、クラスター化、起動',
    'hv-verify': '全VMが記録どおりに戻ったかの検証',
    'hv-report': '整合性のあるVMとクラッシュ整合のVMの報告',
  },

  vmsTitle: (p) => `VM: ${p.total}台中${p.shown}台`,
  hostsTitle: (p) => `ホスト: ${p.total}台中${p.shown}台`,
  siteTitle: 'サイト全体のステップ',
  colSite: '対象',
  vmsFilter: (p) => `絞り込み「${p.text}」`,
  colName: 'VM',
  colHost: 'ホスト',
  colStage: '段階',
  colTime: '時間',
  colResult: '結果',
  colNote: '備考',
  vmsNone: 'この実行のVMはまだありません。',
  vmsNoMatch: '絞り込みに一致するVMはありません。Esc で解除します。',
  stages: {
    kill: '強制停止',
    unregister: '登録解除',
    register: '登録',
    'restore-backup': 'バックアップ復元',
    'restore-files': 'ファイル復元',
    revert: '静止点へ復帰',
    'remove-snapshot': 'スナップショット削除',
    'power-on': '電源オン',
    heartbeat: 'Tools 応答待ち',
    isolate: 'ネットワーク隔離',
    reisolate: '再隔離',
    'drill-folder': '訓練用フォルダー',
    import: 'インポート',
    role: 'クラスター ロール',
    owners: '優先所有者',
    start: '起動',
    'guest-heartbeat': 'ハートビート待ち',
  },

  logTitle: 'コマンドログ',
  logEmpty: 'まだコマンドは送信されていません。',
  logRunning: '実行中',
  logExit: (p) => `終了コード ${p.code}`,
  detailVmTitle: (p) => `VM ${p.name}（${p.host}）`,
  detailStepTitle: (p) => `ステップ: ${p.title}`,
  detailCommand: (p) => `${p.host} で ${p.started} に実行、所要 ${p.duration}、${p.result}`,
  detailCommandRunning: (p) => `${p.host} で ${p.started} に開始、実行中`,
  detailOutput: '出力（末尾）:',
  detailEarlierLines: (p) => `… 前の${p.count}行は省略（↑ PgUp）`,
  detailNoOutput: '出力はありません。',
  detailNoCommand: 'まだコマンドは実行されていません。',
  detailState: (p) => `状態: ${p.state}、時間 ${p.duration}`,
  detailClose: 'Esc か Enter で閉じる · ↑↓ PgUp/PgDn Home/End でスクロール',
  detailScroll: (p) => `上に${p.above}行、下に${p.below}行 · ↑↓ PgUp/PgDn Home/End · Esc で閉じる`,

  typedInstruction: (p) => `続行するには次のとおり正確に入力してください: ${p.expect}`,
  typedYouTyped: '入力:',
  typedWrong: '入力が一致しません。正確に入力するか、Esc で拒否してください。',
  typedKeys: 'Enter で確定 · Ctrl+U で消去 · Esc で拒否（実行は停止し、再開できます）',
  refuseAsk: '拒否してここで実行を停止しますか（再開できます）? y で停止 · n で戻る',
  dialogMore: (p) =>
    [p.above > 0 ? `↑ 上にあと${p.above}行` : '', p.below > 0 ? `↓ 下にあと${p.below}行` : ''].filter(Boolean).join(' · ') +
    '（PgUp/PgDn）',
  checklistKeys: '↑↓ 移動 · Space でチェック · すべてチェックしたら Enter · Esc で中断',
  checklistNotAll: (p) => `まだ${p.left}項目がチェックされていません。終えた項目ごとにチェックしてください。`,
  choiceKeys: '↑↓ で選択 · Enter で確定',
  errorTitle: 'コマンドが失敗しました',
  errorTitleFor: (p) => `${p.target} で失敗しました`,
  errorVm: (p) => `VM: ${p.vm}`,
  errorHost: (p) => `ホスト: ${p.host}`,
  errorCommand: (p) => `コマンド: ${p.command}`,
  errorMessage: (p) => `機器のメッセージ: ${p.message}`,
  optionLabels: {
    retry: '再試行',
    skip: 'これをスキップして続行',
    abort: 'ここで実行を停止（再開可能）',
  },
  quitAsk: '終了しますか？ 実行は再開できます。y: 次の安全な時点で停止 · n: 戻る',

  helpTitle: 'キー操作',
  helpLines: [
    '↑ ↓          選択を移動',
    'PgUp PgDn    1ページ移動',
    'Tab          ステップとVM表を切り替え',
    'Enter        詳細: すべてのコマンド、出力、時間',
    '             （↑↓ PgUp/PgDn Home/End でスクロール）',
    '/            VMを絞り込み（Enter で保持、Esc で解除）',
    'p            次の安全な時点で一時停止',
    'q            終了（確認あり。実行は再開できます）',
    'Ctrl+C       安全に一時停止（実行中のコマンドは中断しません）',
    '?            このヘルプ（Esc で閉じる）',
  ],

  statusPreparing: '実行を準備しています…',
  statusRunning: (p) => `実行中: ${p.step}（${p.done}/${p.total}）`,
  statusRunningNoCount: (p) => `実行中: ${p.step}`,
  statusWaitingYou: (p) => `入力を待っています: ${p.title}`,
  statusWaitingYouShort: '上の質問への回答を待っています。',
  statusPausing: '次の安全な時点で一時停止します。実行中のコマンドは最後まで実行されます。',
  statusPaused: '一時停止中です。実行中の処理はありません。',
  statusDone: 'フェイルオーバーが完了しました。q で終了します。',
  statusDoneDrill: '訓練が完了しました。q で終了します。',
  statusDoneDrillCleanup: '訓練の後片付けが完了しました。q で終了します。',
  statusDoneReprotect: '再保護が完了しました。q で終了します。',
  statusDoneFailback: 'フェイルバックが完了しました。q で終了します。',
  statusFailed: '失敗があったため実行は停止しました。q で終了します。',
  statusStopped: '実行は停止しました。q で終了します。',
  statusFiltering: '入力してVMを絞り込み · Enter で保持 · Esc で解除',
  keysMain: '↑↓ PgUp/PgDn 移動 · Enter 詳細 · / 絞り込み · Tab 切替 · p 一時停止 · q 終了 · ? ヘルプ',
  keysNarrow: '↑↓ 移動 · Enter 詳細 · / 絞込 · p 一時停止 · q 終了 · ? ヘルプ',
  keysDialog: '上の質問に答えてください · Ctrl+C で一時停止',
  keysDone: 'q で終了 · ↑↓ 移動 · Enter 詳細 · Tab 切替 · ? ヘルプ',
  ctrlCPausing: 'Ctrl+C: 次の安全な時点で一時停止します。実行中のコマンドは中断しません。',
  pauseRequested: '一時停止を受け付けました。次の安全な時点で停止します。',
  reportAt: (p) => `レポート: ${p.path}`,
  resultLine: (p) =>
    `VM ${p.total}台中${p.done}台を復旧 · 失敗 ${p.failed}台` +
    (p.skipped > 0 ? ` · スキップ ${p.skipped}台` : '') +
    (p.notReached > 0 ? ` · 未実施 ${p.notReached}台` : '') +
    (p.crashConsistent > 0 ? ` · クラッシュ整合（静止点なし） ${p.crashConsistent}台` : ''),
  resultLineFailback: (p) =>
    `VM ${p.total}台中${p.done}台を戻しました · 失敗 ${p.failed}台` +
    (p.skipped > 0 ? ` · スキップ ${p.skipped}台` : '') +
    (p.notReached > 0 ? ` · 未実施 ${p.notReached}台` : ''),
  resultSteps: (p) =>
    `${p.total}ステップ中${p.done}ステップ完了 · 失敗 ${p.failed}` +
    (p.skipped > 0 ? ` · スキップ ${p.skipped}` : '') +
    (p.notReached > 0 ? ` · 未実施 ${p.notReached}` : ''),
  resultNone: (p) => `復旧したVMはありません。「${p.step}」の前に実行が終わりました。`,

  progressWorking: (p) => `処理中: ${p.total}件中${p.done}件完了`,
  progressDone: '完了しました。',
  findingsTitle: (p) => `指摘事項: ${p.count}件`,
  findingsNone: '指摘事項はありません。',
  severity: { info: '情報', warn: '警告', error: 'エラー' },
  progressLeave: 'q または Enter で終了します。',
  colProgress: '進捗',
  colActivity: '現在',
};

export function uiMessages(lang: Lang): UiMessages {
  return pick(lang, { en, ja });
}
