import { pick, type Lang } from './lang.js';

/**
 * Everything the printed procedure (`drbook plan`) says. One whole sentence per key; parameters go
 * into sentences, never sentences assembled from fragments. Commands and device output are never
 * translated: they are printed verbatim beside these sentences.
 */
const en = {
  // document header
  title: (p: { site: string }) => `Failover procedure for site ${p.site}`,
  subtitle: 'Fail over to the SnapMirror copy at the VSC quiesce point',
  headerSite: 'Site',
  headerSiteFile: 'Site file',
  headerCapture: 'Capture',
  headerCaptureTime: 'Capture taken',
  headerGenerated: 'Generated',
  headerVersion: 'drbook version',
  headerRelationship: 'SnapMirror relationship',
  headerDatastores: 'Datastores',
  headerSnapshot: 'Snapshot to restore',
  captureValue: (p: { id: string; version: string }) => `${p.id} (written by drbook ${p.version})`,
  captureAge: (p: { time: string; days: number }) => `${p.time} (${p.days} days before this document)`,
  captureAgeToday: (p: { time: string }) => `${p.time} (less than a day before this document)`,
  datastoresValue: (p: { primary: string; mirror: string }) => `primary ${p.primary}, mirror ${p.mirror}`,
  relationshipValue: (p: { source: string; destination: string }) => `${p.source} → ${p.destination}`,
  snapshotValue: (p: { name: string; time: string }) => `${p.name} (created ${p.time} according to the capture)`,
  snapshotUnknown: (p: { name: string }) => `${p.name} (the capture saw no such snapshot on the mirror)`,

  // warnings
  warningsTitle: 'Warnings',
  warnOld: (p: { days: number }) =>
    `The capture is ${p.days} days old. VMs created, renamed or moved since then are missing or wrong in this document: run drbook capture and print it again.`,
  warnFindings: (p: { count: number }) => `The capture has ${p.count} finding(s); read them before you rely on this document:`,
  warnUnreachable: (p: { host: string; from: string }) =>
    `${p.host} could not be reached at capture time; its VMs are as recorded by capture ${p.from}.`,
  warnUnreachableNoData: (p: { host: string }) => `${p.host} could not be reached at capture time and no earlier data of it exists.`,
  warnNoBackup: (p: { mirror: string }) =>
    `The capture saw no VSC snapshot (smvi__…) on the mirror ${p.mirror}: there may be no quiesce point to restore to. Check the VSC jobs and the SnapMirror schedule.`,
  warnSeveralJobs: (p: { jobs: string }) =>
    `The site has several VSC jobs (${p.jobs}). The volume can be restored to one snapshot only; the VMs of the other jobs need their files restored with volume snapshot restore-file, which this procedure does not cover.`,
  noWarnings: 'None: the capture is recent and has no findings.',

  // how to read
  howTitle: 'How to use this document',
  how: [
    'Every command is printed exactly as drbook sends it. Commands marked ESXi are typed in an SSH session on the named host; commands marked ONTAP in an SSH session on the cluster.',
    'Words in capitals inside a command (NEW_VMID, SNAPSHOT_ID, WORLD_ID, QUESTION_ID, MOVED_CHOICE) are values you read from the output of the command before; replace them, and nothing else.',
    'Under each command: what a correct output looks like, and where useful a real output of that command from another site, to compare the layout with.',
    'Tick the box of each step when it is done. The VM table at the start is for ticking each VM when it runs again.',
    'Do not start a step before the previous one is done, except where the text says so.',
  ],
  /** Only in the printable HTML, where commands wrap. */
  howDots:
    'In the printed commands a faint dot marks each blank, so a blank where a long command wraps can be seen: type a blank for each dot. A line that ends without a dot continues directly on the next line.',
  placeholdersTitle: 'Values to read from the output',
  placeholderNewVmid: 'The vmid that vim-cmd solo/registervm printed for this VM (or its row in vim-cmd vmsvc/getallvms).',
  placeholderSnapshotId: 'The Snapshot Id of the VSC snapshot in vim-cmd vmsvc/snapshot.get.',
  placeholderWorldId: 'The World ID of the VM in esxcli vm process list.',
  placeholderQuestionId: 'The number after "Virtual machine message" in vim-cmd vmsvc/message.',
  placeholderMovedChoice: 'The number of the choice "I moved it" (button.uuid.movedTheVM) in vim-cmd vmsvc/message.',
  placeholderVmid: 'The vmid of the VM in vim-cmd vmsvc/getallvms (the capture did not record a numeric one).',

  // VM table
  vmTableTitle: 'VMs to bring back',
  vmTableIntro: (p: { count: number; datastore: string }) =>
    `${p.count} VM(s) of the capture live on the primary datastore ${p.datastore}.`,
  vmTableOthers: (p: { count: number }) => `${p.count} other VM(s) of the capture live elsewhere; this procedure does not touch them.`,
  colDone: 'Done',
  colName: 'Recorded name',
  colHost: 'Host',
  colPath: 'Datastore path',
  colVmid: 'vmid',
  colPower: 'Power',
  colJob: 'VSC job',
  colQuiesced: 'Quiesced in newest backup',
  colGroup: 'Priority group',
  powerOn: 'on',
  powerOff: 'off',
  powerSuspended: 'suspended',
  yes: 'yes',
  no: 'no',
  notAudited: 'not audited',
  noJob: '-',
  vcenterMark: '(vCenter)',
  noGroup: '(no group)',

  // labels
  labelEsxi: (p: { host: string }) => `ESXi ${p.host}`,
  labelOntap: (p: { cluster: string }) => `ONTAP ${p.cluster}`,
  labelLocal: 'on the drbook machine',
  labelHyperv: (p: { node: string }) => `PowerShell on ${p.node}`,
  labelVcenter: 'vCenter (vSphere API call)',
  // The VM table of a Hyper-V site's plan.
  colConfigFile: 'Configuration file',
  colVmId: 'VM ID',
  colBackupJob: 'Backup Exec job',
  colConsistent: 'Successful backup on record',
  // The VM table of the failback's plan: where each VM runs now and where it comes back from.
  colRunsFrom: 'Runs now from (mirror)',
  colMirrorVmid: 'vmid on the mirror',
  colReturnsTo: 'Comes back from (original)',
  labelExpect: 'Correct output:',
  labelExample: (p: { command: string }) => `Real output of ${p.command} from another site (layout only):`,
  labelConfirm: 'Confirmation point',
  labelType: 'Type exactly:',
  labelChecklist: 'Checklist',

  // section titles
  secPreflight: '0. Preflight: look before you change anything',
  secCalloutsBefore: 'Callouts before the break',
  secBreak: '1. Break the SnapMirror relationship',
  secRestore: '2. SnapRestore the mirror to the VSC snapshot',
  secLockdownExit: '3. Exit lockdown mode',
  secMount: '4. Mount the mirror datastore',
  secFence: '5. Fence the stale VMs',
  secVcenter: '6. Bring back vCenter',
  secRecover: (p: { n: number; group: string; index: number; count: number }) =>
    `${p.n}. Register, revert, power on: priority group ${p.group} (${p.index} of ${p.count})`,
  secLockdownEnter: (p: { n: number }) => `${p.n}. Re-enter lockdown mode`,
  secVerify: (p: { n: number }) => `${p.n}. Verify`,
  secCalloutsEnd: 'Callouts at the end',
  secPlace: (p: { n: number }) => `${p.n}. vCenter placement`,
  placeIntro:
    "Once vCenter is up, put each VM back into the folder and resource pool the capture recorded (permissions, DRS rules, backup jobs and monitoring hang off them). drbook does it after the registration; if vCenter was down, run drbook place --site FILE later: it reads each VM's placement first and moves only what is elsewhere.",
  placeStep: (p: { vm: string; folder: string; pool: string }) => `${p.vm}: folder ${p.folder}, resource pool ${p.pool}`,

  // preflight
  preIntro: 'Nothing in this section changes anything. If a result here is not what is described, stop and find out why before you go on.',
  preRelationship: 'Relationship state',
  preRelationshipExpect: (p: { destination: string }) =>
    `One row with destination-path ${p.destination}. Before the break: state Snapmirrored, healthy true; the lag-time tells how old the mirror is. State Broken-off means it is already broken: skip step 1.`,
  preSource: 'Is the source volume really lost?',
  preSourceExpect: (p: { source: string }) =>
    `The state of ${p.source} is not online (or the volume is not shown). If it is online, make sure the primary site is really lost before you break the mirror.`,
  preSnapshots: 'VSC snapshots on the mirror',
  preSnapshotsExpect: (p: { job: string }) =>
    `A snapshot named smvi__${p.job}_recent with its create-time. Older VSC backups are named smvi__${p.job}_YYYYMMDDhhmmss. The snapshots newer than the one you restore are deleted by the SnapRestore.`,
  preSnapshotsCaptured: 'The VSC snapshots the capture saw on the mirror, with the number of VMs that have a quiesce point in each:',
  preSnapshotRow: (p: { name: string; time: string; quiesced: number; total: number }) =>
    `${p.name}, created ${p.time}: ${p.quiesced} of ${p.total} VM(s) quiesced`,
  preSnapshotChosen: (p: { name: string }) =>
    `drbook restores to ${p.name}: the recent backup that brings the most VMs back quiesced (the newest among equals). If the preflight output shows a newer create-time than the capture did, a backup ran after the capture: the VMware snapshot names below may differ; pick them by the rule in the recover steps.`,
  preHost: (p: { host: string }) => `Host ${p.host}`,
  preHostLockdownOn: 'At capture time this host was in lockdown mode.',
  preHostLockdownOff: 'At capture time this host was not in lockdown mode.',
  preHostLockdownUnknown: 'The capture does not know whether this host was in lockdown mode.',
  preLockdownExpect: 'true (lockdown is on) or false. While it is true, the other commands on this host are refused until step 3.',
  preGetAllVmsExpect: (p: { datastore: string }) =>
    `Every row whose File starts with [${p.datastore}] is a stale VM of the lost datastore: step 5 removes it. A row can look shifted: the columns do not follow the header.`,
  preProcessListExpect: (p: { datastore: string }) =>
    `A block per running VM. Blocks whose Config File starts with /vmfs/volumes/${p.datastore}/ are stale VMs still running: step 5 kills them. Empty output: no VM runs.`,
  preNfsExpect: (p: { datastore: string }) =>
    `A row with Volume Name ${p.datastore}, Accessible true and Mounted true means the mirror datastore is mounted. No row: step 4 mounts it.`,
  preFilesystemExpect:
    "Every mounted datastore with its mount point: a running VM whose Config File is under another datastore's mount point is not a VM of the lost datastore.",
  preMirrorContents: 'Is every VM in the snapshot?',
  preMirrorContentsText: (p: { host: string }) =>
    `Run it on ${p.host} (or any host that has the mirror datastore mounted and is out of lockdown).`,
  preMirrorContentsExpect:
    'One folder per VM of the table (the folder names are in its datastore paths). A VM whose folder is missing cannot be recovered from this snapshot.',

  // callouts
  calloutText: (p: { name: string; seconds: number }) =>
    `Callout ${p.name}: drbook runs this command on its own machine and waits at most ${p.seconds} s.`,
  calloutStops: 'If it fails, the run stops.',
  calloutContinues: 'If it fails, the run continues.',
  calloutExpect: 'Exit status 0.',

  // break
  breakIntro: 'After the break the mirror is writable and receives no more updates until the relationship is resynced.',
  breakConfirm: (p: { source: string; destination: string }) =>
    `drbook shows the relationship ${p.source} → ${p.destination}, its state and its lag, and asks you to type the destination path to break it.`,
  breakQuiesceExpect: 'Operation succeeded: snapmirror quiesce for destination "…".',
  breakCheck: 'Read the relationship first: Snapmirrored, go on; Broken-off, it is already broken: go to step 2.',
  breakWaitQuiesced: (p: { seconds: number }) =>
    `Repeat snapmirror show until status is Quiesced (drbook waits at most ${p.seconds} s). Then break.`,
  breakBreakExpect: 'An Operation succeeded message, or no error.',
  breakVerifyExpect: 'state Broken-off.',
  breakQuiesceStep: 'Quiesce the relationship',
  breakBreakStep: 'Break it',
  breakVerifyStep: 'Check that it is broken off',

  // restore
  restoreIntro: (p: { snapshot: string; destination: string }) =>
    `The whole volume ${p.destination} goes back to ${p.snapshot}. Everything written to it after that time is lost, and the snapshots newer than it are deleted.`,
  restoreNewer: (p: { names: string }) => `At capture time, the snapshots newer than it were: ${p.names}.`,
  restoreNewerNone: 'At capture time, no snapshot was newer than it.',
  restoreResync:
    'A later resync back to the original source starts from this snapshot or an older common one; changes made on the source after it are overwritten.',
  restoreConfirm:
    'drbook shows the snapshot, its time and age, the newer snapshots it deletes and what a later resync means, and asks you to type the destination path to restore it.',
  restoreStep: 'Restore the volume',
  restoreExpect: 'No error. ONTAP asks no question: the session turned confirmations off.',
  restoreCheck:
    "List the mirror's snapshots: the snapshot to restore must be there. Its newer snapshots already gone: it was restored; skip the restore.",
  restoreGuardStep: (p: { host: string }) => `Nothing runs from the mirror on ${p.host}`,
  restoreGuardText:
    'Right before the restore (and before its confirmation) drbook reads every host: no VM may be registered or running from the mirror datastore. A host in lockdown answers only the first command; a restore of a mirror broken off before the run is then refused.',
  restoreVerifyStep: 'Check the snapshots',
  restoreVerifyExpect: (p: { snapshot: string }) => `${p.snapshot} is still listed; none of the newer snapshots is.`,

  // lockdown
  lockdownExitIntro:
    'Only on the hosts that are in lockdown now. drbook remembers every host it took out of lockdown and puts it back at the end, also when the run fails.',
  lockdownExitStep: (p: { host: string }) => `Exit lockdown on ${p.host}`,
  lockdownCheckExpect: 'true: exit it with the next command. false: nothing to do on this host.',
  lockdownExitExpect: 'No output.',
  lockdownVerifyOff: 'false.',
  lockdownEnterIntro: 'On every host that was taken out of lockdown in step 3. Do this also when something above failed.',
  lockdownEnterStep: (p: { host: string }) => `Re-enter lockdown on ${p.host}`,
  lockdownEnterExpect: 'No output.',
  lockdownEnterCheck: 'false: re-enter it with the next command. true: it is already in lockdown.',
  lockdownVerifyOn: 'true.',
  lockdownWasOn: 'It was in lockdown at capture time.',
  lockdownWasOff: 'It was not in lockdown at capture time: only if you exited it in step 3.',
  lockdownWasUnknown: 'The capture does not know its lockdown state: only if you exited it in step 3.',

  // mount
  mountStep: (p: { host: string; datastore: string }) => `Mount ${p.datastore} on ${p.host}`,
  mountCheckExpect: (p: { datastore: string }) =>
    `A row ${p.datastore} with Accessible true and Mounted true: already mounted, skip the mount. A row with false: check the export policy of the mirror volume and the host NFS network.`,
  mountExpect: 'No output.',
  mountVerifyExpect: (p: { datastore: string }) => `A row ${p.datastore} with Accessible true and Mounted true.`,

  // fence
  fenceIntro: (p: { datastore: string }) =>
    `Every VM registered from the lost datastore ${p.datastore} is removed from its host. A powered-on VM cannot be unregistered: kill its process first. Each kill is verified (the process gone) before the next, harder one.`,
  fenceOthers: (p: { datastore: string }) =>
    `The steps below list the VMs the capture placed on each host. Also remove any other row of vim-cmd vmsvc/getallvms whose File starts with [${p.datastore}], the same way.`,
  fenceStep: (p: { host: string; name: string; vmid: string }) => `${p.host}: fence ${p.name} (vmid ${p.vmid})`,
  fenceFind: (p: { path: string; uuid: string }) =>
    `Find its process: the block whose Config File is ${p.path} (or whose UUID is ${p.uuid}). No such block: it does not run; go to the unregister.`,
  fenceKillSoft: (p: { seconds: number }) =>
    `Soft kill, then list the processes again until its World ID is gone (at most ${p.seconds} s).`,
  fenceKillHard: (p: { seconds: number }) => `Still there: hard kill, then list again (at most ${p.seconds} s).`,
  fenceKillForce: (p: { seconds: number }) =>
    `Still there: force kill, then list again (at most ${p.seconds} s). Still there after that: the host may need a reboot.`,
  fenceKillExpect: 'No output.',
  fenceGoneExpect: 'No block with that World ID.',
  fenceUnregister: 'Unregister it.',
  fenceUnregisterExpect:
    'No output. A vim.fault.NotFound error, "Unable to find a VM corresponding to" the vmid: it is not registered any more (the host checks that itself); nothing was unregistered, and nothing is left to do.',
  fenceVerifyExpect: (p: { vmid: string }) => `No row with vmid ${p.vmid}.`,
  fenceNone: (p: { host: string }) => `The capture places no VM of the lost datastore on ${p.host}.`,
  fenceFindStep: (p: { host: string }) => `Find the stale VMs on ${p.host}`,
  fenceKillGuard:
    "Right before each kill: its process must still run from the lost datastore (its Config File under that datastore's mount point); otherwise it is left alone.",

  // vCenter
  vcenterIntro: (p: { name: string; host: string }) =>
    `vCenter ${p.name} lived on the lost datastore. It comes back first, on its recorded host ${p.host}, from its Windows Server Backup.`,
  vcenterRegister: (p: { name: string }) => `Register ${p.name} from the mirror`,
  vcenterRestore: (p: { name: string }) => `Restore ${p.name} from its Windows Server Backup (by hand)`,
  vcenterChecklist: (p: { name: string; host: string; datastore: string }) => [
    `${p.name} is registered on ${p.host} from ${p.datastore}; open its console in the ESXi host client.`,
    'Boot it from the Windows Server recovery media and run a bare-metal restore from the latest Windows Server Backup.',
    'Let the restore finish and the VM shut down (drbook powers it on next).',
  ],
  vcenterRestoreConfirm: 'drbook asks you to tick each item; a non-interactive run needs --ack-manual, or stops here until drbook resume.',
  vcenterPowerOn: (p: { name: string }) => `Power on ${p.name}`,

  // recover
  recoverIntro:
    'Register every VM from the mirror on its recorded host under its recorded display name, revert it to the VMware snapshot VSC took, delete only that snapshot, and power it on.',
  recoverGate:
    'Power on the VMs of this group only when every VM of the groups before has a VMware Tools heartbeat. Registering and reverting can start earlier.',
  recoverGateFirst: 'This is the first group.',
  recoverStep: (p: { host: string; name: string }) => `${p.host}: ${p.name}`,
  recoverPlaced: (p: { host: string; path: string }) => `Recorded on ${p.host}, file ${p.path}.`,
  recoverRegister:
    'Register it from the mirror under its recorded name, in one line with its guard: the host registers it only if test -e, right before, finds the .vmx on the mirror.',
  recoverRegisterExpect:
    'The new vmid (a number): that is NEW_VMID. Some versions print nothing: then find the row of this .vmx in vim-cmd vmsvc/getallvms. Nothing at all with exit status 1: the .vmx is not on the mirror, and nothing was registered. An error that the name is taken: another VM of that name is registered; unregister or rename it first.',
  recoverSnapshotGet: 'List its snapshots and pick the VSC snapshot.',
  recoverPickRule: (p: { snapshot: string; time: string }) =>
    `The VSC snapshot is named smvi_… and was created just before the NetApp snapshot ${p.snapshot} (${p.time}): at most 6 hours before it, at most 10 minutes after it (clock difference); the latest such. Its Snapshot Id is SNAPSHOT_ID. Do not take an operator's own snapshot, or blindly the current one.`,
  recoverExpectedPoint: (p: { name: string; time: string }) => `The capture found it as ${p.name}, created ${p.time}.`,
  recoverExpectedPointNoTime: (p: { name: string }) => `The capture found it as ${p.name}.`,
  recoverNoPoint:
    'The capture found no VSC snapshot of this VM in that backup (it was off, or its snapshot failed). If snapshot.get shows none either, the VM comes back crash-consistent, like after a power cut: skip the revert and the removal, and decide whether to power it on.',
  recoverNotAudited: 'The capture did not audit this VM: look for the VSC snapshot by the rule above.',
  recoverSnapshotGetExpect: 'A tree of snapshots with Snapshot Name, Snapshot Id and Snapshot Created On.',
  recoverRevert:
    'Revert to the VSC snapshot, in one line with its guard: the host reverts only if power.getstate, right before, reads the VM off (or suspended). The VM stays off (the last argument 1).',
  recoverRevertExpect:
    'The state it read (Powered off), then the snapshot tree again, no error. Nothing at all: the VM was on, and the host did not revert it.',
  recoverRemove:
    "Delete that snapshot only: nothing is merged, because the revert discarded what happened after it. The VM's other snapshots stay.",
  recoverRemoveExpect: 'The snapshot tree without it.',
  recoverPowerOn: 'Power it on.',
  recoverPowerOnExpect: 'The command may wait until the question below is answered; answer it from a second session.',
  recoverLeaveOff: (p: { power: string }) => `It was ${p.power} before the outage: leave it off (drbook does not power it on).`,
  recoverAnswer: 'Answer the "moved or copied" question with "I moved it", so the UUID and MAC addresses stay.',
  recoverMessageExpect:
    'Virtual machine message QUESTION_ID: … This virtual machine may have been moved or copied … followed by numbered choices; the one for I moved it is MOVED_CHOICE. "No message." or nothing: no question is pending.',
  recoverAnswerExpect: 'No output.',
  recoverHeartbeat: (p: { seconds: number }) => `Wait for its VMware Tools heartbeat (drbook waits at most ${p.seconds} s, then asks).`,
  recoverHeartbeatExpect: 'toolsRunningStatus = "guestToolsRunning" and guestHeartbeatStatus = "green" (repeat until it is).',
  hostsReachable: 'Are the hosts reachable?',
  hostReachableText:
    'Before it registers VMs drbook reads every host: a VM whose recorded host does not answer is registered on another host or skipped (you choose).',
  recoverCheck: 'Is it already registered, or running from the mirror? Then it is not registered again. Its .vmx must exist on the mirror.',
  recoverPowerBefore: 'It must be powered off: a powered-on VM is never reverted.',
  recoverHeartbeatStatusExpect: 'green (repeat until it is). gray: its VMware Tools do not report yet.',
  recoverPowerStateExpect: 'Powered on.',
  recoverGroupEmpty: 'No VM of the capture is in this group.',

  // verify
  verifyIntro:
    'On every host: each VM is registered from the mirror under its recorded name, powered as it was before the outage, and no VSC snapshot is left.',
  verifyStep: (p: { host: string }) => `Verify ${p.host}`,
  verifyGetAllVms: (p: { count: number; datastore: string }) =>
    `${p.count} row(s) with File [${p.datastore}] …, each Name as in the VM table (exact, spaces included).`,
  verifyPerVm: 'For each VM: power.getstate shows its power state from the table, and snapshot.get shows no smvi_ snapshot.',
};

