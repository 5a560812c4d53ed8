/**
 * A step of a procedure, defined once. A runbook (runbooks/*.yaml) lists steps by the `action`
 * their module declares; from the same modules come the runner's action registry and the
 * sections of `drbook plan`, so what the plan prints and what a run sends are built by the same
 * builders (test/steps/plan-equals-run.test.ts holds them to it).
 *
 * A procedure (failover, drill, drill cleanup; next reprotect, failback, Hyper-V recovery) is a
 * list of step modules, a context type for its runs (C) and one for its plan (P).
 */
import type { Action, ActionRegistry } from '../engine/runner.js';
import { DrbookError } from '../errors.js';
import type { PlanSection } from '../plan/model.js';
import { stagesOf, type Runbook, type RunbookStep } from '../runbook/runbook.js';

export interface StepModule<C, P> {
  /** What a runbook's `action:` names to run this step. */
  readonly action: string;
  /**
   * What the step runs, by action name: its own (the targets, and check/apply/verify when it has
   * no stages) and one per stage it declares. A stage shared by two steps (the vCenter VM and the
   * other VMs are registered alike) is the same object in both.
   */
  readonly actions: Readonly<Record<string, Action<C>>>;
  /**
   * Its section(s) of the printed procedure for the runbook step that names it: per host or VM,
   * the commands a run sends (from the adapters' builders), what a correct output looks like and
   * the confirmation it asks. Absent: the step sends nothing to a device.
   */
  plan?(p: P, step: RunbookStep): PlanSection[];
  /** The catalogue keys its plan section says things with (each must be in every language). */
  readonly catalogue?: readonly string[];
}

/** A procedure's steps, one module each. */
export type StepModules<C, P> = readonly StepModule<C, P>[];

/** The action registry the runner uses, from the step modules. Two different actions under one name is a bug. */
export function actionsOf<C>(modules: StepModules<C, unknown>): ActionRegistry<C> {
  const out: Record<string, Action<C>> = {};
  for (const m of modules) {
    for (const [name, action] of Object.entries(m.actions)) {
      if (out[name] !== undefined && out[name] !== action) throw new TypeError(`two step modules define action ${name}`);
      out[name] = action;
    }
    if (!(m.action in m.actions)) throw new TypeError(`step module ${m.action} does not register its own action`);
  }
  return out;
}

/** The module a runbook step names; a runbook naming none is refused in one line. */
export function moduleOf<C, P>(modules: StepModules<C, P>, runbook: Runbook, step: RunbookStep): StepModule<C, P> {
  const m = modules.find((x) => x.action === step.action);
  if (!m)
    throw new DrbookError(
      `runbook ${runbook.name}: step ${step.id} names action ${step.action}, which no step module of this drbook defines`,
      'use a runbook made for this version of drbook',
    );
  for (const st of stagesOf(step)) {
    if (!(st.action in m.actions))
      throw new DrbookError(
        `runbook ${runbook.name}: step ${step.id} has a stage ${st.id} (action ${st.action}) that step module ${m.action} does not define`,
        'use a runbook made for this version of drbook',
      );
  }
  return m;
}

/** The plan's sections, in the runbook's order, each from the module of its step. */
export function planSections<C, P>(modules: StepModules<C, P>, runbook: Runbook, p: P): PlanSection[] {
  const out: PlanSection[] = [];
  for (const step of runbook.steps) {
    const m = moduleOf(modules, runbook, step);
    for (const s of m.plan?.(p, step) ?? []) out.push({ ...s, step: step.id });
  }
  return out;
}

/** Several actions of a registry, by name (a step module picking the helpers it runs). */
export function pick<C>(from: ActionRegistry<C>, ...names: string[]): Record<string, Action<C>> {
  const out: Record<string, Action<C>> = {};
  for (const n of names) {
    const a = from[n];
    if (!a) throw new TypeError(`no action ${n}`);
    out[n] = a;
  }
  return out;
}
