/**
 * `drbook plan --site F [--procedure P] [--format md|html|json] [--lang ja|en] [--db PATH] [--capture ID] [--out FILE]`:
 * the site's failover procedure (or drill, drill cleanup, from the same capture; or reprotect, failback, from what the
 * devices show now), with the exact commands a run would send, from the site file and its latest capture. Sends nothing; opens the database read-only. Everything heavy is imported
 * when the command runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { BuildPlanInput } from '../plan/build.js';
import type { PlanDocument, PlanProcedure } from '../plan/model.js';
import type { CommandContext } from './context.js';
import { dbOption, langOption, siteOption } from './options.js';

/** The vSphere procedures `--procedure` names, each its document builder (loaded when used). */
const PROCEDURES: Record<PlanProcedure, () => Promise<(input: BuildPlanInput) => PlanDocument>> = {
  failover: async () => (await import('../plan/build.js')).buildPlan,
  drill: async () => {
    const { buildDrillPlan } = await import('../plan/build-drill.js');
    return (input) => buildDrillPlan(input, 'drill');
  },
  'drill-cleanup': async () => {
    const { buildDrillPlan } = await import('../plan/build-drill.js');
    return (input) => buildDrillPlan(input, 'drill-cleanup');
  },
};
/** The way back's procedures: printed from what the devices show now (src/failback/plan-command.ts), not from a capture. */
const WAY_BACK = ['reprotect', 'failback'] as const;
type WayBackProcedure = (typeof WAY_BACK)[number];
const PROCEDURE_NAMES: readonly string[] = [...Object.keys(PROCEDURES), ...WAY_BACK];
const isWayBack = (p: string): p is WayBackProcedure => (WAY_BACK as readonly string[]).includes(p);

export interface PlanArgs {
  site: string;
  format?: string | undefined;
  /** Which procedure: failover (default), drill, drill-cleanup, reprotect, failback. */
  procedure?: string | undefined;
  lang?: string | undefined;
  db?: string | undefined;
  capture?: string | undefined;
  out?: string | undefined;
  /** For tests: the time written into the document. */
  now?: Date | undefined;
}

function drbookVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function runPlan(ctx: CommandContext, args: PlanArgs): Promise<ExitCode> {
  const format = args.format ?? 'md';
  if (format !== 'md' && format !== 'html' && format !== 'json') {
    throw new OperatorError(`--format ${format} is not a format drbook plan writes`, 'use --format md, html or json');
  }
  const procedure = args.procedure ?? 'failover';
  if (!PROCEDURE_NAMES.includes(procedure)) {
    throw new OperatorError(
      `--procedure ${procedure} is not a procedure drbook plan prints`,
      `use --procedure ${PROCEDURE_NAMES.join(', ')}`,
    );
  }
  const { detectLang } = await import('../i18n/lang.js');
  let lang;
  try {
    lang = detectLang(ctx.env, args.lang);
  } catch (err) {
    throw new OperatorError((err as Error).message);
  }
  const { openDatabase } = await import('../journal/db.js');
  const { readSiteArg } = await import('./site-arg.js');
  const { requireExistingDb } = await import('../session/locate.js');
  const { CaptureStore } = await import('../inventory/store.js');
  const { renderPlan } = await import('../plan/render.js');

  const where = readSiteArg(ctx, args, true, lang);
  const { loadAnySite } = await import('../runbook/site.js');
  const any = loadAnySite(path.resolve(ctx.cwd, where.file!));
  // Read-only: never creates a database; without one, says where it looked.
  const dbFile = requireExistingDb(where.db, lang);
  if (any.kind === 'hyperv') {
    if (procedure !== 'failover')
      throw new OperatorError(
        `--procedure ${procedure}: site ${any.site.site} is a Hyper-V site; drbook plan prints its recovery procedure only (drills and the way back are for ESXi sites)`,
        'drop --procedure to print its recovery procedure',
      );
    const { loadHypervCapture } = await import('../hyperv/capture-command.js');
    const { buildHypervPlan } = await import('../hyperv/plan.js');
    const hdb = openDatabase(dbFile, { readonly: true });
    let hv;
    try {
      hv = loadHypervCapture(hdb, any.site.site, args.capture);
    } finally {
      hdb.close();
    }
    if (!hv || hv.site !== any.site.site) {
      throw new OperatorError(
        args.capture !== undefined
          ? `no Hyper-V capture ${args.capture} of site ${any.site.site} in ${dbFile}`
          : `no capture of Hyper-V site ${any.site.site} in ${dbFile}`,
        args.capture !== undefined ? 'drbook inventory list shows the captures' : `run drbook capture --site ${args.site} first`,
      );
    }
    return writePlan(
      ctx,
      args,
      renderPlan(
        buildHypervPlan({ site: any.site, capture: hv, lang, now: args.now ?? new Date(), drbookVersion: drbookVersion() }),
        format,
      ),
    );
  }
  const site = any.site;
  if (isWayBack(procedure)) {
    const { wayBackPlanDocument } = await import('../failback/plan-command.js');
    const doc = await wayBackPlanDocument({
      site,
      dbFile,
      captureId: args.capture,
      env: ctx.env,
      redactor: ctx.redactor,
      lang,
      now: args.now ?? new Date(),
      drbookVersion: drbookVersion(),
      procedure,
    });
    return writePlan(ctx, args, renderPlan(doc, format));
  }
  const db = openDatabase(dbFile, { readonly: true });
  let capture;
  try {
    const store = new CaptureStore(db);
    capture = args.capture !== undefined ? store.find(args.capture) : store.latest(site.site);
  } finally {
    db.close();
  }
  if (!capture) {
    throw new OperatorError(
      args.capture !== undefined ? `no capture ${args.capture} in ${dbFile}` : `no capture of site ${site.site} in ${dbFile}`,
      args.capture !== undefined ? 'drbook inventory list shows the captures' : `run drbook capture --site ${args.site} first`,
    );
  }
  if (capture.site !== site.site) {
    throw new OperatorError(
      `capture ${capture.id} is of site ${capture.site}, not ${site.site}`,
      'pass a capture of this site, or the other site file',
    );
  }
  const build = await PROCEDURES[procedure as PlanProcedure]();
  const doc = build({ site, capture, lang, now: args.now ?? new Date(), drbookVersion: drbookVersion() });
  return writePlan(ctx, args, renderPlan(doc, format));
}

/** To stdout, or whole to --out (mode 0600). */
async function writePlan(ctx: CommandContext, args: PlanArgs, text: string): Promise<ExitCode> {
  if (args.out === undefined) {
    ctx.stdout.write(text);
    return EXIT.ok;
  }
  const { writeFileAtomic } = await import('../files/atomic-write.js');
  const file = path.resolve(ctx.cwd, args.out);
  // Written whole, 0600: the plan names every host, path and VM of the site.
  writeFileAtomic(file, text);
  ctx.stderr.write(`written: ${file}\n`);
  return EXIT.ok;
}

export function registerPlan(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('plan')
    .description('print a procedure (failover, drill, the way back) with the exact commands a run would send (executes nothing)')
    .addOption(siteOption({ required: true }))
    .addOption(
      new Option('--procedure <name>', 'failover, drill, drill-cleanup, or the way back: reprotect, failback (these read the devices)')
        .choices(PROCEDURE_NAMES)
        .default('failover'),
    )
    .addOption(new Option('--format <format>', 'md, html (printable) or json').choices(['md', 'html', 'json']).default('md'))
    .addOption(langOption())
    .addOption(dbOption())
    .option('--capture <id>', 'the capture to use (default: the latest of the site)')
    .option('--out <file>', 'write the document to this file (mode 0600) instead of stdout')
    .addHelpText('after', '\nExit: 0 the plan was written; 2 bad input (site file, capture, flags); 1 it could not be written.')
    .action((opts: Omit<PlanArgs, 'now'>) => {
      setRunner((ctx) => runPlan(ctx, opts));
    });
}
