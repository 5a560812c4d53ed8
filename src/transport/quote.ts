/**
 * The only place where remote command lines are built (design §4). Every other module passes an
 * argv array; nothing else concatenates command strings.
 *
 * - ESXi runs each exec request through busybox ash: POSIX single-quote quoting.
 * - ONTAP's clustershell splits on blanks and treats `"` as the quote. Its documented query
 *   operators (`*` `!` `|` `..` `<` `>` `<=` `>=` `{…}`) and `?` (help) are literal only inside
 *   double quotes ("Methods of using query operators", ONTAP docs: "enclose raw file names in
 *   double quotes"); `,` separates list values, `#` starts a comment, a leading `-` names a
 *   parameter. So anything but a plain word is double-quoted. The documentation gives no escape
 *   for `"` (or `\`) inside quotes, so a value holding one is refused rather than guessed at.
 */

import { hasControl } from '../text/control.js';

const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell. */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('a shell argument cannot contain a NUL byte');
  if (arg !== '' && POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Build a POSIX shell command line from argv. */
export function shellLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('empty command');
  return argv.map(shellQuote).join(' ');
}

/**
 * A POSIX command line whose stdout goes to a file (`>` or `>>`), for editing a .vmx. The path
 * is quoted like any argument; the operator itself is the only unquoted token this module adds.
 */
export function shellLineRedirect(argv: readonly string[], mode: '>' | '>>', file: string): string {
  return `${shellLine(argv)} ${mode} ${shellQuote(file)}`;
}

/** Command lines joined by pipes: each one's stdout is the next one's stdin. */
export function shellPipe(...lines: string[]): string {
  return lines.join(' | ');
}

/** Two command lines joined so the second runs only when the first succeeded. */
export function shellAnd(...lines: string[]): string {
  return lines.join(' && ');
}

const ONTAP_SAFE = /^[A-Za-z0-9_.:/@%+=-]+$/;

/** Whether the clustershell can be given `arg` at all (see ontapQuote). */
export function ontapSendable(arg: string): boolean {
  return !hasControl(arg) && !/["\\]/.test(arg);
}

/**
 * Quote one argument for the ONTAP clustershell. Control characters, `"` and `\` cannot be sent
 * at all (no documented way); callers that take values from outside check ontapSendable first.
 */
export function ontapQuote(arg: string): string {
  if (!ontapSendable(arg)) {
    throw new TypeError(`an ONTAP argument cannot contain control characters, " or \\: ${JSON.stringify(arg)}`);
  }
  // A bare leading `-` would be read as a parameter name, `..` as a range: only plain words stay bare.
  if (arg !== '' && ONTAP_SAFE.test(arg) && !arg.startsWith('-') && !arg.includes('..')) return arg;
  return `"${arg}"`;
}

/**
 * Build an ONTAP command line. `argv` alternates words and parameters; parameter names (tokens
 * that start with `-` and that the adapter wrote itself) are passed as `{ param: '-vserver' }`,
 * comma lists as `{ list: ['state', 'status'] }`.
 */
export type OntapToken = OntapWord | { list: readonly string[] };

/** A word of a clustershell line as the clustershell reads it: a value, or a parameter name. */
export type OntapWord = string | { param: string };

export function ontapLine(tokens: readonly OntapToken[]): string {
  if (tokens.length === 0) throw new TypeError('empty command');
  return tokens
    .map((t) => {
      if (typeof t === 'string') return ontapQuote(t);
      // A comma list (`-fields state,status`): the commas stay bare, each item is quoted on its own.
      if ('list' in t) {
        if (t.list.length === 0 || t.list.includes('')) throw new TypeError('an ONTAP list needs non-empty items');
        return t.list.map(ontapQuote).join(',');
      }
      if (!/^-[a-z][a-z0-9-]*$/.test(t.param)) throw new TypeError(`bad ONTAP parameter name ${t.param}`);
      return t.param;
    })
    .join(' ');
}

/**
 * Split a clustershell line into words, undoing ontapQuote. Used by the lab's ONTAP endpoint and
 * by tests; a word that was a bare `-name` comes back as `{ param }`.
 */
export function splitOntapLine(line: string): OntapWord[] {
  const out: OntapWord[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let word = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        word += line[i];
        i++;
      }
      if (line[i] !== '"') throw new SyntaxError('unterminated quote');
      i++;
      out.push(word);
    } else {
      let word = '';
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') word += line[i++];
      out.push(/^-[a-z][a-z0-9-]*$/.test(word) ? { param: word } : word);
    }
  }
  return out;
}

/**
 * PowerShell (Hyper-V nodes: Windows OpenSSH with PowerShell as the default shell). Every value
 * goes in as a single-quoted literal: nothing inside one is expanded. PowerShell treats the
 * Unicode single quotes ‘ ’ ‚ ‛ like `'`, so each of them is doubled too (a doubled quote stands
 * for one). A NUL cannot be sent.
 */
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

export function psQuote(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('a PowerShell argument cannot contain a NUL byte');
  return `'${arg.replace(PS_SINGLE_QUOTES, (q) => q + q)}'`;
}

/** A value spliced into a PowerShell script: a literal string, a list of them (`'a','b'`), or script text drbook wrote. */
export type PsValue = string | readonly string[] | { ps: string };

/**
 * Build a PowerShell script from a template: the literal parts are drbook's own script text; every
 * interpolated value is quoted by psQuote (a list becomes `'a','b'`; an empty list `@()`).
 * `ps\`Get-VM -Id ${id} | ConvertTo-Json -Compress\``.
 */
export function ps(parts: TemplateStringsArray, ...values: PsValue[]): string {
  let out = parts[0] ?? '';
  values.forEach((v, i) => {
    if (typeof v === 'string') out += psQuote(v);
    else if ('ps' in v) out += v.ps;
    else out += v.length === 0 ? '@()' : v.map(psQuote).join(',');
    out += parts[i + 1] ?? '';
  });
  return out;
}

const isPsQuote = (c: string | undefined): boolean => c !== undefined && /^['\u2018\u2019\u201a\u201b]$/.test(c);

/**
 * Read one PowerShell single-quoted string starting at `start` (on its opening quote), by the
 * language's rules: any single-quote character closes it unless another one follows, and then the
 * pair stands for its second character. Returns the value and the index after the closing quote.
 * Used by the lab's PowerShell endpoint and by the tests.
 */
export function readPsSingleQuoted(text: string, start: number): { value: string; end: number } {
  if (!isPsQuote(text[start])) throw new SyntaxError(`no single-quoted string at ${start}`);
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new SyntaxError('unterminated single-quoted string');
    const c = text[i]!;
    if (isPsQuote(c)) {
      if (!isPsQuote(text[i + 1])) return { value, end: i + 1 };
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
}
