import { Document, isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { Lang } from '../i18n/lang.js';
import { wizardMessages } from '../i18n/wizard.js';
import type { SiteFile } from '../runbook/site.js';
import type { AuthSpec } from '../transport/types.js';

/** One device as the wizard collected it; hostKey is absent when the operator skipped pinning. */
export interface DeviceDraft {
  name: string;
  address: string;
  port: number;
  hostKey?: string | undefined;
}

/** What `drbook init` collects: the site file before defaults are applied. */
export interface SiteDraft {
  site: string;
  esxi: { user: string; auth: AuthSpec; hosts: DeviceDraft[] };
  ontap: DeviceDraft & { user: string; auth: AuthSpec };
  relationship: { source: string; destination: string };
  datastores: SiteFile['datastores'];
  jobs: string[];
  vcenterVm?: string | undefined;
  /** The vCenter API for placement, its certificate pinned by `drbook init`. */
  vcenterApi?: { url: string; tlsFingerprint: string; user: string; passwordEnv: string } | undefined;
  priorityGroups: { name: string; vms: string[] }[];
  callouts?: SiteFile['callouts'] | undefined;
}

export interface RenderOptions {
  lang: Lang;
  /** Header variant: what init writes (with the date), or the shipped example. */
  header: { kind: 'wizard'; date: string } | { kind: 'example' };
}

const DEFAULT_CONCURRENCY = { perHost: 4, hosts: 16 };
const DEFAULT_TIMEOUTS = { connectSeconds: 10, commandSeconds: 120, killVerifySeconds: 30, heartbeatSeconds: 600 };

/** `yaml` prints a comment line as `#` + text, so each line gets a leading space. */
function comment(lines: readonly string[]): string {
  return lines.map((l) => ` ${l}`).join('\n');
}

function authObject(auth: AuthSpec): Record<string, string> {
  // Only the keys that are set: undefined values would print as `null`.
  return Object.fromEntries(Object.entries(auth).filter(([, v]) => v !== undefined));
}

function device(d: DeviceDraft): Record<string, unknown> {
  return { name: d.name, address: d.address, port: d.port, ...(d.hostKey ? { hostKey: d.hostKey } : {}) };
}

function pairOf(map: YAMLMap, key: string): Pair {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair) throw new Error(`site document has no ${key}`);
  return pair;
}

function commentKey(map: YAMLMap, key: string, lines: readonly string[], spaceBefore = true): void {
  const k = pairOf(map, key).key;
  if (!isScalar(k)) throw new Error(`site document key ${key} is not a scalar`);
  k.commentBefore = comment(lines);
  k.spaceBefore = spaceBefore;
}

/**
 * The site file as commented YAML. The comments explain each section in the operator's language;
 * the values are exactly what parseSite() reads, with concurrency and timeouts spelled out at
 * their defaults so they can be found and tuned.
 */
