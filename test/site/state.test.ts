import { describe, expect, it } from 'vitest';
import { deriveSiteState, lagSeconds, type HostFacts, type SiteContext, type SiteFacts } from '../../src/site/state.js';
import { supersededBy } from '../../src/site/read.js';
import type { Run } from '../../src/journal/journal.js';

const rel = (state: string, status = 'Idle') => ({
  source: 'svm1:vm_vol1',
  destination: 'svm2:vm_vol1_mirror',
  state,
  status,
  healthy: true,
  lagTime: '0:5:0',
  lagSeconds: 300,
});

const vm = (name: string, running = true) => ({ name, registered: true, running });

function host(name: string, o: Partial<HostFacts> = {}): HostFacts {
  return {
    name,
    reachable: true,
    lockdown: false,
    primaryDatastore: 'accessible',
    mirrorDatastore: 'missing',
    onPrimary: [vm('a')],
    onMirror: [],
    ...o,
  };
}

function facts(o: Partial<SiteFacts> = {}): SiteFacts {
  return {
    site: 'lab',
    observedAt: '2026-12-03T08:00:00.000Z',
    ontapError: null,
    relationship: rel('Snapmirrored'),
    primaryVolumeState: 'online',
    newestVsc: { name: 'smvi__job1_recent', createTime: '2026-12-03T07:00:00' },
    hosts: [host('esx01'), host('esx02')],
    drillClones: [],
    ...o,
  };
}

const run = (id: string, status: string, kind = 'failover') => ({ id, kind, status, createdAt: 1000, updatedAt: 2000 });

function context(o: Partial<SiteContext> = {}): SiteContext {
  return {
    lastGoodCapture: { id: 'c1', takenAt: '2026-12-03T07:00:00Z', vms: 4, primaryVms: 4 },
    degradedCapture: null,
    lastRun: null,
    unfinishedFailovers: [],
    lastDoneFailover: null,
    lock: null,
    ...o,
  };
}

const lost = { primaryDatastore: 'inaccessible' as const, onPrimary: [] };
const back = (names: string[]) => ({
  primaryDatastore: 'inaccessible' as const,
  mirrorDatastore: 'accessible' as const,
  onPrimary: [],
  onMirror: names.map((n) => vm(n)),
});

