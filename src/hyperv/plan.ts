/**
 * `drbook plan` for a Hyper-V site: runbooks/hyperv-recovery.yaml as a printable procedure, from
 * the site file and its latest Hyper-V capture: the header and the VM table here, one section per
 * step written by the step's own module (src/steps/hyperv/), from the same builders the recovery
 * sends (src/adapters/hyperv/commands.ts). Nothing is sent here.
 */
import { failoverMessages } from '../i18n/failover.js';
import { hypervMessages, hvFindingText } from '../i18n/hyperv.js';
import type { Lang } from '../i18n/lang.js';
import { planMessages } from '../i18n/plan.js';
import type { PowerState } from '../inventory/types.js';
import type { HypervPlanDocument, PlanVmRow } from '../plan/model.js';
import { formatTime, STALE_CAPTURE_DAYS } from '../plan/build.js';
import { builtinRunbookPath } from '../runbook/builtin.js';
import { loadRunbook, type Runbook } from '../runbook/runbook.js';
import type { HypervSite } from '../runbook/site.js';
import { hypervSteps } from '../steps/hyperv/index.js';
import { hvPlanContext } from '../steps/hyperv/plan-context.js';
import { planSections } from '../steps/step.js';
import type { HvCapture, HvCapturedVm } from './capture.js';
import { hvUnknownPriorityNames } from './readiness.js';

export interface BuildHypervPlanInput {
  site: HypervSite;
  capture: HvCapture;
  lang: Lang;
  now: Date;
  drbookVersion: string;
  /** The runbook whose steps the document follows (default: the built-in Hyper-V recovery). */
  runbook?: Runbook | undefined;
}

const powerOf = (vm: HvCapturedVm): PowerState =>
  vm.state === 'running' ? 'on' : vm.state === 'saved' || vm.state === 'paused' ? 'suspended' : 'off';

export function buildHypervPlan(input: BuildHypervPlanInput): HypervPlanDocument {
  const { site, capture, lang, now } = input;
  const pm = planMessages(lang);
  const m = hypervMessages(lang);
  const cluster = site.hyperv.cluster;
  const nodes = site.endpoints.nodes.map((n) => n.name);

  const ageMs = now.getTime() - Date.parse(capture.takenAt);
  const ageDays = Math.max(0, Math.floor(ageMs / 86_400_000));
  const warnings: string[] = [];
  if (ageMs > STALE_CAPTURE_DAYS * 86_400_000) warnings.push(pm.warnOld({ days: ageDays }));
  for (const n of capture.nodes.filter((x) => !x.reachable))
    warnings.push(n.carriedFrom ? pm.warnUnreachable({ host: n.name, from: n.carriedFrom }) : pm.warnUnreachableNoData({ host: n.name }));
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

  const p = hvPlanContext(site, capture, lang);
  const { ordered, groupLabel } = p;
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
  // One section (or a few) per step of the runbook, written by the step's own module.
  const sections = planSections(hypervSteps, input.runbook ?? loadRunbook(builtinRunbookPath('hyperv-recovery')), p);

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
