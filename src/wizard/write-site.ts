import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OperatorError } from '../errors.js';
import type { WizardMessages } from '../i18n/wizard.js';
import { parseHypervSite, parseSite, siteFileKind } from '../runbook/site.js';

export function refuseExisting(file: string, force: boolean, t: WizardMessages): void {
  if (!force && existsSync(file)) throw new OperatorError(t.outExists({ file }), t.outExistsHint);
}

/**
 * Validate the text as a site file, then put it at `file` in one step: a temp file in the same
 * folder (mode 0600: it names hosts, users and key paths), fsync, then link (no overwrite) or
 * rename (with force). A crash leaves either the old file or the new one, never half of one.
 */
export function writeSiteFile(file: string, text: string, options: { force: boolean; t: WizardMessages }): void {
  // A file that the site parser refuses would be a wizard bug; refuse to write it rather than hand it over.
  if (siteFileKind(text) === 'hyperv') parseHypervSite(text, file);
  else parseSite(text, file);
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.force) renameSync(tmp, file);
    else placeWithoutOverwrite(tmp, file, options.t);
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the file itself is already durable.
  }
}

function placeWithoutOverwrite(tmp: string, file: string, t: WizardMessages): void {
  try {
    linkSync(tmp, file); // fails with EEXIST instead of replacing: a rename that never clobbers
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OperatorError(t.outExists({ file }), t.outExistsHint);
    if (code !== 'EPERM' && code !== 'ENOTSUP') throw err;
    // File systems without hard links: check, then rename (a small race we accept there).
    refuseExisting(file, false, t);
    renameSync(tmp, file);
  }
}
