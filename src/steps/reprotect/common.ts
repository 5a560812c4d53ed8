/** What the reprotect's steps share: their one target (the site) and the plan the preflight made. */
import type { Target } from '../../engine/runner.js';
import { DrbookError } from '../../errors.js';
import type { ReprotectPlan, WayBackContext } from '../../failback/context.js';
import { siteTarget } from '../../failback/reads.js';

export const siteTargets = (ctx: WayBackContext): Target[] => [siteTarget(ctx)];

export function planOf(ctx: WayBackContext): ReprotectPlan {
  const p = ctx.plan();
  if (!p)
    throw new DrbookError('the reprotect plan is missing from the journal', 'run drbook reprotect again: its preflight makes the plan');
  return p;
}
