/**
 * `drbook parse KIND [FILE]`: read one device output (FILE, `-` or stdin) with the parser drbook
 * itself uses and print what it read as JSON. Operators check their own devices' output with it;
 * scripts rely on the shapes (issue 4), so keys only ever get added.
 *
 * The parsers are imported only when the command runs, so registering it costs nothing.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXIT, OperatorError, ParseError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';

export interface ParseKind {
  kind: string;
  /** The device command (or file) whose output this kind reads, and what it means. */
  description: string;
  /** The JSON printed, in short (README, "drbook parse"). */
  shape: string;
}

/**
 * The kinds, in the order `drbook parse --list` prints them: one for every device output the
 * runbooks, capture, check and status read. Each maps to the parser the runbook itself calls.
 */
export const PARSE_KINDS: readonly ParseKind[] = [
  {
    kind: 'esxi-getallvms',
    description: 'vim-cmd vmsvc/getallvms: registered VMs (vmid, name, datastore, .vmx path, guest OS, version, annotation)',
    shape: '{ vms: [{ vmid, name, nameRaw, datastore, path, file, guestOs, version, annotation }], skipped: [vmid] }',
  },
  {
    kind: 'esxi-registervm',
    description: 'vim-cmd solo/registervm PATH [NAME]: the new vmid, or null when the host prints nothing',
    shape: '{ vmid }',
  },
  {
    kind: 'esxi-snapshot-get',
    description: 'vim-cmd vmsvc/snapshot.get VMID (also snapshot.revert/remove output): the snapshot tree',
    shape: '{ title, snapshots: [{ name, id, description, createdOn, createdAt, state, children: […] }] }',
  },
  { kind: 'esxi-power-getstate', description: 'vim-cmd vmsvc/power.getstate VMID: on, off or suspended', shape: '{ state }' },
  {
    kind: 'esxi-power-on-off',
    description: "vim-cmd vmsvc/power.on|power.off VMID: whether it failed, with the device's words",
    shape: '{ failed, message, fault }',
  },
  {
    kind: 'esxi-message',
    description: 'vim-cmd vmsvc/message VMID: the pending questions ("moved or copied") and their choices',
    shape: '{ questions: [{ id, messageKey, text, choices: [{ key, label, labelId, raw, isDefault }], footer }] }',
  },
  {
    kind: 'esxi-heartbeat',
    description: 'vim-cmd vmsvc/get.guestheartbeatStatus VMID: green, yellow, red or gray',
    shape: '{ heartbeat }',
  },
  {
    kind: 'esxi-guest',
    description: 'vim-cmd vmsvc/get.guest VMID: VMware Tools and guest state',
    shape: '{ toolsRunningStatus, toolsStatus, guestState, heartbeat?, ipAddress?, hostName? }',
  },
  {
    kind: 'esxi-tasklist',
    description: "vim-cmd vmsvc/get.tasklist VMID: the keys of the VM's recent tasks (running and lately finished)",
    shape: '{ tasks: [key] }',
  },
  {
    kind: 'esxi-task-info',
    description: 'vim-cmd vimsvc/task_info KEY: what a task does, its state and times (a resume reads a revert it never heard back from)',
    shape: '{ key, name, descriptionId, state, error, queueTime, startTime, completeTime }',
  },
  {
    kind: 'esxi-process-list',
    description: 'esxcli vm process list: running VM processes with world ids',
    shape: '{ processes: [{ title, worldId, processId, vmxCartelId, uuid, displayName, configFile }] }',
  },
  { kind: 'esxi-lockdown', description: 'vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled: true or false', shape: '{ enabled }' },
  {
    kind: 'esxi-nfs-list',
    description: 'esxcli storage nfs list: NFS datastores and whether they are accessible, mounted, read-only',
    shape: '{ mounts: [{ volumeName, host, share, accessible, mounted, readOnly, isPE, hardwareAcceleration }] }',
  },
  {
    kind: 'esxi-filesystem-list',
    description: 'esxcli storage filesystem list: which /vmfs/volumes/<uuid> is which datastore',
    shape: '{ filesystems: [{ mountPoint, volumeName, uuid, mounted, type, size, free }] }',
  },
  {
    kind: 'esxi-version',
    description: 'esxcli system version get: product, version, build',
    shape: '{ product, version, build, update?, patch?, … }',
  },
  {
    kind: 'esxi-vmx',
    description: 'cat VM.vmx: every line, key = value pairs and the others as they are',
    shape: '{ lines: [{ kind: "pair", key, value, raw } | { kind: "other", raw }] }',
  },
  {
    kind: 'esxi-vmsd',
    description: "cat VM.vmsd: the VMware snapshots a .vmsd records (the capture's backup audit)",
    shape: '{ numSnapshots, current, snapshots: [{ index, uid, displayName, description, filename, createdAt, disks }], unread: [line] }',
  },
  {
    kind: 'esxi-fault',
    description:
      'a vim-cmd fault dump "(vim.fault.X) { … }": what unregister, kill, lockdown_mode_enter/exit, storage nfs add/remove or a message answer print when they fail (success is silent)',
    shape: '{ fault, message, fields }',
  },
  {
    kind: 'ontap-snapmirror-show',
    description: 'snapmirror show (default table, -fields or -instance): the relationships',
    shape:
      '{ relationships: [{ source, destination, type, state, status, healthy, totalProgress, lastUpdated, lagTime?, newestSnapshot?, newestSnapshotTimestamp?, line, fields }] }',
  },
  {
    kind: 'ontap-snapshot-show',
    description: 'volume snapshot show (default table or -fields create-time): the snapshots',
    shape: '{ snapshots: [{ vserver, volume, name, size?, state?, createTime?, createTimeText?, line, fields }] }',
  },
  {
    kind: 'ontap-volume-show',
    description: 'volume show (-fields state,type,junction-path or another layout): state, type and junction path',
    shape: '{ volumes: [{ vserver, volume, state, type, junctionPath, line, fields }] }',
  },
  {
    kind: 'ontap-volume-clone-show',
    description: 'volume clone show (default table or -fields parent-volume,parent-snapshot): what each FlexClone was made from',
    shape: '{ clones: [{ vserver, flexclone, parentVserver, parentVolume, parentSnapshot, state?, type?, line, fields }] }',
  },
  {
    kind: 'ontap-message',
    description:
      'snapmirror quiesce|break|update|resync, volume snapshot create|delete|restore|restore-file, volume clone create, volume mount|unmount|offline|delete: errors, warnings, prompts, [Job N] lines, empty-result sentences',
    shape: '{ kind, text, job?, errors, warnings, notices, successes, prompts: [{ question, answer }], progress, other }',
  },
  {
    kind: 'vcenter-soap',
    description:
      'a vSphere API (vim25) SOAP response body: RetrieveServiceContent, Login, CreateContainerView, RetrievePropertiesEx (the inventory, task info), or a fault',
    shape: '{ fault: { type, message } } | { response, objects: [{ obj: { type, value }, props }], token } | { response, returnval }',
  },
  {
    kind: 'hyperv-vms',
    description: 'Get-VM | Select-Object … | ConvertTo-Json (PowerShell 5.1 or 7): VMs with ID, state, node, paths, heartbeat',
    shape:
      '[{ name, id, state, node, isClustered, generation, path, configurationLocation, snapshotFileLocation, smartPagingFilePath, hardDrives, heartbeat }]',
  },
  {
    kind: 'hyperv-cluster-groups',
    description: 'Get-ClusterGroup … | ConvertTo-Json: roles, state, owner, priority, preferred owners',
    shape: '[{ name, state, isVmRole, priority, ownerNode, preferredOwners }]',
  },
  {
    kind: 'hyperv-cluster-resources',
    description: 'Get-ClusterResource … | ConvertTo-Json: resources, type, group, VM ID',
    shape: '[{ name, state, type, ownerGroup, ownerNode, vmId }]',
  },
  {
    kind: 'hyperv-csv',
    description: 'Get-ClusterSharedVolume … | ConvertTo-Json: CSVs, C:\\ClusterStorage paths, redirected access',
    shape: '[{ name, state, ownerNode, path, redirectedAccess, maintenanceMode }]',
  },
  { kind: 'hyperv-cluster-nodes', description: 'Get-ClusterNode … | ConvertTo-Json: nodes and state', shape: '[{ name, state }]' },
  {
    kind: 'hyperv-be-job-history',
    description: 'Get-BEJobHistory … | ConvertTo-Json (Backup Exec): runs, outcome, times',
    shape: '[{ job, outcome, status, start, end, errorCode, errorMessage }]',
  },
  {
    kind: 'hyperv-compare-vm',
    description: '(Compare-VM …).Incompatibilities | ConvertTo-Json: why Import-VM refuses',
    shape: '[{ message, messageId }]',
  },
  {
    kind: 'hyperv-error',
    description: 'a PowerShell error record (stderr): the message and FullyQualifiedErrorId',
    shape: '{ message, errorId }',
  },
];

