/**
 * What the Hyper-V platform prints: the capture's summary and findings, and the recovery
 * runbook's confirmations and notes. Names, paths and device messages stay verbatim.
 */
import type { HvFinding, HvFindingCode } from '../hyperv/audit.js';
import { pick, type Lang } from './lang.js';

type P = HvFinding['params'];
const s = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

const en = {
  findings: {
    'csv-vss-backup': (p: P) =>
      p.declared
        ? `${s(p.vm)}: on the CSV ${s(p.csv)}, and the backup method is declared unable to snapshot CSVs: it has no usable backup`
        : `${s(p.vm)}: on the CSV ${s(p.csv)}, and job ${s(p.job)} fails for it (${s(p.error)}): the VSS snapshot of a CSV fails; back it up another way or move it to a cluster disk`,
    'no-backup-within-rpo': (p: P) =>
      p.lastSuccess ? `${s(p.vm)}: last successful backup ${s(p.lastSuccess)}, older than the RPO of ${s(p.rpoHours)} h` : `${s(p.vm)}: no successful backup at all${p.job ? ` (job ${s(p.job)})` : ' (in no backup job)'}`,
    'files-on-several-volumes': (p: P) => `${s(p.vm)}: its files are on several volumes (${s(p.volumes)}): all of them must come back for it to start`,
    'role-not-ha': (p: P) => `${s(p.vm)}: its role ${s(p.group)} is clustered but files are on local storage (${s(p.volumes)}): it cannot fail over to another node`,
    'not-clustered': (p: P) => `${s(p.vm)}: not clustered (registered on ${s(p.node)} only): no other node will start it`,
    'node-unreachable': (p: P) => `node ${s(p.node)} could not be reached (${s(p.error)}): its VMs are not recorded`,
    'backup-unreadable': (p: P) => `the Backup Exec job history could not be read (${s(p.error)}): the backup picture is unknown`,
  } as Record<HvFindingCode, (p: P) => string>,
  severity: { error: 'error', warning: 'warning' } as Record<'error' | 'warning', string>,
  captureSummary: (p: { id: string; site: string; cluster: string; vms: number; nodes: number; findings: number }) =>
    `capture ${p.id} of Hyper-V site ${p.site} (cluster ${p.cluster}): ${p.vms} VMs on ${p.nodes} nodes; ${p.findings} finding${p.findings === 1 ? '' : 's'}`,
  // The recovery runbook.
  removeTitle: (p: { cluster: string }) => `Remove the dead registrations and failed roles of ${p.cluster}`,
  removeLine: (p: { what: string; name: string; where: string }) => `${p.what} ${p.name} (${p.where})`,
  removeWhatRole: 'failed role',
  removeWhatRegistration: 'dead registration',
  removeExplain: 'Only the cluster objects go; every VM file stays on its volume.',
  consistentNote: (p: { vms: string }) => `came back from a consistent backup: ${p.vms}`,
  crashNote: (p: { vms: string }) => `came back crash-consistent (no successful backup on record): ${p.vms}`,
};

export type HypervMessages = typeof en;

const ja: HypervMessages = {
  findings: {
    'csv-vss-backup': (p: P) =>
      p.declared
        ? `${s(p.vm)}: CSV ${s(p.csv)} 上にあり、バックアップ方式は CSV のスナップショットを取れないと宣言されています: 使えるバックアップがありません`
        : `${s(p.vm)}: CSV ${s(p.csv)} 上にあり、ジョブ ${s(p.job)} はこの VM で失敗しています (${s(p.error)}): CSV の VSS スナップショットが失敗します。別の方法でバックアップするか、クラスター ディスクへ移してください`,
    'no-backup-within-rpo': (p: P) =>
      p.lastSuccess
        ? `${s(p.vm)}: 最後に成功したバックアップは ${s(p.lastSuccess)} で、RPO ${s(p.rpoHours)} 時間より古いです`
        : `${s(p.vm)}: 成功したバックアップが一度もありません${p.job ? ` (ジョブ ${s(p.job)})` : ' (どのバックアップ ジョブにも入っていません)'}`,
    'files-on-several-volumes': (p: P) => `${s(p.vm)}: ファイルが複数のボリュームにあります (${s(p.volumes)}): 起動にはすべてが戻る必要があります`,
    'role-not-ha': (p: P) => `${s(p.vm)}: ロール ${s(p.group)} はクラスター化されていますが、ファイルがローカル ストレージにあります (${s(p.volumes)}): 他のノードへフェールオーバーできません`,
    'not-clustered': (p: P) => `${s(p.vm)}: クラスター化されていません (${s(p.node)} にのみ登録): 他のノードはこの VM を起動しません`,
    'node-unreachable': (p: P) => `ノード ${s(p.node)} に接続できませんでした (${s(p.error)}): その VM は記録されていません`,
    'backup-unreadable': (p: P) => `Backup Exec のジョブ履歴を読めませんでした (${s(p.error)}): バックアップの状況は不明です`,
  },
  severity: { error: 'エラー', warning: '警告' },
  captureSummary: (p) => `Hyper-V サイト ${p.site} (クラスター ${p.cluster}) のキャプチャ ${p.id}: ノード ${p.nodes} 台に VM ${p.vms} 台、指摘 ${p.findings} 件`,
  removeTitle: (p) => `${p.cluster} の無効な登録と失敗したロールの削除`,
  removeLine: (p) => `${p.what} ${p.name} (${p.where})`,
  removeWhatRole: '失敗したロール',
  removeWhatRegistration: '無効な登録',
  removeExplain: '削除するのはクラスターのオブジェクトだけです。VM のファイルはすべてボリュームに残ります。',
  consistentNote: (p) => `整合性のあるバックアップから戻った VM: ${p.vms}`,
  crashNote: (p) => `クラッシュ整合で戻った VM (成功したバックアップの記録なし): ${p.vms}`,
};

export function hypervMessages(lang: Lang): HypervMessages {
  return pick(lang, { en, ja });
}

export function hvFindingText(m: HypervMessages, f: HvFinding): string {
  return m.findings[f.code](f.params);
}
