/**
 * `drbook plan --procedure reprotect|failback`: the way back's procedure with the exact commands a
 * run sends, one section per runbook step, each written by its step module (src/steps/reprotect,
 * src/steps/failback). The facts come from the devices, read-only (src/failback/plan-context.ts
 * says why); building the document from them is pure.
 */
import { EsxiOps } from '../adapters/esxi/ops.js';
import { OntapOps } from '../adapters/ontap/ops.js';
import { primaryVmsOf } from '../failover/context.js';
import type { Lang } from '../i18n/lang.js';
import type { Capture } from '../inventory/types.js';
import type { PlanDocumentBase, WayBackPlanDocument, WayBackVmRow } from '../plan/model.js';
import { loadRunbook } from '../runbook/runbook.js';
import type { Site } from '../runbook/site.js';
import { failbackSteps } from '../steps/failback/index.js';
import { readFailbackPlacement } from '../steps/failback/placement.js';
import { MOVED_CHOICE, NEW_VMID, QUESTION_ID, VMID, formatTime } from '../steps/failover/plan-context.js';
import { reprotectSteps } from '../steps/reprotect/index.js';
import { readReprotectPlan } from '../steps/reprotect/preflight.js';
import { planSections } from '../steps/step.js';
import type { HostPool } from '../transport/types.js';
import { sizeText } from './context.js';
import { AGGREGATE, SIZE, plannedFromCapture, wayBackPlanContext, type PlannedVm, type WayBackPlanFacts } from './plan-context.js';
import { wayBackRunbookPath } from './runbook-path.js';

export type WayBackProcedure = 'reprotect' | 'failback';

/** What the plan needs from the devices: the reprotect's decision, or where every VM runs from the mirror. */
export async function readWayBackPlanFacts(
  site: Site,
  pool: HostPool,
  procedure: WayBackProcedure,
  capture: Capture,
  now: Date,
): Promise<WayBackPlanFacts> {
  const timeoutMs = site.timeouts.commandSeconds * 1000;
  const ontap = new OntapOps(pool.host(site.endpoints.ontap.name), { timeoutMs });
  const esxi = (h: string) => new EsxiOps(pool.host(h), { timeoutMs });
  const original = { source: site.relationship.source, destination: site.relationship.destination };
  if (procedure === 'reprotect') {
    return { readAt: now.toISOString(), reprotect: await readReprotectPlan({ ontap, original }, now), placement: null, lockedHosts: [] };
  }
  // Lockdown is never exited just to look: a locked host's VMs are the capture's (vmid read at run time).
  const hosts = site.endpoints.esxi.map((e) => e.name);
  const locked = (await Promise.all(hosts.map(async (h) => ((await esxi(h).lockdownEnabled()) ? h : null)))).filter(
    (h): h is string => h !== null,
  );
  const open = hosts.filter((h) => !locked.includes(h));
  const read = await readFailbackPlacement({ site, esxi }, open);
  const fromCapture = primaryVmsOf(site, capture)
    .filter((v) => locked.includes(v.host))
    .map((v) => plannedFromCapture(site, v));
  // Host by host, as the site file lists them: the run's placement reads them in that order.
  const placement: PlannedVm[] = hosts.flatMap((h) => [...read, ...fromCapture].filter((v) => v.host === h));
  return { readAt: now.toISOString(), reprotect: null, placement, lockedHosts: locked };
}

export interface BuildWayBackPlanInput {
  site: Site;
  capture: Capture;
  lang: Lang;
  now: Date;
  drbookVersion: string;
  procedure: WayBackProcedure;
  facts: WayBackPlanFacts;
}

export function buildWayBackPlan(input: BuildWayBackPlanInput): WayBackPlanDocument {
  const { site, capture, lang, now, procedure, facts } = input;
  const p = wayBackPlanContext(site, lang, facts);
  const { m, pm } = p;
  const modules = procedure === 'reprotect' ? reprotectSteps : failbackSteps;
  const sections = planSections(modules, loadRunbook(wayBackRunbookPath(procedure)), p).map((s, i) => ({
    ...s,
    title: `${i + 1}. ${s.title}`,
  }));
  const ageMs = capture.takenAt ? now.getTime() - Date.parse(capture.takenAt) : 0;
  const ageDays = Math.max(0, Math.floor(ageMs / 86_400_000));
  const warnings: string[] = [];
  for (const h of facts.lockedHosts) warnings.push(m.warnLocked({ host: h }));
  const rp = facts.reprotect;
  if (rp?.mode === 'baseline') warnings.push(m.rpDecisionBaseline({ size: sizeText(rp.baselineBytes) }));
  const vmsPlanned = facts.placement ?? [];
  const vms: WayBackVmRow[] = vmsPlanned.map((v) => ({
    name: v.name,
    host: v.host,
    runsFrom: `[${p.mirrorDs}] ${v.path}`,
    vmid: v.mirrorVmid === null ? '?' : String(v.mirrorVmid),
    power: v.power,
    returnsTo: `[${p.primaryDs}] ${v.path}`,
    group: v.group === undefined || v.group === 0 ? null : (site.priorityGroups[v.group - 1]?.name ?? null),
    isVcenter: v.group === 0,
  }));
  const base: PlanDocumentBase<WayBackVmRow> = {
    format: 'drbook-plan',
    schema: 1,
    lang,
    title: procedure === 'reprotect' ? m.titleReprotect({ site: site.site }) : m.titleFailback({ site: site.site }),
    subtitle: procedure === 'reprotect' ? m.subtitleReprotect : m.subtitleFailback,
    site: site.site,
    siteFile: site.file,
    capture: { id: capture.id, takenAt: capture.takenAt, drbookVersion: capture.drbookVersion, ageDays },
    generatedAt: now.toISOString(),
    drbookVersion: input.drbookVersion,
    header: [
      { label: pm.headerSite, value: site.site },
      { label: pm.headerSiteFile, value: site.file },
      { label: m.headerReadAt, value: formatTime(facts.readAt) },
      { label: pm.headerGenerated, value: formatTime(now.toISOString()) },
      { label: pm.headerVersion, value: input.drbookVersion },
      { label: pm.headerRelationship, value: pm.relationshipValue(p.original) },
      { label: m.headerWayBack, value: pm.relationshipValue(p.reverse) },
      { label: pm.headerDatastores, value: pm.datastoresValue({ primary: p.primaryDs, mirror: p.mirrorDs }) },
    ],
    warnings,
    findingLines: [],
    how: [...m.how],
    placeholders:
      procedure === 'reprotect'
        ? rp?.mode === 'baseline'
          ? [
              { name: AGGREGATE, meaning: m.placeholderAggregate },
              { name: SIZE, meaning: m.placeholderSize },
            ]
          : []
        : [
            { name: NEW_VMID, meaning: pm.placeholderNewVmid },
            { name: QUESTION_ID, meaning: pm.placeholderQuestionId },
            { name: MOVED_CHOICE, meaning: pm.placeholderMovedChoice },
            ...(vmsPlanned.some((v) => v.mirrorVmid === null) ? [{ name: VMID, meaning: pm.placeholderVmid }] : []),
          ],
    vms,
    vmText: procedure === 'reprotect' ? [m.vmsReprotect] : [m.vmsFailback({ count: vms.length, datastore: p.mirrorDs })],
    sections,
  };
  return { ...base, procedure, relationship: p.original, readAt: facts.readAt };
}
