/** ESXi output layouts, copied from the real samples in shared/fixtures. */

export interface FaultField {
  key: string;
  value: string; // already rendered (quoted string, <unset>, number…)
}

/** The newer (ESXi 6.5+) fault dump: 3-space indent, faultMessage = <unset>, no comma on msg. */
export function faultBlock(type: string, msg: string, extra: FaultField[] = []): string {
  const lines = [`(${type}) {`, '   faultCause = (vmodl.MethodFault) null,', '   faultMessage = <unset>'];
  for (const f of extra) lines.push(`   ${f.key} = ${f.value},`);
  lines.push(`   msg = "${msg}"`, '}');
  return `${lines.join('\n')}\n`;
}

export const faults = {
  notFoundVm: (id: string): string => faultBlock('vim.fault.NotFound', `Unable to find a VM corresponding to "${id}"`),
  notFound: (): string => faultBlock('vim.fault.NotFound', 'The object or item referred to could not be found.'),
  alreadyExists: (name: string): string =>
    faultBlock('vim.fault.AlreadyExists', `The specified key, name, or identifier '${name}' already exists.`, [
      { key: 'name', value: `"${name}"` },
    ]),
  invalidPowerState: (requested: string, existing: 'poweredOn' | 'poweredOff'): string =>
    faultBlock(
      'vim.fault.InvalidPowerState',
      `The attempted operation cannot be performed in the current state (${existing === 'poweredOn' ? 'Powered on' : 'Powered off'}).`,
      [
        { key: 'requestedState', value: `"${requested}"` },
        { key: 'existingState', value: `"${existing}"` },
      ],
    ),
  noPermission: (privilege: string): string =>
    faultBlock('vim.fault.NoPermission', 'Permission to perform this operation was denied.', [
      { key: 'object', value: "'vim.Folder:ha-folder-root'" },
      { key: 'privilegeId', value: `"${privilege}"` },
    ]),
  invalidState: (): string => faultBlock('vim.fault.InvalidState', 'The operation is not allowed in the current state.'),
  fileNotFound: (file: string): string =>
    faultBlock('vim.fault.FileNotFound', `File ${file} was not found`, [{ key: 'file', value: `"${file}"` }]),
  genericConfig: (msg: string): string => faultBlock('vim.fault.GenericVmConfigFault', msg, [{ key: 'reason', value: `"${msg}"` }]),
  systemError: (reason: string): string =>
    faultBlock('vmodl.fault.SystemError', `A general system error occurred: ${reason}`, [{ key: 'reason', value: `"${reason}"` }]),
  invalidArgument: (arg: string): string =>
    faultBlock('vmodl.fault.InvalidArgument', `A specified parameter was not correct: ${arg}`, [
      { key: 'invalidProperty', value: `"${arg}"` },
    ]),
  /** fixtures esxi-task-info-notfound-*: a key hostd does not (or no longer) know. */
  taskNotFound: (key: string): string =>
    faultBlock('vmodl.fault.ManagedObjectNotFound', 'The object has already been deleted or has not been completely created', [
      { key: 'obj', value: `'vim.Task:${key}'` },
    ]),
};

/** fixtures esxi-get-tasklist-*: the VM's recent task references, oldest first. */
export function formatTaskList(keys: string[]): string {
  if (keys.length === 0) return '(ManagedObjectReference) []\n';
  return `(ManagedObjectReference) [\n${keys.map((k) => `   'vim.Task:${k}'`).join(',\n')}\n]\n`;
}

/** Host time as vim-cmd prints it: microseconds, Z. */
function vimTime(ms: number | null): string {
  return ms === null ? '<unset>' : `"${new Date(ms).toISOString().replace(/Z$/, '000Z')}"`;
}

