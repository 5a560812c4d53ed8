import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OperatorError } from '../errors.js';
import { secretVariables } from '../transport/redact.js';
import type { AuthSpec, Endpoint } from '../transport/types.js';
import { validateYaml } from './yaml-errors.js';

/**
 * The site file (design §5): the devices, the relationship, the datastores, the VSC jobs, the
 * vCenter VM, priority groups and callouts. Secrets are never in it: an environment variable
 * name, ssh-agent, or a key file path.
 */

const fingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be an OpenSSH SHA256 fingerprint like SHA256:abc… (43 base64 characters)');

const auth = z.discriminatedUnion('method', [
  z.object({ method: z.literal('agent'), socket: z.string().optional() }).strict(),
  z.object({ method: z.literal('key'), keyFile: z.string().min(1), passphraseEnv: z.string().optional() }).strict(),
  z
    .object({
      method: z.literal('password'),
      passwordEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
        .optional(),
    })
    .strict(),
]);

const PORT_RANGE = 'must be a whole number from 1 to 65535';
const port = z.number().int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE);

/**
 * Seconds, capped: Node's timers hold at most 2^31-1 ms (24.8 days) and silently turn anything
 * longer into 1 ms, so a huge timeout would fire at once. `max` is far below that.
 */
function seconds(max: number, fallback: number) {
  const range = `must be a number of seconds above 0 and at most ${max}`;
  return z.number().positive(range).max(max, range).default(fallback);
}

/** An environment variable name (a callout's `env:` entry). */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const volumePath = z.string().regex(/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/, 'must be svm:volume');

const deviceFields = {
  address: z.string().min(1),
  port: port.default(22),
  user: z.string().min(1).optional(),
  auth: auth.optional(),
  hostKey: fingerprint.optional(),
};

const esxiHost = z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . _ - only'), ...deviceFields }).strict();

const datastore = z
  .object({
    name: z.string().min(1),
    nfsHost: z.string().min(1),
    share: z.string().startsWith('/'),
  })
  .strict();

const callout = z
  .object({
    name: z.string().min(1),
    at: z.enum(['before-break', 'end']),
    run: z.array(z.string()).min(1),
    /** Variables passed on from drbook's environment, by name; nothing else is (README "Callouts"). */
    env: z.array(envName).default([]),
    timeoutSeconds: seconds(86_400, 60),
    continueOnFailure: z.boolean().default(false),
  })
  .strict();

export const siteSchema = z
  .object({
    site: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . _ - only'),
    esxi: z
      .object({
        user: z.string().min(1).default('root'),
        auth: auth.default({ method: 'agent' }),
        hosts: z.array(esxiHost).min(1),
      })
      .strict(),
    ontap: z
      .object({
        name: z.string().regex(/^[A-Za-z0-9_.-]+$/),
        ...deviceFields,
        user: z.string().min(1).default('admin'),
      })
      .strict(),
    relationship: z.object({ source: volumePath, destination: volumePath }).strict(),
    datastores: z.object({ primary: datastore, mirror: datastore }).strict(),
    jobs: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).min(1),
    vcenter: z
      .object({
        vm: z.string().min(1),
        // The vCenter API, for placement (folders, resource pools); optional.
        url: z
          .string()
          .regex(/^https:\/\/[^/\s]+\/sdk$/, 'must be https://HOST[:PORT]/sdk')
          .optional(),
        tlsFingerprint: z
          .string()
          .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, "must be the certificate's SHA-256 fingerprint like AB:CD:… (32 pairs)")
          .optional(),
        user: z.string().min(1).optional(),
        passwordEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
          .optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.url && !(v.tlsFingerprint && v.user && v.passwordEnv))
          ctx.addIssue({ code: 'custom', message: 'with url, also give tlsFingerprint, user and passwordEnv' });
      })
      .optional(),
    priorityGroups: z.array(z.object({ name: z.string().min(1), vms: z.array(z.string()).min(1) }).strict()).default([]),
    callouts: z.array(callout).default([]),
    concurrency: z
      .object({
        perHost: z.number().int().min(1).max(64).default(4),
        hosts: z.number().int().min(1).max(256).default(16),
      })
      .strict()
      .default({ perHost: 4, hosts: 16 }),
    timeouts: z
      .object({
        connectSeconds: seconds(3_600, 10),
        commandSeconds: seconds(86_400, 120),
        killVerifySeconds: seconds(3_600, 30),
        heartbeatSeconds: seconds(86_400, 600),
      })
      .strict()
      .default({ connectSeconds: 10, commandSeconds: 120, killVerifySeconds: 30, heartbeatSeconds: 600 }),
  })
  .strict()
  .superRefine((site, issues) => {
    // A callout never gets a secret, not even when the site file asks for it by name.
    const secrets = new Set(
      secretVariables([
        { auth: site.esxi.auth },
        ...site.esxi.hosts.flatMap((h) => (h.auth ? [{ auth: h.auth }] : [])),
        ...(site.ontap.auth ? [{ auth: site.ontap.auth }] : []),
      ]),
    );
    site.callouts.forEach((c, i) =>
      c.env.forEach((name, j) => {
        if (secrets.has(name)) {
          issues.addIssue({
            code: 'custom',
            path: ['callouts', i, 'env', j],
            message: `${name} holds a device secret (passwordEnv/passphraseEnv); callouts never get secrets: remove it from env`,
          });
        }
      }),
    );
  });

