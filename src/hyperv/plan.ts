/**
 * `drbook plan` for a Hyper-V site: runbooks/hyperv-recovery.yaml as a printable procedure, from
 * the site file and its latest Hyper-V capture. Every command line comes from the same builders
 * the recovery sends (src/adapters/hyperv/commands.ts); nothing is sent here.
 */
import { hypervCommands as cmd } from '../adapters/hyperv/commands.js';
import { failoverMessages } from '../i18n/failover.js';
import { hypervMessages, hvFindingText } from '../i18n/hyperv.js';
import type { Lang } from '../i18n/lang.js';
import { planMessages } from '../i18n/plan.js';
import type { PowerState } from '../inventory/types.js';
import type { HypervPlanDocument, PlanCommand, PlanSection, PlanStep, PlanVmRow } from '../plan/model.js';
import { formatTime, STALE_CAPTURE_DAYS } from '../plan/build.js';
import type { HypervSite } from '../runbook/site.js';
import type { HvCapture, HvCapturedVm } from './capture.js';
import { hvPriorityGroup } from './actions.js';
import { hvUnknownPriorityNames } from './readiness.js';

export interface BuildHypervPlanInput {
  site: HypervSite;
  capture: HvCapture;
  lang: Lang;
  now: Date;
  drbookVersion: string;
}

const powerOf = (vm: HvCapturedVm): PowerState =>
  vm.state === 'running' ? 'on' : vm.state === 'saved' || vm.state === 'paused' ? 'suspended' : 'off';

