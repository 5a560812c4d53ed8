import type { SshPool } from '../transport/ssh/pool.js';
import { createEndpointsPool, type SitePoolExtra } from '../runbook/site-pool.js';
import type { HypervSite } from '../runbook/site.js';

/** The SSH pool of a Hyper-V site: every node and the backup server, with the site file's timeouts. */
export function createHypervPool(site: HypervSite, env: NodeJS.ProcessEnv, extra: SitePoolExtra): SshPool {
  return createEndpointsPool(
    [...site.endpoints.nodes, ...(site.endpoints.backup ? [site.endpoints.backup] : [])],
    site.timeouts,
    env,
    extra,
  );
}
