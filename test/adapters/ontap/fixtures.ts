import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared real-output samples (../shared/fixtures from the repo root). */
export const FIXTURES_DIR =
  process.env.DRBOOK_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

export function ontapFixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.startsWith('ontap-') && f.endsWith('.txt'))
    .sort();
}

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES_DIR}/${name}`, 'utf8');
}
