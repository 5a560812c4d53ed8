import type { Note } from '../engine/notes.js';
import { pick, type Lang } from './lang.js';

/**
 * What the failover says to the operator: its confirmations, questions, notes, the preflight's
 * problems, the plain situation board, its report sections and `drbook check`. Device messages,
 * commands, paths and snapshot names are parameters and stay verbatim.
 */
const en = {
  // ages
  ageUnknown: 'unknown age',
  ageMinutesAgo: (p: { n: number }) => `${p.n} min ago`,
  ageHoursAgo: (p: { n: number }) => `${p.n} h ago`,
  ageDaysAgo: (p: { n: number }) => `${p.n} days ago`,
  ageMinutes: (p: { n: number }) => `${p.n} min`,
  ageHours: (p: { n: number }) => `${p.n} h`,
  ageDays: (p: { n: number }) => `${p.n} d`,

  siteTarget: 'site',

  // preflight
  problemWithHint: (p: { message: string; hint: string }) => `${p.message} — ${p.hint}`,
  notSafe: (p: { message: string }) => `not safe to fail over: ${p.message}`,
  noRelationship: (p: { destination: string }) => `the cluster has no SnapMirror relationship with destination ${p.destination}`,
  noRelationshipHint: 'check relationship.destination in the site file (snapmirror show on the cluster lists them)',
  sourceOnline: (p: { source: string }) => `the source volume ${p.source} is still online`,
  sourceOnlineHint: 'make sure the primary site is really lost before you break the mirror',
  notVscBackup: (p: { snapshot: string; destination: string }) => `snapshot ${p.snapshot} is not a VSC backup on ${p.destination}`,
  chooseOneOf: (p: { names: string }) => `choose one of: ${p.names}`,
  chooseNone: 'there is no VSC backup to choose from',
  noVscSnapshot: (p: { destination: string; pattern: string }) => `the mirror ${p.destination} holds no VSC snapshot (${p.pattern})`,
  noVscSnapshotHint: 'without a VSC backup there is no quiesce point to restore to; check the VSC jobs and the SnapMirror schedule',
  newerPointLost: (p: { count: number; snapshots: string }) =>
    `${p.count} VM(s) have a newer quiesce point in a snapshot this restore deletes (${p.snapshots})`,
  newerPointLostHint: 'they come back at an older point; choose another --snapshot to keep it',
  noHostReachable: 'no ESXi host of the site can be reached',
  noHostReachableHint: 'check the network path to the hosts, then run the failover again',
  hostUnreachable: (p: { host: string; error: string }) => `${p.host} cannot be reached: ${p.error}`,
  hostUnreachableHint: 'its VMs will be offered another host',
  unknownError: 'unknown error',
  missingFromSnapshot: (p: { count: number; snapshot: string; names: string }) =>
    `${p.count} VM(s) of the capture are not in ${p.snapshot}: ${p.names}`,
  missingFromSnapshotHint: 'they cannot be recovered from this snapshot; they will fail at registration',

  // callouts
  calloutNote: (p: { name: string; code: string }) => `callout ${p.name}: exit ${p.code}`,
  calloutNoteSaid: (p: { name: string; code: string; said: string }) => `callout ${p.name}: exit ${p.code}: ${p.said}`,

  // break
  breakTitle: (p: { destination: string }) => `Break the SnapMirror relationship to ${p.destination}`,
  breakState: (p: { source: string; destination: string; state: string; lag: string }) =>
    `Source ${p.source} → destination ${p.destination}; state ${p.state}, lag ${p.lag}.`,
  breakWritable: 'The mirror becomes writable and stops receiving updates until the relationship is resynced.',
  breakType: (p: { destination: string }) => `Type the destination path ${p.destination} to break it.`,
  skipAlreadyBroken: 'already broken off',

  // SnapRestore
  restoreLabel: (p: { destination: string; snapshot: string }) => `restore ${p.destination} to ${p.snapshot}`,
  restoreTitle: (p: { destination: string; snapshot: string }) => `SnapRestore ${p.destination} to ${p.snapshot}`,
  restoreSnapshot: (p: { snapshot: string; job: string; time: string; age: string }) =>
    `Snapshot ${p.snapshot} of job ${p.job}, taken ${p.time} (${p.age}).`,
  restoreSnapshotNoTime: (p: { snapshot: string; job: string; age: string }) =>
    `Snapshot ${p.snapshot} of job ${p.job}, taken at an unknown time (${p.age}).`,
  restoreNewerDeleted: (p: { names: string }) => `Snapshots newer than it are deleted: ${p.names}.`,
  restoreNoNewer: 'No newer snapshot is deleted.',
  restoreLost: (p: { destination: string }) => `Everything written to ${p.destination} after that time is lost.`,
  restoreUseNone: (p: { datastore: string }) =>
    `Nothing is registered or running from datastore ${p.datastore} on any host (read just now).`,
  restoreUseHidden: (p: { datastore: string; hosts: string }) =>
    `Nothing is registered or running from datastore ${p.datastore} on the hosts that could be read; ${p.hosts} (lockdown) could not be read.`,
  errRestoreInUse: (p: { destination: string; datastore: string; count: number; running: number; names: string }) =>
    `SnapRestore of ${p.destination} refused: ${p.count} VM(s) are registered from its datastore ${p.datastore} (${p.running} running): ${p.names}; a restore would destroy what they wrote`,
  errRestoreInUseHint: (p: { file: string }) =>
    `the site is failed over: see drbook status --site ${p.file}; to go back, reprotect and fail back instead of failing over again`,
  errRestoreHidden: (p: { destination: string; datastore: string; hosts: string }) =>
    `SnapRestore of ${p.destination} refused: it was already broken off (writable) before this run, and lockdown hides what ${p.hosts} run(s) from ${p.datastore}`,
  errRestoreHiddenHint:
    'see drbook status; if nothing runs from the mirror, exit lockdown on those hosts (vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit) so drbook can see it, then drbook resume',
  skipRunningNotReverted: 'already running from the mirror: not reverted (a revert would throw away what it wrote)',
  errRevertRunning: (p: { vm: string }) => `revert of ${p.vm} refused: it is powered on, and a revert would throw away what it wrote since`,
  errRevertRunningHint: 'power it off first if you really mean to go back to the quiesce point, then drbook resume',
  errRevertNotRun: (p: { vm: string; power: string }) =>
    `revert of ${p.vm} not run: the host did not read it off right before the revert, although it reads ${p.power} now`,
  errRevertNotRunHint:
    'its power state changed at that moment: look at the VM in the host client, then drbook resume (it reads the state again)',
  errKillElsewhere: (p: { worldId: string; vm: string; datastore: string }) =>
    `kill of world ${p.worldId} (${p.vm}) refused: it now runs from datastore ${p.datastore}, not from the lost one`,
  errKillElsewhereHint: 'it is not a stale VM: drbook status shows what runs where; drbook resume re-reads the hosts',
  siteFailedOver: (p: { site: string; count: string; datastore: string; since: string; file: string }) =>
    `site ${p.site} is already failed over: ${p.count} run(s) from ${p.datastore} ${p.since}; a second failover would destroy them`,
  siteFailedOverHint: (p: { file: string }) =>
    `drbook status --site ${p.file} shows where the site stands; the way back is reprotect, then failback`,
  sinceRun: (p: { time: string; runId: string }) => `since ${p.time} (run ${p.runId})`,
  sinceUnknown: 'since a time this database does not know',
  failedOverCount: (p: { registered: number; running: number }) => `${p.registered} VM(s) registered, ${p.running} running,`,
  failedOverHidden: (p: { hosts: string }) => `VMs (hidden by lockdown on ${p.hosts})`,
  restoreResync:
    'A later resync back to the original source starts from this snapshot or an older common one; changes made on the source after it are overwritten.',
  restoreType: (p: { destination: string }) => `Type the destination path ${p.destination} to restore it.`,
  planDirect: (p: { direct: number; total: number }) =>
    `${p.direct} of ${p.total} VM(s) come back at their quiesce point in this snapshot.`,
  planViaFiles: (p: { count: number; snapshot: string }) =>
    `${p.count} VM(s) get their folder back from ${p.snapshot} (volume snapshot restore-file) before registration.`,
  planViaClone: (p: { count: number; snapshot: string; datastore: string }) =>
    `${p.count} VM(s) run from a FlexClone of ${p.snapshot} (datastore ${p.datastore}); move them back to the mirror later with Storage vMotion.`,
  cloneLabel: (p: { clone: string; snapshot: string }) => `FlexClone ${p.clone} of ${p.snapshot}`,
  howFlexclone: (p: { datastore: string }) =>
    `registered from FlexClone datastore ${p.datastore}: move it to the mirror later (Storage vMotion)`,
  planNone: (p: { count: number }) => `${p.count} VM(s) have no quiesce point left and come back crash-consistent.`,
  planLost: (p: { count: number }) => `${p.count} VM(s) lose a newer quiesce point that this restore deletes.`,

  // fence
  cannotListVms: (p: { host: string; error: string }) => `${p.host}: cannot list its VMs: ${p.error}`,
  skipNotRunning: 'not running',
  skipNotRegistered: 'not registered',
  killRefused: (p: { type: string; message: string }) => `kill --type=${p.type}: ${p.message}`,
  killWorldGone: (p: { worldId: string; vm: string; type: string }) =>
    `kill --type=${p.type} of world ${p.worldId} (${p.vm}) not sent: the world was gone when read right before the kill`,
  unregisterGone: (p: { vm: string; vmid: string }) =>
    `vmid ${p.vmid} (${p.vm}) not unregistered: the host no longer knew it (someone unregistered it after the fence listed it)`,
  killEscalating: (p: { worldId: string; seconds: number; type: string; next: string }) =>
    `world ${p.worldId} still running ${p.seconds} s after a ${p.type} kill; escalating to ${p.next}`,

  // another host
  hostDownTitle: (p: { vm: string; host: string }) => `${p.vm}: its host ${p.host} cannot be reached`,
  hostDownLine: (p: { vm: string }) => `Register ${p.vm} on another host, or skip it (it stays down).`,
  registerOn: (p: { host: string }) => `register on ${p.host}`,
  skipThisVm: 'skip this VM',
  vmSkippedHostDown: (p: { vm: string; host: string }) =>
    `${p.vm} is left for later: its host ${p.host} cannot be reached; drbook resume brings it up once the host is back`,
  resumeWhenHostBack: 'bring the host back (network, SSH), then run drbook resume: the rest of the run is kept',

  // restore-file
  skipPointInVolume: 'its quiesce point is in the restored volume',
  skipNoPointToRestore: 'no quiesce point to restore',
  filesRestored: (p: { vm: string; count: number; snapshot: string }) => `${p.vm}: ${p.count} file(s) restored from ${p.snapshot}`,

  // revert: the crash-consistent question
  crashTitle: (p: { vm: string; snapshot: string }) => `${p.vm} has no quiesce point in ${p.snapshot}`,
  priorityUnknown: (p: { name: string; group: string }) => `priority group ${p.group} names ${p.name}, which is no VM of the capture`,
  priorityUnknownClose: (p: { name: string; group: string; suggestion: string }) =>
    `priority group ${p.group} names ${p.name}, which is no VM of the capture (did you mean ${p.suggestion}?)`,
  priorityUnknownTitle: (p: { count: number }) => `${p.count} priority-group name(s) match no captured VM`,
  priorityUnknownWhy: 'Those VMs would start after every group, not when their group does.',
  priorityUnknownFix: (p: { file: string }) =>
    `fix priorityGroups in ${p.file} (drbook check names them), or pass --ack-unknown-priority to go on`,
  priorityGoOn: 'Go on: start them after every group',
  priorityStop: 'Stop and fix the site file',
  priorityStopped: 'stopped: a priority group names a VM that is not in the capture',
  crashWhy: 'VSC took no VMware snapshot of this VM (it was powered off, or its snapshot failed).',
  crashMeans: 'Powered on, it comes back crash-consistent: like after a power cut.',
  crashPowerOn: 'power it on crash-consistent',
  crashLeaveOff: 'leave it registered and powered off',
  crashNoteOff: (p: { vm: string }) => `${p.vm}: no quiesce point; left powered off`,
  crashNoteOn: (p: { vm: string }) => `${p.vm}: no quiesce point; powered on crash-consistent`,
  skipCrashOff: 'no quiesce point: left powered off',
  skipCrashOn: 'no quiesce point: crash-consistent',
  skipNoPoint: 'no quiesce point',
  offNoPointNote: (p: { vm: string; power: string }) =>
    `${p.vm}: recorded ${p.power}, so VSC took no quiesce point of it (none is needed: its files are as it was shut down); registered and left ${p.power}`,
  skipOffNoPoint: (p: { power: string }) => `recorded ${p.power}: files as shut down`,

  // power on
  skipWasPower: (p: { power: string }) => `was ${p.power} before the outage: left off`,
  answeredMoved: (p: { vm: string }) => `${p.vm}: answered "I moved it"`,
  poweredOnMeanwhile: (p: { vm: string }) =>
    `${p.vm} was on already when drbook powered it on (the host refused): someone started it after the check; left running`,
  skipNotPoweredOn: 'not powered on',

  // vCenter
  vcenterTitle: (p: { vm: string }) => `Restore vCenter ${p.vm} from its Windows Server Backup`,
  vcenterRegistered: (p: { vm: string; host: string; datastore: string }) =>
    `${p.vm} is registered on ${p.host} from ${p.datastore}; open its console in the ESXi host client.`,
  vcenterBoot: 'Boot it from the Windows Server recovery media and run a bare-metal restore from the latest Windows Server Backup.',
  vcenterShutdown: 'Let the restore finish and the VM shut down (drbook powers it on next).',
  vcenterAcknowledged: (p: { via: string }) => `vCenter restore acknowledged (${p.via})`,

  // verify
  verifyHostError: (p: { host: string; error: string }) => `${p.host}: ${p.error}`,
  verifyNotRegistered: (p: { vm: string; host: string }) => `${p.vm}: not registered on ${p.host}`,
  verifyRegisteredAs: (p: { vm: string; name: string }) => `${p.vm}: registered as ${p.name}`,
  verifyPower: (p: { vm: string; power: string; want: string }) => `${p.vm}: ${p.power}, was ${p.want}`,
  verifySnapshotLeft: (p: { vm: string; snapshot: string }) => `${p.vm}: the VSC snapshot ${p.snapshot} is still there`,
  verifyFailed: (p: { count: number; first: string; more: boolean }) =>
    `${p.count} check(s) failed after the failover: ${p.first}${p.more ? ', …' : ''}`,
  verifyFailedHint: 'see the report for each VM',
  verifyAllGood: (p: { count: number }) =>
    `${p.count} VM(s) checked: registered under their recorded names, powered as recorded, no VSC snapshot left`,

  // errors and failed checks: what went wrong, and what to do (the hint)
  errNoPlan: 'the preflight has not chosen a snapshot to restore to',
  errNoPlanHint: 'run the failover again from the start',
  errCallout: (p: { name: string; code: string }) => `callout ${p.name} failed (exit ${p.code})`,
  errCalloutTimedOut: (p: { name: string; code: string }) => `callout ${p.name} failed (exit ${p.code}, timed out)`,
  errCalloutHint: 'fix it, or mark it continueOnFailure in the site file',
  errRestorePath: (p: { vm: string; path: string; problem: string }) =>
    `${p.vm}: its file ${JSON.stringify(p.path)} cannot be restored with restore-file: ${p.problem}`,
  errRestorePathHint: (p: { allowed: string }) =>
    `recover it with --other-jobs flexclone, or rename its folder to letters, digits, spaces and ${p.allowed}`,
  errNotQuiesced: (p: { destination: string }) => `${p.destination} did not reach Quiesced in time`,
  errNotQuiescedHint: 'check the transfer on the cluster (snapmirror show), then retry',
  checkNotBroken: (p: { state: string }) => `the relationship is ${p.state}, not Broken-off`,
  checkNotBrokenUnknown: 'the relationship is in an unknown state, not Broken-off',
  errRelationshipGone: (p: { destination: string }) => `the cluster no longer shows a relationship with destination ${p.destination}`,
  checkLockdownOn: 'lockdown is still enabled',
  checkLockdownOff: 'lockdown is still disabled',
  errDatastoreInaccessible: (p: { host: string; datastore: string }) => `${p.host}: datastore ${p.datastore} is listed but not accessible`,
  errDatastoreInaccessibleHint: 'check the export policy of the volume and the host NFS network, then retry',
  checkNotMounted: (p: { datastores: string }) => `${p.datastores} not mounted and accessible`,
  checkCloneState: (p: { volume: string; state: string }) => `${p.volume} is ${p.state}`,
  checkCloneMissing: (p: { volume: string }) => `${p.volume} is missing`,
  errStillRunning: (p: { worldId: string; vm: string }) => `world ${p.worldId} of ${p.vm} is still running after a force kill`,
  errStillRunningHint: 'look at the host (esxcli vm process list); a reboot of the host may be needed',
  killWaitStopped: (p: { worldId: string; vm: string; type: string }) =>
    `stopped while world ${p.worldId} of ${p.vm} was given its time after kill --type=${p.type}: nothing harder was sent`,
  checkWorldRunning: (p: { worldId: string }) => `world ${p.worldId} is still running`,
  checkStillRegistered: 'still registered',
  errNotRegistered: (p: { vm: string; host: string }) => `${p.vm} is not registered on ${p.host}`,
  errFolderEmpty: (p: { folder: string }) => `${p.folder} is empty or missing`,
  errFolderEmptyHint: (p: { snapshot: string; vm: string }) => `check that ${p.snapshot} still holds ${p.vm}`,
  checkNoVmsd: (p: { dir: string }) => `no .vmsd in ${p.dir} after the restore`,
  errNameTaken: (p: { host: string; vm: string; vmid: string; file: string }) =>
    `${p.host}: a VM named ${p.vm} is already registered (vmid ${p.vmid}, ${p.file})`,
  errNameTakenHint: 'unregister it or rename it on the host, then retry; or skip this VM',
  errStaleRunning: (p: { vm: string; host: string; worldId: string }) =>
    `${p.vm}: its stale copy still runs on ${p.host} (world ${p.worldId}); started from the mirror it would run twice`,
  errStaleRunningHint: 'fence it first (kill it on the host, or reboot the host), then retry; or skip this VM',
  errNotOnMirror: (p: { path: string }) => `${p.path} is not on the mirror`,
  errNotOnMirrorHint: (p: { vm: string }) => `was ${p.vm} replicated? skip it, or restore its files by hand, then retry`,
  checkNotInInventory: 'not in the host inventory after registration',
  errNoSnapshotId: (p: { vm: string }) => `${p.vm}: the VSC snapshot has no id on this host`,
  errNoSnapshotIdHint: 'revert it by hand in the host client, then skip',
  checkAfterRevert: (p: { state: string }) => `the VM is ${p.state} after the revert`,
  checkSnapshotLeft: 'the VSC snapshot is still there',
  errQuestion: (p: { vm: string; question: string }) => `${p.vm} asks a question drbook does not answer: ${p.question}`,
  errQuestionHint: 'answer it in the host client, then retry',
  errNoPowerOn: (p: { vm: string }) => `${p.vm} did not power on`,
  errNoPowerOnHint: 'look at the VM in the host client, then retry',
  checkNotOn: 'not powered on',
  errNoHeartbeat: (p: { vm: string; seconds: number }) => `${p.vm}: no VMware Tools heartbeat ${p.seconds} s after power on`,
  errNoHeartbeatHint: 'look at its console; retry to wait again, or skip to go on without it',
  checkNoHeartbeat: 'no heartbeat',

  // the plain situation board
  sitUnreadable: 'situation: (unreadable)',
  sitRelationship: (p: { source: string; destination: string; state: string; status: string; healthy: string; lag: string }) =>
    `relationship ${p.source} → ${p.destination}: ${p.state} / ${p.status}, ${p.healthy}, lag ${p.lag}`,
  sitNoRelationship: 'relationship: not found',
  sitSource: (p: { state: string; capture: string; takenAt: string; vms: number }) =>
    `source volume: ${p.state}; capture ${p.capture} of ${p.takenAt} (${p.vms} VMs)`,
  sitSourceLost: (p: { capture: string; takenAt: string; vms: number }) =>
    `source volume: not found (lost); capture ${p.capture} of ${p.takenAt} (${p.vms} VMs)`,
  sitSnapshot: (p: { mark: string; name: string; time: string; age: string; quiesced: number; total: number }) =>
    `${p.mark} ${p.name}  ${p.time} (${p.age} ago)  quiesced ${p.quiesced}/${p.total}`,
  sitRestoreTo: (p: { snapshot: string; newer: string }) => `restore to ${p.snapshot}; deletes ${p.newer}`,
  sitRestoreToNoNewer: (p: { snapshot: string }) => `restore to ${p.snapshot}; deletes no newer snapshot`,
  sitHost: (p: { host: string; lockdown: string; registered: string; running: string; mounted: string }) =>
    `host ${p.host}: lockdown ${p.lockdown}, stale registered ${p.registered}, running ${p.running}, mirror mounted ${p.mounted}`,
  sitHostDown: (p: { host: string; error: string }) => `host ${p.host}: UNREACHABLE ${p.error}`,
  sitMissing: (p: { names: string }) => `missing from the mirror: ${p.names}`,
  sitStop: (p: { message: string }) => `STOP: ${p.message}`,
  sitWarning: (p: { message: string }) => `warning: ${p.message}`,
  on: 'on',
  off: 'off',
  yes: 'yes',
  no: 'no',
  // The relationship's health as a reader says it (ONTAP's healthy true/false).
  healthyTrue: 'healthy',
  healthyFalse: 'not healthy',
  healthyUnknown: 'health unknown',
  unknown: '?',

  // report sections
  secSituation: 'Situation at the preflight',
  secRecovery: 'Recovery point of each VM',
  secRestoredTo: (p: { snapshot: string }) => `The volume was restored to ${p.snapshot}.`,
  secRestoredToAt: (p: { snapshot: string; time: string }) => `The volume was restored to ${p.snapshot} (${p.time}).`,
  colVm: 'VM',
  colPoint: 'Quiesce point',
  colHow: 'How',
  colResult: 'Result',
  howVolume: 'SnapRestore of the volume',
  howRestoreFile: 'restore-file of its folder',
  howNone: 'no quiesce point: crash-consistent',
  howLostNewer: (p: { how: string; snapshot: string }) => `${p.how} (newer point in ${p.snapshot} was deleted by the restore)`,
  resultWithError: (p: { state: string; error: string }) => `${p.state}: ${p.error}`,
  notReached: 'not reached',

  // drbook check
  checkReachable: (p: { lockdown: string }) => `reachable, host key as pinned, lockdown ${p.lockdown}`,
  checkDatastoreOk: (p: { datastore: string }) => `datastore ${p.datastore} mounted and accessible`,
  checkDatastoreBad: (p: { datastore: string }) => `datastore ${p.datastore} is not mounted or not accessible`,
  checkDatastoreHint: 'check the datastores section of the site file',
  checkDatastoreLostHint: (p: { file: string }) =>
    `the primary volume is lost: this is the failover situation (drbook status --site ${p.file}, then drbook failover --site ${p.file})`,
  checkFailedOverHint: (p: { file: string }) =>
    `the site is failed over (drbook status --site ${p.file}): the way back is reprotect, then failback; do not fail over again`,
  checkLagOk: (p: { lag: string }) => `SnapMirror lag ${p.lag}`,
  checkDatastoresLocked: 'datastores not read: the host is in lockdown (the failover exits it)',
  checkNfsError: (p: { error: string }) => `cannot list the NFS datastores: ${p.error}`,
  checkNoRelationship: (p: { destination: string }) => `no SnapMirror relationship with destination ${p.destination}`,
  checkNoRelationshipHint: 'check relationship.destination in the site file',
  checkRelationship: (p: { source: string; destination: string; state: string; status: string; healthy: string }) =>
    `relationship ${p.source} → ${p.destination}: ${p.state} / ${p.status}, ${p.healthy}`,
  checkRelationshipHint: 'the mirror is not being updated: fix the relationship before you need it',
  checkLag: (p: { lag: string; hours: number }) => `SnapMirror lag is ${p.lag} (more than ${p.hours} h)`,
  checkLagHint: 'check the SnapMirror schedule and the last transfer',
  checkNoJobSnapshot: (p: { job: string }) => `no VSC snapshot of job ${p.job} on the mirror`,
  checkNoJobSnapshotHint: 'check the VSC job and that SnapMirror transfers its snapshots',
  checkNewestBackup: (p: { snapshot: string }) => `newest VSC backup on the mirror: ${p.snapshot}`,
  checkNewestBackupAge: (p: { snapshot: string; hours: number }) => `newest VSC backup on the mirror: ${p.snapshot}, ${p.hours} h old`,
  checkNoCapture: (p: { site: string }) => `no capture of site ${p.site}`,
  checkNoCaptureHint: (p: { file: string }) => `run drbook capture --site ${p.file}, and schedule it`,
  checkCapture: (p: { id: string; hours: number; vms: number }) => `latest capture ${p.id}, ${p.hours} h old, ${p.vms} VMs`,
  checkCaptureOldHint: 'schedule drbook capture (cron or a systemd timer)',
  checkFindings: (p: { count: number; first: string; more: boolean }) =>
    `${p.count} finding(s) in the latest capture: ${p.first}${p.more ? '; …' : ''}`,
  checkFindingsHint: 'drbook inventory show lists them',
};

