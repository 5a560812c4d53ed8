/**
 * Line handling shared by the ESXi parsers. Device output arrives with LF; pasted text may carry
 * CRLF, so a CR right before LF is dropped. Line numbers in errors are 1-based, as editors count.
 */

export interface Line {
  /** 1-based line number in the text given to the parser. */
  no: number;
  text: string;
}

/** Split into lines; the empty piece after a final newline is not a line. */
export function toLines(text: string): Line[] {
  const parts = text.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ no: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t }));
}

export function isBlank(s: string): boolean {
  return /^[ \t]*$/.test(s);
}

/** Show a line in an error message without flooding the terminal. */
export function preview(s: string): string {
  const short = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return JSON.stringify(short);
}

/** Drop trailing blanks (space, tab) only; written as a loop because `/[ \t]+$/` is quadratic on long blank runs. */
export function trimBlanksEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(0, end);
}

/** Drop leading blanks (space, tab) only. */
export function trimBlanksStart(s: string): string {
  let start = 0;
  while (start < s.length && (s[start] === ' ' || s[start] === '\t')) start++;
  return s.slice(start);
}
