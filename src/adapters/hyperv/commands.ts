/**
 * The PowerShell drbook sends to Hyper-V cluster nodes (and to the Backup Exec server). Every
 * value goes through the `ps` template of src/transport/quote.ts; every reading ends in
 * `ConvertTo-Json -Compress` on explicitly selected properties — never Format-Table/List text,
 * which truncates, localises and sizes columns to the data. Object-valued properties (owner
 * node, resource type) are reduced to their names in the projection, so the JSON stays shallow
 * and the same under Windows PowerShell 5.1 and PowerShell 7.
 */
import { ps } from '../../transport/quote.js';

const JSON_OUT = '| ConvertTo-Json -Depth 4 -Compress';

const VM_FIELDS =
  'Name,VMId,State,ComputerName,IsClustered,Generation,Path,ConfigurationLocation,SnapshotFileLocation,SmartPagingFilePath,' +
  "@{n='HardDrives';e={@($_.HardDrives | ForEach-Object Path)}}," +
  "@{n='Heartbeat';e={($_ | Get-VMIntegrationService | Where-Object Name -eq 'Heartbeat').PrimaryOperationalStatus}}";

const GROUP_FIELDS =
  "Name,State,GroupType,Priority,@{n='OwnerNode';e={$_.OwnerNode.Name}}," +
  "@{n='PreferredOwners';e={@(($_ | Get-ClusterOwnerNode).OwnerNodes | ForEach-Object Name)}}";

const RESOURCE_FIELDS =
  "Name,State,@{n='ResourceType';e={$_.ResourceType.Name}},@{n='OwnerGroup';e={$_.OwnerGroup.Name}},@{n='OwnerNode';e={$_.OwnerNode.Name}}," +
  "@{n='VmId';e={if ($_.ResourceType.Name -eq 'Virtual Machine') { ($_ | Get-ClusterParameter -Name VmId).Value }}}";

const CSV_FIELDS =
  "Name,State,@{n='OwnerNode';e={$_.OwnerNode.Name}}," +
  "@{n='Volumes';e={@($_.SharedVolumeInfo | Select-Object FriendlyVolumeName,RedirectedAccess,MaintenanceMode)}}";

export const hypervCommands = {
  /** The VMs registered on this node (Get-VM is per node: drbook asks every node). */
  listVms: (): string => `Get-VM | Select-Object ${VM_FIELDS} ${JSON_OUT}`,
  clusterNodes: (): string => `Get-ClusterNode | Select-Object Name,State,Id ${JSON_OUT}`,
  clusterGroups: (): string => `Get-ClusterGroup | Select-Object ${GROUP_FIELDS} ${JSON_OUT}`,
  clusterResources: (): string => `Get-ClusterResource | Select-Object ${RESOURCE_FIELDS} ${JSON_OUT}`,
  sharedVolumes: (): string => `Get-ClusterSharedVolume | Select-Object ${CSV_FIELDS} ${JSON_OUT}`,
  /** true/false: the file is there (-LiteralPath: brackets in a VM's folder are not wildcards). */
  testPath: (path: string): string => ps`Test-Path -LiteralPath ${path} ${{ ps: JSON_OUT }}`,
  /** Register the VM in place from its configuration file: same files, same VM ID. */
  importVm: (configFile: string): string =>
    ps`Import-VM -Path ${configFile} -Register | Select-Object ${{ ps: VM_FIELDS }} ${{ ps: JSON_OUT }}`,
  /** Why Import-VM refuses: the incompatibilities Compare-VM reports. */
  compareVm: (configFile: string): string =>
    ps`(Compare-VM -Path ${configFile} -Register).Incompatibilities | Select-Object Message,MessageId ${{ ps: JSON_OUT }}`,
  /** A dead registration: the VM object only; its files stay. */
  removeVm: (vmId: string): string => ps`Get-VM -Id ${vmId} | Remove-VM -Force`,
  /** A failed role: the group and its resources; the VM's files are not touched. */
  removeGroup: (group: string): string => ps`Remove-ClusterGroup -Name ${group} -RemoveResources -Force`,
  addVmRole: (vmId: string, name: string): string =>
    ps`Add-ClusterVirtualMachineRole -VMId ${vmId} -Name ${name} | Select-Object ${{ ps: GROUP_FIELDS }} ${{ ps: JSON_OUT }}`,
  setPreferredOwners: (group: string, nodes: readonly string[]): string => ps`Set-ClusterOwnerNode -Group ${group} -Owners ${nodes}`,
  setGroupPriority: (group: string, priority: number): string =>
    ps`(Get-ClusterGroup -Name ${group}).Priority = ${{ ps: String(Math.trunc(priority)) }}`,
  startGroup: (group: string): string => ps`Start-ClusterGroup -Name ${group} | Select-Object ${{ ps: GROUP_FIELDS }} ${{ ps: JSON_OUT }}`,
  /** A VM that is not clustered starts on its node. */
  startVm: (vmId: string): string => ps`Get-VM -Id ${vmId} | Start-VM`,
  /** Backup Exec (BEMCLI, on the media server): a job's runs. JobStatus as its name: its numbers are not documented. */
  jobHistory: (job: string): string =>
    ps`Get-BEJobHistory -Name ${job} | Select-Object Name,@{n='JobStatus';e={[string]$_.JobStatus}},StartTime,EndTime,ErrorCode,ErrorMessage ${{ ps: JSON_OUT }}`,
};

export type HypervCommand = keyof typeof hypervCommands;
