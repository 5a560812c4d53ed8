import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { psDate } from '../../../src/adapters/hyperv/json.js';
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
} from '../../../src/adapters/hyperv/parsers.js';

const fx = (f: string): string => readFileSync(new URL(`../../fixtures/devices/hyperv/${f}`, import.meta.url), 'utf8');

describe('Hyper-V parsers on the samples', () => {
  it('Get-VM from Windows PowerShell 5.1: numbers, array wrappers, null heartbeat', () => {
    const vms = parseVms(fx('get-vm-ps51-1.json'));
    expect(vms.map((v) => [v.name, v.state, v.node, v.heartbeat, v.generation])).toEqual([
      ['SQL01', 'running', 'HV01', 'ok', 2],
      ['FILE02', 'off', 'HV01', 'none', 1],
    ]);
    expect(vms[0]!.hardDrives).toEqual([
      'C:\\ClusterStorage\\Volume1\\SQL01\\Virtual Hard Disks\\SQL01.vhdx',
      'C:\\ClusterStorage\\Volume2\\SQL01\\Virtual Hard Disks\\SQL01-data.vhdx',
    ]);
    expect(vms[0]!.id).toBe('6f1d3a2e-8b4c-4d5e-9f00-112233445566');
  });

  it('one VM is an object, one drive a string; empty output is no VM', () => {
    const [vm] = parseVms(fx('get-vm-ps51-single-1.json'));
    expect(vm).toMatchObject({
      name: 'web 01',
      isClustered: false,
      heartbeat: 'no-contact',
      hardDrives: ['D:\\VMs\\web 01\\Virtual Hard Disks\\web.vhdx'],
    });
    expect(parseVms(fx('get-vm-empty-1.json'))).toEqual([]);
  });

  it('PowerShell 7 enum names read the same as 5.1 numbers', () => {
    const [a] = parseVms(fx('get-vm-ps7-enumsasstrings-1.json'));
    const [b] = parseVms(fx('get-vm-ps51-1.json'));
    expect({ ...a, hardDrives: [] }).toEqual({ ...b, hardDrives: [] });
  });

  it('cluster groups, resources, CSVs and nodes', () => {
    const groups = parseClusterGroups(fx('get-clustergroup-ps51-1.json'));
    expect(groups.filter((g) => g.isVmRole).map((g) => [g.name, g.state, g.priority, g.preferredOwners])).toEqual([
      ['SQL01', 'online', 3000, ['HV01', 'HV02']],
      ['FILE02', 'failed', 2000, ['HV01']],
    ]);
    const res = parseClusterResources(fx('get-clusterresource-ps51-1.json'));
    expect(res.filter((r) => r.type === 'Virtual Machine').map((r) => [r.ownerGroup, r.state, r.vmId])).toEqual([
      ['FILE02', 'failed', '0a4c87e1-5b0e-4c5a-8d23-9a1b2c3d4e5f'],
      ['SQL01', 'online', '6f1d3a2e-8b4c-4d5e-9f00-112233445566'],
    ]);
    expect(res.find((r) => r.type === 'Physical Disk')).toMatchObject({ name: 'Cluster Disk 3', ownerGroup: 'FILE02', state: 'online' });
    expect(parseSharedVolumes(fx('get-clustersharedvolume-ps51-1.json'))).toEqual([
      {
        name: 'Cluster Disk 1',
        state: 'online',
        ownerNode: 'HV01',
        path: 'C:\\ClusterStorage\\Volume1',
        redirectedAccess: false,
        maintenanceMode: false,
      },
      {
        name: 'Cluster Disk 2',
        state: 'online',
        ownerNode: 'HV02',
        path: 'C:\\ClusterStorage\\Volume2',
        redirectedAccess: true,
        maintenanceMode: false,
      },
    ]);
    expect(parseClusterNodes(fx('get-clusternode-ps51-1.json'))).toEqual([
      { name: 'HV01', state: 'up' },
      { name: 'HV02', state: 'down' },
    ]);
  });

  it('Backup Exec job history: 5.1 /Date()/ and 7 ISO dates, outcomes', () => {
    const runs = parseJobHistory(fx('get-bejobhistory-ps51-1.json'));
    expect(runs.map((r) => [r.outcome, r.start, r.errorCode])).toEqual([
      ['failed', 1764720000000, -536805679],
      ['succeeded', 1762128000000, 0],
    ]);
    expect(runs[0]!.errorMessage).toMatch(/Writer status/);
    const [one] = parseJobHistory(fx('get-bejobhistory-ps7-single-1.json'));
    expect(one).toMatchObject({ job: 'HV-Disk Full', outcome: 'succeeded', start: Date.UTC(2026, 11, 2, 16, 0, 0) });
  });

  it('Compare-VM incompatibilities, Test-Path, PowerShell error records', () => {
    expect(parseIncompatibilities(fx('compare-vm-incompatibilities-ps51-1.json')).map((i) => i.messageId)).toEqual([33012, 40010]);
    expect(parseTestPath(fx('test-path-1.json'))).toBe(true);
    expect(parsePsError(fx('import-vm-error-stderr-1.txt'))).toEqual({
      message: 'Unable to import virtual machine due to configuration errors.  Please use Compare-VM to repair the virtual machine.',
      errorId: 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.ImportVM',
    });
  });

  it('dates: offsets and the 5.1 DateTime object form', () => {
    expect(psDate('k', '/Date(1700000000000+0900)/')).toBe(1700000000000);
    expect(psDate('k', { value: '/Date(5)/', DisplayHint: 2 })).toBe(5);
    expect(psDate('k', null)).toBeNull();
    expect(() => psDate('k', 'yesterday')).toThrow(/not a date/);
  });

  it('refuses output that is not the JSON asked for, naming it', () => {
    expect(() => parseVms('Name  State\n----  -----\nSQL01 Running')).toThrow(/hyperv-vms: not JSON/);
    expect(() => parseVms('[{"Name":"x","VMId":"nope"}]')).toThrow(/GUID/);
    expect(() => parseTestPath('')).toThrow(/true or false/);
  });
});
