/**
 * The environment a callout runs with, built explicitly: never drbook's whole environment, which
 * holds the devices' secrets (passwordEnv, passphraseEnv) and whatever else the operator's shell has.
 */

/** Enough for a script to run at all: find programs, a home, a language, a time zone. */
export const BASE_VARIABLES = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ'] as const;

export interface CalloutEnvironment {
  /** drbook's own environment, where the allowed values come from. */
  from: Record<string, string | undefined>;
  /** The callout's `env:` list in the site file. */
  allow: readonly string[];
  /** Variables that hold secrets: never passed, whatever `allow` says. */
  secrets: readonly string[];
  /** The run's facts, passed as DRBOOK_<NAME> (e.g. { SITE: 'lab' } → DRBOOK_SITE=lab). */
  facts: Record<string, string | undefined>;
}

export function calloutEnvironment(o: CalloutEnvironment): Record<string, string> {
  const secret = new Set(o.secrets);
  const env: Record<string, string> = {};
  for (const name of [...BASE_VARIABLES, ...o.allow]) {
    const value = o.from[name];
    if (value !== undefined && !secret.has(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(o.facts)) if (value !== undefined) env[`DRBOOK_${name}`] = value;
  return env;
}
