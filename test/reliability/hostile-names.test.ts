/**
 * Issue 11 §3: hostile display names (quotes, $(…), backticks, ; | &, *, a leading -, 80+
 * characters, Japanese, emoji, trailing spaces, a backslash) are captured, registered and
 * reported byte for byte, and the lab's command log shows each one arrived as ONE argument.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabStatus } from '../../src/lab/lab.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import {
  MIRROR_PATH,
  actionsSince,
  appliedTwice,
  cloneTemplate,
  prepareTemplate,
  startCase,
  tempDir,
  type Template,
} from '../helpers/lab-fixture.js';

let root: string;
let template: Template;
let names: string[];
let after: LabStatus;
let failover: { code: number | null; stdout: string; stderr: string };
let reportJson: unknown;
let log: { host: string; line: string; argv: string[]; commands: string[][] }[];

/** RFC 4180, enough for drbook's export: quoted fields with doubled quotes, CRLF rows, a BOM. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Every string anywhere in a JSON value. */
function stringsIn(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => stringsIn(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => stringsIn(x, out));
  return out;
}

beforeAll(async () => {
  root = tempDir('drbook-hostile-');
  template = await prepareTemplate(path.join(root, 'template'), { hosts: 3, vms: 24, seed: 11, names: 'hostile' });
  names = [...new Set(template.before.vms.map((v) => v.name))];
  const dir = cloneTemplate(template.dir, path.join(root, 'run'));
  const lab = await startCase(dir);
  try {
    const db = path.join(dir, 'drbook.db');
    failover = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'], {
      env: cliEnv(),
      timeoutMs: 120_000,
    });
    after = lab.status();
    const runId = /run (\S+) done/.exec(failover.stdout)?.[1];
    if (runId) {
      const r = await runCli(['report', runId, '--db', db, '--format', 'json'], { env: cliEnv() });
      reportJson = JSON.parse(r.stdout);
    }
    log = readFileSync(path.join(dir, 'commands.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as (typeof log)[number]);
  } finally {
    await lab.stop();
  }
}, 240_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('hostile VM names', () => {
  it('the lab has every kind of hostile name', () => {
    for (const n of [
      `it's "quoted"`,
      '$(reboot)',
      '`id` backtick',
      'a;b|c&d',
      'star*glob',
      '-leading-dash',
      '日本語の仮想マシン',
      'emoji 🚀 vm',
      'trailing spaces  ',
      'back\\slash',
    ]) {
      expect(names).toContain(n);
    }
    expect(names.some((n) => n.length > 80)).toBe(true);
  });

  it('are captured byte for byte: the YAML and CSV exports hold exactly the lab names', () => {
    const yaml = parse(readFileSync(path.join(template.dir, 'lab', 'latest.yaml'), 'utf8')) as { vms: { name: string }[] };
    expect(yaml.vms.map((v) => v.name).sort()).toEqual([...template.before.vms.map((v) => v.name)].sort());
    const csv = parseCsv(readFileSync(path.join(template.dir, 'lab', 'latest.csv'), 'utf8'));
    expect(csv[0]![0]).toBe('name');
    // A name a spreadsheet would evaluate (`-leading-dash`) starts with ' in the CSV (OWASP).
    const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    expect(
      csv
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...template.before.vms.map((v) => cell(v.name))].sort());
    expect(csv.slice(1).map((r) => r[0])).toContain("'-leading-dash");
  });

  it('are registered from the mirror under exactly their recorded names, each at its quiesce point', () => {
    expect(failover.code, failover.stderr).toBe(0);
    const live = after.vms.filter((v) => !v.stale);
    expect(live.map((v) => v.name).sort()).toEqual([...template.before.vms.map((v) => v.name)].sort());
    for (const v of live) {
      expect(v.datastore, v.name).toBe('ds_vm1_mirror');
      expect(v.power, v.name).toBe('on');
      const q = template.quiesced[v.name];
      if (q != null) expect(v.bootMarker, v.name).toBe(q);
    }
    expect(appliedTwice(actionsSince(template.before, after))).toEqual([]);
  });

  it('are reported byte for byte (report JSON)', () => {
    const strings = stringsIn(reportJson);
    for (const n of names) expect(strings.has(n), JSON.stringify(n)).toBe(true);
  });

  it('reach the host as ONE argument each: the lab command log shows no injection', () => {
    const registers = log.filter((e) => e.commands.some((c) => c[1] === 'solo/registervm'));
    expect(registers.length).toBeGreaterThanOrEqual(names.length);
    const registered: string[][] = [];
    for (const e of registers) {
      // The host's guard (`test -e` of the .vmx), the registervm, then only what drbook joins after
      // them: its markers and the inventory read its verify uses (src/transport/batch.ts,
      // ExecOptions.readsAfter).
      const [guard, register, ...rest] = e.commands.filter((c) => !(c[0] === 'printf' && c.some((a) => a.startsWith('@drbook-read-end-'))));
      expect(guard, e.line).toEqual(e.argv);
      expect(register, e.line).toHaveLength(4);
      expect(guard, e.line).toEqual(['test', '-e', register![2]]);
      expect(rest, e.line).toEqual(rest.length ? [['vim-cmd', 'vmsvc/getallvms']] : []);
      registered.push(register!);
    }
    const registeredNames = registered.map((c) => c[3]!);
    for (const n of names) expect(registeredNames, JSON.stringify(n)).toContain(n);
    // Nothing the names spell was ever run as a command of its own.
    const programs = new Set(log.flatMap((e) => e.commands.map((c) => c[0])));
    for (const p of ['reboot', 'id', 'b', 'c', 'd', 'backtick']) expect(programs.has(p), p).toBe(false);
    // And no argument anywhere is a fragment of a split name.
    const args = new Set(log.flatMap((e) => e.commands.flat()));
    for (const frag of ['spaces', '"quoted"', "it's", 'emoji', '🚀', 'backtick', 'a;b']) expect(args.has(frag), frag).toBe(false);
  });
});
