/**
 * Realistic runs for the UI tests and the preview: built by folding real engine events with the
 * engine's own reducer, so the screen is tested on what the engine really produces.
 */
import type { EngineEvent } from '../../src/engine/events.js';
import { foldEvents, type ViewModel } from '../../src/engine/view-model.js';
import type { SituationData } from '../../src/ui/types.js';

export const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

const JA_NAMES = ['会計サーバー', '人事システム', 'ファイル共有', '給与計算', '受注管理', 'メール中継'];

export function vmName(i: number, japanese: boolean): string {
  if (japanese && i % 3 === 0) return `${JA_NAMES[i % JA_NAMES.length]}-${String(i).padStart(3, '0')}`;
  return `app-${['web', 'db', 'cache', 'batch'][i % 4]}-${String(i).padStart(4, '0')}`;
}

export function hostName(i: number, japanese: boolean): string {
  return japanese && i % 2 === 1 ? `東京-esx${String(i).padStart(2, '0')}` : `esx${String(i).padStart(2, '0')}.dc1.example`;
}

export function situation(hosts: number, japanese: boolean): SituationData {
  return {
    relationship: { source: 'svm1:vol_vm', destination: 'svm2:vol_vm_mirror', state: 'snapmirrored', healthy: true, lagSeconds: 3720 },
    snapshots: [
      { name: 'smvi__daily_recent', createdAt: T0 - 3 * 3600_000, quiesced: 21, total: 24, chosen: true },
      { name: 'smvi__daily_20261121010000', createdAt: T0 - 27 * 3600_000, quiesced: 24, total: 24 },
      { name: 'smvi__daily_20261120010000', createdAt: T0 - 51 * 3600_000, quiesced: 24, total: 24 },
    ],
    hosts: Array.from({ length: hosts }, (_, i) => ({
      name: hostName(i + 1, japanese),
      reachable: i !== 2,
      lockdown: i === 0 ? 'exited' : i === 1 ? 'on' : i === 2 ? 'unknown' : 'off',
    })),
    staleVms: 5,
    missingVms: 0,
  };
}

/** The ids and titles of runbooks/vsc-snapmirror-failover.yaml. */
const STEPS: [string, string][] = [
  ['preflight', 'Preflight: situation, capture, devices'],
  ['before-break', 'Callouts before the break'],
  ['break', 'Break the SnapMirror relationship'],
  ['snaprestore', 'SnapRestore the mirror to the VSC snapshot'],
  ['lockdown-exit', 'Exit lockdown mode'],
  ['mount', 'Mount the mirror datastore'],
  ['fence', 'Fence stale VMs (kill, unregister)'],
  ['vcenter', 'Recover vCenter'],
  ['recover', 'Register, revert, power on'],
  ['verify', 'Verify every VM'],
  ['end', 'Callouts at the end'],
  ['lockdown-enter', 'Re-enter lockdown mode'],
];

export interface RunOptions {
  vms: number;
  hosts?: number;
  japanese?: boolean;
  /** How many of the register step's VMs have finished. */
  registered?: number;
  outcome?: 'done' | 'failed' | 'stopped';
}

