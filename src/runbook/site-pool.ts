import { createSshPool, type SshPool, type SshPoolOptions } from '../transport/ssh/pool.js';
import type { Site } from './site.js';

/** The SSH pool of a site: every ESXi host and the cluster, with the site file's timeouts. */
export function createSitePool(site: Site, env: NodeJS.ProcessEnv, extra: Omit<Partial<SshPoolOptions>, 'env'> = {}): SshPool {
  return createSshPool([...site.endpoints.esxi, site.endpoints.ontap], {
    env,
    readyTimeout: site.timeouts.connectSeconds * 1000,
    commandTimeoutMs: site.timeouts.commandSeconds * 1000,
    ...extra,
  });
}
