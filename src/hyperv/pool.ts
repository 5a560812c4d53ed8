import { learnSecrets, type Redactor } from '../transport/redact.js';
import { createSshPool, type SshPool, type SshPoolOptions } from '../transport/ssh/pool.js';
import type { HypervSite } from '../runbook/site.js';

/** The SSH pool of a Hyper-V site: every node and the backup server, with the site file's timeouts. */
export function createHypervPool(
  site: HypervSite,
  env: NodeJS.ProcessEnv,
  extra: Omit<Partial<SshPoolOptions>, 'env' | 'redactor'> & { redactor: Redactor },
): SshPool {
  const endpoints = [...site.endpoints.nodes, ...(site.endpoints.backup ? [site.endpoints.backup] : [])];
  // As for a vSphere site: the redactor learns the site's secrets before anything is read.
  learnSecrets(extra.redactor, endpoints, env);
  return createSshPool(endpoints, {
    env,
    readyTimeout: site.timeouts.connectSeconds * 1000,
    commandTimeoutMs: site.timeouts.commandSeconds * 1000,
    ...extra,
  });
}
