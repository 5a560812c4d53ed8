/**
 * What the Hyper-V recovery's plan sections are written from: the site file and its capture, the
 * order the recovery starts the VMs in, and a command line on a node from the same builders the
 * recovery sends (src/adapters/hyperv/commands.ts). Pure: nothing is sent.
 */
import type { HvCapture, HvCapturedVm } from '../../hyperv/capture.js';
import { hvPriorityGroup } from '../../hyperv/context.js';
import { hypervMessages, type HypervMessages } from '../../i18n/hyperv.js';
import type { Lang } from '../../i18n/lang.js';
import { planMessages, type PlanMessages } from '../../i18n/plan.js';
import type { PlanCommand } from '../../plan/model.js';
import type { HypervSite } from '../../runbook/site.js';

type CommandRest = Omit<PlanCommand, 'target' | 'device' | 'line'>;

export interface HvPlanContext {
  site: HypervSite;
  capture: HvCapture;
  m: HypervMessages;
  pm: PlanMessages;
  cluster: string;
  nodes: string[];
  /** The capture's VMs in the order the recovery starts them: priority group, then node, then name. */
  ordered: HvCapturedVm[];
  /** The priority groups' indexes in that order (Infinity: no group). */
  groups: number[];
  groupIndex: (vm: HvCapturedVm) => number;
  groupLabel: (vm: HvCapturedVm) => string | null;
  on: (node: string, line: string, rest?: CommandRest) => PlanCommand;
  /** A command's explanation the first time only (keyed by what it explains). */
  once: (key: string, rest: CommandRest) => CommandRest;
}

export function hvPlanContext(site: HypervSite, capture: HvCapture, lang: Lang): HvPlanContext {
  const m = hypervMessages(lang);
  const nodes = site.endpoints.nodes.map((n) => n.name);
  const groupIndex = (vm: HvCapturedVm) => hvPriorityGroup(site, vm) ?? Infinity;
  const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ordered = [...capture.vms].sort(
    (a, b) => groupIndex(a) - groupIndex(b) || nodes.indexOf(a.node) - nodes.indexOf(b.node) || byCodeUnits(a.name, b.name),
  );
  const said = new Set<string>();
  return {
    site,
    capture,
    m,
    pm: planMessages(lang),
    cluster: site.hyperv.cluster,
    nodes,
    ordered,
    groups: [...new Set(ordered.map(groupIndex))],
    groupIndex,
    groupLabel: (vm) => {
      const i = hvPriorityGroup(site, vm);
      if (i === undefined) return null;
      return site.priorityGroups.length > 0 ? site.priorityGroups[i]!.name : m.planClusterPriority({ n: i + 1 });
    },
    on: (node, line, rest = {}) => ({ target: node, device: 'hyperv', line, ...rest }),
    once: (key, rest) => (said.has(key) ? {} : (said.add(key), rest)),
  };
}
