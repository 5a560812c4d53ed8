/**
 * `drbook init` for a Hyper-V failover cluster: the cluster, its nodes (each host key shown with
 * the PowerShell that prints the same on the node, and pinned when confirmed), the login, the
 * Backup Exec server and its jobs, and the priority groups. writeSiteFile validates what it renders
 * with the same parser every command uses before it writes it.
 */
import { stringify } from 'yaml';
import type { Lang } from '../i18n/lang.js';
import { wizardMessages, type WizardMessages } from '../i18n/wizard.js';
import type { AuthSpec } from '../transport/types.js';
import { askAuth, askPriorityGroups, pinHostKey, type WizardDeps } from './init-wizard.js';
import type { DeviceDraft } from './site-document.js';

const NAME = /^[A-Za-z0-9_.-]+$/;

export interface HypervSiteDraft {
  site: string;
  cluster: string;
  user: string;
  auth: AuthSpec;
  nodes: DeviceDraft[];
  backup?: { server: DeviceDraft; jobs: { name: string; vms: string[] }[]; csvSnapshots: boolean; rpoHours: number } | undefined;
  priorityGroups: { name: string; vms: string[] }[];
}

export async function askHypervSite(deps: WizardDeps, site: string): Promise<HypervSiteDraft> {
  const { ask, t } = deps;
  const used = new Set<string>();
  const required = (v: string): true | string => (v.length > 0 ? true : t.required);
  const name = (v: string): true | string =>
    !v ? t.required : !NAME.test(v) ? t.invalidName : used.has(v) ? t.duplicateName({ name: v }) : true;
  const portOf = async (device: string): Promise<number> =>
    Number(
      await ask.input(t.askPort({ device }), {
        initial: '22',
        validate: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? true : t.invalidPort),
      }),
    );
  const section = (title: string): void => {
    ask.say();
    ask.say(`── ${title} ──`);
  };
  const device = async (question: string, initial: string): Promise<DeviceDraft> => {
    const deviceName = await ask.input(question, { initial, validate: name });
    used.add(deviceName);
    const address = await ask.input(t.askAddress({ device: deviceName }), { validate: required });
    const port = await portOf(deviceName);
    return { name: deviceName, address, port, hostKey: await pinHostKey(deps, 'hyperv', deviceName, address, port) };
  };

  section(t.sectionHyperv);
  ask.say(t.hypervHelp);
  const cluster = await ask.input(t.askCluster, { validate: required });
  const user = await ask.input(t.askHypervUser, { initial: 'Administrator', validate: required });
  const auth = await askAuth(deps, t.askHypervAuth, 'DRBOOK_HYPERV_PASSWORD');
  const nodes: DeviceDraft[] = [];
  do nodes.push(await device(t.askNodeName({ n: nodes.length + 1 }), `HV${String(nodes.length + 1).padStart(2, '0')}`));
  while (await ask.confirm(t.askAnotherNode, false));

  section(t.sectionBackupExec);
  ask.say(t.backupExecHelp);
  let backup: HypervSiteDraft['backup'];
  if (await ask.confirm(t.askBackupExec, true)) {
    const server = await device(t.askBackupServer, 'BE01');
    const jobs: { name: string; vms: string[] }[] = [];
    do {
      const taken = new Set(jobs.map((j) => j.name));
      const job = await ask.input(t.askBackupJob({ n: jobs.length + 1 }), {
        validate: (v) => (!v ? t.required : taken.has(v) ? t.duplicateName({ name: v }) : true),
      });
      const vms = await ask.list(t.askBackupJobVms({ job }), { validate: (v) => (v.length > 0 ? true : t.invalidVms) });
      jobs.push({ name: job, vms });
    } while (await ask.confirm(t.askAnotherJob, false));
    const csvSnapshots = await ask.confirm(t.askCsvSnapshots, true);
    const rpoHours = Number(
      await ask.input(t.askRpoHours, {
        initial: '24',
        validate: (v) => (/^\d+(\.\d+)?$/.test(v) && Number(v) > 0 ? true : t.invalidHours),
      }),
    );
    backup = { server, jobs, csvSnapshots, rpoHours };
  }

  section(t.sectionGroups);
  ask.say(t.hypervGroupsHelp);
  const priorityGroups = await askPriorityGroups(deps);
  return { site, cluster, user, auth, nodes, backup, priorityGroups };
}

const deviceYaml = (d: DeviceDraft) => ({ name: d.name, address: d.address, port: d.port, ...(d.hostKey ? { hostKey: d.hostKey } : {}) });
const authYaml = (a: AuthSpec) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));

/** The commented site file (key files are relative to where it is written). */
export function renderHypervSiteYaml(d: HypervSiteDraft, o: { lang: Lang; date: string }): string {
  const t = wizardMessages(o.lang);
  const doc = {
    site: d.site,
    hyperv: {
      cluster: d.cluster,
      user: d.user,
      auth: authYaml(d.auth),
      nodes: d.nodes.map(deviceYaml),
      ...(d.backup
        ? {
            backup: {
              product: 'backup-exec',
              server: deviceYaml(d.backup.server),
              jobs: d.backup.jobs,
              csvSnapshots: d.backup.csvSnapshots,
              rpoHours: d.backup.rpoHours,
            },
          }
        : {}),
    },
    ...(d.priorityGroups.length > 0 ? { priorityGroups: d.priorityGroups } : {}),
  };
  const header = t
    .hypervFileHeader({ site: d.site, date: o.date })
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
  // writeSiteFile validates it with the parser every command uses before it writes.
  return `${header}\n${stringify(doc, { lineWidth: 0 })}`;
}

export function hypervSummaryLines(d: HypervSiteDraft, t: WizardMessages): string[] {
  const dev = (x: DeviceDraft): string =>
    (x.hostKey ? t.summaryPinned : t.summaryUnpinned)({ device: x.name, where: `${x.address}:${x.port}` });
  return [
    t.summarySite({ site: d.site }),
    t.summaryCluster({ cluster: d.cluster }),
    ...d.nodes.map(dev),
    ...(d.backup
      ? [dev(d.backup.server), t.summaryBackupJobs({ jobs: d.backup.jobs.map((j) => `${j.name} (${j.vms.length})`).join(', ') })]
      : [t.summaryNoBackup]),
    d.priorityGroups.length > 0
      ? t.summaryGroups({ groups: d.priorityGroups.map((g) => `${g.name} (${g.vms.length})`).join(', ') })
      : t.summaryNoGroups,
  ];
}

export function hypervUnpinned(d: HypervSiteDraft): string[] {
  return [...d.nodes, ...(d.backup ? [d.backup.server] : [])].filter((x) => !x.hostKey).map((x) => x.name);
}
