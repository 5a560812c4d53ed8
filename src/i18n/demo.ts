import { pick, type Lang } from './lang.js';

/** What `drbook demo` says around the failover screen. */
const en = {
  intro: 'drbook demo: a simulated vSphere-on-NetApp site loses its VM volume, and drbook brings every VM back from the SnapMirror copy.',
  startingLab: (p: { hosts: number; vms: number; dir: string }) =>
    `Starting the lab: ${p.hosts} ESXi hosts and an ONTAP cluster behind SSH on 127.0.0.1, ${p.vms} VMs, in ${p.dir}`,
  backup: 'Running the VSC backup job (VMware snapshots, NetApp snapshot, SnapMirror update)…',
  backupDone: (p: { snapshots: string }) => `Backup done: ${p.snapshots}`,
  capture: 'Capturing the inventory (display names, placement, backup coverage)…',
  captureDone: (p: { vms: number; findings: number }) => `Capture done: ${p.vms} VMs, ${p.findings} finding(s).`,
  disaster: 'Disaster: the primary volume is lost…',
  disasterDone: (p: { destination: string }) =>
    `The primary datastore is gone; stale VMs are still running. The failover starts now, to ${p.destination}.`,
  autoConfirm: (p: { destination: string }) => `(Not a terminal: the demo types the confirmations itself: ${p.destination}.)`,
  finished: (p: { dir: string }) => `The demo's files (site.yaml, drbook.db, reports/) are in:\n  ${p.dir}`,
  /** `labUp`, `ssh` and `labDown` are whole command lines, quoted for a POSIX shell. */
  lookAtLab: (p: { labUp: string; ssh: string; labDown: string }) =>
    `To look at the lab, start it again and ask a host (the ports are in site.yaml), then stop it:\n  ${p.labUp}\n  ${p.ssh}\n  ${p.labDown}`,
};

export type DemoMessages = typeof en;

const ja: DemoMessages = {
  intro: 'drbook デモ: 模擬の vSphere/NetApp サイトで VM ボリュームが失われ、drbook が SnapMirror のコピーからすべての VM を復旧します。',
  startingLab: (p) =>
    `ラボを起動しています: ESXi ホスト ${p.hosts} 台と ONTAP クラスター (127.0.0.1 上の SSH)、VM ${p.vms} 台、場所 ${p.dir}`,
  backup: 'VSC バックアップジョブを実行しています (VMware スナップショット、NetApp スナップショット、SnapMirror 更新)…',
  backupDone: (p) => `バックアップ完了: ${p.snapshots}`,
  capture: 'インベントリを取得しています (表示名、配置、バックアップの網羅状況)…',
  captureDone: (p) => `取得完了: VM ${p.vms} 台、指摘 ${p.findings} 件。`,
  disaster: '障害発生: プライマリボリュームが失われます…',
  disasterDone: (p) => `プライマリのデータストアは失われ、古い VM がまだ動いています。${p.destination} へのフェイルオーバーを開始します。`,
  autoConfirm: (p) => `(端末ではないため、デモが確認入力を自動で行います: ${p.destination})`,
  finished: (p) => `デモのファイル (site.yaml、drbook.db、reports/) の場所:\n  ${p.dir}`,
  lookAtLab: (p) =>
    `ラボを確認するには、もう一度起動してホストに問い合わせ (ポートは site.yaml にあります)、最後に停止します:\n  ${p.labUp}\n  ${p.ssh}\n  ${p.labDown}`,
};

export function demoMessages(lang: Lang): DemoMessages {
  return pick(lang, { en, ja });
}
