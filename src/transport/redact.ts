/**
 * Keeps the secrets drbook has learned (passwords, passphrases) and blanks them out of text that
 * is stored or shown: journal events, reports, captures, error lines. Device output itself is never
 * redacted before it is parsed: a password `Idle` must not turn a relationship status into `***`.
 *
 * The rule (README "Secrets and input"):
 * - a secret of MIN_ANYWHERE characters or more is blanked wherever it occurs, also inside a word;
 * - a shorter one (`0`, `abc`) only where it stands as a word of its own: between the start or
 *   end of the text, white space, quotes, brackets, `,` `;` `=` `|` (a `.` `!` `?` closing a
 *   sentence ends a word too). `10 VMs`, `7.0.3`, `0:05:12` and `/vmfs/volumes/ds0` stay as they
 *   are; `exit 0`, `password=0` and `"0"` become `exit ***`, `password=***`, `"***"`.
 */
export interface Redactor {
  /** Remember a secret; empty strings are ignored. */
  add(secret: string): void;
  /** `text` with every known secret replaced by `***`, by the rule above. */
  redact(text: string): string;
}

export const REDACTED = '***';

/** Secrets at least this long are blanked anywhere; shorter ones only as a word of their own. */
export const MIN_ANYWHERE = 4;

const DELIMITER = String.raw`\s"'\x60()\[\]{}<>,;=|`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patternFor(secret: string): RegExp {
  const s = escapeRegExp(secret);
  if (secret.length >= MIN_ANYWHERE) return new RegExp(s, 'g');
  return new RegExp(`(?<![^${DELIMITER}])${s}(?=$|[${DELIMITER}]|[.!?](?:$|\\s))`, 'gu');
}

export function createRedactor(): Redactor {
  const patterns = new Map<string, RegExp>();
  let ordered: RegExp[] = [];
  return {
    add(secret) {
      if (secret === '' || patterns.has(secret)) return;
      patterns.set(secret, patternFor(secret));
      // Longest first so a secret that contains another is blanked whole.
      ordered = [...patterns.entries()].sort((a, b) => b[0].length - a[0].length).map(([, p]) => p);
    },
    redact(text) {
      let out = text;
      for (const p of ordered) out = out.replace(p, REDACTED);
      return out;
    },
  };
}

/** `value` with every string in it (keys aside) redacted: for derived documents such as a report. */
export function redactStrings<T>(value: T, redactor: Redactor): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactor.redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Where the site's secrets are: the environment variables its auth specs name. */
export interface SecretSource {
  auth: { method: string; passwordEnv?: string | undefined; passphraseEnv?: string | undefined };
}

/** The names of the environment variables that hold secrets for these endpoints. */
export function secretVariables(endpoints: readonly SecretSource[]): string[] {
  const names = new Set<string>();
  for (const e of endpoints) {
    const a = e.auth;
    if ('passwordEnv' in a && a.passwordEnv) names.add(a.passwordEnv);
    if ('passphraseEnv' in a && a.passphraseEnv) names.add(a.passphraseEnv);
  }
  return [...names];
}

/**
 * Teach `redactor` the secrets already in the environment, before anything runs: a callout or an
 * error may print one before the SSH pool has needed it (the pool adds the ones it asks for).
 */
export function learnSecrets(redactor: Redactor, endpoints: readonly SecretSource[], env: Record<string, string | undefined>): void {
  for (const name of secretVariables(endpoints)) {
    const value = env[name];
    if (value) redactor.add(value);
  }
}
