import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OperatorError } from '../errors.js';
import { validateYaml } from '../runbook/yaml-errors.js';

/** The --faults file: what goes wrong in the lab (format in src/lab/README.md). */
const vmFault = z
  .object({
    stuck: z.enum(['soft', 'hard']).optional(),
    snapshotFails: z.boolean().optional(),
    poweredOffAtBackup: z.boolean().optional(),
    vmxName: z.literal('other').optional(),
    duplicateOf: z.string().min(1).optional(),
    /** A revert of this VM takes this long (ms) on its host, whatever the latency profile. */
    revertMs: z.number().int().min(0).optional(),
    /** vCenter registers this VM (RegisterVM_Task, the first time) but drops the connection before it answers. */
    vcenterAnswerLost: z.boolean().optional(),
  })
  .strict();

/** A faults file's regular expression: one that does not compile is said at load, not mid-run. */
const regex = z
  .string()
  .min(1)
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

const hostFault = z
  .object({
    refuse: z.boolean().optional(),
    dropAfter: z.number().int().min(0).optional(),
    /**
     * The connection drops at named commands: at the first `times` (default 1) commands that match
     * the regular expression `match`, after the first `skip` (default 0) of them. With `ran` (the
     * default) the command runs and its answer never comes; with `ran: false` it never runs.
     * Unlike dropAfter, where it drops does not depend on how commands share connections.
     */
    dropAt: z
      .array(
        z
          .object({
            match: regex,
            times: z.number().int().min(1).optional(),
            skip: z.number().int().min(0).optional(),
            ran: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    slowMs: z.number().int().min(0).optional(),
    failFirst: z
      .object({ match: z.string().min(1), times: z.number().int().min(1) })
      .strict()
      .optional(),
    /**
     * A second operator at the host: right before the first `times` (default 1) command lines that
     * match the regular expression `match`, after the first `skip` (default 0) of them, the host
     * runs `run` (its lines may use the match's groups as $1…$9), as if someone typed them in
     * between.
     */
    interpose: z
      .object({
        match: regex,
        run: z.array(z.string().min(1)).min(1),
        times: z.number().int().min(1).optional(),
        skip: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const faultsSchema = z
  .object({
    vms: z.record(z.string(), vmFault).default({}),
    hosts: z.record(z.string(), hostFault).default({}),
  })
  .strict();

export type VmFault = z.infer<typeof vmFault>;
export type HostFault = z.infer<typeof hostFault>;
export interface LabFaults {
  vms: Record<string, VmFault>;
  hosts: Record<string, HostFault>;
}

export const NO_FAULTS: LabFaults = { vms: {}, hosts: {} };

export function parseFaults(text: string, file: string): LabFaults {
  if (text.trim() === '') return { vms: {}, hosts: {} };
  return validateYaml<LabFaults>(faultsSchema, text, file, 'faults');
}

export function loadFaults(file: string): LabFaults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new OperatorError(`cannot read faults file ${file}`, 'pass --faults with the path of a YAML faults file (see src/lab/README.md)');
  }
  return parseFaults(text, file);
}
