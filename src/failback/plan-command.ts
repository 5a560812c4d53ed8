/**
 * `drbook plan --procedure reprotect|failback`: refused in one line, as the run would refuse it,
 * when the site is not where the procedure starts (reprotect: failed over with the original volume
 * back; failback: reprotected, healthy and current); else the devices are read (read-only) and the
 * procedure is printed. The database is opened read-only, for the capture and the site's context.
 */
import type { Lang } from '../i18n/lang.js';
import { CaptureStore } from '../inventory/store.js';
import { openDatabase } from '../journal/db.js';
import type { WayBackPlanDocument } from '../plan/model.js';
import { createSitePool } from '../runbook/site-pool.js';
import type { Site } from '../runbook/site.js';
import { buildWayBackPlan, readWayBackPlanFacts, type WayBackProcedure } from './plan.js';
import { guardFailback, guardReprotect, noCapture } from './session.js';

export async function wayBackPlanDocument(o: {
  site: Site;
  dbFile: string;
  captureId?: string | undefined;
  env: NodeJS.ProcessEnv;
  redactor: Parameters<typeof createSitePool>[2]['redactor'];
  lang: Lang;
  now: Date;
  drbookVersion: string;
  procedure: WayBackProcedure;
  maxLagMinutes?: number | undefined;
}): Promise<WayBackPlanDocument> {
  const db = openDatabase(o.dbFile, { readonly: true });
  const pool = createSitePool(o.site, o.env, { redactor: o.redactor });
  try {
    const store = new CaptureStore(db);
    const found = o.captureId !== undefined ? store.find(o.captureId) : store.latest(o.site.site);
    const capture = found && found.site === o.site.site ? found : noCapture(o.site);
    if (o.procedure === 'reprotect') await guardReprotect(o.site, pool, db, undefined, o.lang);
    else await guardFailback(o.site, pool, db, undefined, o.lang, o.maxLagMinutes ?? 60);
    const facts = await readWayBackPlanFacts(o.site, pool, o.procedure, capture, o.now);
    return buildWayBackPlan({
      site: o.site,
      capture,
      lang: o.lang,
      now: o.now,
      drbookVersion: o.drbookVersion,
      procedure: o.procedure,
      facts,
    });
  } finally {
    await pool.close();
    db.close();
  }
}