/** fixture esxi-task-info-error-1's layout (older dump: dynamicType and a comma on every field). */
export function formatTaskInfo(
  t: {
    key: string;
    name: string;
    descriptionId: string;
    state: string;
    error: string | null;
    queueTime: number;
    startTime: number;
    completeTime: number | null;
  },
  entityName: string,
): string {
  const vmid = /^haTask-(\d+)-/.exec(t.key)?.[1] ?? '0';
  const error =
    t.error === null
      ? ['  error = (vmodl.MethodFault) null,']
      : [
          '  error = (vmodl.fault.SystemError) {',
          '     dynamicType = <unset>,',
          '     faultCause = (vmodl.MethodFault) null,',
          `     msg = "${t.error}",`,
          '  },',
        ];
  return [
    '(vim.TaskInfo) {',
    '  dynamicType = <unset>,',
    `  key = "${t.key}",`,
    `  task = 'vim.Task:${t.key}',`,
    '  description = (vmodl.LocalizableMessage) null,',
    `  name = "${t.name}",`,
    `  descriptionId = "${t.descriptionId}",`,
    `  entity = 'vim.VirtualMachine:${vmid}',`,
    `  entityName = "${entityName}",`,
    `  state = "${t.state}",`,
    '  cancelled = false,',
    '  cancelable = false,',
    ...error,
    '  result = <unset>,',
    `  progress = ${t.state === 'running' ? 50 : 100},`,
    '  reason = (vim.TaskReasonUser) {',
    '     dynamicType = <unset>,',
    '     userName = "root",',
    '  },',
    `  queueTime = ${vimTime(t.queueTime)},`,
    `  startTime = ${vimTime(t.startTime)},`,
    `  completeTime = ${vimTime(t.completeTime)},`,
    `  eventChainId = ${/-(\d+)$/.exec(t.key)?.[1] ?? '0'},`,
    '  changeTag = <unset>,',
    '  parentTaskKey = <unset>,',
    '  rootTaskKey = <unset>,',
    '}',
    '',
  ].join('\n');
}

export interface GetAllVmsRow {
  vmid: number;
  name: string;
  file: string;
  guest: string;
  version: string;
  annotation: string;
}

/**
 * Each column is as wide as max(header, longest value) + 3; the last (Annotation) is padded to
 * max(header, longest) with no gap. Rows come in lexical vmid order.
 */
export function formatGetAllVms(rows: GetAllVmsRow[]): string {
  const header = ['Vmid', 'Name', 'File', 'Guest OS', 'Version', 'Annotation'];
  const cells = [...rows]
    .sort((a, b) => (String(a.vmid) < String(b.vmid) ? -1 : String(a.vmid) > String(b.vmid) ? 1 : 0))
    .map((r) => [String(r.vmid), r.name, r.file, r.guest, r.version, r.annotation]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]!].length)));
  const line = (c: string[]): string => c.map((v, i) => v + ' '.repeat(widths[i]! - [...v].length + (i < c.length - 1 ? 3 : 0))).join('');
  if (cells.length === 0) return `${header.join('   ')}\n`;
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}

export interface TreeSnapshot {
  name: string;
  id: number;
  description: string;
  created: number;
  state: string;
}

