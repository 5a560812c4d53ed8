import { pick, type Lang } from './lang.js';

/**
 * Everything `drbook init` says: the questions, the host-key check, the summary, and the comments
 * it writes into the site file. One whole sentence per key; comment blocks are arrays of lines.
 */
const en = {
  // Before any question
  needsTerminal: 'drbook init asks questions and needs a terminal, but stdin or stdout is not one.',
  needsTerminalHint: (p: { example: string }) =>
    `run it in an interactive shell, or copy the example site file ${p.example} and edit it`,
  outExists: (p: { file: string }) => `${p.file} already exists.`,
  outExistsHint: 'pass --force to replace it, or --out with another file name',
  badLang: (p: { value: string }) => `--lang ${p.value} is not a language drbook speaks.`,
  badLangHint: 'use --lang en or --lang ja',
  intro: [
    'drbook init writes a site file: the devices drbook logs in to, the SnapMirror relationship, the VSC jobs and the power-on order.',
    'Passwords never go into it: only ssh-agent, a key file path or the name of an environment variable.',
    'Nothing is written until you confirm at the end. Ctrl+C stops without writing anything.',
  ],
  cancelled: 'Stopped. Nothing was written.',

  // Sections
  sectionSite: 'Site',
  sectionEsxi: 'ESXi hosts',
  sectionOntap: 'ONTAP cluster',
  sectionRelationship: 'SnapMirror relationship',
  sectionDatastores: 'Datastores',
  sectionJobs: 'VSC backup jobs',
  sectionVcenter: 'vCenter',
  sectionGroups: 'Priority groups',
  sectionSummary: 'Summary',

  // Questions
  askSiteName: 'Name of this site (letters, digits, . _ -)',
  askEsxiUser: 'User name drbook logs in to the ESXi hosts with',
  askEsxiAuth: 'How does drbook log in to the ESXi hosts?',
  askOntapAuth: (p: { device: string }) => `How does drbook log in to ${p.device}?`,
  authAgent: 'ssh-agent (keys loaded with ssh-add)',
  authKey: 'a private key file',
  authPassword: 'a password read from an environment variable',
  askKeyFile: 'Path of the private key file (a relative path is relative to the site file)',
  askPassphraseEnv: "Environment variable that holds the key's passphrase (leave empty if the key has none)",
  askPasswordEnv: 'Name of the environment variable that will hold the password',
  askHostName: (p: { n: number }) => `Name of ESXi host ${p.n} (how drbook should call it)`,
  askAddress: (p: { device: string }) => `Address of ${p.device} (IP address or DNS name)`,
  askPort: (p: { device: string }) => `SSH port of ${p.device}`,
  askAnotherHost: 'Add another ESXi host?',
  askOntapName: 'Name of the ONTAP cluster (how drbook should call it)',
  askOntapUser: 'User name drbook logs in to the cluster with',
  askSource: 'Source volume as svm:volume (the volume that holds the VMs now)',
  askDestination: 'Destination volume as svm:volume (its SnapMirror copy)',
  askPrimaryName: 'Name of the datastore on the source volume, as vSphere shows it',
  askMirrorName: 'Name of the datastore on the destination volume, as it will be mounted after failover',
  askNfsHost: (p: { datastore: string }) => `NFS server address the ESXi hosts mount ${p.datastore} from`,
  askShare: (p: { datastore: string }) => `Export path of ${p.datastore} on the NFS server`,
  askJobs: 'Names of the VSC backup jobs that protect these VMs (separate several with commas)',
  askVcenter: 'Display name of the vCenter VM, if it lives on the source datastore (leave empty if it does not)',
  askFirstGroup: 'Define a priority group (VMs powered on together, groups in order)?',
  askAnotherGroup: 'Add another priority group?',
  askGroupName: (p: { n: number }) => `Name of priority group ${p.n}`,
  askGroupVms: (p: { group: string }) => `Display names of the VMs in ${p.group} (separate them with commas)`,
  askWrite: (p: { file: string }) => `Write the site file to ${p.file}?`,

  // Validation (shown under the prompt)
  required: 'This answer is required.',
  invalidName: 'Use letters, digits, dot, underscore and hyphen only.',
  duplicateName: (p: { name: string }) => `${p.name} is already the name of another device; choose another name.`,
  invalidPort: 'Enter a port number from 1 to 65535.',
  invalidEnvName: 'Enter an environment variable name: letters, digits and underscore, not starting with a digit.',
  invalidVolumePath: 'Enter svm:volume, for example svm1:vol_vms.',
  sameVolume: 'The destination must be a different volume from the source.',
  invalidShare: 'An export path starts with /, for example /vol_vms.',
  invalidJobs: 'Enter at least one job name; a name uses letters, digits, dot, underscore and hyphen only.',
  invalidVms: 'Enter at least one VM name.',
  invalidFingerprint: 'Enter an OpenSSH fingerprint: SHA256: followed by 43 base64 characters.',

  // Host keys
  probing: (p: { device: string; where: string }) => `Connecting to ${p.device} (${p.where}) to read its SSH host key…`,
  probeShown: (p: { device: string; keyType: string }) => `${p.device} presents this ${p.keyType} host key:`,
  verifyEsxi: (p: { file: string }) =>
    `Compare it with what the host's own console (ESXi Shell on the DCUI) prints for: ssh-keygen -lf ${p.file}`,
  verifyEsxiPath: 'If that shell does not find ssh-keygen, it is at /usr/lib/vmware/openssh/bin/ssh-keygen.',
  verifyOntap: (p: { cluster: string }) =>
    `Compare it with the Fingerprint line for the same key type that the cluster console prints for: security ssh publickey show -vserver ${p.cluster}`,
  verifyOntapVserver: "Use the cluster's own name for -vserver: the admin SVM is named after the cluster.",
  confirmFingerprint: (p: { device: string }) => `Does this fingerprint match what the console of ${p.device} shows?`,
  pinned: (p: { device: string }) => `Pinned: drbook will talk to ${p.device} only while it presents this key.`,
  notConfirmed: (p: { device: string }) =>
    `Not pinned. A different key means that the address does not reach ${p.device} or that someone is in between.`,
  probeFailed: (p: { device: string; error: string }) => `Could not read the host key of ${p.device}: ${p.error}`,
  askWhatNow: (p: { device: string }) => `What now for ${p.device}?`,
  choiceRetry: 'Try to connect again',
  choiceManual: 'Type the fingerprint from the console by hand',
  choiceSkip: 'Skip: leave the host key out for now',
  askManualFingerprint: (p: { device: string }) => `Fingerprint of ${p.device} as its console shows it (SHA256:…)`,
  skipped: (p: { device: string }) =>
    `No host key pinned for ${p.device}: drbook refuses to connect to it until hostKey is added to the site file.`,

  // Summary and the end
  summarySite: (p: { site: string }) => `Site: ${p.site}`,
  summaryPinned: (p: { device: string; where: string }) => `${p.device} (${p.where}): host key pinned`,
  summaryUnpinned: (p: { device: string; where: string }) => `${p.device} (${p.where}): NO host key pinned`,
  summaryRelationship: (p: { source: string; destination: string }) => `Relationship: ${p.source} → ${p.destination}`,
  summaryJobs: (p: { jobs: string }) => `VSC jobs: ${p.jobs}`,
  summaryGroups: (p: { groups: string }) => `Priority groups: ${p.groups}`,
  summaryNoGroups: 'Priority groups: none',
  written: (p: { file: string }) => `Wrote ${p.file} (readable only by you).`,
  stillUnpinned: (p: { devices: string }) =>
    `Still without a pinned host key: ${p.devices}. Add hostKey for each of them before the next step.`,
  nextCheck: (p: { file: string }) => `Next, check that drbook reaches everything: drbook check --site ${p.file}`,
  nextCapture: (p: { file: string }) => `Then record the inventory of VMs: drbook capture --site ${p.file}`,

  // Comments written into the site file
  fileHeaderWizard: (p: { site: string; date: string }) => [
    `drbook site file for ${p.site}, written by drbook init on ${p.date}.`,
    'Passwords are never stored here: only ssh-agent, a key file path or an environment variable name.',
    'After editing, check it with: drbook check --site <this file>',
  ],
  fileHeaderExample: [
    'An example drbook site file: every section, with comments.',
    'Copy it and change every value, or run drbook init, which asks for them and pins the host keys.',
    'Passwords are never stored here: only ssh-agent, a key file path or an environment variable name.',
  ],
  commentSite: ["The site's name: it appears in every run, journal and report."],
  commentEsxi: [
    'The ESXi hosts drbook logs in to over SSH.',
    'user and auth apply to every host; a host may set its own user and auth.',
  ],
  commentAuth: [
    'How to log in. method: agent (ssh-agent), key (keyFile, optional passphraseEnv),',
    'or password (passwordEnv: the NAME of an environment variable that holds the password).',
  ],
  commentHosts: [
    "hostKey pins each host's SSH key (OpenSSH SHA256 fingerprint).",
    'drbook refuses a host whose key is missing here or differs from it.',
  ],
  commentNoHostKey: (p: { device: string }) => [
    `No hostKey for ${p.device} yet: drbook refuses to connect to it until one is added here.`,
  ],
  commentOntap: [
    'The ONTAP cluster that owns both volumes: snapmirror and volume snapshot commands run here.',
  ],
  commentRelationship: [
    'The SnapMirror relationship, as svm:volume: source holds the VMs, destination is its mirror.',
  ],
  commentDatastores: [
    'The NFS datastores on the two volumes, as the ESXi hosts mount them:',
    'primary on the source volume, mirror on the destination volume.',
  ],
  commentJobs: ['The VSC backup jobs whose snapshots (smvi__<job>_recent) hold the quiesce points.'],
  commentVcenter: ['The vCenter VM, when it lives on the primary datastore: drbook brings it back first.'],
  commentNoVcenter: [
    'No vCenter VM on the primary datastore. If it lives there, add its display name:',
    'vcenter: { vm: <display name> }',
  ],
  commentGroups: ['Priority groups: drbook powers the VMs on group by group, in the order listed here.'],
  commentCallouts: [
    'Callouts: local commands run at named points of a run (at: before-break, after-group or end),',
    'for example to notify a chat channel. Their output goes into the journal; a failing callout',
    'stops the run unless continueOnFailure is true. Example:',
    '  - { name: notify, at: before-break, run: [/usr/local/bin/notify, "failover starting"] }',
  ],
  commentConcurrency: ['How many commands run at the same time: per host, and how many hosts at once.'],
  commentTimeouts: ['Time limits, in seconds.'],
};

