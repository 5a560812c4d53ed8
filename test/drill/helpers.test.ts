import { describe, expect, it } from 'vitest';
import { parsePendingQuestion } from '../../src/adapters/esxi/parsers.js';
import { parseVmx } from '../../src/adapters/esxi/vmx.js';
import { connectedNics, copiedChoiceKey, drillVmName, nicsOf } from '../../src/drill/actions.js';
import { summarizeDrill } from '../../src/drill/report.js';
import type { EngineEvent } from '../../src/engine/events.js';

describe('drill NIC isolation', () => {
  it('finds every ethernetN present, whatever its keys, and which would connect', () => {
    const lines = parseVmx(
      [
        'ethernet0.virtualDev = "vmxnet3"',
        'ethernet0.startConnected = "TRUE"',
        'Ethernet1.present = "TRUE"', // no startConnected: ESXi connects it
        'ethernet2.startConnected = "false"',
        'ethernet10.networkName = "VM Network"',
        'ethernet10.startConnected = "FALSE"',
        'scsi0:0.fileName = "ethernet3.vmdk"',
      ].join('\n'),
    );
    expect(nicsOf(lines)).toEqual(['ethernet0', 'ethernet1', 'ethernet10', 'ethernet2']);
    expect(connectedNics(lines)).toEqual(['ethernet0', 'ethernet1']);
  });
});

describe('the moved-or-copied question', () => {
  it('answers "I copied it" on the old and the new layouts', () => {
    const old = parsePendingQuestion(
      [
        'Virtual machine message 0:',
        'msg.uuid.altered:This virtual machine may have been moved or copied.',
        'Did you move this virtual machine, or did you copy it?',
        '0. Cancel (Cancel)',
        '1. I _moved it (I _moved it)',
        '2. I _copied it (I _copied it) [default]',
      ].join('\n'),
    )!;
    expect(copiedChoiceKey(old)).toBe(2);
    const fresh = parsePendingQuestion(
      [
        'Virtual machine message _vmx1:',
        'msg.uuid.altered:This virtual machine might have been moved or copied.',
        '   0. Cancel (Cancel)',
        '   1. I _Moved It (button.uuid.movedTheVM)',
        '   2. I _Copied It (button.uuid.copiedTheVM)',
      ].join('\n'),
    )!;
    expect(copiedChoiceKey(fresh)).toBe(2);
  });

  it('names a drill VM after its recorded name, trailing blanks dropped', () => {
    expect(drillVmName({ name: 'trailing spaces  ' } as never)).toBe('trailing spaces [drill]');
  });
});

describe('the drill summary', () => {
  it('measures recovery from the first register to the last heartbeat, per VM too', () => {
    const t = (at: number, targetId: string, stage: string | undefined, state: string, extra: object = {}): EngineEvent =>
      ({ type: 'target.state', at, stepId: 'recover', targetId, stage, state, ...extra }) as EngineEvent;
    const events: EngineEvent[] = [
      { type: 'run.started', at: 0, runId: 'r1', site: 'lab', runbook: 'drbook-drill', resumed: false },
      {
        type: 'step.targets',
        at: 1,
        stepId: 'recover',
        stages: [],
        targets: [
          { id: 'a', label: 'a', host: 'h1' },
          { id: 'b', label: 'b', host: 'h2' },
        ],
      },
      t(10, 'a', 'register', 'running'),
      t(12, 'a', 'register', 'done'),
      t(12, 'a', 'revert', 'running'),
      t(13, 'a', 'revert', 'done'),
      t(13, 'a', 'power-on', 'running'),
      t(15, 'a', 'power-on', 'done'),
      t(15, 'a', 'heartbeat', 'running'),
      t(20, 'a', 'heartbeat', 'done'),
      t(11, 'b', 'register', 'running'),
      t(12, 'b', 'register', 'done'),
      t(12, 'b', 'revert', 'running'),
      t(12, 'b', 'revert', 'skipped', { note: 'no quiesce point: crash-consistent' }),
      t(14, 'b', 'power-on', 'running'),
      t(16, 'b', 'power-on', 'done'),
      t(16, 'b', 'heartbeat', 'running'),
      t(30, 'b', 'heartbeat', 'failed', { error: 'no heartbeat' }),
      { type: 'run.finished', at: 31, outcome: 'failed' },
    ];
    const s = summarizeDrill(events);
    expect(s.recoveryMs).toBe(10);
    expect(s.vms.map((v) => [v.name, v.booted, v.heartbeat, v.consistency, v.recoveryMs, v.error])).toEqual([
      ['a', true, true, 'quiesced', 10, undefined],
      ['b', true, false, 'crash-consistent', undefined, 'no heartbeat'],
    ]);
    expect(s.counts).toMatchObject({ total: 2, booted: 2, heartbeat: 1, quiesced: 1, crashConsistent: 1, failed: 1 });
  });
});
