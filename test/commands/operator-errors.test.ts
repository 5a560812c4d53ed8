/**
 * Issue 21, items 4, 5 and 10 (errors): a misspelt priority-group VM, site-file mistakes and
 * argument mistakes, as an operator meets them through the real CLI, in English and Japanese.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, ROOT, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, cloneTemplate, patchSite, prepareTemplate, startCase, tempDir, type Template } from '../helpers/lab-fixture.js';

const JA = cliEnv({ LANG: 'ja_JP.UTF-8' });

/** stderr is exactly one line, in drbook's one style. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^drbook: /);
  return lines[0]!;
}

describe('site-file mistakes', () => {
  let dir: string;
  const example = readFileSync(path.join(ROOT, 'inventory/site.example.yaml'), 'utf8');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  beforeAll(() => {
    dir = tempDir('drbook-site-errors-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a misspelt key: its own line, named, with the closest known key, in English and Japanese', async () => {
    const text = example.replace(/^relationship:/m, 'relationshp:');
    const f = write('misspelt.yaml', text);
    const r = await runCli(['check', '--site', f]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(
      `drbook: ${f}:${lineOf(text, 'relationshp:')}: site field relationshp: unknown key — did you mean relationship?`,
    );
    const ja = await runCli(['check', '--site', f], { env: JA });
    expect(ja.code).toBe(2);
    expect(oneLine(ja.stderr)).toContain(
      `${f}:${lineOf(text, 'relationshp:')}: サイトファイルの項目 relationshp: 不明なキーです — relationship の誤りではありませんか?`,
    );
  });

  it('a misplaced vCenter: names the key and its line, not the top of the file', async () => {
    const text = example.replace(/^vcenter:/m, 'vCenter:');
    const f = write('vcenter.yaml', text);
    const r = await runCli(['check', '--site', f]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`drbook: ${f}:${lineOf(text, 'vCenter:')}: site field vCenter: unknown key — did you mean vcenter?`);
  });

  it('a value outside its list: the allowed values are listed', async () => {
    const text = example.replace(/^(\s+)method: agent$/m, '$1method: keys');
    const f = write('method.yaml', text);
    const r = await runCli(['check', '--site', f]);
    expect(r.code).toBe(2);
    const line = text.split('\n').findIndex((l) => /^\s+method: keys$/.test(l)) + 1;
    expect(oneLine(r.stderr)).toMatch(
      new RegExp(
        `^drbook: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: site field esxi\\.auth\\.method: "keys" is not one of: agent, key, password — `,
      ),
    );
    const ja = await runCli(['check', '--site', f], { env: JA });
    expect(oneLine(ja.stderr)).toContain('次のいずれかにしてください: agent, key, password');
  });

  it('an unknown key with nothing close lists the keys that belong there', async () => {
    const text = example.replace(/^jobs:/m, 'zzzzzz: 1\njobs:');
    const f = write('far.yaml', text);
    const r = await runCli(['check', '--site', f]);
    expect(oneLine(r.stderr)).toMatch(
      /site field zzzzzz: unknown key — the keys here are: site, esxi, ontap, relationship, datastores, jobs, vcenter, priorityGroups/,
    );
  });
});

describe('argument mistakes', () => {
  it('one prefix, a suggestion, and Japanese under LANG=ja', async () => {
    const r = await runCli(['chek']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('drbook: unknown command chek — did you mean check?');
    const ja = await runCli(['check'], { env: JA });
    expect(ja.code).toBe(2);
    expect(oneLine(ja.stderr)).toBe('drbook: オプション --site <file|name> が必要です');
    const many = await runCli(['parse', 'a', 'b', 'c'], { env: JA });
    expect(oneLine(many.stderr)).toBe('drbook: parse の引数が多すぎます: 2個のところ3個あります');
  });
});

describe('a priority group naming a VM that is not in the capture', () => {
  let root: string;
  let template: Template;
  beforeAll(async () => {
    root = tempDir('drbook-priority-');
    template = await prepareTemplate(path.join(root, 'template'), { hosts: 2, vms: 4, seed: 5 });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('check fails naming it and the closest VM, plan warns, the failover stops unless acknowledged', async () => {
    const dir = cloneTemplate(template.dir, path.join(root, 'case'));
    const lab = await startCase(dir);
    try {
      const real = lab.status().vms[0]!.name;
      const typo = real.slice(0, -1) + (real.endsWith('x') ? 'y' : 'x');
      patchSite(lab.siteFile, (s) => {
        s['timeouts'] = { connectSeconds: 10, commandSeconds: 60, killVerifySeconds: 1, heartbeatSeconds: 60 };
        s['priorityGroups'] = [
          { name: 'first', vms: [typo] },
          { name: 'rest', vms: ['*'] },
        ];
      });
      const db = path.join(dir, 'drbook.db');
      const check = await runCli(['check', '--site', lab.siteFile, '--db', db], { timeoutMs: 60_000 });
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(
        new RegExp(
          `FAIL\\s+priorityGroups\\s+priority group first names ${typo}, which is no VM of the capture \\(did you mean ${real}\\?\\)`,
        ),
      );

      const plan = await runCli(['plan', '--site', lab.siteFile, '--db', db, '--format', 'md'], { timeoutMs: 60_000 });
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain(`priority group first names ${typo}, which is no VM of the capture (did you mean ${real}?)`);

      const stopped = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'], {
        timeoutMs: 120_000,
      });
      expect(stopped.code).not.toBe(0);
      expect(stopped.stderr + stopped.stdout).toContain('--ack-unknown-priority');
      expect(lab.status().mirror.state).toBe(template.before.mirror.state);

      const acked = await runCli(
        ['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual', '--ack-unknown-priority'],
        { timeoutMs: 180_000 },
      );
      expect(acked.stdout).toContain(typo);
      expect(acked.stdout).not.toContain('stopped: a priority group names');
      expect(lab.status().mirror.state).toBe('Broken-off');
    } finally {
      await lab.stop();
    }
  }, 300_000);
});
