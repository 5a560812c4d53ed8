import { describe, expect, it } from 'vitest';
import { deriveHvSiteState, type HvSiteContext, type HvSiteFacts } from '../../src/hyperv/state.js';

/** The Hyper-V site state from typed facts: the devices decide, the journal names the run. */

const vm = (id: string, name: string, node: string) => ({ id, name, node, state: 'running' });
const context = (o: Partial<HvSiteContext> = {}): HvSiteContext => ({
  lastCapture: { id: 'c1', takenAt: '2026-12-01T00:00:00.000Z', vms: [vm('a', 'web01', 'HV01'), vm('b', 'sql01', 'HV02')], findings: 0 },
  lastRun: null,
  unfinishedFailovers: [],
  lastDoneFailover: null,
  lock: null,
  ...o,
});
const facts = (nodes: HvSiteFacts['nodes'], o: Partial<HvSiteFacts> = {}): HvSiteFacts => ({
  site: 's',
  cluster: 'C',
  observedAt: '2026-12-03T00:00:00.000Z',
  nodes,
  clusterError: null,
  csvs: [],
  failedRoles: [],
  configMissing: [],
  ...o,
});
const on = (name: string, ids: string[]) => ({
  name,
  reachable: true,
  vms: ids.map((id) => ({ id, name: id, state: 'running' as const, heartbeat: 'ok' as const })),
});
const down = (name: string) => ({ name, reachable: false, error: 'connection refused', vms: null });
const run = { id: 'r1', kind: 'failover', status: 'stopped', createdAt: 1, updatedAt: 2 };

describe('deriveHvSiteState', () => {
  it('protected while every recorded VM is registered; recovered when a finished run came after the capture', () => {
    expect(deriveHvSiteState(facts([on('HV01', ['a']), on('HV02', ['b'])]), context())).toMatchObject({
      state: 'protected',
      missing: [],
      reason: { recovered: false },
    });
    const done = { ...run, status: 'done', updatedAt: Date.parse('2026-12-02T00:00:00Z') };
    expect(deriveHvSiteState(facts([on('HV01', ['a']), on('HV02', ['b'])]), context({ lastDoneFailover: done }))).toMatchObject({
      state: 'protected',
      byRun: 'r1',
      reason: { recovered: true },
    });
  });

  it('primary-lost when recorded VMs are registered nowhere; restore the files first when a configuration file is missing', () => {
    expect(deriveHvSiteState(facts([on('HV01', []), on('HV02', ['b'])]), context())).toMatchObject({
      state: 'primary-lost',
      missing: ['web01'],
      next: { kind: 'failover' },
    });
    expect(deriveHvSiteState(facts([on('HV01', []), on('HV02', [])], { configMissing: ['sql01'] }), context())).toMatchObject({
      state: 'primary-lost',
      next: { kind: 'restore-files', vms: ['sql01'] },
    });
  });

  it('a VM recorded on a node that did not answer is neither back nor missing', () => {
    const s = deriveHvSiteState(facts([on('HV01', ['a']), down('HV02')]), context());
    expect(s).toMatchObject({
      state: 'unknown',
      reason: { kind: 'hv-nodes-unread', nodes: ['HV02'], vms: ['sql01'] },
      missing: [],
      unknown: ['sql01'],
      next: { kind: 'check' },
    });
    // One seen missing is the recovery's situation all the same.
    expect(deriveHvSiteState(facts([on('HV01', []), down('HV02')]), context())).toMatchObject({
      state: 'primary-lost',
      missing: ['web01'],
      unknown: ['sql01'],
    });
  });

  it('an unfinished recovery is in progress and is resumed; no node or no capture is unknown', () => {
    expect(deriveHvSiteState(facts([on('HV01', []), on('HV02', [])]), context({ unfinishedFailovers: [run] }))).toMatchObject({
      state: 'failover-in-progress',
      next: { kind: 'resume', runId: 'r1' },
    });
    expect(deriveHvSiteState(facts([down('HV01'), down('HV02')]), context())).toMatchObject({
      state: 'unknown',
      reason: { kind: 'hv-cluster-unreachable' },
    });
    expect(deriveHvSiteState(facts([on('HV01', ['a'])]), context({ lastCapture: null }))).toMatchObject({
      state: 'unknown',
      next: { kind: 'capture' },
    });
  });
});
