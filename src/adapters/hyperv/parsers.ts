/**
 * Typed readings of the JSON the commands in ./commands.ts print, tolerant of Windows PowerShell
 * 5.1 and PowerShell 7 (see ./json.ts). Enum numbers are the documented values of the Hyper-V
 * and FailoverClusters enums; names are accepted too (PowerShell 7 -EnumsAsStrings, or a string cast).
 */
import { ParseError } from '../../errors.js';
import { asList, bool, enumOf, num, optStr, psDate, readJson, readRecords, str, strings, type JsonObject } from './json.js';

export type VmState = 'running' | 'off' | 'saved' | 'paused' | 'starting' | 'stopping' | 'other';
/** The Heartbeat integration service: ok, or why not. `none` when the VM has no reading (off). */
export type Heartbeat = 'ok' | 'no-contact' | 'lost-communication' | 'error' | 'none';

export interface HvVm {
  name: string;
  /** The VM ID (a GUID, lower case). */
  id: string;
  state: VmState;
  /** The node it is registered on. */
  node: string;
  isClustered: boolean;
  generation: number | null;
  path: string;
  configurationLocation: string;
  snapshotFileLocation: string;
  smartPagingFilePath: string;
  hardDrives: string[];
  heartbeat: Heartbeat;
}

const VM_STATE_NUM: Record<number, VmState> = {
  1: 'other',
  2: 'running',
  3: 'off',
  4: 'stopping',
  6: 'saved',
  9: 'paused',
  10: 'starting',
  32773: 'stopping',
  32776: 'stopping',
  32777: 'starting',
  32779: 'saved',
};
const VM_STATE_NAME: Record<string, VmState> = {
  running: 'running',
  off: 'off',
  saved: 'saved',
  paused: 'paused',
  starting: 'starting',
  stopping: 'stopping',
  fastsaved: 'saved',
  other: 'other',
};

// VMIntegrationComponentOperationalStatus (CIM OperationalStatus values).
const HB_NUM: Record<number, Heartbeat> = { 2: 'ok', 3: 'error', 6: 'error', 7: 'error', 12: 'no-contact', 13: 'lost-communication' };
const HB_NAME: Record<string, Heartbeat> = {
  ok: 'ok',
  degraded: 'error',
  error: 'error',
  nonrecoverableerror: 'error',
  nocontact: 'no-contact',
  lostcommunication: 'lost-communication',
};

const normGuid = (g: string): string => g.replace(/^\{|\}$/g, '').toLowerCase();

function vmOf(kind: string, r: JsonObject): HvVm {
  const id = r.VMId ?? r.Id;
  if (typeof id !== 'string' || !/^\{?[0-9a-fA-F-]{36}\}?$/.test(id))
    throw new ParseError(kind, null, `VMId is not a GUID: ${JSON.stringify(id)}`);
  return {
    name: str(kind, r, 'Name'),
    id: normGuid(id),
    state: enumOf(r.State, VM_STATE_NUM, VM_STATE_NAME, 'other'),
    node: optStr(r, 'ComputerName') ?? '',
    isClustered: bool(r, 'IsClustered'),
    generation: num(r, 'Generation'),
    path: optStr(r, 'Path') ?? '',
    configurationLocation: optStr(r, 'ConfigurationLocation') ?? '',
    snapshotFileLocation: optStr(r, 'SnapshotFileLocation') ?? '',
    smartPagingFilePath: optStr(r, 'SmartPagingFilePath') ?? '',
    hardDrives: strings(r, 'HardDrives'),
    heartbeat: r.Heartbeat === null || r.Heartbeat === undefined ? 'none' : enumOf(r.Heartbeat, HB_NUM, HB_NAME, 'error'),
  };
}

/** `Get-VM | Select-Object …` (and Import-VM's echo). */
export function parseVms(text: string): HvVm[] {
  return readRecords('hyperv-vms', text).map((r) => vmOf('hyperv-vms', r));
}