describe('deriveSiteState', () => {
  it('protected: relationship snapmirrored, primary online and accessible', () => {
    const s = deriveSiteState(facts(), context());
    expect(s.state).toBe('protected');
    expect(s.next).toEqual({ kind: 'nothing' });
    expect(s.drillRunning).toBe(false);
  });

  it('primary lost: the volume offline, or gone, or the datastore inaccessible on every host read', () => {
    expect(deriveSiteState(facts({ primaryVolumeState: 'offline' }), context()).reason).toMatchObject({
      kind: 'primary-lost',
      why: 'volume-offline',
    });
    expect(deriveSiteState(facts({ primaryVolumeState: null }), context()).reason).toMatchObject({
      kind: 'primary-lost',
      why: 'volume-missing',
    });
    const s = deriveSiteState(
      facts({
        hosts: [
          host('esx01', lost),
          host('esx02', { lockdown: true, onMirror: null, onPrimary: null, primaryDatastore: null, mirrorDatastore: null }),
        ],
      }),
      context(),
    );
    expect(s.state).toBe('primary-lost');
    expect(s.reason).toMatchObject({ why: 'datastore-inaccessible', hosts: ['esx01'] });
    expect(s.next).toEqual({ kind: 'failover' });
  });

  it('one host that cannot see the primary is not a lost primary', () => {
    expect(deriveSiteState(facts({ hosts: [host('esx01', lost), host('esx02')] }), context()).state).toBe('protected');
  });

  it('failed over: broken off, every VM of the capture registered from the mirror', () => {
    const s = deriveSiteState(
      facts({
        relationship: rel('Broken-off'),
        primaryVolumeState: 'offline',
        hosts: [host('esx01', back(['a', 'b'])), host('esx02', back(['c', 'd']))],
      }),
      context({ lastDoneFailover: run('r1', 'done') }),
    );
    expect(s.state).toBe('failed-over');
    expect(s.mirror).toMatchObject({ registered: 4, running: 4, hosts: ['esx01', 'esx02'] });
    expect(s.byRun).toBe('r1');
    expect(s.since).toBe(2000);
    expect(s.next).toEqual({ kind: 'reprotect-failback' });
  });

  it('failed over without any journal: the devices alone decide', () => {
    const s = deriveSiteState(
      facts({ relationship: rel('Broken-off'), hosts: [host('esx01', back(['a', 'b'])), host('esx02', back(['c', 'd']))] }),
      context({ lastGoodCapture: null }),
    );
    expect(s.state).toBe('failed-over');
    expect(s.byRun).toBeNull();
  });

  it('failed over when lockdown hides a host that could run more of them', () => {
    const hidden = host('esx02', { lockdown: true, onMirror: null, onPrimary: null, primaryDatastore: null, mirrorDatastore: null });
    expect(deriveSiteState(facts({ relationship: rel('Broken-off'), hosts: [host('esx01', back(['a'])), hidden] }), context()).state).toBe(
      'failed-over',
    );
    // The counts come from esx01 only, and say which host they leave out.
    expect(
      deriveSiteState(facts({ relationship: rel('Broken-off'), hosts: [host('esx01', back(['a'])), hidden] }), context()).reason,
    ).toMatchObject({ kind: 'failed-over', evidence: 'devices', registered: 1, notRead: ['esx02'] });
    // Nothing visible at all: the journal's finished failover says it.
    const both = [host('esx01', { ...hidden, name: 'esx01' }), hidden];
    const s = deriveSiteState(facts({ relationship: rel('Broken-off'), hosts: both }), context({ lastDoneFailover: run('r1', 'done') }));
    expect(s.state).toBe('failed-over');
    expect(s.reason).toMatchObject({ kind: 'failed-over', evidence: 'journal' });
    // …and without that journal, it is only known that the relationship is broken off.
    expect(deriveSiteState(facts({ relationship: rel('Broken-off'), hosts: both }), context()).state).toBe('failover-in-progress');
  });

  it('failover in progress: an unfinished run, or fewer VMs back than the capture holds', () => {
    const s = deriveSiteState(
      facts({ relationship: rel('Broken-off'), hosts: [host('esx01', back(['a'])), host('esx02', back([]))] }),
      context({ unfinishedFailovers: [run('r2', 'stopped')] }),
    );
    expect(s.state).toBe('failover-in-progress');
    expect(s.next).toEqual({ kind: 'resume', runId: 'r2' });
    const p = deriveSiteState(
      facts({ relationship: rel('Broken-off'), hosts: [host('esx01', back(['a'])), host('esx02', back([]))] }),
      context(),
    );
    expect(p.state).toBe('failover-in-progress');
    expect(p.reason).toEqual({ kind: 'partly-recovered', onMirror: 1, expected: 4 });
    expect(p.next).toEqual({ kind: 'continue-failover' });
    // Stopped at the break's confirmation: quiesced with a run unfinished.
    expect(
      deriveSiteState(
        facts({ relationship: rel('Snapmirrored', 'Quiesced'), primaryVolumeState: 'offline' }),
        context({ unfinishedFailovers: [run('r3', 'stopped')] }),
      ).state,
    ).toBe('failover-in-progress');
  });

  it('every VM back but the run did not finish: failed over, and the next step resumes it', () => {
    const s = deriveSiteState(
      facts({ relationship: rel('Broken-off'), hosts: [host('esx01', back(['a', 'b'])), host('esx02', back(['c', 'd']))] }),
      context({ unfinishedFailovers: [run('r4', 'stopped')] }),
    );
    expect(s.state).toBe('failed-over');
    expect(s.next).toEqual({ kind: 'resume', runId: 'r4' });
  });

  it('unknown: the cluster unreachable, or no relationship', () => {
    expect(deriveSiteState(facts({ ontapError: 'connection refused' }), context()).state).toBe('unknown');
    expect(deriveSiteState(facts({ relationship: null }), context()).reason).toEqual({ kind: 'no-relationship' });
    expect(deriveSiteState(facts({ relationship: rel('Uninitialized') }), context()).reason).toEqual({
      kind: 'relationship-state',
      state: 'Uninitialized',
    });
  });

  it('drill running beside any state: a clone online, or a drill holding the lock', () => {
    const s = deriveSiteState(facts({ drillClones: ['drill_x'] }), context());
    expect(s.state).toBe('protected');
    expect(s.drillRunning).toBe(true);
    expect(s.next).toEqual({ kind: 'drill-cleanup' });
    const held = deriveSiteState(facts(), context({ lock: { runId: 'd1', kind: 'drill', pid: 1, hostname: 'h', since: 0 } }));
    expect(held.drillRunning).toBe(true);
    expect(held.next).toEqual({ kind: 'nothing' });
  });

  it('lag in seconds from ONTAP H:M:S', () => {
    expect(lagSeconds('26:0:5')).toBe(93605);
    expect(lagSeconds('-')).toBeNull();
  });
});

