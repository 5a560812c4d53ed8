/**
 * Keeps the secrets drbook has learned (passwords, passphrases) and blanks them out of any text
 * that leaves memory: audit events, journal rows, error messages.
 */
export interface Redactor {
  /** Remember a secret; empty strings are ignored. */
  add(secret: string): void;
  /** `text` with every known secret replaced by `***`. */
  redact(text: string): string;
}

export const REDACTED = '***';

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    add(secret) {
      if (secret !== '') secrets.add(secret);
    },
    redact(text) {
      // Longest first so a secret that contains another is blanked whole.
      const sorted = [...secrets].sort((a, b) => b.length - a.length);
      let out = text;
      for (const s of sorted) out = out.split(s).join(REDACTED);
      return out;
    },
  };
}
