/** Text for HTML, in an element or an attribute: the five characters that could open markup. */
export function escapeHtml(text: string | number | null | undefined): string {
  if (text === undefined || text === null) return '';
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
