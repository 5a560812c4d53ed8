import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { parseHypervSite } from '../../src/runbook/site.js';
import { runInit } from '../../src/wizard/init-command.js';
import { closedPort } from '../helpers/ssh-server.js';
import { contextFor, initWorkspace } from './init-setup.js';
import { fakeTerminal, KEY } from './terminal.js';

describe('drbook init for a Hyper-V failover cluster', () => {
  const ws = initWorkspace('drbook-hvinit-');

  it('asks for the cluster, its nodes and Backup Exec, pins the confirmed keys, and writes a hyperv: site file the parser accepts', async () => {
    const hv01 = await ws.sshServer();
    const hv02 = await ws.sshServer();
    const be = await ws.sshServer();
    const deadPort = await closedPort();
    const term = fakeTerminal(200);
    const done = runInit(contextFor(term, ws.dir), { out: 'hv.yaml' }, { now: () => new Date('2026-12-03T00:00:00Z') });

    await term.answer('Name of this site', `hvprod${KEY.enter}`);
    await term.answer('What does this site run?', `${KEY.down}${KEY.enter}`); // Hyper-V
    await term.answer('Name of the failover cluster', `HVCLUSTER1${KEY.enter}`);
    await term.answer('User name drbook logs in to the nodes with', KEY.enter); // Administrator
    await term.answer('How does drbook log in to the nodes?', `${KEY.down}${KEY.enter}`); // key
    await term.answer('Private key file', `id_ed25519${KEY.enter}`);
    await term.answer('Variable holding its passphrase', KEY.enter);

    await term.answer('Name of node 1', KEY.enter); // HV01
    await term.answer('Address of HV01', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of HV01', `${hv01.port}${KEY.enter}`);
    await term.waitFor(hv01.hostKeyFingerprint);
    // Where the same fingerprint is printed on the Windows node itself.
    await term.waitFor('ssh-keygen.exe" -lf "$env:ProgramData\\ssh\\ssh_host_ed25519_key.pub"');
    await term.answer('Does it match the console of HV01?', `y${KEY.enter}`);
    await term.answer('Add another node?', `y${KEY.enter}`);
    await term.answer('Name of node 2', KEY.enter); // HV02
    await term.answer('Address of HV02', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of HV02', `${hv02.port}${KEY.enter}`);
    await term.answer('Does it match the console of HV02?', `y${KEY.enter}`);
    await term.answer('Add another node?', `y${KEY.enter}`);
    // HV03 does not answer: skipped, and said so at the end.
    await term.answer('Name of node 3', KEY.enter);
    await term.answer('Address of HV03', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of HV03', `${deadPort}${KEY.enter}`);
    await term.answer('What now for HV03?', `${KEY.down}${KEY.down}${KEY.enter}`); // skip
    await term.answer('Add another node?', KEY.enter); // no

    await term.answer('Is the cluster backed up by Backup Exec?', KEY.enter); // yes
    await term.answer('Name of the Backup Exec server', KEY.enter); // BE01
    await term.answer('Address of BE01', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of BE01', `${be.port}${KEY.enter}`);
    await term.answer('Does it match the console of BE01?', `y${KEY.enter}`);
    await term.answer('Name of Backup Exec job 1', `HV-CSV Daily${KEY.enter}`);
    await term.answer('VMs that HV-CSV Daily backs up', `web01, sql 01${KEY.enter}`);
    await term.answer('Add another job?', KEY.enter); // no
    await term.answer('Can its backup method snapshot VMs on Cluster Shared Volumes?', `n${KEY.enter}`);
    await term.answer('Hours after which a VM without a successful backup is flagged', `12${KEY.enter}`);
    await term.answer('Define a priority group', `y${KEY.enter}`);
    await term.answer('Name of priority group 1', `first${KEY.enter}`);
    await term.answer('VM display names in first', `sql 01${KEY.enter}`);
    await term.answer('Add another priority group?', KEY.enter);

    await term.waitFor('Failover cluster: HVCLUSTER1');
    await term.answer('Write the site file to hv.yaml?', KEY.enter);
    expect(await done).toBe(EXIT.ok);

    const file = path.join(ws.dir, 'hv.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# drbook site file for the Hyper-V site hvprod, written by drbook init on 2026-12-03\./);
    const site = parseHypervSite(text, file);
    expect(site.hyperv.cluster).toBe('HVCLUSTER1');
    expect(site.hyperv.user).toBe('Administrator');
    expect(site.endpoints.nodes[0]!.auth).toEqual({ method: 'key', keyFile: path.join(ws.dir, 'id_ed25519') });
    expect(site.hyperv.nodes.map((n) => [n.name, n.port, n.hostKey])).toEqual([
      ['HV01', hv01.port, hv01.hostKeyFingerprint],
      ['HV02', hv02.port, hv02.hostKeyFingerprint],
      ['HV03', deadPort, undefined],
    ]);
    expect(site.hyperv.backup).toEqual({
      product: 'backup-exec',
      server: { name: 'BE01', address: '127.0.0.1', port: be.port, hostKey: be.hostKeyFingerprint },
      jobs: [{ name: 'HV-CSV Daily', vms: ['web01', 'sql 01'] }],
      csvSnapshots: false,
      rpoHours: 12,
    });
    expect(site.priorityGroups).toEqual([{ name: 'first', vms: ['sql 01'] }]);
    const screen = term.text();
    expect(screen).toContain('Still without a pinned host key: HV03.');
    expect(screen).toContain('\n    drbook check --site hv.yaml\n');
  });

  it('--platform hyperv asks no platform question', async () => {
    const term = fakeTerminal(200);
    const done = runInit(contextFor(term, ws.dir), { out: 'hv.yaml', platform: 'hyperv' });
    await term.answer('Name of this site', `hv${KEY.enter}`);
    await term.waitFor('Name of the failover cluster');
    expect(term.text()).not.toContain('What does this site run?');
    term.stdin.write(KEY.ctrlC);
    expect(await done).toBe(EXIT.stopped);
  });
});
