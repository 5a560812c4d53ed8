import { pick, type Lang } from './lang.js';

/**
 * What the printed drill and drill-cleanup procedures (`drbook plan --procedure drill|drill-cleanup`)
 * say, beside the failover's catalogue (src/i18n/plan.ts) whose header, table and preflight
 * sentences they share. One whole sentence per key; commands are never translated.
 */
const en = {
  titleDrill: (p: { site: string }) => `Drill procedure for site ${p.site}`,
  subtitleDrill: 'A test failover on a FlexClone of the mirror: production, the relationship and the mirror are never touched',
  titleCleanup: (p: { site: string }) => `Drill cleanup procedure for site ${p.site}`,
  subtitleCleanup: 'Remove what an interrupted (or --keep) drill left behind: its drill VMs, datastore, folder and clone',
  headerSnapshot: 'Snapshot to clone',
  how: [
    'Every command is printed exactly as drbook sends it. Commands marked ESXi are typed in an SSH session on the named host; ONTAP in an SSH session on the cluster; vCenter names the vSphere API call drbook makes (do it in the vSphere Client).',
    'RUN stands for the drill run id that drbook drill prints when it starts (20261122-0142-a1b2); in the clone and datastore name it is written with _ for - (drill_20261122_0142_a1b2). Other words in capitals are values you read from the output of the command before; replace them, and nothing else.',
    'The drill asks no confirmation: it creates a clone, a datastore, drill VMs and a vCenter folder of its own and removes them at the end. Nothing of production is changed.',
    'Tick the box of each step when it is done. Do not start a step before the previous one is done.',
  ],
  placeholderRun: 'The drill run id (drbook drill prints it first; drbook runs lists it). In drill_RUN, each - of it is written _.',
  placeholderVmid: 'The vmid of each VM of the primary datastore in vim-cmd vmsvc/getallvms (one power.getstate per VM).',
  placeholderCopiedChoice: 'The number of the choice "I copied it" (button.uuid.copiedTheVM) in vim-cmd vmsvc/message.',
  placeholderVmxContent:
    'The whole .vmx of the VM in the clone as cat printed it, with one change: every ethernetN.startConnected line set to "FALSE" (added where missing). Every other line stays byte for byte.',
  placeholderDcVmFolder: 'The VM folder of the datacenter the drill VM is in (its managed object id, group-v…).',
  placeholderDrillFolder: 'The drill folder "drbook drill RUN" (its managed object id, group-v…).',
  placeholderDrillVm: 'The drill VM as vCenter shows it (its managed object id, vm-…).',

  // preflight
  secPreflight: 'Preflight: look before you change anything',
  preIntroDrill:
    'drbook reads the relationship, the VSC snapshots and every host, as a failover does, and stops when a drill would not be safe. That production is online is the normal case for a drill.',
  preCloneFree: 'No volume under the drill clone name yet',
  preCloneFreeExpect: (p: { clone: string }) =>
    `No row for ${p.clone}: the name is free. A row means an earlier drill of the same id left it: drbook drill cleanup RUN removes it.`,

  // lockdown
  secLockdownExit: 'Exit lockdown mode',
  secLockdownEnter: 'Re-enter lockdown mode',
  lockdownExitIntroDrill: 'Only on the hosts that run a drill VM. Where lockdown is off already, nothing is changed.',
  lockdownExitIntroCleanup:
    'Only on the hosts the drill journal shows it sent commands to (its mounts and registrations). Where lockdown is off already, nothing is changed.',
  lockdownEnterIntroDrill: 'On every host where the drill (or a cleanup of it) exited lockdown, also when the drill failed or was stopped.',

  // clone
  secClone: 'Clone the mirror at the VSC snapshot',
  cloneIntro: (p: { snapshot: string; mirror: string }) =>
    `A FlexClone of ${p.mirror} at ${p.snapshot}: writable, sharing its blocks with the mirror, which stays as it is.`,
  cloneStep: (p: { clone: string }) => `Create the FlexClone ${p.clone}`,
  cloneCheckExpect:
    'No row: the clone does not exist yet (a row in state online with this junction means it is there already: skip the create).',
  cloneCreateExpect: 'The command ends without an error (ONTAP may print a job line).',
  cloneVerifyExpect: (p: { junction: string }) => `One row: state online, junction-path ${p.junction}.`,

  // mount
  secMount: 'Mount the clone as the drill datastore',
  mountIntro:
    'Before it mounts, drbook records every VM of the primary datastore on the host and its power state: the last step compares them.',
  mountStep: (p: { host: string; datastore: string }) => `${p.host}: mount ${p.datastore}`,
  mountBaseline: 'The production VMs of the host (rows of the primary datastore), then the power state of each.',
  mountCheckExpect: (p: { datastore: string }) =>
    `No row ${p.datastore} (a row with another share is not this drill's: stop and rename it).`,
  mountAddExpect: 'No output.',
  mountVerifyExpect: (p: { datastore: string }) => `A row ${p.datastore}, Accessible true, Mounted true.`,

  // recover
  secRecover: 'Isolate, register, revert and power on the drill VMs',
  recoverIntro:
    'For each VM, in parallel across hosts: its .vmx in the clone gets every NIC disconnected before it is registered, it is registered as "NAME [drill]", reverted to the VSC snapshot, and powered on answering "I copied it", so the drill VM never poses as production.',
  recoverStep: (p: { host: string; name: string }) => `${p.host}: ${p.name} [drill]`,
  recoverPlaced: (p: { host: string; path: string }) => `Recorded at ${p.path} on ${p.host}.`,
  recoverLeaveOff: (p: { power: string }) => `It is ${p.power} in production: registered and reverted, left off.`,
  isolateCheck: 'The .vmx must be in the clone; then read it: every ethernetN whose startConnected is not FALSE would connect.',
  isolateWrite: 'Write the .vmx back with every NIC disconnected (VMX_CONTENT: see the values above).',
  isolateWriteExpect: 'No output.',
  isolateVerifyExpect: 'Every ethernetN.startConnected = "FALSE".',
  registerCheck: 'Nothing registered yet from the drill datastore under this path, and no VM of the drill name.',
  registerExpect: 'The new vmid (NEW_VMID). The row of getallvms shows the drill datastore and the name with [drill].',
  folderMove:
    'With the vCenter API: the drill VM into the vCenter folder "drbook drill RUN", created once under the datacenter\'s VM folder.',
  revertText: 'Read its snapshots: the VSC snapshot is the quiesce point. None: the VM boots crash-consistent, and the report says so.',
  revertExpect: 'The snapshot tree after the revert; then power.getstate says Powered off.',
  removeText: 'Delete that VMware snapshot only (nothing is merged: the revert discarded what came after it).',
  removeExpect: 'The tree without the VSC snapshot.',
  reisolateText:
    'Read the .vmx again: the revert may have brought back connected NICs. If so, write it again as above, unregister the VM and register it anew, so it powers on with the file as it is.',
  powerOnText: 'Read the .vmx a last time (no NIC may connect), then power on and answer the question "I copied it".',
  powerOnExpect: 'Powered on.',
  heartbeatText: (p: { seconds: number }) => `Wait for the VMware Tools heartbeat (up to ${p.seconds} s).`,
  heartbeatExpect: 'green',

  // teardown
  secTeardown: 'Power off and unregister the drill VMs',
  teardownIntro:
    'On the hosts the drill touched, only the VMs whose .vmx is on the drill datastore are powered off and unregistered; each is read again right before. With --keep the drill skips this and the steps after it (drbook drill cleanup does them).',
  teardownList: "Read the host's VMs: the drill VMs are the rows of the drill datastore.",
  teardownStep: (p: { host: string }) => `${p.host}: every VM registered from the drill datastore`,
  teardownVms: (p: { names: string }) => `The drill would have registered here: ${p.names}.`,
  powerOffExpect: 'Powered off.',
  unregisterExpect: 'No output; the VM is no longer in getallvms.',

  // drill folder
  secFolder: 'Remove the vCenter drill folder once empty',
  folderIntro:
    'With the vCenter API only. drbook waits until the folder is empty (vCenter drops an unregistered VM when its host says so), then removes it.',
  folderStep: (p: { name: string }) => `Remove the folder "${p.name}"`,
  folderExpect: 'The task ends in success; the folder is gone from the VMs and Templates view.',

  // unmount
  secUnmount: 'Unmount the drill datastore',
  unmountStep: (p: { host: string; datastore: string }) => `${p.host}: unmount ${p.datastore}`,
  unmountCheck: (p: { datastore: string }) =>
    `A row ${p.datastore} with the drill's share, and no VM registered from it any more (else: stop, remove them first).`,
  unmountExpect: 'No output.',
  unmountVerifyExpect: (p: { datastore: string }) => `No row ${p.datastore}.`,

  // delete the clone
  secDelete: 'Delete the clone',
  deleteIntro: (p: { mirror: string }) =>
    `Only a FlexClone of ${p.mirror} under the drill's name is ever deleted: unmount, offline, delete (an interrupted delete goes on from where it stopped).`,
  deleteStep: (p: { clone: string }) => `Delete ${p.clone}`,
  deleteCheck: (p: { mirror: string }) => `Its row shows parent-volume ${p.mirror}. Anything else: stop, it is not the drill's.`,
  deleteExpect: 'Each ends without an error.',
  deleteVerifyExpect: 'No row: the clone is gone.',

  // verify
  secVerify: 'Verify production is untouched',
  verifyIntro:
    'The relationship in the same state and health, the snapshot still on the mirror, and on every host the same production VMs, paths and power states as before the mount.',
  verifyStep: 'Production as it was before the drill',
  verifyRelationshipExpect: 'The same state and healthy as in the preflight (a transfer under way is SnapMirror working, not the drill).',
  verifySnapshotsExpect: (p: { snapshot: string }) => `${p.snapshot} is still listed.`,
  verifyHostExpect: 'The same rows of the primary datastore and power states as at the mount.',

  // cleanup
  secCleanupPlan: 'What the journal says the drill made',
  cleanupPlanText:
    "drbook drill cleanup RUN reads the drill's journal: its clone and datastore names (from its run id alone), the hosts it sent commands to, where it exited lockdown. It prints them; nothing is sent. Every removal below is checked on the device first.",
  cleanupTeardownIntro:
    'On the hosts the drill touched, only the VMs whose .vmx is on the drill datastore are powered off and unregistered; each is read again right before.',
};