/** A run in the middle of the register step (or finished), with a command log. */
export function runEvents(o: RunOptions): EngineEvent[] {
  const hosts = o.hosts ?? 4;
  const ja = o.japanese ?? false;
  let at = T0;
  const ev: EngineEvent[] = [];
  const tick = (ms = 1000) => (at += ms);
  ev.push({ type: 'run.started', at, runId: 'r20261122-0100', site: 'dc1', runbook: 'vsc-snapmirror-failover', resumed: false });
  ev.push({ type: 'situation', at: tick(), data: situation(hosts, ja) });
  for (const [id, title] of STEPS.slice(0, 8)) {
    ev.push({ type: 'step.state', at: tick(), stepId: id, state: 'running', title });
    ev.push({
      type: 'command.started',
      at: tick(100),
      id: `c-${id}`,
      host: id === 'break' || id === 'snaprestore' ? 'cluster1' : hostName(1, ja),
      command:
        id === 'break'
          ? 'snapmirror break -destination-path svm2:vol_vm_mirror'
          : id === 'snaprestore'
            ? 'volume snapshot restore -vserver svm2 -volume vol_vm_mirror -snapshot smvi__daily_recent'
            : `vim-cmd vmsvc/getallvms`,
      stepId: id,
      targetId: 'site',
    });
    ev.push({
      type: 'command.finished',
      at: tick(1500),
      id: `c-${id}`,
      host: 'cluster1',
      exitCode: 0,
      signal: null,
      durationMs: 1500,
      stdoutTail: 'Operation succeeded.',
      stderrTail: '',
      stepId: id,
      targetId: 'site',
    });
    ev.push({
      type: 'step.state',
      at: tick(),
      stepId: id,
      state: id === 'vcenter' ? 'skipped' : 'done',
      note: id === 'vcenter' ? 'vCenter was not on the primary volume' : undefined,
    });
  }
  ev.push({ type: 'step.state', at: tick(), stepId: 'recover', state: 'running', title: STEPS[8]![1] });
  ev.push({
    type: 'step.targets',
    at: tick(),
    stepId: 'recover',
    stages: ['restore-files', 'register', 'revert', 'remove-snapshot', 'power-on', 'heartbeat'],
    targets: Array.from({ length: o.vms }, (_, i) => ({ id: `vm${i}`, label: vmName(i, ja), host: hostName((i % hosts) + 1, ja) })),
  });
  const done = Math.min(o.vms, o.registered ?? Math.floor(o.vms / 3));
  for (let i = 0; i < Math.min(o.vms, done + 3); i++) {
    ev.push({ type: 'target.state', at: tick(200), stepId: 'recover', targetId: `vm${i}`, state: 'running', stage: 'register' });
    const cid = `r${i}`;
    ev.push({
      type: 'command.started',
      at: tick(50),
      id: cid,
      host: hostName((i % hosts) + 1, ja),
      command: `vim-cmd solo/registervm '/vmfs/volumes/ds_mirror/${vmName(i, ja)}/${vmName(i, ja)}.vmx' '${vmName(i, ja)}'`,
      stepId: 'recover',
      targetId: `vm${i}`,
    });
    if (i < done) {
      const fail = i === 4;
      ev.push({
        type: 'command.finished',
        at: tick(900),
        id: cid,
        host: hostName((i % hosts) + 1, ja),
        exitCode: fail ? 1 : 0,
        signal: null,
        durationMs: 900,
        stdoutTail: fail ? '' : String(100 + i),
        stderrTail: fail
          ? '(vim.fault.AlreadyExists) {\n   faultCause = (vmodl.MethodFault) null,\n   name = "' +
            vmName(i, ja) +
            '"\n   msg = "The specified key, name, or identifier already exists."\n}'
          : '',
        stepId: 'recover',
        targetId: `vm${i}`,
      });
      ev.push({ type: 'target.state', at: tick(10), stepId: 'recover', targetId: `vm${i}`, state: 'done', stage: 'register' });
      ev.push(
        fail
          ? {
              type: 'target.state',
              at: tick(10),
              stepId: 'recover',
              targetId: `vm${i}`,
              state: 'failed',
              stage: 'register',
              error: 'The specified key, name, or identifier already exists.',
            }
          : { type: 'target.state', at: tick(10), stepId: 'recover', targetId: `vm${i}`, state: 'done' },
      );
    }
  }
  if (o.outcome)
    ev.push({ type: 'run.finished', at: tick(), outcome: o.outcome, error: o.outcome === 'failed' ? 'register: 1 VM failed' : undefined });
  return ev;
}

/** A finished fence step whose commands scrolled out of the live log (more than its 50 lines). */
export function fenceAndPollEvents(): EngineEvent[] {
  const ev = runEvents({ vms: 3, registered: 0 });
  let at = ev[ev.length - 1]!.at;
  ev.push({ type: 'step.state', at: ++at, stepId: 'fence', state: 'running', title: 'Fence stale VMs (kill, unregister)' });
  ev.push({
    type: 'step.targets',
    at: ++at,
    stepId: 'fence',
    per: 'vm',
    stages: ['kill', 'unregister'],
    targets: [{ id: 'old1', label: 'app-old-0001', host: 'esx01.dc1.example' }],
  });
  const kinds = ['soft', 'hard', 'force'];
  kinds.forEach((k, i) => {
    ev.push({
      type: 'command.started',
      at: ++at,
      id: `kill-${k}`,
      host: 'esx01.dc1.example',
      command: `esxcli vm process kill --type=${k} --world-id=1234`,
      stepId: 'fence',
      targetId: 'old1',
    });
    ev.push({
      type: 'command.finished',
      at: (at += 500),
      id: `kill-${k}`,
      host: 'esx01.dc1.example',
      exitCode: i < 2 ? 1 : 0,
      signal: null,
      durationMs: 500,
      stdoutTail: '',
      stderrTail: i < 2 ? 'Unable to kill' : '',
      stepId: 'fence',
      targetId: 'old1',
    });
  });
  ev.push({ type: 'target.state', at: ++at, stepId: 'fence', targetId: 'old1', state: 'done' });
  ev.push({ type: 'step.state', at: ++at, stepId: 'fence', state: 'done' });
  ev.push({ type: 'step.state', at: ++at, stepId: 'recover', state: 'running' });
  // The heartbeat of vm0: 60 polls, more than the live log keeps.
  for (let i = 0; i < 60; i++) {
    ev.push({
      type: 'command.started',
      at: ++at,
      id: `hb${i}`,
      host: 'esx01.dc1.example',
      command: `vim-cmd vmsvc/get.guest ${100 + i}`,
      stepId: 'recover',
      targetId: 'vm0',
      purpose: `poll ${i}`,
    });
    ev.push({
      type: 'command.finished',
      at: (at += 100),
      id: `hb${i}`,
      host: 'esx01.dc1.example',
      exitCode: 0,
      signal: null,
      durationMs: 100,
      stdoutTail: `guestHeartbeatStatus = "${i < 59 ? 'gray' : 'green'}"`,
      stderrTail: '',
      stepId: 'recover',
      targetId: 'vm0',
    });
  }
  return ev;
}

export function runViewModel(o: RunOptions): ViewModel {
  return foldEvents(runEvents(o));
}
