import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import { commonMessages } from '../i18n/common.js';
import { detectLang, type Lang } from '../i18n/lang.js';
import { wizardMessages, type WizardMessages } from '../i18n/wizard.js';
import { shellLine } from '../transport/quote.js';
import { probeHostKey, type ProbedHostKey, type ProbeTarget } from '../transport/ssh/probe.js';
import { probeCertificate } from '../adapters/vcenter/client.js';
import { enquirerAsk, WizardCancelled, type Ask } from './ask.js';
import { runInitWizard, summaryLines, unpinnedDevices } from './init-wizard.js';
import { renderSiteYaml } from './site-document.js';
import { hypervSummaryLines, hypervUnpinned, renderHypervSiteYaml } from './hyperv-wizard.js';
import { refuseExisting, writeSiteFile } from './write-site.js';
import type { CommandContext } from '../commands/context.js';

export interface InitOptions {
  /** Where to write the site file (default site.yaml), relative to ctx.cwd. */
  out?: string | undefined;
  /** Replace an existing file. */
  force?: boolean | undefined;
  lang?: string | undefined;
  /** `--platform`: vsphere or hyperv, instead of the question. */
  platform?: 'vsphere' | 'hyperv' | undefined;
}

/** Seams for tests; production uses probeHostKey, enquirer and the clock. */
export interface InitDeps {
  probe?: (target: ProbeTarget) => Promise<ProbedHostKey>;
  probeCertificate?: (url: string) => Promise<string>;
  ask?: Ask;
  now?: () => Date;
}

/** The example site file shipped with the package (inventory/site.example.yaml). */
export function exampleSitePath(): string {
  return fileURLToPath(new URL('../../inventory/site.example.yaml', import.meta.url));
}

function languageOf(ctx: CommandContext, flag: string | undefined): Lang {
  try {
    return detectLang(ctx.env, flag);
  } catch {
    const t = wizardMessages('en');
    throw new OperatorError(t.badLang({ value: String(flag) }), t.badLangHint);
  }
}

/**
 * `drbook init`: the setup wizard. It runs before anything mounts Ink and needs a terminal; it
 * asks everything, shows a summary, and writes the site file only when the operator confirms.
 */
export async function runInit(ctx: CommandContext, options: InitOptions, deps: InitDeps = {}): Promise<ExitCode> {
  const lang = languageOf(ctx, options.lang);
  const t: WizardMessages = wizardMessages(lang);
  const out = options.out ?? 'site.yaml';
  const file = path.resolve(ctx.cwd, out);
  const force = options.force ?? false;

  if (!ctx.interactive && !deps.ask) {
    const example = path.relative(ctx.cwd, exampleSitePath()) || exampleSitePath();
    throw new OperatorError(t.needsTerminal, t.needsTerminalHint({ example }));
  }
  // Before the first question: nobody should answer thirty questions to be told no.
  refuseExisting(file, force, t);

  const ask = deps.ask ?? enquirerAsk({ stdin: ctx.stdin, stdout: ctx.stdout, yesNo: commonMessages(lang) });
  try {
    const init = await runInitWizard({
      ask,
      t,
      probe: deps.probe ?? probeHostKey,
      probeCertificate: deps.probeCertificate ?? probeCertificate,
      platform: options.platform,
    });
    ask.say();
    ask.say(`── ${t.sectionSummary} ──`);
    for (const line of init.platform === 'hyperv' ? hypervSummaryLines(init.site, t) : summaryLines(init.site, t)) ask.say(line);
    if (!(await ask.confirm(t.askWrite({ file: out }), true))) {
      ask.say(t.cancelled);
      return EXIT.stopped;
    }
    const date = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);
    const text =
      init.platform === 'hyperv'
        ? renderHypervSiteYaml(init.site, { lang, date })
        : renderSiteYaml(init.site, { lang, header: { kind: 'wizard', date } });
    writeSiteFile(file, text, { force, t });
    ask.say(t.written({ file: out }));
    const unpinned = init.platform === 'hyperv' ? hypervUnpinned(init.site) : unpinnedDevices(init.site);
    if (unpinned.length > 0) ask.say(t.stillUnpinned({ devices: unpinned.join(', ') }));
    ask.say(t.nextCheck);
    ask.command(shellLine(['drbook', 'check', '--site', out]));
    ask.say(t.nextCapture);
    ask.command(shellLine(['drbook', 'capture', '--site', out]));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof WizardCancelled) {
      ctx.stdout.write(`${t.cancelled}\n`);
      return EXIT.stopped;
    }
    throw err;
  }
}
