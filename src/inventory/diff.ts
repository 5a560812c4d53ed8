import type { Capture, CapturedVm } from './types.js';

/**
 * What changed between two captures. VMs are matched by uuid.bios ("I moved it" keeps it), so a
 * renamed VM is a rename, not a removal plus an addition; VMs without a uuid are matched by name.
 */

export interface VmMove {
  vm: CapturedVm;
  from: { host: string; vmxPath: string };
  to: { host: string; vmxPath: string };
}

export interface VmRename {
  from: string;
  to: string;
  vm: CapturedVm;
}

/** A VM whose vCenter folder or resource pool changed (both captures read vCenter). */
export interface VmPlacementMove {
  vm: CapturedVm;
  from: { folder: string; resourcePool: string };
  to: { folder: string; resourcePool: string };
}

export interface CaptureDiff {
  from: string;
  to: string;
  added: CapturedVm[];
  removed: CapturedVm[];
  renamed: VmRename[];
  moved: VmMove[];
  placementMoved: VmPlacementMove[];
}

export function diffCaptures(a: Capture, b: Capture): CaptureDiff {
  const unmatched = new Set(b.vms.map((_, i) => i));
  const pairs: Array<[CapturedVm, CapturedVm]> = [];
  const removed: CapturedVm[] = [];

  const take = (pred: (vm: CapturedVm) => boolean): CapturedVm | undefined => {
    for (const i of unmatched) {
      const vm = b.vms[i] as CapturedVm;
      if (pred(vm)) {
        unmatched.delete(i);
        return vm;
      }
    }
    return undefined;
  };

  // Exact matches first so that VMs sharing a uuid (clones answered "I moved it") pair up with
  // their own record before anything fuzzier is tried.
  const rest: CapturedVm[] = [];
  for (const old of a.vms) {
    const same = take((vm) => vm.uuidBios === old.uuidBios && vm.name === old.name && vm.host === old.host && vm.vmxPath === old.vmxPath);
    if (same) pairs.push([old, same]);
    else rest.push(old);
  }
  for (const old of rest) {
    const match = old.uuidBios
      ? (take((vm) => vm.uuidBios === old.uuidBios && vm.name === old.name) ??
        take((vm) => vm.uuidBios === old.uuidBios && vm.vmxPath === old.vmxPath) ??
        take((vm) => vm.uuidBios === old.uuidBios))
      : take((vm) => !vm.uuidBios && vm.name === old.name);
    if (match) pairs.push([old, match]);
    else removed.push(old);
  }

  const renamed: VmRename[] = [];
  const moved: VmMove[] = [];
  const placementMoved: VmPlacementMove[] = [];
  for (const [old, now] of pairs) {
    const a0 = old.placement;
    const b0 = now.placement;
    if (a0 && b0 && (a0.folder !== b0.folder || a0.resourcePool !== b0.resourcePool)) {
      placementMoved.push({
        vm: now,
        from: { folder: a0.folder, resourcePool: a0.resourcePool },
        to: { folder: b0.folder, resourcePool: b0.resourcePool },
      });
    }
    if (old.name !== now.name) renamed.push({ from: old.name, to: now.name, vm: now });
    if (old.host !== now.host || old.vmxPath !== now.vmxPath) {
      moved.push({ vm: now, from: { host: old.host, vmxPath: old.vmxPath }, to: { host: now.host, vmxPath: now.vmxPath } });
    }
  }
  const added = [...unmatched].sort((x, y) => x - y).map((i) => b.vms[i] as CapturedVm);
  return { from: a.id, to: b.id, added, removed, renamed, moved, placementMoved };
}

export function isEmptyDiff(d: CaptureDiff): boolean {
  return d.added.length + d.removed.length + d.renamed.length + d.moved.length + d.placementMoved.length === 0;
}
