import { userInfo } from 'node:os';
import type { ChooseRequest } from '../engine/ports.js';
import type { FailoverContext } from './context.js';

/**
 * A question an action asks in the middle of a stage (a VM without a quiesce point, a name that is
 * already taken). Journaled like the engine's own prompts: requested, then answered with who.
 */
export async function choose(ctx: FailoverContext, req: ChooseRequest, scope: { stepId: string; targetId: string }): Promise<string> {
  ctx.sink.emit({
    type: 'prompt.requested',
    at: Date.now(),
    promptId: req.promptId,
    kind: 'choose',
    title: req.title,
    lines: req.lines,
    options: req.options,
    stepId: scope.stepId,
    targetId: scope.targetId,
  });
  const answer = await ctx.prompter.choose(req);
  ctx.sink.emit({ type: 'prompt.answered', at: Date.now(), promptId: req.promptId, answer, by: operator(), via: ctx.prompter.via });
  return answer;
}

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
