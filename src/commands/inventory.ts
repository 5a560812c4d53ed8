/**
 * `drbook inventory list|show|diff|export`: read the captures in the drbook database.
 * Everything heavy (SQLite, the YAML writer, string-width) is imported only when a subcommand
 * runs, so registering the command costs nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { Capture } from '../inventory/types.js';
import type { HvCapture } from '../hyperv/capture.js';
import type { CaptureStore } from '../inventory/store.js';
import type { CommandContext } from './context.js';
import type { CommandMessages } from '../i18n/commands.js';
import { dbOption, langOption, siteOption } from './options.js';
import { stringifyWithIsoTimes } from '../reporters/json-times.js';

export interface InventoryOptions {
  site?: string | undefined;
  db?: string | undefined;
  json?: boolean | undefined;
  /** `--lang en|ja`; default from LANG / LC_ALL. JSON output is never translated. */
  lang?: string | undefined;
}

type Runner = (ctx: CommandContext) => Promise<ExitCode>;

/** Open the database read-only and hand a store to `fn`; the database is closed afterwards. */
async function withStore<T>(ctx: CommandContext, opts: InventoryOptions, fn: (store: CaptureStore) => T | Promise<T>): Promise<T> {
  const { openDatabase } = await import('../journal/db.js');
  const { CaptureStore } = await import('../inventory/store.js');
  const db = openDatabase(await databaseOf(ctx, opts), { readonly: true });
  try {
    return await fn(new CaptureStore(db));
  } finally {
    db.close();
  }
}

/** The database by the one rule (beside the site file when one is given or found); it must exist. */
async function databaseOf(ctx: CommandContext, opts: InventoryOptions): Promise<string> {
  const { readSiteArg } = await import('./site-arg.js');
  const { requireExistingDb } = await import('../session/locate.js');
  const { commandLang } = await import('../i18n/lang.js');
  const lang = await commandLang(ctx.env, opts.lang);
  return requireExistingDb(readSiteArg(ctx, opts, false, lang).db, lang);
}

/** `--site` takes a site file (as everywhere else) or a bare site name. */
async function siteName(ctx: CommandContext, site: string | undefined): Promise<string | undefined> {
  if (site === undefined) return undefined;
  const file = path.resolve(ctx.cwd, site);
  if (/\.ya?ml$/i.test(site) || (site.includes('/') && existsSync(file))) {
    const { loadAnySite } = await import('../runbook/site.js');
    return loadAnySite(file).site.site;
  }
  return site;
}

/** The site to use when none is given: the only one in the database. */
function onlySite(store: CaptureStore): string {
  const sites = store.sites();
  if (sites.length === 1) return sites[0] as string;
  if (sites.length === 0) throw new OperatorError('the database holds no capture yet', 'run `drbook capture --site FILE` first');
  throw new OperatorError(`the database holds captures of several sites: ${sites.join(', ')}`, 'pass --site NAME (or the site file)');
}

/** A capture of either platform: Hyper-V captures share the table, with `platform: 'hyperv'` in their body. */
type AnyCapture = Capture | HvCapture;
const isHyperv = (c: AnyCapture): c is HvCapture => (c as { platform?: string }).platform === 'hyperv';

function captureById(store: CaptureStore, id: string): AnyCapture {
  const c = store.find(id) as AnyCapture | undefined;
  if (!c) throw new OperatorError(`no capture ${id} in the database`, '`drbook inventory list` shows the captures');
  return c;
}

async function resolveCapture(
  ctx: CommandContext,
  store: CaptureStore,
  id: string | undefined,
  site: string | undefined,
): Promise<AnyCapture> {
  if (id !== undefined) return captureById(store, id);
  const name = (await siteName(ctx, site)) ?? onlySite(store);
  const c = store.latest(name) as AnyCapture | undefined;
  if (!c)
    throw new OperatorError(
      `no capture of site ${name} in the database`,
      'run `drbook capture --site FILE` first, or check --site and --db',
    );
  return c;
}

/** Columns aligned by display width (src/text/table.ts), loaded only when a subcommand prints. */
async function formatTable(header: string[], rows: string[][]): Promise<string> {
  const table = await import('../text/table.js');
  return table.formatTable(header, rows);
}

async function messages(ctx: CommandContext, opts: InventoryOptions) {
  const { commandLang } = await import('../i18n/lang.js');
  const { commandMessages } = await import('../i18n/commands.js');
  return commandMessages(await commandLang(ctx.env, opts.lang));
}

async function hvMessages(ctx: CommandContext, opts: InventoryOptions) {
  const { commandLang } = await import('../i18n/lang.js');
  const { hypervMessages } = await import('../i18n/hyperv.js');
  return hypervMessages(await commandLang(ctx.env, opts.lang));
}

