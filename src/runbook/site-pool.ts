import { learnSecrets, type Redactor } from '../transport/redact.js';
import { createSshPool, type SshPool, type SshPoolOptions } from '../transport/ssh/pool.js';
import type { Site } from './site.js';

/**
 * The SSH pool of a site: every ESXi host and the cluster, with the site file's timeouts. The
 * redactor (the command's) learns the site's secrets from the environment at once, and the pool
 * adds those it asks for.
 */
export function createSitePool(
  site: Site,
  env: NodeJS.ProcessEnv,
  extra: Omit<Partial<SshPoolOptions>, 'env' | 'redactor'> & { redactor: Redactor },
): SshPool {
  const endpoints = [...site.endpoints.esxi, site.endpoints.ontap];
  learnSecrets(extra.redactor, endpoints, env);
  return createSshPool(endpoints, {
    env,
    readyTimeout: site.timeouts.connectSeconds * 1000,
    commandTimeoutMs: site.timeouts.commandSeconds * 1000,
    ...extra,
  });
}
