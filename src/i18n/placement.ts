import { pick, type Lang } from './lang.js';

/** vCenter placement: the failover's place step, `drbook place`, and their report section. */
const en = {
  vcenterDown: (p: { error: string }) => `vCenter cannot be reached (${p.error}): placement left for \`drbook place\``,
  notInVcenter: (p: { vm: string; path: string }) => `${p.vm}: vCenter does not show ${p.path}`,
  notInVcenterHint: 'wait until vCenter shows the VM (it reads its hosts), then resume or run drbook place',
  noSuchFolder: (p: { path: string }) => `vCenter has no folder ${p.path}`,
  noSuchPool: (p: { path: string }) => `vCenter has no resource pool ${p.path}`,
  noSuchHost: (p: { host: string }) => `vCenter has no host ${p.host}`,
  noSuchHint: 'create it in vCenter as it was (the capture recorded it), then run drbook place',
  registeredThroughVcenter: (p: { vm: string; folder: string; pool: string; host: string }) =>
    `${p.vm}: registered through vCenter into ${p.folder} and ${p.pool}, on ${p.host}`,
  registerOnHostInstead: (p: { vm: string; error: string }) =>
    `${p.vm}: registered on its host instead of through vCenter (${p.error}); the place step moves it`,
  registeredDespiteError: (p: { vm: string; host: string; error: string }) =>
    `${p.vm}: vCenter's answer was lost (${p.error}), but ${p.host} shows it registered; the place step checks its folder and pool`,
  sitVcenterUp: (p: { url: string }) =>
    `vCenter ${p.url}: up — the VMs are registered through it, into their recorded folders and resource pools`,
  sitVcenterDown: (p: { url: string; error: string }) =>
    `vCenter ${p.url}: down (${p.error}) — the VMs are registered on their hosts, and placed once vCenter is up`,
  movedAfterEsxi: (p: { vm: string; folder: string; pool: string }) =>
    `${p.vm}: moved into ${p.folder} and ${p.pool} (after the ESXi registration)`,
  alreadyPlaced: (p: { vm: string }) => `${p.vm}: already in its recorded folder and resource pool`,
  stillElsewhere: (p: { folder: string; pool: string }) => `vCenter still shows it in ${p.folder}, ${p.pool}`,
  noPlacementRecorded: 'the capture has no vCenter placement for it',
  // report
  secPlacement: 'vCenter placement',
  colVm: 'VM',
  colFolder: 'Folder',
  colPool: 'Resource pool',
  colResult: 'Result',
  resultPlaced: 'placed (moved after the ESXi registration)',
  resultAlready: 'already in place',
  resultRegisteredInPlace: 'placed (registered through vCenter)',
  resultLeft: (p: { why: string }) => `left: ${p.why}`,
  placementsLeft: (p: { count: number; site: string }) =>
    `${p.count} placement${p.count === 1 ? '' : 's'} left: once vCenter is up, run \`drbook place --site FILE\` with the site file of site ${p.site}`,
  // drbook place
  placeLine: (p: { vm: string; what: string }) => `${p.vm}: ${p.what}`,
  placeMoved: (p: { folder: string; pool: string }) => `moved into ${p.folder}, ${p.pool}`,
  placeAlready: 'already in place',
  placeSummary: (p: { moved: number; already: number; failed: number }) =>
    `placement: ${p.moved} moved, ${p.already} already in place, ${p.failed} failed`,
  placeNothing: (p: { capture: string }) => `capture ${p.capture} records no vCenter placement: run drbook capture while vCenter is up`,
  // drbook status
  labelPlacement: 'vCenter',
  statusUnread: (p: { url: string; error: string }) => `placement unknown: ${p.url} could not be read (${p.error})`,
  statusPlaced: (p: { placed: number; toPlace: number; missing: number; capture: string }) =>
    `${p.placed} VM${p.placed === 1 ? '' : 's'} placed as recorded, ${p.toPlace} to place${p.missing ? `, ${p.missing} not in vCenter` : ''} (capture ${p.capture})`,
  statusWouldMove: (p: { vm: string; from: string; to: string }) => `drbook place would move ${p.vm}: ${p.from} → ${p.to}`,
  statusMore: (p: { count: number }) => `… and ${p.count} more (drbook place --json lists every one)`,
  statusPlaceHint: (p: { site: string }) => `run: drbook place --site ${p.site}`,
};

