import type { AnyPlanDocument } from './model.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-md.js';

export type PlanFormat = 'md' | 'html' | 'json';

export const PLAN_FORMATS: readonly PlanFormat[] = ['md', 'html', 'json'];

/** The document in one of its formats; JSON is the document itself, for scripts. */
export function renderPlan(doc: AnyPlanDocument, format: PlanFormat): string {
  if (format === 'md') return renderMarkdown(doc);
  if (format === 'html') return renderHtml(doc);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