export type ClusterGroupState = 'online' | 'offline' | 'failed' | 'partial-online' | 'pending' | 'unknown';
export interface ClusterGroup {
  name: string;
  state: ClusterGroupState;
  /** A virtual machine role (GroupType VirtualMachine = 111). */
  isVmRole: boolean;
  priority: number | null;
  ownerNode: string;
  preferredOwners: string[];
}
const GROUP_STATE_NUM: Record<number, ClusterGroupState> = {
  [-1]: 'unknown',
  0: 'online',
  1: 'offline',
  2: 'failed',
  3: 'partial-online',
  4: 'pending',
};
const GROUP_STATE_NAME: Record<string, ClusterGroupState> = {
  online: 'online',
  offline: 'offline',
  failed: 'failed',
  partialonline: 'partial-online',
  pending: 'pending',
  unknown: 'unknown',
};

export function parseClusterGroups(text: string): ClusterGroup[] {
  const kind = 'hyperv-cluster-groups';
  return readRecords(kind, text).map((r) => ({
    name: str(kind, r, 'Name'),
    state: enumOf(r.State, GROUP_STATE_NUM, GROUP_STATE_NAME, 'unknown'),
    isVmRole: r.GroupType === 111 || r.GroupType === '111' || r.GroupType === 'VirtualMachine',
    priority: num(r, 'Priority'),
    ownerNode: optStr(r, 'OwnerNode') ?? '',
    preferredOwners: strings(r, 'PreferredOwners'),
  }));
}

export type ClusterResourceState = 'online' | 'offline' | 'failed' | 'pending' | 'unknown';
export interface ClusterResource {
  name: string;
  state: ClusterResourceState;
  type: string;
  ownerGroup: string;
  ownerNode: string;
  /** For a Virtual Machine resource: the VM ID it controls. */
  vmId: string | null;
}
const RES_STATE_NUM: Record<number, ClusterResourceState> = {
  [-1]: 'unknown',
  0: 'unknown',
  1: 'pending',
  2: 'online',
  3: 'offline',
  4: 'failed',
  128: 'pending',
  129: 'pending',
  130: 'pending',
};
const RES_STATE_NAME: Record<string, ClusterResourceState> = {
  online: 'online',
  offline: 'offline',
  failed: 'failed',
  pending: 'pending',
  onlinepending: 'pending',
  offlinepending: 'pending',
  unknown: 'unknown',
};

export function parseClusterResources(text: string): ClusterResource[] {
  const kind = 'hyperv-cluster-resources';
  return readRecords(kind, text).map((r) => {
    const vmId = optStr(r, 'VmId');
    return {
      name: str(kind, r, 'Name'),
      state: enumOf(r.State, RES_STATE_NUM, RES_STATE_NAME, 'unknown'),
      type: optStr(r, 'ResourceType') ?? '',
      ownerGroup: optStr(r, 'OwnerGroup') ?? '',
      ownerNode: optStr(r, 'OwnerNode') ?? '',
      vmId: vmId ? normGuid(vmId) : null,
    };
  });
}

export interface SharedVolume {
  name: string;
  state: ClusterResourceState;
  ownerNode: string;
  /** `C:\ClusterStorage\Volume1`: where the CSV is mounted on every node. */
  path: string;
  redirectedAccess: boolean;
  maintenanceMode: boolean;
}

export function parseSharedVolumes(text: string): SharedVolume[] {
  const kind = 'hyperv-csv';
  const out: SharedVolume[] = [];
  for (const r of readRecords(kind, text)) {
    const vols = asList(r.Volumes ?? r.SharedVolumeInfo).filter(
      (v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v),
    );
    for (const v of vols.length ? vols : [{} as JsonObject]) {
      out.push({
        name: str(kind, r, 'Name'),
        state: enumOf(r.State, RES_STATE_NUM, RES_STATE_NAME, 'unknown'),
        ownerNode: optStr(r, 'OwnerNode') ?? '',
        path: optStr(v, 'FriendlyVolumeName') ?? '',
        redirectedAccess: bool(v, 'RedirectedAccess'),
        maintenanceMode: bool(v, 'MaintenanceMode'),
      });
    }
  }
  return out;
}

