/**
 * The drill's and the drill cleanup's procedures of a site (`drbook plan --procedure drill|drill-cleanup`):
 * the failover document's header and VM table, and one section per step of runbooks/drill.yaml or
 * runbooks/drill-cleanup.yaml, written by the step's module (src/steps/drill/). Pure, like buildPlan.
 */
import { NEW_VMID, QUESTION_ID, SNAPSHOT_ID } from '../steps/failover/plan-context.js';
import { drillSteps } from '../steps/drill/index.js';
import {
  COPIED_CHOICE,
  DC_VM_FOLDER,
  DRILL_FOLDER,
  DRILL_VM,
  PRODUCTION_VMID,
  RUN,
  VMX_CONTENT,
  drillPlanContext,
} from '../steps/drill/plan-context.js';
import { planSections } from '../steps/step.js';
import { builtinRunbookPath } from '../runbook/builtin.js';
import { loadRunbook } from '../runbook/runbook.js';
import { planDocument, type BuildPlanInput } from './build.js';
import type { PlanDocument } from './model.js';

export function buildDrillPlan(input: BuildPlanInput, procedure: 'drill' | 'drill-cleanup'): PlanDocument {
  const drill = procedure === 'drill';
  const p = drillPlanContext(input.site, input.capture, input.lang, drill ? 'drill' : 'cleanup');
  const { m, d, site } = p;
  const sections = planSections(drillSteps, input.runbook ?? loadRunbook(builtinRunbookPath(procedure)), p);
  const vcenter = p.hasVcenterApi
    ? [
        ...(drill ? [{ name: DC_VM_FOLDER, meaning: d.placeholderDcVmFolder }] : []),
        { name: DRILL_FOLDER, meaning: d.placeholderDrillFolder },
        ...(drill ? [{ name: DRILL_VM, meaning: d.placeholderDrillVm }] : []),
      ]
    : [];
  return planDocument(input, p, {
    procedure,
    title: drill ? d.titleDrill({ site: site.site }) : d.titleCleanup({ site: site.site }),
    subtitle: drill ? d.subtitleDrill : d.subtitleCleanup,
    snapshotLabel: d.headerSnapshot,
    how: [...d.how],
    placeholders: [
      { name: RUN, meaning: d.placeholderRun },
      { name: NEW_VMID, meaning: m.placeholderNewVmid },
      ...(drill
        ? [
            { name: PRODUCTION_VMID, meaning: d.placeholderVmid },
            { name: VMX_CONTENT, meaning: d.placeholderVmxContent },
            { name: SNAPSHOT_ID, meaning: m.placeholderSnapshotId },
            { name: QUESTION_ID, meaning: m.placeholderQuestionId },
            { name: COPIED_CHOICE, meaning: d.placeholderCopiedChoice },
          ]
        : []),
      ...vcenter,
    ],
    sections,
  });
}
