/**
 * An in-memory "site" for engine tests: hosts with lockdown, a mirror to break, VMs that go
 * through fence → register → power. Actions observe and change only this world, so a test can
 * check the end state, count applies, and watch concurrency without any device.
 */
import type { ActionIO, ActionRegistry, CheckResult, StageAction, Target } from '../../src/engine/runner.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { ChecklistRequest, ChooseRequest, Prompter, TypedConfirmRequest } from '../../src/engine/ports.js';
import { parseRunbook, type Runbook } from '../../src/runbook/runbook.js';

export interface Vm {
  id: string;
  host: string;
  group?: number;
}

export interface WorldState {
  broken: boolean;
  lockdown: Record<string, boolean>;
  done: string[];
  applies: Record<string, number>;
}

export class World {
  broken = false;
  readonly lockdown = new Map<string, boolean>();
  readonly done = new Set<string>();
  /** Applies that took effect, per key: "nothing applied twice" is about these. */
  readonly applies = new Map<string, number>();
  /** Applies started, per key (failed attempts included). */
  readonly attempts = new Map<string, number>();
  /** key → how many more applies of it throw. */
  readonly failures = new Map<string, number>();
  /** 'start KEY' / 'end KEY' in the order they happened. */
  readonly log: string[] = [];
  readonly active = new Map<string, number>();
  readonly maxActive = new Map<string, number>();
  maxHostsActive = 0;
  maxTotalActive = 0;
  /** Called at the start of every apply (tests use it to abort mid-run). */
  onApply: ((key: string) => void) | undefined;

  constructor(
    readonly hosts: string[],
    readonly vms: Vm[],
  ) {
    for (const h of hosts) this.lockdown.set(h, true);
  }

