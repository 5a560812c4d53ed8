/**
 * `drbook check` on a Hyper-V site: reads the site's state and the readiness items (./readiness.ts)
 * in one pass over the pool; the check command prints them with the verdict, as for vSphere.
 */
import { existsSync } from 'node:fs';
import type { CheckOutcome } from '../commands/check.js';
import type { CommandContext } from '../commands/context.js';
import type { Lang } from '../i18n/lang.js';
import { openDatabase } from '../journal/db.js';
import type { HypervSite } from '../runbook/site.js';
import { createHypervPool } from './pool.js';
import { readHvSiteState } from './read-state.js';
import { hvCheckReadiness } from './readiness.js';
import { hvNextText, hvTitle } from './status.js';

export async function readHypervCheck(
  ctx: CommandContext,
  site: HypervSite,
  o: { dbFile: string; lang: Lang; maxAgeHours: number; maxCaptureAgeHours: number },
): Promise<CheckOutcome> {
  // Read-only: no database is created; without one there is no capture, and we say where we looked.
  const db = existsSync(o.dbFile) ? openDatabase(o.dbFile, { forReading: true }) : undefined;
  if (!db) {
    const { lifecycleMessages } = await import('../i18n/lifecycle.js');
    ctx.stderr.write(`drbook: ${lifecycleMessages(o.lang).noDatabase({ where: o.dbFile })}\n`);
  }
  const pool = createHypervPool(site, ctx.env, { redactor: ctx.redactor });
  try {
    const read = await readHvSiteState(site, pool, db);
    // Shown redacted: a message may quote what a device said.
    const text = (s: string) => ctx.redactor.redact(s);
    const items = (await hvCheckReadiness(site, pool, read.facts, read.state, read.capture, o)).map((i) => ({
      ...i,
      message: text(i.message),
      ...(i.hint === undefined ? {} : { hint: text(i.hint) }),
    }));
    return {
      items,
      state: read.state.state,
      title: text(hvTitle(site, read.state, o.lang)),
      next: await hvNextText(read.state.next, site.file, o.lang),
    };
  } finally {
    await pool.close();
    db?.close();
  }
}
