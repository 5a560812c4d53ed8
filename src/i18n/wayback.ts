import { pick, type Lang } from './lang.js';

/**
 * `drbook reprotect` and `drbook failback` (the way back): what their steps say, ask and refuse.
 * Paths, names, snapshot names and device words stay verbatim.
 */
const en = {
  siteTarget: 'site',
  // ---- refusals (preflight): one line, and what to do ----
  notFailedOver: (p: { site: string; state: string }) => `site ${p.site} is ${p.state}, not failed over: there is nothing to bring back`,
  notFailedOverHint: (p: { file: string }) => `drbook status --site ${p.file} says where it stands`,
  primaryUnreachable: (p: { primary: string; state: string }) =>
    `the original volume ${p.primary} is ${p.state}: it must be back before it can be reprotected`,
  primaryUnreachableHint: 'bring the original volume online (repair the original site), then run drbook reprotect again',
  clusterUnreadable: (p: { error: string }) => `the cluster could not be read: ${p.error}`,
  clusterUnreadableHint: (p: { file: string }) => `drbook check --site ${p.file} says what is wrong`,
  alreadyReprotected: (p: { source: string; destination: string; state: string }) =>
    `the way back ${p.source} → ${p.destination} exists already (${p.state})`,
  alreadyReprotectedHint: (p: { file: string }) =>
    `drbook status --site ${p.file}; when it says reprotected: drbook failback --site ${p.file}`,
  notReprotected: (p: { source: string; destination: string }) =>
    `there is no relationship ${p.source} → ${p.destination}: the site is not reprotected`,
  notReprotectedHint: (p: { file: string }) =>
    `drbook reprotect --site ${p.file} first, then fail back once drbook status says reprotected`,
  reverseNotReady: (p: { state: string; status: string; healthy: string }) =>
    `the way back is ${p.state}, ${p.status}, ${p.healthy}: failing back now would lose what it has not transferred`,
  reverseNotReadyHint: (p: { file: string }) => `wait until drbook status --site ${p.file} says reprotected, then fail back`,
  reverseLags: (p: { lag: string; max: string }) =>
    `the way back lags ${p.lag} (more than ${p.max}): its last transfer is too old to fail back on`,
  reverseLagsHint: 'find out why the transfers stopped (snapmirror show), or pass --max-lag MINUTES if this lag is expected',
  vmsOnPrimary: (p: { count: number; datastore: string; names: string }) =>
    `${p.count} VM(s) are registered or running from ${p.datastore} (${p.names}): a resync would overwrite the volume under them`,
  vmsOnPrimaryHint: 'unregister them (or move them away) first; nothing was changed',
  vmsOnMirror: (p: { count: number; datastore: string; names: string }) =>
    `${p.count} VM(s) are still registered or running from ${p.datastore} (${p.names}): resyncing the mirror would overwrite it under them`,
  vmsOnMirrorHint: 'drbook resume continues the failback, which unregisters them first',
  commonGone: (p: { snapshot: string }) => `the common snapshot ${p.snapshot} is gone: a resync is no longer possible`,
  commonGoneHint: 'run drbook reprotect again: its preflight finds the site has to be re-baselined and says so before it asks',
  // ---- the board ----
  boardReverse: (p: { source: string; destination: string }) => `way back: ${p.source} → ${p.destination}`,
  boardOriginal: (p: { source: string; destination: string; state: string }) =>
    `original relationship ${p.source} → ${p.destination}: ${p.state}`,
  boardNoOriginal: 'original relationship: none (deleted)',
  boardPrimary: (p: { primary: string; state: string; type: string }) => `original volume ${p.primary}: ${p.state}, ${p.type}`,
  boardResync: (p: { snapshot: string; time: string }) => `resync from the common snapshot ${p.snapshot} (${p.time})`,
  boardBaseline: (p: { size: string }) => `FULL BASELINE: no common snapshot; ${p.size} to transfer`,
  boardDiscard: (p: { snapshots: string }) => `the resync deletes on the original volume: ${p.snapshots}`,
  boardDiscardData: (p: { time: string }) => `and every write to the original volume after ${p.time}`,
  boardSetAside: (p: { aside: string }) => `the original volume is kept as ${p.aside} (delete it once the site is protected again)`,
  boardVms: (p: { count: number; on: number; hosts: string }) => `VMs to bring back: ${p.count} (${p.on} powered on) on ${p.hosts}`,
  boardLag: (p: { lag: string }) => `way back lag: ${p.lag}`,
  // ---- confirmations ----
  reprotectTitle: (p: { primary: string }) => `Reprotect: overwrite ${p.primary} with the mirror`,
  reprotectResync: (p: { mirror: string; primary: string; snapshot: string; time: string }) =>
    `${p.mirror} is resynced onto ${p.primary} from the common snapshot ${p.snapshot} (${p.time}).`,
  reprotectDiscards: (p: { primary: string; snapshots: string; time: string }) =>
    `It DISCARDS what ${p.primary} holds that is newer: every write after ${p.time}${p.snapshots ? `, and the snapshots ${p.snapshots}` : ''}.`,
  reprotectBaseline: (p: { primary: string; size: string; time: string }) =>
    `No snapshot is common to both volumes: this is a FULL BASELINE of ${p.size} (${p.time}); ${p.primary} is not protected until it finishes.`,
  reprotectAside: (p: { primary: string; aside: string }) =>
    `${p.primary} as it is now is kept, renamed ${p.aside}, and a new empty volume takes its name.`,
  baselineTime: (p: { rate: string; time: string }) => `about ${p.time} at the last transfer's ${p.rate}`,
  baselineTimeUnknown: 'its time depends on the link: no earlier transfer says how fast it is',
  durationSeconds: (p: { n: number }) => `${p.n} s`,
  durationMinutes: (p: { n: number }) => `${p.n} min`,
  durationHours: (p: { h: number; min: number }) => `${p.h} h ${p.min} min`,
  reprotectType: (p: { primary: string }) => `Type ${p.primary} to go on.`,
  failbackTitle: (p: { mirror: string }) => `Fail back: shut the VMs down, then overwrite ${p.mirror} with the original`,
  failbackLines: (p: { count: number; mirror: string; primary: string }) => [
    `${p.count} VM(s) running from the mirror are shut down (guest shutdown, then power off), a final transfer copies ${p.mirror} to ${p.primary}, and they come back from ${p.primary} on their hosts, under their names.`,
    `Then ${p.primary} is mirrored to ${p.mirror} again: the mirror's content is replaced by the original's.`,
  ],
  failbackType: (p: { mirror: string }) => `Type ${p.mirror} to go on.`,
  // ---- notes and errors of the steps ----
  guestShutdownFailed: (p: { vm: string; error: string }) => `${p.vm}: the guest did not shut down (${p.error}): powered off`,
  guestShutdownTimeout: (p: { vm: string; seconds: number }) => `${p.vm}: the guest was not off after ${p.seconds} s: powered off`,
  stillOn: (p: { vm: string }) => `${p.vm} is still powered on`,
  stillRegistered: (p: { vm: string; host: string }) => `${p.vm} is still registered on ${p.host}`,
  notRegistered: (p: { vm: string; host: string }) => `${p.vm} is not registered on ${p.host}`,
  nameTaken: (p: { vm: string; host: string; path: string }) => `${p.host} already has a VM named ${p.vm} (${p.path})`,
  nameTakenHint: 'unregister or rename that VM, then drbook resume',
  notOnPrimary: (p: { path: string }) => `${p.path} is not on the original datastore`,
  notOnPrimaryHint: 'the final transfer did not bring it: drbook status, then drbook resume',
  noPowerOn: (p: { vm: string }) => `${p.vm} did not power on`,
  noHeartbeat: (p: { vm: string; seconds: number }) => `${p.vm}: no VMware Tools heartbeat within ${p.seconds} s`,
  noHeartbeatHint: "open the VM's console; drbook resume waits again",
  answeredMoved: (p: { vm: string }) => `${p.vm}: answered "I moved it" (UUID and MAC addresses kept)`,
  wasOff: 'it was powered off before the failback',
  transferStuck: (p: { destination: string; seconds: number }) => `the transfer to ${p.destination} did not finish within ${p.seconds} s`,
  transferStuckHint: 'snapmirror show says why; drbook resume waits again',
  stateNot: (p: { path: string; state: string; want: string }) => `${p.path} is ${p.state}, not ${p.want}`,
  datastoreNotAccessible: (p: { datastore: string; host: string }) => `${p.datastore} is not accessible on ${p.host}`,
  verifyAllGood: (p: { count: number; primary: string }) =>
    `every VM (${p.count}) runs from ${p.primary} as recorded; the site is protected again`,
  verifyProblem: (p: { count: number; first: string }) => `${p.count} problem(s) after the failback; the first: ${p.first}`,
  verifyProblemHint: 'the report lists them; drbook status --site FILE says where the site stands',
  verifyPower: (p: { vm: string; power: string; want: string }) => `${p.vm} is powered ${p.power}, was ${p.want}`,
  verifyNoProtection: (p: { source: string; destination: string; state: string }) =>
    `${p.source} → ${p.destination} is ${p.state}, not Snapmirrored`,
  reprotectStarted: (p: { size: string }) => `the baseline (${p.size}) runs on the cluster: drbook status says reprotected when it is done`,
  reprotectDone: (p: { source: string; destination: string }) =>
    `${p.source} is mirrored to ${p.destination}: fail back in a maintenance window (drbook failback)`,
  unfinished: (p: { command: string }) => `drbook: ${p.command} continues it; every step is checked on the devices first.`,
};

