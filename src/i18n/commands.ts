import type { FindingDetail, FindingParams } from '../inventory/types.js';
import { pick, type Lang } from './lang.js';

type FindingSentences = { [K in keyof FindingParams]: (p: FindingParams[K]) => string };

/**
 * What the read-only commands print: `drbook capture`, `drbook inventory`, `drbook check`,
 * `drbook runs`, and the capture audit's findings. Column headings stand alone in a cell; every
 * other key is a whole sentence. Ids, paths, names and device messages stay verbatim.
 */
const en = {
  findings: {
    hostUnreachableKept: (p) =>
      `host ${p.host} could not be reached${p.error ? ` (${p.error})` : ''}; its VMs are kept from capture ${p.capture}`,
    hostUnreachableLost: (p) => `host ${p.host} could not be reached${p.error ? ` (${p.error})` : ''}; none of its VMs are recorded`,
    deviceUnreachable: (p) => `${p.device} could not be reached (${p.error})`,
    deviceUnreachableKept: (p) =>
      `${p.device} could not be reached (${p.error}); its volumes, relationships and snapshots are kept from the previous capture`,
    noRelationship: (p) => `no SnapMirror relationship ${p.source} → ${p.destination} was found: no VM of the primary volume is protected`,
    quiesceNotAudited: (p) => `quiesce points not audited: ${p.reason}`,
    clusterUnreachableQuiesce: (p) =>
      `quiesce points not audited: the cluster ${p.cluster} could not be reached, so the VSC snapshots are unknown`,
    noDatastoreMounted: (p) =>
      `quiesce points not audited: neither datastore ${p.mirror} nor ${p.primary} is mounted on a reachable host, so the VSC snapshots could not be read`,
    vmNotOnMirror: (p) =>
      `${p.vm}: its folder "${p.dir}" is not on the mirror (snapshot ${p.snapshot}): created after the last transfer, or outside the replicated volume`,
    noBackupOnMirror: (p) => `${p.vm}: no VSC backup (smvi__ snapshot) on the mirror ${p.mirror}: it would come back crash-consistent`,
    noQuiesceAny: (p) =>
      `${p.vm}: no quiesce point in any VSC backup (${p.examined} examined): it is in no job, or its VMware snapshot failed every time`,
    noQuiesceNewest: (p) =>
      `${p.vm}: no quiesce point in ${p.newest}, the newest backup of job ${p.job}: it would come back crash-consistent (last quiesce point: ${p.last})`,
    vmxNameMismatch: (p) => `${p.vm}: its .vmx file is ${p.path}; use the recorded display name, not the file name, when registering it`,
    duplicateName: (p) => `${p.count} VMs are named "${p.name}": ${p.where}`,
    nameControlCharacter: (p) =>
      `VM ${p.vm} on ${p.host} (${p.path}): its display name holds a control character; it is recorded as it is, but rename it in vCenter: it cannot be typed or printed reliably`,
    lockdownNotRestored: (p) =>
      `host ${p.host} was taken out of lockdown to be read and could not be put back (${p.error}): enter lockdown on it by hand`,
    degradedDatastore: (p) =>
      `degraded capture: the primary datastore ${p.datastore} is missing or inaccessible on every host read (${p.hosts}): this looks like the disaster. It is kept for the record, never used by a failover by default, and latest.yaml/latest.csv are left as they were`,
    degradedFewer: (p) =>
      `degraded capture: ${p.vms} VMs on the primary datastore where capture ${p.capture} had ${p.previous}. It is kept for the record, never used by a failover by default, and latest.yaml/latest.csv are left as they were`,
    vcenterUnreachable: (p) =>
      `vCenter ${p.url} could not be read (${p.error}): folders and resource pools are kept from the previous capture`,
    noPlacement: (p) => `${p.vm}: vCenter does not show ${p.path}, so its folder and resource pool are not recorded`,
  } satisfies FindingSentences,
  severity: { error: 'error', warning: 'warning' } as Record<'error' | 'warning', string>,

  // drbook capture
  captureSummary: (p: { id: string; site: string; vms: number; hosts: number; findings: number }) =>
    `capture ${p.id} of site ${p.site}: ${p.vms} VMs on ${p.hosts} hosts; ${p.findings} finding${p.findings === 1 ? '' : 's'}`,
  captureSummaryUnreachable: (p: { id: string; site: string; vms: number; hosts: number; unreachable: number; findings: number }) =>
    `capture ${p.id} of site ${p.site}: ${p.vms} VMs on ${p.hosts} hosts (${p.unreachable} unreachable); ${p.findings} finding${p.findings === 1 ? '' : 's'}`,
  captureWritten: (p: { yaml: string; csv: string }) => `written: ${p.yaml}, ${p.csv} (and latest.yaml, latest.csv)`,
  captureWrittenDegraded: (p: { yaml: string; csv: string }) =>
    `written: ${p.yaml}, ${p.csv} (latest.yaml and latest.csv keep the last good capture)`,

  // drbook inventory
  showTitle: (p: { id: string; site: string; takenAt: string; version: string }) =>
    `capture ${p.id} of site ${p.site}, taken ${p.takenAt} (drbook ${p.version})`,
  colHost: 'HOST',
  colReachable: 'REACHABLE',
  colEsxi: 'ESXI',
  colLockdown: 'LOCKDOWN',
  colNote: 'NOTE',
  colName: 'NAME',
  colPower: 'POWER',
  colJob: 'JOB',
  colQuiesced: 'QUIESCED',
  colVmxPath: 'VMX PATH',
  colFolder: 'FOLDER',
  colResourcePool: 'RESOURCE POOL',
  colSeverity: 'SEVERITY',
  colCode: 'CODE',
  colMessage: 'MESSAGE',
  colId: 'ID',
  colSite: 'SITE',
  colTaken: 'TAKEN',
  colVms: 'VMS',
  colFindings: 'FINDINGS',
  colChange: 'CHANGE',
  colVm: 'VM',
  yes: 'yes',
  no: 'no',
  on: 'on',
  off: 'off',
  power: { on: 'on', off: 'off', suspended: 'suspended', unknown: 'unknown' } as Record<string, string>,
  quiesced: { yes: 'yes', no: 'no', 'n/a': 'n/a' } as Record<string, string>,
  keptFrom: (p: { capture: string }) => `data kept from capture ${p.capture}`,
  vmKeptFrom: (p: { path: string; capture: string }) => `${p.path}  (kept from ${p.capture})`,
  vcenterName: (p: { name: string }) => `${p.name} (vCenter)`,
  vmCount: (p: { count: number }) => `${p.count} VM${p.count === 1 ? '' : 's'}`,
  noFindings: 'no findings',
  findingsHeading: (p: { count: number }) => `findings (${p.count}):`,
  noCaptureOfSite: (p: { site: string }) => `no capture of site ${p.site}`,
  noCaptureYet: 'no capture yet',
  diffTitle: (p: { from: string; fromAt: string; to: string; toAt: string }) =>
    `from capture ${p.from} (${p.fromAt}) to ${p.to} (${p.toAt})`,
  noChanges: 'no changes',
  changeRenamed: 'renamed',
  changeMoved: 'moved',
  changeAdded: 'added',
  changeRemoved: 'removed',
  changePlaced: 'placed',

  // drbook check
  checkMark: { ok: 'ok', warn: 'WARN', fail: 'FAIL' } as Record<'ok' | 'warn' | 'fail', string>,
  checkLine: (p: { message: string; hint: string }) => (p.hint ? `${p.message} — ${p.hint}` : p.message),
  checkVerdict: {
    ready: () => 'verdict: READY — every check passed',
    warnings: (p: { warned: number }) => `verdict: READY WITH WARNINGS — ${p.warned} warning(s) above`,
    'not-ready': (p: { failed: number; warned: number }) => `verdict: NOT READY — ${p.failed} check(s) failed, ${p.warned} warning(s)`,
    'failover-situation': (p: { next: string }) => `verdict: THE PRIMARY IS LOST — ${p.next}`,
    'failover-in-progress': (p: { next: string }) => `verdict: A FAILOVER IS IN PROGRESS — ${p.next}`,
    'failed-over': (p: { next: string }) => `verdict: FAILED OVER — ${p.next}`,
  } as Record<
    'ready' | 'warnings' | 'not-ready' | 'failover-situation' | 'failover-in-progress' | 'failed-over',
    (p: { failed: number; warned: number; next: string }) => string
  >,

  // drbook runs
  noRuns: 'no runs yet',
  runKind: {
    failover: 'failover',
    drill: 'drill',
    'drill-cleanup': 'drill-cleanup',
    reprotect: 'reprotect',
    failback: 'failback',
  } as Record<string, string>,
  runStatus: {
    active: 'active',
    done: 'done',
    failed: 'failed',
    stopped: 'stopped',
    aborted: 'aborted',
    refused: 'refused',
    created: 'created',
  } as Record<string, string>,
};

