import { fileURLToPath } from 'node:url';

/** The built-in runbook of the way back's procedure. */
export function wayBackRunbookPath(kind: 'reprotect' | 'failback'): string {
  return fileURLToPath(new URL(`../../runbooks/${kind}.yaml`, import.meta.url));
}
