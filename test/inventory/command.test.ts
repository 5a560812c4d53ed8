import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/text/control.js';
import { formatTable } from '../../src/text/table.js';
import { auditCapture } from '../../src/inventory/audit.js';
import { CaptureStore } from '../../src/inventory/store.js';
import { openDatabase } from '../../src/journal/db.js';
import { MIRROR, PRIMARY, capture, listing, vm, volumes } from './synthetic.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
let dbFile: string;

function drbook(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, DRBOOK_DB: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drbook-inv-cmd-'));
  // No site file given: the database is drbook.db in the working directory (src/session/locate.ts).
  dbFile = path.join(dir, 'drbook.db');
  const db = openDatabase(dbFile);
  const store = new CaptureStore(db);
  const vols = volumes([['smvi__daily_recent', '2026-11-21T23:00:00.000Z']]);
  const make = (id: string, at: string, names: Array<[string, string]>): void => {
    const vms = names.map(([name, uuid], i) => vm(name, { vmid: String(i + 1), uuidBios: uuid, vmxDir: uuid, vmxFile: `${uuid}.vmx` }));
    const a = auditCapture({
      vms,
      hosts: [],
      volumes: vols,
      primaryVolume: PRIMARY,
      mirrorVolume: MIRROR,
      listings: vms.map((v) => listing('smvi__daily_recent', v, true)),
    });
    store.save(capture(id, at, a.vms, { audit: a.audit, volumes: vols }));
  };
  make('20261120-010000-aaaa', '2026-11-20T01:00:00.000Z', [
    ['web', 'u1'],
    ['データベース', 'u2'],
  ]);
  make('20261121-010000-bbbb', '2026-11-21T01:00:00.000Z', [
    ['web-renamed', 'u1'],
    ['データベース', 'u2'],
    ['new, "vm"', 'u3'],
  ]);
  db.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('drbook inventory', () => {
  it('list shows the captures newest first', () => {
    const r = drbook('inventory', 'list');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'ID                    SITE  TAKEN                     VMS  FINDINGS',
      '20261121-010000-bbbb  lab   2026-11-21T01:00:00.000Z  3    3',
      '20261120-010000-aaaa  lab   2026-11-20T01:00:00.000Z  2    2',
    ]);
  });

  it('show prints the latest capture of the only site, names aligned by display width', () => {
    const r = drbook('inventory', 'show');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('capture 20261121-010000-bbbb of site lab');
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('NAME'));
    const jp = lines.find((l) => l.startsWith('データベース'));
    expect(header && jp).toBeTruthy();
    // HOST starts in the same terminal column on both lines.
    const col = (line: string, text: string): number => stringWidth(line.slice(0, line.indexOf(text)));
    expect(col(jp as string, 'esx1')).toBe(col(header as string, 'HOST'));
    expect(r.stdout).toContain('new, "vm"');
    expect(r.stdout).toContain('vmx-name-mismatch');
  });

  it('show --json prints the capture; an unknown id is one line with what to do', () => {
    const r = drbook('inventory', 'show', '20261120', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).vms.map((v: { name: string }) => v.name)).toEqual(['web', 'データベース']);
    const bad = drbook('inventory', 'show', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('drbook: no capture nope in the database — `drbook inventory list` shows the captures\n');
  });

  it('diff defaults to the two latest captures and shows the rename and the addition', () => {
    const r = drbook('inventory', 'diff');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from capture 20261120-010000-aaaa (2026-11-20T01:00:00.000Z) to 20261121-010000-bbbb');
    expect(r.stdout).toMatch(/^renamed +web → web-renamed +esx1 +\[ds1\] u1\/u1\.vmx$/m);
    expect(r.stdout).toMatch(/^added +new, "vm" +esx1/m);
    const j = JSON.parse(drbook('inventory', 'diff', '--json').stdout);
    expect(j.renamed.map((x: { from: string; to: string }) => [x.from, x.to])).toEqual([['web', 'web-renamed']]);
  });

  it('export writes the four files with mode 0600 under <site>/ beside the database', () => {
    const r = drbook('inventory', 'export');
    expect(r.code).toBe(0);
    const out = path.join(dir, 'lab');
    expect(readdirSync(out).sort()).toEqual(['20261121T010000Z.csv', '20261121T010000Z.yaml', 'latest.csv', 'latest.yaml']);
    for (const f of readdirSync(out)) expect(statSync(path.join(out, f)).mode & 0o777).toBe(0o600);
    const other = drbook('inventory', 'export', '20261120-010000-aaaa', '--out', 'print');
    expect(other.code).toBe(0);
    expect(readdirSync(path.join(dir, 'print')).sort()).toEqual([
      '20261120T010000Z.csv',
      '20261120T010000Z.yaml',
      'latest.csv',
      'latest.yaml',
    ]);
  });

  it('a missing database or a newer schema is refused with one line', () => {
    const r = drbook('inventory', 'show', '--db', 'none.db');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no drbook database at ${path.join(dir, 'none.db')}`);
  });
});

describe('table helpers', () => {
  it('escapes control characters and pads by display width', () => {
    expect(escapeControl('a\nb\tc\u0007')).toBe('a\\nb\\tc\\x07');
    const t = formatTable(
      ['N', 'X'],
      [
        ['日本', '1'],
        ['ab', '2'],
        ['new\nline', '3'],
      ],
    );
    expect(t.split('\n')).toEqual(['N          X', '日本       1', 'ab         2', 'new\\nline  3']);
  });
});
