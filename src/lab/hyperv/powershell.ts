/**
 * The lab's PowerShell endpoint: it answers exactly the scripts drbook sends (built by
 * src/adapters/hyperv/commands.ts), reading their single-quoted values by PowerShell's own rules,
 * and prints what Windows PowerShell 5.1 or PowerShell 7 prints for them: `ConvertTo-Json
 * -Compress` JSON (5.1: enums as numbers, `\/Date(ms)\/`, `{"value":[…],"Count":n}` arrays,
 * `'<>&` as \u escapes, CRLF; 7: ISO dates), nothing for an empty pipeline, one object for one
 * result, and error records on stderr. Anything else is "not recognized", like a typo would be.
 */
import { hypervCommands as cmd } from '../../adapters/hyperv/commands.js';
import { readPsSingleQuoted } from '../../transport/quote.js';
import { CSV_VSS_ERROR, hvFileKey, type HvLabState, type HvLabVm } from './model.js';

export type PsFlavour = '5.1' | '7';

export interface PsContext {
  state: HvLabState;
  /** The node (or the backup server) this endpoint is. */
  host: string;
  flavour: PsFlavour;
  now: () => number;
  /** How long a started VM takes to answer its heartbeat. */
  bootMs: number;
  changed: () => void;
}

export interface PsOutcome {
  stdout: string;
  stderr: string;
  code: number;
  /** What the script was, for the lab's command log. */
  op: string;
  args: string[];
}

/** A script with its single-quoted values taken out: the shape, and the values in order. */
export function splitPsScript(line: string): { shape: string; values: string[] } {
  let shape = '';
  const values: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/['\u2018\u2019\u201a\u201b]/.test(c)) {
      const r = readPsSingleQuoted(line, i);
      values.push(r.value);
      shape += '\u0000';
      i = r.end;
    } else {
      shape += c;
      i++;
    }
  }
  return { shape, values };
}

type Op = keyof typeof cmd;
interface Known {
  op: Op;
  shape: string;
  /** Positions (among all quoted values) of the arguments drbook passed. */
  argAt: number[];
  /** The last argument is a list of any length (`'a','b'`). */
  list?: boolean;
}

/** The shapes of drbook's scripts, learnt from the builders themselves with marker arguments. */
function knownShapes(): Known[] {
  const m = (k: number): string => `\u0001arg${k}\u0001`;
  const learn = (op: Op, build: (...a: string[]) => string, arity: number): Known => {
    const sample = splitPsScript(build(...Array.from({ length: arity }, (_, k) => m(k))));
    return { op, shape: sample.shape, argAt: Array.from({ length: arity }, (_, k) => sample.values.indexOf(m(k))) };
  };
  const owners = splitPsScript(cmd.setPreferredOwners(m(0), [m(1)]));
  return [
    learn('listVms', cmd.listVms, 0),
    learn('clusterNodes', cmd.clusterNodes, 0),
    learn('clusterGroups', cmd.clusterGroups, 0),
    learn('clusterResources', cmd.clusterResources, 0),
    learn('sharedVolumes', cmd.sharedVolumes, 0),
    learn('testPath', cmd.testPath, 1),
    learn('importVm', cmd.importVm, 1),
    learn('compareVm', cmd.compareVm, 1),
    learn('removeVm', cmd.removeVm, 1),
    learn('removeGroup', cmd.removeGroup, 1),
    learn('addVmRole', cmd.addVmRole, 2),
    learn('startGroup', cmd.startGroup, 1),
    learn('startVm', cmd.startVm, 1),
    learn('jobHistory', cmd.jobHistory, 1),
    { op: 'setPreferredOwners', shape: owners.shape, argAt: [owners.values.indexOf(m(0)), owners.values.indexOf(m(1))], list: true },
    { op: 'setGroupPriority', shape: splitPsScript(cmd.setGroupPriority(m(0), 0)).shape.replace(/= 0$/, '= #'), argAt: [0] },
  ];
}

const KNOWN = knownShapes();

