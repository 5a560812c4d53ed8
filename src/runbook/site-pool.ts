import { learnSecrets, type Redactor } from '../transport/redact.js';
import { createSshPool, type SshPool, type SshPoolOptions } from '../transport/ssh/pool.js';
import type { Endpoint } from '../transport/types.js';
import type { Site } from './site.js';

export type SitePoolExtra = Omit<Partial<SshPoolOptions>, 'env' | 'redactor'> & { redactor: Redactor };

/**
 * The SSH pool of a site's devices, with the site file's timeouts. The redactor (the command's)
 * learns the site's secrets from the environment at once, and the pool adds those it asks for.
 * Every platform's pool is made here (vSphere below, Hyper-V in src/hyperv/pool.ts).
 */
export function createEndpointsPool(
  endpoints: readonly Endpoint[],
  timeouts: { connectSeconds: number; commandSeconds: number },
  env: NodeJS.ProcessEnv,
  extra: SitePoolExtra,
): SshPool {
  learnSecrets(extra.redactor, endpoints, env);
  return createSshPool([...endpoints], {
    env,
    readyTimeout: timeouts.connectSeconds * 1000,
    commandTimeoutMs: timeouts.commandSeconds * 1000,
    ...extra,
  });
}

/** The SSH pool of a vSphere site: every ESXi host and the cluster. */
export function createSitePool(site: Site, env: NodeJS.ProcessEnv, extra: SitePoolExtra): SshPool {
  return createEndpointsPool([...site.endpoints.esxi, site.endpoints.ontap], site.timeouts, env, extra);
}