export type SiteFile = z.infer<typeof siteSchema>;

export interface Site extends SiteFile {
  /** Absolute path of the file it was read from; key files are relative to its folder. */
  file: string;
  endpoints: { esxi: Endpoint[]; ontap: Endpoint };
}

export function parseSite(text: string, file: string): Site {
  if (siteFileKind(text) === 'hyperv') {
    throw new OperatorError(
      `${file} is a Hyper-V site (it has hyperv:, no esxi:)`,
      'drbook status, check, capture, plan, failover, inventory, unlock and lab work on Hyper-V sites; this command is for vSphere sites',
    );
  }
  const data = validateYaml(siteSchema, text, file, 'site');
  const dir = path.dirname(path.resolve(file));
  const resolveAuth = (a: AuthSpec): AuthSpec => (a.method === 'key' ? { ...a, keyFile: path.resolve(dir, a.keyFile) } : a);
  const esxi: Endpoint[] = data.esxi.hosts.map((h) => ({
    name: h.name,
    kind: 'esxi',
    address: h.address,
    port: h.port,
    user: h.user ?? data.esxi.user,
    auth: resolveAuth(h.auth ?? data.esxi.auth),
    hostKey: h.hostKey,
  }));
  const names = new Set<string>();
  for (const e of [...esxi.map((e) => e.name), data.ontap.name]) {
    if (names.has(e)) throw new OperatorError(`${file}: device name ${e} is used twice`, 'give every host a unique name');
    names.add(e);
  }
  const ontap: Endpoint = {
    name: data.ontap.name,
    kind: 'ontap',
    address: data.ontap.address,
    port: data.ontap.port,
    user: data.ontap.user,
    auth: resolveAuth(data.ontap.auth ?? { method: 'agent' }),
    hostKey: data.ontap.hostKey,
  };
  return { ...data, file: path.resolve(file), endpoints: { esxi, ontap } };
}

export function loadSite(file: string): Site {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OperatorError(
      `cannot read site file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`,
      'pass --site with the path of your site file (drbook init writes one; drbook lab up writes DIR/site.yaml)',
    );
  }
  return parseSite(text, file);
}

/** `svm:volume` → its parts. */
export function splitVolumePath(p: string): { vserver: string; volume: string } {
  const [vserver, volume] = p.split(':') as [string, string];
  return { vserver, volume };
}

// ---- Hyper-V failover clusters (issue 19): a site file with `hyperv:` instead of `esxi:`/`ontap:` ----

const hypervNode = z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . _ - only'), ...deviceFields }).strict();

