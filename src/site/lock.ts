/**
 * Who holds the site, for `drbook status` and the guards. The one place that reads the site lock:
 * where the lock lives (today the database's locks table) is this function's business only.
 */
import type { Journal, LockHolder } from '../journal/journal.js';
import type { Site } from '../runbook/site.js';

export function readSiteLock(journal: Journal, site: Site): LockHolder | undefined {
  return journal.lockHolder(site.site);
}