function match(line: string): { op: Op; args: string[]; number?: number } | null {
  const { shape, values } = splitPsScript(line);
  for (const k of KNOWN) {
    if (k.list) {
      // `… -Owners '\0','\0',…`: any number of values in the list.
      // eslint-disable-next-line no-control-regex -- NUL marks where a value stood in the shape
      const collapsed = shape.replace(/\u0000(,\u0000)+$/, '\u0000');
      if (collapsed !== k.shape) continue;
      return { op: k.op, args: [values[k.argAt[0]!]!, ...values.slice(k.argAt[1])] };
    }
    if (k.op === 'setGroupPriority') {
      const n = /= (\d+)$/.exec(shape);
      if (n && shape.replace(/= \d+$/, '= #') === k.shape) return { op: k.op, args: [values[0]!], number: Number(n[1]) };
      continue;
    }
    if (shape === k.shape) return { op: k.op, args: k.argAt.map((i) => values[i]!) };
  }
  return null;
}

// ---- JSON as each PowerShell prints it ----

type Val = null | boolean | number | string | Val[] | { [k: string]: Val } | { date: number } | { list: Val[] };

function jsonOf(v: Val, f: PsFlavour): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return JSON.stringify(v);
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    // Windows PowerShell 5.1 (JavaScriptSerializer) escapes ' < > & too.
    return f === '5.1' ? s.replace(/['<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : s;
  }
  if (Array.isArray(v)) return `[${v.map((x) => jsonOf(x, f)).join(',')}]`;
  if ('date' in v && typeof v.date === 'number') {
    return f === '5.1' ? `"\\/Date(${v.date})\\/"` : JSON.stringify(new Date(v.date).toISOString().replace('Z', '0000+00:00'));
  }
  if ('list' in v && Array.isArray(v.list)) {
    // A list that went through the pipeline: 5.1 wraps arrays of two or more with their ETS Count.
    const inner = v.list;
    if (f === '5.1' && inner.length >= 2) return `{"value":${jsonOf(inner, f)},"Count":${inner.length}}`;
    return inner.length === 1 ? jsonOf(inner[0]!, f) : jsonOf(inner, f);
  }
  return `{${Object.entries(v as Record<string, Val>)
    .map(([k, x]) => `${JSON.stringify(k)}:${jsonOf(x, f)}`)
    .join(',')}}`;
}

/** What `… | ConvertTo-Json -Compress` prints for a pipeline's objects. */
function pipelineJson(records: Val[], f: PsFlavour): string {
  if (records.length === 0) return '';
  const body = records.length === 1 ? jsonOf(records[0]!, f) : jsonOf(records, f);
  return `${body}${f === '5.1' ? '\r\n' : '\n'}`;
}

function psError(cmdlet: string, message: string, category: string, errorId: string, line: string): string {
  return [
    `${cmdlet} : ${message}`,
    'At line:1 char:1',
    `+ ${line.length > 76 ? `${line.slice(0, 73)} ...` : line}`,
    `+ ${'~'.repeat(Math.min(76, line.length))}`,
    `    + CategoryInfo          : ${category}`,
    `    + FullyQualifiedErrorId : ${errorId}`,
    '',
    '',
  ].join('\r\n');
}

// ---- the cluster as the cmdlets see it ----

const vmState = (v: HvLabVm): number => (v.running ? 2 : 3);

function vmRecord(c: PsContext, v: HvLabVm): Val {
  const hb = !v.running ? null : c.now() >= (v.heartbeatAt ?? 0) ? 2 : 12;
  return {
    Name: v.name,
    VMId: v.id,
    State: vmState(v),
    ComputerName: v.node,
    IsClustered: v.role !== null,
    Generation: v.generation,
    Path: v.configurationLocation,
    ConfigurationLocation: v.configurationLocation,
    SnapshotFileLocation: v.configurationLocation,
    SmartPagingFilePath: v.configurationLocation,
    HardDrives: { list: v.vhds },
    Heartbeat: hb,
  };
}

