import { fileURLToPath } from 'node:url';

/** The runbooks drbook ships (runbooks/NAME.yaml). */
export type BuiltinRunbook = 'vsc-snapmirror-failover' | 'drill' | 'drill-cleanup' | 'hyperv-recovery';

export function builtinRunbookPath(name: BuiltinRunbook): string {
  return fileURLToPath(new URL(`../../runbooks/${name}.yaml`, import.meta.url));
}
