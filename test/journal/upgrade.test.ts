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
const run = (eventsVersion?: number): EngineEvent => ({ type: 'run.started', at: 1, runId: 'r', site: 's', runbook: 'b', resumed: false, eventsVersion });
const intentsOf = (events: EngineEvent[]) => upgradeEvents(events).map((e) => (e.type === 'command.started' ? (e.intent ?? null) : undefined));

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
    const out = intentsOf([run(), started(esxiCommands.lockdownExit(), 'a'), run(EVENTS_VERSION), started(esxiCommands.lockdownExit(), 'b')]);
    expect(out).toEqual([undefined, { op: 'lockdown-exit' }, undefined, null]);
    const notes = upgradeEvents([run(EVENTS_VERSION), { type: 'step.state', at: 2, stepId: 'x', state: 'failed', note: '1 of 4 failed' }]);
    expect(notes[1]).toMatchObject({ note: '1 of 4 failed' });
  });
});
