import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperatorError } from '../../src/errors.js';
import { loadRunbook, parseRunbook, stagesOf } from '../../src/runbook/runbook.js';
import { RUNBOOK_YAML } from './fake-world.js';

describe('runbook loader', () => {
  it('reads steps, stages (names or objects) and defaults', () => {
    const rb = parseRunbook(RUNBOOK_YAML, 'rb.yaml');
    const vms = rb.steps.find((s) => s.id === 'vms')!;
    expect(stagesOf(vms)).toEqual([
      { id: 'fence', action: 'fence', retry: { attempts: 2, delayMs: 0 }, gate: undefined, slot: true },
      { id: 'register', action: 'register', retry: { attempts: 2, delayMs: 0 }, gate: undefined, slot: true },
      { id: 'power', action: 'power', retry: { attempts: 2, delayMs: 0 }, gate: 'priority', slot: true },
    ]);
    expect(rb.steps.find((s) => s.id === 'lockdown-enter')).toMatchObject({ always: true, recheck: false });
    expect(stagesOf(rb.steps[0]!)).toEqual([
      { id: 'lockdown-exit', action: 'lockdown.exit', retry: undefined, gate: undefined, slot: true },
    ]);
    const waiting = parseRunbook(
      RUNBOOK_YAML.replace('{ id: power, gate: priority }', '{ id: power, gate: priority, slot: false }'),
      'rb.yaml',
    );
    expect(stagesOf(waiting.steps.find((s) => s.id === 'vms')!)[2]).toMatchObject({ id: 'power', slot: false });
  });

  it('names the field and the line of a mistake', () => {
    const bad = RUNBOOK_YAML.replace('per: vm', 'per: cluster');
    const line = bad.split('\n').findIndex((l) => l.includes('per: cluster')) + 1;
    expect(() => parseRunbook(bad, 'rb.yaml')).toThrow(OperatorError);
    expect(() => parseRunbook(bad, 'rb.yaml')).toThrow(new RegExp(`^rb\\.yaml:${line}: runbook field steps\\.2\\.per: `));
  });

  it('refuses duplicate step ids and unknown keys', () => {
    const dup = RUNBOOK_YAML.replace('id: break', 'id: vms');
    expect(() => parseRunbook(dup, 'rb.yaml')).toThrow(/steps\.2\.id: step id vms is used twice/);
    const unknown = RUNBOOK_YAML.replace('always: true', 'always: true\n    alwayz: true');
    expect(() => parseRunbook(unknown, 'rb.yaml')).toThrow(/steps\.3/);
    expect(() => parseRunbook(RUNBOOK_YAML.replace('retry: { attempts: 2', 'retry: { attempts: 0'), 'rb.yaml')).toThrow(/retry\.attempts/);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadRunbook('/nonexistent/rb.yaml')).toThrow(/cannot read runbook \/nonexistent\/rb\.yaml: no such file/);
    const dir = mkdtempSync(path.join(tmpdir(), 'drbook-rb-'));
    const file = path.join(dir, 'rb.yaml');
    writeFileSync(file, RUNBOOK_YAML);
    expect(loadRunbook(file).name).toBe('test-failover');
  });
});
