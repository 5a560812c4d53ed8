/**
 * Print the procedure of a lab site to PDF with headless Chromium, in English and Japanese, turn
 * the pages into PNGs to look at, and check from the PDF's own text that every VM's register line
 * is there whole (nothing cut off at the page edge). Not part of `npm test`: it needs Debian's
 * chromium, poppler-utils (pdftoppm, pdftotext) and fonts-noto-cjk.
 *
 *   npx tsx test/plan/print-pdf.ts [OUTDIR] [plain|hostile] [VM COUNT]
 *
 * Exit 0 when every check passed; the PNGs are in OUTDIR/png-<lang>/ for a human to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { esxiCommands } from '../../src/adapters/esxi/commands.js';
import { runCapture } from '../../src/commands/capture.js';
import { runPlan } from '../../src/commands/plan.js';
import { vmfsPath } from '../../src/failover/paths.js';
import { startLab } from '../../src/lab/lab.js';
import type { PlanDocument } from '../../src/plan/model.js';
import { loadSite } from '../../src/runbook/site.js';
import { commandContext } from '../helpers/command-context.js';

const outDir = path.resolve(process.argv[2] ?? mkdtempSync(path.join(tmpdir(), 'drbook-plan-pdf-')));
const names = (process.argv[3] ?? 'hostile') as 'plain' | 'hostile';
const vmCount = Number(process.argv[4] ?? 26);
mkdirSync(outDir, { recursive: true });

const context = (cwd: string) => commandContext(cwd, { stderr: process.stderr });

// pdftotext joins a line that ends in `-` with the next and drops the `-`; the browser wraps after
// real hyphens only (it adds none), so comparing without blanks and hyphens checks the whole text.
const squeeze = (s: string): string => s.replace(/[\s-]+/g, '');
const failures: string[] = [];

const lab = await startLab({ dir: path.join(outDir, 'lab'), hosts: 3, vms: vmCount, seed: 7, names });
try {
  await lab.backup();
  const { ctx } = context(outDir);
  const mirror = loadSite(lab.siteFile).datastores.mirror.name;
  await runCapture(ctx, { site: lab.siteFile, json: true, export: false });
  for (const lang of ['en', 'ja'] as const) {
    const html = path.join(outDir, `plan-${lang}.html`);
    const pdf = path.join(outDir, `plan-${lang}.pdf`);
    const json = context(outDir);
    await runPlan(json.ctx, { site: lab.siteFile, format: 'json', lang });
    const doc = JSON.parse(json.out()) as PlanDocument;
    await runPlan(ctx, { site: lab.siteFile, format: 'html', lang, out: html });
    const profile = mkdtempSync(path.join(tmpdir(), 'drbook-chromium-'));
    try {
      execFileSync(
        'chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${profile}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${pdf}`,
          `file://${html}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
      );
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    const pngDir = path.join(outDir, `png-${lang}`);
    mkdirSync(pngDir, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', pdf, path.join(pngDir, 'page')]);
    const text = squeeze(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1] ?? 0);
    // Every VM's register line, whole: wrapped lines join again once whitespace is removed.
    let found = 0;
    for (const vm of doc.vms) {
      const line = esxiCommands.register(vmfsPath(mirror, vm.vmxPath.replace(/^\[[^\]]+\] /, '')), vm.name);
      if (text.includes(squeeze(line))) found++;
      else failures.push(`${lang}: register line of ${JSON.stringify(vm.name)} not found whole in the PDF text`);
    }
    for (const s of doc.sections) if (!text.includes(squeeze(s.title))) failures.push(`${lang}: heading ${s.title} not in the PDF text`);
    process.stdout.write(`${lang}: ${pdf}, ${pages} pages, ${found}/${doc.vms.length} register lines whole, PNGs in ${pngDir}\n`);
  }
} finally {
  await lab.stop();
}
for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
process.exitCode = failures.length ? 1 : 0;
