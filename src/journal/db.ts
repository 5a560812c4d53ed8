import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadSqlite, sqlitePackageJson } from './sqlite.js';
import { DrbookError, EXIT, OperatorError, type ExitCode } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

/**
 * The one SQLite database of drbook (journal of runs + inventory captures). better-sqlite3 is
 * synchronous, so every write is one statement or one db.transaction(): a transaction can never
 * span an await.
 */

export type Db = BetterSqlite3.Database;

// Where the database is: src/session/locate.ts (one rule for every command).

/** The schema version this drbook writes (the length of the migration list). */
export const SCHEMA_VERSION = MIGRATIONS.length;

const FILE_MODE = 0o600;
const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  readonly?: boolean;
  /**
   * A command that only reads (runs, report, check): read-only when the file exists, so a
   * read-only file or mount is fine; created as usual when it does not exist yet.
   */
  forReading?: boolean;
}

/**
 * The journal could not be written (disk full, I/O error, locked for too long). Whatever was
 * committed before is intact; the engine stops safely and the run can be resumed once the cause is
 * fixed.
 */
export class JournalWriteError extends DrbookError {
  override readonly exitCode: ExitCode = EXIT.failed;
  constructor(
    readonly file: string,
    readonly reason: 'full' | 'io' | 'busy' | 'readonly',
    readonly sqliteCode: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot write the journal ${file}: ${REASON_TEXT[reason]} (${sqliteCode}); everything recorded before this is kept`,
      reason === 'full'
        ? 'free disk space, then `drbook resume` continues the run'
        : reason === 'busy'
          ? 'another drbook is writing this database; wait for it, then `drbook resume`'
          : 'check the disk and the file permissions, then `drbook resume` continues the run',
      options,
    );
  }
}

const REASON_TEXT = {
  full: 'the disk (or the database size limit) is full',
  io: 'an I/O error',
  busy: 'the database stayed locked',
  readonly: 'the database is read-only',
} as const;

/**
 * The SQLite library drbook runs on, as a bug report needs it: asked of the loaded native module,
 * with the binary file it was loaded from (the package's prebuilt one, or one built here).
 */
export function sqliteVersions(): { sqlite: string; betterSqlite3: string; binary: string | undefined } {
  const db = new (loadSqlite())(':memory:');
  try {
    const { v } = db.prepare('select sqlite_version() as v').get() as { v: string };
    const pkgFile = sqlitePackageJson();
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
    const pkgDir = path.dirname(pkgFile);
    const loaded = (process.report.getReport() as { sharedObjects?: string[] }).sharedObjects ?? [];
    const binary = loaded.find((f) => f.startsWith(pkgDir + path.sep) && f.endsWith('.node'));
    return { sqlite: v, betterSqlite3: pkg.version, binary: binary && path.relative(pkgDir, binary) };
  } finally {
    db.close();
  }
}

function sqliteCode(err: unknown): string | undefined {
  if (err instanceof loadSqlite().SqliteError) return err.code;
  return undefined;
}

/** Turn a SQLite write failure into the typed error the engine stops on; rethrow anything else. */
export function writeErrorOf(file: string, err: unknown): unknown {
  const code = sqliteCode(err);
  if (!code) return err;
  if (code === 'SQLITE_FULL') return new JournalWriteError(file, 'full', code, { cause: err });
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') return new JournalWriteError(file, 'io', code, { cause: err });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new JournalWriteError(file, 'busy', code, { cause: err });
  if (code.startsWith('SQLITE_READONLY')) return new JournalWriteError(file, 'readonly', code, { cause: err });
  return err;
}

/** Run one synchronous write; SQLite's disk-full / I/O failures come out as JournalWriteError. */
export function guardWrite<T>(db: Db, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw writeErrorOf(db.name, err);
  }
}

/** Create the file with mode 0600 before SQLite does, so it is never readable by others. */
function createPrivate(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE));
  chmodSync(file, FILE_MODE);
}

function chmodSidecars(file: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const f = file + suffix;
    try {
      if (existsSync(f)) chmodSync(f, FILE_MODE);
    } catch {
      // Not ours to fix (another user's file, a read-only mount): SQLite already created it
      // with the database file's mode.
    }
  }
}

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']);

function unreadable(file: string, err: unknown): OperatorError {
  const code = sqliteCode(err) ?? (err as NodeJS.ErrnoException).code ?? '';
  // An existing database this command may not write: say so, never suggest a new one (a new
  // database knows none of the runs, and a failover from it would not know what was done).
  if (existsSync(file) && (READ_ONLY_CODES.has(code) || code.startsWith('SQLITE_READONLY'))) {
    return new OperatorError(
      `${file} is read-only (${code}) and this command writes to it`,
      'make it writable (its file and folder, or the mount), or pass --db with a writable copy; read commands (runs, report, inventory, plan, check) work on it as it is',
      { cause: err },
    );
  }
  const what =
    code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')
      ? 'is not a drbook database or is damaged'
      : `cannot be read (${code || (err as Error).message})`;
  return new OperatorError(
    `${file} ${what}`,
    'pass --db with the right file (or set DRBOOK_DB); if it is damaged, restore it from a backup: a new database knows none of its captures and runs',
    { cause: err },
  );
}

/**
 * SQLite cannot open a WAL database read-only where it cannot create the `-shm` file (a read-only
 * mount or folder): read a private copy instead (with its `-wal`), removed when it is closed.
 */
function openPrivateCopy(file: string): Db {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drbook-ro-'));
  try {
    const copy = path.join(dir, path.basename(file));
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new (loadSqlite())(copy, { readonly: true, fileMustExist: true });
    const close = db.close.bind(db);
    db.close = () => {
      close();
      rmSync(dir, { recursive: true, force: true });
      return db;
    };
    return db;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Open, and read the schema version (the first read: where a read-only WAL database fails). */
function openAndReadVersion(open: () => Db): { db: Db; version: number } {
  const db = open();
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return { db, version: db.pragma('user_version', { simple: true }) as number };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Open (creating and migrating when writable) the drbook database.
 * Refuses a database written by a newer drbook, naming both schema versions.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const readonly = opts.readonly ?? (opts.forReading === true && existsSync(file));
  if (readonly) {
    if (!existsSync(file)) {
      throw new OperatorError(`no drbook database at ${file}`, 'run `drbook capture --site FILE` first, or pass --db with the right file');
    }
  } else {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      createPrivate(file);
    } catch (err) {
      throw unreadable(file, err);
    }
  }

  let db: Db;
  let version: number;
  try {
    ({ db, version } = openAndReadVersion(() => new (loadSqlite())(file, { readonly, fileMustExist: readonly })));
  } catch (err) {
    if (!(readonly && sqliteCode(err) === 'SQLITE_CANTOPEN')) throw unreadable(file, err);
    try {
      ({ db, version } = openAndReadVersion(() => openPrivateCopy(file)));
    } catch (again) {
      throw unreadable(file, again);
    }
  }
  try {
    if (version > SCHEMA_VERSION) {
      throw new OperatorError(
        `${file} has schema ${version}; this drbook knows up to ${SCHEMA_VERSION}`,
        'upgrade drbook (or pass --db with another database)',
      );
    }
    db.pragma('foreign_keys = ON');
    if (readonly) {
      if (version < SCHEMA_VERSION) {
        throw new OperatorError(
          `${file} has schema ${version}; this drbook needs ${SCHEMA_VERSION}`,
          'run a writing command once (drbook capture) so the database is upgraded',
        );
      }
      return db;
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, version);
    chmodSidecars(file);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof DrbookError) throw err;
    const write = writeErrorOf(file, err);
    if (write instanceof JournalWriteError) throw write;
    throw unreadable(file, err);
  }
}

/**
 * Apply every migration after `from`, each in its own transaction together with its version bump.
 * The version is re-read inside the (immediate) transaction: two drbooks opening a new database at
 * the same moment must not both run the same migration.
 */
function migrate(db: Db, from: number): void {
  if (from >= MIGRATIONS.length) return;
  // A migration may rebuild a table others reference (SQLite's documented way to change a
  // constraint): foreign keys off meanwhile (a pragma outside any transaction), checked before
  // each commit, and back as they were after.
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (let v = from; v < MIGRATIONS.length; v++) {
      const sql = MIGRATIONS[v] as string;
      db.transaction(() => {
        const current = db.pragma('user_version', { simple: true }) as number;
        if (current > v) return;
        db.exec(sql);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new DrbookError(`migration ${v + 1} left ${broken.length} broken reference(s) in ${db.name}`);
        db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  } finally {
    if (fk) db.pragma('foreign_keys = ON');
  }
}
