/**
 * Typed Hyper-V / Failover Clustering / Backup Exec operations over a RemoteHost (a cluster node,
 * or the Backup Exec server, reached by Windows OpenSSH with PowerShell as its shell). A command
 * failed when PowerShell wrote an error record or exited non-zero; the error carries the record's
 * own message. Readings are parsed by ./parsers.ts; output that is not the JSON asked for is a
 * ParseError, never guessed at.
 */
import { RemoteCommandError } from '../../errors.js';
import type { CommandIntent } from '../../transport/intent.js';
import type { CommandResult, RemoteHost } from '../../transport/types.js';
import { hypervCommands as cmd } from './commands.js';
import {
  parseClusterGroups,
  parseClusterNodes,
  parseClusterResources,
  parseIncompatibilities,
  parseJobHistory,
  parsePsError,
  parseSharedVolumes,
  parseTestPath,
  parseVms,
  type ClusterGroup,
  type ClusterNode,
  type ClusterResource,
  type HvVm,
  type Incompatibility,
  type JobRun,
  type SharedVolume,
} from './parsers.js';

export interface HypervOpsOptions {
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

export class HypervOps {
  constructor(
    readonly host: RemoteHost,
    private readonly opts: HypervOpsOptions = {},
  ) {}

  private async run(line: string, purpose: string, intent?: CommandIntent): Promise<CommandResult> {
    const r = await this.host.exec(line, {
      purpose,
      intent,
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
      signal: this.opts.signal,
    });
    const err = parsePsError(r.stderr);
    if (err || r.exitCode !== 0) {
      throw new RemoteCommandError(
        this.host.endpoint.name,
        line,
        err?.message ?? (r.stdout.trim() || `exit status ${String(r.exitCode)}`),
        err?.errorId ?? undefined,
      );
    }
    return r;
  }

  async listVms(): Promise<HvVm[]> {
    return parseVms((await this.run(cmd.listVms(), 'list the VMs')).stdout);
  }
  async clusterNodes(): Promise<ClusterNode[]> {
    return parseClusterNodes((await this.run(cmd.clusterNodes(), 'list the cluster nodes')).stdout);
  }
  async clusterGroups(): Promise<ClusterGroup[]> {
    return parseClusterGroups((await this.run(cmd.clusterGroups(), 'list the cluster roles')).stdout);
  }
  async clusterResources(): Promise<ClusterResource[]> {
    return parseClusterResources((await this.run(cmd.clusterResources(), 'list the cluster resources')).stdout);
  }
  async sharedVolumes(): Promise<SharedVolume[]> {
    return parseSharedVolumes((await this.run(cmd.sharedVolumes(), 'list the cluster shared volumes')).stdout);
  }
  async fileExists(path: string): Promise<boolean> {
    return parseTestPath((await this.run(cmd.testPath(path), `is ${path} there`)).stdout);
  }
  /** Import-VM -Register in place. When it refuses, the error says why, with Compare-VM's report. */
  async importVm(configFile: string): Promise<HvVm> {
    try {
      const [vm] = parseVms((await this.run(cmd.importVm(configFile), `register ${configFile}`, { op: 'hv-import', configFile })).stdout);
      if (!vm) throw new RemoteCommandError(this.host.endpoint.name, cmd.importVm(configFile), 'Import-VM printed no VM');
      return vm;
    } catch (err) {
      if (!(err instanceof RemoteCommandError)) throw err;
      let report: Incompatibility[] = [];
      try {
        report = await this.compareVm(configFile);
      } catch {
        // The import's own error stands; the report is a help, not the fact.
      }
      if (report.length === 0) throw err;
      throw new RemoteCommandError(
        err.host,
        err.command,
        `${err.deviceMessage} Compare-VM: ${report.map((i) => `${i.message}${i.messageId !== null ? ` (${i.messageId})` : ''}`).join('; ')}`,
        err.fault,
      );
    }
  }
  async compareVm(configFile: string): Promise<Incompatibility[]> {
    return parseIncompatibilities((await this.run(cmd.compareVm(configFile), `why ${configFile} does not import`)).stdout);
  }
  async removeVm(vmId: string): Promise<void> {
    await this.run(cmd.removeVm(vmId), `remove the dead registration ${vmId}`, { op: 'hv-remove-vm', vmId });
  }
  async removeGroup(group: string): Promise<void> {
    await this.run(cmd.removeGroup(group), `remove the failed role ${group}`, { op: 'hv-remove-group', group });
  }
  async addVmRole(vmId: string, name: string): Promise<ClusterGroup> {
    const [g] = parseClusterGroups(
      (await this.run(cmd.addVmRole(vmId, name), `make ${name} highly available`, { op: 'hv-add-role', vmId, name })).stdout,
    );
    if (!g)
      throw new RemoteCommandError(this.host.endpoint.name, cmd.addVmRole(vmId, name), 'Add-ClusterVirtualMachineRole printed no role');
    return g;
  }
  async setPreferredOwners(group: string, nodes: readonly string[]): Promise<void> {
    await this.run(cmd.setPreferredOwners(group, nodes), `preferred owners of ${group}`, {
      op: 'hv-preferred-owners',
      group,
      nodes: [...nodes],
    });
  }
  async setGroupPriority(group: string, priority: number): Promise<void> {
    await this.run(cmd.setGroupPriority(group, priority), `priority of ${group}`, { op: 'hv-priority', group, priority });
  }
  async startGroup(group: string): Promise<ClusterGroup | undefined> {
    return parseClusterGroups((await this.run(cmd.startGroup(group), `start ${group}`, { op: 'hv-start-group', group })).stdout)[0];
  }
  async startVm(vmId: string): Promise<void> {
    await this.run(cmd.startVm(vmId), `start ${vmId}`, { op: 'hv-start-vm', vmId });
  }
  async jobHistory(job: string): Promise<JobRun[]> {
    return parseJobHistory((await this.run(cmd.jobHistory(job), `history of backup job ${job}`)).stdout);
  }
}
