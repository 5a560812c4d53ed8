/** Lockdown: exit it where it is enabled; re-enter it on every host where drbook exited it (an `always` step). */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

function lockText(p: FailoverPlanContext, h: string): string {
  const lock = p.capturedHost(h)?.lockdown;
  return lock === true ? p.m.preHostLockdownOn : lock === false ? p.m.preHostLockdownOff : p.m.preHostLockdownUnknown;
}

export const lockdownExitStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'lockdown-exit',
  actions: pick(failoverActions, 'lockdown-exit'),
  plan(p, step) {
    const { m, onHost } = p;
    return [
      {
        id: step.id,
        title: m.secLockdownExit,
        text: [m.lockdownExitIntro],
        steps: p.hosts.map((h) => ({
          id: `lockdown-exit:${h}`,
          title: m.lockdownExitStep({ host: h }),
          host: h,
          target: `host:${h}`,
          text: [lockText(p, h)],
          commands: [
            onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownCheckExpect }),
            onHost(h, esxi.lockdownExit(), { expect: m.lockdownExitExpect }),
            onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownVerifyOff }),
          ],
        })),
      },
    ];
  },
};

export const lockdownEnterStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'lockdown-enter',
  actions: pick(failoverActions, 'lockdown-enter'),
  plan(p, step) {
    const { m, onHost } = p;
    // Last, as in the runbook (an `always` step): lockdown refuses the commands of the verify.
    return [
      {
        id: step.id,
        title: m.secLockdownEnter({ n: p.nextNumber() }),
        text: [m.lockdownEnterIntro],
        steps: p.hosts.map((h) => {
          const lock = p.capturedHost(h)?.lockdown;
          return {
            id: `lockdown-enter:${h}`,
            title: m.lockdownEnterStep({ host: h }),
            host: h,
            target: `host:${h}`,
            text: [lock === true ? m.lockdownWasOn : lock === false ? m.lockdownWasOff : m.lockdownWasUnknown],
            commands: [
              onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownEnterCheck }),
              onHost(h, esxi.lockdownEnter(), { expect: m.lockdownEnterExpect }),
              onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownVerifyOn }),
            ],
          };
        }),
      },
    ];
  },
};