type Parser = (text: string) => unknown;

async function parserFor(kind: string): Promise<Parser> {
  if (kind.startsWith('ontap-')) {
    const ontap = await import('../adapters/ontap/parsers.js');
    switch (kind) {
      case 'ontap-snapmirror-show':
        return (t) => ontap.parseSnapmirrorShow(t);
      case 'ontap-snapshot-show':
        return (t) => ontap.parseSnapshotShow(t);
      case 'ontap-volume-show':
        return (t) => ontap.parseVolumeShow(t);
      case 'ontap-volume-clone-show':
        return (t) => ontap.parseVolumeCloneShow(t);
      case 'ontap-message':
        return (t) => ontap.parseOntapMessage(t);
    }
  }
  if (kind === 'vcenter-soap') {
    const { readSoapResponse } = await import('../adapters/vcenter/soap.js');
    return (t) => {
      try {
        return readSoapResponse(t);
      } catch (err) {
        throw new ParseError('vcenter-soap', null, (err as Error).message);
      }
    };
  }
  if (kind === 'esxi-vmsd') {
    const { parseVmsd } = await import('../inventory/vmsd.js');
    return (t) => parseVmsd(t);
  }
  if (kind.startsWith('hyperv-')) {
    const hv = await import('../adapters/hyperv/parsers.js');
    const byKind: Record<string, Parser> = {
      'hyperv-vms': hv.parseVms,
      'hyperv-cluster-groups': hv.parseClusterGroups,
      'hyperv-cluster-resources': hv.parseClusterResources,
      'hyperv-csv': hv.parseSharedVolumes,
      'hyperv-cluster-nodes': hv.parseClusterNodes,
      'hyperv-be-job-history': hv.parseJobHistory,
      'hyperv-compare-vm': hv.parseIncompatibilities,
      'hyperv-error': (t) => {
        const e = hv.parsePsError(t);
        if (e === null) throw new ParseError('hyperv-error', null, 'no error record in the text');
        return e;
      },
    };
    const p = byKind[kind];
    if (p) return p;
  }
  if (kind === 'esxi-tasklist' || kind === 'esxi-task-info') {
    const tasks = await import('../adapters/esxi/tasks.js');
    return kind === 'esxi-tasklist' ? (t) => ({ tasks: tasks.parseTaskList(t) }) : (t) => tasks.parseTaskInfo(t);
  }
  const esxi = await import('../adapters/esxi/parsers.js');
  switch (kind) {
    case 'esxi-getallvms':
      return (t) => esxi.parseGetAllVms(t);
    case 'esxi-registervm':
      return (t) => esxi.parseRegisterVm(t);
    case 'esxi-snapshot-get':
      return (t) => esxi.parseSnapshotTree(t);
    case 'esxi-power-getstate':
      return (t) => esxi.parsePowerState(t);
    case 'esxi-power-on-off':
      return (t) => {
        const failure = esxi.powerChangeFailure(t);
        return { failed: failure !== null, message: failure?.message ?? null, fault: failure?.fault ?? null };
      };
    case 'esxi-message':
      return (t) => ({ questions: esxi.parsePendingQuestions(t) });
    case 'esxi-heartbeat':
      return (t) => esxi.parseHeartbeat(t);
    case 'esxi-guest':
      return (t) => esxi.parseGuestInfo(t);
    case 'esxi-process-list':
      return (t) => esxi.parseProcessList(t);
    case 'esxi-lockdown':
      return (t) => esxi.parseLockdown(t);
    case 'esxi-nfs-list':
      return (t) => esxi.parseNfsList(t);
    case 'esxi-filesystem-list':
      return (t) => esxi.parseFilesystemList(t);
    case 'esxi-version':
      return (t) => esxi.parseVersion(t);
    case 'esxi-vmx':
      return (t) => ({ lines: esxi.parseVmx(t) });
    case 'esxi-fault':
      return (t) => {
        const fault = esxi.parseVimFault(t);
        if (fault === null) throw new ParseError('esxi-fault', null, 'no "(vim.fault.X) {" block in the text');
        return fault;
      };
  }
  throw unknownKind(kind);
}

