/**
 * src/journal/upgrade.ts reads journals written before commands carried intents: the lines it
 * recognises are exactly those the builders sent then (the builders are unchanged since), and an
 * event of a run started by today's drbook is never read from its text.
 */
import { describe, expect, it } from 'vitest';
import { esxiCommands } from '../../src/adapters/esxi/commands.js';
import { ontapCommands } from '../../src/adapters/ontap/commands.js';
import { EVENTS_VERSION, type EngineEvent } from '../../src/engine/events.js';
import { upgradeEvents } from '../../src/journal/upgrade.js';

const started = (command: string, id = 'c1'): EngineEvent => ({ type: 'command.started', at: 2, id, host: 'h', command });
const run = (eventsVersion?: number): EngineEvent => ({
  type: 'run.started',
  at: 1,
  runId: 'r',
  site: 's',
  runbook: 'b',
  resumed: false,
  eventsVersion,
});
const intentsOf = (events: EngineEvent[]) =>
  upgradeEvents(events).map((e) => (e.type === 'command.started' ? (e.intent ?? null) : undefined));

describe('journals written before intents', () => {
  it('reads the kill, lockdown, revert and SnapRestore lines the builders wrote as intents', () => {
    const events = [
      run(),
      started(esxiCommands.kill(2966004, 'hard')),
      started(esxiCommands.lockdownExit()),
      started(esxiCommands.lockdownEnter()),
      started(esxiCommands.snapshotRevert(12, 3)),
      started(ontapCommands.restoreVolume('svm2', 'vm_vol1_mirror', 'smvi__job1_recent')),
      started(ontapCommands.restoreVolume('svm 2', 'vol', 'smvi__my job_recent')),
      started(esxiCommands.processList()),
    ];
    expect(intentsOf(events)).toEqual([
      undefined,
      { op: 'kill', worldId: 2966004, type: 'hard' },
      { op: 'lockdown-exit' },
      { op: 'lockdown-enter' },
      { op: 'snapshot-revert', vmid: 12, snapshotId: 3 },
      { op: 'restore', volume: 'svm2:vm_vol1_mirror', snapshot: 'smvi__job1_recent' },
      { op: 'restore', volume: 'svm 2:vol', snapshot: 'smvi__my job_recent' },
      null,
    ]);
  });

  it("reads the drill's lines the builders wrote (clone, datastore, registration, .vmx write, power) as intents", () => {
    const events = [
      run(),
      started(ontapCommands.cloneCreate('svm2', 'drill_r1', 'vm_vol1_mirror', 'smvi__job1_recent', '/drill_r1')),
      started(ontapCommands.mount('svm2', 'drill_r1', '/drill_r1')),
      started(ontapCommands.volumeVerb('unmount', 'svm2', 'drill_r1')),
      started(ontapCommands.volumeVerb('offline', 'svm2', 'drill_r1')),
      started(ontapCommands.volumeVerb('delete', 'svm 2', 'drill_r1')),
      started(esxiCommands.nfsAdd('127.0.0.1', '/drill_r1', 'drill_r1')),
      started(esxiCommands.nfsRemove('drill_r1')),
      started(esxiCommands.register('/vmfs/volumes/drill_r1/web 01/web 01.vmx', "web01 it's-drill")),
      started(esxiCommands.register('/vmfs/volumes/drill_r1/db/db.vmx')),
      started(esxiCommands.unregister(7)),
      started(esxiCommands.powerOn(7)),
      started(esxiCommands.powerOff(8)),
      started(esxiCommands.writeFile('/vmfs/volumes/drill_r1/web 01/web 01.vmx', 'a = "1"\nb = \'&& mv x y\'\n')),
      started(esxiCommands.readFile('/vmfs/volumes/drill_r1/db/db.vmx')),
      started(ontapCommands.volumeState('svm2', 'drill_r1')),
    ];
    expect(intentsOf(events)).toEqual([
      undefined,
      {
        op: 'clone-create',
        clone: 'svm2:drill_r1',
        parent: 'svm2:vm_vol1_mirror',
        snapshot: 'smvi__job1_recent',
        junctionPath: '/drill_r1',
      },
      { op: 'volume-mount', volume: 'svm2:drill_r1', junctionPath: '/drill_r1' },
      { op: 'volume-unmount', volume: 'svm2:drill_r1' },
      { op: 'volume-offline', volume: 'svm2:drill_r1' },
      { op: 'volume-delete', volume: 'svm 2:drill_r1' },
      { op: 'nfs-add', nfsHost: '127.0.0.1', share: '/drill_r1', name: 'drill_r1' },
      { op: 'nfs-remove', name: 'drill_r1' },
      { op: 'register', vmxPath: '/vmfs/volumes/drill_r1/web 01/web 01.vmx', name: "web01 it's-drill" },
      { op: 'register', vmxPath: '/vmfs/volumes/drill_r1/db/db.vmx', name: undefined },
      { op: 'unregister', vmid: 7 },
      { op: 'power-on', vmid: 7 },
      { op: 'power-off', vmid: 8 },
      { op: 'write-file', path: '/vmfs/volumes/drill_r1/web 01/web 01.vmx' },
      null,
      null,
    ]);
  });

  it('gives a board written before boards had a kind its kind, in a run of either version', () => {
    const board = (data: object, v?: number) => {
      const [, e] = upgradeEvents([run(v), { type: 'situation', at: 2, data }]);
      return e?.type === 'situation' ? e.data : undefined;
    };
    const failover = { site: 's', snapshots: [], hosts: [], plan: null, problems: [] };
    expect(board(failover)).toEqual({ kind: 'failover', ...failover });
    expect(board(failover, EVENTS_VERSION)).toEqual({ kind: 'failover', ...failover });
    expect(board({ ...failover, drill: { runId: 'r1' } }, EVENTS_VERSION)).toMatchObject({ kind: 'drill', drill: { runId: 'r1' } });
    expect(board({ platform: 'hyperv', cluster: 'c', nodes: [] })).toMatchObject({ kind: 'hyperv', cluster: 'c' });
    // The way back's boards named their kind from the start; an unknown shape is left as it is.
    expect(board({ kind: 'reprotect-plan', mode: 'resync' })).toEqual({ kind: 'reprotect-plan', mode: 'resync' });
    expect(board({ hosts: 1 })).toEqual({ hosts: 1 });
  });

  it("reads a vCenter call's method from its line when it carries no intent, in a run of either version", () => {
    const vc = (command: string): EngineEvent => ({ type: 'command.started', at: 2, id: 'v', host: 'vcenter', command });
    const out = (v?: number) =>
      intentsOf([
        run(v),
        vc('RegisterVM_Task path="[ds] web01/web01.vmx" name="web01" folder=group-v3 pool=resgroup-8 host=host-10'),
        vc('MoveIntoResourcePool pool=resgroup-8 vms=vm-1'),
        vc('RetrieveProperties x'),
      ]);
    expect(out()).toEqual([
      undefined,
      { op: 'vcenter-call', method: 'RegisterVM_Task' },
      { op: 'vcenter-call', method: 'MoveIntoResourcePool' },
      null,
    ]);
    expect(out(EVENTS_VERSION)).toEqual(out());
  });

  it('turns the engine notes back into keys and keeps an action note as text', () => {
    const out = upgradeEvents([
      run(),
      { type: 'step.state', at: 2, stepId: 'fence', state: 'failed', note: '1 of 4 failed' },
      { type: 'target.state', at: 3, stepId: 'fence', targetId: 't', state: 'skipped', note: 'web01: answered "I moved it"' },
    ]);
    expect(out[1]).toMatchObject({ note: { key: 'failedCount', params: { n: 1, total: 4 } } });
    expect(out[2]).toMatchObject({ note: 'web01: answered "I moved it"' });
  });

  it("reads nothing from text after a run.started of today's version (a resumed old run has both)", () => {
    const out = intentsOf([
      run(),
      started(esxiCommands.lockdownExit(), 'a'),
      run(EVENTS_VERSION),
      started(esxiCommands.lockdownExit(), 'b'),
    ]);
    expect(out).toEqual([undefined, { op: 'lockdown-exit' }, undefined, null]);
    const notes = upgradeEvents([run(EVENTS_VERSION), { type: 'step.state', at: 2, stepId: 'x', state: 'failed', note: '1 of 4 failed' }]);
    expect(notes[1]).toMatchObject({ note: '1 of 4 failed' });
  });
});
