/**
 * The exact ESXi command lines drbook sends, as pure functions of their arguments. EsxiOps sends
 * these and `drbook plan` prints them, so the printed procedure cannot drift from the run.
 * Every line is built from argv by src/transport/quote.ts.
 */
import { shellAnd, shellLine, shellLineRedirect, shellPipe } from '../../transport/quote.js';

import type { KillType } from '../../transport/intent.js';
import { isTaskKey } from './tasks.js';

export type { KillType };

/**
 * A value the operator reads from an earlier command's output (a new vmid, a snapshot id, a
 * world id), printed in its place in the procedure. Upper-case words only: they pass the shell
 * quoting unchanged, so the printed line is the real line with one word to replace.
 */
export type Placeholder = string & { readonly __placeholder: true };

export function placeholder(name: string): Placeholder {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new TypeError(`a placeholder is an upper-case word, not ${JSON.stringify(name)}`);
  return name as Placeholder;
}

/** A numeric argument (vmid, snapshot id, world id, choice) or a placeholder for one. */
export type NumArg = number | Placeholder;

function num(what: string, v: NumArg): string {
  if (typeof v === 'string') return v;
  if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`bad ${what} ${v}`);
  return String(v);
}

/** The power states (`power.getstate`'s last line, as an extended regex) in which a VM may be
 *  reverted: any but on (trailing blanks allowed, as the parser allows them). */
export const REVERTIBLE_STATES = '(Powered off|Suspended) *';

/** The same as a whole line for grep: anchored, not `grep -x`, which older busybox grep lacks
 *  (its grep.c: "unsupported option -x"); `-E` it has (FEATURE_GREP_EGREP_ALIAS, default y). */
const REVERTIBLE_STATE_LINE = `^${REVERTIBLE_STATES}$`;

