/**
 * The lines drbook journals for the vCenter calls that change something, as pure functions of
 * their arguments (managed object ids, `group-v3`, `vm-42`, or a placeholder word for one).
 * VcenterClient journals these and `drbook plan` prints them, so the printed procedure names the
 * very calls a run makes. They are descriptions of SOAP calls, never sent to a shell.
 */
export const vcenterCalls = {
  registerVm: (a: { path: string; name: string; folder: string; pool: string; host: string }): string =>
    `RegisterVM_Task path=${JSON.stringify(a.path)} name=${JSON.stringify(a.name)} folder=${a.folder} pool=${a.pool} host=${a.host}`,
  moveIntoFolder: (folder: string, vms: readonly string[]): string => `MoveIntoFolder_Task folder=${folder} vms=${vms.join(',')}`,
  moveIntoResourcePool: (pool: string, vms: readonly string[]): string => `MoveIntoResourcePool pool=${pool} vms=${vms.join(',')}`,
  createFolder: (parent: string, name: string): string => `CreateFolder parent=${parent} name=${JSON.stringify(name)}`,
  destroyFolder: (folder: string): string => `Destroy_Task folder=${folder}`,
  unregisterVm: (vm: string): string => `UnregisterVM vm=${vm}`,
} as const;
