import type { Lang } from './lang.js';
import { uiMessages } from './ui.js';

/**
 * Step and stage names of the built-in runbooks, for the reporters and the report: the same
 * translations the screens use (ui.ts), keyed by the runbook's ids. English, and any step the
 * catalogue does not know, show the runbook's own title.
 */
export function localStepTitle(lang: Lang, step: { id: string; title?: string | undefined }, runbook?: string): string {
  const titles = uiMessages(lang).stepTitles;
  const own = (key: string) => (Object.hasOwn(titles, key) ? titles[key] : undefined);
  const kind = runbook?.startsWith('drill') ? 'drill' : undefined;
  return (kind && own(`${kind}/${step.id}`)) || own(step.id) || step.title || step.id;
}

/** A stage id (`register`, `power-on`, …) as the screens name it; unknown ids stay as they are. */
export function localStageName(lang: Lang, stage: string): string {
  const stages = uiMessages(lang).stages;
  return (Object.hasOwn(stages, stage) ? stages[stage] : undefined) ?? stage;
}
