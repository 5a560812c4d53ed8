/**
 * What the drill's and drill cleanup's plan sections are written from: the failover's plan
 * context (site, capture, chosen snapshot, the helpers that make one printed command) plus the
 * drill's names and hosts. Pure, like the failover's.
 *
 * Two things a printed drill cannot know, and how it shows them:
 * - The run id. The clone, its datastore and the vCenter folder are named after it, and it exists
 *   only once `drbook drill` starts. The names are built by the run's own function (drillNames)
 *   from the placeholder word RUN, explained once at the top: `drill_RUN`, `drbook drill RUN`.
 *   RUN is a plain word, so it passes the quoting unchanged and the printed line is the real line
 *   with the run id written in (test/steps/plan-equals-run-drill.test.ts substitutes it).
 * - The NIC isolation writes the whole .vmx in one command. Its content is the file as read with
 *   the startConnected lines changed: printed as the word VMX_CONTENT, which the top explains
 *   (the test compares that one argument by what it changes, the rest of the line exactly).
 */
import { placeholder } from '../../adapters/esxi/commands.js';
import { drillNames, type DrillNames } from '../../drill/context.js';
import { drillFolderName } from '../../drill/folder.js';
import { drillPlanMessages, type DrillPlanMessages } from '../../i18n/drill-plan.js';
import type { Lang } from '../../i18n/lang.js';
import type { Capture } from '../../inventory/types.js';
import type { PlanCommand } from '../../plan/model.js';
import type { Site } from '../../runbook/site.js';
import { vcenterEndpoint } from '../../adapters/vcenter/site.js';
import { failoverPlanContext, VMID, type FailoverPlanContext } from '../failover/plan-context.js';

/** The drill run id (in the clone's name with `_` for `-`). */
export const RUN = placeholder('RUN');
export const COPIED_CHOICE = placeholder('COPIED_CHOICE');
/** The whole .vmx, every NIC's startConnected set to FALSE. */
export const VMX_CONTENT = placeholder('VMX_CONTENT');
export const DC_VM_FOLDER = placeholder('DC_VM_FOLDER');
export const DRILL_FOLDER = placeholder('DRILL_FOLDER');
export const DRILL_VM = placeholder('DRILL_VM');
/** A production VM's vmid, read from getallvms (the drill records each one's power state). */
export const PRODUCTION_VMID = VMID;

type CommandRest = Omit<PlanCommand, 'target' | 'device' | 'line'>;

export interface DrillPlanContext extends FailoverPlanContext {
  d: DrillPlanMessages;
  mode: 'drill' | 'cleanup';
  /** The names a drill run uses, built from the placeholder RUN. */
  names: DrillNames;
  folderName: string;
  /** The hosts that run a drill VM (each VM's recorded host: the default without --host). */
  drillHosts: string[];
  /** Whether the site file has the vCenter API (the drill folder is used only then). */
  hasVcenterApi: boolean;
  onVcenter: (line: string, rest?: CommandRest) => PlanCommand;
  /** A section's title with the number of the next section (`3. Clone the mirror…`). */
  numbered: (title: string) => string;
}

export function drillPlanContext(site: Site, capture: Capture, lang: Lang, mode: 'drill' | 'cleanup'): DrillPlanContext {
  const p = failoverPlanContext(site, capture, lang);
  const used = new Set(p.primaryVms.map((v) => v.host));
  let n = 0;
  return {
    ...p,
    d: drillPlanMessages(lang),
    mode,
    names: drillNames(site, RUN),
    folderName: drillFolderName(RUN),
    drillHosts: p.hosts.filter((h) => used.has(h)),
    hasVcenterApi: vcenterEndpoint(site) !== null,
    onVcenter: (line, rest = {}) => ({ target: 'vcenter', device: 'vcenter', line, ...rest }),
    numbered: (title) => `${n++}. ${title}`,
  };
}
