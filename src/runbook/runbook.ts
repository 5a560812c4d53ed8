import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OperatorError } from '../errors.js';
import { validateYaml } from './yaml-errors.js';

/**
 * A runbook is data (np-style): steps that name helpers from an ActionRegistry the caller
 * supplies. The engine runs it; this module only loads and validates it.
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, . _ - only');

const retry = z
  .object({
    /** Total tries, the first included. */
    attempts: z.number().int().min(1).max(100),
    delayMs: z.number().int().min(0).max(3_600_000).default(0),
  })
  .strict();

const gate = z.literal('priority');

const stage = z.preprocess(
  (v) => (typeof v === 'string' ? { id: v, action: v } : v),
  z
    .object({
      id,
      /** The action to run for this stage; defaults to the stage id. */
      action: z.string().min(1).optional(),
      title: z.string().optional(),
      retry: retry.optional(),
      gate: gate.optional(),
      /** With `gate: priority`: group k starts this stage once the groups below k finished that
       *  (later) stage instead of this one, e.g. power on when the earlier groups' heartbeats are in. */
      gateAfter: id.optional(),
      /** false: the stage only waits (a heartbeat after power on) and holds no host slot, so the
       *  host's other VMs go on meanwhile. Gates still apply. Default true. */
      slot: z.boolean().optional(),
    })
    .strict(),
);

const confirm = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('typed'),
      title: z.string().optional(),
      lines: z.array(z.string()).optional(),
      /** Usually supplied by the action's confirmation() (e.g. the destination path). */
      expect: z.string().min(1).optional(),
      /**
       * The last step this confirmation guards (default: its own step only). Asked before the first
       * apply of any step from this one through that one: a step found done (by an earlier run, or
       * by hand) does not let the destructive steps after it run unconfirmed.
       */
      through: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('checklist'),
      title: z.string().optional(),
      items: z.array(z.string().min(1)).optional(),
    })
    .strict(),
]);

const step = z
  .object({
    id,
    title: z.string().min(1),
    /** The named helper: gives the targets, and runs check/apply/verify when there are no stages. */
    action: z.string().min(1),
    per: z.enum(['site', 'host', 'vm']),
    stages: z.array(stage).min(1).optional(),
    args: z.record(z.string(), z.unknown()).optional(),
    confirm: confirm.optional(),
    retry: retry.optional(),
    always: z.boolean().default(false),
    /** On resume, re-check this step even when it was done: an `always` step may have undone it
     *  (lockdown exit, undone by the lockdown re-entry of a stopped run). */
    recheck: z.boolean().default(false),
    gate: gate.optional(),
    concurrency: z
      .object({ perHost: z.number().int().min(1).max(256).optional() })
      .strict()
      .optional(),
  })
  .strict();

/** What a runbook does, for whoever shows a run (the screen's title, its step names). */
export const RUNBOOK_KINDS = ['failover', 'drill', 'drill-cleanup', 'reprotect', 'failback'] as const;
export type RunbookKind = (typeof RUNBOOK_KINDS)[number];

export const runbookSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'),
    kind: z.enum(RUNBOOK_KINDS).default('failover'),
    title: z.string().optional(),
    version: z.literal(1),
    steps: z.array(step).min(1),
  })
  .strict()
  .superRefine((rb, ctx) => {
    const seen = new Set<string>();
    rb.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id ${s.id} is used twice` });
      seen.add(s.id);
      const stageIds = new Set<string>();
      s.stages?.forEach((st, j) => {
        if (stageIds.has(st.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'stages', j], message: `stage ${st.id} is used twice` });
        stageIds.add(st.id);
        if (st.gateAfter !== undefined) {
          const k = s.stages!.findIndex((x) => x.id === st.gateAfter);
          if ((st.gate ?? s.gate) !== 'priority')
            ctx.addIssue({ code: 'custom', path: ['steps', i, 'stages', j, 'gateAfter'], message: 'needs gate: priority' });
          else if (k < j)
            ctx.addIssue({
              code: 'custom',
              path: ['steps', i, 'stages', j, 'gateAfter'],
              message: `must name this stage or a later stage of step ${s.id}`,
            });
        }
      });
      const through = s.confirm?.kind === 'typed' ? s.confirm.through : undefined;
      if (through !== undefined && rb.steps.findIndex((x) => x.id === through) <= i)
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'confirm', 'through'], message: `must name a later step than ${s.id}` });
      if (s.stages && s.per !== 'vm' && s.per !== 'host') {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'stages'], message: 'stages are for per: vm or per: host steps' });
      }
    });
  });

export type Runbook = z.infer<typeof runbookSchema>;
export type RunbookStep = Runbook['steps'][number];
export type RunbookStage = NonNullable<RunbookStep['stages']>[number];
export type RetryPolicy = z.infer<typeof retry>;
export type ConfirmSpec = z.infer<typeof confirm>;

export function parseRunbook(text: string, file: string): Runbook {
  return validateYaml(runbookSchema, text, file, 'runbook');
}

export function loadRunbook(file: string): Runbook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OperatorError(
      `cannot read runbook ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`,
      'check the runbook path',
    );
  }
  return parseRunbook(text, file);
}

/** The stages a step runs, one per action call: its declared stages, or the step's own action. */
export interface StagePlan {
  id: string;
  action: string;
  retry?: RetryPolicy | undefined;
  gate?: 'priority' | undefined;
  /** The stage whose completion by lower groups opens the gate (default: this one). */
  gateAfter?: string | undefined;
  /** false: runs without taking a host slot (a stage that only waits). */
  slot: boolean;
}

export function stagesOf(s: RunbookStep): StagePlan[] {
  if (!s.stages) return [{ id: s.id, action: s.action, retry: s.retry, gate: s.gate, slot: true }];
  return s.stages.map((st) => ({
    id: st.id,
    action: st.action ?? st.id,
    retry: st.retry ?? s.retry,
    gate: st.gate ?? s.gate,
    gateAfter: st.gateAfter,
    slot: st.slot ?? true,
  }));
}
