import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { OperatorError } from '../errors.js';

/** Parse YAML text into a document with a line counter, turning syntax errors into one line. */
export function parseYamlDocument(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // prettyErrors:false leaves linePos unset: the line comes from the error's offset.
    const pos = first.linePos?.[0] ?? lines.linePos(first.pos[0]);
    const where = pos ? `${file}:${pos.line}` : file;
    throw new OperatorError(`${where}: not valid YAML: ${first.message.split('\n')[0]}`, 'fix the file and run the command again');
  }
  return { doc, lines };
}

/** The 1-based line of the node at `path` (or its nearest existing parent). */
export function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = rangeLine(node, lines);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      best = rangeLine(pair.key, lines) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else break;
    best = rangeLine(node, lines) ?? best;
  }
  return best;
}

function rangeLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

/** Aliases expand at most this many times: a few anchors could otherwise expand to gigabytes (an alias bomb). */
const MAX_ALIAS_COUNT = 100;

/** The document as plain data; an alias bomb is bad input (exit 2), not an internal error. */
export function toPlain(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new OperatorError(
        `${file}: not accepted: its YAML aliases (*name) expand too many times (more than ${MAX_ALIAS_COUNT}), as an alias bomb does`,
        'write the values out instead of repeating aliases of aliases',
      );
    }
    throw err;
  }
}

/** Validate with a zod schema; the first issue becomes `FILE:LINE: field.path: message`. */
export function validateYaml<T>(schema: z.ZodType<T>, text: string, file: string, what: string): T {
  const { doc, lines } = parseYamlDocument(text, file);
  const result = schema.safeParse(toPlain(doc, file));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  const line = lineOf(doc, lines, issue.path);
  const where = line ? `${file}:${line}` : file;
  throw new OperatorError(`${where}: ${what} field ${field}: ${issue.message}`, `fix ${field} in ${file} and run the command again`);
}