  state(): WorldState {
    return {
      broken: this.broken,
      lockdown: Object.fromEntries(this.lockdown),
      done: [...this.done].sort(),
      applies: Object.fromEntries([...this.applies].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  clone(): World {
    const w = new World(this.hosts, this.vms);
    w.broken = this.broken;
    for (const [k, v] of this.lockdown) w.lockdown.set(k, v);
    for (const k of this.done) w.done.add(k);
    for (const [k, v] of this.applies) w.applies.set(k, v);
    return w;
  }

  /** Run `change` as a device action on `host`: counted, logged, concurrency observed. */
  async act(key: string, host: string | undefined, ticks: number, change: () => void): Promise<void> {
    this.onApply?.(key);
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    const h = host ?? '(site)';
    this.active.set(h, (this.active.get(h) ?? 0) + 1);
    this.maxActive.set(h, Math.max(this.maxActive.get(h) ?? 0, this.active.get(h)!));
    const busyHosts = [...this.active.values()].filter((n) => n > 0).length;
    this.maxHostsActive = Math.max(this.maxHostsActive, busyHosts);
    this.maxTotalActive = Math.max(
      this.maxTotalActive,
      [...this.active.values()].reduce((a, b) => a + b, 0),
    );
    this.log.push(`start ${key}`);
    try {
      for (let i = 0; i < ticks; i++) await new Promise((r) => setImmediate(r));
      const fails = this.failures.get(key) ?? 0;
      if (fails > 0) {
        this.failures.set(key, fails - 1);
        throw new Error(`${key}: device said no`);
      }
      change();
      this.applies.set(key, (this.applies.get(key) ?? 0) + 1);
    } finally {
      this.active.set(h, this.active.get(h)! - 1);
      this.log.push(`end ${key}`);
    }
  }
}

function ticksFor(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 997;
  return 1 + (h % 4);
}

function stage(name: string): StageAction<World> {
  const key = (t: Target) => `${name}:${t.id}`;
  return {
    check: (w, t): CheckResult => (w.done.has(key(t)) ? 'done' : 'todo'),
    apply: (w, t) => w.act(key(t), t.host, ticksFor(key(t)), () => w.done.add(key(t))),
    verify: (w, t) => (w.done.has(key(t)) ? true : `${key(t)} not done`),
  };
}

export function fakeActions(): ActionRegistry<World> {
  const hostTargets = (w: World): Target[] => w.hosts.map((h) => ({ id: h, label: h, host: h }));
  return {
    'lockdown.exit': {
      targets: hostTargets,
      check: (w, t) => (w.lockdown.get(t.id) ? 'todo' : 'done'),
      apply: (w, t) => w.act(`lockdown-exit:${t.id}`, t.host, 1, () => w.lockdown.set(t.id, false)),
      verify: (w, t) => (w.lockdown.get(t.id) ? 'still in lockdown' : true),
    },
    'lockdown.enter': {
      targets: hostTargets,
      check: (w, t) => (w.lockdown.get(t.id) ? 'done' : 'todo'),
      apply: (w, t) => w.act(`lockdown-enter:${t.id}`, t.host, 1, () => w.lockdown.set(t.id, true)),
      verify: (w, t) => (w.lockdown.get(t.id) ? true : 'not in lockdown'),
    },
    break: {
      targets: () => [{ id: 'mirror', label: 'svm2:vol2' }],
      confirmation: () => ({ title: 'Break svm2:vol2', lines: ['the mirror becomes writable'], expect: 'svm2:vol2' }),
      check: (w) => (w.broken ? 'done' : 'todo'),
      apply: (w) => w.act('break:mirror', undefined, 2, () => (w.broken = true)),
      verify: (w) => (w.broken ? true : 'still mirrored'),
    },
    vms: { targets: (w) => w.vms.map((v) => ({ id: v.id, label: v.id, host: v.host, group: v.group })) },
    fence: stage('fence'),
    register: stage('register'),
    power: stage('power'),
    restore: {
      targets: () => [{ id: 'vcenter', label: 'vcenter' }],
      check: (w) => (w.done.has('restore:vcenter') ? 'done' : 'todo'),
      apply: (w) => w.act('restore:vcenter', undefined, 1, () => w.done.add('restore:vcenter')),
      verify: () => true,
    },
  };
}

export const RUNBOOK_YAML = `
name: test-failover
version: 1
steps:
  - id: lockdown-exit
    title: Exit lockdown
    action: lockdown.exit
    per: host
  - id: break
    title: Break the mirror
    action: break
    per: site
    confirm: { kind: typed }
  - id: vms
    title: Bring the VMs back
    action: vms
    per: vm
    stages: [fence, register, { id: power, gate: priority }]
    retry: { attempts: 2, delayMs: 0 }
  - id: lockdown-enter
    title: Re-enter lockdown
    action: lockdown.enter
    per: host
    always: true
`;

export function testRunbook(yaml = RUNBOOK_YAML): Runbook {
  return parseRunbook(yaml, 'test.yaml');
}

export function makeWorld(hosts = 2, perHost = 4, groups = 1): World {
  const hs = Array.from({ length: hosts }, (_, i) => `esx${i + 1}`);
  const vms: Vm[] = [];
  for (const h of hs) for (let i = 0; i < perHost; i++) vms.push({ id: `${h}-vm${i + 1}`, host: h, group: i % groups });
  return new World(hs, vms);
}

export interface TestPrompterAnswers {
  typed?: (req: TypedConfirmRequest) => boolean;
  choose?: (req: ChooseRequest) => string;
  checklist?: (req: ChecklistRequest) => boolean;
}

export function testPrompter(a: TestPrompterAnswers = {}): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    via: 'test',
    asked,
    async confirmTyped(req) {
      asked.push(req.promptId);
      return a.typed ? a.typed(req) : true;
    },
    async choose(req) {
      asked.push(req.promptId);
      return a.choose ? a.choose(req) : 'skip';
    },
    async checklist(req) {
      asked.push(req.promptId);
      return a.checklist ? a.checklist(req) : true;
    },
  };
}

export function recorder(): { events: EngineEvent[]; emit(e: EngineEvent): void } {
  const events: EngineEvent[] = [];
  return { events, emit: (e) => void events.push(e) };
}

/** Index of the first event matching, or -1. */
export function indexOf(events: EngineEvent[], pred: (e: EngineEvent) => boolean): number {
  return events.findIndex(pred);
}

export function stageEvent(stepId: string, targetId: string, stageId: string, state: string) {
  return (e: EngineEvent) =>
    e.type === 'target.state' && e.stepId === stepId && e.targetId === targetId && e.stage === stageId && e.state === state;
}

export type { ActionIO };