export type ClusterNodeState = 'up' | 'down' | 'paused' | 'joining' | 'unknown';
export interface ClusterNode {
  name: string;
  state: ClusterNodeState;
}
export function parseClusterNodes(text: string): ClusterNode[] {
  const kind = 'hyperv-cluster-nodes';
  return readRecords(kind, text).map((r) => ({
    name: str(kind, r, 'Name'),
    state: enumOf(
      r.State,
      { [-1]: 'unknown', 0: 'up', 1: 'down', 2: 'paused', 3: 'joining' },
      { up: 'up', down: 'down', paused: 'paused', joining: 'joining' },
      'unknown',
    ),
  }));
}

export type JobOutcome = 'succeeded' | 'failed' | 'other';
export interface JobRun {
  job: string;
  outcome: JobOutcome;
  status: string;
  start: number | null;
  end: number | null;
  errorCode: number | null;
  errorMessage: string;
}
/** Backup Exec job statuses that mean the data was backed up, and those that mean it was not. */
const BE_OK = new Set(['succeeded', 'succeededwithexceptions']);
const BE_FAILED = new Set(['error', 'failed', 'canceled', 'cancelled', 'canceledtimeout', 'missed', 'recovered', 'invalidschedule']);

/** `Get-BEJobHistory … | Select-Object Name,JobStatus (as a string),StartTime,EndTime,ErrorCode,ErrorMessage`. */
export function parseJobHistory(text: string): JobRun[] {
  const kind = 'hyperv-be-job-history';
  return readRecords(kind, text).map((r) => {
    const js = r.JobStatus;
    const status = typeof js === 'string' || typeof js === 'number' ? String(js) : '';
    const key = status.replace(/\s+/g, '').toLowerCase();
    return {
      job: str(kind, r, 'Name'),
      outcome: BE_OK.has(key) ? 'succeeded' : BE_FAILED.has(key) ? 'failed' : 'other',
      status,
      start: psDate(kind, r.StartTime),
      end: psDate(kind, r.EndTime),
      errorCode: num(r, 'ErrorCode'),
      errorMessage: optStr(r, 'ErrorMessage') ?? '',
    };
  });
}

/** `Test-Path … | ConvertTo-Json`: true or false. */
export function parseTestPath(text: string): boolean {
  const v = readJson('hyperv-test-path', text);
  if (typeof v !== 'boolean') throw new ParseError('hyperv-test-path', null, `expected true or false, got ${text.trim().slice(0, 40)}`);
  return v;
}

export interface Incompatibility {
  message: string;
  messageId: number | null;
}
/** `(Compare-VM …).Incompatibilities | Select-Object Message,MessageId`. */
export function parseIncompatibilities(text: string): Incompatibility[] {
  return readRecords('hyperv-compare-vm', text).map((r) => ({ message: optStr(r, 'Message') ?? '', messageId: num(r, 'MessageId') }));
}

/**
 * A PowerShell error record as printed on stderr (`Cmdlet : message` then `At line:…` and the
 * `+ CategoryInfo`/`FullyQualifiedErrorId` lines) → the message and the error id.
 */
export function parsePsError(stderr: string): { message: string; errorId: string | null } | null {
  // Only the console's own wrapping (line breaks, ASCII blanks around them) is undone: a name in the
  // message keeps every other character, Unicode spaces and tabs included.
  const t = stderr.replace(/\r/g, '').replace(/^[ \n]+|[ \n]+$/g, '');
  if (t === '') return null;
  const lines = t.split('\n');
  const at = lines.findIndex((l) => /^At line:\d+ char:\d+/.test(l) || /^At .+:\d+ char:\d+/.test(l));
  const head = (at > 0 ? lines.slice(0, at) : lines.slice(0, 1))
    .join('\n')
    .replace(/ *\n */g, ' ')
    .replace(/^ +| +$/g, '');
  const id = /FullyQualifiedErrorId\s*:\s*(\S+)/.exec(t)?.[1] ?? null;
  return { message: head.replace(/^[A-Za-z-]+ : /, ''), errorId: id };
}