export const esxiCommands = {
  getAllVms: (): string => shellLine(['vim-cmd', 'vmsvc/getallvms']),
  /** Register a .vmx under a display name (without one, ESXi takes the .vmx `displayName`). */
  register: (vmxPath: string, name?: string): string =>
    shellLine(['vim-cmd', 'solo/registervm', vmxPath, ...(name === undefined ? [] : [name])]),
  /**
   * registervm, run by the host only when `test -e`, right before it in the same line, finds the
   * .vmx: the guard and the register with no round trip between them. No file: the line ends with
   * test's exit status 1 and no output, and nothing is registered.
   */
  registerIfPresent: (vmxPath: string, name?: string): string =>
    shellAnd(esxiCommands.fileExists(vmxPath), esxiCommands.register(vmxPath, name)),
  unregister: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/unregister', num('vmid', vmid)]),

  powerGetState: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/power.getstate', num('vmid', vmid)]),
  powerOn: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/power.on', num('vmid', vmid)]),
  powerOff: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/power.off', num('vmid', vmid)]),
  /** A clean shutdown by the guest (VMware Tools must run); power.off is the hard one. */
  powerShutdown: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/power.shutdown', num('vmid', vmid)]),

  processList: (): string => shellLine(['esxcli', 'vm', 'process', 'list']),
  kill: (worldId: NumArg, type: KillType): string => {
    if (typeof worldId === 'number' && (!Number.isSafeInteger(worldId) || worldId <= 0)) throw new TypeError(`bad world id ${worldId}`);
    return shellLine(['esxcli', 'vm', 'process', 'kill', `--type=${type}`, `--world-id=${num('world id', worldId)}`]);
  },

  snapshotGet: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/snapshot.get', num('vmid', vmid)]),
  /** With suppressPowerOn the VM stays off whatever power state the snapshot recorded. */
  snapshotRevert: (vmid: NumArg, snapId: NumArg, suppressPowerOn = true): string =>
    shellLine(['vim-cmd', 'vmsvc/snapshot.revert', num('vmid', vmid), num('snapshot id', snapId), suppressPowerOn ? '1' : '0']),
  /**
   * The revert, run by the host only when `power.getstate`, run right before it in the same line,
   * answers that the VM is off or suspended: the guard and the revert with no round trip between
   * them, where a VM someone powers on could slip in. grep prints the state line it matched, so the
   * output starts with it when the revert ran; a VM that was on gets no revert, and the line ends
   * with grep's exit status 1 and no output.
   */
  snapshotRevertUnlessOn: (vmid: NumArg, snapId: NumArg, suppressPowerOn = true): string =>
    shellAnd(
      shellPipe(esxiCommands.powerGetState(vmid), shellLine(['grep', '-E', REVERTIBLE_STATE_LINE])),
      esxiCommands.snapshotRevert(vmid, snapId, suppressPowerOn),
    ),
  snapshotRemove: (vmid: NumArg, snapId: NumArg): string =>
    shellLine(['vim-cmd', 'vmsvc/snapshot.remove', num('vmid', vmid), num('snapshot id', snapId)]),

  /** hostd's recent tasks of the VM (running and lately finished): `vim.Task:KEY` references. */
  taskList: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/get.tasklist', num('vmid', vmid)]),
  /** One task by its full key (a bare number is not found: fixture esxi-task-info-notfound-2). */
  taskInfo: (taskKey: string): string => {
    if (!isTaskKey(taskKey)) throw new TypeError(`bad task key ${JSON.stringify(taskKey)}`);
    return shellLine(['vim-cmd', 'vimsvc/task_info', taskKey]);
  },

  message: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/message', num('vmid', vmid)]),
  /** The question id is printed by `message` (`0`, `_vmx1`…); a placeholder word stands for it in the plan. */
  answer: (vmid: NumArg, questionId: string, choice: NumArg): string =>
    shellLine(['vim-cmd', 'vmsvc/message', num('vmid', vmid), questionId, num('choice', choice)]),
  getGuest: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/get.guest', num('vmid', vmid)]),
  heartbeat: (vmid: NumArg): string => shellLine(['vim-cmd', 'vmsvc/get.guestheartbeatStatus', num('vmid', vmid)]),

  lockdownIsEnabled: (): string => shellLine(['vim-cmd', '-U', 'dcui', 'vimsvc/auth/lockdown_is_enabled']),
  lockdownExit: (): string => shellLine(['vim-cmd', '-U', 'dcui', 'vimsvc/auth/lockdown_mode_exit']),
  lockdownEnter: (): string => shellLine(['vim-cmd', '-U', 'dcui', 'vimsvc/auth/lockdown_mode_enter']),

  nfsList: (): string => shellLine(['esxcli', 'storage', 'nfs', 'list']),
  filesystemList: (): string => shellLine(['esxcli', 'storage', 'filesystem', 'list']),
  nfsAdd: (host: string, share: string, name: string): string =>
    shellLine(['esxcli', 'storage', 'nfs', 'add', '-H', host, '-s', share, '-v', name]),
  nfsRemove: (name: string): string => shellLine(['esxcli', 'storage', 'nfs', 'remove', '-v', name]),
  version: (): string => shellLine(['esxcli', 'system', 'version', 'get']),

  readFile: (path: string): string => shellLine(['cat', path]),
  /**
   * The `key = value` lines of some keys in several .vmx files at once, each line prefixed by its
   * file (`-H`): one command for many VMs where `cat` took one each. Keys are matched as VMware
   * reads them (case-insensitive, spaces around `=`); `.` in a key is literal.
   */
  grepVmxKeys: (paths: readonly string[], keys: readonly string[]): string =>
    shellLine(['grep', '-H', '-i', '-E', '-e', `^[ \t]*(${keys.map((k) => k.replace(/\./g, '\\.')).join('|')})[ \t]*=`, ...paths]),
  listDir: (path: string): string => shellLine(['ls', '-1a', path]),
  fileExists: (path: string): string => shellLine(['test', '-e', path]),
  /** Write through a temporary file and `mv`, so a dropped connection never leaves half a file. */
  writeFile: (path: string, content: string): string => {
    const tmp = `${path}.drbook-tmp`;
    return shellAnd(shellLineRedirect(['printf', '%s', content], '>', tmp), shellLine(['mv', tmp, path]));
  },
} as const;
