/**
 * YAML text of plain data (objects, arrays, strings, numbers, booleans, null) as drbook's paper
 * copies are written: block style, two-space indent, keys plain, every string double-quoted on
 * one line. A name like `yes`, `0123` or one with a newline then reads back as the same string in
 * YAML 1.1 (PyYAML) and 1.2, and each value is one diff line. The bytes are those `yaml`'s
 * stringify wrote with `defaultStringType: 'QUOTE_DOUBLE'`, `defaultKeyType: 'PLAIN'`,
 * `lineWidth: 0`, written directly: building its document tree took 1–2 s of CPU for a 2,000-VM
 * capture. Where they differ, this is the stricter: a multi-line string stays on one line, and
 * characters YAML 1.1 reads as line breaks or refuses (NEL, U+2028/9, DEL, C1 controls, BOM) are
 * escaped.
 */

/** Keys written plain: identifiers no YAML version reads as anything but that string. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_KEY = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

/** A JSON escape `yaml` rewrote (\u0000 → \0 …), or a raw character YAML 1.1 must not see. */
const NEEDS_REWRITE = /\\u00[0-9a-f]{2}|\\.|[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const SHORT_ESCAPES: Record<string, string> = { '00': '\\0', '07': '\\a', '0b': '\\v', '1b': '\\e' };

function escapeOne(m: string): string {
  if (m.length === 6) {
    const code = m.slice(4);
    return SHORT_ESCAPES[code] ?? `\\x${code}`;
  }
  if (m.length === 2) return m; // \n, \", \\ …: the same in YAML
  const c = m.charCodeAt(0);
  if (c === 0x85) return '\\N';
  if (c === 0x2028) return '\\L';
  if (c === 0x2029) return '\\P';
  return c <= 0xff ? `\\x${c.toString(16)}` : `\\u${c.toString(16)}`;
}

/** A YAML double-quoted scalar on one line. */
export function yamlQuoted(s: string): string {
  const json = JSON.stringify(s);
  // JSON's escapes are YAML's, except \u00XX (valid too, but `yaml` wrote the short forms).
  return json.replace(NEEDS_REWRITE, escapeOne);
}

function yamlKey(k: string): string {
  return PLAIN_KEY.test(k) && !RESERVED_KEY.test(k) ? k : yamlQuoted(k);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return yamlQuoted(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return Object.is(v, -0) ? '-0' : JSON.stringify(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return '[]';
  if (isRecord(v)) return '{}';
  throw new TypeError(`cannot write a ${typeof v} as YAML`);
}

/** A collection with something in it: written as a block; anything else is one scalar. */
function isBlock(v: unknown): v is unknown[] | Record<string, unknown> {
  if (Array.isArray(v)) return v.length > 0;
  if (!isRecord(v)) return false;
  for (const k in v) if (v[k] !== undefined) return true;
  return false;
}

/** Lines of a block at `indent`; the first begins with `first` (a sequence item's `- `) instead. */
function block(v: unknown[] | Record<string, unknown>, indent: string, first: string, out: string[]): void {
  let lead = first;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isBlock(item)) block(item, inner, `${lead}- `, out);
      else out.push(`${lead}- ${scalar(item)}\n`);
      lead = indent;
    }
    return;
  }
  for (const k of Object.keys(v)) {
    const item = v[k];
    if (item === undefined) continue; // as JSON: an absent field
    if (!isBlock(item)) out.push(`${lead}${yamlKey(k)}: ${scalar(item)}\n`);
    else {
      out.push(`${lead}${yamlKey(k)}:\n`);
      // A sequence under a key is indented like a mapping (`yaml`'s indentSeq).
      block(item, inner, inner, out);
    }
    lead = indent;
  }
}

/** The YAML document of `value`, ending in a newline. */
export function toYaml(value: unknown): string {
  if (!isBlock(value)) return `${scalar(value)}\n`;
  const out: string[] = [];
  block(value, '', '', out);
  return out.join('');
}
