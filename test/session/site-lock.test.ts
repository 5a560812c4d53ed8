/**
 * The site lock file: one holder per site file, whichever database; stale holders (dead pid,
 * another boot, a reused pid) are taken over and said so; live ones and ones that cannot be
 * checked are refused naming the holder. Real files in a temp dir; the machine is faked only in
 * what it says about processes and boots.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperatorError } from '../../src/errors.js';
import {
  acquireSiteLock,
  breakSiteLock,
  holderState,
  lockFileOf,
  readSiteLock,
  thisMachine,
  type Machine,
  type SiteLockHolder,
} from '../../src/session/site-lock.js';

let dir: string;
let siteFile: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drbook-lock-'));
  siteFile = path.join(dir, 'site.yaml');
  writeFileSync(siteFile, 'site: lab\n');
});

afterEach(() => undefined);

const req = (runId: string, extra: Partial<Parameters<typeof acquireSiteLock>[1]> = {}) => ({
  site: 'lab',
  runId,
  kind: 'failover',
  command: 'drbook failover --site site.yaml',
  ...extra,
});

/** A pid that is certainly not running: a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

function writeHolder(h: Partial<SiteLockHolder>): string {
  const full: SiteLockHolder = {
    site: 'lab',
    runId: '20261203-0800-dead',
    kind: 'failover',
    pid: process.pid,
    hostname: os.hostname(),
    user: 'alice',
    command: 'drbook failover --site site.yaml',
    startedAt: Date.UTC(2026, 11, 3, 8, 0),
    bootId: thisMachine.bootId(),
    processStart: thisMachine.processStart(process.pid),
    ...h,
  };
  const raw = `${JSON.stringify(full, null, 2)}\n`;
  writeFileSync(lockFileOf(siteFile), raw);
  return raw;
}

describe('site lock file', () => {
  it('is one file beside the site file holding who runs it; a second taker is refused naming the holder', () => {
    const lock = acquireSiteLock(siteFile, req('run-a'));
    expect(lockFileOf(siteFile)).toBe(`${siteFile}.lock`);
    const read = readSiteLock(siteFile);
    expect(read.kind).toBe('held');
    const h = (read as { holder: SiteLockHolder }).holder;
    expect(h).toMatchObject({
      site: 'lab',
      runId: 'run-a',
      kind: 'failover',
      pid: process.pid,
      hostname: os.hostname(),
      command: 'drbook failover --site site.yaml',
    });
    expect(h.user).toBeTruthy();
    if (existsSync('/proc/sys/kernel/random/boot_id'))
      expect(h.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    let err: unknown;
    try {
      acquireSiteLock(siteFile, req('run-b'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as OperatorError).message).toContain(`site lab is held by failover run run-a (pid ${process.pid} on host ${os.hostname()}`);
    expect((err as OperatorError).hint).toMatch(/wait for it, or stop it/);
    lock.release();
    expect(existsSync(lockFileOf(siteFile))).toBe(false);
    acquireSiteLock(siteFile, req('run-b')).release();
    // No temporary files left behind.
    expect(readdirSync(dir)).toEqual(['site.yaml']);
  });

  it('takes over a holder whose process is gone, and says why', async () => {
    writeHolder({ pid: await deadPid(), processStart: undefined });
    const lock = acquireSiteLock(siteFile, req('run-b'));
    expect(lock.takenOver).toMatchObject({ holder: { runId: '20261203-0800-dead' }, why: 'pid-gone' });
    expect((readSiteLock(siteFile) as { holder: SiteLockHolder }).holder.runId).toBe('run-b');
    lock.release();
  });

  it('takes over a holder from before a reboot even when its pid runs again, and one whose pid was reused', () => {
    writeHolder({ bootId: 'another-boot' });
    const a = acquireSiteLock(siteFile, req('run-b'));
    expect(a.takenOver?.why).toBe('rebooted');
    a.release();
    writeHolder({ processStart: '1' });
    const b = acquireSiteLock(siteFile, req('run-c'));
    expect(b.takenOver?.why).toBe('pid-reused');
    b.release();
  });

  it('refuses a holder on another host (cannot be checked) and an unreadable lock, pointing at drbook unlock', () => {
    writeHolder({ hostname: 'elsewhere' });
    expect(() => acquireSiteLock(siteFile, req('run-b'))).toThrow(
      /site lab is held by failover run 20261203-0800-dead \(pid \d+ on host elsewhere/,
    );
    try {
      acquireSiteLock(siteFile, req('run-b'));
    } catch (e) {
      expect((e as OperatorError).hint).toContain(`drbook unlock --site ${siteFile}`);
    }
    writeFileSync(lockFileOf(siteFile), 'garbage');
    expect(() => acquireSiteLock(siteFile, req('run-b'))).toThrow(/cannot be read/);
  });

  it('judges holders from pid, boot id and process start', () => {
    const machine = (o: Partial<Machine>): Machine => ({
      ...thisMachine,
      hostname: () => 'h',
      bootId: () => 'boot-1',
      alive: () => true,
      processStart: () => '100',
      ...o,
    });
    const h = {
      site: 'lab',
      runId: 'r',
      kind: 'failover',
      pid: 42,
      hostname: 'h',
      user: 'u',
      command: 'c',
      startedAt: 0,
      bootId: 'boot-1',
      processStart: '100',
    };
    expect(holderState(h, machine({}))).toEqual({ state: 'alive' });
    expect(holderState(h, machine({ alive: () => false }))).toEqual({ state: 'stale', why: 'pid-gone' });
    expect(holderState(h, machine({ bootId: () => 'boot-2' }))).toEqual({ state: 'stale', why: 'rebooted' });
    expect(holderState(h, machine({ processStart: () => '200' }))).toEqual({ state: 'stale', why: 'pid-reused' });
    expect(holderState(h, machine({ hostname: () => 'other' }))).toEqual({ state: 'unknown', why: 'other-host' });
    // Without a boot id or a start time (no /proc), only the pid decides.
    expect(holderState({ ...h, bootId: undefined, processStart: undefined }, machine({ bootId: () => undefined }))).toEqual({
      state: 'alive',
    });
  });

  it('breaks only the lock that was shown, and a release never removes a lock taken by another run', () => {
    const shown = writeHolder({ hostname: 'elsewhere' });
    writeHolder({ hostname: 'elsewhere', runId: 'someone-else' });
    expect(breakSiteLock(siteFile, shown)).toBe(false);
    expect(readSiteLock(siteFile).kind).toBe('held');
    const now = writeHolder({ hostname: 'elsewhere', runId: 'someone-else' });
    expect(breakSiteLock(siteFile, now)).toBe(true);
    expect(readSiteLock(siteFile).kind).toBe('none');

    const mine = acquireSiteLock(siteFile, req('run-a'));
    writeHolder({ runId: 'run-z', hostname: 'elsewhere' });
    mine.release();
    expect((readSiteLock(siteFile) as { holder: SiteLockHolder }).holder.runId).toBe('run-z');
  });
});