export type PlanMessages = typeof en;

const ja: PlanMessages = {
  title: (p) => `サイト ${p.site} のフェイルオーバー手順書`,
  subtitle: 'VSC の静止点で SnapMirror コピーへフェイルオーバーする',
  headerSite: 'サイト',
  headerSiteFile: 'サイトファイル',
  headerCapture: 'キャプチャ',
  headerCaptureTime: 'キャプチャ取得日時',
  headerGenerated: '作成日時',
  headerVersion: 'drbook バージョン',
  headerRelationship: 'SnapMirror 関係',
  headerDatastores: 'データストア',
  headerSnapshot: 'リストアするスナップショット',
  captureValue: (p) => `${p.id}（drbook ${p.version} で取得）`,
  captureAge: (p) => `${p.time}（この手順書の ${p.days} 日前）`,
  captureAgeToday: (p) => `${p.time}（この手順書の 1 日以内）`,
  datastoresValue: (p) => `プライマリ ${p.primary}、ミラー ${p.mirror}`,
  relationshipValue: (p) => `${p.source} → ${p.destination}`,
  snapshotValue: (p) => `${p.name}（キャプチャ時点の作成日時 ${p.time}）`,
  snapshotUnknown: (p) => `${p.name}（キャプチャ時点ではミラー上にこのスナップショットはありませんでした）`,

  warningsTitle: '警告',
  warnOld: (p) =>
    `キャプチャは ${p.days} 日前のものです。その後に作成・名前変更・移動された VM は、この手順書では欠けているか誤っています。drbook capture を実行してから印刷し直してください。`,
  warnFindings: (p) => `キャプチャに ${p.count} 件の指摘があります。この手順書に頼る前に確認してください。`,
  warnUnreachable: (p) => `${p.host} にはキャプチャ時に接続できませんでした。このホストの VM はキャプチャ ${p.from} の記録です。`,
  warnUnreachableNoData: (p) => `${p.host} にはキャプチャ時に接続できず、以前の記録もありません。`,
  warnNoBackup: (p) =>
    `キャプチャ時、ミラー ${p.mirror} に VSC スナップショット（smvi__…）はありませんでした。リストアできる静止点がない可能性があります。VSC ジョブと SnapMirror のスケジュールを確認してください。`,
  warnSeveralJobs: (p) =>
    `このサイトには複数の VSC ジョブ（${p.jobs}）があります。ボリュームをリストアできるのは 1 つのスナップショットだけです。他のジョブの VM は volume snapshot restore-file でファイルを戻す必要があり、この手順書では扱いません。`,
  noWarnings: 'ありません。キャプチャは新しく、指摘もありません。',

  howTitle: 'この手順書の使い方',
  how: [
    'コマンドはすべて drbook が送るとおりに記載しています。「ESXi」と記したコマンドは指定のホストへの SSH セッションで、「ONTAP」と記したコマンドはクラスタへの SSH セッションで入力します。',
    'コマンド中の大文字の語（NEW_VMID、SNAPSHOT_ID、WORLD_ID、QUESTION_ID、MOVED_CHOICE）は、直前のコマンドの出力から読み取る値です。その語だけを置き換えてください。',
    '各コマンドの下に、正しい出力の見方と、必要に応じて別のサイトでの実際の出力例（レイアウトの比較用）を記載しています。',
    '各手順が終わったらチェック欄に印を付けてください。冒頭の VM 一覧は、VM が再び稼働するたびに印を付けるためのものです。',
    '本文に別の指示がない限り、前の手順が終わるまで次の手順を始めないでください。',
  ],
  howDots:
    '印刷されたコマンドでは、空白ごとに薄い点を付けています。長いコマンドが折り返す位置の空白も見えるようにするためです。点ごとに空白を 1 つ入力してください。点のない行末は、そのまま次の行に続きます。',
  placeholdersTitle: '出力から読み取る値',
  placeholderNewVmid: 'この VM について vim-cmd solo/registervm が出力した vmid（または vim-cmd vmsvc/getallvms のその行）。',
  placeholderSnapshotId: 'vim-cmd vmsvc/snapshot.get に表示される VSC スナップショットの Snapshot Id。',
  placeholderWorldId: 'esxcli vm process list に表示される VM の World ID。',
  placeholderQuestionId: 'vim-cmd vmsvc/message の「Virtual machine message」の後の番号。',
  placeholderMovedChoice: 'vim-cmd vmsvc/message の選択肢「I moved it」（button.uuid.movedTheVM）の番号。',
  placeholderVmid: 'vim-cmd vmsvc/getallvms に表示される VM の vmid（キャプチャに数値の vmid がありません）。',

  vmTableTitle: '復旧する VM',
  vmTableIntro: (p) => `キャプチャのうち ${p.count} 台の VM がプライマリ データストア ${p.datastore} にあります。`,
  vmTableOthers: (p) => `キャプチャの他の ${p.count} 台の VM は別の場所にあり、この手順では操作しません。`,
  colDone: '済',
  colName: '記録された名前',
  colHost: 'ホスト',
  colPath: 'データストア パス',
  colVmid: 'vmid',
  colPower: '電源',
  colJob: 'VSC ジョブ',
  colQuiesced: '最新バックアップで静止済み',
  colGroup: '優先グループ',
  powerOn: 'オン',
  powerOff: 'オフ',
  powerSuspended: 'サスペンド',
  yes: 'はい',
  no: 'いいえ',
  notAudited: '未監査',
  noJob: '-',
  vcenterMark: '（vCenter）',
  noGroup: '（グループなし）',

  labelEsxi: (p) => `ESXi ${p.host}`,
  labelOntap: (p) => `ONTAP ${p.cluster}`,
  labelLocal: 'drbook を実行するマシン上',
  labelHyperv: (p) => `${p.node} の PowerShell`,
  labelVcenter: 'vCenter (vSphere API の呼び出し)',
  colConfigFile: '構成ファイル',
  colVmId: 'VM ID',
  colBackupJob: 'Backup Exec ジョブ',
  colConsistent: '成功したバックアップの記録',
  colRunsFrom: '現在の実行元 (ミラー)',
  colMirrorVmid: 'ミラー上の vmid',
  colReturnsTo: '戻し先 (元のデータストア)',
  labelExpect: '正しい出力：',
  labelExample: (p) => `別のサイトでの ${p.command} の実際の出力（レイアウトの参考）：`,
  labelConfirm: '確認ポイント',
  labelType: '正確に入力する文字列：',
  labelChecklist: 'チェックリスト',

  secPreflight: '0. 事前確認：何かを変更する前に状況を見る',
  secCalloutsBefore: 'ブレーク前のコールアウト',
  secBreak: '1. SnapMirror 関係をブレークする',
  secRestore: '2. ミラーを VSC スナップショットに SnapRestore する',
  secLockdownExit: '3. ロックダウン モードを解除する',
  secMount: '4. ミラー データストアをマウントする',
  secFence: '5. 古い VM を隔離する',
  secVcenter: '6. vCenter を復旧する',
  secRecover: (p) => `${p.n}. 登録・リバート・電源オン：優先グループ ${p.group}（全 ${p.count} グループ中 ${p.index} 番目）`,
  secLockdownEnter: (p) => `${p.n}. ロックダウン モードに戻す`,
  secVerify: (p) => `${p.n}. 確認`,
  secCalloutsEnd: '最後のコールアウト',
  secPlace: (p) => `${p.n}. vCenter の配置`,
  placeIntro:
    'vCenter が起動したら、各 VM をキャプチャに記録されたフォルダーとリソースプールに戻します (権限、DRS ルール、バックアップジョブ、監視がそれらに結び付いています)。drbook は登録の後にこれを行います。vCenter が停止していた場合は、後で drbook place --site FILE を実行してください。各 VM の配置を先に読み取り、違う場所にあるものだけを移動します。',
  placeStep: (p) => `${p.vm}: フォルダー ${p.folder}、リソースプール ${p.pool}`,

  preIntro: 'この章の操作は何も変更しません。結果が記載と異なる場合は、先に進む前に止まって原因を調べてください。',
  preRelationship: '関係の状態',
  preRelationshipExpect: (p) =>
    `destination-path が ${p.destination} の行が 1 行あること。ブレーク前は state が Snapmirrored、healthy が true です。lag-time はミラーの古さを示します。state が Broken-off なら既にブレーク済みなので、手順 1 は飛ばします。`,
  preSource: 'ソース ボリュームは本当に失われているか',
  preSourceExpect: (p) =>
    `${p.source} の state が online でない（またはボリュームが表示されない）こと。online の場合は、ミラーをブレークする前にプライマリ サイトが本当に失われていることを確かめてください。`,
  preSnapshots: 'ミラー上の VSC スナップショット',
  preSnapshotsExpect: (p) =>
    `smvi__${p.job}_recent という名前のスナップショットとその create-time。古い VSC バックアップは smvi__${p.job}_YYYYMMDDhhmmss という名前です。リストアするものより新しいスナップショットは SnapRestore で削除されます。`,
  preSnapshotsCaptured: 'キャプチャ時にミラー上にあった VSC スナップショットと、それぞれに静止点を持つ VM の数：',
  preSnapshotRow: (p) => `${p.name}（作成 ${p.time}）：${p.total} 台中 ${p.quiesced} 台が静止済み`,
  preSnapshotChosen: (p) =>
    `drbook は ${p.name} にリストアします。静止済みで戻せる VM が最も多い最新バックアップです（同数なら新しいもの）。事前確認の出力の create-time がキャプチャより新しい場合は、キャプチャ後にバックアップが実行されています。下記の VMware スナップショット名は異なる可能性があるため、復旧手順の規則に従って選んでください。`,
  preHost: (p) => `ホスト ${p.host}`,
  preHostLockdownOn: 'キャプチャ時、このホストはロックダウン モードでした。',
  preHostLockdownOff: 'キャプチャ時、このホストはロックダウン モードではありませんでした。',
  preHostLockdownUnknown: 'このホストがロックダウン モードだったかどうか、キャプチャには記録がありません。',
  preLockdownExpect: 'true（ロックダウン中）または false。true の間は、手順 3 までこのホストでの他のコマンドは拒否されます。',
  preGetAllVmsExpect: (p) =>
    `File が [${p.datastore}] で始まる行は、失われたデータストアの古い VM です。手順 5 で削除します。列が見出しとずれて見えることがあります。`,
  preProcessListExpect: (p) =>
    `稼働中の VM ごとに 1 ブロック。Config File が /vmfs/volumes/${p.datastore}/ で始まるブロックは、まだ動いている古い VM です。手順 5 で停止します。出力が空なら稼働中の VM はありません。`,
  preNfsExpect: (p) =>
    `Volume Name が ${p.datastore}、Accessible が true、Mounted が true の行があれば、ミラー データストアはマウント済みです。行がなければ手順 4 でマウントします。`,
  preFilesystemExpect:
    'マウントされた各データストアとそのマウントポイント。Config File が別のデータストアのマウントポイントの下にある稼働中の VM は、失われたデータストアの VM ではありません。',
  preMirrorContents: 'すべての VM がスナップショット内にあるか',
  preMirrorContentsText: (p) => `${p.host}（またはミラー データストアをマウント済みでロックダウン外の任意のホスト）で実行します。`,
  preMirrorContentsExpect:
    '一覧の VM ごとに 1 フォルダ（フォルダ名はデータストア パスにあります）。フォルダがない VM は、このスナップショットからは復旧できません。',

  calloutText: (p) => `コールアウト ${p.name}：drbook が自身のマシンでこのコマンドを実行し、最大 ${p.seconds} 秒待ちます。`,
  calloutStops: '失敗すると実行は止まります。',
  calloutContinues: '失敗しても実行は続きます。',
  calloutExpect: '終了ステータス 0。',

  breakIntro: 'ブレーク後、ミラーは書き込み可能になり、関係を再同期するまで更新を受け取りません。',
  breakConfirm: (p) =>
    `drbook は関係 ${p.source} → ${p.destination} とその状態・遅延を表示し、ブレークするためにデスティネーション パスの入力を求めます。`,
  breakQuiesceExpect: 'Operation succeeded: snapmirror quiesce for destination "…".',
  breakCheck: 'まず関係を読みます。Snapmirrored なら続けます。Broken-off ならすでに解除済みです。手順 2 へ進みます。',
  breakWaitQuiesced: (p) =>
    `status が Quiesced になるまで snapmirror show を繰り返します（drbook は最大 ${p.seconds} 秒待ちます）。その後ブレークします。`,
  breakBreakExpect: 'Operation succeeded のメッセージ、またはエラーがないこと。',
  breakVerifyExpect: 'state が Broken-off。',
  breakQuiesceStep: '関係を休止（quiesce）する',
  breakBreakStep: 'ブレークする',
  breakVerifyStep: 'ブレークされたことを確認する',

  restoreIntro: (p) =>
    `ボリューム ${p.destination} 全体が ${p.snapshot} の時点に戻ります。それ以降に書き込まれた内容はすべて失われ、それより新しいスナップショットは削除されます。`,
  restoreNewer: (p) => `キャプチャ時点で、これより新しいスナップショットは次のとおりでした：${p.names}。`,
  restoreNewerNone: 'キャプチャ時点で、これより新しいスナップショットはありませんでした。',
  restoreResync:
    '後で元のソースへ再同期する場合、このスナップショットかそれより古い共通スナップショットから始まり、それ以降にソース側で行われた変更は上書きされます。',
  restoreConfirm:
    'drbook はスナップショットとその日時・経過時間、削除される新しいスナップショット、後の再同期の意味を表示し、リストアするためにデスティネーション パスの入力を求めます。',
  restoreStep: 'ボリュームをリストアする',
  restoreExpect: 'エラーがないこと。セッションで確認を無効にしているため、ONTAP は質問しません。',
  restoreCheck:
    'ミラーのスナップショットを一覧します。リストアするスナップショットがあること。それより新しいスナップショットがすでにない場合はリストア済みです。リストアを飛ばします。',
  restoreGuardStep: (p) => `${p.host} でミラーから何も動いていないこと`,
  restoreGuardText:
    'リストアの直前（およびその確認の前）に、drbook はすべてのホストを読みます。ミラーのデータストアから登録または稼働している VM があってはなりません。ロックダウン中のホストは最初のコマンドにしか答えません。その場合、実行前に解除されていたミラーのリストアは拒否されます。',
  restoreVerifyStep: 'スナップショットを確認する',
  restoreVerifyExpect: (p) => `${p.snapshot} が一覧にあり、それより新しいスナップショットがないこと。`,

  lockdownExitIntro:
    '現在ロックダウン中のホストだけが対象です。drbook はロックダウンを解除したホストをすべて記録し、実行が失敗した場合も最後に元に戻します。',
  lockdownExitStep: (p) => `${p.host} のロックダウンを解除する`,
  lockdownCheckExpect: 'true なら次のコマンドで解除します。false ならこのホストでは何もしません。',
  lockdownExitExpect: '出力なし。',
  lockdownVerifyOff: 'false。',
  lockdownEnterIntro: '手順 3 でロックダウンを解除したすべてのホストが対象です。途中で何かが失敗した場合も必ず実施してください。',
  lockdownEnterStep: (p) => `${p.host} をロックダウンに戻す`,
  lockdownEnterExpect: '出力なし。',
  lockdownEnterCheck: 'false なら次のコマンドで再び有効にします。true ならすでにロックダウン中です。',
  lockdownVerifyOn: 'true。',
  lockdownWasOn: 'キャプチャ時はロックダウン中でした。',
  lockdownWasOff: 'キャプチャ時はロックダウン中ではありませんでした。手順 3 で解除した場合のみ実施します。',
  lockdownWasUnknown: 'キャプチャにロックダウン状態の記録がありません。手順 3 で解除した場合のみ実施します。',

  mountStep: (p) => `${p.host} に ${p.datastore} をマウントする`,
  mountCheckExpect: (p) =>
    `${p.datastore} の行が Accessible true、Mounted true なら既にマウント済みなので、マウントは飛ばします。false の場合は、ミラー ボリュームのエクスポート ポリシーとホストの NFS ネットワークを確認してください。`,
  mountExpect: '出力なし。',
  mountVerifyExpect: (p) => `${p.datastore} の行が Accessible true、Mounted true であること。`,

  fenceIntro: (p) =>
    `失われたデータストア ${p.datastore} から登録されている VM をすべてホストから削除します。電源オンの VM は登録解除できないため、先にプロセスを停止します。停止は 1 回ごとに確認（プロセスが消えたこと）してから、より強い方法に進みます。`,
  fenceOthers: (p) =>
    `以下はキャプチャが各ホストに記録した VM です。vim-cmd vmsvc/getallvms で File が [${p.datastore}] で始まる他の行も、同じ方法で削除してください。`,
  fenceStep: (p) => `${p.host}：${p.name} を隔離する（vmid ${p.vmid}）`,
  fenceFind: (p) =>
    `プロセスを探します。Config File が ${p.path} のブロック（または UUID が ${p.uuid} のブロック）です。見つからなければ稼働していないので、登録解除へ進みます。`,
  fenceKillSoft: (p) => `soft で停止し、World ID が消えるまでプロセス一覧を繰り返し確認します（最大 ${p.seconds} 秒）。`,
  fenceKillHard: (p) => `まだ残っていれば hard で停止し、再度確認します（最大 ${p.seconds} 秒）。`,
  fenceKillForce: (p) =>
    `まだ残っていれば force で停止し、再度確認します（最大 ${p.seconds} 秒）。それでも残る場合はホストの再起動が必要かもしれません。`,
  fenceKillExpect: '出力なし。',
  fenceGoneExpect: 'その World ID のブロックがないこと。',
  fenceUnregister: '登録を解除します。',
  fenceUnregisterExpect:
    '出力なし。vmid について「Unable to find a VM corresponding to」という vim.fault.NotFound エラーなら、もう登録されていません (ホスト自身が確かめます)。何も解除されておらず、することはありません。',
  fenceVerifyExpect: (p) => `vmid ${p.vmid} の行がないこと。`,
  fenceNone: (p) => `キャプチャには、${p.host} 上の失われたデータストアの VM の記録はありません。`,
  fenceFindStep: (p) => `${p.host} の古い VM を探す`,
  fenceKillGuard:
    '各 kill の直前に、そのプロセスがまだ失われたデータストアから動いていること（Config File がそのデータストアのマウントポイントの下にあること）を確かめます。そうでなければ何もしません。',

  vcenterIntro: (p) =>
    `vCenter ${p.name} は失われたデータストア上にありました。記録されたホスト ${p.host} で、Windows Server バックアップから最初に復旧します。`,
  vcenterRegister: (p) => `${p.name} をミラーから登録する`,
  vcenterRestore: (p) => `${p.name} を Windows Server バックアップから復元する（手作業）`,
  vcenterChecklist: (p) => [
    `${p.name} は ${p.host} に ${p.datastore} から登録されています。ESXi Host Client でコンソールを開きます。`,
    'Windows Server の回復メディアから起動し、最新の Windows Server バックアップからベアメタル回復を実行します。',
    '復元が終わり VM がシャットダウンするまで待ちます（次に drbook が電源をオンにします）。',
  ],
  vcenterRestoreConfirm:
    'drbook は各項目のチェックを求めます。非対話の実行では --ack-manual が必要で、ない場合は drbook resume までここで止まります。',
  vcenterPowerOn: (p) => `${p.name} の電源をオンにする`,

  recoverIntro:
    'すべての VM を、記録されたホストに、記録された表示名で、ミラーから登録します。VSC が作成した VMware スナップショットにリバートし、そのスナップショットだけを削除してから電源をオンにします。',
  recoverGate:
    'このグループの VM の電源オンは、それより前のグループのすべての VM で VMware Tools のハートビートを確認してから行います。登録とリバートは先に始めてかまいません。',
  recoverGateFirst: '最初のグループです。',
  recoverStep: (p) => `${p.host}：${p.name}`,
  recoverPlaced: (p) => `記録：ホスト ${p.host}、ファイル ${p.path}。`,
  recoverRegister:
    '記録された名前でミラーから登録します。ガードと同じ行で送ります: 直前の test -e がミラー上に .vmx を見つけたときだけ、ホストは登録します。',
  recoverRegisterExpect:
    '新しい vmid（数値）。これが NEW_VMID です。何も表示しないバージョンもあります。その場合は vim-cmd vmsvc/getallvms でこの .vmx の行を探します。何も表示されず終了ステータスが 1 の場合: .vmx がミラーになく、何も登録されていません。名前が使われているというエラーの場合は、同名の別の VM が登録されています。先にその登録を解除するか名前を変えてください。',
  recoverSnapshotGet: 'スナップショットを一覧し、VSC スナップショットを選びます。',
  recoverPickRule: (p) =>
    `VSC スナップショットは smvi_… という名前で、NetApp スナップショット ${p.snapshot}（${p.time}）の直前に作成されたものです。その 6 時間前以降、10 分後（時計のずれ）以前のうち最も新しいものを選びます。その Snapshot Id が SNAPSHOT_ID です。運用者自身のスナップショットや、単に現在のスナップショットを選ばないでください。`,
  recoverExpectedPoint: (p) => `キャプチャでは ${p.name}（作成 ${p.time}）として見つかっています。`,
  recoverExpectedPointNoTime: (p) => `キャプチャでは ${p.name} として見つかっています。`,
  recoverNoPoint:
    'キャプチャでは、このバックアップにこの VM の VSC スナップショットは見つかりませんでした（電源オフだったか、スナップショットが失敗しました）。snapshot.get にもない場合、この VM は停電後と同じクラッシュ整合の状態で戻ります。リバートと削除を飛ばし、電源をオンにするかどうか判断してください。',
  recoverNotAudited: 'キャプチャはこの VM を監査していません。上記の規則で VSC スナップショットを探してください。',
  recoverSnapshotGetExpect: 'Snapshot Name、Snapshot Id、Snapshot Created On を含むスナップショットのツリー。',
  recoverRevert:
    'VSC スナップショットにリバートします。ガードと同じ行で送ります: 直前の power.getstate が VM をオフ（またはサスペンド）と読んだときだけ、ホストはリバートします。VM はオフのままです（最後の引数 1）。',
  recoverRevertExpect:
    '読み取った状態（Powered off）、続いて再びスナップショットのツリーが表示され、エラーがないこと。何も表示されない場合: VM の電源がオンで、ホストはリバートしていません。',
  recoverRemove:
    'そのスナップショットだけを削除します。リバートでそれ以降の変更は破棄されているので、統合は発生しません。VM の他のスナップショットは残ります。',
  recoverRemoveExpect: 'そのスナップショットがないツリー。',
  recoverPowerOn: '電源をオンにします。',
  recoverPowerOnExpect: '下の質問に答えるまでコマンドが戻らないことがあります。2 つ目のセッションから回答してください。',
  recoverLeaveOff: (p) => `障害前は ${p.power} でした。オフのままにします（drbook も電源をオンにしません）。`,
  recoverAnswer: '「移動またはコピー」の質問に「I moved it」と答え、UUID と MAC アドレスを維持します。',
  recoverMessageExpect:
    'Virtual machine message QUESTION_ID: … This virtual machine may have been moved or copied … の後に番号付きの選択肢が続きます。I moved it の番号が MOVED_CHOICE です。「No message.」または出力なしなら、質問は出ていません。',
  recoverAnswerExpect: '出力なし。',
  recoverHeartbeat: (p) => `VMware Tools のハートビートを待ちます（drbook は最大 ${p.seconds} 秒待ち、その後確認を求めます）。`,
  recoverHeartbeatExpect: 'toolsRunningStatus = "guestToolsRunning" かつ guestHeartbeatStatus = "green"（そうなるまで繰り返します）。',
  hostsReachable: 'ホストに到達できるか',
  hostReachableText:
    'VM を登録する前に、drbook はすべてのホストを読みます。記録されたホストが応答しない VM は、別のホストに登録するか飛ばします（選択します）。',
  recoverCheck: 'すでに登録されているか、ミラーから稼働しているか。その場合は再登録しません。.vmx がミラーにあること。',
  recoverPowerBefore: '電源がオフであること。電源オンの VM は決して元に戻しません。',
  recoverHeartbeatStatusExpect: 'green（そうなるまで繰り返します）。gray は VMware Tools がまだ応答していないことを示します。',
  recoverPowerStateExpect: 'Powered on。',
  recoverGroupEmpty: 'このグループにはキャプチャの VM がありません。',

  verifyIntro:
    'すべてのホストで、各 VM が記録された名前でミラーから登録され、障害前と同じ電源状態で、VSC スナップショットが残っていないことを確認します。',
  verifyStep: (p) => `${p.host} を確認する`,
  verifyGetAllVms: (p) =>
    `File が [${p.datastore}] … の行が ${p.count} 行あり、それぞれの Name が VM 一覧のとおり（空白も含め完全一致）であること。`,
  verifyPerVm: '各 VM について、power.getstate が一覧の電源状態を示し、snapshot.get に smvi_ スナップショットがないこと。',
};

export function planMessages(lang: Lang): PlanMessages {
  return pick(lang, { en, ja });
}
