/** Callouts: the site file's local commands before the break and at the end (their output and exit code are journaled). */
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import type { PlanSection } from '../../plan/model.js';
import { shellLine } from '../../transport/quote.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

function calloutSection(p: FailoverPlanContext, at: 'before-break' | 'end', id: string, title: string): PlanSection[] {
  const { m } = p;
  const callouts = p.site.callouts.filter((c) => c.at === at);
  if (callouts.length === 0) return [];
  return [
    {
      id,
      title,
      text: [],
      steps: callouts.map((c) => ({
        id: `${id}:${c.name}`,
        title: c.name,
        target: `callout:${c.name}`,
        text: [m.calloutText({ name: c.name, seconds: c.timeoutSeconds }), c.continueOnFailure ? m.calloutContinues : m.calloutStops],
        commands: [{ target: 'local', device: 'local', line: shellLine(c.run), expect: m.calloutExpect }],
      })),
    },
  ];
}

export const calloutsBeforeBreakStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'callouts-before-break',
  actions: pick(failoverActions, 'callouts-before-break'),
  plan: (p, step) => calloutSection(p, 'before-break', step.id, p.m.secCalloutsBefore),
};

export const calloutsEndStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'callouts-end',
  actions: pick(failoverActions, 'callouts-end'),
  plan: (p, step) => calloutSection(p, 'end', step.id, p.m.secCalloutsEnd),
};