export type FailoverMessages = typeof en;

const ja: FailoverMessages = {
  ageUnknown: '時刻不明',
  ageMinutesAgo: (p) => `${p.n}分前`,
  ageHoursAgo: (p) => `${p.n}時間前`,
  ageDaysAgo: (p) => `${p.n}日前`,
  ageMinutes: (p) => `${p.n}分`,
  ageHours: (p) => `${p.n}時間`,
  ageDays: (p) => `${p.n}日`,

  siteTarget: 'サイト',

  problemWithHint: (p) => `${p.message} — ${p.hint}`,
  notSafe: (p) => `フェイルオーバーは安全に実行できません: ${p.message}`,
  noRelationship: (p) => `クラスターに宛先 ${p.destination} の SnapMirror 関係がありません`,
  noRelationshipHint: 'サイトファイルの relationship.destination を確認してください (クラスターの snapmirror show で一覧できます)',
  sourceOnline: (p) => `ソースボリューム ${p.source} はまだオンラインです`,
  sourceOnlineHint: 'ミラーを解除する前に、プライマリサイトが本当に失われたことを確認してください',
  notVscBackup: (p) => `スナップショット ${p.snapshot} は ${p.destination} 上の VSC バックアップではありません`,
  chooseOneOf: (p) => `次のいずれかを選んでください: ${p.names}`,
  chooseNone: '選べる VSC バックアップがありません',
  noVscSnapshot: (p) => `ミラー ${p.destination} に VSC スナップショット (${p.pattern}) がありません`,
  noVscSnapshotHint: 'VSC バックアップがなければ復元できる静止点はありません。VSC ジョブと SnapMirror のスケジュールを確認してください',
  newerPointLost: (p) => `VM ${p.count}台は、この復元で削除されるスナップショットに新しい静止点があります (${p.snapshots})`,
  newerPointLostHint: 'これらは古い静止点で復旧します。新しい静止点を残すには別の --snapshot を選んでください',
  noHostReachable: 'サイトの ESXi ホストにひとつも到達できません',
  noHostReachableHint: 'ホストへのネットワーク経路を確認し、フェイルオーバーをもう一度実行してください',
  hostUnreachable: (p) => `${p.host} に到達できません: ${p.error}`,
  hostUnreachableHint: 'このホストの VM には別のホストが提示されます',
  unknownError: '不明なエラー',
  missingFromSnapshot: (p) => `キャプチャの VM ${p.count}台が ${p.snapshot} にありません: ${p.names}`,
  missingFromSnapshotHint: 'このスナップショットからは復旧できず、登録の段階で失敗します',

  calloutNote: (p) => `コールアウト ${p.name}: 終了コード ${p.code}`,
  calloutNoteSaid: (p) => `コールアウト ${p.name}: 終了コード ${p.code}: ${p.said}`,

  breakTitle: (p) => `${p.destination} への SnapMirror 関係を解除します`,
  breakState: (p) => `ソース ${p.source} → 宛先 ${p.destination}。状態 ${p.state}、遅延 ${p.lag}。`,
  breakWritable: 'ミラーは書き込み可能になり、関係を再同期するまで更新を受け取らなくなります。',
  breakType: (p) => `解除するには宛先のパス ${p.destination} を入力してください。`,
  skipAlreadyBroken: '解除済み',

  restoreLabel: (p) => `${p.destination} を ${p.snapshot} へ復元`,
  restoreTitle: (p) => `${p.destination} を ${p.snapshot} へ SnapRestore します`,
  restoreSnapshot: (p) => `スナップショット ${p.snapshot} (ジョブ ${p.job})、取得 ${p.time} (${p.age})。`,
  restoreSnapshotNoTime: (p) => `スナップショット ${p.snapshot} (ジョブ ${p.job})、取得時刻は不明です (${p.age})。`,
  restoreNewerDeleted: (p) => `これより新しいスナップショットは削除されます: ${p.names}。`,
  restoreNoNewer: '削除される新しいスナップショットはありません。',
  restoreLost: (p) => `その時刻より後に ${p.destination} へ書き込まれた内容はすべて失われます。`,
  restoreUseNone: (p) => `データストア ${p.datastore} から登録または実行されている VM はどのホストにもありません (直前に確認)。`,
  restoreUseHidden: (p) =>
    `読み取れたホストでは、データストア ${p.datastore} から登録または実行されている VM はありません。${p.hosts} はロックダウン中のため読み取れませんでした。`,
  errRestoreInUse: (p) =>
    `${p.destination} の SnapRestore を拒否しました: そのデータストア ${p.datastore} から ${p.count} 台の VM が登録されています (実行中 ${p.running} 台): ${p.names}。リストアするとそれらが書き込んだ内容が失われます`,
  errRestoreInUseHint: (p) =>
    `サイトはフェイルオーバー済みです。drbook status --site ${p.file} で確認してください。元に戻すには、再度フェイルオーバーするのではなく、再保護してからフェイルバックしてください`,
  errRestoreHidden: (p) =>
    `${p.destination} の SnapRestore を拒否しました: この実行の前から関係が解除されて (書き込み可能になって) おり、${p.hosts} が ${p.datastore} から何を実行しているかはロックダウンのため見えません`,
  errRestoreHiddenHint:
    'drbook status で確認してください。ミラーから何も実行されていなければ、それらのホストのロックダウンを解除して (vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit) drbook が確認できるようにし、drbook resume を実行してください',
  skipRunningNotReverted: 'すでにミラーから実行中: 戻しません (戻すと書き込まれた内容が失われます)',
  errRevertRunning: (p) => `${p.vm} の復元を拒否しました: 電源がオンで、復元するとその後に書き込まれた内容が失われます`,
  errRevertRunningHint: '本当に静止点に戻す場合は、先に電源を切ってから drbook resume を実行してください',
  errRevertNotRun: (p) => `${p.vm} の復元を実行しませんでした: 復元の直前にホストがオフと読み取れませんでした (現在の状態: ${p.power})`,
  errRevertNotRunHint:
    'その瞬間に電源状態が変わりました。ホストクライアントで VM を確認してから drbook resume を実行してください (状態を読み直します)',
  errKillElsewhere: (p) =>
    `ワールド ${p.worldId} (${p.vm}) の強制停止を拒否しました: 失われたデータストアではなく ${p.datastore} から実行されています`,
  errKillElsewhereHint:
    '古い VM ではありません。drbook status でどこで何が動いているかを確認できます。drbook resume はホストを読み直します',
  siteFailedOver: (p) =>
    `サイト ${p.site} はすでにフェイルオーバー済みです: ${p.datastore} から ${p.count} ${p.since}。再度フェイルオーバーするとそれらが失われます`,
  siteFailedOverHint: (p) => `drbook status --site ${p.file} でサイトの状態を確認できます。元に戻すには再保護してからフェイルバックします`,
  sinceRun: (p) => `${p.time} から (実行 ${p.runId})`,
  sinceUnknown: '(開始時刻はこのデータベースにありません)',
  failedOverCount: (p) => `${p.registered} 台の VM が登録され、${p.running} 台が実行中`,
  failedOverHidden: (p) => `VM が実行中 (${p.hosts} はロックダウンのため見えません)`,
  restoreResync:
    '後で元のソースへ再同期するときは、このスナップショットかそれより古い共通のスナップショットから始まり、それ以降にソースで行われた変更は上書きされます。',
  restoreType: (p) => `復元するには宛先のパス ${p.destination} を入力してください。`,
  planDirect: (p) => `VM ${p.total}台中${p.direct}台は、このスナップショットの静止点で復旧します。`,
  planViaFiles: (p) => `VM ${p.count}台は、登録の前に ${p.snapshot} からフォルダーを復元します (volume snapshot restore-file)。`,
  planViaClone: (p) =>
    `VM ${p.count}台は ${p.snapshot} の FlexClone（データストア ${p.datastore}）から起動します。後で Storage vMotion でミラーへ戻してください。`,
  cloneLabel: (p) => `${p.snapshot} の FlexClone ${p.clone}`,
  howFlexclone: (p) => `FlexClone データストア ${p.datastore} から登録: 後でミラーへ移動 (Storage vMotion)`,
  planNone: (p) => `VM ${p.count}台は静止点が残っておらず、クラッシュ整合の状態で復旧します。`,
  planLost: (p) => `VM ${p.count}台は、この復元で削除される新しい静止点を失います。`,

  cannotListVms: (p) => `${p.host}: VM の一覧を取得できません: ${p.error}`,
  skipNotRunning: '実行されていません',
  skipNotRegistered: '登録されていません',
  killRefused: (p) => `kill --type=${p.type}: ${p.message}`,
  killWorldGone: (p) =>
    `ワールド ${p.worldId} (${p.vm}) への kill --type=${p.type} は送っていません: 強制停止の直前に読んだとき、ワールドはもうありませんでした`,
  unregisterGone: (p) =>
    `vmid ${p.vmid} (${p.vm}) は登録解除していません: ホストはもうその vmid を知りませんでした (フェンスが一覧を取った後に誰かが登録解除しています)`,
  killEscalating: (p) => `ワールド ${p.worldId} は ${p.type} での強制停止から ${p.seconds} 秒後も動いています。${p.next} に強めます`,

  hostDownTitle: (p) => `${p.vm}: 記録されたホスト ${p.host} に到達できません`,
  hostDownLine: (p) => `${p.vm} を別のホストに登録するか、スキップしてください (スキップした VM は停止したままです)。`,
  registerOn: (p) => `${p.host} に登録する`,
  skipThisVm: 'この VM をスキップする',
  vmSkippedHostDown: (p) => `${p.vm} は後回しにします: ホスト ${p.host} に到達できません。ホストが戻ったら drbook resume で起動します`,
  resumeWhenHostBack: 'ホストを復旧させ (ネットワーク、SSH)、drbook resume を実行してください。実行のほかの部分はそのまま残ります',

  skipPointInVolume: '静止点は復元したボリュームにあります',
  skipNoPointToRestore: '復元する静止点がありません',
  filesRestored: (p) => `${p.vm}: ${p.snapshot} からファイルを ${p.count}個復元しました`,

  crashTitle: (p) => `${p.vm} には ${p.snapshot} の静止点がありません`,
  priorityUnknown: (p) => `優先グループ ${p.group} の ${p.name} はキャプチャにないVMです`,
  priorityUnknownClose: (p) => `優先グループ ${p.group} の ${p.name} はキャプチャにないVMです（${p.suggestion} の誤りではありませんか?）`,
  priorityUnknownTitle: (p) => `優先グループの名前 ${p.count} 件がキャプチャのVMと一致しません`,
  priorityUnknownWhy: 'これらのVMは、自分のグループではなく、すべてのグループの後に起動されます。',
  priorityUnknownFix: (p) =>
    `${p.file} の priorityGroups を直すか（drbook check で確認できます）、続行するには --ack-unknown-priority を付けてください`,
  priorityGoOn: '続行: すべてのグループの後に起動する',
  priorityStop: '停止してサイトファイルを直す',
  priorityStopped: '停止しました: 優先グループにキャプチャにないVMの名前があります',
  crashWhy: 'VSC はこの VM の VMware スナップショットを取得していません (電源オフだったか、スナップショットに失敗しました)。',
  crashMeans: '電源を入れると、停電の後と同じクラッシュ整合の状態で起動します。',
  crashPowerOn: 'クラッシュ整合のまま電源を入れる',
  crashLeaveOff: '登録だけして電源オフのままにする',
  crashNoteOff: (p) => `${p.vm}: 静止点がないため、電源オフのままにしました`,
  crashNoteOn: (p) => `${p.vm}: 静止点がないため、クラッシュ整合のまま電源を入れます`,
  skipCrashOff: '静止点なし: 電源オフのまま',
  skipCrashOn: '静止点なし: クラッシュ整合',
  skipNoPoint: '静止点なし',
  offNoPointNote: (p) =>
    `${p.vm}: 記録時の電源状態が ${p.power} のため VSC の静止点はありません (停止した時点のファイルなので不要です)。登録し、電源は ${p.power} のままにします`,
  skipOffNoPoint: (p) => `記録時 ${p.power}: 停止時点のファイル`,

  skipWasPower: (p) => `障害前の電源状態が ${p.power} だったため、オフのままにします`,
  answeredMoved: (p) => `${p.vm}: 「I moved it (移動した)」と回答しました`,
  poweredOnMeanwhile: (p) =>
    `${p.vm} は drbook が電源を入れる時点で既に起動していました (ホストが拒否): 確認の後に誰かが起動しました。そのまま稼働させます`,
  skipNotPoweredOn: '電源が入っていません',

  vcenterTitle: (p) => `vCenter ${p.vm} を Windows Server バックアップから復元してください`,
  vcenterRegistered: (p) => `${p.vm} は ${p.datastore} から ${p.host} に登録されています。ESXi Host Client でコンソールを開いてください。`,
  vcenterBoot: 'Windows Server の回復メディアから起動し、最新の Windows Server バックアップからベアメタル回復を実行してください。',
  vcenterShutdown: '復元が終わり VM がシャットダウンするまで待ってください (次に drbook が電源を入れます)。',
  vcenterAcknowledged: (p) => `vCenter の復元が確認されました (${p.via})`,

  verifyHostError: (p) => `${p.host}: ${p.error}`,
  verifyNotRegistered: (p) => `${p.vm}: ${p.host} に登録されていません`,
  verifyRegisteredAs: (p) => `${p.vm}: ${p.name} という名前で登録されています`,
  verifyPower: (p) => `${p.vm}: 電源 ${p.power} (障害前は ${p.want})`,
  verifySnapshotLeft: (p) => `${p.vm}: VSC スナップショット ${p.snapshot} が残っています`,
  verifyFailed: (p) => `フェイルオーバー後の確認で ${p.count}件が不合格です: ${p.first}${p.more ? '、…' : ''}`,
  verifyFailedHint: '各 VM の結果はレポートを見てください',
  verifyAllGood: (p) =>
    `VM ${p.count}台を確認しました: 記録どおりの名前で登録され、電源状態も記録どおりで、VSC スナップショットは残っていません`,

  errNoPlan: '事前確認で復元先のスナップショットが選ばれていません',
  errNoPlanHint: 'フェイルオーバーを最初からやり直してください',
  errCallout: (p) => `コールアウト ${p.name} が失敗しました (終了コード ${p.code})`,
  errCalloutTimedOut: (p) => `コールアウト ${p.name} が失敗しました (終了コード ${p.code}、タイムアウト)`,
  errCalloutHint: 'コールアウトを直すか、サイトファイルで continueOnFailure を指定してください',
  errRestorePath: (p) => `${p.vm}: ファイル ${JSON.stringify(p.path)} は restore-file で復元できません: ${p.problem}`,
  errRestorePathHint: (p) => `--other-jobs flexclone で復旧するか、フォルダー名を文字・数字・空白と ${p.allowed} だけに変えてください`,
  errNotQuiesced: (p) => `${p.destination} が時間内に Quiesced になりませんでした`,
  errNotQuiescedHint: 'クラスターで転送を確認してから (snapmirror show)、再試行してください',
  checkNotBroken: (p) => `関係は ${p.state} で、Broken-off になっていません`,
  checkNotBrokenUnknown: '関係の状態が分からず、Broken-off になっていません',
  errRelationshipGone: (p) => `クラスターに宛先 ${p.destination} の関係が見当たらなくなりました`,
  checkLockdownOn: 'ロックダウンがまだ有効です',
  checkLockdownOff: 'ロックダウンがまだ無効です',
  errDatastoreInaccessible: (p) => `${p.host}: データストア ${p.datastore} は一覧にありますが、アクセスできません`,
  errDatastoreInaccessibleHint: 'ボリュームのエクスポートポリシーとホストの NFS ネットワークを確認してから、再試行してください',
  checkNotMounted: (p) => `${p.datastores} がマウントされていないか、アクセスできません`,
  checkCloneState: (p) => `${p.volume} の状態は ${p.state} です`,
  checkCloneMissing: (p) => `${p.volume} がありません`,
  errStillRunning: (p) => `${p.vm} のワールド ${p.worldId} は force での強制停止の後も動いています`,
  errStillRunningHint: 'ホストを確認してください (esxcli vm process list)。ホストの再起動が必要な場合があります',
  killWaitStopped: (p) =>
    `${p.vm} のワールド ${p.worldId} の kill --type=${p.type} 後の待機中に停止しました。より強い強制停止は送っていません`,
  checkWorldRunning: (p) => `ワールド ${p.worldId} はまだ動いています`,
  checkStillRegistered: 'まだ登録されています',
  errNotRegistered: (p) => `${p.vm} は ${p.host} に登録されていません`,
  errFolderEmpty: (p) => `${p.folder} が空か、ありません`,
  errFolderEmptyHint: (p) => `${p.snapshot} にまだ ${p.vm} があるか確認してください`,
  checkNoVmsd: (p) => `復元の後、${p.dir} に .vmsd がありません`,
  errNameTaken: (p) => `${p.host}: ${p.vm} という名前の VM がすでに登録されています (vmid ${p.vmid}、${p.file})`,
  errNameTakenHint: 'ホストでその VM の登録を解除するか名前を変えてから再試行するか、この VM をスキップしてください',
  errStaleRunning: (p) => `${p.vm}: 古いコピーが ${p.host} でまだ動いています (ワールド ${p.worldId})。ミラーから起動すると二重に動きます`,
  errStaleRunningHint: '先に隔離してから (ホストで強制停止するか、ホストを再起動)、再試行するか、この VM をスキップしてください',
  errNotOnMirror: (p) => `${p.path} がミラーにありません`,
  errNotOnMirrorHint: (p) => `${p.vm} は複製されていましたか？ スキップするか、手動でファイルを復元してから再試行してください`,
  checkNotInInventory: '登録の後、ホストのインベントリにありません',
  errNoSnapshotId: (p) => `${p.vm}: このホストでは VSC スナップショットの ID が分かりません`,
  errNoSnapshotIdHint: 'Host Client で手動で復帰させてから、スキップしてください',
  checkAfterRevert: (p) => `復帰の後、VM の電源状態が ${p.state} です`,
  checkSnapshotLeft: 'VSC スナップショットがまだ残っています',
  errQuestion: (p) => `${p.vm} が drbook の答えない質問をしています: ${p.question}`,
  errQuestionHint: 'Host Client で回答してから、再試行してください',
  errNoPowerOn: (p) => `${p.vm} の電源が入りませんでした`,
  errNoPowerOnHint: 'Host Client で VM を確認してから、再試行してください',
  checkNotOn: '電源が入っていません',
  errNoHeartbeat: (p) => `${p.vm}: 電源オンから ${p.seconds} 秒たっても VMware Tools のハートビートがありません`,
  errNoHeartbeatHint: 'コンソールを確認してください。再試行でもう一度待つか、スキップして先に進めます',
  checkNoHeartbeat: 'ハートビートがありません',

  sitUnreadable: '状況: (読み取れません)',
  sitRelationship: (p) => `関係 ${p.source} → ${p.destination}: ${p.state} / ${p.status}、${p.healthy}、遅延 ${p.lag}`,
  sitNoRelationship: '関係: 見つかりません',
  sitSource: (p) => `ソースボリューム: ${p.state}。キャプチャ ${p.capture} (${p.takenAt}、VM ${p.vms}台)`,
  sitSourceLost: (p) => `ソースボリューム: 見つかりません (喪失)。キャプチャ ${p.capture} (${p.takenAt}、VM ${p.vms}台)`,
  sitSnapshot: (p) => `${p.mark} ${p.name}  ${p.time} (${p.age}前)  静止点 ${p.quiesced}/${p.total}`,
  sitRestoreTo: (p) => `${p.snapshot} へ復元。削除されるスナップショット: ${p.newer}`,
  sitRestoreToNoNewer: (p) => `${p.snapshot} へ復元。削除される新しいスナップショットはありません`,
  sitHost: (p) =>
    `ホスト ${p.host}: ロックダウン ${p.lockdown}、古い VM の登録 ${p.registered}、実行中 ${p.running}、ミラーのマウント ${p.mounted}`,
  sitHostDown: (p) => `ホスト ${p.host}: 到達不可 ${p.error}`,
  sitMissing: (p) => `ミラーにない VM: ${p.names}`,
  sitStop: (p) => `中止: ${p.message}`,
  sitWarning: (p) => `警告: ${p.message}`,
  on: '有効',
  off: '無効',
  yes: 'はい',
  no: 'いいえ',
  healthyTrue: '正常',
  healthyFalse: '異常',
  healthyUnknown: '正常性は不明',
  unknown: '?',

  secSituation: '事前確認時の状況',
  secRecovery: '各 VM の復旧ポイント',
  secRestoredTo: (p) => `ボリュームは ${p.snapshot} に復元されました。`,
  secRestoredToAt: (p) => `ボリュームは ${p.snapshot} (${p.time}) に復元されました。`,
  colVm: 'VM',
  colPoint: '静止点',
  colHow: '方法',
  colResult: '結果',
  howVolume: 'ボリュームの SnapRestore',
  howRestoreFile: 'フォルダーの restore-file',
  howNone: '静止点なし: クラッシュ整合',
  howLostNewer: (p) => `${p.how} (${p.snapshot} にあった新しい静止点は復元で削除されました)`,
  resultWithError: (p) => `${p.state}: ${p.error}`,
  notReached: '未到達',

  checkReachable: (p) => `到達可能、ホストキーは登録どおり、ロックダウン ${p.lockdown}`,
  checkDatastoreOk: (p) => `データストア ${p.datastore} はマウントされ、アクセスできます`,
  checkDatastoreBad: (p) => `データストア ${p.datastore} がマウントされていないか、アクセスできません`,
  checkDatastoreHint: 'サイトファイルの datastores を確認してください',
  checkDatastoreLostHint: (p) =>
    `プライマリ ボリュームが失われています。フェイルオーバーが必要な状況です (drbook status --site ${p.file}、続いて drbook failover --site ${p.file})`,
  checkFailedOverHint: (p) =>
    `サイトはフェイルオーバー済みです (drbook status --site ${p.file})。元に戻すには再保護してからフェイルバックします。再度フェイルオーバーしないでください`,
  checkLagOk: (p) => `SnapMirror の遅延 ${p.lag}`,
  checkDatastoresLocked: 'データストアは読み取っていません: ホストはロックダウン中です (フェイルオーバーが解除します)',
  checkNfsError: (p) => `NFS データストアの一覧を取得できません: ${p.error}`,
  checkNoRelationship: (p) => `宛先 ${p.destination} の SnapMirror 関係がありません`,
  checkNoRelationshipHint: 'サイトファイルの relationship.destination を確認してください',
  checkRelationship: (p) => `関係 ${p.source} → ${p.destination}: ${p.state} / ${p.status}、${p.healthy}`,
  checkRelationshipHint: 'ミラーが更新されていません。必要になる前に関係を修復してください',
  checkLag: (p) => `SnapMirror の遅延が ${p.lag} です (${p.hours}時間を超えています)`,
  checkLagHint: 'SnapMirror のスケジュールと最後の転送を確認してください',
  checkNoJobSnapshot: (p) => `ミラーにジョブ ${p.job} の VSC スナップショットがありません`,
  checkNoJobSnapshotHint: 'VSC ジョブと、SnapMirror がそのスナップショットを転送していることを確認してください',
  checkNewestBackup: (p) => `ミラー上の最新の VSC バックアップ: ${p.snapshot}`,
  checkNewestBackupAge: (p) => `ミラー上の最新の VSC バックアップ: ${p.snapshot}、${p.hours}時間前`,
  checkNoCapture: (p) => `サイト ${p.site} のキャプチャがありません`,
  checkNoCaptureHint: (p) => `drbook capture --site ${p.file} を実行し、定期実行を設定してください`,
  checkCapture: (p) => `最新のキャプチャ ${p.id}、${p.hours}時間前、VM ${p.vms}台`,
  checkCaptureOldHint: 'drbook capture を定期実行してください (cron または systemd タイマー)',
  checkFindings: (p) => `最新のキャプチャに指摘が ${p.count}件あります: ${p.first}${p.more ? '。…' : ''}`,
  checkFindingsHint: 'drbook inventory show で一覧できます',
};

export function failoverMessages(lang: Lang): FailoverMessages {
  return pick(lang, { en, ja });
}

/** Whether a revert stage's skip note says "no quiesce point", in any language (the report reads old runs). */
export function isNoQuiesceNote(note: Note | undefined): boolean {
  if (typeof note !== 'string') return false;
  return [en, ja].some((m) => note.includes(m.skipNoPoint) || note === m.skipCrashOff || note === m.skipCrashOn);
}
