import { describeError } from '../errors.js';
import type { WizardMessages } from '../i18n/wizard.js';
import type { ProbedHostKey, ProbeTarget } from '../transport/ssh/probe.js';
import type { AuthSpec, DeviceKind } from '../transport/types.js';
import type { Ask } from './ask.js';
import { askHypervSite, type HypervSiteDraft } from './hyperv-wizard.js';
import type { DeviceDraft, SiteDraft } from './site-document.js';

export interface WizardDeps {
  ask: Ask;
  t: WizardMessages;
  /** Reads a device's host key (probeHostKey in production). */
  probe: (target: ProbeTarget) => Promise<ProbedHostKey>;
  probeTimeoutMs?: number;
  /** Reads a vCenter's certificate SHA-256 fingerprint (probeCertificate in production). */
  probeCertificate?: (url: string) => Promise<string>;
  /** `--platform`: the platform question is not asked. */
  platform?: 'vsphere' | 'hyperv' | undefined;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VOLUME_PATH = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

/** The host key file that holds the key of this type on an ESXi host (OpenSSH's names). */
export function esxiHostKeyFile(keyType: string): string {
  if (keyType.startsWith('ecdsa-')) return '/etc/ssh/ssh_host_ecdsa_key.pub';
  if (keyType === 'ssh-ed25519') return '/etc/ssh/ssh_host_ed25519_key.pub';
  if (keyType === 'ssh-rsa' || keyType.startsWith('rsa-')) return '/etc/ssh/ssh_host_rsa_key.pub';
  return '/etc/ssh/ssh_host_*_key.pub';
}

/** The host key file of this type in Windows OpenSSH's folder (C:\ProgramData\ssh). */
export function windowsHostKeyFile(keyType: string): string {
  return esxiHostKeyFile(keyType).replace('/etc/ssh/', '');
}

/**
 * Ask everything first (np's way), then the caller writes the file. Each device is probed and its
 * fingerprint shown for the operator to compare with the device's console before it is pinned.
 */
/** What the wizard collected: a vSphere site or a Hyper-V one. */
export type InitDraft = { platform: 'vsphere'; site: SiteDraft } | { platform: 'hyperv'; site: HypervSiteDraft };

export async function runInitWizard(deps: WizardDeps): Promise<InitDraft> {
  const { ask, t } = deps;
  const used = new Set<string>();

  const required = (v: string): true | string => (v.length > 0 ? true : t.required);
  const name = (v: string): true | string => {
    if (!v) return t.required;
    if (!NAME.test(v)) return t.invalidName;
    if (used.has(v)) return t.duplicateName({ name: v });
    return true;
  };
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

  for (const line of t.intro) ask.say(line);

  section(t.sectionSite);
  const site = await ask.input(t.askSiteName, { validate: (v) => (!v ? t.required : NAME.test(v) ? true : t.invalidName) });
  const platform =
    deps.platform ??
    (await ask.select(t.askPlatform, [
      { name: 'vsphere', message: t.platformVsphere },
      { name: 'hyperv', message: t.platformHyperv },
    ] as const));
  if (platform === 'hyperv') return { platform, site: await askHypervSite(deps, site) };

  section(t.sectionEsxi);
  const esxiUser = await ask.input(t.askEsxiUser, { initial: 'root', validate: required });
  const esxiAuth = await askAuth(deps, t.askEsxiAuth, 'DRBOOK_ESXI_PASSWORD');
  const hosts: DeviceDraft[] = [];
  do {
    const hostName = await ask.input(t.askHostName({ n: hosts.length + 1 }), {
      initial: `esx${String(hosts.length + 1).padStart(2, '0')}`,
      validate: name,
    });
    used.add(hostName);
    const address = await ask.input(t.askAddress({ device: hostName }), { validate: required });
    const port = await portOf(hostName);
    const hostKey = await pinHostKey(deps, 'esxi', hostName, address, port);
    hosts.push({ name: hostName, address, port, hostKey });
  } while (await ask.confirm(t.askAnotherHost, false));

  section(t.sectionOntap);
  const ontapName = await ask.input(t.askOntapName, { validate: name });
  used.add(ontapName);
  const ontapAddress = await ask.input(t.askAddress({ device: ontapName }), { validate: required });
  const ontapPort = await portOf(ontapName);
  const ontapUser = await ask.input(t.askOntapUser, { initial: 'admin', validate: required });
  const ontapAuth = await askAuth(deps, t.askOntapAuth({ device: ontapName }), 'DRBOOK_ONTAP_PASSWORD');
  const ontapKey = await pinHostKey(deps, 'ontap', ontapName, ontapAddress, ontapPort);

  section(t.sectionRelationship);
  ask.say(t.relationshipHelp);
  const source = await ask.input(t.askSource, { validate: (v) => (VOLUME_PATH.test(v) ? true : t.invalidVolumePath) });
  const destination = await ask.input(t.askDestination, {
    validate: (v) => (!VOLUME_PATH.test(v) ? t.invalidVolumePath : v === source ? t.sameVolume : true),
  });
  const volumeOf = (p: string): string => p.split(':')[1] ?? '';

  section(t.sectionDatastores);
  ask.say(t.datastoresHelp);
  const datastore = async (nameQuestion: string, volume: string, nfsDefault?: string) => {
    const dsName = await ask.input(nameQuestion, { validate: required });
    const nfsHost = await ask.input(t.askNfsHost({ datastore: dsName }), {
      ...(nfsDefault ? { initial: nfsDefault } : {}),
      validate: required,
    });
    // ONTAP mounts a volume at /<volume> unless someone chose another junction path.
    const share = await ask.input(t.askShare({ datastore: dsName }), {
      initial: `/${volume}`,
      validate: (v) => (v.startsWith('/') ? true : t.invalidShare),
    });
    return { name: dsName, nfsHost, share };
  };
  const primary = await datastore(t.askPrimaryName, volumeOf(source));
  const mirror = await datastore(t.askMirrorName, volumeOf(destination));

  section(t.sectionJobs);
  ask.say(t.jobsHelp);
  const jobs = await ask.list(t.askJobs, {
    validate: (v) => (v.length > 0 && v.every((j) => NAME.test(j)) ? true : t.invalidJobs),
  });

  section(t.sectionVcenter);
  ask.say(t.vcenterHelp);
  const vcenterVm = await ask.input(t.askVcenter);
  const vcenterApi = vcenterVm ? await askVcenterApi(deps) : undefined;

  section(t.sectionGroups);
  ask.say(t.groupsHelp);
  const priorityGroups = await askPriorityGroups(deps);

  return {
    platform: 'vsphere',
    site: {
      site,
      esxi: { user: esxiUser, auth: esxiAuth, hosts },
      ontap: { name: ontapName, address: ontapAddress, port: ontapPort, user: ontapUser, auth: ontapAuth, hostKey: ontapKey },
      relationship: { source, destination },
      datastores: { primary, mirror },
      jobs,
      vcenterVm: vcenterVm || undefined,
      vcenterApi,
      priorityGroups,
    },
  };
}

/** The power-on order: named groups of VM names, asked until the operator says no more. */
export async function askPriorityGroups(deps: WizardDeps): Promise<{ name: string; vms: string[] }[]> {
  const { ask, t } = deps;
  const priorityGroups: { name: string; vms: string[] }[] = [];
  while (await ask.confirm(priorityGroups.length === 0 ? t.askFirstGroup : t.askAnotherGroup, false)) {
    const taken = new Set(priorityGroups.map((g) => g.name));
    const groupName = await ask.input(t.askGroupName({ n: priorityGroups.length + 1 }), {
      validate: (v) => (!v ? t.required : taken.has(v) ? t.duplicateName({ name: v }) : true),
    });
    const vms = await ask.list(t.askGroupVms({ group: groupName }), { validate: (v) => (v.length > 0 ? true : t.invalidVms) });
    priorityGroups.push({ name: groupName, vms });
  }
  return priorityGroups;
}

/**
 * The vCenter API (optional, for folders and resource pools): its address, then its certificate's
 * fingerprint shown to compare and pinned like a host key; the password stays in the environment.
 */
async function askVcenterApi(deps: WizardDeps): Promise<SiteDraft['vcenterApi']> {
  const { ask, t } = deps;
  ask.say(t.vcenterApiHelp);
  const address = await ask.input(t.askVcenterApi, {
    validate: (v) => (v === '' || /^[^\s/:]+(:\d+)?$/.test(v) ? true : t.invalidVcenterApi),
  });
  if (!address) return undefined;
  const url = `https://${address}/sdk`;
  if (!deps.probeCertificate) return undefined;
  let fingerprint: string;
  try {
    ask.say(t.probing({ device: 'vCenter', where: address }));
    fingerprint = await deps.probeCertificate(url);
  } catch (err) {
    ask.say(t.probeFailed({ device: 'vCenter', error: describeError(err) }));
    return undefined;
  }
  ask.say(t.vcenterCertShown);
  ask.command(fingerprint);
  ask.say(t.verifyVcenterCert);
  ask.command(
    `openssl s_client -connect ${address.includes(':') ? address : `${address}:443`} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`,
  );
  if (!(await ask.confirm(t.confirmFingerprint({ device: 'vCenter' }), false))) {
    ask.say(t.notConfirmed({ device: 'vCenter' }));
    return undefined;
  }
  const user = await ask.input(t.askVcenterUser, { initial: 'administrator@vsphere.local', validate: (v) => (v ? true : t.required) });
  const passwordEnv = await ask.input(t.askPasswordEnv, {
    initial: 'DRBOOK_VCENTER_PASSWORD',
    validate: (v) => (ENV_NAME.test(v) ? true : t.required),
  });
  return { url, tlsFingerprint: fingerprint, user, passwordEnv };
}

export async function askAuth(deps: WizardDeps, question: string, passwordEnvDefault: string): Promise<AuthSpec> {
  const { ask, t } = deps;
  const method = await ask.select(question, [
    { name: 'agent', message: t.authAgent },
    { name: 'key', message: t.authKey },
    { name: 'password', message: t.authPassword },
  ] as const);
  const envName = (v: string): true | string => (ENV_NAME.test(v) ? true : t.invalidEnvName);
  switch (method) {
    case 'agent':
      return { method: 'agent' };
    case 'key': {
      const keyFile = await ask.input(t.askKeyFile, { validate: (v) => (v ? true : t.required) });
      const passphraseEnv = await ask.input(t.askPassphraseEnv, { validate: (v) => (!v ? true : envName(v)) });
      return passphraseEnv ? { method: 'key', keyFile, passphraseEnv } : { method: 'key', keyFile };
    }
    case 'password':
      return { method: 'password', passwordEnv: await ask.input(t.askPasswordEnv, { initial: passwordEnvDefault, validate: envName }) };
  }
}

/**
 * Read the device's key, show it with the command that prints the same fingerprint on the device's
 * console, and pin it only when the operator says it matches. Returns undefined when skipped.
 */
export async function pinHostKey(
  deps: WizardDeps,
  kind: DeviceKind,
  device: string,
  address: string,
  port: number,
): Promise<string | undefined> {
  const { ask, t } = deps;
  const where = `${address}:${port}`;
  for (;;) {
    ask.say(t.probing({ device, where }));
    let probed: ProbedHostKey | undefined;
    try {
      probed = await deps.probe({ address, port, timeoutMs: deps.probeTimeoutMs ?? 10_000 });
    } catch (err) {
      ask.say(t.probeFailed({ device, error: describeError(err) }));
    }
    if (probed) {
      ask.say(t.probeShown({ device, keyType: probed.keyType }));
      ask.command(probed.fingerprint);
      if (kind === 'esxi') {
        ask.say(t.verifyEsxi);
        ask.command(`ssh-keygen -lf ${esxiHostKeyFile(probed.keyType)}`);
        ask.say(t.verifyEsxiPath);
      } else if (kind === 'hyperv') {
        // Windows OpenSSH keeps its host keys in C:\ProgramData\ssh, with its own ssh-keygen.
        ask.say(t.verifyWindows);
        ask.command(
          `& "$env:WINDIR\\System32\\OpenSSH\\ssh-keygen.exe" -lf "$env:ProgramData\\ssh\\${windowsHostKeyFile(probed.keyType)}"`,
        );
      } else {
        ask.say(t.verifyOntap);
        ask.command(`security ssh publickey show -vserver ${device}`);
        ask.say(t.verifyOntapVserver);
      }
      if (await ask.confirm(t.confirmFingerprint({ device }), false)) {
        ask.say(t.pinned({ device }));
        return probed.fingerprint;
      }
      ask.say(t.notConfirmed({ device }));
    }
    const next = await ask.select(t.askWhatNow({ device }), [
      { name: 'retry', message: t.choiceRetry },
      { name: 'manual', message: t.choiceManual },
      { name: 'skip', message: t.choiceSkip },
    ] as const);
    if (next === 'retry') continue;
    if (next === 'manual') {
      const fp = await ask.input(t.askManualFingerprint({ device }), {
        validate: (v) => (FINGERPRINT.test(v) ? true : t.invalidFingerprint),
      });
      ask.say(t.pinned({ device }));
      return fp;
    }
    ask.say(t.skipped({ device }));
    return undefined;
  }
}

/** The lines shown before the final "write it?" question. */
export function summaryLines(draft: SiteDraft, t: WizardMessages): string[] {
  const dev = (d: DeviceDraft): string =>
    (d.hostKey ? t.summaryPinned : t.summaryUnpinned)({ device: d.name, where: `${d.address}:${d.port}` });
  return [
    t.summarySite({ site: draft.site }),
    ...draft.esxi.hosts.map(dev),
    dev(draft.ontap),
    t.summaryRelationship(draft.relationship),
    t.summaryJobs({ jobs: draft.jobs.join(', ') }),
    draft.priorityGroups.length > 0
      ? t.summaryGroups({ groups: draft.priorityGroups.map((g) => `${g.name} (${g.vms.length})`).join(', ') })
      : t.summaryNoGroups,
  ];
}

export function unpinnedDevices(draft: SiteDraft): string[] {
  return [...draft.esxi.hosts, draft.ontap].filter((d) => !d.hostKey).map((d) => d.name);
}
