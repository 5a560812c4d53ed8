import { afterEach, describe, expect, it } from 'vitest';
import { render, type Instance } from 'ink';
import stringWidth from 'string-width';
import { FailoverScreen } from '../../src/ui/components/FailoverScreen.js';
import { UiProvider } from '../../src/ui/theme.js';
import { createScreenMapper, toSituation } from '../../src/ui/from-view-model.js';
import type { RowSource, VmView } from '../../src/ui/types.js';
import { fakeTerminal, KEY } from '../helpers/ink.js';
import { runViewModel, T0 } from './fixtures.js';

const instances: Instance[] = [];
afterEach(() => {
  for (const i of instances.splice(0)) i.unmount();
});

/** Counts how many rows the screen reads: a virtualised table reads about a screenful. */
function counting(source: RowSource<VmView>): RowSource<VmView> & { reads: number } {
  const c = {
    reads: 0,
    size: source.size,
    get(i: number) {
      c.reads++;
      return source.get(i);
    },
  };
  return c;
}

describe('VM table with 2,000 VMs', () => {
  it('reads only the visible rows, also while scrolling', async () => {
    const data = createScreenMapper()(runViewModel({ vms: 2000, registered: 500 }));
    const vms = counting(data.vms);
    const term = fakeTerminal(80, 24);
    instances.push(
      render(
        <UiProvider lang="en" noColor>
          <FailoverScreen
            data={{ ...data, vms, vmsOf: undefined }}
            onAnswer={() => {}}
            onPause={() => {}}
            onQuit={() => {}}
            onLeave={() => {}}
            now={T0}
          />
        </UiProvider>,
        { ...term.streams, debug: true, exitOnCtrlC: false, patchConsole: false },
      ),
    );
    await term.waitFor((f) => f.includes('app-web-0000'));
    expect(vms.reads).toBeLessThan(50);
    vms.reads = 0;
    await term.type(KEY.pageDown, KEY.pageDown, KEY.pageDown, KEY.down);
    await term.waitFor((f) => !f.includes('app-web-0000 '), 'scrolled');
    expect(vms.reads).toBeLessThan(4 * 30);
    for (const l of term.lines()) expect(stringWidth(l)).toBeLessThanOrEqual(80);
  });
});

describe('the view-model mapper', () => {
  it('maps the targets of each step and follows the running one', () => {
    const map = createScreenMapper();
    const data = map(runViewModel({ vms: 30, registered: 12 }));
    expect(data.tableStepId).toBe('recover');
    expect(data.vms.size).toBe(30);
    expect(data.vms.get(4)).toMatchObject({ name: 'app-web-0004', state: 'failed', stage: 'register' });
    expect(data.commandsOf?.('recover', data.vms.get(4)!.targetId)[0]?.exitCode).toBe(1);
    expect(data.vmsOf?.('fence').size).toBe(0);
    const register = data.steps.find((s) => s.id === 'recover');
    expect(register).toMatchObject({ state: 'running', done: 12, total: 30 });
    expect(data.situation?.hosts.length).toBe(4);
    expect(data.log.length).toBeGreaterThan(0);
  });

  it('gives the same object for an unchanged finished row (memoised rows skip rendering)', () => {
    const map = createScreenMapper();
    const vm = runViewModel({ vms: 10, registered: 5 });
    const a = map(vm).vms.get(0);
    const b = map({ ...vm }).vms.get(0);
    expect(a).toBe(b);
  });
});

describe('the situation board data', () => {
  it("maps the failover preflight's Situation and marks hosts drbook left out of lockdown", () => {
    const s = toSituation(
      {
        site: 'dc1',
        relationship: {
          source: 'svm1:v',
          destination: 'svm2:v_mirror',
          state: 'broken-off',
          status: 'idle',
          healthy: true,
          lagTime: '3:02:10',
        },
        snapshots: [
          {
            name: 'smvi__daily_recent',
            job: 'daily',
            createTime: '2026-11-21T22:00:00Z',
            quiesced: 21,
            total: 24,
            atNewest: 21,
            chosen: true,
          },
        ],
        hosts: [
          { name: 'esx01', reachable: true, lockdown: true, staleRegistered: 3, staleRunning: 1, mirrorMounted: true },
          { name: 'esx02', reachable: false, lockdown: null, staleRegistered: null, staleRunning: null, mirrorMounted: null },
        ],
        missingFromMirror: ['old-vm'],
        problems: [],
      },
      new Set(['esx01']),
    );
    expect(s).toMatchObject({
      relationship: { destination: 'svm2:v_mirror', state: 'broken-off', lag: '3:02:10' },
      snapshots: [{ name: 'smvi__daily_recent', quiesced: 21, total: 24, chosen: true, createdAt: Date.parse('2026-11-21T22:00:00Z') }],
      hosts: [
        { name: 'esx01', lockdown: 'exited' },
        { name: 'esx02', lockdown: 'unknown', reachable: false },
      ],
      staleVms: 3,
      missingVms: 1,
    });
  });
});
