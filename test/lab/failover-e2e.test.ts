import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGetAllVms, parseProcessList, parseSnapshotTree } from '../../src/adapters/esxi/parsers.js';
import { parseOntapMessage } from '../../src/adapters/ontap/parsers.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { shellLine } from '../../src/transport/quote.js';
import { esxi, ontap, tempDir } from './helpers.js';

/**
 * The whole procedure of design §2 by hand, over SSH, with two VSC jobs: every VM must come back
 * at its own job's quiesce point. Proves the model, not the runbook.
 */
describe('lab: a two-job failover by hand lands every VM at its quiesce point', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ dir: tempDir(), hosts: 2, vms: 9, jobs: 2, seed: 11, names: 'hostile' });
    await lab.backup('job1');
    await lab.tick();
    await lab.backup('job2');
    await lab.tick();
    await lab.disaster();
  });
  afterAll(async () => lab?.stop());

  it('works', async () => {
    const st = lab.status();
    const quiesced = new Map<string, number | null>();
    for (const b of st.backups) for (const [vm, m] of Object.entries(b.quiesced)) quiesced.set(vm, m);
    const sendOntap = async (line: string): Promise<void> => {
      const m = parseOntapMessage((await ontap(lab, `set -confirmations off; ${line}`)).stdout);
      expect(m.kind, `${line}: ${m.text}`).not.toBe('error');
    };
    await sendOntap('snapmirror quiesce -destination-path svm2:vm_vol1_mirror');
    await sendOntap('snapmirror break -destination-path svm2:vm_vol1_mirror');
    // The newest job's snapshot for the volume; the older job's files one by one.
    await sendOntap('volume snapshot restore -vserver svm2 -volume vm_vol1_mirror -snapshot smvi__job2_recent');
    const job1 = lab.state.vms.filter((v) => v.job === 'job1');
    const first = st.hosts[0]!.name;
    for (const h of st.hosts) {
      if (h.lockdown) await esxi(lab, h.name, 'vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit');
      expect((await esxi(lab, h.name, 'esxcli storage nfs add -H 127.0.0.1 -s /vm_vol1_mirror -v ds_vm1_mirror')).code).toBe(0);
    }
    const oldSnap = st.backups.find((b) => b.job === 'job1')!.snapshot;
    for (const vm of job1) {
      const ls = await esxi(lab, first, shellLine(['ls', `/vmfs/volumes/ds_vm1_mirror/.snapshot/${oldSnap}/${vm.dir}`]));
      for (const f of ls.stdout.trim().split('\n'))
        await sendOntap(
          `volume snapshot restore-file -vserver svm2 -volume vm_vol1_mirror -snapshot ${oldSnap} -path ${JSON.stringify(`/${vm.dir}/${f}`)}`,
        );
    }
    // Remove the stale VMs, register from the mirror on the same host, revert, delete the snapshot, power on.
    for (const h of st.hosts) {
      for (const p of parseProcessList((await esxi(lab, h.name, 'esxcli vm process list')).stdout).processes) {
        for (const type of ['soft', 'hard', 'force'])
          await esxi(lab, h.name, `esxcli vm process kill --type=${type} --world-id=${p.worldId}`).catch(() => undefined);
      }
      for (const v of st.vms.filter((x) => x.host === h.name))
        expect((await esxi(lab, h.name, `vim-cmd vmsvc/unregister ${v.vmid}`)).code).toBe(0);
      for (const v of st.vms.filter((x) => x.host === h.name && x.name !== 'vcenter01')) {
        const rel = v.path.replace('[ds_vm1] ', '');
        const vmx = `/vmfs/volumes/ds_vm1_mirror/${rel}`;
        await esxi(lab, h.name, `${shellLine(['echo', 'answer.msg.uuid.altered = "I moved it"'])} >> ${shellLine([vmx])}`);
        const vmid = (await esxi(lab, h.name, shellLine(['vim-cmd', 'solo/registervm', vmx, v.name]))).stdout.trim();
        const tree = parseSnapshotTree((await esxi(lab, h.name, `vim-cmd vmsvc/snapshot.get ${vmid}`)).stdout);
        const smvi = tree.snapshots.find((s) => s.name.startsWith('smvi_'));
        if (quiesced.get(v.name) === null || quiesced.get(v.name) === undefined) expect(smvi).toBeUndefined();
        if (smvi) {
          expect((await esxi(lab, h.name, `vim-cmd vmsvc/snapshot.revert ${vmid} ${smvi.id} true`)).code).toBe(0);
          expect((await esxi(lab, h.name, `vim-cmd vmsvc/snapshot.remove ${vmid} ${smvi.id}`)).code).toBe(0);
        }
        expect((await esxi(lab, h.name, `vim-cmd vmsvc/power.on ${vmid}`)).stdout).toBe('Powering on VM:\n');
      }
      const listed = parseGetAllVms((await esxi(lab, h.name, 'vim-cmd vmsvc/getallvms')).stdout).vms;
      expect(listed.every((r) => r.datastore === 'ds_vm1_mirror')).toBe(true);
    }
    const after = lab.status();
    for (const v of after.vms.filter((x) => x.datastore === 'ds_vm1_mirror')) {
      expect(v.power, v.name).toBe('on');
      expect(v.snapshots).toEqual([]);
      const q = quiesced.get(v.name);
      if (typeof q === 'number') expect(v.bootMarker, v.name).toBe(q);
    }
    expect(after.vms.filter((x) => x.datastore === 'ds_vm1_mirror')).toHaveLength(8);
    expect(after.actions.filter((a) => a.count > 1 && a.action !== 'kill')).toEqual([]);
  });
});
