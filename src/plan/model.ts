/**
 * The printable failover procedure as data: what `drbook plan` renders to Markdown and HTML and
 * prints as JSON (`--format json`, for scripts). Text is already in the document's language;
 * commands and device output are verbatim.
 */
import type { Lang } from '../i18n/lang.js';
import type { HvFinding } from '../hyperv/audit.js';
import type { Finding, PowerState } from '../inventory/types.js';

export type PlanDevice = 'esxi' | 'ontap' | 'hyperv' | 'vcenter' | 'local';

export interface PlanExample {
  /** The command that printed it, as its public source shows it. */
  command: string;
  /** The fixture it was copied from (shared/fixtures). */
  fixture: string;
  text: string;
}

export interface PlanCommand {
  /** The ESXi host, ONTAP cluster or Hyper-V node the line is sent to; `vcenter` for a vSphere API call; for a callout, `local`. */
  target: string;
  device: PlanDevice;
  /** Exactly what drbook sends (placeholders in capitals where a value is read at run time). */
  line: string;
  /** What to do with it, one sentence. */
  text?: string;
  /** What a correct output looks like. */
  expect?: string;
  example?: PlanExample;
}

export interface PlanConfirm {
  /** What drbook shows before it asks. */
  text: string;
  /** What the operator types. */
  type: string;
}

export interface PlanStep {
  /** Stable id for scripts: `<section>:<what>` (a VM's is its engine target id). */
  id: string;
  title: string;
  host?: string;
  /** The VM's recorded display name, exact bytes. */
  vm?: string;
  /** The run's target this stands for (`host:esx01`, a VM's target id, `site`): its commands are the ones a run sends for it. */
  target?: string;
  text: string[];
  commands: PlanCommand[];
  confirm?: PlanConfirm;
  checklist?: string[];
}

export interface PlanSection {
  /** The runbook step it follows (runbooks/vsc-snapmirror-failover.yaml), or `recover:<n>` per group. */
  id: string;
  /** The id of that runbook step (a run's events name it). */
  step?: string;
  title: string;
  text: string[];
  steps: PlanStep[];
}

export interface PlanVmRow {
  name: string;
  host: string;
  vmxPath: string;
  vmid: string;
  power: PowerState;
  job: string | null;
  quiescedInNewest: 'yes' | 'no' | 'n/a';
  group: string | null;
  isVcenter: boolean;
}

/**
 * A VM of the failback's table: where it runs now and where the failback brings it back (on the
 * same host, under the same name, powered as it is now). Read from the hosts when the plan is printed.
 */
export interface WayBackVmRow {
  name: string;
  host: string;
  /** Its .vmx on the mirror datastore, where it runs now. */
  runsFrom: string;
  /** Its vmid on the mirror; `?` when its host was in lockdown (read at run time). */
  vmid: string;
  power: 'on' | 'off';
  /** The same .vmx on the original datastore, registered by the failback. */
  returnsTo: string;
  group: string | null;
  isVcenter: boolean;
}

/** What every platform's procedure document holds; `Row` is its VM table's row. */
export interface PlanDocumentBase<Row = PlanVmRow> {
  format: 'drbook-plan';
  schema: 1;
  lang: Lang;
  title: string;
  subtitle: string;
  site: string;
  siteFile: string;
  capture: { id: string; takenAt: string; drbookVersion: string; ageDays: number };
  generatedAt: string;
  drbookVersion: string;
  /** Label/value rows for the header block. */
  header: { label: string; value: string }[];
  warnings: string[];
  /** Finding messages listed under the findings warning (verbatim from the capture). */
  findingLines: string[];
  how: string[];
  placeholders: { name: string; meaning: string }[];
  vms: Row[];
  vmText: string[];
  sections: PlanSection[];
}

/** The procedures `drbook plan --procedure` prints for a vSphere site. */
export type PlanProcedure = 'failover' | 'drill' | 'drill-cleanup';

/** The vSphere + ONTAP failover's procedure (or the drill's, its cleanup's: same header and VM table). */
export interface PlanDocument extends PlanDocumentBase {
  platform?: 'vsphere' | undefined;
  procedure: PlanProcedure;
  capture: PlanDocumentBase['capture'] & { findings: Finding[] };
  relationship: { source: string; destination: string };
  snapshot: { name: string; createTime: string | null; job: string; newer: string[] };
}

/** A Hyper-V cluster's recovery procedure (src/hyperv/plan.ts): no relationship, no snapshot. */
export interface HypervPlanDocument extends PlanDocumentBase {
  platform: 'hyperv';
  cluster: string;
  capture: PlanDocumentBase['capture'] & { findings: HvFinding[] };
}

/** The way back's procedures (src/failback/plan.ts): reprotect and failback, read from the devices when printed. */
export interface WayBackPlanDocument extends PlanDocumentBase<WayBackVmRow> {
  platform?: 'vsphere' | undefined;
  procedure: 'reprotect' | 'failback';
  relationship: { source: string; destination: string };
  /** When the devices were read. */
  readAt: string;
}

/** What the renderers print. */
export type AnyPlanDocument = PlanDocument | HypervPlanDocument | WayBackPlanDocument;

/** Whether a document is the way back's (its VM table is the failback's). */
export function isWayBackPlan(doc: AnyPlanDocument): doc is WayBackPlanDocument {
  return 'procedure' in doc && (doc.procedure === 'reprotect' || doc.procedure === 'failback');
}