export type CommandMessages = typeof en;

const ja: CommandMessages = {
  findings: {
    hostUnreachableKept: (p) =>
      `ホスト ${p.host} に到達できませんでした${p.error ? ` (${p.error})` : ''}。その VM はキャプチャ ${p.capture} の記録を引き継ぎます`,
    hostUnreachableLost: (p) => `ホスト ${p.host} に到達できませんでした${p.error ? ` (${p.error})` : ''}。その VM は記録されていません`,
    deviceUnreachable: (p) => `${p.device} に到達できませんでした (${p.error})`,
    deviceUnreachableKept: (p) =>
      `${p.device} に到達できませんでした (${p.error})。ボリューム、関係、スナップショットは前回のキャプチャの記録を引き継ぎます`,
    noRelationship: (p) =>
      `SnapMirror 関係 ${p.source} → ${p.destination} が見つかりません。プライマリボリュームの VM はどれも保護されていません`,
    quiesceNotAudited: (p) => `静止点を監査できませんでした: ${p.reason}`,
    clusterUnreachableQuiesce: (p) =>
      `静止点を監査できませんでした: クラスター ${p.cluster} に到達できず、VSC スナップショットが分かりません`,
    noDatastoreMounted: (p) =>
      `静止点を監査できませんでした: データストア ${p.mirror} も ${p.primary} も到達できるホストにマウントされておらず、VSC スナップショットを読めません`,
    vmNotOnMirror: (p) =>
      `${p.vm}: フォルダー "${p.dir}" がミラーにありません (スナップショット ${p.snapshot})。最後の転送より後に作成されたか、複製対象のボリュームの外にあります`,
    noBackupOnMirror: (p) =>
      `${p.vm}: ミラー ${p.mirror} に VSC バックアップ (smvi__ スナップショット) がありません。クラッシュ整合の状態で復旧することになります`,
    noQuiesceAny: (p) =>
      `${p.vm}: どの VSC バックアップにも静止点がありません (${p.examined}件を確認)。どのジョブにも入っていないか、VMware スナップショットが毎回失敗しています`,
    noQuiesceNewest: (p) =>
      `${p.vm}: ジョブ ${p.job} の最新のバックアップ ${p.newest} に静止点がありません。クラッシュ整合の状態で復旧することになります (最後の静止点: ${p.last})`,
    vmxNameMismatch: (p) => `${p.vm}: .vmx ファイルは ${p.path} です。登録するときはファイル名ではなく、記録された表示名を使ってください`,
    duplicateName: (p) => `"${p.name}" という名前の VM が ${p.count}台あります: ${p.where}`,
    nameControlCharacter: (p) =>
      `${p.host} の VM ${p.vm} (${p.path}): 表示名に制御文字が含まれています。そのまま記録しましたが、確実に入力・印刷できないため vCenter で名前を変更してください`,
    lockdownNotRestored: (p) =>
      `ホスト ${p.host} は読み取りのためにロックダウンを解除しましたが、元に戻せませんでした (${p.error})。手動でロックダウンを有効にしてください`,
    degradedDatastore: (p) =>
      `劣化したキャプチャ: プライマリ データストア ${p.datastore} が、読み取ったすべてのホスト (${p.hosts}) で見つからないかアクセスできません。障害が起きている可能性があります。記録として保存しますが、フェイルオーバーの既定には使わず、latest.yaml/latest.csv も書き換えません`,
    degradedFewer: (p) =>
      `劣化したキャプチャ: プライマリ データストア上の VM が ${p.vms} 台です (キャプチャ ${p.capture} では ${p.previous} 台)。記録として保存しますが、フェイルオーバーの既定には使わず、latest.yaml/latest.csv も書き換えません`,
    vcenterUnreachable: (p) =>
      `vCenter ${p.url} を読み取れませんでした (${p.error})。フォルダーとリソースプールは前回のキャプチャの記録を引き継ぎます`,
    noPlacement: (p) => `${p.vm}: vCenter に ${p.path} が見当たらないため、フォルダーとリソースプールを記録できません`,
  },
  severity: { error: 'エラー', warning: '警告' },

  captureSummary: (p) => `サイト ${p.site} のキャプチャ ${p.id}: ホスト ${p.hosts}台上の VM ${p.vms}台、指摘 ${p.findings}件`,
  captureSummaryUnreachable: (p) =>
    `サイト ${p.site} のキャプチャ ${p.id}: ホスト ${p.hosts}台 (うち到達不可 ${p.unreachable}台) 上の VM ${p.vms}台、指摘 ${p.findings}件`,
  captureWritten: (p) => `書き出しました: ${p.yaml}、${p.csv} (と latest.yaml、latest.csv)`,
  captureWrittenDegraded: (p) => `書き出しました: ${p.yaml}、${p.csv} (latest.yaml と latest.csv は最後の正常なキャプチャのままです)`,

  showTitle: (p) => `サイト ${p.site} のキャプチャ ${p.id}、取得 ${p.takenAt} (drbook ${p.version})`,
  colHost: 'ホスト',
  colReachable: '到達',
  colEsxi: 'ESXI',
  colLockdown: 'ロックダウン',
  colNote: '備考',
  colName: '名前',
  colPower: '電源',
  colJob: 'ジョブ',
  colQuiesced: '静止点',
  colVmxPath: 'VMX パス',
  colFolder: 'フォルダー',
  colResourcePool: 'リソースプール',
  colSeverity: '重要度',
  colCode: 'コード',
  colMessage: '内容',
  colId: 'ID',
  colSite: 'サイト',
  colTaken: '取得日時',
  colVms: 'VM数',
  colFindings: '指摘',
  colChange: '変更',
  colVm: 'VM',
  yes: 'はい',
  no: 'いいえ',
  on: '有効',
  off: '無効',
  power: { on: 'オン', off: 'オフ', suspended: 'サスペンド', unknown: '不明' },
  quiesced: { yes: 'あり', no: 'なし', 'n/a': '対象外' },
  keptFrom: (p) => `キャプチャ ${p.capture} の記録を引き継ぎ`,
  vmKeptFrom: (p) => `${p.path}  (${p.capture} から引き継ぎ)`,
  vcenterName: (p) => `${p.name} (vCenter)`,
  vmCount: (p) => `VM ${p.count}台`,
  noFindings: '指摘はありません',
  findingsHeading: (p) => `指摘 (${p.count}件):`,
  noCaptureOfSite: (p) => `サイト ${p.site} のキャプチャはありません`,
  noCaptureYet: 'キャプチャはまだありません',
  diffTitle: (p) => `キャプチャ ${p.from} (${p.fromAt}) から ${p.to} (${p.toAt}) への変更`,
  noChanges: '変更はありません',
  changeRenamed: '名前変更',
  changeMoved: '移動',
  changeAdded: '追加',
  changeRemoved: '削除',
  changePlaced: '配置変更',

  checkMark: { ok: 'OK', warn: '警告', fail: '失敗' },
  checkLine: (p) => (p.hint ? `${p.message} — ${p.hint}` : p.message),
  checkVerdict: {
    ready: () => '判定: 準備完了 — すべての確認に合格しました',
    warnings: (p) => `判定: 準備完了 (警告あり) — 上の警告 ${p.warned} 件`,
    'not-ready': (p) => `判定: 準備未完了 — 失敗 ${p.failed} 件、警告 ${p.warned} 件`,
    'failover-situation': (p) => `判定: プライマリ喪失 — ${p.next}`,
    'failover-in-progress': (p) => `判定: フェイルオーバー途中 — ${p.next}`,
    'failed-over': (p) => `判定: フェイルオーバー済み — ${p.next}`,
  },

  noRuns: '実行の記録はまだありません',
  runKind: {
    failover: 'フェイルオーバー',
    drill: '訓練',
    'drill-cleanup': '訓練の後片付け',
    reprotect: '再保護',
    failback: 'フェイルバック',
  },
  runStatus: { active: '実行中', done: '完了', failed: '失敗', stopped: '停止', aborted: '中止', refused: '拒否', created: '作成' },
};

export function commandMessages(lang: Lang): CommandMessages {
  return pick(lang, { en, ja });
}

/**
 * A finding in the operator's language: its catalogue sentence when the capture recorded the
 * parameters, else the stored English message (captures from before the catalogue).
 */
export function findingText(m: CommandMessages, f: { message: string; detail?: FindingDetail | undefined }): string {
  const d = f.detail;
  if (!d) return f.message;
  const sentence = m.findings[d.key] as ((p: unknown) => string) | undefined;
  return sentence ? sentence(d.params) : f.message;
}
