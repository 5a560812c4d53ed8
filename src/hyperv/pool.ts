import { createSshPool, type SshPool, type SshPoolOptions } from '../transport/ssh/pool.js';
import type { HypervSite } from '../runbook/site.js';

/** The SSH pool of a Hyper-V site: every node and the backup server, with the site file's timeouts. */
export function createHypervPool(site: HypervSite, env: NodeJS.ProcessEnv, extra: Omit<Partial<SshPoolOptions>, 'env'> = {}): SshPool {
  return createSshPool([...site.endpoints.nodes, ...(site.endpoints.backup ? [site.endpoints.backup] : [])], {
    env,
    readyTimeout: site.timeouts.connectSeconds * 1000,
    commandTimeoutMs: site.timeouts.commandSeconds * 1000,
    ...extra,
  });
}
