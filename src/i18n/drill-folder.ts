import { pick, type Lang } from './lang.js';

/** The drill folder: the vCenter folder a drill's clones are put in, and its removal. */
const en = {
  noVcenter: 'the site file has no vCenter API: the drill VMs stay where their hosts put them in vCenter',
  vcenterDown: (p: { error: string }) => `vCenter cannot be reached (${p.error}): the drill goes on without its drill folder`,
  offSkip: 'no drill folder (see the note above)',
  notShown: (p: { path: string }) => `vCenter does not show ${p.path}: left where it is`,
  moved: (p: { vm: string; folder: string }) => `${p.vm}: moved into the drill folder ${p.folder}`,
  stillElsewhere: (p: { folder: string }) => `vCenter shows it in ${p.folder}`,
  folderLabel: (p: { name: string }) => `vCenter folder "${p.name}"`,
  folderNotEmpty: (p: { folder: string; count: number }) => `${p.folder} still holds ${p.count} item(s): left in place`,
  folderNotEmptyHint: 'remove what is in it (or run drbook drill cleanup again once the drill VMs are gone)',
  folderStillThere: 'the drill folder still exists',
  folderDownLeft: (p: { run: string }) =>
    `no vCenter (see the note above): a drill folder, if one was made, is left; drbook drill cleanup ${p.run} removes it once vCenter is up`,
  // The drill board's vCenter line (the failover's says where the recovered VMs are placed).
  sitUp: (p: { url: string; folder: string }) =>
    `vCenter ${p.url}: up — the drill VMs are put into the drill folder "${p.folder}", removed with them at the end`,
  sitUpKeep: (p: { url: string; folder: string }) =>
    `vCenter ${p.url}: up — the drill VMs are put into the drill folder "${p.folder}", left with them (--keep); drbook drill cleanup removes it`,
  sitDown: (p: { url: string; error: string }) =>
    `vCenter ${p.url}: down (${p.error}) — the drill goes on without its drill folder: the drill VMs stay where their hosts put them`,
  sitUpCleanup: (p: { url: string; folder: string }) => `vCenter ${p.url}: up — the drill folder "${p.folder}" is removed once empty`,
  sitDownCleanup: (p: { url: string; error: string; run: string }) =>
    `vCenter ${p.url}: down (${p.error}) — the drill folder, if one was made, is left; drbook drill cleanup ${p.run} removes it once vCenter is up`,
  // The drill board's own lines: its hosts (lockdown only: a drill leaves stale VMs alone) and its clone.
  sitHost: (p: { host: string; lockdown: 'on' | 'off' | null }) => `host ${p.host}: lockdown ${p.lockdown === null ? '?' : p.lockdown}`,
  sitClone: (p: { vserver: string; clone: string; snapshot: string; junction: string; datastore: string }) =>
    `drill: clone ${p.vserver}:${p.clone} of ${p.snapshot} at ${p.junction}, datastore ${p.datastore}`,
  sitHostVms: (p: { host: string; count: number }) => `${p.host} (${p.count} VMs)`,
  sitHosts: (p: { hosts: string; powerOn: boolean; keep: boolean }) =>
    `drill hosts: ${p.hosts}; ${p.powerOn ? 'power on' : 'no power on'}${p.keep ? '; --keep: left in place' : ''}`,
};

export type DrillFolderMessages = typeof en;

const ja: DrillFolderMessages = {
  noVcenter: 'サイトファイルに vCenter API がありません。訓練 VM は vCenter 上でホストが置いた場所のままです',
  vcenterDown: (p) => `vCenter に接続できません (${p.error})。訓練用フォルダーなしで訓練を続けます`,
  offSkip: '訓練用フォルダーなし (上のメモを参照)',
  notShown: (p) => `vCenter に ${p.path} が見当たりません。移動しません`,
  moved: (p) => `${p.vm}: 訓練用フォルダー ${p.folder} に移動しました`,
  stillElsewhere: (p) => `vCenter 上では ${p.folder} にあります`,
  folderLabel: (p) => `vCenter フォルダー「${p.name}」`,
  folderNotEmpty: (p) => `${p.folder} にまだ ${p.count} 個の項目があるため、残します`,
  folderNotEmptyHint: '中身を削除してください (訓練 VM がなくなってから drbook drill cleanup を再実行しても構いません)',
  folderStillThere: '訓練用フォルダーがまだ存在します',
  folderDownLeft: (p) =>
    `vCenter なし (上のメモを参照)。訓練用フォルダーが作られていれば残ります。vCenter が復旧したら drbook drill cleanup ${p.run} で削除します`,
  sitUp: (p) => `vCenter ${p.url}: 稼働中 — 訓練 VM は訓練用フォルダー「${p.folder}」に入れ、最後に VM とともに削除します`,
  sitUpKeep: (p) =>
    `vCenter ${p.url}: 稼働中 — 訓練 VM は訓練用フォルダー「${p.folder}」に入れ、VM とともに残します (--keep)。drbook drill cleanup で削除します`,
  sitDown: (p) => `vCenter ${p.url}: 停止中 (${p.error}) — 訓練用フォルダーなしで訓練します。訓練 VM はホストが置いた場所のままです`,
  sitUpCleanup: (p) => `vCenter ${p.url}: 稼働中 — 訓練用フォルダー「${p.folder}」は空になりしだい削除します`,
  sitDownCleanup: (p) =>
    `vCenter ${p.url}: 停止中 (${p.error}) — 訓練用フォルダーが作られていれば残ります。vCenter が復旧したら drbook drill cleanup ${p.run} で削除します`,
  sitHost: (p) => `ホスト ${p.host}: ロックダウン ${p.lockdown === null ? '?' : p.lockdown === 'on' ? '有効' : '無効'}`,
  sitClone: (p) => `訓練: ${p.snapshot} のクローン ${p.vserver}:${p.clone} (${p.junction})、データストア ${p.datastore}`,
  sitHostVms: (p) => `${p.host} (${p.count} 台)`,
  sitHosts: (p) =>
    `訓練ホスト: ${p.hosts}。${p.powerOn ? '電源を入れます' : '電源を入れません'}${p.keep ? '。--keep: そのまま残します' : ''}`,
};

export function drillFolderMessages(lang: Lang): DrillFolderMessages {
  return pick(lang, { en, ja });
}
