/**
 * What the Hyper-V platform prints: the capture's summary and findings, and the recovery
 * runbook's confirmations and notes. Names, paths and device messages stay verbatim.
 */
import type { HvFinding, HvFindingCode } from '../hyperv/audit.js';
import type { HvSiteReason } from '../hyperv/state.js';
import { pick, type Lang } from './lang.js';

type P = HvFinding['params'];
const s = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

const en = {
  findings: {
    'degraded-capture': (p: P) =>
      `this capture holds ${s(p.vms)} VM(s), against ${s(p.goodVms)} in the last good capture ${s(p.good)}: taken after the disaster, it is kept but never used by default (the recovery, plan and status use ${s(p.good)})`,
    'csv-vss-backup': (p: P) =>
      p.declared
        ? `${s(p.vm)}: on the CSV ${s(p.csv)}, and the backup method is declared unable to snapshot CSVs: it has no usable backup`
        : `${s(p.vm)}: on the CSV ${s(p.csv)}, and job ${s(p.job)} fails for it (${s(p.error)}): the VSS snapshot of a CSV fails; back it up another way or move it to a cluster disk`,
    'no-backup-within-rpo': (p: P) =>
      p.lastSuccess
        ? `${s(p.vm)}: last successful backup ${s(p.lastSuccess)}, older than the RPO of ${s(p.rpoHours)} h`
        : `${s(p.vm)}: no successful backup at all${p.job ? ` (job ${s(p.job)})` : ' (in no backup job)'}`,
    'files-on-several-volumes': (p: P) =>
      `${s(p.vm)}: its files are on several volumes (${s(p.volumes)}): all of them must come back for it to start`,
    'role-not-ha': (p: P) =>
      `${s(p.vm)}: its role ${s(p.group)} is clustered but files are on local storage (${s(p.volumes)}): it cannot fail over to another node`,
    'not-clustered': (p: P) => `${s(p.vm)}: not clustered (registered on ${s(p.node)} only): no other node will start it`,
    'node-unreachable': (p: P) =>
      `node ${s(p.node)} could not be reached (${s(p.error)}): ${p.kept ? `its VMs are kept from capture ${s(p.kept)}` : 'its VMs are not recorded'}`,
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
  // `drbook status` and `drbook check` on a Hyper-V site.
  reason: (r: HvSiteReason, cluster: string): string => {
    switch (r.kind) {
      case 'hv-all-registered':
        return r.recovered
          ? `Every VM of the latest capture is registered on ${cluster} again (${r.registered} registered, ${r.running} running): the recovery finished.`
          : `Every VM of the latest capture is registered on ${cluster} (${r.registered} registered, ${r.running} running).`;
      case 'hv-registrations-lost':
        return `${r.missing.length} of the ${r.expected} VMs of the latest capture are not registered on any node of ${cluster}: ${r.missing.join(', ')}.`;
      case 'run-unfinished':
        return `Recovery run ${r.runId} did not finish (${r.status}).`;
      case 'hv-cluster-unreachable':
        return `No node of ${cluster} could be read: ${r.error}`;
      case 'hv-no-capture':
        return `There is no capture of this site: drbook does not know which VMs ${cluster} should hold.`;
      case 'hv-nodes-unread':
        return `No VM of the latest capture is seen missing, but ${r.nodes.join(', ')} did not answer: ${r.vms.join(', ')} could not be seen.`;
    }
  },
  nextCapture: (p: { file: string }) => `drbook capture --site ${p.file} (before you need it, on a schedule)`,
  nextRestoreFiles: (p: { vms: string; file: string }) =>
    `restore the files of ${p.vms} to their volumes first, then drbook failover --site ${p.file}`,
  labelCluster: 'cluster',
  labelNodes: 'nodes',
  labelCsvs: 'CSVs',
  labelVms: 'VMs',
  labelRoles: 'failed roles',
  clusterLine: (p: { cluster: string; csvs: number; error: string }) =>
    p.error ? `${p.cluster}: roles and CSVs could not be read (${p.error})` : `${p.cluster}: ${p.csvs} CSV(s)`,
  nodeLine: (p: { name: string; registered: number; running: number }) =>
    `${p.name}: ${p.registered} VM(s) registered (${p.running} running)`,
  csvLine: (p: { name: string; path: string; state: string; redirected: boolean; maintenance: boolean }) =>
    `${p.name} ${p.path}: ${p.state}${p.redirected ? ', redirected access' : ''}${p.maintenance ? ', maintenance mode' : ''}`,
  vmsLine: (p: { recorded: number; back: number; missing: number; unknown: number; noFiles: number | null }) =>
    `${p.recorded} in the capture: ${p.back} registered, ${p.missing} missing${p.unknown ? `, ${p.unknown} on nodes not read` : ''}${p.noFiles === null ? '' : `; ${p.noFiles} without their configuration file`}`,
  captureLine: (p: { id: string; age: string; vms: number; findings: number }) =>
    `${p.id}, ${p.age} old, ${p.vms} VMs, ${p.findings} finding(s)`,
  checkNode: (p: { registered: number; running: number }) =>
    `reachable, host key as pinned; ${p.registered} VM(s) registered, ${p.running} running`,
  checkCluster: (p: { csvs: number }) => `roles, resources and ${p.csvs} CSV(s) read`,
  checkCsvHint: 'a CSV in redirected access or maintenance mode slows or stops its VMs: look at Failover Cluster Manager',
  checkJob: (p: { last: string; okHours: number | null }) =>
    `last run ${p.last}; ${p.okHours === null ? 'never succeeded' : `last success ${p.okHours} h ago`}`,
  checkJobNever: 'never run',
  checkJobHint: (p: { hours: number }) => `no successful backup within ${p.hours} h: the capture's audit names the VMs`,
  checkWouldRemove: (p: { roles: string }) => `the recovery would remove the failed roles ${p.roles}`,
  checkWouldRemoveHint: (p: { cluster: string }) => `after you type ${p.cluster} (--confirm ${p.cluster} in scripts); the files stay`,
  checkWouldImport: (p: { count: number; vms: string }) =>
    `${p.count} VM(s) of the capture are not registered; the recovery would import them in place: ${p.vms}`,
  checkWouldImportHint: (p: { file: string }) =>
    `drbook plan --site ${p.file} shows every command; drbook failover --site ${p.file} runs it`,
  checkNoFiles: (p: { vms: string }) => `not registered and their configuration file is not there: ${p.vms}`,
  checkNoFilesHint: 'restore their files to the recorded paths (backup or storage snapshot) before the recovery',
  checkNothingToRecover: (p: { count: number }) =>
    `all ${p.count} VMs of the capture are registered: the recovery would change nothing now`,
  checkUnknownVms: (p: { vms: string }) => `recorded on nodes that could not be read: ${p.vms}`,
  // `drbook plan` on a Hyper-V site.
  planTitle: (p: { site: string }) => `Recovery procedure for Hyper-V site ${p.site}`,
  planSubtitle: (p: { cluster: string }) =>
    `Bring the VMs of cluster ${p.cluster} back after it lost its VM roles and registrations, with their files back on their volumes`,
  planHeaderCluster: 'Failover cluster',
  planClusterValue: (p: { cluster: string; nodes: string }) => `${p.cluster} (nodes ${p.nodes})`,
  planClusterPriority: (p: { n: number }) => `cluster priority ${p.n}`,
  planHow: [
    'Every command is printed exactly as drbook sends it: type it in PowerShell on the named node (an SSH session with PowerShell as its shell, or a PowerShell window there).',
    'Under a command: what a correct output looks like. The output is JSON (ConvertTo-Json), the same under Windows PowerShell 5.1 and PowerShell 7 except for the date format.',
    'Tick the box of each step when it is done. The VM table at the start is for ticking each VM when it runs again.',
    'A step whose check shows it is already done (the VM is registered, the role exists, the VM runs) is skipped: drbook does the same.',
  ],
  planVmIntro: (p: { count: number; cluster: string }) =>
    `${p.count} VM(s) of the capture, recorded on the nodes of ${p.cluster}, in the order they start.`,
  planSecPreflight: '0. Preflight: what is registered, what files are there, the CSVs',
  planPreRegistered: 'What each node has registered and running',
  planPreRegisteredExpect:
    'A JSON list of the VMs registered on the node (empty after the disaster). A recorded VM listed here needs no import.',
  planPreCsvs: 'CSVs, roles and resources',
  planPreCsvsExpect: 'Every CSV online, RedirectedAccess false, MaintenanceMode false. A CSV that is not online holds back every VM on it.',
  planPreFiles: 'Is every recorded configuration file there?',
  planPreFilesExpect: "true. false: restore that VM's files to this path before going on; it cannot be registered otherwise.",
  planSecRemove: '1. Remove dead registrations and failed roles',
  planRemoveIntro:
    'Only what is left of a VM in the cluster goes: a failed role whose VM is not registered, a registration in a broken state. drbook reads each first and removes nothing else. When nothing is left, nothing is asked.',
  planRemoveReads:
    'What is left of the VM: its cluster resource, its role and its registration, read before the confirmation and again right before each removal.',
  planRemoveRole: 'A failed role (its VM not registered): remove the role and its resources. Only where Get-ClusterGroup shows it Failed.',
  planRemoveRegistration:
    'A dead registration (state Other): remove the VM object. Only where the VM is listed in a broken state; never a running VM.',
  planSecRecover: (p: { n: number; group: string; index: number; count: number }) =>
    `${p.n}. Register in place, cluster, start: priority group ${p.group} (${p.index} of ${p.count})`,
  planRecoverIntro: "Per VM on its recorded node. A group starts once every earlier group's VMs report their heartbeat.",
  planRecoverReads:
    'Right before the import: is it registered already (then nothing is imported), is its configuration file there, does the cluster run it already?',
  planImport: 'Register the VM in place from its configuration file: same files, same VM ID.',
  planImportExpect:
    'The VM as JSON, its VMId as recorded. An error carries the reason; (Compare-VM -Path FILE -Register).Incompatibilities says what does not fit this host.',
  planRole: 'Make it highly available again, under its recorded role name.',
  planOwners: 'Its recorded preferred owners and priority.',
  planStart: 'Start it (its role when clustered).',
  planHeartbeat: 'Wait for its Heartbeat integration service.',
  planHeartbeatExpect: "Heartbeat OK for this VM. Without it after the site's heartbeat timeout: look at its console in Hyper-V Manager.",
  planVmRunning: (p: { node: string }) => `Recorded running on ${p.node}.`,
  planVmLeftOff: (p: { node: string; state: string }) => `Recorded ${p.state} on ${p.node}: registered and clustered, not started.`,
  planSecVerify: (p: { n: number }) => `${p.n}. Verify`,
  planVerifyIntro: 'Every VM registered exactly once, on its recorded node, under its recorded name, in its recorded state.',
  planVerifyStep: 'What each node has registered now',
  // `drbook inventory show|diff` of a Hyper-V capture.
  invCluster: (p: { cluster: string }) => `failover cluster ${p.cluster}`,
  invColNode: 'NODE',
  invColCsv: 'CSV',
  invColPath: 'PATH',
  invColState: 'STATE',
  invColOwner: 'OWNER NODE',
  invColStorage: 'STORAGE',
  invColRole: 'ROLE',
  invColLastGood: 'LAST GOOD BACKUP',
  invColConfig: 'CONFIGURATION FILE',
  invRedirected: 'redirected access',
  invNever: 'never',
  // The recovery's preflight board.
  boardCluster: (p: { cluster: string; up: number; total: number }) => `Cluster ${p.cluster}: ${p.up} of ${p.total} nodes answer`,
  boardCsvsOk: (p: { count: number }) => `CSVs: all ${p.count} online`,
  boardCsvsBad: (p: { bad: string }) => `CSVs not healthy: ${p.bad}`,
  boardVms: (p: { recorded: number; registered: number; running: number }) =>
    `VMs: ${p.recorded} recorded, ${p.registered} registered, ${p.running} running`,
  boardRoles: (p: { count: number }) => `Failed roles to remove: ${p.count}`,
  boardRolesNone: 'No failed role to remove.',
  boardFilesMissing: (p: { count: number }) => `Configuration files missing: ${p.count}`,
  boardNode: (p: { name: string; registered: number; running: number }) => `${p.name}: ${p.registered} registered, ${p.running} running`,
  boardNodeDown: (p: { name: string }) => `${p.name}: not answering`,
  boardSection: 'The cluster at the preflight',
  drillRefused:
    'drbook drill does not rehearse Hyper-V sites yet: copies of the VMs imported with new IDs into a test folder, their network disconnected, then removed, are not built',
  drillRefusedHint: (p: { file: string }) =>
    `rehearse with drbook check --site ${p.file} and drbook plan --site ${p.file}; the lab (drbook lab up --platform hyperv) runs the whole recovery`,
};

export type HypervMessages = typeof en;

const ja: HypervMessages = {
  findings: {
    'degraded-capture': (p: P) =>
      `このキャプチャの VM は ${s(p.vms)} 台で、最後の正常なキャプチャ ${s(p.good)} の ${s(p.goodVms)} 台を大きく下回ります: 障害後の取得のため保存しますが既定では使いません (復旧、手順書、状態表示は ${s(p.good)} を使います)`,
    'csv-vss-backup': (p: P) =>
      p.declared
        ? `${s(p.vm)}: CSV ${s(p.csv)} 上にあり、バックアップ方式は CSV のスナップショットを取れないと宣言されています: 使えるバックアップがありません`
        : `${s(p.vm)}: CSV ${s(p.csv)} 上にあり、ジョブ ${s(p.job)} はこの VM で失敗しています (${s(p.error)}): CSV の VSS スナップショットが失敗します。別の方法でバックアップするか、クラスター ディスクへ移してください`,
    'no-backup-within-rpo': (p: P) =>
      p.lastSuccess
        ? `${s(p.vm)}: 最後に成功したバックアップは ${s(p.lastSuccess)} で、RPO ${s(p.rpoHours)} 時間より古いです`
        : `${s(p.vm)}: 成功したバックアップが一度もありません${p.job ? ` (ジョブ ${s(p.job)})` : ' (どのバックアップ ジョブにも入っていません)'}`,
    'files-on-several-volumes': (p: P) =>
      `${s(p.vm)}: ファイルが複数のボリュームにあります (${s(p.volumes)}): 起動にはすべてが戻る必要があります`,
    'role-not-ha': (p: P) =>
      `${s(p.vm)}: ロール ${s(p.group)} はクラスター化されていますが、ファイルがローカル ストレージにあります (${s(p.volumes)}): 他のノードへフェールオーバーできません`,
    'not-clustered': (p: P) => `${s(p.vm)}: クラスター化されていません (${s(p.node)} にのみ登録): 他のノードはこの VM を起動しません`,
    'node-unreachable': (p: P) =>
      `ノード ${s(p.node)} に接続できませんでした (${s(p.error)}): ${p.kept ? `その VM はキャプチャ ${s(p.kept)} の記録です` : 'その VM は記録されていません'}`,
    'backup-unreadable': (p: P) => `Backup Exec のジョブ履歴を読めませんでした (${s(p.error)}): バックアップの状況は不明です`,
  },
  severity: { error: 'エラー', warning: '警告' },
  captureSummary: (p) =>
    `Hyper-V サイト ${p.site} (クラスター ${p.cluster}) のキャプチャ ${p.id}: ノード ${p.nodes} 台に VM ${p.vms} 台、指摘 ${p.findings} 件`,
  removeTitle: (p) => `${p.cluster} の無効な登録と失敗したロールの削除`,
  removeLine: (p) => `${p.what} ${p.name} (${p.where})`,
  removeWhatRole: '失敗したロール',
  removeWhatRegistration: '無効な登録',
  removeExplain: '削除するのはクラスターのオブジェクトだけです。VM のファイルはすべてボリュームに残ります。',
  consistentNote: (p) => `整合性のあるバックアップから戻った VM: ${p.vms}`,
  crashNote: (p) => `クラッシュ整合で戻った VM (成功したバックアップの記録なし): ${p.vms}`,
  reason: (r, cluster) => {
    switch (r.kind) {
      case 'hv-all-registered':
        return r.recovered
          ? `最新のキャプチャの VM はすべて ${cluster} に再び登録されています (登録 ${r.registered} 台、実行中 ${r.running} 台): 復旧は完了しています。`
          : `最新のキャプチャの VM はすべて ${cluster} に登録されています (登録 ${r.registered} 台、実行中 ${r.running} 台)。`;
      case 'hv-registrations-lost':
        return `最新のキャプチャの VM ${r.expected} 台のうち ${r.missing.length} 台が ${cluster} のどのノードにも登録されていません: ${r.missing.join(', ')}。`;
      case 'run-unfinished':
        return `復旧の実行 ${r.runId} は終わっていません (${r.status})。`;
      case 'hv-cluster-unreachable':
        return `${cluster} のノードをどれも読み取れませんでした: ${r.error}`;
      case 'hv-no-capture':
        return `このサイトのキャプチャがありません: ${cluster} にあるべき VM を drbook は知りません。`;
      case 'hv-nodes-unread':
        return `最新のキャプチャの VM に未登録のものは見当たりませんが、${r.nodes.join(', ')} が応答しませんでした: ${r.vms.join(', ')} は確認できません。`;
    }
  },
  nextCapture: (p) => `drbook capture --site ${p.file} (必要になる前に、定期的に)`,
  nextRestoreFiles: (p) => `まず ${p.vms} のファイルをボリュームへ戻してから drbook failover --site ${p.file}`,
  labelCluster: 'クラスター',
  labelNodes: 'ノード',
  labelCsvs: 'CSV',
  labelVms: 'VM',
  labelRoles: '失敗したロール',
  clusterLine: (p) => (p.error ? `${p.cluster}: ロールと CSV を読み取れませんでした (${p.error})` : `${p.cluster}: CSV ${p.csvs} 個`),
  nodeLine: (p) => `${p.name}: 登録 ${p.registered} 台 (実行中 ${p.running} 台)`,
  csvLine: (p) =>
    `${p.name} ${p.path}: ${p.state}${p.redirected ? '、リダイレクト アクセス' : ''}${p.maintenance ? '、メンテナンス モード' : ''}`,
  vmsLine: (p) =>
    `キャプチャに ${p.recorded} 台: 登録済み ${p.back} 台、未登録 ${p.missing} 台${p.unknown ? `、読めなかったノード上 ${p.unknown} 台` : ''}${p.noFiles === null ? '' : `。構成ファイルがないもの ${p.noFiles} 台`}`,
  captureLine: (p) => `${p.id}、${p.age}前、VM ${p.vms} 台、指摘 ${p.findings} 件`,
  checkNode: (p) => `到達可能、ホストキーは登録どおり。登録 ${p.registered} 台、実行中 ${p.running} 台`,
  checkCluster: (p) => `ロール、リソース、CSV ${p.csvs} 個を読み取りました`,
  checkCsvHint:
    'リダイレクト アクセスやメンテナンス モードの CSV は VM を遅くしたり止めたりします: フェールオーバー クラスター マネージャーを確認してください',
  checkJob: (p) => `最後の実行 ${p.last}。${p.okHours === null ? '成功したことがありません' : `最後の成功は ${p.okHours} 時間前`}`,
  checkJobNever: '未実行',
  checkJobHint: (p) => `${p.hours} 時間以内に成功したバックアップがありません: キャプチャの監査が VM を挙げます`,
  checkWouldRemove: (p) => `復旧は失敗したロール ${p.roles} を削除します`,
  checkWouldRemoveHint: (p) => `${p.cluster} の入力後 (スクリプトでは --confirm ${p.cluster})。ファイルは残ります`,
  checkWouldImport: (p) => `キャプチャの VM ${p.count} 台が未登録です。復旧はその場でインポートします: ${p.vms}`,
  checkWouldImportHint: (p) => `drbook plan --site ${p.file} ですべてのコマンドを確認し、drbook failover --site ${p.file} で実行します`,
  checkNoFiles: (p) => `未登録で、構成ファイルもありません: ${p.vms}`,
  checkNoFilesHint: '復旧の前に、ファイルを記録どおりのパスへ戻してください (バックアップまたはストレージのスナップショットから)',
  checkNothingToRecover: (p) => `キャプチャの VM ${p.count} 台はすべて登録済みです: 今は復旧で変わるものはありません`,
  checkUnknownVms: (p) => `読み取れなかったノードに記録されている VM: ${p.vms}`,
  planTitle: (p) => `Hyper-V サイト ${p.site} の復旧手順`,
  planSubtitle: (p) => `VM のロールと登録を失い、ファイルはボリュームに戻っているクラスター ${p.cluster} の VM を戻す`,
  planHeaderCluster: 'フェールオーバー クラスター',
  planClusterValue: (p) => `${p.cluster} (ノード ${p.nodes})`,
  planClusterPriority: (p) => `クラスターの優先度 ${p.n}`,
  planHow: [
    'コマンドはすべて drbook が送るとおりに印刷しています: 指定のノードの PowerShell で入力してください (PowerShell をシェルとする SSH セッション、またはそのノードの PowerShell ウィンドウ)。',
    'コマンドの下に正しい出力を示します。出力は JSON (ConvertTo-Json) で、日付の形式を除き Windows PowerShell 5.1 と PowerShell 7 で同じです。',
    '各手順が終わったらチェック欄に印を付けてください。冒頭の VM 表は、各 VM が再び動いたときに印を付けるためのものです。',
    '確認で既に済んでいると分かる手順 (VM が登録済み、ロールがある、VM が実行中) は飛ばします。drbook も同じです。',
  ],
  planVmIntro: (p) => `キャプチャの VM ${p.count} 台 (${p.cluster} のノードに記録)。起動する順に並べています。`,
  planSecPreflight: '0. 事前確認: 登録済みのもの、あるファイル、CSV',
  planPreRegistered: '各ノードで登録・実行されているもの',
  planPreRegisteredExpect: 'ノードに登録された VM の JSON の一覧 (障害後は空)。ここにある記録済みの VM はインポート不要です。',
  planPreCsvs: 'CSV、ロール、リソース',
  planPreCsvsExpect:
    'すべての CSV が online で、RedirectedAccess と MaintenanceMode が false。online でない CSV 上の VM はすべて戻せません。',
  planPreFiles: '記録された構成ファイルはすべてありますか',
  planPreFilesExpect: 'true。false なら、先にその VM のファイルをこのパスへ戻してください。戻すまで登録できません。',
  planSecRemove: '1. 無効な登録と失敗したロールの削除',
  planRemoveIntro:
    '削除するのはクラスターに残った VM の残骸だけです: VM が未登録の失敗したロール、壊れた状態の登録。drbook は先にそれぞれを読み、ほかは何も削除しません。残骸がなければ何も尋ねません。',
  planRemoveReads: 'VM の残骸を読みます: クラスターリソース、ロール、登録。確認の前と、それぞれを削除する直前にもう一度読みます。',
  planRemoveRole: '失敗したロール (VM は未登録): ロールとそのリソースを削除します。Get-ClusterGroup が Failed と示すものだけです。',
  planRemoveRegistration:
    '無効な登録 (状態 Other): VM オブジェクトを削除します。壊れた状態で一覧にある VM だけで、実行中の VM は決して削除しません。',
  planSecRecover: (p) => `${p.n}. その場で登録、クラスター化、起動: 優先グループ ${p.group} (${p.count} 個中 ${p.index} 個目)`,
  planRecoverIntro: 'VM ごとに、記録されたノードで行います。グループは、前のグループの VM すべてのハートビートが返ってから起動します。',
  planRecoverReads:
    'インポートの直前に: すでに登録されていないか (登録済みならインポートしません)、構成ファイルがあるか、クラスターがすでに実行していないか。',
  planImport: '構成ファイルから VM をその場で登録します: 同じファイル、同じ VM ID。',
  planImportExpect:
    'VM の JSON で、VMId が記録どおり。エラーには理由があります。(Compare-VM -Path FILE -Register).Incompatibilities がこのホストに合わない点を示します。',
  planRole: '記録されたロール名で、再び高可用性にします。',
  planOwners: '記録された優先所有者と優先度。',
  planStart: '起動します (クラスター化されていればそのロールを)。',
  planHeartbeat: 'ハートビート統合サービスを待ちます。',
  planHeartbeatExpect:
    'この VM の Heartbeat が OK。サイトのハートビート タイムアウトまでに来なければ、Hyper-V マネージャーでコンソールを確認してください。',
  planVmRunning: (p) => `${p.node} で実行中と記録されています。`,
  planVmLeftOff: (p) => `${p.node} で ${p.state} と記録されています: 登録とクラスター化のみで、起動しません。`,
  planSecVerify: (p) => `${p.n}. 確認`,
  planVerifyIntro: 'すべての VM が、記録されたノードに、記録された名前で、記録された状態で、ちょうど一度だけ登録されていること。',
  planVerifyStep: '各ノードに今登録されているもの',
  invCluster: (p) => `フェールオーバー クラスター ${p.cluster}`,
  invColNode: 'ノード',
  invColCsv: 'CSV',
  invColPath: 'パス',
  invColState: '状態',
  invColOwner: '所有ノード',
  invColStorage: 'ストレージ',
  invColRole: 'ロール',
  invColLastGood: '最後の成功バックアップ',
  invColConfig: '構成ファイル',
  invRedirected: 'リダイレクト アクセス',
  invNever: 'なし',
  boardCluster: (p) => `クラスター ${p.cluster}: ノード ${p.total} 台中 ${p.up} 台が応答`,
  boardCsvsOk: (p) => `CSV: ${p.count} 個すべてオンライン`,
  boardCsvsBad: (p) => `正常でない CSV: ${p.bad}`,
  boardVms: (p) => `VM: 記録 ${p.recorded} 台、登録 ${p.registered} 台、実行中 ${p.running} 台`,
  boardRoles: (p) => `削除する失敗ロール: ${p.count} 個`,
  boardRolesNone: '削除する失敗ロールはありません。',
  boardFilesMissing: (p) => `構成ファイルがない VM: ${p.count} 台`,
  boardNode: (p) => `${p.name}: 登録 ${p.registered} 台、実行中 ${p.running} 台`,
  boardNodeDown: (p) => `${p.name}: 応答なし`,
  boardSection: '事前確認時のクラスター',
  drillRefused:
    'drbook drill はまだ Hyper-V サイトの訓練を行えません: 新しい ID でテスト用フォルダーへ VM のコピーをインポートし、ネットワークを切断して動かし、最後に削除する仕組みはまだありません',
  drillRefusedHint: (p) =>
    `drbook check --site ${p.file} と drbook plan --site ${p.file} で確認してください。ラボ (drbook lab up --platform hyperv) では復旧全体を実行できます`,
};

export function hypervMessages(lang: Lang): HypervMessages {
  return pick(lang, { en, ja });
}

export function hvFindingText(m: HypervMessages, f: HvFinding): string {
  return m.findings[f.code](f.params);
}
