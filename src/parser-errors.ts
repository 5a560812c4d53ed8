/**
 * The argument parser's (commander's) error text, in drbook's one error style: `drbook: ` and a
 * sentence in the operator's language. Commander only gives text, so its few sentences are
 * matched here; one it does not know keeps its words with drbook's prefix.
 */
import { commonMessages } from './i18n/common.js';
import { detectLang, type Lang } from './i18n/lang.js';

export function parserErrorText(text: string, lang: Lang): string {
  const m = commonMessages(lang);
  const rules: [RegExp, (g: string[]) => string][] = [
    [/^unknown option '(.+?)'$/, (g) => m.cliUnknownOption({ option: g[1]! })],
    [/^unknown command '(.+?)'$/, (g) => m.cliUnknownCommand({ command: g[1]! })],
    [/^required option '(.+?)' not specified$/, (g) => m.cliRequiredOption({ option: g[1]! })],
    [/^option '(.+?)' argument missing$/, (g) => m.cliOptionArgMissing({ option: g[1]! })],
    [/^missing required argument '(.+?)'$/, (g) => m.cliMissingArgument({ argument: g[1]! })],
    [
      /^too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (g) => m.cliTooMany({ command: g[1] ?? 'drbook', expected: g[2]!, got: g[3]! }),
    ],
    [/^\(Did you mean (.+?)\?\)$/, (g) => m.cliDidYouMean({ suggestion: g[1]! })],
  ];
  const out: string[] = [];
  for (const raw of text.replace(/\n$/, '').split('\n')) {
    const line = raw.replace(/^error: /, '');
    const rule = rules.find(([re]) => re.test(line));
    out.push(rule ? rule[1](line.match(rule[0])!) : line);
  }
  // One line: the error, then the suggestion after a dash, like drbook's own errors.
  return `drbook: ${out.filter(Boolean).join(' — ')}\n`;
}

/** The operator's language before the commands parse their flags: `--lang X` if given, else the locale. */
export function langOfArgv(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  const i = argv.indexOf('--lang');
  const flag = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  try {
    return detectLang(env, flag === 'en' || flag === 'ja' ? flag : undefined);
  } catch {
    return 'en';
  }
}
