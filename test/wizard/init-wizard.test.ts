import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, OperatorError } from '../../src/errors.js';
import { parseSite } from '../../src/runbook/site.js';
import { runInit } from '../../src/wizard/init-command.js';
import { closedPort } from '../helpers/ssh-server.js';
import { contextFor, initWorkspace } from './init-setup.js';
import { fakeTerminal, KEY } from './terminal.js';

describe('drbook init wizard, driven through a pretend terminal', () => {
  const ws = initWorkspace('drbook-init-');

  it('asks everything, pins the confirmed keys, and writes a site file parseSite accepts', async () => {
    const esx01 = await ws.sshServer();
    const esx02 = await ws.sshServer();
    const ontap = await ws.sshServer();
    const deadPort = await closedPort();
    const term = fakeTerminal(200); // wide: the waits below match whole sentences
    const done = runInit(contextFor(term, ws.dir), { out: 'site.yaml' }, { now: () => new Date('2026-11-22T00:00:00Z') });

    await term.answer('Name of this site', `lab1${KEY.enter}`);
    await term.answer('What does this site run?', KEY.enter); // vSphere on NetApp
    await term.answer('User name drbook logs in to the ESXi hosts with', KEY.enter); // root
    await term.answer('How does drbook log in to the ESXi hosts?', `${KEY.down}${KEY.down}${KEY.enter}`); // password
    await term.answer('Environment variable holding the password', KEY.enter);

    // esx01: reachable, fingerprint confirmed.
    await term.answer('Name of ESXi host 1', KEY.enter); // esx01
    await term.answer('Address of esx01', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of esx01', `${esx01.port}${KEY.enter}`);
    await term.waitFor(esx01.hostKeyFingerprint);
    await term.waitFor('    ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\n');
    await term.answer('Does it match the console of esx01?', `y${KEY.enter}`);
    await term.answer('Add another ESXi host?', `y${KEY.enter}`);

    // esx02: fingerprint NOT confirmed, then retried and confirmed.
    await term.answer('Name of ESXi host 2', KEY.enter); // esx02
    await term.answer('Address of esx02', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of esx02', `${esx02.port}${KEY.enter}`);
    await term.answer('Does it match the console of esx02?', `n${KEY.enter}`);
    await term.waitFor('Not pinned.');
    await term.answer('What now for esx02?', KEY.enter); // retry
    await term.waitFor(esx02.hostKeyFingerprint);
    await term.answer('Does it match the console of esx02?', `y${KEY.enter}`);
    await term.answer('Add another ESXi host?', `y${KEY.enter}`);

    // esx03: nothing listens; skipped.
    await term.answer('Name of ESXi host 3', KEY.enter);
    await term.answer('Address of esx03', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of esx03', `${deadPort}${KEY.enter}`);
    await term.waitFor(`Could not read the host key of esx03: 127.0.0.1:${deadPort}: cannot read the SSH host key: connection refused`);
    await term.answer('What now for esx03?', `${KEY.down}${KEY.down}${KEY.enter}`); // skip
    await term.waitFor('No host key pinned for esx03');
    await term.answer('Add another ESXi host?', KEY.enter); // default no

    // ONTAP: unreachable at first (a name typed twice is refused), then the fingerprint typed by hand.
    await term.answer('Name of the ONTAP cluster', `esx01${KEY.enter}`);
    await term.waitFor('esx01 is already the name of another device');
    term.stdin.write('\b\b\b\b\b'); // erase "esx01"
    term.stdin.write(`cluster1${KEY.enter}`);
    await term.answer('Address of cluster1', `127.0.0.1${KEY.enter}`);
    await term.answer('SSH port of cluster1', `${deadPort}${KEY.enter}`);
    await term.answer('User name drbook logs in to the cluster with', KEY.enter); // admin
    await term.answer('How does drbook log in to cluster1?', `${KEY.down}${KEY.enter}`); // key
    await term.answer('Private key file', `keys/ontap${KEY.enter}`);
    await term.answer('Variable holding its passphrase', KEY.enter);
    await term.answer('What now for cluster1?', `${KEY.down}${KEY.enter}`); // manual
    await term.answer('Fingerprint of cluster1', `SHA256:nope${KEY.enter}`);
    await term.waitFor('Enter an OpenSSH fingerprint');
    term.stdin.write('\b'.repeat('SHA256:nope'.length));
    term.stdin.write(`${ontap.hostKeyFingerprint}${KEY.enter}`);
    await term.waitFor('Pinned: drbook will talk to cluster1');

    await term.answer('Source volume (svm:volume)', `svm1:vol_vms${KEY.enter}`);
    await term.answer('Destination volume (svm:volume)', `svm1:vol_vms${KEY.enter}`);
    await term.waitFor('The destination must be a different volume');
    term.stdin.write('\b'.repeat('svm1:vol_vms'.length));
    term.stdin.write(`svm2:vol_vms_dr${KEY.enter}`);

    await term.answer('Datastore name on the source volume', `ds_vms${KEY.enter}`);
    await term.answer('NFS server address of ds_vms', `192.0.2.31${KEY.enter}`);
    await term.answer('Export path of ds_vms', KEY.enter); // /vol_vms
    await term.answer('Datastore name on the destination volume', `ds_vms_dr${KEY.enter}`);
    await term.answer('NFS server address of ds_vms_dr', `192.0.2.32${KEY.enter}`);
    await term.answer('Export path of ds_vms_dr', KEY.enter); // /vol_vms_dr

    await term.answer('VSC job names', `daily, hourly-db${KEY.enter}`);
    await term.answer('vCenter VM display name', `vcsa 01${KEY.enter}`);
    await term.answer('vCenter API address', KEY.enter); // none: no placement
    await term.answer('Define a priority group', `y${KEY.enter}`);
    await term.answer('Name of priority group 1', `infra${KEY.enter}`);
    await term.answer('VM display names in infra', `dc01, dns 01${KEY.enter}`);
    await term.answer('Add another priority group?', KEY.enter); // no

    await term.waitFor('esx03 (127.0.0.1:');
    await term.answer('Write the site file to site.yaml?', KEY.enter); // default yes

    expect(await done).toBe(EXIT.ok);
    const file = path.join(ws.dir, 'site.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const site = parseSite(text, file);
    expect(site.site).toBe('lab1');
    expect(site.esxi.user).toBe('root');
    expect(site.esxi.auth).toEqual({ method: 'password', passwordEnv: 'DRBOOK_ESXI_PASSWORD' });
    expect(site.esxi.hosts.map((h) => [h.name, h.port, h.hostKey])).toEqual([
      ['esx01', esx01.port, esx01.hostKeyFingerprint],
      ['esx02', esx02.port, esx02.hostKeyFingerprint],
      ['esx03', deadPort, undefined],
    ]);
    expect(site.ontap).toMatchObject({
      name: 'cluster1',
      user: 'admin',
      hostKey: ontap.hostKeyFingerprint,
      auth: { method: 'key', keyFile: 'keys/ontap' },
    });
    expect(site.endpoints.ontap.auth).toEqual({ method: 'key', keyFile: path.join(ws.dir, 'keys/ontap') });
    expect(site.relationship).toEqual({ source: 'svm1:vol_vms', destination: 'svm2:vol_vms_dr' });
    expect(site.datastores).toEqual({
      primary: { name: 'ds_vms', nfsHost: '192.0.2.31', share: '/vol_vms' },
      mirror: { name: 'ds_vms_dr', nfsHost: '192.0.2.32', share: '/vol_vms_dr' },
    });
    expect(site.jobs).toEqual(['daily', 'hourly-db']);
    expect(site.vcenter).toEqual({ vm: 'vcsa 01' });
    expect(site.priorityGroups).toEqual([{ name: 'infra', vms: ['dc01', 'dns 01'] }]);
    // Commented, and the unpinned host says so where it is.
    expect(text).toMatch(/^# drbook site file for lab1, written by drbook init on 2026-11-22\./);
    expect(text).toContain('# No hostKey for esx03 yet');
    // Secrets are never asked for, so never written: only the variable's name.
    expect(text).not.toMatch(/password:/i);

    const screen = term.text();
    expect(screen).toContain('Still without a pinned host key: esx03.');
    expect(screen).toContain('\n    drbook check --site site.yaml\n');
    expect(screen).toContain('\n    drbook capture --site site.yaml\n');
  });

  it('stops on Ctrl+C without writing anything', async () => {
    const term = fakeTerminal();
    const done = runInit(contextFor(term, ws.dir), {});
    await term.answer('Name of this site', `lab${KEY.ctrlC}`);
    expect(await done).toBe(EXIT.stopped);
    expect(term.text()).toContain('Stopped. Nothing was written.');
    expect(existsSync(path.join(ws.dir, 'site.yaml'))).toBe(false);
  });

  it('speaks Japanese with --lang ja', async () => {
    const term = fakeTerminal();
    const done = runInit(contextFor(term, ws.dir), { lang: 'ja' });
    await term.answer('このサイトの名前', KEY.ctrlC);
    expect(await done).toBe(EXIT.stopped);
    expect(term.text()).toContain('中止しました。何も書き込んでいません。');
  });

  it('refuses to overwrite an existing file before asking anything', async () => {
    writeFileSync(path.join(ws.dir, 'site.yaml'), 'keep me\n');
    const term = fakeTerminal();
    const err = await runInit(contextFor(term, ws.dir), { out: 'site.yaml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as OperatorError).message).toBe(`${path.join(ws.dir, 'site.yaml')} already exists.`);
    expect((err as OperatorError).hint).toContain('--force');
    expect(term.text()).toBe('');
    expect(readFileSync(path.join(ws.dir, 'site.yaml'), 'utf8')).toBe('keep me\n');
  });

  it('refuses without a terminal and points at the example site file', async () => {
    const term = fakeTerminal();
    const ctx = { ...contextFor(term, ws.dir), interactive: false };
    const err = await runInit(ctx, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as OperatorError).message).toContain('needs a terminal');
    expect((err as OperatorError).hint).toContain('site.example.yaml');
  });

  it('refuses an unknown --lang in one line', async () => {
    const term = fakeTerminal();
    const err = await runInit(contextFor(term, ws.dir), { lang: 'fr' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as OperatorError).hint).toBe('use --lang en or --lang ja');
  });
});
