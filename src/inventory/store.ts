import { randomBytes } from 'node:crypto';
import { OperatorError } from '../errors.js';
import { guardWrite, type Db } from '../journal/db.js';
import type { Capture } from './types.js';

/**
 * Captures in the drbook database. A capture is written once, in one transaction, and never
 * changed (the schema's triggers refuse UPDATE and DELETE).
 */

export interface CaptureSummary {
  id: string;
  site: string;
  takenAt: string;
  drbookVersion: string;
  vms: number;
  findings: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `20261122-014210-a1b2`: UTC second of the capture, then 4 random hex digits. */
export function newCaptureId(at: Date): string {
  const d = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const t = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `${d}-${t}-${randomBytes(2).toString('hex')}`;
}

interface Row {
  id: string;
  site: string;
  taken_at: string;
  drbook_version: string;
  findings: number;
  vms: number;
}

const toSummary = (r: Row): CaptureSummary => ({
  id: r.id,
  site: r.site,
  takenAt: r.taken_at,
  drbookVersion: r.drbook_version,
  vms: r.vms,
  findings: r.findings,
});

const SUMMARY = `SELECT c.id, c.site, c.taken_at, c.drbook_version, c.findings,
  (SELECT COUNT(*) FROM capture_vms v WHERE v.capture_id = c.id) AS vms FROM captures c`;

export class CaptureStore {
  constructor(readonly db: Db) {}

  save(capture: Capture): void {
    const insertCapture = this.db.prepare(
      'INSERT INTO captures (id, site, taken_at, drbook_version, findings, body) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertVm = this.db.prepare(
      `INSERT INTO capture_vms (capture_id, ord, name, vmid, host, vmx_path, uuid_bios, power, volume, job, carried_from, folder, resource_pool)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = this.db.transaction(() => {
      insertCapture.run(
        capture.id,
        capture.site,
        capture.takenAt,
        capture.drbookVersion,
        capture.audit.findings.length,
        JSON.stringify(capture),
      );
      capture.vms.forEach((vm, i) => {
        insertVm.run(
          capture.id,
          i,
          vm.name,
          vm.vmid,
          vm.host,
          vm.vmxPath,
          vm.uuidBios,
          vm.power,
          vm.volume,
          vm.job ?? null,
          vm.carriedFrom ?? null,
          vm.placement?.folder ?? null,
          vm.placement?.resourcePool ?? null,
        );
      });
    });
    guardWrite(this.db, () => write.immediate());
  }

  get(id: string): Capture | undefined {
    const row = this.db.prepare<[string], { body: string }>('SELECT body FROM captures WHERE id = ?').get(id);
    return row ? (JSON.parse(row.body) as Capture) : undefined;
  }

  /** A capture by its id or an unambiguous prefix of it; undefined when none, throws when several. */
  find(idOrPrefix: string): Capture | undefined {
    const exact = this.get(idOrPrefix);
    if (exact) return exact;
    const ids = this.db
      .prepare<[string, string], { id: string }>('SELECT id FROM captures WHERE substr(id, 1, length(?)) = ? ORDER BY id')
      .all(idOrPrefix, idOrPrefix)
      .map((r) => r.id);
    if (ids.length > 1) throw new AmbiguousCaptureError(idOrPrefix, ids);
    return ids[0] === undefined ? undefined : this.get(ids[0]);
  }

  /** The site's latest good capture: a degraded one (taken after the disaster) is never the default. */
  latest(site: string): Capture | undefined {
    const row = this.db
      .prepare<[string], { id: string }>(
        "SELECT id FROM captures WHERE site = ? AND json_extract(body, '$.degraded') IS NULL ORDER BY taken_at DESC, id DESC LIMIT 1",
      )
      .get(site);
    return row ? this.get(row.id) : undefined;
  }

  /** The site's newest capture, degraded or not (what `drbook status` reports). */
  newest(site: string): Capture | undefined {
    const row = this.db
      .prepare<[string], { id: string }>('SELECT id FROM captures WHERE site = ? ORDER BY taken_at DESC, id DESC LIMIT 1')
      .get(site);
    return row ? this.get(row.id) : undefined;
  }

  /** Newest first; all sites when `site` is not given. */
  list(site?: string): CaptureSummary[] {
    const rows =
      site === undefined
        ? this.db.prepare<[], Row>(`${SUMMARY} ORDER BY c.taken_at DESC, c.id DESC`).all()
        : this.db.prepare<[string], Row>(`${SUMMARY} WHERE c.site = ? ORDER BY c.taken_at DESC, c.id DESC`).all(site);
    return rows.map(toSummary);
  }

  sites(): string[] {
    return this.db
      .prepare<[], { site: string }>('SELECT DISTINCT site FROM captures ORDER BY site')
      .all()
      .map((r) => r.site);
  }
}

export class AmbiguousCaptureError extends OperatorError {
  constructor(
    readonly prefix: string,
    readonly ids: string[],
  ) {
    super(`capture ${prefix} is ambiguous: ${ids.join(', ')}`, 'give more characters of the capture id');
  }
}

/** The brief's function names, over a CaptureStore. */
export const saveCapture = (db: Db, c: Capture): void => new CaptureStore(db).save(c);
export const getCapture = (db: Db, id: string): Capture | undefined => new CaptureStore(db).get(id);
export const latestCapture = (db: Db, site: string): Capture | undefined => new CaptureStore(db).latest(site);
export const listCaptures = (db: Db, site?: string): CaptureSummary[] => new CaptureStore(db).list(site);
