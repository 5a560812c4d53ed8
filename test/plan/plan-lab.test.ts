import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esxiCommands } from '../../src/adapters/esxi/commands.js';
import { EsxiOps } from '../../src/adapters/esxi/ops.js';
import { ontapCommands } from '../../src/adapters/ontap/commands.js';
import { OntapOps } from '../../src/adapters/ontap/ops.js';
import { runCapture } from '../../src/commands/capture.js';
import { createRedactor } from '../../src/transport/redact.js';
import type { CommandContext } from '../../src/commands/context.js';
import { runPlan } from '../../src/commands/plan.js';
import { drillNames } from '../../src/drill/context.js';
import { primaryVmsOf } from '../../src/failover/context.js';
import { vmfsPath } from '../../src/failover/paths.js';
import { CaptureStore } from '../../src/inventory/store.js';
import type { Capture } from '../../src/inventory/types.js';
import { openDatabase } from '../../src/journal/db.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import type { PlanDocument } from '../../src/plan/model.js';
import { escapeHtml } from '../../src/text/html.js';
import { loadSite, type Site } from '../../src/runbook/site.js';
import { RUN } from '../../src/steps/drill/plan-context.js';
import type { CommandResult, Endpoint, RemoteHost } from '../../src/transport/types.js';

/** `drbook plan` of a lab site with hostile VM names: every VM's exact register line and name. */

function context(cwd: string, env: NodeJS.ProcessEnv = {}): { ctx: CommandContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString('utf8'));
        cb();
      },
    });
  const ctx = {
    stdout: sink((s) => (out += s)) as unknown as NodeJS.WriteStream,
    stderr: sink((s) => (err += s)) as unknown as NodeJS.WriteStream,
    stdin: process.stdin,
    env: { HOME: cwd, ...env },
    cwd,
    interactive: false,
    redactor: createRedactor(),
    signal: new AbortController().signal,
  } satisfies CommandContext;
  return { ctx, out: () => out, err: () => err };
}

/** A RemoteHost that records the lines it is given and answers like a host that prints the vmid. */
function recordingHost(name: string, stdout: string): { host: RemoteHost; lines: string[] } {
  const lines: string[] = [];
  const endpoint: Endpoint = { name, kind: 'esxi', address: '127.0.0.1', port: 22, user: 'root', auth: { method: 'agent' } };
  return {
    lines,
    host: {
      endpoint,
      async exec(commandLine: string): Promise<CommandResult> {
        lines.push(commandLine);
        return {
          host: name,
          command: commandLine,
          exitCode: 0,
          signal: null,
          stdout,
          stderr: '',
          startedAt: 0,
          durationMs: 0,
          truncated: false,
        };
      },
    },
  };
}

const NOW = new Date('2030-01-01T00:00:00Z');

/** The HTML without its print aids: line-break hints in commands, blanks at a name's edges shown as ␣. */
function unmark(html: string): string {
  return html
    .replace(/<wbr>/g, '')
    .replace(/<span class="(?:nb|sp)">([^<]*)<\/span>/g, '$1')
    .replace(/<span class="ws" title="space">(␣+)<\/span>/g, (_m, s: string) => ' '.repeat(s.length));
}

