import { existsSync } from 'node:fs';
import { OperatorError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { WizardMessages } from '../i18n/wizard.js';
import { parseHypervSite, parseSite, siteFileKind } from '../runbook/site.js';

export function refuseExisting(file: string, force: boolean, t: WizardMessages): void {
  if (!force && existsSync(file)) throw new OperatorError(t.outExists({ file }), t.outExistsHint);
}

/**
 * Validate the text as a site file, then put it at `file` in one step (src/files/atomic-write.ts;
 * mode 0600: it names hosts, users and key paths): replacing an existing file only with force.
 */
export function writeSiteFile(file: string, text: string, options: { force: boolean; t: WizardMessages }): void {
  // A file that the site parser refuses would be a wizard bug; refuse to write it rather than hand it over.
  if (siteFileKind(text) === 'hyperv') parseHypervSite(text, file);
  else parseSite(text, file);
  try {
    if (writeFileAtomic(file, text, { overwrite: options.force })) return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (options.force || (code !== 'EPERM' && code !== 'ENOTSUP')) throw err;
    // File systems without hard links: check, then rename (a small race we accept there).
    refuseExisting(file, false, options.t);
    writeFileAtomic(file, text);
    return;
  }
  throw new OperatorError(options.t.outExists({ file }), options.t.outExistsHint);
}
