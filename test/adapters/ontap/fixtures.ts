import { readdirSync, readFileSync } from 'node:fs';

export { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

export function ontapFixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.startsWith('ontap-') && f.endsWith('.txt'))
    .sort();
}

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES_DIR}/${name}`, 'utf8');
}