export type WayBackMessages = typeof en;

const ja: WayBackMessages = {
  siteTarget: 'サイト',
  notFailedOver: (p) => `サイト ${p.site} は ${p.state} で、フェイルオーバーしていません: 戻すものはありません`,
  notFailedOverHint: (p) => `drbook status --site ${p.file} で状態を確認してください`,
  primaryUnreachable: (p) => `元のボリューム ${p.primary} は ${p.state} です: 再保護の前に復旧が必要です`,
  primaryUnreachableHint: '元のボリュームをオンラインに戻して (元のサイトを修復して) から、drbook reprotect を再実行してください',
  clusterUnreadable: (p) => `クラスタを読み取れませんでした: ${p.error}`,
  clusterUnreadableHint: (p) => `drbook check --site ${p.file} で問題を確認してください`,
  alreadyReprotected: (p) => `戻りの関係 ${p.source} → ${p.destination} はすでにあります (${p.state})`,
  alreadyReprotectedHint: (p) => `drbook status --site ${p.file} が再保護済みと表示したら: drbook failback --site ${p.file}`,
  notReprotected: (p) => `${p.source} → ${p.destination} の関係がありません: サイトは再保護されていません`,
  notReprotectedHint: (p) => `まず drbook reprotect --site ${p.file}、drbook status が再保護済みと表示したらフェイルバックしてください`,
  reverseNotReady: (p) => `戻りの関係は ${p.state}、${p.status}、${p.healthy} です: 今フェイルバックすると未転送のデータを失います`,
  reverseNotReadyHint: (p) => `drbook status --site ${p.file} が再保護済みと表示するまで待ってからフェイルバックしてください`,
  reverseLags: (p) => `戻りの関係の遅延が ${p.lag} です (${p.max} 超): 最後の転送が古すぎます`,
  reverseLagsHint: '転送が止まった理由を確認するか (snapmirror show)、想定どおりの遅延なら --max-lag 分 を指定してください',
  vmsOnPrimary: (p) =>
    `${p.datastore} から ${p.count} 台の VM が登録または実行されています (${p.names}): 再同期はその下のボリュームを上書きします`,
  vmsOnPrimaryHint: '先に登録を解除 (または移動) してください。何も変更していません',
  vmsOnMirror: (p) =>
    `${p.datastore} から ${p.count} 台の VM がまだ登録または実行されています (${p.names}): ミラーの再同期はその下を上書きします`,
  vmsOnMirrorHint: 'drbook resume でフェイルバックを続けると、先に登録を解除します',
  commonGone: (p) => `共通スナップショット ${p.snapshot} がなくなりました: 再同期はできません`,
  commonGoneHint: 'drbook reprotect を再実行してください: 事前確認で再ベースラインが必要と判断し、確認の前にそれを示します',
  boardReverse: (p) => `戻りの関係: ${p.source} → ${p.destination}`,
  boardOriginal: (p) => `元の関係 ${p.source} → ${p.destination}: ${p.state}`,
  boardNoOriginal: '元の関係: なし (削除済み)',
  boardPrimary: (p) => `元のボリューム ${p.primary}: ${p.state}、${p.type}`,
  boardResync: (p) => `共通スナップショット ${p.snapshot} (${p.time}) から再同期`,
  boardBaseline: (p) => `フル ベースライン: 共通スナップショットがありません。転送量 ${p.size}`,
  boardDiscard: (p) => `再同期で元のボリュームから削除されるもの: ${p.snapshots}`,
  boardDiscardData: (p) => `および ${p.time} 以降の元のボリュームへの書き込みすべて`,
  boardSetAside: (p) => `元のボリュームは ${p.aside} として残します (サイトが再び保護されたら削除してください)`,
  boardVms: (p) => `戻す VM: ${p.count} 台 (電源オン ${p.on} 台)、${p.hosts}`,
  boardLag: (p) => `戻りの関係の遅延: ${p.lag}`,
  reprotectTitle: (p) => `再保護: ${p.primary} をミラーで上書きします`,
  reprotectResync: (p) => `${p.mirror} を共通スナップショット ${p.snapshot} (${p.time}) から ${p.primary} へ再同期します。`,
  reprotectDiscards: (p) =>
    `${p.primary} にあるそれより新しいものは破棄されます: ${p.time} 以降の書き込みすべて${p.snapshots ? `、およびスナップショット ${p.snapshots}` : ''}。`,
  reprotectBaseline: (p) =>
    `両方のボリュームに共通のスナップショットがありません: ${p.size} のフル ベースラインです (${p.time})。完了まで ${p.primary} は保護されません。`,
  reprotectAside: (p) => `現在の ${p.primary} は ${p.aside} に名前を変えて残し、同じ名前で新しい空のボリュームを作ります。`,
  baselineTime: (p) => `前回の転送速度 ${p.rate} で約 ${p.time}`,
  baselineTimeUnknown: '所要時間は回線次第です: 速度を示す以前の転送がありません',
  durationSeconds: (p) => `${p.n} 秒`,
  durationMinutes: (p) => `${p.n} 分`,
  durationHours: (p) => `${p.h} 時間 ${p.min} 分`,
  reprotectType: (p) => `続けるには ${p.primary} と入力してください。`,
  failbackTitle: (p) => `フェイルバック: VM を停止し、${p.mirror} を元のボリュームで上書きします`,
  failbackLines: (p) => [
    `ミラーから動いている ${p.count} 台の VM を停止し (ゲストのシャットダウン、その後電源オフ)、最後の転送で ${p.mirror} を ${p.primary} にコピーし、${p.primary} から各ホストに同じ名前で戻します。`,
    `その後 ${p.primary} を再び ${p.mirror} へミラーします: ミラーの内容は元のボリュームの内容で置き換わります。`,
  ],
  failbackType: (p) => `続けるには ${p.mirror} と入力してください。`,
  guestShutdownFailed: (p) => `${p.vm}: ゲストがシャットダウンしませんでした (${p.error}): 電源をオフにしました`,
  guestShutdownTimeout: (p) => `${p.vm}: ${p.seconds} 秒経ってもゲストが停止しませんでした: 電源をオフにしました`,
  stillOn: (p) => `${p.vm} はまだ電源オンです`,
  stillRegistered: (p) => `${p.vm} はまだ ${p.host} に登録されています`,
  notRegistered: (p) => `${p.vm} は ${p.host} に登録されていません`,
  nameTaken: (p) => `${p.host} にはすでに ${p.vm} という名前の VM があります (${p.path})`,
  nameTakenHint: 'その VM の登録を解除するか名前を変えてから drbook resume してください',
  notOnPrimary: (p) => `${p.path} が元のデータストアにありません`,
  notOnPrimaryHint: '最後の転送で届いていません: drbook status を確認してから drbook resume してください',
  noPowerOn: (p) => `${p.vm} の電源が入りませんでした`,
  noHeartbeat: (p) => `${p.vm}: ${p.seconds} 秒以内に VMware Tools のハートビートがありません`,
  noHeartbeatHint: 'VM のコンソールを確認してください。drbook resume で再度待ちます',
  answeredMoved: (p) => `${p.vm}: 「移動しました」と回答しました (UUID と MAC アドレスを維持)`,
  wasOff: 'フェイルバック前から電源オフでした',
  transferStuck: (p) => `${p.destination} への転送が ${p.seconds} 秒以内に終わりませんでした`,
  transferStuckHint: 'snapmirror show で理由を確認してください。drbook resume で再度待ちます',
  stateNot: (p) => `${p.path} は ${p.state} で、${p.want} ではありません`,
  datastoreNotAccessible: (p) => `${p.host} で ${p.datastore} にアクセスできません`,
  verifyAllGood: (p) => `すべての VM (${p.count} 台) が記録どおり ${p.primary} から動いています。サイトは再び保護されています`,
  verifyProblem: (p) => `フェイルバック後に ${p.count} 件の問題があります。最初の問題: ${p.first}`,
  verifyProblemHint: 'レポートに一覧があります。drbook status --site FILE で状態を確認してください',
  verifyPower: (p) => `${p.vm} の電源は ${p.power} ですが、以前は ${p.want} でした`,
  verifyNoProtection: (p) => `${p.source} → ${p.destination} は ${p.state} で、Snapmirrored ではありません`,
  reprotectStarted: (p) => `ベースライン (${p.size}) がクラスタで実行中です: 完了すると drbook status が再保護済みと表示します`,
  reprotectDone: (p) =>
    `${p.source} は ${p.destination} へミラーされています: メンテナンス時間内にフェイルバックしてください (drbook failback)`,
  unfinished: (p) => `drbook: ${p.command} で続行できます。各手順は実行前に機器で確認します。`,
};

export function wayBackMessages(lang: Lang): WayBackMessages {
  return pick(lang, { en, ja });
}
