/**
 * What every failover step's plan section is written from: the site file, the capture, the
 * snapshot the preflight would choose, the document's language, and the helpers that make one
 * printed command. Pure: nothing is sent, nothing is read but the arguments.
 */
import { placeholder, type NumArg } from '../../adapters/esxi/commands.js';
import { groupIndexOf, primaryVmsOf, vcenterOf } from '../../failover/context.js';
import { vmPoints } from '../../failover/preflight.js';
import { bestTarget, snapshotsNewerThan, vscBackups, type NetappSnapshot } from '../../failover/vsc.js';
import type { Lang } from '../../i18n/lang.js';
import { planMessages, type PlanMessages } from '../../i18n/plan.js';
import type { Capture, CapturedHost, CapturedVm } from '../../inventory/types.js';
import { splitVolumePath, type Site } from '../../runbook/site.js';
import { OUTPUT_EXAMPLES, type OutputExampleKey } from '../../plan/examples.js';
import type { PlanCommand } from '../../plan/model.js';

export const NEW_VMID = placeholder('NEW_VMID');
export const SNAPSHOT_ID = placeholder('SNAPSHOT_ID');
export const WORLD_ID = placeholder('WORLD_ID');
export const QUESTION_ID = placeholder('QUESTION_ID');
export const MOVED_CHOICE = placeholder('MOVED_CHOICE');
export const VMID = placeholder('VMID');

/** `2026-11-22T01:42:10.123Z` → `2026-11-22 01:42:10 UTC`; unknown stays as given. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '?';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The snapshot the preflight would choose from what the capture saw (the same rule: src/failover/vsc.ts bestTarget). */
export function chosenSnapshot(
  site: Site,
  capture: Capture,
): { name: string; createTime: string | null; job: string; newer: string[]; known: boolean } {
  const mirror = capture.volumes.find((v) => v.path === site.relationship.destination) ?? capture.volumes.find((v) => v.role === 'mirror');
  const snapshots: NetappSnapshot[] = (mirror?.snapshots ?? []).map((s) => ({ name: s.name, createTime: s.createTime ?? null }));
  const backups = vscBackups(snapshots, site.jobs);
  const primaryVms = primaryVmsOf(site, capture);
  const points = vmPoints({ capture, primaryVms, vcenter: vcenterOf(site, primaryVms) });
  const ranked = bestTarget(
    points,
    snapshots,
    backups.filter((b) => b.recent),
  );
  const best = ranked ? backups.find((b) => b.name === ranked.target.name) : undefined;
  if (!best) return { name: `smvi__${site.jobs[0]}_recent`, createTime: null, job: site.jobs[0]!, newer: [], known: false };
  return {
    name: best.name,
    createTime: best.createTime,
    job: best.job,
    newer: snapshotsNewerThan(snapshots, best).map((s) => s.name),
    known: true,
  };
}

export function vmidArg(vm: CapturedVm): NumArg {
  return /^\d+$/.test(vm.vmid) ? Number(vm.vmid) : VMID;
}

type CommandRest = Omit<PlanCommand, 'target' | 'device' | 'line'>;

// The helpers are function-typed properties, not methods: steps destructure them (`const { onHost } = p`).
export interface FailoverPlanContext {
  site: Site;
  capture: Capture;
  lang: Lang;
  m: PlanMessages;
  cluster: string;
  hosts: string[];
  src: { vserver: string; volume: string };
  dst: { vserver: string; volume: string };
  primaryDs: string;
  mirrorDs: string;
  killSeconds: number;
  primaryVms: CapturedVm[];
  vcenter: CapturedVm | undefined;
  snap: ReturnType<typeof chosenSnapshot>;
  capturedHost: (h: string) => CapturedHost | undefined;
  byHostThenName: (a: CapturedVm, b: CapturedVm) => number;
  /** A real output example, shown once: under the first command it illustrates. */
  example: (key: OutputExampleKey) => Pick<PlanCommand, 'example'>;
  /** A sentence repeated for every VM is said in full the first time only. */
  once: (text: string) => { expect?: string };
  onHost: (host: string, line: string, rest?: CommandRest) => PlanCommand;
  onCluster: (line: string, rest?: CommandRest) => PlanCommand;
  /** The number of the next numbered section (the recover groups, verify, … are numbered as they come). */
  nextNumber: () => number;
}

export function failoverPlanContext(site: Site, capture: Capture, lang: Lang): FailoverPlanContext {
  const m = planMessages(lang);
  const cluster = site.endpoints.ontap.name;
  const hosts = site.endpoints.esxi.map((e) => e.name);
  const primaryVms = primaryVmsOf(site, capture);
  const vcenter = vcenterOf(site, primaryVms);
  const shown = new Set<OutputExampleKey>();
  const said = new Set<string>();
  const hostOrder = (h: string): number => {
    const i = hosts.indexOf(h);
    return i < 0 ? hosts.length : i;
  };
  const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  // Sections 0–5 carry their number in the catalogue; vCenter is 6 when there is one.
  let n = vcenter ? 7 : 6;
  return {
    site,
    capture,
    lang,
    m,
    cluster,
    hosts,
    src: splitVolumePath(site.relationship.source),
    dst: splitVolumePath(site.relationship.destination),
    primaryDs: site.datastores.primary.name,
    mirrorDs: site.datastores.mirror.name,
    killSeconds: site.timeouts.killVerifySeconds,
    primaryVms,
    vcenter,
    snap: chosenSnapshot(site, capture),
    capturedHost: (h) => capture.hosts.find((x) => x.name === h),
    byHostThenName: (a, b) =>
      hostOrder(a.host) - hostOrder(b.host) ||
      byCodeUnits(a.host, b.host) ||
      byCodeUnits(a.name, b.name) ||
      byCodeUnits(a.vmxPath, b.vmxPath),
    example(key) {
      if (shown.has(key)) return {};
      shown.add(key);
      const e = OUTPUT_EXAMPLES[key];
      return { example: { command: e.command, fixture: e.fixture, text: e.text } };
    },
    once(text) {
      if (said.has(text)) return {};
      said.add(text);
      return { expect: text };
    },
    onHost: (host, line, rest = {}) => ({ target: host, device: 'esxi', line, ...rest }),
    onCluster: (line, rest = {}) => ({ target: cluster, device: 'ontap', line, ...rest }),
    nextNumber: () => n++,
  };
}

/** The priority group of a VM, by its index in the site file (absent: none). */
export function groupKeyOf(site: Site, vm: CapturedVm): number {
  return groupIndexOf(site, vm) ?? Infinity;
}