describe('deriveSiteState: the way back (reprotect, failback)', () => {
  const reverse = (state: string, status = 'Idle', healthy = true) => ({
    ...rel(state, status),
    source: 'svm2:vm_vol1_mirror',
    destination: 'svm1:vm_vol1',
    healthy,
  });
  const onMirror = {
    hosts: [
      host('esx01', { ...back(['a', 'b']), primaryDatastore: 'accessible' as const }),
      host('esx02', { ...back(['c', 'd']), primaryDatastore: 'accessible' as const }),
    ],
  };

  it('failed over with the original volume back: the next step is reprotect', () => {
    const s = deriveSiteState(facts({ relationship: rel('Broken-off'), ...onMirror }), context({ lastDoneFailover: run('r1', 'done') }));
    expect(s.state).toBe('failed-over');
    expect(s.next).toEqual({ kind: 'reprotect' });
  });

  it('reprotecting while the way back transfers; reprotected once it mirrors, idle and healthy', () => {
    const transferring = deriveSiteState(
      facts({ relationship: null, reverseRelationship: reverse('Uninitialized', 'Transferring'), ...onMirror }),
      context(),
    );
    expect(transferring.state).toBe('reprotecting');
    expect(transferring.next).toEqual({ kind: 'wait-reprotect' });
    const done = deriveSiteState(facts({ relationship: null, reverseRelationship: reverse('Snapmirrored'), ...onMirror }), context());
    expect(done.state).toBe('reprotected');
    expect(done.next).toEqual({ kind: 'failback' });
    expect(
      deriveSiteState(facts({ relationship: null, reverseRelationship: reverse('Snapmirrored', 'Idle', false), ...onMirror }), context())
        .state,
    ).toBe('reprotecting');
  });

  it('an unfinished reprotect is resumed, even before the way back exists', () => {
    const s = deriveSiteState(
      facts({ relationship: null, reverseRelationship: null, ...onMirror }),
      context({ unfinishedReprotect: run('p1', 'stopped', 'reprotect') }),
    );
    expect(s.state).toBe('reprotecting');
    expect(s.next).toEqual({ kind: 'resume', runId: 'p1' });
  });

  it('failing back: an unfinished failback (whatever the relationships say), or the way back broken off', () => {
    const s = deriveSiteState(
      facts({ relationship: rel('Snapmirrored'), reverseRelationship: null }),
      context({ unfinishedFailback: run('f1', 'failed', 'failback') }),
    );
    expect(s.state).toBe('failing-back');
    expect(s.next).toEqual({ kind: 'resume', runId: 'f1' });
    expect(deriveSiteState(facts({ relationship: null, reverseRelationship: reverse('Broken-off') }), context()).state).toBe(
      'failing-back',
    );
  });

  it('protected again once the failback finished: the original relationship, no way back', () => {
    expect(deriveSiteState(facts({ reverseRelationship: null }), context({ unfinishedFailback: null })).state).toBe('protected');
  });
});

describe('supersededBy: a later finished run of the same kind makes an unfinished one obsolete', () => {
  const run = (id: string, kind: Run['kind'], status: Run['status'], createdAt: number): Run => ({
    id,
    site: 'lab',
    kind,
    runbook: kind,
    siteFile: 'site.yaml',
    options: {},
    status,
    createdAt,
    updatedAt: createdAt,
  });
  it('per kind: a reprotect by a later reprotect, not by a failover or a failback', () => {
    const stopped = run('a', 'reprotect', 'stopped', 1);
    expect(supersededBy([run('b', 'failover', 'done', 2), run('c', 'failback', 'done', 3)], stopped)).toBeUndefined();
    expect(supersededBy([run('d', 'reprotect', 'done', 2)], stopped)?.id).toBe('d');
    // An earlier finished one does not.
    expect(supersededBy([run('e', 'failback', 'done', 0)], run('f', 'failback', 'stopped', 1))).toBeUndefined();
  });
});
