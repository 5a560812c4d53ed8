/**
 * Lockdown: the failover's exit and re-entry, on the drill's hosts only — in a drill the hosts
 * that run a drill VM, in a cleanup those the drill's journal shows it touched (any host of the
 * site, as far as the plan can tell).
 */
import type { DrillContext } from '../../drill/context.js';
import { failoverActions } from '../../failover/actions.js';
import type { PlanSection } from '../../plan/model.js';
import { lockdownEnterStep, lockdownExitStep } from '../failover/lockdown.js';
import type { StepModule } from '../step.js';
import type { DrillPlanContext } from './plan-context.js';
import { drillHosts, drillHostsOutOfLockdown, hostTarget, touchedHosts } from '../../drill/actions.js';
import type { Target } from '../../engine/runner.js';

const onHosts = (s: PlanSection, hosts: readonly string[]): PlanSection['steps'] => s.steps.filter((st) => hosts.includes(st.host!));

const lockdownExit = {
  ...failoverActions['lockdown-exit'],
  targets: (ctx: DrillContext): Target[] => (ctx.mode === 'drill' ? drillHosts(ctx) : touchedHosts(ctx)).map(hostTarget),
};

const lockdownEnter = {
  ...failoverActions['lockdown-enter'],
  targets: (ctx: DrillContext): Target[] => drillHostsOutOfLockdown(ctx).map(hostTarget),
};

export const drillLockdownExitStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'lockdown-exit',
  actions: { 'lockdown-exit': lockdownExit },
  plan(p, step) {
    const [s] = lockdownExitStep.plan!(p, step);
    const drill = p.mode === 'drill';
    return [
      {
        ...s!,
        title: p.numbered(p.d.secLockdownExit),
        text: [drill ? p.d.lockdownExitIntroDrill : p.d.lockdownExitIntroCleanup],
        steps: drill ? onHosts(s!, p.drillHosts) : s!.steps,
      },
    ];
  },
};

export const drillLockdownEnterStep: StepModule<DrillContext, DrillPlanContext> = {
  action: 'lockdown-enter',
  actions: { 'lockdown-enter': lockdownEnter },
  plan(p, step) {
    const [s] = lockdownEnterStep.plan!(p, step);
    return [
      {
        ...s!,
        title: p.numbered(p.d.secLockdownEnter),
        text: [p.d.lockdownEnterIntroDrill],
        // Where a lockdown exit was sent: the drill's hosts, or (cleanup) the hosts it touched.
        steps: p.mode === 'drill' ? onHosts(s!, p.drillHosts) : s!.steps,
      },
    ];
  },
};
