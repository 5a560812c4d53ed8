/**
 * .vmx files: `key = "value"` lines. Editing keeps every other line byte-for-byte and in order, so
 * a registered VM sees only the change drbook meant. Keys may hold `:` (`scsi0:0.fileName`); values
 * hold spaces; VMware's `|22`-style escapes are left encoded on read and must be passed encoded on
 * write. Keys compare case-insensitively, as VMware reads them.
 */

export type VmxLine =
  | { kind: 'pair'; key: string; value: string; /** the line as read; null once changed */ raw: string | null }
  | { kind: 'other'; raw: string };

/** `key = value` → [key, value-as-written]; null for comments, blanks and anything else. */
function splitPair(raw: string): [string, string] | null {
  const eq = raw.indexOf('=');
  if (eq < 0) return null;
  const key = raw.slice(0, eq).trim();
  if (key === '' || key.startsWith('#') || /\s/.test(key)) return null;
  return [key, raw.slice(eq + 1).trim()];
}

/** Never throws: a line that is not `key = value` is kept as it is. CRLF is accepted. */
export function parseVmx(text: string): VmxLine[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((p): VmxLine => {
    const raw = p.endsWith('\r') ? p.slice(0, -1) : p;
    const pair = splitPair(raw);
    if (!pair) return { kind: 'other', raw };
    const [key, v] = pair;
    const value = v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    return { kind: 'pair', key, value, raw };
  });
}

function sameKey(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The value of `key` (the last occurrence wins, as when VMware reads the file), or undefined. */
export function getVmx(lines: readonly VmxLine[], key: string): string | undefined {
  let found: string | undefined;
  for (const l of lines) if (l.kind === 'pair' && sameKey(l.key, key)) found = l.value;
  return found;
}

/**
 * A copy with `key` set (every occurrence, in place) or appended, or removed when `value` is null.
 * Throws TypeError for a value that cannot be written as one quoted line.
 */
export function setVmx(lines: readonly VmxLine[], key: string, value: string | null): VmxLine[] {
  if (!/^[^=\s#"][^=\s"]*$/.test(key)) throw new TypeError(`not a .vmx key: ${JSON.stringify(key)}`);
  if (value === null) return lines.filter((l) => !(l.kind === 'pair' && sameKey(l.key, key)));
  if (/["\r\n\0]/.test(value)) {
    throw new TypeError(`a .vmx value cannot hold a quote, newline or NUL (encode " as |22): ${JSON.stringify(value)}`);
  }
  let seen = false;
  const out = lines.map((l): VmxLine => {
    if (l.kind !== 'pair' || !sameKey(l.key, key)) return l;
    seen = true;
    return l.value === value ? l : { kind: 'pair', key: l.key, value, raw: null };
  });
  if (!seen) out.push({ kind: 'pair', key, value, raw: null });
  return out;
}

/** LF line endings and a final newline, as ESXi writes them. Untouched lines come back as read. */
export function serializeVmx(lines: readonly VmxLine[]): string {
  if (lines.length === 0) return '';
  return `${lines.map((l) => (l.kind === 'other' || l.raw !== null ? l.raw! : `${l.key} = "${l.value}"`)).join('\n')}\n`;
}