export type WizardMessages = typeof en;

const ja: WizardMessages = {
  needsTerminal: 'drbook init は質問に答えてもらうため端末が必要ですが、標準入力または標準出力が端末ではありません。',
  needsTerminalHint: (p) => `対話できるシェルで実行するか、サイトファイルの例 ${p.example} をコピーして編集してください`,
  outExists: (p) => `${p.file} はすでに存在します。`,
  outExistsHint: '置き換えるには --force を、別のファイルに書くには --out でファイル名を指定してください',
  badLang: (p) => `--lang ${p.value} は drbook が対応している言語ではありません。`,
  badLangHint: '--lang en または --lang ja を指定してください',
  intro: [
    'drbook init はサイトファイルを作成します。drbook がログインする機器、SnapMirror 関係、VSC ジョブ、起動順序を記録します。',
    'パスワードは書き込みません。書き込むのは ssh-agent、鍵ファイルのパス、または環境変数の名前だけです。',
    '最後に確認するまで何も書き込みません。Ctrl+C で何も書かずに中止できます。',
  ],
  cancelled: '中止しました。何も書き込んでいません。',

  sectionSite: 'サイト',
  sectionEsxi: 'ESXi ホスト',
  sectionOntap: 'ONTAP クラスタ',
  sectionRelationship: 'SnapMirror 関係',
  sectionDatastores: 'データストア',
  sectionJobs: 'VSC バックアップジョブ',
  sectionVcenter: 'vCenter',
  sectionGroups: '優先グループ',
  sectionSummary: '確認',

  askSiteName: 'このサイトの名前（英数字と . _ - のみ）',
  askEsxiUser: 'ESXi ホストにログインするユーザー名',
  askEsxiAuth: 'ESXi ホストへのログイン方法は？',
  askOntapAuth: (p) => `${p.device} へのログイン方法は？`,
  authAgent: 'ssh-agent（ssh-add で読み込んだ鍵）',
  authKey: '秘密鍵ファイル',
  authPassword: '環境変数から読むパスワード',
  askKeyFile: '秘密鍵ファイルのパス（相対パスはサイトファイルの場所からの相対）',
  askPassphraseEnv: '鍵のパスフレーズを入れる環境変数（パスフレーズがなければ空のまま）',
  askPasswordEnv: 'パスワードを入れる環境変数の名前',
  askHostName: (p) => `ESXi ホスト ${p.n} の名前（drbook での呼び名）`,
  askAddress: (p) => `${p.device} のアドレス（IP アドレスまたは DNS 名）`,
  askPort: (p) => `${p.device} の SSH ポート`,
  askAnotherHost: 'ESXi ホストをさらに追加しますか？',
  askOntapName: 'ONTAP クラスタの名前（drbook での呼び名）',
  askOntapUser: 'クラスタにログインするユーザー名',
  askSource: '移行元ボリューム（svm:volume の形式。現在 VM を格納しているボリューム）',
  askDestination: '移行先ボリューム（svm:volume の形式。その SnapMirror コピー）',
  askPrimaryName: '移行元ボリューム上のデータストア名（vSphere での表示名）',
  askMirrorName: '移行先ボリューム上のデータストア名（フェイルオーバー後にマウントする名前）',
  askNfsHost: (p) => `ESXi ホストが ${p.datastore} をマウントする NFS サーバーのアドレス`,
  askShare: (p) => `NFS サーバー上の ${p.datastore} のエクスポートパス`,
  askJobs: 'これらの VM を保護している VSC バックアップジョブの名前（複数はカンマ区切り）',
  askVcenter: 'vCenter VM が移行元データストア上にある場合、その表示名（なければ空のまま）',
  askFirstGroup: '優先グループ（一緒に起動する VM の組。グループ順に起動）を定義しますか？',
  askAnotherGroup: '優先グループをさらに追加しますか？',
  askGroupName: (p) => `優先グループ ${p.n} の名前`,
  askGroupVms: (p) => `${p.group} に含める VM の表示名（カンマ区切り）`,
  askWrite: (p) => `サイトファイルを ${p.file} に書き込みますか？`,

  required: '入力が必要です。',
  invalidName: '英数字、ドット、アンダースコア、ハイフンだけを使ってください。',
  duplicateName: (p) => `${p.name} は別の機器の名前として使われています。別の名前にしてください。`,
  invalidPort: '1 から 65535 までのポート番号を入力してください。',
  invalidEnvName: '環境変数名を入力してください（英数字とアンダースコア、先頭は数字以外）。',
  invalidVolumePath: 'svm:volume の形式で入力してください（例: svm1:vol_vms）。',
  sameVolume: '移行先には移行元と異なるボリュームを指定してください。',
  invalidShare: 'エクスポートパスは / で始まります（例: /vol_vms）。',
  invalidJobs: 'ジョブ名を 1 つ以上入力してください。名前には英数字、ドット、アンダースコア、ハイフンだけを使えます。',
  invalidVms: 'VM 名を 1 つ以上入力してください。',
  invalidFingerprint: 'OpenSSH のフィンガープリント（SHA256: に続く 43 文字の base64）を入力してください。',

  probing: (p) => `${p.device}（${p.where}）に接続して SSH ホスト鍵を読み取っています…`,
  probeShown: (p) => `${p.device} が提示した ${p.keyType} ホスト鍵:`,
  verifyEsxi: (p) => `ホスト自身のコンソール（DCUI の ESXi Shell）で ssh-keygen -lf ${p.file} を実行し、表示と比べてください。`,
  verifyEsxiPath: 'そのシェルで ssh-keygen が見つからない場合は /usr/lib/vmware/openssh/bin/ssh-keygen を使ってください。',
  verifyOntap: (p) =>
    `クラスタのコンソールで security ssh publickey show -vserver ${p.cluster} を実行し、同じ鍵タイプの Fingerprint 行と比べてください。`,
  verifyOntapVserver: '-vserver にはクラスタ名を指定します（管理 SVM の名前はクラスタ名です）。',
  confirmFingerprint: (p) => `このフィンガープリントは ${p.device} のコンソールの表示と一致しますか？`,
  pinned: (p) => `固定しました。drbook は ${p.device} がこの鍵を提示する場合にだけ接続します。`,
  notConfirmed: (p) =>
    `固定しませんでした。鍵が違う場合、このアドレスが ${p.device} に届いていないか、途中に第三者がいる可能性があります。`,
  probeFailed: (p) => `${p.device} のホスト鍵を読み取れませんでした: ${p.error}`,
  askWhatNow: (p) => `${p.device} をどうしますか？`,
  choiceRetry: 'もう一度接続する',
  choiceManual: 'コンソールに表示されたフィンガープリントを手で入力する',
  choiceSkip: 'スキップ（ホスト鍵はあとで追加する）',
  askManualFingerprint: (p) => `${p.device} のコンソールに表示されたフィンガープリント（SHA256:…）`,
  skipped: (p) => `${p.device} のホスト鍵は固定されていません。サイトファイルに hostKey を追加するまで drbook は接続しません。`,

  summarySite: (p) => `サイト: ${p.site}`,
  summaryPinned: (p) => `${p.device}（${p.where}）: ホスト鍵を固定済み`,
  summaryUnpinned: (p) => `${p.device}（${p.where}）: ホスト鍵が未固定`,
  summaryRelationship: (p) => `SnapMirror 関係: ${p.source} → ${p.destination}`,
  summaryJobs: (p) => `VSC ジョブ: ${p.jobs}`,
  summaryGroups: (p) => `優先グループ: ${p.groups}`,
  summaryNoGroups: '優先グループ: なし',
  written: (p) => `${p.file} を書き込みました（あなただけが読めます）。`,
  stillUnpinned: (p) => `次の機器はホスト鍵が未固定です: ${p.devices}。次の手順の前にそれぞれの hostKey を追加してください。`,
  nextCheck: (p) => `次に、drbook がすべての機器に届くか確認します: drbook check --site ${p.file}`,
  nextCapture: (p) => `続いて VM のインベントリを記録します: drbook capture --site ${p.file}`,

  fileHeaderWizard: (p) => [
    `${p.site} の drbook サイトファイル。${p.date} に drbook init が作成しました。`,
    'パスワードはここに保存しません。ssh-agent、鍵ファイルのパス、環境変数の名前だけを書きます。',
    '編集したら確認してください: drbook check --site <このファイル>',
  ],
  fileHeaderExample: [
    'drbook サイトファイルの例です。すべてのセクションをコメント付きで示します。',
    'コピーしてすべての値を書き換えるか、drbook init を実行してください（値を尋ね、ホスト鍵を固定します）。',
    'パスワードはここに保存しません。ssh-agent、鍵ファイルのパス、環境変数の名前だけを書きます。',
  ],
  commentSite: ['サイトの名前。すべての実行、ジャーナル、レポートに表示されます。'],
  commentEsxi: [
    'drbook が SSH でログインする ESXi ホスト。',
    'user と auth は全ホスト共通です。ホストごとに user と auth を指定することもできます。',
  ],
  commentAuth: [
    'ログイン方法。method: agent（ssh-agent）、key（keyFile、任意で passphraseEnv）、',
    'または password（passwordEnv: パスワードを入れた環境変数の名前）。',
  ],
  commentHosts: [
    'hostKey は各ホストの SSH 鍵（OpenSSH の SHA256 フィンガープリント）を固定します。',
    'ここに鍵がないホストや、鍵が異なるホストには drbook は接続しません。',
  ],
  commentNoHostKey: (p) => [`${p.device} の hostKey はまだありません。ここに追加するまで drbook は接続しません。`],
  commentOntap: ['両方のボリュームを持つ ONTAP クラスタ。snapmirror と volume snapshot のコマンドをここで実行します。'],
  commentRelationship: ['SnapMirror 関係（svm:volume 形式）。source が VM を格納し、destination がそのミラーです。'],
  commentDatastores: [
    'ESXi ホストがマウントする、2 つのボリューム上の NFS データストア。',
    'primary が移行元ボリューム、mirror が移行先ボリュームです。',
  ],
  commentJobs: ['静止点を含むスナップショット（smvi__<job>_recent）を作る VSC バックアップジョブ。'],
  commentVcenter: ['プライマリデータストア上にある vCenter VM。drbook は最初にこれを復旧します。'],
  commentNoVcenter: [
    'プライマリデータストア上に vCenter VM はありません。ある場合は表示名を追加してください:',
    'vcenter: { vm: <表示名> }',
  ],
  commentGroups: ['優先グループ。drbook はここに並べた順に、グループごとに VM を起動します。'],
  commentCallouts: [
    'コールアウト: 実行中の決まった時点（at: before-break、after-group、end）に動かすローカルコマンド。',
    'チャットへの通知などに使います。出力はジャーナルに残り、失敗すると',
    'continueOnFailure が true でない限り実行を止めます。例:',
    '  - { name: notify, at: before-break, run: [/usr/local/bin/notify, "failover starting"] }',
  ],
  commentConcurrency: ['同時に実行するコマンド数。ホストごとの数と、同時に扱うホスト数です。'],
  commentTimeouts: ['制限時間（秒）。'],
};

export function wizardMessages(lang: Lang): WizardMessages {
  return pick(lang, { en, ja });
}