export function buildHypervPlan(input: BuildHypervPlanInput): HypervPlanDocument {
  const { site, capture, lang, now } = input;
  const pm = planMessages(lang);
  const m = hypervMessages(lang);
  const cluster = site.hyperv.cluster;
  const nodes = site.endpoints.nodes.map((n) => n.name);
  const on = (node: string, line: string, rest: Omit<PlanCommand, 'target' | 'device' | 'line'> = {}): PlanCommand => ({
    target: node,
    device: 'hyperv',
    line,
    ...rest,
  });

  const ageMs = now.getTime() - Date.parse(capture.takenAt);
  const ageDays = Math.max(0, Math.floor(ageMs / 86_400_000));
  const warnings: string[] = [];
  if (ageMs > STALE_CAPTURE_DAYS * 86_400_000) warnings.push(pm.warnOld({ days: ageDays }));
  for (const n of capture.nodes.filter((x) => !x.reachable)) warnings.push(pm.warnUnreachableNoData({ host: n.name }));
  for (const u of hvUnknownPriorityNames(site, capture)) {
    const f = failoverMessages(lang);
    warnings.push(u.suggestion ? f.priorityUnknownClose({ ...u, suggestion: u.suggestion }) : f.priorityUnknown(u));
  }
  const findings = capture.audit.findings;
  if (findings.length > 0) warnings.push(pm.warnFindings({ count: findings.length }));

  const header = [
    { label: pm.headerSite, value: site.site },
    { label: pm.headerSiteFile, value: site.file },
    { label: m.planHeaderCluster, value: m.planClusterValue({ cluster, nodes: nodes.join(', ') }) },
    { label: pm.headerCapture, value: pm.captureValue({ id: capture.id, version: capture.drbookVersion }) },
    {
      label: pm.headerCaptureTime,
      value:
        ageDays >= 1
          ? pm.captureAge({ time: formatTime(capture.takenAt), days: ageDays })
          : pm.captureAgeToday({ time: formatTime(capture.takenAt) }),
    },
    { label: pm.headerGenerated, value: formatTime(now.toISOString()) },
    { label: pm.headerVersion, value: input.drbookVersion },
  ];

  // The order the recovery starts them in: priority group, then node, then name.
  const groupIndex = (vm: HvCapturedVm) => hvPriorityGroup(site, vm) ?? Infinity;
  const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ordered = [...capture.vms].sort(
    (a, b) => groupIndex(a) - groupIndex(b) || nodes.indexOf(a.node) - nodes.indexOf(b.node) || byCodeUnits(a.name, b.name),
  );
  const groupLabel = (vm: HvCapturedVm): string | null => {
    const i = hvPriorityGroup(site, vm);
    if (i === undefined) return null;
    return site.priorityGroups.length > 0 ? site.priorityGroups[i]!.name : m.planClusterPriority({ n: i + 1 });
  };
  const vms: PlanVmRow[] = ordered.map((vm) => ({
    name: vm.name,
    host: vm.node,
    vmxPath: vm.configFile,
    vmid: vm.id,
    power: powerOf(vm),
    job: vm.backup.job,
    quiescedInNewest: vm.backup.job === null ? 'n/a' : vm.backup.lastSuccess !== null ? 'yes' : 'no',
    group: groupLabel(vm),
    isVcenter: false,
  }));

  const sections: PlanSection[] = [];
  const first = nodes[0]!;
  // ---- 0. preflight --------------------------------------------------------------------------
  sections.push({
    id: 'hv-preflight',
    title: m.planSecPreflight,
    text: [pm.preIntro],
    steps: [
      {
        id: 'hv-preflight:registered',
        title: m.planPreRegistered,
        text: [],
        commands: nodes.map((n, i) => on(n, cmd.listVms(), i === 0 ? { expect: m.planPreRegisteredExpect } : {})),
      },
      {
        id: 'hv-preflight:csvs',
        title: m.planPreCsvs,
        text: [],
        commands: [
          on(first, cmd.sharedVolumes(), { expect: m.planPreCsvsExpect }),
          on(first, cmd.clusterGroups()),
          on(first, cmd.clusterResources()),
        ],
      },
      {
        id: 'hv-preflight:files',
        title: m.planPreFiles,
        text: [],
        commands: ordered.map((vm, i) => on(vm.node, cmd.testPath(vm.configFile), i === 0 ? { expect: m.planPreFilesExpect } : {})),
      },
    ],
  });
  // ---- 1. remove ------------------------------------------------------------------------------
  const clustered = ordered.filter((v) => v.group !== null);
  sections.push({
    id: 'hv-remove',
    title: m.planSecRemove,
    text: [m.planRemoveIntro],
    steps: [
      {
        id: 'hv-remove:confirm',
        title: m.removeTitle({ cluster }),
        text: [m.removeExplain],
        confirm: { text: m.removeTitle({ cluster }), type: cluster },
        commands: [
          ...clustered.map((vm, i) => on(vm.node, cmd.removeGroup(vm.group!), i === 0 ? { text: m.planRemoveRole } : {})),
          ...ordered.map((vm, i) => on(vm.node, cmd.removeVm(vm.id), i === 0 ? { text: m.planRemoveRegistration } : {})),
        ],
      },
    ],
  });
  // ---- 2. recover, by priority group ------------------------------------------------------------
  const groups = [...new Set(ordered.map(groupIndex))];
  const said = new Set<string>();
  const once = (key: string, rest: Omit<PlanCommand, 'target' | 'device' | 'line'>) => (said.has(key) ? {} : (said.add(key), rest));
  groups.forEach((g, k) => {
    const members = ordered.filter((vm) => groupIndex(vm) === g);
    const steps: PlanStep[] = members.map((vm) => {
      const commands: PlanCommand[] = [
        on(vm.node, cmd.importVm(vm.configFile), once('import', { text: m.planImport, expect: m.planImportExpect })),
      ];
      if (vm.group !== null) {
        commands.push(on(vm.node, cmd.addVmRole(vm.id, vm.group), once('role', { text: m.planRole })));
        if (vm.preferredOwners.length > 0)
          commands.push(on(vm.node, cmd.setPreferredOwners(vm.group, vm.preferredOwners), once('owners', { text: m.planOwners })));
        if (vm.priority !== null) commands.push(on(vm.node, cmd.setGroupPriority(vm.group, vm.priority)));
      }
      if (vm.state === 'running') {
        commands.push(on(vm.node, vm.group !== null ? cmd.startGroup(vm.group) : cmd.startVm(vm.id), once('start', { text: m.planStart })));
        commands.push(on(vm.node, cmd.listVms(), once('heartbeat', { text: m.planHeartbeat, expect: m.planHeartbeatExpect })));
      }
      return {
        id: `vm:${vm.id}`,
        title: vm.name,
        host: vm.node,
        vm: vm.name,
        text: [vm.state === 'running' ? m.planVmRunning({ node: vm.node }) : m.planVmLeftOff({ node: vm.node, state: vm.state })],
        commands,
      };
    });
    const name = members[0] ? (groupLabel(members[0]) ?? pm.noGroup) : pm.noGroup;
    sections.push({
      id: `hv-recover:${k + 1}`,
      title: m.planSecRecover({ n: k + 2, group: name, index: k + 1, count: groups.length }),
      text: k === 0 ? [m.planRecoverIntro] : [],
      steps,
    });
  });
  // ---- verify ---------------------------------------------------------------------------------
  sections.push({
    id: 'hv-verify',
    title: m.planSecVerify({ n: groups.length + 2 }),
    text: [m.planVerifyIntro],
    steps: [{ id: 'hv-verify:nodes', title: m.planVerifyStep, text: [], commands: nodes.map((n) => on(n, cmd.listVms())) }],
  });

  return {
    format: 'drbook-plan',
    schema: 1,
    platform: 'hyperv',
    lang,
    title: m.planTitle({ site: site.site }),
    subtitle: m.planSubtitle({ cluster }),
    site: site.site,
    siteFile: site.file,
    cluster,
    capture: { id: capture.id, takenAt: capture.takenAt, drbookVersion: capture.drbookVersion, ageDays, findings },
    generatedAt: now.toISOString(),
    drbookVersion: input.drbookVersion,
    header,
    warnings,
    findingLines: findings.map((f) => hvFindingText(m, f)),
    how: m.planHow,
    placeholders: [],
    vms,
    vmText: [m.planVmIntro({ count: capture.vms.length, cluster })],
    sections,
  };
}
