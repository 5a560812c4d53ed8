/**
 * `--site` and `--db` as every command reads them: the site given as a file or a name, and the
 * database by the one rule of src/session/locate.ts.
 */
import type { Lang } from '../i18n/lang.js';
import { findSiteFile, locateDb, parseSiteArg, type DbLocation } from '../session/locate.js';
import type { CommandContext } from './context.js';

export interface SiteArg {
  /** The site file, when one was given or found. */
  file?: string | undefined;
  /** The site name, when given by name (commands that load the file read it from there). */
  name?: string | undefined;
  db: DbLocation;
}

/**
 * `needFile`: the command reads the site file (a name must then find its file in the working
 * directory); otherwise a name that finds no file is used as a name (runs, report, inventory).
 */
export function readSiteArg(
  ctx: CommandContext,
  f: { site?: string | undefined; db?: string | undefined },
  needFile: boolean,
  lang: Lang = 'en',
): SiteArg {
  const base = { db: f.db, env: ctx.env, cwd: ctx.cwd };
  if (f.site === undefined) return { db: locateDb(base) };
  const ref = parseSiteArg(f.site, ctx.cwd);
  if (ref.kind === 'file') return { file: ref.file, db: locateDb({ ...base, siteFile: ref.file }) };
  let file: string | undefined;
  try {
    file = findSiteFile(ref.name, ctx.cwd, [], lang);
  } catch (err) {
    if (needFile) throw err;
  }
  return { file, name: ref.name, db: locateDb({ ...base, siteFile: file }) };
}
