/**
 * How a burst of a run's events (Journal.enqueue) is committed: in one transaction, durable when it
 * settles (WAL, synchronous=FULL). A database file is written by a worker thread with its own
 * connection, so an fsync (a millisecond on a good disk, many on a busy jump host's) never stalls
 * the screen, the SSH sessions or the engine; while it commits one burst the next one gathers, so
 * a slower disk makes bigger bursts rather than a slower run. An in-memory or read-only database
 * commits on the calling thread. Once a burst fails, no later one is committed (they fail the same
 * way): the journal never has a hole that a later event, or a command sent after it, skips over.
 */
import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { sqlitePackageName } from './sqlite.js';
import { BUSY_TIMEOUT_MS, guardWrite, writeErrorOfCode, type Db } from './db.js';

/** One event as it is stored: its run, type, time and JSON. */
export interface StoredRow {
  run: string;
  type: string;
  at: number;
  payload: string;
}

/** The one INSERT of an event: the next seq is computed inside it (one statement, one commit). */
export const INSERT_EVENT_SQL = `INSERT INTO events (run_id, seq, type, at, payload)
  SELECT @run, COALESCE(MAX(seq), 0) + 1, @type, @at, @payload FROM events WHERE run_id = @run
  RETURNING seq`;

export interface Committer {
  /** Commit `rows` in one transaction; `done` is called once it is durable, or with what lost it. */
  commit(rows: StoredRow[], done: (err?: Error) => void): void;
  /** Block until every commit started has called its `done`. */
  settleAll(): void;
  close(): void;
}

/** Commits on this thread, before commit() returns. */
export function inThreadCommitter(db: Db): Committer {
  const insert = db.prepare<[StoredRow], { seq: number }>(INSERT_EVENT_SQL);
  // .all(), never .get(): SQLite commits an INSERT … RETURNING only when it steps to the end.
  const commitAll = db.transaction((rows: StoredRow[]) => rows.forEach((r) => insert.all(r)));
  // After a failed burst nothing more is committed: the journal has no hole.
  let failed: Error | undefined;
  return {
    commit(rows, done) {
      if (failed) return done(failed);
      try {
        guardWrite(db, () => commitAll(rows));
      } catch (err) {
        failed = err instanceof Error ? err : new Error(String(err));
        return done(failed);
      }
      done();
    },
    settleAll: () => undefined,
    close: () => undefined,
  };
}

/** A burst settled by the worker: its id, and the SQLite error that lost it. */
interface Settled {
  id: number;
  error?: { code: string | undefined; message: string };
}

/** The worker's code, plain CommonJS (a worker gets no TypeScript loader). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { file, sqlite, busyTimeoutMs, insertSql, port, settled } = workerData;
const Database = require(sqlite);
const db = new Database(file);
db.pragma('busy_timeout = ' + busyTimeoutMs);
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
const insert = db.prepare(insertSql);
const commitAll = db.transaction((rows) => rows.forEach((r) => insert.all(r)));
let failed;
port.on('message', (m) => {
  if (m.close) {
    db.close();
    port.close();
    return;
  }
  // After a failed burst nothing more is committed: the journal has no hole.
  let error = failed;
  if (!error) {
    try {
      commitAll(m.rows);
    } catch (err) {
      error = failed = { code: typeof err.code === 'string' ? err.code : undefined, message: String(err && err.message) };
    }
  }
  // The answer is on the port before the counter moves: a thread woken by the counter finds it.
  port.postMessage(error ? { id: m.id, error } : { id: m.id });
  Atomics.store(settled, 0, m.id);
  Atomics.notify(settled, 0);
});
`;

/** How long settleAll waits for the worker before it gives up on it (it retries busy for BUSY_TIMEOUT_MS itself). */
const SETTLE_LIMIT_MS = 4 * BUSY_TIMEOUT_MS;

/** Commits in a worker thread with its own connection to `file`. */
export function workerCommitter(file: string): Committer {
  const { port1: port, port2 } = new MessageChannel();
  // [0]: the id of the last burst the worker settled.
  const settled = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      sqlite: createRequire(import.meta.url).resolve(sqlitePackageName()),
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      insertSql: INSERT_EVENT_SQL,
      port: port2,
      settled,
    },
    transferList: [port2],
  });
  const waiting = new Map<number, (err?: Error) => void>();
  let lastId = 0;
  let dead: Error | undefined;
  // The port keeps drbook running while a commit is awaited (a run waiting to send its next command
  // has nothing else pending), and not a moment longer.
  const settle = (id: number, err?: Error) => {
    const done = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) port.unref();
    done?.(err);
  };
  const failAll = (err: Error) => {
    dead ??= err;
    for (const id of [...waiting.keys()]) settle(id, err);
  };
  const onSettled = (m: Settled) => {
    if (!m.error) return settle(m.id);
    const cause = Object.assign(new Error(m.error.message), { code: m.error.code });
    settle(m.id, (m.error.code && writeErrorOfCode(file, m.error.code, cause)) || cause);
  };
  port.on('message', onSettled);
  worker.on('error', (err) => failAll(err));
  worker.on('exit', () => failAll(new Error(`the journal's writer thread ended (${file})`)));
  port.unref();
  worker.unref();
  return {
    commit(rows, done) {
      if (dead) return done(dead);
      const id = ++lastId;
      if (waiting.size === 0) port.ref();
      waiting.set(id, done);
      port.postMessage({ id, rows });
    },
    settleAll() {
      const until = Date.now() + SETTLE_LIMIT_MS;
      while (waiting.size > 0 && !dead) {
        const seen = Atomics.load(settled, 0);
        if (seen < lastId) {
          const left = until - Date.now();
          if (left <= 0) return failAll(new Error(`the journal's writer thread did not answer within ${SETTLE_LIMIT_MS} ms (${file})`));
          Atomics.wait(settled, 0, seen, Math.min(left, 1000));
        }
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) onSettled(m.message as Settled);
        if (seen >= lastId && waiting.size > 0) return failAll(new Error(`the journal's writer thread lost an answer (${file})`));
      }
    },
    close() {
      port.postMessage({ close: true });
    },
  };
}
