/**
 * The failover procedure of a site, from its site file and a capture: the header, the VM table,
 * and one section per step of runbooks/vsc-snapmirror-failover.yaml, written by the step's own
 * module (src/steps/failover/): the exact lines a run sends (from the same builders EsxiOps and
 * OntapOps use), what a correct output looks like, and the confirmation points. Pure: nothing is
 * sent, nothing is read but the arguments (and the built-in runbook).
 */
import { groupIndexOf, unknownPriorityNames } from '../failover/context.js';
import { failoverMessages } from '../i18n/failover.js';
import type { Lang } from '../i18n/lang.js';
import { quiescedInNewest } from '../inventory/export.js';
import type { Capture, CapturedVm } from '../inventory/types.js';
import { loadRunbook, type Runbook } from '../runbook/runbook.js';
import type { Site } from '../runbook/site.js';
import { builtinRunbookPath } from '../runbook/builtin.js';
import { failoverSteps } from '../steps/failover/index.js';
import {
  MOVED_CHOICE,
  NEW_VMID,
  QUESTION_ID,
  SNAPSHOT_ID,
  VMID,
  WORLD_ID,
  failoverPlanContext,
  formatTime,
  vmidArg,
  type FailoverPlanContext,
} from '../steps/failover/plan-context.js';
import { planSections } from '../steps/step.js';
import type { PlanDocument, PlanVmRow } from './model.js';

export { chosenSnapshot, formatTime } from '../steps/failover/plan-context.js';

export interface BuildPlanInput {
  site: Site;
  capture: Capture;
  lang: Lang;
  /** When the document is made (its header, the capture's age). */
  now: Date;
  drbookVersion: string;
  /** The runbook whose steps the document follows (default: the built-in failover). */
  runbook?: Runbook | undefined;
}

/** A capture older than this gets a warning on the first page. */
export const STALE_CAPTURE_DAYS = 7;

export function buildPlan(input: BuildPlanInput): PlanDocument {
  const p = failoverPlanContext(input.site, input.capture, input.lang);
  const { m, primaryVms } = p;
  // Every section from the module of its runbook step, in the runbook's order.
  const sections = planSections(failoverSteps, input.runbook ?? loadRunbook(builtinRunbookPath('vsc-snapmirror-failover')), p);
  return planDocument(input, p, {
    procedure: 'failover',
    title: m.title({ site: input.site.site }),
    subtitle: m.subtitle,
    how: [...m.how],
    placeholders: [
      { name: NEW_VMID, meaning: m.placeholderNewVmid },
      { name: SNAPSHOT_ID, meaning: m.placeholderSnapshotId },
      { name: WORLD_ID, meaning: m.placeholderWorldId },
      { name: QUESTION_ID, meaning: m.placeholderQuestionId },
      { name: MOVED_CHOICE, meaning: m.placeholderMovedChoice },
      ...(primaryVms.some((v) => vmidArg(v) === VMID) ? [{ name: VMID, meaning: m.placeholderVmid }] : []),
    ],
    sections,
  });
}

/** What differs between the procedures of one vSphere site: the rest of the document is the same. */
export type PlanDocumentParts = Pick<PlanDocument, 'procedure' | 'title' | 'subtitle' | 'how' | 'placeholders' | 'sections'> & {
  /** The header's label of the chosen snapshot (a drill clones it rather than restores it). */
  snapshotLabel?: string;
};

