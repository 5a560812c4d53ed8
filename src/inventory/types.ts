/**
 * The capture model: what drbook records about a site in normal times, so that on the day the
 * primary volume is gone it still knows every VM's display name and placement, and which backup
 * holds its quiesce point. The failover engine reads these types.
 */

export interface NfsMount {
  volumeName: string;
  host: string;
  share: string;
  accessible: boolean;
  mounted: boolean;
  readOnly: boolean;
}

export interface CapturedHost {
  name: string;
  reachable: boolean;
  error?: string;
  esxiVersion?: string;
  build?: string;
  lockdown?: boolean;
  nfs: NfsMount[];
  /** Unreachable this time: these are the last good data, from this capture. Never erased. */
  carriedFrom?: string;
}

export type PowerState = 'on' | 'off' | 'suspended';

/** Where vCenter shows a VM: inventory paths as govc prints them. */
export interface VcenterPlacement {
  datacenter: string;
  cluster: string | null;
  host: string;
  /** `/dc1/vm/prod/web` */
  folder: string;
  /** `/dc1/host/cluster1/Resources/prod` */
  resourcePool: string;
  /** The port group of each NIC. */
  portGroups: string[];
}

export interface CapturedVm {
  /** The display name, exact bytes (not the .vmx file name, not the guest hostname). */
  name: string;
  vmid: string;
  host: string;
  datastore: string;
  /** The VM's folder inside the datastore, e.g. `web 01`. */
  vmxDir: string;
  /** The .vmx file name, e.g. `web 01.vmx`. */
  vmxFile: string;
  /** `[datastore] dir/file.vmx`, as vim-cmd shows it. */
  vmxPath: string;
  guestOs: string;
  power: PowerState;
  uuidBios: string;
  uuidLocation: string;
  annotation: string;
  /** `svm:vol` of the datastore it lives on, or null when the datastore is not one of the site's. */
  volume: string | null;
  isVcenter: boolean;
  /** The VSC job whose snapshots hold this VM's quiesce points (set by the audit). */
  job?: string | null;
  carriedFrom?: string;
  /** From vCenter, when the site has its API and it answered (or kept from an earlier capture). */
  placement?: VcenterPlacement;
}

export interface SnapMirrorRelationship {
  source: string;
  destination: string;
  type: string;
  state: string;
  status: string;
  healthy: boolean;
  lagTime: string | null;
}

export interface VolumeSnapshot {
  name: string;
  /** ISO 8601 */
  createTime: string;
}

export interface CapturedVolume {
  path: string;
  role: 'primary' | 'mirror' | 'other';
  relationships: SnapMirrorRelationship[];
  snapshots: VolumeSnapshot[];
}

export interface VmwareSnapshotRef {
  name: string;
  id: string;
  /** ISO 8601, from the .vmsd createTimeHigh/Low */
  createdAt: string | null;
}

export interface QuiescePoint {
  /** The NetApp snapshot, e.g. `smvi__daily_recent`. */
  snapshot: string;
  job: string;
  /** The VM's folder in that snapshot holds VSC's VMware snapshot: .vmsd entry, .vmsn, delta disk. */
  quiesced: boolean;
  vmwareSnapshot?: VmwareSnapshotRef;
  /** The VM folder's listing inside the snapshot. */
  files: string[];
}

export interface VmAudit {
  vm: string;
  host: string;
  vmxPath: string;
  points: QuiescePoint[];
}

export type FindingCode =
  | 'no-quiesce-newest'
  | 'no-quiesce-any'
  | 'vmx-name-mismatch'
  | 'duplicate-name'
  /** A display name with a control character (newline, CR, tab…): recorded as it is, hard to type or print. */
  | 'name-control-character'
  | 'not-replicated'
  | 'host-unreachable'
  /** The capture exited lockdown on a host to read it and could not enter it again. */
  | 'lockdown-not-restored'
  /** Taken after the disaster: kept for the record, never the failover's default. */
  | 'degraded-capture'
  /** The site has a vCenter API and it could not be read: placement kept from an earlier capture. */
  | 'vcenter-unreachable'
  /** vCenter does not show this VM: its folder and pool are unknown. */
  | 'no-placement';

/**
 * The parameters of each finding sentence, by sentence: `message` stays English in the stored
 * capture (scripts read it); the terminal renders `detail` through the catalogue
 * (src/i18n/commands.ts) in the operator's language.
 */
export interface FindingParams {
  hostUnreachableKept: { host: string; error: string; capture: string };
  hostUnreachableLost: { host: string; error: string };
  deviceUnreachable: { device: string; error: string };
  deviceUnreachableKept: { device: string; error: string };
  noRelationship: { source: string; destination: string };
  quiesceNotAudited: { reason: string };
  clusterUnreachableQuiesce: { cluster: string };
  noDatastoreMounted: { mirror: string; primary: string };
  vmNotOnMirror: { vm: string; dir: string; snapshot: string };
  noBackupOnMirror: { vm: string; mirror: string };
  noQuiesceAny: { vm: string; examined: number };
  noQuiesceNewest: { vm: string; newest: string; job: string; last: string };
  vmxNameMismatch: { vm: string; path: string };
  duplicateName: { count: number; name: string; where: string };
  /** `vm` is the name as a JSON string literal: its control characters shown as `\n`, `\r`, … */
  nameControlCharacter: { vm: string; host: string; path: string };
  lockdownNotRestored: { host: string; error: string };
  degradedDatastore: { datastore: string; hosts: string };
  degradedFewer: { vms: number; previous: number; capture: string };
  vcenterUnreachable: { url: string; error: string };
  noPlacement: { vm: string; path: string };
}

export type FindingDetail = { [K in keyof FindingParams]: { key: K; params: FindingParams[K] } }[keyof FindingParams];

export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning';
  vm?: string;
  host?: string;
  message: string;
  /** The sentence and its parameters, for a localized rendering (absent in older captures). */
  detail?: FindingDetail;
}

export interface CaptureAudit {
  vms: VmAudit[];
  findings: Finding[];
}

/** Why a capture is degraded: the primary datastore was gone, or far fewer VMs than the last good one. */
export interface CaptureDegraded {
  reason: 'primary-datastore-lost' | 'far-fewer-vms';
}

export interface Capture {
  id: string;
  site: string;
  /** ISO 8601 UTC */
  takenAt: string;
  drbookVersion: string;
  hosts: CapturedHost[];
  vms: CapturedVm[];
  volumes: CapturedVolume[];
  audit: CaptureAudit;
  /** Set when taken after the disaster: never the failover's default, never latest.yaml/csv. */
  degraded?: CaptureDegraded;
  /** Present when the site has a vCenter API. */
  vcenter?: { url: string; reachable: boolean; error?: string };
}
