import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DrbookError, EXIT, OperatorError, type ExitCode } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

/**
 * The one SQLite database of drbook (journal of runs + inventory captures). better-sqlite3 is
 * synchronous, so every write is one statement or one db.transaction(): a transaction can never
 * span an await.
 */

export type Db = Database.Database;

// Where the database is: src/session/locate.ts (one rule for every command).

/** The schema version this drbook writes (the length of the migration list). */
export const SCHEMA_VERSION = MIGRATIONS.length;

const FILE_MODE = 0o600;
const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  readonly?: boolean;
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

function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Database.SqliteError) return err.code;
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

function unreadable(file: string, err: unknown): OperatorError {
  const code = sqliteCode(err) ?? (err as NodeJS.ErrnoException).code ?? '';
  const what =
    code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')
      ? 'is not a drbook database or is damaged'
      : `cannot be read (${code || (err as Error).message})`;
  return new OperatorError(
    `${file} ${what}`,
    'pass --db with the right file (or set DRBOOK_DB), or move the damaged file away; drbook starts a new one',
    { cause: err },
  );
}

/**
 * Open (creating and migrating when writable) the drbook database.
 * Refuses a database written by a newer drbook, naming both schema versions.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const readonly = opts.readonly ?? false;
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
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
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
  for (let v = from; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v] as string;
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > v) return;
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