export function renderSiteYaml(draft: SiteDraft, options: RenderOptions): string {
  const t = wizardMessages(options.lang);
  const data: Record<string, unknown> = {
    site: draft.site,
    esxi: {
      user: draft.esxi.user,
      auth: authObject(draft.esxi.auth),
      hosts: draft.esxi.hosts.map(device),
    },
    ontap: {
      name: draft.ontap.name,
      address: draft.ontap.address,
      port: draft.ontap.port,
      user: draft.ontap.user,
      auth: authObject(draft.ontap.auth),
      ...(draft.ontap.hostKey ? { hostKey: draft.ontap.hostKey } : {}),
    },
    relationship: { source: draft.relationship.source, destination: draft.relationship.destination },
    datastores: draft.datastores,
    jobs: draft.jobs,
    ...(draft.vcenterVm ? { vcenter: { vm: draft.vcenterVm, ...(draft.vcenterApi ?? {}) } } : {}),
    priorityGroups: draft.priorityGroups,
    callouts: draft.callouts ?? [],
    concurrency: DEFAULT_CONCURRENCY,
    timeouts: DEFAULT_TIMEOUTS,
  };
  const doc = new Document(data);
  const root = doc.contents;
  if (!isMap(root)) throw new Error('site document is not a map');

  doc.commentBefore = comment(
    options.header.kind === 'wizard' ? t.fileHeaderWizard({ site: draft.site, date: options.header.date }) : t.fileHeaderExample,
  );
  commentKey(root, 'site', t.commentSite, false);
  commentKey(root, 'esxi', t.commentEsxi);
  const esxi = pairOf(root, 'esxi').value;
  if (isMap(esxi)) {
    commentKey(esxi, 'auth', t.commentAuth, false);
    commentKey(esxi, 'hosts', t.commentHosts, false);
    const hosts = pairOf(esxi, 'hosts').value;
    if (isSeq(hosts)) {
      draft.esxi.hosts.forEach((h, i) => {
        const node = hosts.items[i];
        if (!h.hostKey && isMap(node)) node.commentBefore = comment(t.commentNoHostKey({ device: h.name }));
      });
    }
  }
  commentKey(root, 'ontap', [...t.commentOntap, ...(draft.ontap.hostKey ? [] : t.commentNoHostKey({ device: draft.ontap.name }))]);
  commentKey(root, 'relationship', t.commentRelationship);
  commentKey(root, 'datastores', t.commentDatastores);
  commentKey(root, 'jobs', t.commentJobs);
  // Without a vCenter VM the comment that explains how to add one sits before the next section.
  if (draft.vcenterVm) {
    commentKey(root, 'vcenter', t.commentVcenter);
    commentKey(root, 'priorityGroups', t.commentGroups);
  } else {
    commentKey(root, 'priorityGroups', [...t.commentNoVcenter, '', ...t.commentGroups]);
  }
  commentKey(root, 'callouts', t.commentCallouts);
  commentKey(root, 'concurrency', t.commentConcurrency);
  commentKey(root, 'timeouts', t.commentTimeouts);
  return doc.toString({ lineWidth: 0 });
}

/** The shipped example (inventory/site.example.yaml): every section, documentation addresses only. */
export function exampleDraft(): SiteDraft {
  return {
    site: 'tokyo-dc1',
    esxi: {
      user: 'root',
      auth: { method: 'agent' },
      hosts: [
        { name: 'esx01', address: '192.0.2.11', port: 22, hostKey: 'SHA256:2bA8mC9hV0m1sQe3kG7u0yT5nJ4rW6xZ8pL1dF3hK5c' },
        { name: 'esx02', address: '192.0.2.12', port: 22, hostKey: 'SHA256:q7Yt3LmN0pR5sV8wX1zA4bC6dE9fG2hJ5kM8nP0qR3s' },
      ],
    },
    ontap: {
      name: 'cluster1',
      address: '192.0.2.20',
      port: 22,
      user: 'drbook',
      auth: { method: 'key', keyFile: 'keys/drbook_ontap' },
      hostKey: 'SHA256:Zx4Wv7Ut0Sr3Qp6On9Ml2Kj5Ih8Gf1Ed4Cb7Aa0Yy3X',
    },
    relationship: { source: 'svm_prod:vol_vms', destination: 'svm_dr:vol_vms_mirror' },
    datastores: {
      primary: { name: 'ds_vms', nfsHost: '192.0.2.31', share: '/vol_vms' },
      mirror: { name: 'ds_vms_mirror', nfsHost: '192.0.2.32', share: '/vol_vms_mirror' },
    },
    jobs: ['daily-vms'],
    vcenterVm: 'vcsa01',
    priorityGroups: [
      { name: 'infrastructure', vms: ['dc01', 'dns01'] },
      { name: 'databases', vms: ['db01'] },
      { name: 'applications', vms: ['app01', 'web01', 'web02'] },
    ],
    callouts: [
      {
        name: 'notify-chat',
        at: 'before-break',
        run: ['/usr/local/bin/notify-chat', 'drbook: failover of tokyo-dc1 is starting'],
        env: ['CHAT_WEBHOOK_URL'],
        timeoutSeconds: 30,
        continueOnFailure: true,
      },
      {
        name: 'check-app',
        at: 'end',
        run: ['/usr/local/bin/check-app', '--url', 'https://app.example.com/health'],
        env: [],
        timeoutSeconds: 120,
        continueOnFailure: false,
      },
    ],
  };
}

export function exampleSiteYaml(lang: Lang = 'en'): string {
  return renderSiteYaml(exampleDraft(), { lang, header: { kind: 'example' } });
}
