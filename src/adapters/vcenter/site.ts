import { ConnectError } from '../../errors.js';
import type { Site } from '../../runbook/site.js';
import type { AuditSink } from '../../transport/types.js';
import type { VcenterClient, VcenterEndpoint } from './client.js';

/** The site file's vCenter API endpoint, or null when the site has none. */
export function vcenterEndpoint(site: Site): (VcenterEndpoint & { passwordEnv: string }) | null {
  const v = site.vcenter;
  if (!v?.url || !v.tlsFingerprint || !v.user || !v.passwordEnv) return null;
  return { url: v.url, tlsFingerprint: v.tlsFingerprint, user: v.user, passwordEnv: v.passwordEnv };
}

/**
 * Logs in to the site's vCenter. The password comes from the environment variable the site file
 * names, never from the file itself (the same rule as SSH passwords).
 */
export async function connectVcenter(
  site: Site,
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; audit?: AuditSink | undefined } = {},
): Promise<VcenterClient> {
  const ep = vcenterEndpoint(site);
  if (!ep)
    throw new ConnectError(
      'vcenter',
      'unreachable',
      `site ${site.site} has no vCenter API (vcenter.url)`,
      'add url, tlsFingerprint, user and passwordEnv under vcenter: in the site file',
    );
  const password = env[ep.passwordEnv];
  if (!password)
    throw new ConnectError(
      'vcenter',
      'auth',
      `the vCenter password is not set: environment variable ${ep.passwordEnv} is empty`,
      `export ${ep.passwordEnv}=… before running drbook`,
    );
  // Loaded when a vCenter is really asked: its HTTP client (undici) costs a command's start-up a
  // quarter of a second, and most commands on most sites never talk to vCenter.
  const { VcenterClient } = await import('./client.js');
  return VcenterClient.connect(ep, password, { timeoutMs: opts.timeoutMs ?? site.timeouts.connectSeconds * 1000 * 3, audit: opts.audit });
}