export function esxiTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours()}:${d.getUTCMinutes()}:${d.getUTCSeconds()}`;
}

/** A linear chain printed as the nested tree vim-cmd prints (`|-ROOT`, `--|-CHILD`, `----…`). */
export function formatSnapshotTree(title: string, chain: TreeSnapshot[]): string {
  const out = [title];
  chain.forEach((s, i) => {
    const d = '--'.repeat(i + 1);
    out.push(i === 0 ? '|-ROOT' : `${'--'.repeat(i)}|-CHILD`);
    out.push(`${d}Snapshot Name        : ${s.name}`);
    out.push(`${d}Snapshot Id        : ${s.id}`);
    out.push(`${d}Snapshot Desciption  : ${s.description}`);
    out.push(`${d}Snapshot Created On  : ${esxiTime(s.created)}`);
    out.push(`${d}Snapshot State       : ${s.state}`);
  });
  return `${out.join('\n')}\n`;
}

export interface NfsRow {
  name: string;
  host: string;
  share: string;
  accessible: boolean;
  mounted: boolean;
  readOnly: boolean;
}

/** ESXi 7/8 layout: 2-space gaps, the dash line gives widths, booleans right-aligned. */
/** esxcli's dash-line table: 2-space gaps, right-aligned columns where `right` says so. */
function formatDashTable(header: string[], right: boolean[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: string[]): string =>
    c.map((v, i) => (right[i] ? v.padStart(widths[i]!) : i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n') + '\n';
}

export function formatNfsList(rows: NfsRow[]): string {
  const header = ['Volume Name', 'Host', 'Share', 'Accessible', 'Mounted', 'Read-Only', 'isPE', 'Hardware Acceleration'];
  const right = [false, false, false, true, true, true, true, false];
  return formatDashTable(
    header,
    right,
    rows.map((r) => [r.name, r.host, r.share, String(r.accessible), String(r.mounted), String(r.readOnly), 'false', 'Not Supported']),
  );
}

export interface FilesystemRow {
  name: string;
  uuid: string;
  mounted: boolean;
  /** `NFS` unless given: the lab's datastores are NFS. */
  type?: string;
  /** Bytes; 1 TiB (half free) unless given, 0 when not mounted. */
  size?: number;
  free?: number;
}

/**
 * `esxcli storage filesystem list`, in the layout of the real samples (esxi-storage-filesystem-list-*):
 * widths from the data, Mounted/Size/Free right-aligned, header labels aligned like their values.
 */
export function formatFilesystemList(rows: FilesystemRow[]): string {
  const header = ['Mount Point', 'Volume Name', 'UUID', 'Mounted', 'Type', 'Size', 'Free'];
  const right = [false, false, false, true, false, true, true];
  const tib = 1099511627776;
  return formatDashTable(
    header,
    right,
    rows.map((r) => {
      const size = r.size ?? (r.mounted ? tib : 0);
      const free = r.free ?? (r.mounted ? tib / 2 : 0);
      return [`/vmfs/volumes/${r.uuid}`, r.name, r.uuid, String(r.mounted), r.type ?? 'NFS', String(size), String(free)];
    }),
  );
}

export interface ProcessRow {
  title: string;
  worldId: number;
  cartelId: number;
  uuid: string;
  displayName: string;
  configFile: string;
}

export function formatProcessList(rows: ProcessRow[]): string {
  return rows
    .map(
      (r) =>
        [
          r.title,
          `   World ID: ${r.worldId}`,
          '   Process ID: 0',
          `   VMX Cartel ID: ${r.cartelId}`,
          `   UUID: ${r.uuid}`,
          `   Display Name: ${r.displayName}`,
          `   Config File: ${r.configFile}`,
        ].join('\n') + '\n',
    )
    .join('\n');
}

export function formatVersion(v: { version: string; build: string; update: string }): string {
  return (
    ['   Product: VMware ESXi', `   Version: ${v.version}`, `   Build: ${v.build}`, `   Update: ${v.update}`, '   Patch: 0'].join('\n') +
    '\n'
  );
}

export function formatGuestInfo(g: { running: boolean; toolsOk: boolean; hostName: string; guestId: string; ip: string | null }): string {
  const tools = g.running && g.toolsOk;
  return (
    [
      'Guest information:',
      '',
      '(vim.vm.GuestInfo) {',
      `   toolsStatus = "${tools ? 'toolsOk' : 'toolsNotRunning'}",`,
      '   toolsVersionStatus = "guestToolsCurrent",',
      '   toolsVersionStatus2 = "guestToolsCurrent",',
      `   toolsRunningStatus = "${tools ? 'guestToolsRunning' : 'guestToolsNotRunning'}",`,
      '   toolsVersion = "12389",',
      '   toolsInstallType = "guestToolsTypeOpenVMTools",',
      `   guestId = ${tools ? `"${g.guestId}"` : '<unset>'},`,
      '   guestFamily = <unset>,',
      '   guestFullName = <unset>,',
      `   hostName = ${tools ? `"${g.hostName}"` : '<unset>'},`,
      `   ipAddress = ${tools && g.ip ? `"${g.ip}"` : '<unset>'},`,
      '   net = (vim.vm.GuestInfo.NicInfo) [',
      '   ],',
      `   guestState = "${tools ? 'running' : 'notRunning'}",`,
      '   appHeartbeatStatus = "appStatusGray",',
      `   guestKernelCrashed = false,`,
      `   appState = "none",`,
      `   guestOperationsReady = ${tools},`,
      `   interactiveGuestOperationsReady = false,`,
      `   guestStateChangeSupported = ${tools},`,
      '   generationInfo = (vim.vm.GuestInfo.NamespaceGenerationInfo) [',
      '   ],',
      '   hwVersion = "vmx-19",',
      '   customizationInfo = (vim.vm.GuestInfo.CustomizationInfo) null',
      '}',
    ].join('\n') + '\n'
  );
}

/**
 * `vim-cmd vmsvc/message VMID`: the pending "moved or copied" question, in the layout of the one
 * real transcript (esxi-vmsvc-message-1.txt, ESXi 5.0); no newer host's output was found.
 */
export function formatUuidQuestion(id: string): string {
  return (
    [
      `Virtual machine message ${id}:`,
      'msg.uuid.altered:This virtual machine may have been moved or copied.',
      '',
      'In order to configure certain management and networking features VMware ESX needs to know which.',
      '',
      'Did you move this virtual machine, or did you copy it?',
      'If you don\'t know, answer "I copied it".',
      '0. Cancel (Cancel)',
      '1. I _moved it (I _moved it)',
      '2. I _copied it (I _copied it) [default]',
    ].join('\n') + '\n'
  );
}
