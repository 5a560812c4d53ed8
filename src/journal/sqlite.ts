/**
 * The one place that loads better-sqlite3. No release of it runs on every Node drbook supports:
 * 13 needs Node 22 (on Node 20 it crashes the process when loaded), and 12 aborts on Node 24 when
 * a statement is garbage-collected (`Assertion failed: (env) != nullptr`, Node 24 changed
 * `node::ObjectWrap`; upstream closed it unfixed). So drbook depends on 13 and, for Node 20 only,
 * on 12 under the alias `better-sqlite3-node20` (an optional dependency: where it cannot be built,
 * npm skips it). Both have the same API.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { DrbookError } from '../errors.js';

/** The package that runs on this Node, as `require` resolves it. */
export function sqlitePackageName(nodeVersion = process.versions.node): 'better-sqlite3' | 'better-sqlite3-node20' {
  return Number(nodeVersion.split('.')[0]) < 22 ? 'better-sqlite3-node20' : 'better-sqlite3';
}

/** better-sqlite3's Database constructor for this Node. */
export function loadSqlite(): typeof BetterSqlite3 {
  const name = sqlitePackageName();
  const require = createRequire(import.meta.url);
  try {
    return require(name) as typeof BetterSqlite3;
  } catch (err) {
    if (name === 'better-sqlite3-node20' && (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      throw new DrbookError(
        `drbook on Node ${process.versions.node} needs better-sqlite3 12, which npm could not build here`,
        'install build-essential and python3 and run `npm install` again, or run drbook on Node 22 or 24',
      );
    }
    throw err;
  }
}

/** The resolved package.json of the package in use (for `drbook --version --verbose`). */
export function sqlitePackageJson(): string {
  return createRequire(import.meta.url).resolve(`${sqlitePackageName()}/package.json`);
}
