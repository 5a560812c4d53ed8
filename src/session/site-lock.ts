/**
 * One lock per site: a file beside the site file (`site.yaml.lock`), whichever database a run
 * uses. It is the authority on who runs the site; the journal's lock row is a record of it.
 *
 * Node has no flock(2). The lock is taken by link(2) of a fully written temporary file onto the
 * lock's name: link is atomic and fails when the name exists, also over NFS (where O_EXCL was not
 * always atomic), and nobody ever reads a half-written holder. No library: proper-lockfile judges
 * staleness by an mtime the holder must keep touching on a timer, so a holder that is merely
 * suspended loses its lock, and it records nobody's details. Here staleness is decided from the
 * holder's own details: its process is gone, the machine rebooted (boot id), or its pid now
 * belongs to another process (start time).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { OperatorError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { lifecycleMessages } from '../i18n/lifecycle.js';
import type { Lang } from '../i18n/lang.js';

export interface SiteLockHolder {
  site: string;
  runId: string;
  kind: string;
  pid: number;
  hostname: string;
  user: string;
  /** The command line of the holder (argv joined, for people to read). */
  command: string;
  /** ms since the epoch */
  startedAt: number;
  /** /proc/sys/kernel/random/boot_id of the holder's machine, when it has one. */
  bootId?: string | undefined;
  /** The holder process's start time (/proc/PID/stat field 22), to tell a reused pid. */
  processStart?: string | undefined;
}

/** What this machine can say about a process: injectable so tests can fake a reboot or a dead pid. */
export interface Machine {
  hostname(): string;
  bootId(): string | undefined;
  alive(pid: number): boolean;
  processStart(pid: number): string | undefined;
}

export const thisMachine: Machine = {
  hostname: () => os.hostname(),
  bootId: () => readTrimmed('/proc/sys/kernel/random/boot_id'),
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: the process exists but belongs to someone else.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  processStart(pid) {
    const stat = readTrimmed(`/proc/${pid}/stat`);
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields?.[19];
  },
};

function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export type HolderState =
  | { state: 'alive' }
  /** Certainly gone: its lock may be taken over. */
  | { state: 'stale'; why: 'pid-gone' | 'rebooted' | 'pid-reused' }
  /** Cannot be checked from here (another host or container), or the lock file is unreadable. */
  | { state: 'unknown'; why: 'other-host' | 'unreadable' };

export function holderState(h: SiteLockHolder, m: Machine = thisMachine): HolderState {
  if (h.hostname !== m.hostname()) return { state: 'unknown', why: 'other-host' };
  const boot = m.bootId();
  if (h.bootId && boot && h.bootId !== boot) return { state: 'stale', why: 'rebooted' };
  if (!m.alive(h.pid)) return { state: 'stale', why: 'pid-gone' };
  const start = m.processStart(h.pid);
  if (h.processStart && start && h.processStart !== start) return { state: 'stale', why: 'pid-reused' };
  return { state: 'alive' };
}

export function lockFileOf(siteFile: string): string {
  return `${siteFile}.lock`;
}

export type LockRead = { kind: 'none' } | { kind: 'held'; holder: SiteLockHolder; raw: string } | { kind: 'unreadable'; raw: string };

