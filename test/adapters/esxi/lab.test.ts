import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteCommandError } from '../../../src/errors.js';
import { EsxiOps } from '../../../src/adapters/esxi/ops.js';
import { getVmx, movedChoiceKey } from '../../../src/adapters/esxi/parsers.js';
import { powerOnAnswering } from '../../../src/steps/power-on.js';
import { startLab, type Lab } from '../../../src/lab/lab.js';
import { loadSite } from '../../../src/runbook/site.js';
import { createSshPool, type SshPool } from '../../../src/transport/ssh/pool.js';

/** The ESXi adapter against the lab's simulated hosts, over real SSH, with hostile VM names. */
describe('EsxiOps against the lab', () => {
  let lab: Lab;
  let pool: SshPool;
  const ops = (host: string) => new EsxiOps(pool.host(host), { timeoutMs: 30_000 });

  beforeAll(async () => {
    lab = await startLab({ dir: mkdtempSync(path.join(os.tmpdir(), 'esxi-ops-')), hosts: 2, vms: 25, seed: 11, names: 'hostile' });
    pool = createSshPool(loadSite(lab.siteFile).endpoints.esxi, { env: process.env });
    for (const h of lab.status().hosts) if (h.lockdown) await ops(h.name).exitLockdown();
  });
  afterAll(async () => {
    await pool?.close();
    await lab?.stop();
  });

  it('lists every VM with the vmid, datastore path and display name the lab holds', async () => {
    const status = lab.status();
    for (const h of status.hosts) {
      const { vms, skipped } = await ops(h.name).listVms();
      expect(skipped).toEqual([]);
      const expected = status.vms.filter((v) => v.host === h.name);
      expect(vms.map((v) => v.vmid).sort()).toEqual(expected.map((v) => v.vmid).sort());
      for (const v of expected) {
        const got = vms.find((x) => x.vmid === v.vmid)!;
        expect(got.datastore).toBe(v.datastore);
        expect(got.file).toBe(v.path); // the lab's status gives `[datastore] path`
        // Trailing blanks of a name are indistinguishable from column padding (documented).
        expect(got.name).toBe(v.name.replace(/[ \t]+$/, ''));
      }
    }
    expect(status.vms.map((v) => v.name)).toContain('$(reboot)');
  });

  it('reads power state, processes, NFS mounts, version and lockdown', async () => {
    const status = lab.status();
    const h = status.hosts[0]!.name;
    const esx = ops(h);
    const mine = status.vms.filter((v) => v.host === h);
    for (const v of mine) expect(await esx.powerState(v.vmid)).toBe(v.power);
    const procs = await esx.processList();
    expect(procs.map((p) => p.worldId).sort()).toEqual(
      mine
        .filter((v) => v.power === 'on')
        .map((v) => v.worldId)
        .sort(),
    );
    expect((await esx.nfsList()).map((m) => m.volumeName)).toContain(status.vms.find((v) => v.host === h)!.datastore);
    expect((await esx.version()).product).toBe('VMware ESXi');
    expect(await esx.lockdownEnabled()).toBe(false);
  });

  it('maps a missing vmid to a NotFound RemoteCommandError', async () => {
    const err = await ops(lab.status().hosts[0]!.name)
      .powerState(99_999)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteCommandError);
    expect((err as RemoteCommandError).fault).toBe('vim.fault.NotFound');
  });

  it('power off, unregister, register under a hostile name, power on, edit the .vmx', async () => {
    const status = lab.status();
    const v = status.vms.find((x) => x.name === `it's "quoted"`)!;
    const esx = ops(v.host);
    const vmxPath = `/vmfs/volumes/${v.datastore}/${v.path.replace(/^\[[^\]]*\] /, '')}`;
    if (v.power === 'on') await esx.powerOff(v.vmid);
    expect(await esx.powerState(v.vmid)).toBe('off');
    await esx.unregister(v.vmid);
    const vmid = await esx.register(vmxPath, v.name);
    const listed = (await esx.listVms()).vms.find((x) => x.vmid === vmid)!;
    expect(listed.name).toBe(`it's "quoted"`);
    expect(getVmx(await esx.readVmx(vmxPath), 'displayName')).toBeDefined();
    await esx.editVmx(vmxPath, { 'drbook.note': 'edited by a test' });
    expect(getVmx(await esx.readVmx(vmxPath), 'drbook.note')).toBe('edited by a test');
    const r = await esx.powerOnAnsweringQuestions(vmid, (q) => movedChoiceKey(q), { pollMs: 50 });
    expect(r.answered.every((a) => a.choice === 1)).toBe(true);
    expect(await esx.powerState(vmid)).toBe('on');
  });

  it('a power-on of a VM someone started meanwhile: the host refuses it, a state read after says on, and it counts as on', async () => {
    const status = lab.status();
    const v = status.vms.find((x) => x.power === 'on' && x.name !== `it's "quoted"`)!;
    const powerOns = () => lab.status().actions.filter((a) => a.action === 'power-on' && a.target === v.path);
    const before = powerOns();
    const said: string[] = [];
    const on = await powerOnAnswering(ops(v.host), v.vmid, {
      answer: (q) => movedChoiceKey(q),
      onAnswered: () => said.push('answered'),
      onAlreadyOn: () => said.push('already on'),
      unanswerable: () => new Error('no question expected'),
      pollMs: 50,
      timeoutMs: 5_000,
      signal: new AbortController().signal,
    });
    expect(on).toBe(true);
    expect(said).toEqual(['already on']);
    // The host powered nothing on: the same power-ons as before.
    expect(powerOns()).toEqual(before);
  });
});
