import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { OperatorError } from '../errors.js';
import { commonMessages } from '../i18n/common.js';
import type { Lang } from '../i18n/lang.js';

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

/** The 1-based line of the key at `path` (or of its nearest existing parent). */
export function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = rangeLine(node, lines);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      // The key's own line: a nested mapping's value starts on the next one.
      best = rangeLine(pair.key, lines) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      best = rangeLine(node, lines) ?? best;
    } else break;
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

/** What is wrong with one field of a YAML file, as facts: the CLI says it in the operator's language. */
export type FieldProblem =
  | { kind: 'unknown-key'; key: string; parent: string; suggestion?: string | undefined; known: readonly string[] }
  | { kind: 'missing' }
  | { kind: 'one-of'; value: string; allowed: readonly string[] }
  | { kind: 'invalid'; problem: string };

/** A field of a site file or runbook is wrong: names the file, the line and the field. Exit 2. */
export class FileFieldError extends OperatorError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly what: 'site' | 'runbook' | 'faults',
    readonly field: string,
    readonly problem: FieldProblem,
  ) {
    const en = describeField('en', file, line, what, field, problem);
    super(en.message, en.hint);
  }

  override localize(lang: Lang): { message: string; hint?: string | undefined } {
    return describeField(lang, this.file, this.line, this.what, this.field, this.problem);
  }
}

function describeField(
  lang: Lang,
  file: string,
  line: number | undefined,
  whatKind: 'site' | 'runbook' | 'faults',
  field: string,
  p: FieldProblem,
): { message: string; hint: string } {
  const m = commonMessages(lang);
  const where = line ? `${file}:${line}` : file;
  const what = m.fileWhat[whatKind];
  const fix = m.fileFixHint({ field, file });
  switch (p.kind) {
    case 'unknown-key':
      return {
        message: m.fileUnknownKey({ where, what, field }),
        hint: p.suggestion ? m.fileUnknownKeyHint({ suggestion: p.suggestion }) : m.fileUnknownKeyKnown({ known: p.known.join(', ') }),
      };
    case 'missing':
      return { message: m.fileMissing({ where, what, field }), hint: fix };
    case 'one-of':
      return { message: m.fileOneOf({ where, what, field, value: p.value, allowed: p.allowed.join(', ') }), hint: fix };
    case 'invalid':
      return { message: m.fileInvalid({ where, what, field, problem: p.problem }), hint: fix };
  }
}

// ---- reading a zod 4 schema: the keys and values a field may take ------------------------------

interface ZodDef {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  out?: ZodLike;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  options?: ZodLike[];
  valueType?: ZodLike;
  entries?: Record<string, string | number>;
  values?: unknown[];
  discriminator?: string;
}
interface ZodLike {
  _zod: { def: ZodDef; propValues?: Record<string, Set<unknown>> };
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional']);

function unwrap(s: ZodLike | undefined): ZodLike | undefined {
  for (let i = 0; s && i < 20; i++) {
    const d = s._zod.def;
    if (WRAPPERS.has(d.type)) s = d.innerType;
    else if (d.type === 'pipe') s = d.out?._zod.def.type === 'transform' ? d.in : d.out;
    else return s;
  }
  return s;
}

/** The schemas a value at `path` may be checked against (several under a union). */
function schemasAt(root: ZodLike, path: readonly PropertyKey[]): ZodLike[] {
  let at: ZodLike[] = [root];
  for (const key of path) {
    const nextAt: ZodLike[] = [];
    for (const s0 of at.flatMap(expand)) {
      const d = s0._zod.def;
      if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) nextAt.push(d.shape[key]);
      else if (d.type === 'array' && typeof key === 'number' && d.element) nextAt.push(d.element);
      else if (d.type === 'record' && d.valueType) nextAt.push(d.valueType);
    }
    at = nextAt;
  }
  return at.flatMap(expand);
}

function expand(s: ZodLike): ZodLike[] {
  const u = unwrap(s);
  if (!u) return [];
  return u._zod.def.type === 'union' ? (u._zod.def.options ?? []).flatMap(expand) : [u];
}

function keysOf(schemas: readonly ZodLike[]): string[] {
  return [...new Set(schemas.flatMap((s) => (s._zod.def.type === 'object' ? Object.keys(s._zod.def.shape ?? {}) : [])))];
}

function allowedValues(schemas: readonly ZodLike[]): string[] {
  const out: string[] = [];
  for (const s of schemas) {
    const d = s._zod.def;
    if (d.type === 'enum') out.push(...Object.values(d.entries ?? {}).map(String));
    else if (d.type === 'literal') out.push(...(d.values ?? []).map(String));
  }
  return [...new Set(out)];
}

/** The known key closest to a misspelt one, when it is close enough to be what was meant. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * Validate with a zod schema. The first problem becomes one FileFieldError with the line of the
 * offending key. An unknown key comes first: a misspelt `relationshp:` also makes `relationship`
 * missing, and the misspelling is what to fix.
 */
export function validateYaml<T>(schema: z.ZodType<T>, text: string, file: string, what: 'site' | 'runbook' | 'faults'): T {
  const { doc, lines } = parseYamlDocument(text, file);
  const data: unknown = toPlain(doc, file);
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const root = schema as unknown as ZodLike;
  const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = keysOf(schemasAt(root, issue.path));
    const path = [...issue.path, key];
    throw new FileFieldError(file, lineOf(doc, lines, path), what, fieldOf(path), {
      kind: 'unknown-key',
      key,
      parent: fieldOf(issue.path),
      suggestion: closest(key, known),
      known,
    });
  }
  const field = fieldOf(issue.path) || '(top level)';
  const line = lineOf(doc, lines, issue.path);
  const value = valueAt(data, issue.path);
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    throw new FileFieldError(file, line, what, field, { kind: 'missing' });
  }
  const allowed =
    issue.code === 'invalid_value'
      ? issue.values.map(String)
      : issue.code === 'invalid_union' && issue.path.length > 0
        ? allowedValues(schemasAt(root, issue.path))
        : [];
  if (allowed.length > 0)
    throw new FileFieldError(file, line, what, field, { kind: 'one-of', value: JSON.stringify(value) ?? String(value), allowed });
  throw new FileFieldError(file, line, what, field, { kind: 'invalid', problem: issue.message });
}
