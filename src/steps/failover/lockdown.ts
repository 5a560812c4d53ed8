/** Lockdown: exit it where it is enabled; re-enter it on every host where drbook exited it (an `always` step). */
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import type { FailoverContext } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import { hostsSentLockdownExit } from '../../site/lockdown.js';
import type { CheckResult, Target } from '../../engine/runner.js';
import { failoverMessages } from '../../i18n/failover.js';
import { hostTargets } from './helpers.js';

function lockText(p: FailoverPlanContext, h: string): string {
  const lock = p.capturedHost(h)?.lockdown;
  return lock === true ? p.m.preHostLockdownOn : lock === false ? p.m.preHostLockdownOff : p.m.preHostLockdownUnknown;
}

export const lockdownExit = {
  targets: hostTargets,
  check: async (ctx: FailoverContext, t: Target): Promise<CheckResult> => ((await ctx.esxi(t.host!).lockdownEnabled()) ? 'todo' : 'done'),
  apply: (ctx: FailoverContext, t: Target) => ctx.esxi(t.host!).exitLockdown(),
  verify: async (ctx: FailoverContext, t: Target) =>
    (await ctx.esxi(t.host!).lockdownEnabled()) ? failoverMessages(ctx.lang).checkLockdownOn : (true as const),
};

/** Hosts this run (or an earlier attempt of it) sent a lockdown exit to: the re-entry's targets. */
export function hostsOutOfLockdown(ctx: FailoverContext): string[] {
  return hostsSentLockdownExit(ctx.events());
}

export const lockdownEnter = {
  targets: (ctx: FailoverContext): Target[] => hostsOutOfLockdown(ctx).map((h) => ({ id: `host:${h}`, label: h, host: h })),
  check: async (ctx: FailoverContext, t: Target): Promise<CheckResult> => ((await ctx.esxi(t.host!).lockdownEnabled()) ? 'done' : 'todo'),
  apply: (ctx: FailoverContext, t: Target) => ctx.esxi(t.host!).enterLockdown(),
  verify: async (ctx: FailoverContext, t: Target) =>
    (await ctx.esxi(t.host!).lockdownEnabled()) ? (true as const) : failoverMessages(ctx.lang).checkLockdownOff,
};

export const lockdownExitStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'lockdown-exit',
  actions: { 'lockdown-exit': lockdownExit },
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
  actions: { 'lockdown-enter': lockdownEnter },
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
