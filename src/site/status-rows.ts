/**
 * What `drbook status` prints the same way on every platform (vSphere: src/commands/status.ts,
 * Hyper-V: src/hyperv/status.ts): the journal's rows (last run, lock) and the label/value layout.
 */
import { commandMessages } from '../i18n/commands.js';
import type { Lang } from '../i18n/lang.js';
import { statusMessages } from '../i18n/status.js';
import { maxCells, padCells } from '../text/table.js';
import type { LockSummary, RunSummary } from './state.js';

/** A label (empty on continuation rows) and its value. */
export type StatusRow = [label: string, value: string];

/** The last run and the lock; `unknown` when there is no database to read them from. */
export function journalRows(
  journal: { lastRun: RunSummary | null; lock: LockSummary | null },
  o: { lang: Lang; now: number; hasDb: boolean },
): StatusRow[] {
  const m = statusMessages(o.lang);
  const c = commandMessages(o.lang);
  const ago = (ms: number) => m.duration(Math.max(0, Math.round((o.now - ms) / 1000)));
  const run = journal.lastRun;
  const lock = journal.lock;
  return [
    [
      m.labelRun,
      run
        ? m.run({
            id: run.id,
            kind: c.runKind[run.kind] ?? run.kind,
            status: c.runStatus[run.status] ?? run.status,
            age: ago(run.updatedAt),
          })
        : o.hasDb
          ? m.noRun
          : m.unknown,
    ],
    [
      m.labelLock,
      lock
        ? m.lock({
            runId: lock.runId,
            kind: c.runKind[lock.kind] ?? lock.kind,
            pid: lock.pid,
            host: lock.hostname,
            age: ago(lock.since),
          })
        : o.hasDb
          ? m.noLock
          : m.unknown,
    ],
  ];
}

/** The title line, then one indented line per row with the labels padded to one column. */
export function statusTable(title: string, rows: readonly StatusRow[]): string[] {
  const width = maxCells(rows.map(([label]) => label));
  return [title, ...rows.map(([label, value]) => `  ${padCells(label, width)}  ${value}`)];
}
