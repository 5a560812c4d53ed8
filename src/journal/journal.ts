import { randomBytes } from 'node:crypto';
import { OperatorError, describeError } from '../errors.js';
import type { EngineEvent } from '../engine/events.js';
import { guardWrite, openDatabase, type Db, type OpenOptions } from './db.js';
import { eventUpgrader, upgradeEvents } from './upgrade.js';

/**
 * The run journal: runs, every event of a run in order, and the one-run-per-site lock.
 * Commits are durable when they return (WAL, synchronous=FULL). `append` commits its event before
 * it returns; `enqueue` commits its event together with the others queued in the same turn of the
 * event loop, in one transaction at the end of that turn (one fsync for a burst of events instead
 * of one each, which was half of drbook's CPU in the 200-VM bench failover), and says when.
 * Every other method commits the queue first, so what it writes or reads comes after it in order.
 * Events arrive already redacted: the journal stores what it gets.
 */

export type RunKind = 'failover' | 'drill' | 'reprotect' | 'failback';
export type RunStatus = 'active' | 'done' | 'failed' | 'stopped' | 'aborted' | 'refused';

export interface NewRun {
  site: string;
  kind: RunKind;
  runbook: string;
  siteFile: string;
  options?: Record<string, unknown>;
}

export interface Run {
  id: string;
  site: string;
  kind: RunKind;
  runbook: string;
  siteFile: string;
  options: Record<string, unknown>;
  status: RunStatus;
  /** ms since the epoch */
  createdAt: number;
  updatedAt: number;
}

/** A stored event as written: a type, a time (ms since the epoch) and its own fields. */
export interface JournalEvent {
  type: string;
  at: number;
  [field: string]: unknown;
}

export interface StoredEvent {
  seq: number;
  event: JournalEvent;
}

export interface LockHolder {
  site: string;
  runId: string;
  kind: string;
  pid: number;
  hostname: string;
  /** ms since the epoch */
  since: number;
}

export interface LockRequest {
  pid: number;
  hostname: string;
  kind: RunKind;
  /** Take the lock even from a holder that looks alive (the operator checked it is gone). */
  force?: boolean;
}

export interface AcquiredLock {
  /** The previous holder whose process was gone (or forced out), or null when the site was free. */
  takenOver: LockHolder | null;
}

/** Decides whether a lock holder still runs. Only a process on this host can be checked. */
export type HolderAlive = (holder: LockHolder, self: { hostname: string }) => boolean;

