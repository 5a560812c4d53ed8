import type { EsxiFs } from './esxi-fs.js';
import type { LatencyProfile } from './latency.js';
import type { VmFault } from './faults.js';
import type { Host, LabState } from './model.js';

/** What an ESXi command of the lab can see and do. */
export interface EsxiContext {
  state: LabState;
  host: Host;
  fs: EsxiFs;
  latency: LatencyProfile;
  /** Wall-clock ms (heartbeats and kills take real time). */
  now(): number;
  /** Persist the state after a change. */
  changed(): void;
  /** Count a non-idempotent action. */
  action(action: string, target: string): void;
  sleep(ms: number): Promise<void>;
  /** What happens on the host right before this command (its words joined by spaces) runs: a second operator's lines (faults.hosts[H].interpose). */
  before?(command: string): Promise<void>;
  /** Whether the connection drops at this command (its words joined by spaces), and whether before or after it runs (faults.hosts[H].dropAt). */
  dropAt?(command: string): DropPoint | undefined;
  /** True when this command (its words joined by spaces) is to fail as if hostd were gone (faults.hosts[H].failFirst). */
  hostdLost?(command: string): boolean;
  /** The faults file's entry for a VM (by display name), if any. */
  vmFault?(name: string): VmFault | undefined;
}

/** Where a dropped connection cuts a command off: before it runs, or after it ran and before its answer. */
export type DropPoint = 'before' | 'after';

/** Thrown out of a script whose connection drops; `argvs` are the commands that ran. */
export class ConnectionDropped extends Error {
  constructor(readonly argvs: string[][]) {
    super('the connection dropped');
  }
}

export interface Output {
  stdout: string;
  stderr: string;
  code: number;
}

export const ok = (stdout = ''): Output => ({ stdout, stderr: '', code: 0 });
export const fail = (stdout: string, code = 1): Output => ({ stdout, stderr: '', code });
export const failErr = (stderr: string, code = 1): Output => ({ stdout: '', stderr, code });
