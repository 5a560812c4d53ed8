/**
 * Per-operation delays of the lab, in milliseconds. The `real` profile keeps the ratios of a
 * real site (a soft kill takes seconds to verify, a revert longer than a register); `demo` is a
 * tenth of it; `none` is zero. The benchmark reads the profile from `lab status --json`.
 */
export type LatencyName = 'none' | 'demo' | 'real';

export interface LatencyProfile {
  name: LatencyName;
  scale: number;
  command: number;
  killSoft: number;
  killHard: number;
  killForce: number;
  register: number;
  unregister: number;
  revert: number;
  snapshotCreate: number;
  snapshotRemove: number;
  powerOn: number;
  powerOff: number;
  heartbeat: number;
  nfsAdd: number;
  ontapCommand: number;
  snapmirrorBreak: number;
  snapRestore: number;
  restoreFile: number;
  cloneCreate: number;
  lockdown: number;
}

const REAL: Omit<LatencyProfile, 'name' | 'scale'> = {
  command: 150,
  killSoft: 4000,
  killHard: 2000,
  killForce: 1000,
  register: 1000,
  unregister: 500,
  revert: 3000,
  snapshotCreate: 2000,
  snapshotRemove: 4000,
  powerOn: 2000,
  powerOff: 1500,
  heartbeat: 20000,
  nfsAdd: 1500,
  ontapCommand: 300,
  snapmirrorBreak: 2000,
  snapRestore: 5000,
  restoreFile: 1500,
  cloneCreate: 3000,
  lockdown: 500,
};

export function latencyProfile(name: LatencyName, scale = 1): LatencyProfile {
  const factor = (name === 'real' ? 1 : name === 'demo' ? 0.1 : 0) * scale;
  const out = { name, scale } as LatencyProfile;
  for (const [k, v] of Object.entries(REAL)) (out as unknown as Record<string, number>)[k] = Math.round(v * factor);
  return out;
}

/** An async delay that never blocks the event loop. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
