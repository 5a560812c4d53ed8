/**
 * Where drbook's files are, by one rule for every command (issue 21 §2):
 *
 *   the database is `--db`, else `$DRBOOK_DB`, else `drbook.db` beside the site file,
 *   else (no site file known) `drbook.db` in the working directory.
 *
 * `--site` takes a site file or a site name everywhere. Read-only commands never create a
 * database: they open it read-only and, when there is none, say where they looked and why there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { OperatorError } from '../errors.js';
import { shellLine } from '../transport/quote.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';
import type { Lang } from '../i18n/lang.js';

export const DB_FILE_NAME = 'drbook.db';
/** Where drbook before this rule kept the database: `inventory/drbook.db` under the working directory. */
export const LEGACY_DB_PATH = path.join('inventory', 'drbook.db');

export type DbSource = 'flag' | 'env' | 'site' | 'cwd';

export interface DbLocation {
  file: string;
  /** Which part of the rule chose it (said when there is no database there). */
  source: DbSource;
}

export interface LocateInput {
  db?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The site file, when the command knows it. */
  siteFile?: string | undefined;
}

export function locateDb(o: LocateInput): DbLocation {
  if (o.db !== undefined && o.db !== '') return { file: path.resolve(o.cwd, o.db), source: 'flag' };
  const env = o.env.DRBOOK_DB;
  if (env) return { file: path.resolve(o.cwd, env), source: 'env' };
  if (o.siteFile) return { file: path.join(path.dirname(path.resolve(o.cwd, o.siteFile)), DB_FILE_NAME), source: 'site' };
  return { file: path.join(o.cwd, DB_FILE_NAME), source: 'cwd' };
}

/** One sentence: where the rule looked and why there. */
export function describeLocation(loc: DbLocation, lang: Lang = 'en'): string {
  const m = lifecycleMessages(lang);
  return m.dbLookedAt[loc.source]({ file: loc.file });
}

/**
 * A database chosen by default that does not exist yet, while the old default location
 * (`inventory/drbook.db` under the working directory) holds one: refuse rather than start an empty
 * database beside it and lose sight of the captures and runs.
 */
export function refuseLegacyShadow(loc: DbLocation, cwd: string, lang: Lang = 'en'): void {
  if (loc.source === 'flag' || loc.source === 'env' || existsSync(loc.file)) return;
  const legacy = path.join(cwd, LEGACY_DB_PATH);
  if (legacy === loc.file || !existsSync(legacy)) return;
  const m = lifecycleMessages(lang);
  throw new OperatorError(m.legacyDb({ file: loc.file, legacy }), m.legacyDbHint({ file: loc.file, legacy }));
}

/** For a read-only command: the database must exist; nothing is created. */
export function requireExistingDb(loc: DbLocation, lang: Lang = 'en'): string {
  if (existsSync(loc.file)) return loc.file;
  const m = lifecycleMessages(lang);
  throw new OperatorError(m.noDatabase({ where: describeLocation(loc, lang) }), m.noDatabaseHint);
}

export type SiteRef = { kind: 'file'; file: string } | { kind: 'name'; name: string };

/** A `--site` value is a file when it names one (or looks like one: a path or .yaml); else a site name. */
export function parseSiteArg(arg: string, cwd: string): SiteRef {
  const file = path.resolve(cwd, arg);
  if (/\.ya?ml$/i.test(arg) || arg.includes('/') || arg.includes(path.sep) || isFile(file)) return { kind: 'file', file };
  return { kind: 'name', name: arg };
}

function isFile(f: string): boolean {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
}

/** The top-level `site:` of a YAML file, or undefined when it is not a site file. Never throws. */
function siteNameIn(file: string): string | undefined {
  try {
    const doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: 50 }) as unknown;
    const name = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).site : undefined;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The site file of a site given by name: a site file in the working directory whose `site:` is
 * that name, else the newest one the journal recorded for it (`recorded`, newest first) that still
 * exists. Refuses, naming what it looked at, when there is none or more than one in the folder.
 */
export function findSiteFile(name: string, cwd: string, recorded: readonly string[] = [], lang: Lang = 'en'): string {
  const m = lifecycleMessages(lang);
  let candidates: string[] = [];
  try {
    candidates = readdirSync(cwd)
      .filter((f) => /\.ya?ml$/i.test(f))
      .map((f) => path.join(cwd, f))
      .filter((f) => isFile(f) && siteNameIn(f) === name);
  } catch {
    // An unreadable working directory: fall back on the journal.
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) throw new OperatorError(m.siteNameAmbiguous({ name, files: candidates.join(', ') }), m.siteNameHint);
  const known = recorded.find((f) => isFile(f) && siteNameIn(f) === name);
  if (known) return known;
  throw new OperatorError(m.siteNameNotFound({ name, dir: cwd }), m.siteNameHint);
}

/** `drbook resume RUN --site FILE [--db DB] [flags]`: works from any folder, with or without $DRBOOK_DB. */
export function resumeCommandLine(runId: string, siteFile: string, dbFile: string, flags: readonly string[] = []): string {
  const beside = locateDb({ env: {}, cwd: '/', siteFile: path.resolve(siteFile) }).file;
  const argv = ['drbook', 'resume', runId, '--site', siteFile];
  if (path.resolve(dbFile) !== beside) argv.push('--db', path.resolve(dbFile));
  argv.push(...flags);
  return shellLine(argv);
}
