import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSqlite, sqlitePackageName } from '../../src/journal/sqlite.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    if (statSync(f).isDirectory()) return sources(f);
    return /\.(ts|tsx)$/.test(n) ? [f] : [];
  });
}

describe('better-sqlite3 is loaded in one place', () => {
  it('picks 12 on Node 20 and 13 on Node 22 and later', () => {
    expect(sqlitePackageName('20.20.2')).toBe('better-sqlite3-node20');
    expect(sqlitePackageName('22.12.0')).toBe('better-sqlite3');
    expect(sqlitePackageName('24.11.1')).toBe('better-sqlite3');
    const db = new (loadSqlite())(':memory:');
    expect((db.prepare('select 1 as one').get() as { one: number }).one).toBe(1);
    db.close();
  });

  it('no other module imports better-sqlite3 as a value (on Node 20 that would load 13, which crashes)', () => {
    const offenders = ['src', 'test', 'bench']
      .flatMap((d) => sources(path.join(ROOT, d)))
      .filter((f) => !f.endsWith(path.join('src', 'journal', 'sqlite.ts')))
      .filter(
        (f) =>
          /^import (?!type )[^;]*from 'better-sqlite3';/m.test(readFileSync(f, 'utf8')) ||
          /require\('better-sqlite3'\)/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