function groupRecord(c: PsContext, v: HvLabVm): Val {
  const r = v.role!;
  return {
    Name: r.name,
    State: r.state === 'online' ? 0 : r.state === 'offline' ? 1 : 2,
    GroupType: 111,
    Priority: r.priority,
    OwnerNode: v.node,
    PreferredOwners: { list: r.preferredOwners },
  };
}

function allGroups(c: PsContext): Val[] {
  const s = c.state;
  return [
    { Name: 'Cluster Group', State: 0, GroupType: 1, Priority: 3000, OwnerNode: s.nodes[0]!, PreferredOwners: { list: [] } },
    { Name: 'Available Storage', State: 0, GroupType: 2, Priority: 1000, OwnerNode: s.nodes[0]!, PreferredOwners: { list: [] } },
    ...s.vms.filter((v) => v.role).map((v) => groupRecord(c, v)),
  ];
}

function allResources(c: PsContext): Val[] {
  const out: Val[] = [];
  for (const v of c.state.vms) {
    if (v.disk) {
      // A cluster disk belongs to its VM's role; with no role it waits in Available Storage.
      out.push({
        Name: v.disk,
        State: 2,
        ResourceType: 'Physical Disk',
        OwnerGroup: v.role ? v.role.name : 'Available Storage',
        OwnerNode: v.node,
        VmId: null,
      });
    }
    if (!v.role) continue;
    const vmResState = v.role.state === 'failed' ? 4 : v.running ? 2 : 3;
    out.push({
      Name: `Virtual Machine ${v.name}`,
      State: vmResState,
      ResourceType: 'Virtual Machine',
      OwnerGroup: v.role.name,
      OwnerNode: v.node,
      VmId: v.id,
    });
    out.push({
      Name: `Virtual Machine Configuration ${v.name}`,
      State: v.role.state === 'failed' ? 4 : 2,
      ResourceType: 'Virtual Machine Configuration',
      OwnerGroup: v.role.name,
      OwnerNode: v.node,
      VmId: null,
    });
  }
  return out;
}

const byConfig = (s: HvLabState, p: string): HvLabVm | undefined => s.vms.find((v) => hvFileKey(v.configFile) === hvFileKey(p));

/** A terminating error: the script stops where it was thrown, and prints it. */
class PsStop extends Error {
  constructor(readonly outcome: PsOutcome) {
    super(outcome.stderr);
  }
}

/** Run one script on this endpoint. */
export function runPowerShell(c: PsContext, line: string): PsOutcome {
  try {
    return runScript(c, line);
  } catch (e) {
    if (e instanceof PsStop) return e.outcome;
    throw e;
  }
}