export const defaultHolderAlive: HolderAlive = (holder, self) => {
  // Another host's process cannot be checked from here: assume it runs (refusing is safe).
  if (holder.hostname !== self.hostname) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

interface RunRow {
  id: string;
  site: string;
  kind: RunKind;
  runbook: string;
  site_file: string;
  options: string;
  status: RunStatus;
  created_at: number;
  updated_at: number;
}

interface LockRow {
  site: string;
  run_id: string;
  kind: string;
  pid: number;
  hostname: string;
  acquired_at: number;
}

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    site: r.site,
    kind: r.kind,
    runbook: r.runbook,
    siteFile: r.site_file,
    options: JSON.parse(r.options) as Record<string, unknown>,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toHolder(r: LockRow): LockHolder {
  return { site: r.site, runId: r.run_id, kind: r.kind, pid: r.pid, hostname: r.hostname, since: r.acquired_at };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `20261122-0142-a1b2`: UTC minute, then 4 random hex digits. Sorts by start time. */
export function newRunId(now: Date = new Date()): string {
  const d = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}`;
  return `${d}-${t}-${randomBytes(2).toString('hex')}`;
}

function formatSince(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

export interface JournalOptions {
  now?: () => number;
  holderAlive?: HolderAlive;
}

/** The events `enqueue` took and not yet committed, and the promise their commit settles. */
interface Queued {
  events: { runId: string; event: EngineEvent | JournalEvent }[];
  committed: Promise<void>;
  settle: (err?: Error) => void;
}

function checkEvent(event: EngineEvent | JournalEvent): void {
  if (typeof event.type !== 'string' || event.type === '') throw new TypeError('journal event needs a type');
  if (!Number.isFinite(event.at)) throw new TypeError(`journal event ${event.type} needs a numeric time (at)`);
}

export class Journal {
  private readonly now: () => number;
  private readonly holderAlive: HolderAlive;
  private readonly stmts;
  private readonly appendAll;
  private queued: Queued | null = null;
  private burstFailed: Error | undefined;

  constructor(
    readonly db: Db,
    opts: JournalOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.holderAlive = opts.holderAlive ?? defaultHolderAlive;
    this.stmts = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, site, kind, runbook, site_file, options, status, created_at, updated_at)
         VALUES (@id, @site, @kind, @runbook, @site_file, @options, 'active', @now, @now)`,
      ),
      getRun: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
      listRuns: db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY created_at DESC, id DESC'),
      listRunsOfSite: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE site = ? ORDER BY created_at DESC, id DESC'),
      setStatus: db.prepare('UPDATE runs SET status = ?, updated_at = ? WHERE id = ?'),
      // The next seq is computed inside the INSERT itself: one statement, one commit.
      append: db.prepare<[{ run: string; type: string; at: number; payload: string }], { seq: number }>(
        `INSERT INTO events (run_id, seq, type, at, payload)
         SELECT @run, COALESCE(MAX(seq), 0) + 1, @type, @at, @payload FROM events WHERE run_id = @run
         RETURNING seq`,
      ),
      events: db.prepare<[string, number], { seq: number; payload: string }>(
        'SELECT seq, payload FROM events WHERE run_id = ? AND seq > ? ORDER BY seq',
      ),
      // A report's two reads (src/reporters/report.ts): the commands, with the run.started of each
      // attempt (it ends the attempt's unanswered commands and says the events' version), or the rest.
      commandEvents: db.prepare<[string, number], { seq: number; payload: string }>(
        `SELECT seq, payload FROM events WHERE run_id = ? AND seq > ?
         AND type IN ('command.started', 'command.finished', 'run.started') ORDER BY seq`,
      ),
      otherEvents: db.prepare<[string, number], { seq: number; payload: string }>(
        `SELECT seq, payload FROM events WHERE run_id = ? AND seq > ?
         AND type NOT IN ('command.started', 'command.finished') ORDER BY seq`,
      ),
      sentChange: db.prepare<[string], { one: number }>(
        `SELECT 1 AS one FROM events WHERE run_id = ? AND type = 'command.started'
         AND json_extract(payload, '$.intent') IS NOT NULL LIMIT 1`,
      ),
      getLock: db.prepare<[string], LockRow>('SELECT * FROM locks WHERE site = ?'),
      deleteLock: db.prepare('DELETE FROM locks WHERE site = ?'),
      insertLock: db.prepare('INSERT INTO locks (site, run_id, kind, pid, hostname, acquired_at) VALUES (?, ?, ?, ?, ?, ?)'),
      releaseLock: db.prepare('DELETE FROM locks WHERE site = ? AND run_id = ?'),
    };
    this.appendAll = db.transaction((events: Queued['events']) => {
      for (const { runId, event } of events) this.insertEvent(runId, event);
    });
  }

  /** Open the database at `file` (creating and migrating it) and wrap it. */
  static open(file: string, opts: OpenOptions & JournalOptions = {}): Journal {
    return new Journal(openDatabase(file, opts), opts);
  }

  /** Commits what is queued, then closes (and closes even when that commit fails, then throws). */
  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }

  createRun(run: NewRun): string {
    this.flush();
    const now = this.now();
    for (let attempt = 0; ; attempt++) {
      const id = newRunId(new Date(now));
      try {
        guardWrite(this.db, () =>
          this.stmts.insertRun.run({
            id,
            site: run.site,
            kind: run.kind,
            runbook: run.runbook,
            site_file: run.siteFile,
            options: JSON.stringify(run.options ?? {}),
            now,
          }),
        );
        return id;
      } catch (err) {
        // Two runs started in the same minute drew the same suffix: draw again.
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && attempt < 20) continue;
        throw err;
      }
    }
  }

  getRun(runId: string): Run | undefined {
    this.flush();
    const row = this.stmts.getRun.get(runId);
    return row ? toRun(row) : undefined;
  }

  /** A run by its id or a unique prefix of it (like capture ids); undefined when none matches. */
  findRun(idOrPrefix: string): Run | undefined {
    const exact = this.getRun(idOrPrefix);
    if (exact || idOrPrefix === '') return exact;
    const hits = this.listRuns().filter((r) => r.id.startsWith(idOrPrefix));
    if (hits.length > 1)
      throw new OperatorError(`run ${idOrPrefix} is ambiguous: ${hits.map((r) => r.id).join(', ')}`, 'give more characters of the run id');
    return hits[0];
  }

  /** Newest first. */
  listRuns(filter: { site?: string } = {}): Run[] {
    this.flush();
    const rows = filter.site === undefined ? this.stmts.listRuns.all() : this.stmts.listRunsOfSite.all(filter.site);
    return rows.map(toRun);
  }

  /** Whether the run sent a device a change (a command with an intent), in any of its attempts. */
  sentChange(runId: string): boolean {
    this.flush();
    return this.stmts.sentChange.get(runId) !== undefined;
  }

  setRunStatus(runId: string, status: RunStatus): void {
    this.flush();
    const res = guardWrite(this.db, () => this.stmts.setStatus.run(status, this.now(), runId));
    if (res.changes === 0) throw new Error(`journal: no run ${runId}`);
  }

  /** Store one event; it is on disk when this returns. Returns its sequence number (1, 2, …). */
  append(runId: string, event: EngineEvent | JournalEvent): number {
    checkEvent(event);
    this.flush();
    return guardWrite(this.db, () => this.insertEvent(runId, event));
  }

  /**
   * Queue one event, committed with the others queued in this turn of the event loop (or earlier,
   * when another method of the journal runs first). Returns the promise of that commit: it rejects
   * with the JournalWriteError that lost the event. Nothing waits for it unless its caller does.
   */
  enqueue(runId: string, event: EngineEvent | JournalEvent): Promise<void> {
    checkEvent(event);
    if (!this.queued) {
      let settle!: Queued['settle'];
      const committed = new Promise<void>((resolve, reject) => {
        settle = (err) => (err === undefined ? resolve() : reject(err));
      });
      // Whoever awaits it sees the failure; nobody awaiting it is no unhandled rejection.
      committed.catch(() => undefined);
      const queued: Queued = { events: [], committed, settle };
      this.queued = queued;
      setImmediate(() => {
        if (this.queued !== queued) return;
        try {
          this.flush();
        } catch {
          // The commit's promise carries it.
        }
      });
    }
    this.queued.events.push({ runId, event });
    return this.queued.committed;
  }

  /** Resolves once everything queued so far is committed (at once when nothing is queued). */
  durable(): Promise<void> {
    return this.queued?.committed ?? Promise.resolve();
  }

  /**
   * Commit what is queued now, in one transaction. Throws (and rejects its promise) when that fails;
   * after that no queued event is committed any more (each burst fails the same way), so the
   * journal never has a hole that a later event skips over.
   */
  flush(): void {
    const queued = this.queued;
    if (!queued) return;
    this.queued = null;
    try {
      if (this.burstFailed) throw this.burstFailed;
      guardWrite(this.db, () => this.appendAll(queued.events));
    } catch (err) {
      this.burstFailed ??= err instanceof Error ? err : new Error(describeError(err));
      queued.settle(this.burstFailed);
      throw err;
    }
    queued.settle();
  }

  private insertEvent(runId: string, event: EngineEvent | JournalEvent): number {
    const payload = JSON.stringify(event);
    // .all(), never .get(): get() steps once and resets, and SQLite commits an INSERT … RETURNING
    // only when it steps to the end; a commit that fails there (disk full) was silently dropped.
    const row = this.stmts.append.all({ run: runId, type: event.type, at: event.at, payload })[0];
    if (!row) throw new Error(`journal: append to ${runId} returned no sequence number`);
    return row.seq;
  }

  /** The events of a run as stored, in the order they were appended (optionally only those after `afterSeq`). */
  events(runId: string, afterSeq = 0): StoredEvent[] {
    this.flush();
    return this.stmts.events.all(runId, afterSeq).map((r) => ({ seq: r.seq, event: JSON.parse(r.payload) as JournalEvent }));
  }

  /**
   * A run's events, typed, in today's shape: the events of an older drbook are read through
   * src/journal/upgrade.ts. What the engine, resume, the screens and the report read.
   */
  runEvents(runId: string): EngineEvent[] {
    this.flush();
    // Every payload was written from an EngineEvent (of this drbook or an older one).
    return upgradeEvents(this.stmts.events.all(runId, 0).map((r) => JSON.parse(r.payload) as EngineEvent));
  }

  /**
   * runEvents one at a time, read as they are consumed: a big run's events (a 2,000-VM failover
   * has ~170,000) are never all in memory. The connection is busy until the iteration ends. `part`:
   * only the commands (and each attempt's run.started), or all but the commands.
   */
  *streamRunEvents(runId: string, part: 'all' | 'commands' | 'others' = 'all'): Generator<EngineEvent> {
    this.flush();
    const upgrade = eventUpgrader();
    const rows = part === 'commands' ? this.stmts.commandEvents : part === 'others' ? this.stmts.otherEvents : this.stmts.events;
    for (const r of rows.iterate(runId, 0)) yield upgrade(JSON.parse(r.payload) as EngineEvent);
  }

  lockHolder(site: string): LockHolder | undefined {
    this.flush();
    const row = this.stmts.getLock.get(site);
    return row ? toHolder(row) : undefined;
  }

  /**
   * Take the site's lock for `runId`, in one immediate transaction so two drbooks cannot both win.
   * A live holder (another run, or this run in another live process) is refused with an
   * OperatorError naming it; a holder whose process is gone is taken over and returned.
   */
  acquireLock(site: string, runId: string, req: LockRequest): AcquiredLock {
    this.flush();
    const take = this.db.transaction((): AcquiredLock => {
      const row = this.stmts.getLock.get(site);
      const holder = row ? toHolder(row) : null;
      if (holder) {
        const same = holder.runId === runId && holder.pid === req.pid && holder.hostname === req.hostname;
        if (same) return { takenOver: null };
        if (!req.force && this.holderAlive(holder, { hostname: req.hostname })) {
          const remote = holder.hostname !== req.hostname;
          throw new OperatorError(
            `site ${site} is held by ${holder.kind} run ${holder.runId} (pid ${holder.pid} on host ${holder.hostname}, since ${formatSince(holder.since)})`,
            remote
              ? `wait for it, or stop it; drbook runs shows it (drbook cannot check a process on another host)`
              : 'wait for it, or stop it; drbook runs shows it',
          );
        }
        this.stmts.deleteLock.run(site);
      }
      this.stmts.insertLock.run(site, runId, req.kind, req.pid, req.hostname, this.now());
      return { takenOver: holder };
    });
    return guardWrite(this.db, () => take.immediate());
  }

  /** Give the lock back; only the run holding it can. Returns whether a lock was released. */
  releaseLock(site: string, runId: string): boolean {
    this.flush();
    return guardWrite(this.db, () => this.stmts.releaseLock.run(site, runId)).changes > 0;
  }
}
