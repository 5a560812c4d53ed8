/**
 * Lockdown, as in the failover: exit it where it is enabled, re-enter it on every host where
 * drbook exited it (an `always` step). A way-back context is a failover context, so the
 * failover's lockdown actions run on it unchanged; the plan says it in the failover plan's words.
 */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { Action } from '../../engine/runner.js';
import type { WayBackContext } from '../../failback/context.js';
import type { WayBackPlanContext } from '../../failback/plan-context.js';
import { failoverActions } from '../../failover/actions.js';
import type { StepModule } from '../step.js';

export const fbLockdownExitStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'lockdown-exit',
  actions: { 'lockdown-exit': failoverActions['lockdown-exit'] as unknown as Action<WayBackContext> },
  plan(p, step) {
    const { pm, onHost } = p;
    return [
      {
        id: step.id,
        title: p.m.secLockdownExit,
        text: [pm.lockdownExitIntro],
        steps: p.hosts.map((h) => ({
          id: `lockdown-exit:${h}`,
          title: pm.lockdownExitStep({ host: h }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.lockdownIsEnabled(), { expect: pm.lockdownCheckExpect }),
            onHost(h, esxi.lockdownExit(), { expect: pm.lockdownExitExpect }),
            onHost(h, esxi.lockdownIsEnabled(), { expect: pm.lockdownVerifyOff }),
          ],
        })),
      },
    ];
  },
};

export const fbLockdownEnterStep: StepModule<WayBackContext, WayBackPlanContext> = {
  action: 'lockdown-enter',
  actions: { 'lockdown-enter': failoverActions['lockdown-enter'] as unknown as Action<WayBackContext> },
  plan(p, step) {
    const { pm, onHost } = p;
    return [
      {
        id: step.id,
        title: p.m.secLockdownEnter,
        text: [pm.lockdownEnterIntro],
        steps: p.hosts.map((h) => ({
          id: `lockdown-enter:${h}`,
          title: pm.lockdownEnterStep({ host: h }),
          host: h,
          target: `host:${h}`,
          text: [],
          commands: [
            onHost(h, esxi.lockdownIsEnabled(), { expect: pm.lockdownEnterCheck }),
            onHost(h, esxi.lockdownEnter(), { expect: pm.lockdownEnterExpect }),
            onHost(h, esxi.lockdownIsEnabled(), { expect: pm.lockdownVerifyOn }),
          ],
        })),
      },
    ];
  },
};