function runScript(c: PsContext, line: string): PsOutcome {
  const f = c.flavour;
  const s = c.state;
  const m = match(line.trim());
  const ok = (records: Val[], op: string, args: string[]): PsOutcome => ({
    stdout: pipelineJson(records, f),
    stderr: '',
    code: 0,
    op,
    args,
  });
  const fail = (op: string, args: string[], cmdlet: string, message: string, category: string, errorId: string): PsOutcome => ({
    stdout: '',
    stderr: psError(cmdlet, message, category, errorId, line),
    code: 1,
    op,
    args,
  });
  if (!m) {
    const word = line.trim().split(/[\s|(]/)[0] ?? '';
    return fail(
      'unknown',
      [],
      word,
      `The term '${word}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
      `ObjectNotFound: (${word}:String) [], CommandNotFoundException`,
      'CommandNotFoundException',
    );
  }
  const { op, args } = m;
  const stop = (cmdlet: string, message: string, category: string, errorId: string): never => {
    throw new PsStop(fail(op, args, cmdlet, message, category, errorId));
  };
  /** The VM registered on this node with the VMId `id`; else what Get-VM -Id (or `notFound`) says. */
  const vmWithId = (
    id: string,
    notFound = (): never =>
      stop(
        'Get-VM',
        `Hyper-V was unable to find a virtual machine with ID '${id}'.`,
        `InvalidArgument: (${id}:Guid) [Get-VM], VirtualizationException`,
        'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
      ),
  ): HvLabVm => s.vms.find((v) => v.id === id.toLowerCase() && v.registered && v.node === c.host) ?? notFound();
  /** The VM whose clustered role is the group `name`; else what `cmdlet` says when it finds no such group. */
  const vmOfGroup = (name: string, cmdlet: string): HvLabVm =>
    s.vms.find((v) => v.role?.name === name) ??
    stop(
      cmdlet,
      `The cluster group '${name}' was not found.`,
      `ObjectNotFound: (:) [${cmdlet}], ClusterCmdletException`,
      `${cmdlet},Microsoft.FailoverClusters.PowerShell.${cmdlet.replace('-', '')}Command`,
    );
  const isBackupServer = c.host === s.backupServer;
  if (isBackupServer !== (op === 'jobHistory')) {
    const cmdlet = isBackupServer ? line.trim().split(/\s/)[0]! : 'Get-BEJobHistory';
    return fail(
      op,
      args,
      cmdlet,
      `The term '${cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
      `ObjectNotFound: (${cmdlet}:String) [], CommandNotFoundException`,
      'CommandNotFoundException',
    );
  }
  switch (op) {
    case 'listVms':
      return ok(
        s.vms.filter((v) => v.registered && v.node === c.host).map((v) => vmRecord(c, v)),
        op,
        args,
      );
    case 'clusterNodes':
      return ok(
        s.nodes.map((n, i) => ({ Name: n, State: 0, Id: String(i + 1) })),
        op,
        args,
      );
    case 'clusterGroups':
      return ok(allGroups(c), op, args);
    case 'clusterResources':
      return ok(allResources(c), op, args);
    case 'sharedVolumes':
      return ok(
        s.csvs.map((v) => ({
          Name: v.name,
          State: 2,
          OwnerNode: v.owner,
          Volumes: { list: [{ FriendlyVolumeName: v.path, RedirectedAccess: false, MaintenanceMode: false }] },
        })),
        op,
        args,
      );
    case 'testPath':
      return ok([hvFileKey(args[0]!) in s.files], op, args);
    case 'importVm': {
      const path = args[0]!;
      const vm = byConfig(s, path);
      if (!vm || !(hvFileKey(path) in s.files)) {
        return fail(
          op,
          args,
          'Import-VM',
          `Failed to import a virtual machine. The system cannot find the file specified. ('${path}')`,
          'ObjectNotFound: (:) [Import-VM], VirtualizationException',
          'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.ImportVM',
        );
      }
      if (vm.registered) {
        return fail(
          op,
          args,
          'Import-VM',
          'Unable to import virtual machine due to configuration errors.  Please use Compare-VM to repair the virtual machine.',
          'NotSpecified: (:) [Import-VM], VirtualizationException',
          'OperationFailed,Microsoft.HyperV.PowerShell.Commands.ImportVM',
        );
      }
      vm.registered = true;
      vm.node = c.host;
      vm.running = false;
      vm.imports++;
      c.changed();
      return ok([vmRecord(c, vm)], op, args);
    }
    case 'compareVm': {
      const vm = byConfig(s, args[0]!);
      const report = vm?.registered
        ? [
            {
              Message: `The virtual machine '${vm.name}' already exists: its identifier ${vm.id.toUpperCase()} is in use.`,
              MessageId: 40006,
            },
          ]
        : [];
      return ok(report, op, args);
    }
    case 'removeVm': {
      const vm = vmWithId(args[0]!);
      if (vm.running)
        return fail(
          op,
          args,
          'Remove-VM',
          `The operation cannot be performed while the virtual machine is in its current state.`,
          'InvalidOperation: (:) [Remove-VM], VirtualizationException',
          'InvalidState,Microsoft.HyperV.PowerShell.Commands.RemoveVM',
        );
      vm.registered = false;
      c.changed();
      return ok([], op, args);
    }
    case 'removeGroup': {
      const vm = vmOfGroup(args[0]!, 'Remove-ClusterGroup');
      if (vm.running)
        return fail(
          op,
          args,
          'Remove-ClusterGroup',
          'The group must be offline before it can be removed.',
          'InvalidOperation: (:) [Remove-ClusterGroup], ClusterCmdletException',
          'Remove-ClusterGroup,Microsoft.FailoverClusters.PowerShell.RemoveClusterGroupCommand',
        );
      vm.role = null;
      c.changed();
      return ok([], op, args);
    }
    case 'addVmRole': {
      const [id, name] = args as [string, string];
      const vm = vmWithId(id, () =>
        stop(
          'Add-ClusterVirtualMachineRole',
          `The specified virtual machine with ID '${id}' could not be found on node '${c.host}'.`,
          'InvalidArgument: (:) [Add-ClusterVirtualMachineRole], ClusterCmdletException',
          'InvalidParameter,Microsoft.FailoverClusters.PowerShell.AddClusterVirtualMachineRoleCommand',
        ),
      );
      if (vm.role || s.vms.some((v) => v.role?.name === name)) {
        return fail(
          op,
          args,
          'Add-ClusterVirtualMachineRole',
          `A cluster group named '${name}' already exists.`,
          'InvalidOperation: (:) [Add-ClusterVirtualMachineRole], ClusterCmdletException',
          'Add-ClusterVirtualMachineRole,Microsoft.FailoverClusters.PowerShell.AddClusterVirtualMachineRoleCommand',
        );
      }
      vm.role = { name, state: vm.running ? 'online' : 'offline', priority: 2000, preferredOwners: [] };
      c.changed();
      return ok([groupRecord(c, vm)], op, args);
    }
    case 'setPreferredOwners': {
      const [group, ...owners] = args as [string, ...string[]];
      const vm = vmOfGroup(group, 'Set-ClusterOwnerNode');
      const unknown = owners.find((o) => !s.nodes.includes(o));
      if (unknown)
        return fail(
          op,
          args,
          'Set-ClusterOwnerNode',
          `The cluster node '${unknown}' was not found.`,
          'ObjectNotFound: (:) [Set-ClusterOwnerNode], ClusterCmdletException',
          'Set-ClusterOwnerNode,Microsoft.FailoverClusters.PowerShell.SetClusterOwnerNodeCommand',
        );
      vm.role!.preferredOwners = owners;
      c.changed();
      return ok([], op, args);
    }
    case 'setGroupPriority': {
      const vm = vmOfGroup(args[0]!, 'Get-ClusterGroup');
      vm.role!.priority = m.number ?? vm.role!.priority;
      c.changed();
      return ok([], op, args);
    }
    case 'startGroup': {
      const vm = vmOfGroup(args[0]!, 'Start-ClusterGroup');
      if (!vm.running) {
        vm.running = true;
        vm.starts++;
        vm.heartbeatAt = c.now() + c.bootMs;
      }
      vm.role!.state = 'online';
      c.changed();
      return ok([groupRecord(c, vm)], op, args);
    }
    case 'startVm': {
      const vm = vmWithId(args[0]!);
      if (!vm.running) {
        vm.running = true;
        vm.starts++;
        vm.heartbeatAt = c.now() + c.bootMs;
        c.changed();
      }
      return ok([], op, args);
    }
    case 'jobHistory': {
      const runs = s.history.filter((r) => r.job === args[0]).reverse();
      return ok(
        runs.map((r) => ({
          Name: r.job,
          JobStatus: r.status,
          StartTime: { date: r.start },
          EndTime: { date: r.end },
          ErrorCode: r.errorCode,
          ErrorMessage: r.errorMessage,
        })),
        op,
        args,
      );
    }
  }
  return fail(op, args, op, 'not implemented in the lab', 'NotImplemented', 'NotImplemented');
}

export { CSV_VSS_ERROR };