describe('drbook plan on a lab site with hostile names', () => {
  let dir: string;
  let lab: Lab;
  let site: Site;
  let capture: Capture;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-plan-lab-'));
    lab = await startLab({ dir: path.join(dir, 'lab'), hosts: 3, vms: 26, seed: 7, names: 'hostile' });
    await lab.backup();
    const { ctx, out } = context(dir);
    const code = await runCapture(ctx, { site: lab.siteFile, json: true, export: false });
    expect([0, 3], out()).toContain(code);
    const id = (JSON.parse(out()) as { id: string }).id;
    const db = openDatabase(path.join(dir, 'lab', 'drbook.db'), { readonly: true });
    capture = new CaptureStore(db).get(id)!;
    db.close();
    site = loadSite(lab.siteFile);
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function plan(format: 'md' | 'html' | 'json', lang: 'en' | 'ja'): Promise<string> {
    const { ctx, out, err } = context(dir);
    const code = await runPlan(ctx, { site: lab.siteFile, format, lang, now: NOW });
    expect(code, err()).toBe(0);
    return out();
  }

  it('holds, for every VM, the register line EsxiOps sends and its recorded name byte for byte', async () => {
    const hostile = capture.vms.filter((v) => /[^A-Za-z0-9_.-]/.test(v.name));
    expect(hostile.length).toBeGreaterThanOrEqual(9);
    for (const n of [
      `it's "quoted"`,
      '$(reboot)',
      '`id` backtick',
      'a;b|c&d',
      '日本語の仮想マシン',
      'trailing spaces  ',
      'back\\slash',
      '-leading-dash',
    ]) {
      expect(capture.vms.map((v) => v.name)).toContain(n);
    }
    const doc = JSON.parse(await plan('json', 'en')) as PlanDocument;
    const md = await plan('md', 'en');
    const html = unmark(await plan('html', 'en'));
    const steps = doc.sections.flatMap((s) => s.steps);
    for (const vm of capture.vms) {
      // What EsxiOps really sends, recorded at the transport.
      const rec = recordingHost(vm.host, '222\n');
      const mirrorVmx = vmfsPath(site.datastores.mirror.name, vm.vmxDir, vm.vmxFile);
      await new EsxiOps(rec.host).registerIfPresent(mirrorVmx, vm.name);
      expect(rec.lines).toEqual([esxiCommands.registerIfPresent(mirrorVmx, vm.name)]);
      const sent = rec.lines[0]!;

      const registerSteps = steps.filter((s) => s.vm === vm.name && s.commands.some((c) => c.line === sent && c.target === vm.host));
      expect(registerSteps, vm.name).toHaveLength(1);
      expect(
        doc.vms.filter((r) => r.name === vm.name && r.host === vm.host && r.vmxPath === vm.vmxPath && r.vmid === vm.vmid),
      ).toHaveLength(1);
      expect(md, vm.name).toContain(`\n${sent}\n`);
      expect(html, vm.name).toContain(`<pre class="cmd">${escapeHtml(sent)}</pre>`);
      expect(html, vm.name).toContain(`<td class="name">${escapeHtml(vm.name)}`);
      // Fenced and unregistered by its recorded vmid on its recorded host.
      const unregister = esxiCommands.unregister(Number(vm.vmid));
      expect(
        steps.some((s) => s.host === vm.host && s.vm === vm.name && s.commands.some((c) => c.line === unregister)),
        `${vm.name} ${unregister}`,
      ).toBe(true);
    }
  });

  it('prints the ONTAP lines OntapOps sends, with the typed confirmations', async () => {
    const doc = JSON.parse(await plan('json', 'en')) as PlanDocument;
    const lines = doc.sections.flatMap((s) => s.steps.flatMap((st) => st.commands.map((c) => c.line)));
    const dest = site.relationship.destination;
    const rec = recordingHost(site.endpoints.ontap.name, '');
    const ops = new OntapOps(rec.host);
    await ops.quiesce(dest);
    await ops.break(dest);
    const [vserver, volume] = dest.split(':') as [string, string];
    await ops.restoreVolume(vserver, volume, doc.snapshot.name);
    expect(rec.lines).toEqual([
      ontapCommands.quiesce(dest),
      ontapCommands.break(dest),
      ontapCommands.restoreVolume(vserver, volume, doc.snapshot.name),
    ]);
    for (const l of rec.lines) expect(lines).toContain(l);
    expect(rec.lines[1]).toBe(`set -confirmations off; rows 0; snapmirror break -destination-path ${dest}`);
    const confirms = doc.sections.flatMap((s) => s.steps.filter((st) => st.confirm)).map((st) => [st.id, st.confirm!.type]);
    expect(confirms).toEqual([
      ['break:confirm', dest],
      ['snaprestore:confirm', dest],
    ]);
    expect(doc.snapshot.name).toMatch(/^smvi__.+_recent$/);
    // Hosts in lockdown at capture time are said to be so.
    const locked = capture.hosts.filter((h) => h.lockdown).map((h) => h.name);
    expect(locked.length).toBeGreaterThan(0);
    for (const h of locked) {
      const st = doc.sections.find((s) => s.id === 'lockdown-exit')!.steps.find((x) => x.host === h)!;
      expect(st.text.join(' ')).toContain('was in lockdown mode');
    }
  });

  it('writes every format in both languages; all text of the Japanese document comes from the catalogue', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const md = await plan('md', lang);
      const html = await plan('html', lang);
      const json = JSON.parse(await plan('json', lang)) as PlanDocument;
      expect(json.lang).toBe(lang);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(md).toContain(`# ${lang === 'ja' ? 'サイト lab のフェイルオーバー手順書' : 'Failover procedure for site lab'}`);
      expect(json.header.map((h) => h.label)).toContain(lang === 'ja' ? 'キャプチャ' : 'Capture');
      // The capture is old (NOW is in 2030): the warning is on the first page.
      expect(json.warnings[0]).toContain(lang === 'ja' ? 'キャプチャは' : 'The capture is');
      expect(json.header.find((h) => h.label === (lang === 'ja' ? 'drbook バージョン' : 'drbook version'))?.value).toMatch(
        /^\d+\.\d+\.\d+/,
      );
    }
    // Headings differ between the languages; commands do not.
    const en = JSON.parse(await plan('json', 'en')) as PlanDocument;
    const ja = JSON.parse(await plan('json', 'ja')) as PlanDocument;
    expect(ja.sections.map((s) => s.title)).not.toEqual(en.sections.map((s) => s.title));
    const cmds = (d: PlanDocument) => d.sections.flatMap((s) => s.steps.flatMap((st) => st.commands.map((c) => c.line)));
    expect(cmds(ja)).toEqual(cmds(en));
    for (const s of ja.sections) {
      // Japanese section titles: no English sentence left in them.
      expect(s.title, s.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });

  it('--procedure drill|drill-cleanup: every format in both languages; each drill VM registered from the clone under its recorded name and [drill]', async () => {
    const titles = {
      drill: { en: 'Drill procedure for site lab', ja: 'サイト lab の訓練手順書' },
      'drill-cleanup': { en: 'Drill cleanup procedure for site lab', ja: 'サイト lab の訓練後片付け手順書' },
    };
    for (const procedure of ['drill', 'drill-cleanup'] as const) {
      for (const lang of ['en', 'ja'] as const) {
        const write = async (format: 'md' | 'html' | 'json'): Promise<string> => {
          const { ctx, out, err } = context(dir);
          expect(await runPlan(ctx, { site: lab.siteFile, format, lang, procedure, now: NOW }), err()).toBe(0);
          return out();
        };
        const json = JSON.parse(await write('json')) as PlanDocument;
        expect(json.procedure).toBe(procedure);
        expect(json.placeholders.map((p) => p.name)).toContain(RUN);
        expect(await write('md')).toContain(`# ${titles[procedure][lang]}`);
        expect(await write('html')).toContain(`<html lang="${lang}">`);
        if (lang === 'ja') for (const s of json.sections) expect(s.title, s.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      }
    }
    const { ctx, out } = context(dir);
    await runPlan(ctx, { site: lab.siteFile, format: 'json', lang: 'en', procedure: 'drill', now: NOW });
    const lines = (JSON.parse(out()) as PlanDocument).sections.flatMap((s) => s.steps.flatMap((st) => st.commands.map((c) => c.line)));
    const ds = drillNames(site, RUN).datastore;
    for (const vm of primaryVmsOf(site, capture)) {
      expect(lines).toContain(esxiCommands.register(vmfsPath(ds, vm.vmxDir, vm.vmxFile), `${vm.name.trimEnd()} [drill]`));
    }
  });

  it('HTML escapes every name, path and output; --out writes 0600', async () => {
    const html = await plan('html', 'en');
    const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
    // No raw markup from a name: every `<` starts one of our own tags.
    for (const m of body.matchAll(/<\/?([a-zA-Z0-9!]+)/g)) {
      expect([
        '!DOCTYPE',
        'html',
        'head',
        'meta',
        'title',
        'body',
        'section',
        'h1',
        'h2',
        'h3',
        'p',
        'table',
        'tbody',
        'thead',
        'tr',
        'th',
        'td',
        'colgroup',
        'col',
        'div',
        'span',
        'pre',
        'ul',
        'li',
        'strong',
        'code',
        'wbr',
      ]).toContain(m[1]);
    }
    expect(body).not.toContain('$(reboot)"');
    expect(body).toContain(escapeHtml(`it's "quoted"`));
    const file = path.join(dir, 'plan.html');
    const { ctx } = context(dir);
    expect(await runPlan(ctx, { site: lab.siteFile, format: 'html', lang: 'ja', out: file, now: NOW })).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('<html lang="ja">');
  });

  it('takes the language from LANG when --lang is not given; refuses a bad format, a missing database or capture', async () => {
    const { ctx, out } = context(dir, { LANG: 'ja_JP.UTF-8' });
    expect(await runPlan(ctx, { site: lab.siteFile, format: 'md', now: NOW })).toBe(0);
    expect(out()).toContain('フェイルオーバー手順書');
    const bad = context(dir);
    await expect(runPlan(bad.ctx, { site: lab.siteFile, format: 'pdf' })).rejects.toThrow(/--format pdf/);
    await expect(runPlan(bad.ctx, { site: lab.siteFile, db: path.join(dir, 'none.db') })).rejects.toThrow(
      /no drbook database at .*none\.db/,
    );
    await expect(runPlan(bad.ctx, { site: lab.siteFile, capture: '19990101' })).rejects.toThrow(/no capture 19990101/);
  });
});
