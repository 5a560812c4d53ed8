import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteCommandError } from '../../../src/errors.js';
import { OntapOps, ontapSessionLine } from '../../../src/adapters/ontap/ops.js';
import { parseSnapmirrorShow, parseSnapshotShow } from '../../../src/adapters/ontap/parsers.js';
import { startLab, type Lab } from '../../../src/lab/lab.js';
import { loadSite, splitVolumePath, type Site } from '../../../src/runbook/site.js';
import { createSshPool, type SshPool } from '../../../src/transport/ssh/pool.js';

/** The adapters against the lab's ONTAP endpoint, over real SSH on 127.0.0.1. */
describe('OntapOps against the lab cluster', () => {
  let dir: string;
  let lab: Lab;
  let site: Site;
  let pool: SshPool;
  let ops: OntapOps;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-ontap-lab-'));
    lab = await startLab({ dir, hosts: 1, vms: 3, seed: 11 });
    site = loadSite(lab.siteFile);
    pool = createSshPool([site.endpoints.ontap], { env: { HOME: dir } });
    ops = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await pool?.close();
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const rel = () => site.relationship;

  it('reads the relationship with -fields, and the default table says the same', async () => {
    const [r] = await ops.relationships({ destination: rel().destination });
    expect(r).toMatchObject({ source: rel().source, destination: rel().destination, state: 'Snapmirrored', healthy: true });
    const table = await pool.host(site.endpoints.ontap.name).exec(ontapSessionLine(['snapmirror', 'show']));
    expect(parseSnapmirrorShow(table.stdout).relationships).toEqual([
      expect.objectContaining({ source: rel().source, destination: rel().destination, state: 'Snapmirrored', type: r!.type }),
    ]);
  });

  it('lists the mirror snapshots with create times after a backup, as the default table does', async () => {
    await lab.backup();
    const { vserver, volume } = splitVolumePath(rel().destination);
    const snaps = await ops.snapshots(vserver, volume);
    expect(snaps.length).toBeGreaterThan(0);
    expect(snaps.some((s) => /^smvi__.*_recent$/.test(s.name))).toBe(true);
    for (const s of snaps) {
      expect(s).toMatchObject({ vserver, volume });
      expect(s.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    }
    const table = await pool
      .host(site.endpoints.ontap.name)
      .exec(ontapSessionLine(['volume', 'snapshot', 'show', { param: '-vserver' }, vserver, { param: '-volume' }, volume]));
    expect(parseSnapshotShow(table.stdout).snapshots.map((s) => s.name)).toEqual(snaps.map((s) => s.name));
  });

  it('quiesce and break change what relationships() reads; then a restore and a clone round trip', async () => {
    const dest = rel().destination;
    const { vserver, volume } = splitVolumePath(dest);
    await ops.quiesce(dest);
    await ops.break(dest);
    const [r] = await ops.relationships({ destination: dest });
    expect(r!.state).toBe('Broken-off');

    const recent = (await ops.snapshots(vserver, volume)).find((s) => /^smvi__.*_recent$/.test(s.name))!;
    await ops.restoreVolume(vserver, volume, recent.name);

    await ops.cloneCreate(vserver, 'drbook_drill', volume, recent.name, '/drbook_drill');
    expect(await ops.volumeState(vserver, 'drbook_drill')).toMatchObject({ state: 'online', junctionPath: '/drbook_drill' });
    await ops.cloneDelete(vserver, 'drbook_drill');
    expect(await ops.volumeState(vserver, 'drbook_drill')).toBeNull();
  });

  it("an ONTAP error from the lab becomes a RemoteCommandError with the cluster's own words", async () => {
    const err = await ops.quiesce('nosuchsvm:nosuchvol').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteCommandError);
    expect((err as RemoteCommandError).deviceMessage).toMatch(/^Error: /);
  });
});