async function renderCapture(c: Capture, m: CommandMessages): Promise<string> {
  const { quiescedInNewest, sortedVms } = await import('../inventory/export.js');
  const { findingText } = await import('../i18n/commands.js');
  const lines: string[] = [];
  lines.push(m.showTitle({ id: c.id, site: c.site, takenAt: c.takenAt, version: c.drbookVersion }));
  lines.push('');
  lines.push(
    await formatTable(
      [m.colHost, m.colReachable, m.colEsxi, m.colLockdown, m.colNote],
      c.hosts.map((h) => [
        h.name,
        h.reachable ? m.yes : m.no,
        [h.esxiVersion, h.build].filter(Boolean).join(' ') || '-',
        h.lockdown === undefined ? '-' : h.lockdown ? m.on : m.off,
        [h.error, h.carriedFrom ? m.keptFrom({ capture: h.carriedFrom }) : undefined].filter(Boolean).join('; '),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    await formatTable(
      [m.colName, m.colHost, m.colPower, m.colJob, m.colQuiesced, m.colVmxPath],
      sortedVms(c.vms).map((vm) => [
        vm.isVcenter ? m.vcenterName({ name: vm.name }) : vm.name,
        vm.host,
        m.power[vm.power] ?? vm.power,
        vm.job ?? '-',
        m.quiesced[quiescedInNewest(c, vm)] ?? quiescedInNewest(c, vm),
        vm.carriedFrom ? m.vmKeptFrom({ path: vm.vmxPath, capture: vm.carriedFrom }) : vm.vmxPath,
      ]),
    ),
  );
  lines.push(m.vmCount({ count: c.vms.length }));
  const findings = c.audit.findings;
  lines.push('');
  if (findings.length === 0) lines.push(m.noFindings);
  else {
    lines.push(m.findingsHeading({ count: findings.length }));
    lines.push(
      await formatTable(
        [m.colSeverity, m.colCode, m.colMessage],
        findings.map((f) => [m.severity[f.severity], f.code, findingText(m, f)]),
      ),
    );
  }
  return lines.join('\n');
}

export async function runInventoryList(ctx: CommandContext, opts: InventoryOptions): Promise<ExitCode> {
  return withStore(ctx, opts, async (store) => {
    const site = await siteName(ctx, opts.site);
    const list = store.list(site);
    const m = await messages(ctx, opts);
    if (opts.json) {
      ctx.stdout.write(`${stringifyWithIsoTimes(list, 2)}\n`);
      return EXIT.ok;
    }
    if (list.length === 0) {
      ctx.stdout.write(`${site ? m.noCaptureOfSite({ site }) : m.noCaptureYet}\n`);
      return EXIT.ok;
    }
    const table = await formatTable(
      [m.colId, m.colSite, m.colTaken, m.colVms, m.colFindings],
      list.map((s) => [s.id, s.site, s.takenAt, String(s.vms), String(s.findings)]),
    );
    ctx.stdout.write(`${table}\n`);
    return EXIT.ok;
  });
}

export async function runInventoryShow(ctx: CommandContext, id: string | undefined, opts: InventoryOptions): Promise<ExitCode> {
  return withStore(ctx, opts, async (store) => {
    const c = await resolveCapture(ctx, store, id, opts.site);
    if (opts.json) ctx.stdout.write(`${stringifyWithIsoTimes(c, 2)}\n`);
    else if (isHyperv(c)) {
      const { renderHvCapture } = await import('../hyperv/inventory.js');
      ctx.stdout.write(`${await renderHvCapture(c, await messages(ctx, opts), await hvMessages(ctx, opts))}\n`);
    } else ctx.stdout.write(`${await renderCapture(c, await messages(ctx, opts))}\n`);
    return EXIT.ok;
  });
}

export async function runInventoryDiff(
  ctx: CommandContext,
  a: string | undefined,
  b: string | undefined,
  opts: InventoryOptions,
): Promise<ExitCode> {
  const { diffCaptures } = await import('../inventory/diff.js');
  return withStore(ctx, opts, async (store) => {
    let from: AnyCapture;
    let to: AnyCapture;
    if (a !== undefined && b !== undefined) {
      from = captureById(store, a);
      to = captureById(store, b);
    } else if (a !== undefined) {
      from = captureById(store, a);
      to = await resolveCapture(ctx, store, undefined, from.site);
    } else {
      const name = (await siteName(ctx, opts.site)) ?? onlySite(store);
      const [newest, previous] = store.list(name);
      if (!newest || !previous) {
        throw new OperatorError(
          `site ${name} has ${newest ? 'one capture' : 'no capture'}; a diff needs two`,
          'run `drbook capture` again, or name two captures: drbook inventory diff A B',
        );
      }
      from = captureById(store, previous.id);
      to = captureById(store, newest.id);
    }
    if (isHyperv(from) !== isHyperv(to)) {
      throw new OperatorError(
        `captures ${from.id} and ${to.id} are of different platforms (vSphere and Hyper-V)`,
        'name two captures of the same site: drbook inventory list shows them',
      );
    }
    if (isHyperv(from) && isHyperv(to)) {
      const { diffHvCaptures, renderHvDiff } = await import('../hyperv/inventory.js');
      const hd = diffHvCaptures(from, to);
      ctx.stdout.write(
        opts.json
          ? `${JSON.stringify(hd, null, 2)}\n`
          : `${await renderHvDiff(from, to, hd, await messages(ctx, opts), await hvMessages(ctx, opts))}\n`,
      );
      return EXIT.ok;
    }
    const d = diffCaptures(from as Capture, to as Capture);
    const m = await messages(ctx, opts);
    if (opts.json) {
      ctx.stdout.write(`${stringifyWithIsoTimes(d, 2)}\n`);
      return EXIT.ok;
    }
    const rows: string[][] = [
      ...d.renamed.map((r) => [m.changeRenamed, `${r.from} → ${r.to}`, r.vm.host, r.vm.vmxPath]),
      ...d.moved.map((mv) => [
        m.changeMoved,
        mv.vm.name,
        mv.from.host === mv.to.host ? mv.to.host : `${mv.from.host} → ${mv.to.host}`,
        mv.from.vmxPath === mv.to.vmxPath ? mv.to.vmxPath : `${mv.from.vmxPath} → ${mv.to.vmxPath}`,
      ]),
      ...d.added.map((v) => [m.changeAdded, v.name, v.host, v.vmxPath]),
      ...d.removed.map((v) => [m.changeRemoved, v.name, v.host, v.vmxPath]),
    ];
    const arrow = (a: string, b: string): string => (a === b ? b : `${a} → ${b}`);
    const placed = d.placementMoved.map((p) => [
      m.changePlaced,
      p.vm.name,
      arrow(p.from.folder, p.to.folder),
      arrow(p.from.resourcePool, p.to.resourcePool),
    ]);
    ctx.stdout.write(`${m.diffTitle({ from: from.id, fromAt: from.takenAt, to: to.id, toAt: to.takenAt })}\n`);
    if (rows.length === 0 && placed.length === 0) ctx.stdout.write(`${m.noChanges}\n`);
    if (rows.length > 0) ctx.stdout.write(`${await formatTable([m.colChange, m.colVm, m.colHost, m.colVmxPath], rows)}\n`);
    if (placed.length > 0) ctx.stdout.write(`${await formatTable([m.colChange, m.colVm, m.colFolder, m.colResourcePool], placed)}\n`);
    return EXIT.ok;
  });
}

export async function runInventoryExport(
  ctx: CommandContext,
  id: string | undefined,
  opts: InventoryOptions & { out?: string | undefined },
): Promise<ExitCode> {
  const { exportCapture, siteExportDir } = await import('../inventory/export.js');
  return withStore(ctx, opts, async (store) => {
    const c = await resolveCapture(ctx, store, id, opts.site);
    // Beside the database, as `drbook capture` writes them: inventory/<site>/ by default.
    const dbDir = path.dirname(await databaseOf(ctx, opts));
    const dir = opts.out !== undefined ? path.resolve(ctx.cwd, opts.out) : siteExportDir(dbDir, c.site);
    const files = isHyperv(c) ? (await import('../hyperv/inventory.js')).exportHvCapture(c, dir) : exportCapture(c, dir);
    if (opts.json) ctx.stdout.write(`${stringifyWithIsoTimes(files, 2)}\n`);
    else ctx.stdout.write(`${[files.yaml, files.latestYaml, files.csv, files.latestCsv].filter((f) => f !== null).join('\n')}\n`);
    return EXIT.ok;
  });
}

export function registerInventory(program: Command, setRunner: (r: Runner) => void): void {
  const inv = program
    .command('inventory')
    .description('the captured inventories: list, show, diff, export (read-only)')
    .addHelpText(
      'after',
      '\nThe database is --db, else $DRBOOK_DB, else drbook.db beside the site file (--site FILE, or the\nsite file of --site NAME in this folder), else drbook.db in this folder. It is never created here.',
    );
  const common = (c: Command): Command =>
    c
      .addOption(siteOption({ what: 'the site file or name (default: the only site in the database)' }))
      .addOption(dbOption())
      .option('--json', 'print JSON')
      .addOption(langOption({ json: true }));
  common(inv.command('list').description('the captures, newest first')).action((opts: InventoryOptions) => {
    setRunner((ctx) => runInventoryList(ctx, opts));
  });
  common(inv.command('show').description('one capture (default: the latest of the site): hosts, VMs, findings'))
    .argument('[id]', 'capture id (or a unique prefix)')
    .action((id: string | undefined, opts: InventoryOptions) => {
      setRunner((ctx) => runInventoryShow(ctx, id, opts));
    });
  common(inv.command('diff').description('what changed between two captures: added, removed, renamed, moved VMs'))
    .argument('[a]', 'the older capture (default: the previous capture of the site)')
    .argument('[b]', 'the newer capture (default: the latest capture of the site)')
    .action((a: string | undefined, b: string | undefined, opts: InventoryOptions) => {
      setRunner((ctx) => runInventoryDiff(ctx, a, b, opts));
    });
  common(inv.command('export').description('write <timestamp>.yaml/.csv and latest.yaml/.csv of a capture (mode 0600) beside the database'))
    .argument('[id]', 'capture id (default: the latest of the site)')
    .option('--out <dir>', 'folder to write into (default: <database folder>/<site>, i.e. inventory/<site>)')
    .action((id: string | undefined, opts: InventoryOptions & { out?: string }) => {
      setRunner((ctx) => runInventoryExport(ctx, id, opts));
    });
}
