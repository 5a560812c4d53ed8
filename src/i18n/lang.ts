/**
 * Language selection: `--lang ja|en`, else LC_ALL, LC_MESSAGES, LANG (POSIX precedence), else English.
 * Operator-facing text lives in per-area catalogues (src/i18n/<area>.ts) with one complete sentence
 * per key: parameters go into whole sentences, never sentences assembled from fragments.
 */
export type Lang = 'en' | 'ja';

export const LANGS: readonly Lang[] = ['en', 'ja'];

export function detectLang(env: NodeJS.ProcessEnv, flag?: string): Lang {
  if (flag !== undefined) {
    if (flag === 'en' || flag === 'ja') return flag;
    throw new RangeError(`unknown language ${JSON.stringify(flag)}: use --lang en or --lang ja`);
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ja([_.-]|$)/i.test(locale) ? 'ja' : 'en';
}

/**
 * A catalogue is one object per language with the same keys; the Japanese one is typed as the
 * English one, so a missing key or a wrong parameter is a compile error.
 */
export function pick<T>(lang: Lang, catalogues: { en: T; ja: T }): T {
  return catalogues[lang];
}

/** detectLang for a command: a bad `--lang` is bad usage (exit 2) with one line saying what to pass. */
export async function commandLang(env: NodeJS.ProcessEnv, flag: string | undefined): Promise<Lang> {
  try {
    return detectLang(env, flag);
  } catch (err) {
    const { OperatorError } = await import('../errors.js');
    throw new OperatorError((err as Error).message);
  }
}