export type PlacementMessages = typeof en;

const ja: PlacementMessages = {
  vcenterDown: (p) => `vCenter に接続できません (${p.error})。配置は \`drbook place\` で後から行います`,
  notInVcenter: (p) => `${p.vm}: vCenter に ${p.path} が見当たりません`,
  notInVcenterHint: 'vCenter が VM を認識する (ホストから読み込む) まで待ってから、再開するか drbook place を実行してください',
  noSuchFolder: (p) => `vCenter にフォルダー ${p.path} がありません`,
  noSuchPool: (p) => `vCenter にリソースプール ${p.path} がありません`,
  noSuchHost: (p) => `vCenter にホスト ${p.host} がありません`,
  noSuchHint: 'キャプチャの記録どおりに vCenter で作成してから drbook place を実行してください',
  registeredThroughVcenter: (p) => `${p.vm}: vCenter 経由で ${p.folder} と ${p.pool} に登録しました (ホスト ${p.host})`,
  registerOnHostInstead: (p) => `${p.vm}: vCenter 経由ではなくホストで登録しました (${p.error})。配置のステップで移動します`,
  registeredDespiteError: (p) =>
    `${p.vm}: vCenter の応答は失われました (${p.error}) が、${p.host} には登録されています。配置のステップでフォルダーとリソースプールを確認します`,
  sitVcenterUp: (p) => `vCenter ${p.url}: 稼働中 — VM は vCenter 経由で、記録どおりのフォルダーとリソースプールに登録します`,
  sitVcenterDown: (p) => `vCenter ${p.url}: 停止中 (${p.error}) — VM はホストで登録し、vCenter の起動後に配置します`,
  movedAfterEsxi: (p) => `${p.vm}: ${p.folder} と ${p.pool} へ移動しました (ESXi での登録の後)`,
  alreadyPlaced: (p) => `${p.vm}: 記録どおりのフォルダーとリソースプールにあります`,
  stillElsewhere: (p) => `vCenter ではまだ ${p.folder}、${p.pool} にあります`,
  noPlacementRecorded: 'キャプチャに vCenter の配置の記録がありません',
  secPlacement: 'vCenter の配置',
  colVm: 'VM',
  colFolder: 'フォルダー',
  colPool: 'リソースプール',
  colResult: '結果',
  resultPlaced: '配置済み (ESXi での登録の後に移動)',
  resultAlready: '元から記録どおり',
  resultRegisteredInPlace: '配置済み (vCenter 経由で登録)',
  resultLeft: (p) => `未実施: ${p.why}`,
  placementsLeft: (p) =>
    `配置が ${p.count} 件残っています。vCenter が起動したら、サイト ${p.site} のサイトファイルを指定して \`drbook place --site FILE\` を実行してください`,
  placeLine: (p) => `${p.vm}: ${p.what}`,
  placeMoved: (p) => `${p.folder}、${p.pool} へ移動しました`,
  placeAlready: '記録どおりです',
  placeSummary: (p) => `配置: 移動 ${p.moved} 件、記録どおり ${p.already} 件、失敗 ${p.failed} 件`,
  placeNothing: (p) =>
    `キャプチャ ${p.capture} には vCenter の配置の記録がありません。vCenter が動いているときに drbook capture を実行してください`,
  labelPlacement: 'vCenter',
  statusUnread: (p) => `配置は不明: ${p.url} を読み取れません (${p.error})`,
  statusPlaced: (p) =>
    `記録どおりの配置 ${p.placed} 台、配置待ち ${p.toPlace} 台${p.missing ? `、vCenter にない VM ${p.missing} 台` : ''} (キャプチャ ${p.capture})`,
  statusWouldMove: (p) => `drbook place は ${p.vm} を移動します: ${p.from} → ${p.to}`,
  statusMore: (p) => `… ほか ${p.count} 台 (drbook place --json ですべて表示)`,
  statusPlaceHint: (p) => `実行: drbook place --site ${p.site}`,
};

export function placementMessages(lang: Lang): PlacementMessages {
  return pick(lang, { en, ja });
}