function unknownKind(kind: string): OperatorError {
  return new OperatorError(
    `unknown kind ${JSON.stringify(kind)}`,
    `use one of: ${PARSE_KINDS.map((k) => k.kind).join(', ')} (drbook parse --list describes them)`,
  );
}

/** The kinds and what they read; descriptions wrap under themselves so no line passes `columns`. */
function listKinds(indent = 0, columns = Infinity): string {
  const width = Math.max(...PARSE_KINDS.map((k) => k.kind.length));
  const room = Math.max(20, columns - indent - width - 2);
  return PARSE_KINDS.map((k) => {
    const lines: string[] = [];
    for (const word of k.description.split(' ')) {
      const last = lines[lines.length - 1];
      if (last !== undefined && last.length + 1 + word.length <= room) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines.map((l, i) => `${' '.repeat(indent)}${(i === 0 ? k.kind : '').padEnd(width)}  ${l}`).join('\n');
  }).join('\n');
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export interface ParseArgs {
  kind?: string | undefined;
  file?: string | undefined;
  list?: boolean | undefined;
}

export async function runParse(ctx: CommandContext, args: ParseArgs): Promise<ExitCode> {
  if (args.list || args.kind === 'list') {
    ctx.stdout.write(`${listKinds()}\n`);
    return EXIT.ok;
  }
  const kind = args.kind;
  if (kind === undefined) throw new OperatorError('drbook parse needs a KIND', 'drbook parse --list shows the kinds');
  if (!PARSE_KINDS.some((k) => k.kind === kind)) throw unknownKind(kind);
  const parse = await parserFor(kind);

  let text: string;
  if (args.file !== undefined && args.file !== '-') {
    try {
      text = await readFile(args.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new OperatorError(`cannot read ${args.file} (${code})`, 'give the path of a file holding the device output, or pipe it in');
    }
  } else {
    if (ctx.stdin.isTTY) {
      throw new OperatorError('drbook parse reads the device output from FILE or stdin', `pipe it in: … | drbook parse ${kind}`);
    }
    text = await readStdin(ctx.stdin);
  }
  const result = parse(text);
  ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return EXIT.ok;
}

export function registerParse(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('parse')
    .description('read a device output (FILE or stdin) the way drbook does and print it as JSON')
    .argument('[kind]', 'what the output is (drbook parse --list)')
    .argument('[file]', 'file holding the output; stdin when absent or -')
    .option('--list', 'list the kinds with a description')
    .addHelpText(
      'after',
      `\nKinds:\n${listKinds(2, 80)}\n\nExit: 0 JSON on stdout; 2 the text is not of that kind (one line on stderr\nnames the line).`,
    )
    .action((kind: string | undefined, file: string | undefined, opts: { list?: boolean }) => {
      setRunner((ctx) => runParse(ctx, { kind, file, list: opts.list }));
    });
}
