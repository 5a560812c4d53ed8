/**
 * drbook in Japanese against the lab: a failover in plain mode speaks Japanese (step lines,
 * confirmations, the vCenter checklist, the closing lines), its report has Japanese headings, and
 * the tables of inventory show and check stay aligned with Japanese and emoji VM names, measured
 * in terminal cells (string-width), not in UTF-16 code units.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.js';
import { cliEnv, runCli } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, cloneTemplate, prepareTemplate, startCase, tempDir } from '../helpers/lab-fixture.js';

const JA = cliEnv({ LANG: 'ja_JP.UTF-8' });

let root: string;
let dir: string;
let lab: Lab;
let db: string;

beforeAll(async () => {
  root = tempDir('drbook-i18n-');
  await prepareTemplate(path.join(root, 'template'), { hosts: 3, vms: 24, seed: 5, names: 'hostile' });
  dir = cloneTemplate(path.join(root, 'template'), path.join(root, 'case'));
  lab = await startCase(dir);
  db = path.join(dir, 'drbook.db');
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The display column where `needle` starts on `line` (terminal cells), or -1. */
function columnOf(line: string, needle: RegExp): number {
  const m = needle.exec(line);
  return m ? stringWidth(line.slice(0, m.index)) : -1;
}

describe('Japanese against the lab', () => {
  it('inventory show: Japanese headings, and every column starts at the same cell on every row', async () => {
    const r = await runCli(['inventory', 'show', '--db', db], { env: JA });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('名前'));
    expect(head).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > head && /^VM \d+台$/.test(l));
    const table = lines.slice(head, end);
    expect(table).toHaveLength(25);
    expect(table.some((l) => l.startsWith('日本語の仮想マシン'))).toBe(true);
    expect(table.some((l) => l.startsWith('emoji 🚀 vm'))).toBe(true);
    // The host column (ホスト / esxNN) and the path column (VMX パス / [ds_…]) line up in cells.
    const hosts = table.map((l, i) => columnOf(l, i === 0 ? /ホスト/ : / {2}esx\d\d {2}/) + (i === 0 ? 0 : 2));
    const paths = table.map((l, i) => columnOf(l, i === 0 ? /VMX パス/ : /\[ds_/));
    expect(new Set(hosts).size, table.join('\n')).toBe(1);
    expect(new Set(paths).size, table.join('\n')).toBe(1);
    // A Japanese name is wider in cells than in characters: padEnd would have put it off by 9.
    const jaRow = table.find((l) => l.startsWith('日本語の仮想マシン'))!;
    expect(jaRow.indexOf('esx')).toBeLessThan(hosts[0]!);
    expect(r.stdout).toContain('指摘 (');
  });

  it('check: Japanese marks and messages, subjects aligned in cells', async () => {
    const r = await runCli(['check', '--site', lab.siteFile, '--db', db], { env: JA });
    // This lab is after the disaster: check says it is the failover situation (exit 1).
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // The table, then a blank line, the site's state and the verdict.
    const [table, tail] = r.stdout.trimEnd().split('\n\n');
    const lines = table!.split('\n');
    expect(tail).toMatch(/^サイト lab: プライマリ喪失 — プライマリ ボリューム svm1:vm_vol1 は offline です。/);
    expect(tail).toMatch(/\n判定: プライマリ喪失 — フェイルオーバーが必要な状況です: drbook failover --site /);
    expect(r.stdout).toMatch(/^OK {4}esx01 +到達可能、ホストキーは登録どおり、ロックダウン /m);
    const subjects = lines.map((l) => columnOf(l, /(esx\d\d|cluster1|job1|capture)/));
    expect(new Set(subjects).size).toBe(1);
    const messages = lines.map(
      (l) => columnOf(l, /(esx\d\d|cluster1|job1|capture) +/) + (/(esx\d\d|cluster1|job1|capture) +/.exec(l)?.[0].length ?? 0),
    );
    expect(new Set(messages).size, r.stdout).toBe(1);
  });

  it('failover --plain under LANG=ja_JP.UTF-8: step lines, confirmations, checklist and the end in Japanese; the report too', async () => {
    const r = await runCli(['failover', '--site', lab.siteFile, '--db', db, '--plain', '--confirm', MIRROR_PATH, '--ack-manual'], {
      env: JA,
      timeoutMs: 240_000,
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^\d\d:\d\d:\d\d 実行 \S+: vsc-snapmirror-failover、サイト lab$/m);
    expect(out).toContain(' ステップ SnapMirror 関係の解除\n');
    expect(out).toContain(` ? ${MIRROR_PATH} への SnapMirror 関係を解除します\n`);
    expect(out).toContain(`     解除するには宛先のパス ${MIRROR_PATH} を入力してください。\n`);
    expect(out).toContain(`     入力: ${MIRROR_PATH}\n`);
    expect(out).toMatch(/ \? svm2:vm_vol1_mirror を smvi__\S+ へ SnapRestore します\n/);
    expect(out).toMatch(/ \? vCenter vcenter\d+ を Windows Server バックアップから復元してください\n/);
    expect(out).toMatch(/ {5}\[ \] Windows Server の回復メディアから起動し/);
    expect(out).toContain('  日本語の仮想マシン (esx');
    expect(out).toMatch(/ステップ 全VMの検証: 完了 \(1\/1、/);
    expect(out).toMatch(/^drbook: 実行 \S+ は完了しました。$/m);
    // The device's own words and the commands stay as the device and drbook say them.
    expect(out).not.toMatch(/^\d\d:\d\d:\d\d step /m);

    const runId = /実行 (\S+) は完了しました/.exec(out)![1]!;
    const md = readFileSync(path.join(dir, 'reports', `failover-${runId}.md`), 'utf8');
    for (const h of ['# drbook 実行', '## 事前確認時の状況', '## 各 VM の復旧ポイント', '## ステップ', '## 確認', '## 対象', '## コマンド'])
      expect(md).toContain(h);
    expect(md).toContain('| SnapMirror 関係の解除 | 完了 |');
    expect(md).toContain('| 日本語の仮想マシン | smvi__');

    // drbook report: the language asked for, whatever the run's was; JSON stays data.
    const en = await runCli(['report', runId, '--db', db, '--lang', 'en'], { env: JA });
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('## Steps');
    expect(en.stdout).toContain('| Break the SnapMirror relationship');
    const html = await runCli(['report', runId, '--db', db, '--format', 'html'], { env: JA });
    expect(html.stdout).toContain('<html lang="ja">');
    expect(html.stdout).toContain('<h2>ステップ</h2>');

    const runs = await runCli(['runs', '--db', db], { env: JA });
    expect(runs.stdout).toMatch(new RegExp(`^${runId} {2}フェイルオーバー +完了 +lab `, 'm'));
  }, 300_000);

  it('a bad --lang is bad usage with one line saying what to pass', async () => {
    const r = await runCli(['inventory', 'show', '--db', db, '--lang', 'fr'], { env: JA });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use --lang en or --lang ja');
  });
});
