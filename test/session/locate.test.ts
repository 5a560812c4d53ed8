/** The one rule for where the database is, and `--site` as a file or a name. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findSiteFile,
  locateDb,
  parseSiteArg,
  refuseLegacyShadow,
  requireExistingDb,
  resumeCommandLine,
} from '../../src/session/locate.js';

describe('database location', () => {
  it('is --db, else $DRBOOK_DB, else drbook.db beside the site file, else drbook.db in the working directory', () => {
    expect(locateDb({ db: 'x.db', env: { DRBOOK_DB: '/e.db' }, cwd: '/w', siteFile: '/s/site.yaml' })).toEqual({
      file: '/w/x.db',
      source: 'flag',
    });
    expect(locateDb({ env: { DRBOOK_DB: '/e.db' }, cwd: '/w', siteFile: '/s/site.yaml' })).toEqual({ file: '/e.db', source: 'env' });
    expect(locateDb({ env: { DRBOOK_DB: '' }, cwd: '/w', siteFile: 'sites/site.yaml' })).toEqual({
      file: '/w/sites/drbook.db',
      source: 'site',
    });
    expect(locateDb({ env: {}, cwd: '/w' })).toEqual({ file: '/w/drbook.db', source: 'cwd' });
  });

  it('for a read-only command: never created, and the error says where it looked and why there', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drbook-locate-'));
    const loc = locateDb({ env: {}, cwd: dir, siteFile: path.join(dir, 'site.yaml') });
    expect(() => requireExistingDb(loc)).toThrow(`no drbook database at ${path.join(dir, 'drbook.db')} (beside the site file)`);
    expect(() => requireExistingDb(locateDb({ env: {}, cwd: dir }))).toThrow(
      /in the working directory: no --db, no \$DRBOOK_DB, no site file/,
    );
    expect(() => requireExistingDb(locateDb({ env: { DRBOOK_DB: 'typo.db' }, cwd: dir }), 'ja')).toThrow(/DRBOOK_DB で指定/);
    expect(existsSync(loc.file)).toBe(false);
  });

  it('refuses to start an empty database while the old default inventory/drbook.db holds one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drbook-locate-'));
    mkdirSync(path.join(dir, 'inventory'));
    writeFileSync(path.join(dir, 'inventory', 'drbook.db'), '');
    const loc = locateDb({ env: {}, cwd: dir, siteFile: path.join(dir, 'site.yaml') });
    expect(() => refuseLegacyShadow(loc, dir)).toThrow(/an older drbook kept one at .*inventory\/drbook.db/);
    expect(() => refuseLegacyShadow(locateDb({ db: 'other.db', env: {}, cwd: dir }), dir)).not.toThrow();
    writeFileSync(loc.file, '');
    expect(() => refuseLegacyShadow(loc, dir)).not.toThrow();
  });
});

describe('--site', () => {
  it('is a file when it names one or looks like a path, else a site name found in the working directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drbook-locate-'));
    writeFileSync(path.join(dir, 'prod.yaml'), 'site: lab\nesxi: {}\n');
    writeFileSync(path.join(dir, 'other.yml'), 'site: other\n');
    writeFileSync(path.join(dir, 'broken.yaml'), ': : :\n');
    expect(parseSiteArg('prod.yaml', dir)).toEqual({ kind: 'file', file: path.join(dir, 'prod.yaml') });
    expect(parseSiteArg('./missing', dir)).toEqual({ kind: 'file', file: path.join(dir, 'missing') });
    expect(parseSiteArg('lab', dir)).toEqual({ kind: 'name', name: 'lab' });
    expect(findSiteFile('lab', dir)).toBe(path.join(dir, 'prod.yaml'));
    expect(() => findSiteFile('nope', dir)).toThrow(`no site file of site nope in ${dir}`);
    writeFileSync(path.join(dir, 'copy.yaml'), 'site: lab\n');
    expect(() => findSiteFile('lab', dir)).toThrow(/several site files in this folder are of site lab/);
  });

  it('the resume command works from anywhere: the site file, and --db only when the database is not beside it', () => {
    expect(resumeCommandLine('R1', '/s/site.yaml', '/s/drbook.db')).toBe('drbook resume R1 --site /s/site.yaml');
    expect(resumeCommandLine('R1', '/s/my site.yaml', '/d/x.db')).toBe("drbook resume R1 --site '/s/my site.yaml' --db /d/x.db");
  });
});