export function readSiteLock(siteFile: string): LockRead {
  let raw: string;
  try {
    raw = readFileSync(lockFileOf(siteFile), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  try {
    const h = JSON.parse(raw) as SiteLockHolder;
    if (typeof h.pid === 'number' && typeof h.hostname === 'string' && typeof h.runId === 'string') return { kind: 'held', holder: h, raw };
  } catch {
    // fall through
  }
  return { kind: 'unreadable', raw };
}

export interface LockRequest {
  site: string;
  runId: string;
  kind: string;
  command: string;
  /** Default: this process. */
  pid?: number;
  user?: string;
  now?: () => number;
  machine?: Machine;
  lang?: Lang;
}

export interface SiteLock {
  holder: SiteLockHolder;
  /** The stale holder this lock replaced, and why it was stale. */
  takenOver: { holder: SiteLockHolder; why: 'pid-gone' | 'rebooted' | 'pid-reused' } | null;
  /** Remove the lock file if it is still ours. */
  release(): void;
}

/**
 * Take the site's lock. A live holder, one that cannot be checked from here, or an unreadable lock
 * file is refused with an OperatorError naming it (and `drbook unlock` for the last two); a stale
 * holder is replaced and returned.
 */
export function acquireSiteLock(siteFile: string, req: LockRequest): SiteLock {
  const machine = req.machine ?? thisMachine;
  const pid = req.pid ?? process.pid;
  const holder: SiteLockHolder = {
    site: req.site,
    runId: req.runId,
    kind: req.kind,
    pid,
    hostname: machine.hostname(),
    user: req.user ?? osUser(),
    command: req.command,
    startedAt: (req.now ?? Date.now)(),
    bootId: machine.bootId(),
    processStart: machine.processStart(pid),
  };
  const file = lockFileOf(siteFile);
  const body = `${JSON.stringify(holder, null, 2)}\n`;
  let takenOver: SiteLock['takenOver'] = null;
  // Bounded: each round either takes the lock, refuses, or removes one stale holder.
  for (let round = 0; round < 5; round++) {
    if (linkNew(file, body)) {
      return { holder, takenOver, release: () => releaseIfOurs(file, body) };
    }
    const now = readSiteLock(siteFile);
    if (now.kind === 'none') continue; // released in between
    if (now.kind === 'unreadable') throw heldError(siteFile, undefined, { state: 'unknown', why: 'unreadable' }, req.lang);
    const state = holderState(now.holder, machine);
    if (state.state !== 'stale') throw heldError(siteFile, now.holder, state, req.lang);
    if (removeIfUnchanged(file, now.raw)) takenOver = { holder: now.holder, why: state.why };
  }
  throw new OperatorError(lifecycleMessages(req.lang ?? 'en').lockContended({ file }));
}

/**
 * Refuse early, before a run reads anything or records itself, when the site is held by a holder
 * that may be alive. Only a hint: acquireSiteLock is what makes two runs impossible.
 */
export function assertSiteFree(siteFile: string, o: { machine?: Machine; lang?: Lang } = {}): void {
  const now = readSiteLock(siteFile);
  if (now.kind === 'none') return;
  if (now.kind === 'unreadable') throw heldError(siteFile, undefined, { state: 'unknown', why: 'unreadable' }, o.lang);
  const state = holderState(now.holder, o.machine ?? thisMachine);
  if (state.state !== 'stale') throw heldError(siteFile, now.holder, state, o.lang);
}

/** Remove a lock `drbook unlock` was shown, only if it is still that one. */
export function breakSiteLock(siteFile: string, raw: string): boolean {
  return removeIfUnchanged(lockFileOf(siteFile), raw);
}

/** The error for a held site: names the holder, and for what cannot be checked, `drbook unlock`. */
export function heldError(siteFile: string, h: SiteLockHolder | undefined, state: HolderState, lang: Lang = 'en'): OperatorError {
  const m = lifecycleMessages(lang);
  if (!h) return new OperatorError(m.lockUnreadable({ file: lockFileOf(siteFile) }), m.lockUnlockHint({ site: siteFile }));
  const held = m.lockHeld({
    site: h.site,
    kind: h.kind,
    runId: h.runId,
    pid: String(h.pid),
    host: h.hostname,
    user: h.user,
    since: formatUtc(h.startedAt),
  });
  return new OperatorError(held, state.state === 'alive' ? m.lockWaitHint : m.lockOtherHostHint({ site: siteFile }));
}

export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The lock file created with `body`, unless one is there already (then false). */
function linkNew(file: string, body: string): boolean {
  return writeFileAtomic(file, body, { overwrite: false });
}

/**
 * Move the lock aside and delete it only if it still holds `raw`: two drbooks judging the same
 * stale holder must not delete the lock the faster one has just taken. Whoever moved a lock that
 * is not the one judged puts it back (link fails only if a third took the name meanwhile).
 */
function removeIfUnchanged(file: string, raw: string): boolean {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // Vanished: nothing to restore.
  }
  if (moved !== raw) {
    try {
      linkSync(aside, file);
    } catch {
      // A new lock took the name: the one moved aside was released in between anyway.
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function releaseIfOurs(file: string, body: string): void {
  let now: string;
  try {
    now = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  // Broken by `drbook unlock` and taken by another run meanwhile: not ours to remove.
  if (now === body) removeIfUnchanged(file, body);
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