export type DrillPlanMessages = typeof en;

const ja: DrillPlanMessages = {
  titleDrill: (p) => `サイト ${p.site} の訓練手順書`,
  subtitleDrill: 'ミラーの FlexClone 上でのテストフェイルオーバー。本番、関係、ミラーには一切触れません',
  titleCleanup: (p) => `サイト ${p.site} の訓練後片付け手順書`,
  subtitleCleanup: '中断した訓練 (または --keep) が残したもの (訓練 VM、データストア、フォルダー、クローン) を削除します',
  headerSnapshot: 'クローン元のスナップショット',
  how: [
    'コマンドはすべて drbook が送るとおりに記載しています。ESXi と書かれたコマンドは該当ホストへの SSH セッションで、ONTAP はクラスタへの SSH セッションで入力します。vCenter は drbook が呼ぶ vSphere API を示します (vSphere Client で行います)。',
    'RUN は drbook drill が開始時に表示する訓練の実行 ID (20261122-0142-a1b2 など) です。クローンとデータストアの名前では - を _ と書きます (drill_20261122_0142_a1b2)。その他の大文字の語は直前のコマンドの出力から読み取る値です。その語だけを置き換えてください。',
    '訓練は確認を求めません。独自のクローン、データストア、訓練 VM、vCenter フォルダーを作成し、最後に削除します。本番は何も変更されません。',
    '各手順が終わったらチェックボックスに印を付けてください。前の手順が終わるまで次の手順を始めないでください。',
  ],
  placeholderRun: '訓練の実行 ID (drbook drill が最初に表示し、drbook runs にも出ます)。drill_RUN の中では - を _ と書きます。',
  placeholderVmid: 'vim-cmd vmsvc/getallvms に表示される、プライマリデータストアの各 VM の vmid (VM ごとに power.getstate を 1 回)。',
  placeholderCopiedChoice: 'vim-cmd vmsvc/message の選択肢「I copied it」（button.uuid.copiedTheVM）の番号。',
  placeholderVmxContent:
    'cat が表示したクローン内の .vmx 全体に、1 点だけ変更を加えたもの: すべての ethernetN.startConnected 行を "FALSE" にします (ない場合は追加)。他の行は 1 バイトも変えません。',
  placeholderDcVmFolder: '訓練 VM があるデータセンターの VM フォルダー (管理オブジェクト ID、group-v…)。',
  placeholderDrillFolder: '訓練用フォルダー「drbook drill RUN」(管理オブジェクト ID、group-v…)。',
  placeholderDrillVm: 'vCenter 上の訓練 VM (管理オブジェクト ID、vm-…)。',

  secPreflight: '事前確認：何かを変更する前に状況を見る',
  preIntroDrill:
    'フェイルオーバーと同じく、drbook は関係、VSC スナップショット、全ホストを読み取り、訓練が安全でなければ停止します。本番がオンラインなのは訓練では通常の状態です。',
  preCloneFree: '訓練用クローン名のボリュームがまだないこと',
  preCloneFreeExpect: (p) =>
    `${p.clone} の行がなければ、その名前は空いています。行がある場合は同じ ID の以前の訓練が残したものです。drbook drill cleanup RUN で削除します。`,

  secLockdownExit: 'ロックダウン モードを解除する',
  secLockdownEnter: 'ロックダウン モードに戻す',
  lockdownExitIntroDrill: '訓練 VM を動かすホストだけが対象です。ロックダウンが既にオフのホストでは何も変更しません。',
  lockdownExitIntroCleanup:
    '訓練のジャーナルでコマンド (マウントや登録) を送ったことが分かるホストだけが対象です。ロックダウンが既にオフのホストでは何も変更しません。',
  lockdownEnterIntroDrill: '訓練 (またはその片付け) がロックダウンを解除したすべてのホストで、訓練が失敗・停止した場合も実行します。',

  secClone: 'VSC スナップショットの時点でミラーをクローンする',
  cloneIntro: (p) => `${p.snapshot} の時点の ${p.mirror} の FlexClone。書き込み可能で、ブロックはミラーと共有し、ミラーはそのままです。`,
  cloneStep: (p) => `FlexClone ${p.clone} を作成する`,
  cloneCheckExpect: '行がないこと: クローンはまだありません (online でこのジャンクションの行があれば既に存在するため、作成は不要です)。',
  cloneCreateExpect: 'エラーなく終わること (ONTAP がジョブの行を表示することがあります)。',
  cloneVerifyExpect: (p) => `1 行: state online、junction-path ${p.junction}。`,

  secMount: 'クローンを訓練用データストアとしてマウントする',
  mountIntro: 'マウントの前に、ホスト上のプライマリデータストアの全 VM とその電源状態を記録します。最後の手順でこれと比較します。',
  mountStep: (p) => `${p.host}: ${p.datastore} をマウントする`,
  mountBaseline: 'ホストの本番 VM (プライマリデータストアの行) と、それぞれの電源状態。',
  mountCheckExpect: (p) =>
    `${p.datastore} の行がないこと (別の共有の行があれば、この訓練のものではありません。停止して名前を変更してください)。`,
  mountAddExpect: '出力なし。',
  mountVerifyExpect: (p) => `${p.datastore} の行があり、Accessible true、Mounted true。`,

  secRecover: '訓練 VM を隔離、登録、復帰して電源を入れる',
  recoverIntro:
    '各 VM について、ホストをまたいで並行に: 登録前にクローン内の .vmx の NIC をすべて切断し、「名前 [drill]」として登録し、VSC スナップショットに復帰し、「I copied it」と回答して電源を入れます。訓練 VM が本番になりすますことはありません。',
  recoverStep: (p) => `${p.host}: ${p.name} [drill]`,
  recoverPlaced: (p) => `記録上の場所: ${p.host} の ${p.path}。`,
  recoverLeaveOff: (p) => `本番では ${p.power} です。登録と復帰のみ行い、電源は入れません。`,
  isolateCheck: '.vmx がクローン内にあること。次にそれを読みます。startConnected が FALSE でない ethernetN は接続されます。',
  isolateWrite: 'すべての NIC を切断した .vmx を書き戻します (VMX_CONTENT: 上の値の説明を参照)。',
  isolateWriteExpect: '出力なし。',
  isolateVerifyExpect: 'すべての ethernetN.startConnected = "FALSE"。',
  registerCheck: '訓練用データストアのこのパスからの登録がまだなく、訓練名の VM もないこと。',
  registerExpect: '新しい vmid (NEW_VMID)。getallvms の行に訓練用データストアと [drill] 付きの名前が表示されます。',
  folderMove:
    'vCenter API がある場合: 訓練 VM を vCenter フォルダー「drbook drill RUN」へ移動します (データセンターの VM フォルダーの下に 1 度だけ作成)。',
  revertText:
    'スナップショットを読みます。VSC スナップショットが静止点です。ない場合、VM はクラッシュ整合で起動し、レポートにそう記載されます。',
  revertExpect: '復帰後のスナップショットツリー。その後 power.getstate が Powered off を示すこと。',
  removeText: 'その VMware スナップショットだけを削除します (復帰でそれ以降が破棄されたため、統合は発生しません)。',
  removeExpect: 'VSC スナップショットのないツリー。',
  reisolateText:
    '.vmx を再度読みます。復帰で接続状態の NIC が戻ることがあります。その場合は上と同様に書き直し、VM を登録解除して登録し直し、現在のファイルで電源が入るようにします。',
  powerOnText: '最後にもう一度 .vmx を読み (接続される NIC がないこと)、電源を入れて「I copied it」と回答します。',
  powerOnExpect: 'Powered on。',
  heartbeatText: (p) => `VMware Tools のハートビートを待ちます (最大 ${p.seconds} 秒)。`,
  heartbeatExpect: 'green',

  secTeardown: '訓練 VM の電源を切り登録を解除する',
  teardownIntro:
    '訓練が触れたホストで、.vmx が訓練用データストア上にある VM だけを電源オフし登録解除します。それぞれ直前に読み直します。--keep の場合、訓練はこの手順と以降の手順を行いません (drbook drill cleanup が行います)。',
  teardownList: 'ホストの VM を読みます。訓練 VM は訓練用データストアの行です。',
  teardownStep: (p) => `${p.host}: 訓練用データストアから登録されたすべての VM`,
  teardownVms: (p) => `訓練がここに登録する VM: ${p.names}。`,
  powerOffExpect: 'Powered off。',
  unregisterExpect: '出力なし。VM は getallvms に表示されなくなります。',

  secFolder: '空になった vCenter 訓練用フォルダーを削除する',
  folderIntro:
    'vCenter API がある場合のみ。フォルダーが空になるまで待ち (ホストが登録解除を伝えると vCenter は VM を外します)、削除します。',
  folderStep: (p) => `フォルダー「${p.name}」を削除する`,
  folderExpect: 'タスクが成功で終わり、VM およびテンプレートのビューからフォルダーが消えること。',

  secUnmount: '訓練用データストアをアンマウントする',
  unmountStep: (p) => `${p.host}: ${p.datastore} をアンマウントする`,
  unmountCheck: (p) =>
    `訓練の共有の ${p.datastore} の行があり、そこから登録された VM がもうないこと (ある場合は停止し、先に削除してください)。`,
  unmountExpect: '出力なし。',
  unmountVerifyExpect: (p) => `${p.datastore} の行がないこと。`,

  secDelete: 'クローンを削除する',
  deleteIntro: (p) =>
    `削除するのは訓練の名前を持つ ${p.mirror} の FlexClone だけです: アンマウント、オフライン、削除 (中断した削除は止まったところから続けます)。`,
  deleteStep: (p) => `${p.clone} を削除する`,
  deleteCheck: (p) => `行の parent-volume が ${p.mirror} であること。それ以外なら停止してください。訓練のものではありません。`,
  deleteExpect: 'それぞれエラーなく終わること。',
  deleteVerifyExpect: '行がないこと: クローンは削除されました。',

  secVerify: '本番に変化がないことを確認する',
  verifyIntro:
    '関係の状態と健全性が同じで、スナップショットがミラーに残り、各ホストの本番 VM、パス、電源状態がマウント前と同じであること。',
  verifyStep: '訓練前と同じ本番',
  verifyRelationshipExpect: 'プリフライトと同じ state と healthy (転送中なのは SnapMirror の動作であり、訓練によるものではありません)。',
  verifySnapshotsExpect: (p) => `${p.snapshot} がまだ表示されること。`,
  verifyHostExpect: 'マウント時と同じプライマリデータストアの行と電源状態。',

  secCleanupPlan: '訓練が作成したものについてジャーナルが示す内容',
  cleanupPlanText:
    'drbook drill cleanup RUN は訓練のジャーナルを読みます: クローンとデータストアの名前 (実行 ID だけから決まります)、コマンドを送ったホスト、ロックダウンを解除した場所。これを表示するだけで、何も送りません。以下の削除はすべて、先に機器上で確認します。',
  cleanupTeardownIntro:
    '訓練が触れたホストで、.vmx が訓練用データストア上にある VM だけを電源オフし登録解除します。それぞれ直前に読み直します。',
};

export function drillPlanMessages(lang: Lang): DrillPlanMessages {
  return pick(lang, { en, ja });
}
