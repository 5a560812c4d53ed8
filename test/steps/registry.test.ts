import { describe, expect, it } from 'vitest';
import { validateRegistry } from '../../src/engine/runner.js';
import { builtinRunbookPath } from '../../src/runbook/builtin.js';
import { loadRunbook, parseRunbook } from '../../src/runbook/runbook.js';
import { drillSteps } from '../../src/steps/drill/index.js';
import { failbackSteps } from '../../src/steps/failback/index.js';
import { reprotectSteps } from '../../src/steps/reprotect/index.js';
import { wayBackRunbookPath } from '../../src/failback/runbook-path.js';
import { failoverSteps } from '../../src/steps/failover/index.js';
import { actionsOf, moduleOf, planSections, type StepModules } from '../../src/steps/step.js';

/** Every step of a built-in runbook is one step module; the runner's registry is made of them. */
describe('step modules', () => {
  const cases: [string, 'vsc-snapmirror-failover' | 'drill' | 'drill-cleanup', StepModules<never, never>][] = [
    ['failover', 'vsc-snapmirror-failover', failoverSteps],
    ['drill', 'drill', drillSteps],
    ['drill cleanup', 'drill-cleanup', drillSteps],
  ];
  for (const [what, file, modules] of cases) {
    it(`every step of the ${what} runbook names a module that defines it and its stages`, () => {
      const runbook = loadRunbook(builtinRunbookPath(file));
      for (const step of runbook.steps) expect(moduleOf(modules, runbook, step).action).toBe(step.action);
      expect(() => validateRegistry(runbook, actionsOf(modules))).not.toThrow();
    });
  }

  for (const [what, modules] of [
    ['reprotect', reprotectSteps],
    ['failback', failbackSteps],
  ] as const) {
    it(`every step of the ${what} runbook names a module that defines it and its stages`, () => {
      const runbook = loadRunbook(wayBackRunbookPath(what));
      for (const step of runbook.steps) expect(moduleOf(modules, runbook, step).action).toBe(step.action);
      expect(() => validateRegistry(runbook, actionsOf(modules))).not.toThrow();
    });
  }

  it('a runbook naming a step no module defines is refused in one line that says what to do', () => {
    const runbook = parseRunbook('name: x\nversion: 1\nsteps:\n  - { id: a, title: A, action: no-such-step, per: site }\n', 'x.yaml');
    expect(() => planSections(failoverSteps, runbook, undefined as never)).toThrow(
      /step a names action no-such-step, which no step module of this drbook defines/,
    );
    const stage = parseRunbook(
      'name: x\nversion: 1\nsteps:\n  - { id: a, title: A, action: fence, per: vm, stages: [kill, dance] }\n',
      'x.yaml',
    );
    expect(() => moduleOf(failoverSteps, stage, stage.steps[0]!)).toThrow(
      /stage dance \(action dance\) that step module fence does not define/,
    );
  });

  it('two modules may share a stage only as the same action', () => {
    const a = { check: () => 'done' as const, apply: () => undefined, verify: () => true as const, targets: () => [] };
    const b = { ...a };
    expect(() =>
      actionsOf([
        { action: 'x', actions: { x: a, s: a } },
        { action: 'y', actions: { y: a, s: a } },
      ]),
    ).not.toThrow();
    expect(() =>
      actionsOf([
        { action: 'x', actions: { x: a, s: a } },
        { action: 'y', actions: { y: a, s: b } },
      ]),
    ).toThrow(/two step modules define action s/);
  });
});