const hypervBackup = z
  .object({
    /** Backup Exec, read with BEMCLI (Get-BEJobHistory) on its server. */
    product: z.literal('backup-exec'),
    server: hypervNode,
    /** The jobs and the VMs (by name) each one backs up. */
    jobs: z.array(z.object({ name: z.string().min(1), vms: z.array(z.string()).default([]) }).strict()).min(1),
    /** false: the backup method cannot snapshot a CSV (e.g. Backup Exec 12.5's Agent for Microsoft Virtual Servers). */
    csvSnapshots: z.boolean().default(true),
    /** A VM whose last successful backup is older than this has a finding. */
    rpoHours: z.number().positive().default(24),
  })
  .strict();

export const hypervSiteSchema = z
  .object({
    site: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . _ - only'),
    hyperv: z
      .object({
        cluster: z.string().min(1),
        user: z.string().min(1).default('Administrator'),
        auth: auth.default({ method: 'agent' }),
        nodes: z.array(hypervNode).min(1),
        backup: hypervBackup.optional(),
      })
      .strict(),
    priorityGroups: z.array(z.object({ name: z.string().min(1), vms: z.array(z.string()).min(1) }).strict()).default([]),
    concurrency: siteSchema.shape.concurrency,
    timeouts: siteSchema.shape.timeouts,
  })
  .strict();

export type HypervSiteFile = z.infer<typeof hypervSiteSchema>;

export interface HypervSite extends HypervSiteFile {
  file: string;
  endpoints: { nodes: Endpoint[]; backup: Endpoint | undefined };
}

/** Which kind of site a site file describes: a Hyper-V one has `hyperv:` and no `esxi:`. */
export function siteFileKind(text: string): 'vsphere' | 'hyperv' {
  // A cheap look at the top-level keys; the full validation comes after, with line numbers.
  const top = new Set([...text.matchAll(/^([A-Za-z_]+):/gm)].map((m) => m[1]));
  return top.has('hyperv') && !top.has('esxi') ? 'hyperv' : 'vsphere';
}

export function parseHypervSite(text: string, file: string): HypervSite {
  const data = validateYaml(hypervSiteSchema, text, file, 'site');
  const dir = path.dirname(path.resolve(file));
  const resolveAuth = (a: AuthSpec): AuthSpec => (a.method === 'key' ? { ...a, keyFile: path.resolve(dir, a.keyFile) } : a);
  const endpoint = (n: z.infer<typeof hypervNode>): Endpoint => ({
    name: n.name,
    kind: 'hyperv',
    address: n.address,
    port: n.port,
    user: n.user ?? data.hyperv.user,
    auth: resolveAuth(n.auth ?? data.hyperv.auth),
    hostKey: n.hostKey,
  });
  const nodes = data.hyperv.nodes.map(endpoint);
  const backup = data.hyperv.backup ? endpoint(data.hyperv.backup.server) : undefined;
  const names = new Set<string>();
  for (const e of [...nodes, ...(backup ? [backup] : [])]) {
    if (names.has(e.name))
      throw new OperatorError(`${file}: device name ${e.name} is used twice`, 'give every node and the backup server a unique name');
    names.add(e.name);
  }
  return { ...data, file: path.resolve(file), endpoints: { nodes, backup } };
}

/** Which kind of site a file describes; an unreadable file is left to the loader's own error. */
export function siteFileKindOf(file: string): 'vsphere' | 'hyperv' {
  try {
    return siteFileKind(readFileSync(file, 'utf8'));
  } catch {
    return 'vsphere';
  }
}

/** Read a site file of either kind. */
export function loadAnySite(file: string): { kind: 'vsphere'; site: Site } | { kind: 'hyperv'; site: HypervSite } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { kind: 'vsphere', site: loadSite(file) }; // the same one-line error as every command
  }
  return siteFileKind(text) === 'hyperv'
    ? { kind: 'hyperv', site: parseHypervSite(text, file) }
    : { kind: 'vsphere', site: parseSite(text, file) };
}
