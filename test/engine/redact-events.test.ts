import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import type { ChooseRequest, Prompter } from '../../src/engine/ports.js';
import { redactEvent, redactingPrompter, redactingSink } from '../../src/engine/redact-events.js';
import { redactCapture } from '../../src/inventory/redact-capture.js';
import type { Capture } from '../../src/inventory/types.js';
import { createRedactor } from '../../src/transport/redact.js';

const r = createRedactor();
r.add('Idle');

describe('redacting a run as it is kept and shown', () => {
  it('blanks free text and the situation board, keeps ids, states and hosts', () => {
    const events: EngineEvent[] = [
      {
        type: 'situation',
        at: 1,
        data: { relationship: { state: 'Snapmirrored', status: 'Idle' }, hosts: [{ host: 'esx01', note: 'Idle' }] },
      },
      {
        type: 'step.targets',
        at: 2,
        stepId: 'recover',
        stages: ['register'],
        targets: [{ id: 'vm:Idle', label: 'Idle web', host: 'esx01' }],
      },
      {
        type: 'command.finished',
        at: 3,
        id: 'c1',
        host: 'cluster1',
        exitCode: 0,
        signal: null,
        durationMs: 5,
        stdoutTail: 'Snapmirrored Idle',
        stderrTail: '',
        error: 'said Idle',
      },
      { type: 'note', at: 4, level: 'warn', text: 'relationship Idle', targetId: 'vm:Idle' },
      {
        type: 'prompt.requested',
        at: 5,
        promptId: 'p',
        kind: 'typed',
        title: 'Idle?',
        lines: ['Idle'],
        expect: 'svm2:Idle',
        options: [{ key: 'Idle', label: 'Idle' }],
      },
    ];
    const out = events.map((e) => redactEvent(e, r));
    expect(out[0]).toEqual({
      type: 'situation',
      at: 1,
      data: { relationship: { state: 'Snapmirrored', status: '***' }, hosts: [{ host: 'esx01', note: '***' }] },
    });
    expect(out[1]).toMatchObject({ targets: [{ id: 'vm:Idle', label: '*** web', host: 'esx01' }] });
    expect(out[2]).toMatchObject({ stdoutTail: 'Snapmirrored ***', error: 'said ***', exitCode: 0 });
    expect(out[3]).toMatchObject({ text: 'relationship ***', targetId: 'vm:Idle' });
    // The typed confirmation's expected text and the option keys are what the answer is compared with.
    expect(out[4]).toMatchObject({ title: '***?', lines: ['***'], expect: 'svm2:Idle', options: [{ key: 'Idle', label: '***' }] });
    // The input is not changed: the actions keep reading the raw facts.
    expect(events[2]).toMatchObject({ stdoutTail: 'Snapmirrored Idle' });
  });

  it('redacts before every sink behind it', () => {
    const seen: EngineEvent[] = [];
    redactingSink({ emit: (e) => void seen.push(e) }, r).emit({
      type: 'run.finished',
      at: 1,
      outcome: 'failed',
      error: 'device said Idle',
    });
    expect(seen).toEqual([{ type: 'run.finished', at: 1, outcome: 'failed', error: 'device said ***' }]);
  });

  it('shows a question redacted and passes the answer through', async () => {
    let asked: ChooseRequest | undefined;
    const inner: Prompter = {
      via: 'test',
      confirmTyped: async () => true,
      choose: async (req) => ((asked = req), 'skip'),
      checklist: async () => true,
    };
    const answer = await redactingPrompter(inner, r).choose({
      promptId: 'p',
      title: 'web failed',
      lines: ['Idle'],
      options: [{ key: 'skip', label: 'skip Idle' }],
      failure: { vm: 'web', message: 'Error: Idle' },
    });
    expect(answer).toBe('skip');
    expect(asked).toMatchObject({
      lines: ['***'],
      options: [{ key: 'skip', label: 'skip ***' }],
      failure: { vm: 'web', message: 'Error: ***' },
    });
  });
});

describe('redacting a capture', () => {
  it('blanks why a host failed and the findings, keeps the inventory byte for byte', () => {
    const capture = {
      id: 'c',
      site: 's',
      takenAt: '',
      drbookVersion: '',
      hosts: [{ name: 'esx01', reachable: false, error: 'login said Idle', nfs: [] }],
      vms: [{ name: 'Idle box' }],
      volumes: [],
      audit: {
        vms: [],
        findings: [
          {
            code: 'host-unreachable',
            severity: 'error',
            host: 'esx01',
            message: 'esx01: login said Idle',
            detail: { key: 'hostUnreachableLost', params: { host: 'esx01', error: 'login said Idle' } },
          },
        ],
      },
    } as unknown as Capture;
    const out = redactCapture(capture, r);
    expect(out.hosts[0]?.error).toBe('login said ***');
    expect(out.audit.findings[0]).toMatchObject({
      message: 'esx01: login said ***',
      detail: { params: { host: 'esx01', error: 'login said ***' } },
    });
    expect(out.vms[0]?.name).toBe('Idle box');
  });
});
