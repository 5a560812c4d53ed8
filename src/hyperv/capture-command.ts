/**
 * `drbook capture` on a Hyper-V site: read the cluster and Backup Exec, audit, store the capture
 * beside the vSphere ones (same table; `platform: 'hyperv'` in its body), print the findings.
 * Exit 3 when there are findings, like vSphere.
 */
import { readFileSync } from 'node:fs';
import type { CaptureArgs } from '../commands/capture.js';
import type { CommandContext } from '../commands/context.js';
import { EXIT, type ExitCode } from '../errors.js';
import { commandLang } from '../i18n/lang.js';
import { guardWrite, openDatabase } from '../journal/db.js';
import { newCaptureId } from '../inventory/store.js';
import type { HypervSite } from '../runbook/site.js';
import type { Db } from '../journal/db.js';
import path from 'node:path';
import { collectHypervCapture, type HvCapture } from './capture.js';
import { createHypervPool } from './pool.js';

function drbookVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function saveHypervCapture(db: Db, c: HvCapture): void {
  const insertCapture = db.prepare('INSERT INTO captures (id, site, taken_at, drbook_version, findings, body) VALUES (?, ?, ?, ?, ?, ?)');
  const insertVm = db.prepare(
    `INSERT INTO capture_vms (capture_id, ord, name, vmid, host, vmx_path, uuid_bios, power, volume, job, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const write = db.transaction(() => {
    insertCapture.run(c.id, c.site, c.takenAt, c.drbookVersion, c.audit.findings.length, JSON.stringify(c));
    c.vms.forEach((vm, i) =>
      insertVm.run(c.id, i, vm.name, vm.id, vm.node, vm.configFile, vm.id, vm.state, vm.volumes[0]?.path ?? null, vm.backup.job),
    );
  });
  guardWrite(db, () => write.immediate());
}

/** The newest good Hyper-V capture of a site (a degraded one is never the default), or a named one. */
export function loadHypervCapture(db: Db, site: string, id?: string): HvCapture | undefined {
  const row = id
    ? db.prepare<[string], { body: string }>('SELECT body FROM captures WHERE id = ?').get(id)
    : db
        .prepare<[string], { body: string }>(
          "SELECT body FROM captures WHERE site = ? AND json_extract(body, '$.degraded') IS NULL ORDER BY taken_at DESC, id DESC LIMIT 1",
        )
        .get(site);
  if (!row) return undefined;
  const c = JSON.parse(row.body) as HvCapture;
  return c.platform === 'hyperv' ? c : undefined;
}

export async function runHypervCapture(ctx: CommandContext, args: CaptureArgs, site: HypervSite): Promise<ExitCode> {
  const lang = await commandLang(ctx.env, args.lang);
  const { hypervMessages, hvFindingText } = await import('../i18n/hyperv.js');
  // The caller located it (src/session/locate.ts): beside the site file unless --db/$DRBOOK_DB.
  const dbFile = path.resolve(ctx.cwd, args.db!);
  const db = openDatabase(dbFile);
  try {
    const pool = createHypervPool(site, ctx.env, { redactor: ctx.redactor });
    // After the disaster the cluster shows few or no VMs: such a capture must never replace the
    // record the recovery needs (the same rule as vSphere's degraded captures).
    const good = loadHypervCapture(db, site.site);
    let capture: HvCapture;
    try {
      const now = Date.now();
      capture = await collectHypervCapture({
        site,
        pool,
        id: newCaptureId(new Date(now)),
        drbookVersion: drbookVersion(),
        now,
        signal: ctx.signal,
        previous: good,
      });
    } finally {
      await pool.close();
    }
    if (good && capture.vms.length < good.vms.length / 2) {
      capture.degraded = { reason: `${capture.vms.length} VMs, against ${good.vms.length} in ${good.id}`, goodCapture: good.id };
      capture.audit.findings.unshift({
        code: 'degraded-capture',
        severity: 'error',
        params: { vms: capture.vms.length, goodVms: good.vms.length, good: good.id },
      });
    }
    saveHypervCapture(db, capture);
    const findings = capture.audit.findings;
    if (args.json) {
      ctx.stdout.write(
        `${JSON.stringify(
          {
            id: capture.id,
            site: capture.site,
            platform: 'hyperv',
            takenAt: capture.takenAt,
            cluster: capture.cluster,
            vms: capture.vms.map((v) => ({
              name: v.name,
              id: v.id,
              node: v.node,
              ...(v.carriedFrom ? { carriedFrom: v.carriedFrom } : {}),
              state: v.state,
              storage: v.storage,
              group: v.group,
              backup: v.backup,
            })),
            nodes: capture.nodes,
            findings,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const m = hypervMessages(lang);
      const counts = {
        id: capture.id,
        site: capture.site,
        cluster: capture.cluster,
        vms: capture.vms.length,
        nodes: capture.nodes.length,
        findings: findings.length,
      };
      ctx.stdout.write(`${m.captureSummary(counts)}\n`);
      // Padded by display width: a Japanese severity word takes two cells per character.
      const { maxCells, padCells } = await import('../text/table.js');
      const { maskControl } = await import('../text/control.js');
      const sevWidth = maxCells(
        findings.map((f) => m.severity[f.severity]),
        7,
      );
      for (const f of findings) {
        ctx.stdout.write(
          `  ${padCells(m.severity[f.severity], sevWidth)} ${f.code.padEnd(24)} ${maskControl(hvFindingText(m, f), 'oneLine')}\n`,
        );
      }
      ctx.stdout.write(`${dbFile}: ${capture.id}\n`);
    }
    if (capture.degraded) return EXIT.failed;
    return findings.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    db.close();
  }
}
