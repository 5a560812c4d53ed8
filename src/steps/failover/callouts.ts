/** Callouts: the site file's local commands before the break and at the end (their output and exit code are journaled). */
import type { FailoverContext } from '../../failover/context.js';
import type { PlanSection } from '../../plan/model.js';
import { shellLine } from '../../transport/quote.js';
import type { StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import type { ActionIO, CheckResult, Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import { failoverMessages } from '../../i18n/failover.js';
import { calloutEnvironment } from '../../transport/local/callout-env.js';
import { runLocal } from '../../transport/local/run-local.js';
import { secretVariables } from '../../transport/redact.js';

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

function calloutAction(at: 'before-break' | 'end') {
  return {
    targets: (ctx: FailoverContext): Target[] =>
      ctx.site.callouts.filter((c) => c.at === at).map((c) => ({ id: `callout:${c.name}`, label: c.name })),
    check: (): CheckResult => 'todo',
    async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
      const c = ctx.site.callouts.find((x) => `callout:${x.name}` === t.id)!;
      const runId = ctx.events().find((e) => e.type === 'run.started')?.runId;
      const r = await runLocal(c.run, {
        timeoutMs: c.timeoutSeconds * 1000,
        env: calloutEnvironment({
          from: ctx.env,
          allow: c.env,
          secrets: secretVariables([...ctx.site.endpoints.esxi, ctx.site.endpoints.ontap]),
          facts: { SITE: ctx.site.site, SITE_FILE: ctx.site.file, POINT: at, CALLOUT: c.name, RUN_ID: runId },
        }),
      });
      const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
      const m = failoverMessages(ctx.lang);
      const code = String(r.exitCode ?? r.signal ?? '?');
      io.note(
        r.exitCode === 0 ? 'info' : 'warn',
        said ? m.calloutNoteSaid({ name: c.name, code, said }) : m.calloutNote({ name: c.name, code }),
      );
      if (r.exitCode !== 0 && !c.continueOnFailure) {
        throw new DrbookError(
          r.timedOut ? m.errCalloutTimedOut({ name: c.name, code }) : m.errCallout({ name: c.name, code }),
          m.errCalloutHint,
        );
      }
    },
    verify: () => true as const,
  };
}

export const calloutsBeforeBreakStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'callouts-before-break',
  actions: { 'callouts-before-break': calloutAction('before-break') },
  plan: (p, step) => calloutSection(p, 'before-break', step.id, p.m.secCalloutsBefore),
};

export const calloutsEndStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'callouts-end',
  actions: { 'callouts-end': calloutAction('end') },
  plan: (p, step) => calloutSection(p, 'end', step.id, p.m.secCalloutsEnd),
};
