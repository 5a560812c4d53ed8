import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCapture } from '../../src/inventory/audit.js';
import { captureToCsv, captureToYaml, csvField, exportCapture, exportTimestamp } from '../../src/inventory/export.js';
import type { Capture } from '../../src/inventory/types.js';
import { MIRROR, PRIMARY, capture, listing, vm, volumes } from './synthetic.js';

/** Names an operator may really have, and names an attacker may choose. */
export const HOSTILE = [
  'comma, name',
  'quote "double" name',
  "single 'quote'",
  'new\nline',
  'crlf\r\nname',
  '日本語の仮想マシン',
  '全角　スペース',
  ' leading space',
  'trailing space ',
  '$(touch /tmp/pwned)',
  '`id`; rm -rf / #',
  'tab\there',
  '#hash',
  '- dash',
  ': colon',
  'yes',
  'null',
  '0123',
  '1e3',
  '&anchor *alias',
  '[ds1] bracket',
  'back\\slash',
  '=HYPERLINK("x")',
  '🚀 emoji',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drbook-export-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function hostileCapture(): Capture {
  const vms = HOSTILE.map((name, i) =>
    vm(name, {
      vmid: String(i + 1),
      uuidBios: `42 00 00 ${String(i).padStart(2, '0')}`,
      vmxDir: `dir${i}`,
      vmxFile: `${name}.vmx`,
      annotation: `note for ${name}`,
    }),
  );
  const vols = volumes([['smvi__daily_recent', '2026-11-21T23:00:00.000Z']]);
  const audited = auditCapture({
    vms,
    hosts: [],
    volumes: vols,
    primaryVolume: PRIMARY,
    mirrorVolume: MIRROR,
    // Every other VM has its quiesce point.
    listings: vms.map((v, i) => listing('smvi__daily_recent', v, i % 2 === 0)),
  });
  return capture('20261122-014210-a1b2', '2026-11-22T01:42:10.123Z', audited.vms, { audit: audited.audit, volumes: vols });
}

/** A minimal RFC 4180 reader, written independently of the writer. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
    i++;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('exports', () => {
  it('YAML keeps every hostile name byte for byte and in a stable key order', () => {
    const c = hostileCapture();
    const text = captureToYaml(c);
    expect(
      text.startsWith(
        '# drbook inventory of site lab, capture 20261122-014210-a1b2, taken 2026-11-22T01:42:10.123Z\nid: "20261122-014210-a1b2"\nsite: "lab"\n',
      ),
    ).toBe(true);
    // Exact bytes: every string double-quoted on one line, YAML-1.1 traps quoted.
    for (const line of [
      '  - name: "yes"\n',
      '  - name: "0123"\n',
      '  - name: "crlf\\r\\nname"\n',
      '  - name: "new\\nline"\n',
      '  - name: "quote \\"double\\" name"\n',
      '  - name: "日本語の仮想マシン"\n',
      '  - name: "tab\\there"\n',
      '    vmxPath: "[ds1] dir0/comma, name.vmx"\n',
    ]) {
      expect(text, JSON.stringify(line)).toContain(line);
    }
    const back = parse(text) as Capture;
    expect(back.vms.map((v) => v.name).sort()).toEqual([...HOSTILE].sort());
    for (const v of back.vms) {
      const orig = c.vms.find((o) => o.name === v.name);
      expect(v).toEqual({ ...orig });
      expect(Object.keys(v)).toEqual([
        'name',
        'vmid',
        'host',
        'datastore',
        'vmxDir',
        'vmxFile',
        'vmxPath',
        'guestOs',
        'power',
        'uuidBios',
        'uuidLocation',
        'annotation',
        'volume',
        'isVcenter',
        'job',
      ]);
    }
    expect(back.audit).toEqual(c.audit);
    expect(back.volumes).toEqual(c.volumes);
    expect(back.hosts).toEqual(c.hosts);
    // Same capture, same bytes; the VM order does not depend on the capture's order.
    expect(captureToYaml({ ...c, vms: [...c.vms].reverse() })).toBe(text);
  });

  it('CSV is RFC 4180 with a BOM, one row per VM, exact bytes for hostile names', () => {
    const c = hostileCapture();
    const text = captureToCsv(c);
    expect(text.startsWith('\uFEFFname,host,datastore,vmx path,power,guest OS,uuid.bios,job,quiesced in newest backup\r\n')).toBe(true);
    const rows = readCsv(text.slice(1));
    expect(rows).toHaveLength(HOSTILE.length + 1);
    for (const r of rows) expect(r).toHaveLength(9);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    // A name a spreadsheet would evaluate is written with a leading ' (OWASP); the YAML keeps it exact.
    const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    HOSTILE.forEach((name, i) => {
      const r = byName.get(cell(name));
      expect(r, JSON.stringify(name)).toEqual([
        cell(name),
        'esx1',
        'ds1',
        `[ds1] dir${i}/${name}.vmx`,
        'on',
        'rhel9_64Guest',
        `42 00 00 ${String(i).padStart(2, '0')}`,
        i % 2 === 0 ? 'daily' : '',
        i % 2 === 0 ? 'yes' : 'no',
      ]);
    });
    // Exact encodings of the tricky fields.
    expect(csvField('comma, name')).toBe('"comma, name"');
    expect(csvField('quote "double" name')).toBe('"quote ""double"" name"');
    expect(csvField('new\nline')).toBe('"new\nline"');
    expect(csvField(' leading space')).toBe('" leading space"');
    expect(csvField('日本語の仮想マシン')).toBe('日本語の仮想マシン');
    // OWASP CSV injection: a cell a spreadsheet would evaluate starts with ' and is quoted.
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+1')).toBe('"\'+1"');
    expect(csvField('-web')).toBe('"\'-web"');
    expect(csvField('@SUM(A1)')).toBe('"\'@SUM(A1)"');
    expect(csvField('\tcmd')).toBe('"\'\tcmd"');
    expect(csvField('\rcmd')).toBe('"\'\rcmd"');
    expect(csvField('web-01=a')).toBe('web-01=a');
    expect(Buffer.from(text, 'utf8').includes(Buffer.from('日本語の仮想マシン', 'utf8'))).toBe(true);
  });

  it('writes <timestamp>.yaml/.csv and latest.* with mode 0600', () => {
    const c = hostileCapture();
    const out = path.join(dir, 'inventory', 'lab');
    const files = exportCapture(c, out);
    expect(files).toEqual({
      yaml: path.join(out, '20261122T014210Z.yaml'),
      latestYaml: path.join(out, 'latest.yaml'),
      csv: path.join(out, '20261122T014210Z.csv'),
      latestCsv: path.join(out, 'latest.csv'),
    });
    expect(readdirSync(out).sort()).toEqual(['20261122T014210Z.csv', '20261122T014210Z.yaml', 'latest.csv', 'latest.yaml']);
    for (const f of Object.values(files)) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(files.yaml, 'utf8')).toBe(captureToYaml(c));
    expect(readFileSync(files.latestYaml!)).toEqual(readFileSync(files.yaml));
    expect(readFileSync(files.csv, 'utf8')).toBe(captureToCsv(c));
    expect(readFileSync(files.latestCsv!)).toEqual(readFileSync(files.csv));
    expect(exportTimestamp('2026-01-02T03:04:05Z')).toBe('20260102T030405Z');
  });
});
