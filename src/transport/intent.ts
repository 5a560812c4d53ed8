/**
 * What a mutating command does, as data: journaled next to its command line (design §4), so that a
 * resume, the screens and the report read what was sent from these fields, never from the line's
 * text (whose spacing or quoting may change between versions). Read-only commands carry none.
 * The adapters' operations attach them where they build each command.
 */

export type KillType = 'soft' | 'hard' | 'force';

/** The vCenter calls that change something. */
export const VCENTER_METHODS = [
  'RegisterVM_Task',
  'MoveIntoFolder_Task',
  'MoveIntoResourcePool',
  'CreateFolder',
  'Destroy_Task',
  'UnregisterVM',
] as const;
export type VcenterMethod = (typeof VCENTER_METHODS)[number];

/** `vserver:volume`, as the site file and ONTAP's `-destination-path` write it. */
export type VolumePath = string;

export type CommandIntent =
  // ESXi
  | { op: 'register'; vmxPath: string; name?: string | undefined }
  | { op: 'unregister'; vmid: number }
  | { op: 'power-on'; vmid: number }
  | { op: 'power-off'; vmid: number }
  | { op: 'guest-shutdown'; vmid: number }
  /** `vmid`: the VM whose process the world is, when the caller knows it (it limits what the kill makes stale). */
  | { op: 'kill'; worldId: number; type: KillType; vmid?: number | undefined }
  | { op: 'snapshot-revert'; vmid: number; snapshotId: number }
  | { op: 'snapshot-remove'; vmid: number; snapshotId: number }
  | { op: 'answer-question'; vmid: number; questionId: string; choice: number }
  | { op: 'lockdown-exit' }
  | { op: 'lockdown-enter' }
  | { op: 'nfs-add'; name: string; nfsHost: string; share: string }
  | { op: 'nfs-remove'; name: string }
  | { op: 'write-file'; path: string }
  // ONTAP
  | {
      op:
        | 'snapmirror-quiesce'
        | 'snapmirror-break'
        | 'snapmirror-update'
        | 'snapmirror-resync'
        | 'snapmirror-initialize'
        | 'snapmirror-delete'
        | 'snapmirror-release';
      destination: VolumePath;
    }
  | { op: 'snapmirror-create'; source: VolumePath; destination: VolumePath }
  | { op: 'volume-rename'; volume: VolumePath; newName: string }
  | { op: 'volume-create-dp'; volume: VolumePath; aggregate: string; size: string }
  | { op: 'snapshot-create' | 'snapshot-delete'; volume: VolumePath; snapshot: string }
  | { op: 'restore'; volume: VolumePath; snapshot: string }
  | { op: 'restore-file'; volume: VolumePath; snapshot: string; path: string; restorePath?: string | undefined }
  | { op: 'clone-create'; clone: VolumePath; parent: VolumePath; snapshot: string; junctionPath: string }
  | { op: 'volume-mount'; volume: VolumePath; junctionPath: string }
  | { op: 'volume-unmount' | 'volume-offline' | 'volume-delete'; volume: VolumePath }
  // vCenter (the SOAP method the call made; its arguments are in the journaled line)
  | { op: 'vcenter-call'; method: VcenterMethod }
  // Hyper-V
  | { op: 'hv-import'; configFile: string }
  | { op: 'hv-remove-vm' | 'hv-start-vm'; vmId: string }
  | { op: 'hv-add-role'; vmId: string; name: string }
  | { op: 'hv-remove-group' | 'hv-start-group'; group: string }
  | { op: 'hv-preferred-owners'; group: string; nodes: string[] }
  | { op: 'hv-priority'; group: string; priority: number };

export type CommandOp = CommandIntent['op'];