/** A vSphere site's procedure document: its header, warnings and VM table, with the procedure's own parts. */
export function planDocument(input: BuildPlanInput, p: FailoverPlanContext, parts: PlanDocumentParts): PlanDocument {
  const { site, capture, lang, now } = input;
  const { m, primaryDs, mirrorDs, primaryVms, vcenter, snap } = p;

  // ---- header ----------------------------------------------------------------------------------
  const ageMs = now.getTime() - Date.parse(capture.takenAt);
  const ageDays = Math.max(0, Math.floor(ageMs / 86_400_000));
  const warnings: string[] = [];
  if (ageMs > STALE_CAPTURE_DAYS * 86_400_000) warnings.push(m.warnOld({ days: ageDays }));
  for (const h of capture.hosts.filter((x) => !x.reachable)) {
    warnings.push(h.carriedFrom ? m.warnUnreachable({ host: h.name, from: h.carriedFrom }) : m.warnUnreachableNoData({ host: h.name }));
  }
  if (!snap.known) warnings.push(m.warnNoBackup({ mirror: site.relationship.destination }));
  if (site.jobs.length > 1) warnings.push(m.warnSeveralJobs({ jobs: site.jobs.join(', ') }));
  const findings = capture.audit.findings;
  // Said in the failover's words: the same sentence stops its preflight.
  for (const u of unknownPriorityNames(site, capture)) {
    const f = failoverMessages(lang);
    warnings.push(u.suggestion ? f.priorityUnknownClose({ ...u, suggestion: u.suggestion }) : f.priorityUnknown(u));
  }
  if (findings.length > 0) warnings.push(m.warnFindings({ count: findings.length }));

  const header = [
    { label: m.headerSite, value: site.site },
    { label: m.headerSiteFile, value: site.file },
    { label: m.headerCapture, value: m.captureValue({ id: capture.id, version: capture.drbookVersion }) },
    {
      label: m.headerCaptureTime,
      value:
        ageDays >= 1
          ? m.captureAge({ time: formatTime(capture.takenAt), days: ageDays })
          : m.captureAgeToday({ time: formatTime(capture.takenAt) }),
    },
    { label: m.headerGenerated, value: formatTime(now.toISOString()) },
    { label: m.headerVersion, value: input.drbookVersion },
    {
      label: m.headerRelationship,
      value: m.relationshipValue({ source: site.relationship.source, destination: site.relationship.destination }),
    },
    { label: m.headerDatastores, value: m.datastoresValue({ primary: primaryDs, mirror: mirrorDs }) },
    {
      label: parts.snapshotLabel ?? m.headerSnapshot,
      value: snap.known ? m.snapshotValue({ name: snap.name, time: formatTime(snap.createTime) }) : m.snapshotUnknown({ name: snap.name }),
    },
  ];

  // ---- VM table --------------------------------------------------------------------------------
  const groupName = (vm: CapturedVm): string | null => {
    const i = groupIndexOf(site, vm);
    return i === undefined ? null : site.priorityGroups[i]!.name;
  };
  const ordered = [...primaryVms].sort((a, b) => {
    if (a === vcenter) return -1;
    if (b === vcenter) return 1;
    const ga = groupIndexOf(site, a) ?? Infinity;
    const gb = groupIndexOf(site, b) ?? Infinity;
    return ga - gb || p.byHostThenName(a, b);
  });
  const vms: PlanVmRow[] = ordered.map((vm) => ({
    name: vm.name,
    host: vm.host,
    vmxPath: vm.vmxPath,
    vmid: vm.vmid,
    power: vm.power,
    job: vm.job ?? null,
    quiescedInNewest: quiescedInNewest(capture, vm),
    group: vm === vcenter ? null : groupName(vm),
    isVcenter: vm === vcenter,
  }));
  const vmText = [m.vmTableIntro({ count: primaryVms.length, datastore: primaryDs })];
  const others = capture.vms.length - primaryVms.length;
  if (others > 0) vmText.push(m.vmTableOthers({ count: others }));

  return {
    format: 'drbook-plan',
    schema: 1,
    lang,
    procedure: parts.procedure,
    title: parts.title,
    subtitle: parts.subtitle,
    site: site.site,
    siteFile: site.file,
    capture: { id: capture.id, takenAt: capture.takenAt, drbookVersion: capture.drbookVersion, ageDays, findings },
    generatedAt: now.toISOString(),
    drbookVersion: input.drbookVersion,
    relationship: { source: site.relationship.source, destination: site.relationship.destination },
    snapshot: { name: snap.name, createTime: snap.createTime, job: snap.job, newer: snap.newer },
    header,
    warnings,
    findingLines: findings.map((f) => `[${f.severity}] ${f.message}`),
    how: parts.how,
    placeholders: parts.placeholders,
    vms,
    vmText,
    sections: parts.sections,
  };
}
