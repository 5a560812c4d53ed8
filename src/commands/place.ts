/**
 * `drbook place --site FILE`: the vCenter folders and resource pools of the recovered VMs, from
 * the capture (after a failover in which vCenter was down). Exit 0 all placed; 1 some failed or
 * vCenter could not be reached.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { dbOption, langOption, siteOption } from './options.js';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import type { Lang } from '../i18n/lang.js';
import type { Site } from '../runbook/site.js';
import { stringifyWithIsoTimes } from '../reporters/json-times.js';

interface PlaceFlags {
  site: string;
  db?: string | undefined;
  capture?: string | undefined;
  json?: boolean | undefined;
  lang?: string | undefined;
}

export async function runPlace(ctx: CommandContext, f: PlaceFlags): Promise<ExitCode> {
  const { commandLang } = await import('../i18n/lang.js');
  const lang = await commandLang(ctx.env, f.lang);
  const { loadSite } = await import('../runbook/site.js');
  const { readSiteArg } = await import('./site-arg.js');
  const { vcenterEndpoint } = await import('../adapters/vcenter/site.js');
  const where = readSiteArg(ctx, f, true, lang);
  const site = loadSite(path.resolve(ctx.cwd, where.file!));
  if (!vcenterEndpoint(site))
    throw new OperatorError(
      `site ${site.site} has no vCenter API in ${site.file}`,
      'add url, tlsFingerprint, user and passwordEnv under vcenter:',
    );
  // It moves VMs: never beside a failover, a drill or another place of the same site.
  const { acquireSiteLock } = await import('../session/site-lock.js');
  const lock = acquireSiteLock(site.file, {
    site: site.site,
    runId: `place-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 13)}-${process.pid}`,
    kind: 'place',
    command: ['drbook', ...(ctx.argv ?? [])].join(' '),
    lang,
  });
  try {
    return await placeLocked(ctx, f, site, where.db.file, lang);
  } finally {
    lock.release();
  }
}

async function placeLocked(ctx: CommandContext, f: PlaceFlags, site: Site, dbFile: string, lang: Lang): Promise<ExitCode> {
  const { openDatabase } = await import('../journal/db.js');
  const { getCapture, latestCapture } = await import('../inventory/store.js');
  const { placeAll } = await import('../placement/place-all.js');
  const { placementMessages } = await import('../i18n/placement.js');
  const m = placementMessages(lang);
  const db = openDatabase(dbFile, { forReading: true });
  let capture;
  try {
    capture = f.capture ? getCapture(db, f.capture) : latestCapture(db, site.site);
  } finally {
    db.close();
  }
  if (!capture)
    throw new OperatorError(
      f.capture ? `no capture ${f.capture}` : `no capture of site ${site.site}`,
      'drbook inventory list shows the captures',
    );
  if (!capture.vms.some((v) => v.placement)) throw new OperatorError(m.placeNothing({ capture: capture.id }));
  const results = await placeAll(site, capture, ctx.env, lang);
  if (f.json) ctx.stdout.write(`${stringifyWithIsoTimes({ site: site.site, capture: capture.id, results }, 2)}\n`);
  else {
    for (const r of results) {
      const what =
        r.outcome === 'moved'
          ? m.placeMoved({ folder: r.folder, pool: r.resourcePool })
          : r.outcome === 'already'
            ? m.placeAlready
            : (r.error ?? '');
      ctx.stdout.write(`${m.placeLine({ vm: r.vm, what })}\n`);
    }
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    ctx.stdout.write(`${m.placeSummary({ moved: count('moved'), already: count('already'), failed: count('failed') })}\n`);
  }
  return results.some((r) => r.outcome === 'failed') ? EXIT.failed : EXIT.ok;
}

export function registerPlace(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('place')
    .description('put the recovered VMs back into their recorded vCenter folders and resource pools (idempotent)')
    .addOption(siteOption({ required: true, what: 'the site file or name (with the vCenter API under vcenter:)' }))
    .addOption(dbOption())
    .option('--capture <id>', 'the capture to place from (default: the latest of the site)')
    .option('--json', 'JSON output')
    .addOption(langOption({ json: true }))
    .addHelpText('after', '\nExit: 0 every VM in place; 1 some could not be placed or vCenter could not be reached; 2 bad input.')
    .action((opts: PlaceFlags) => setRunner((ctx) => runPlace(ctx, opts)));
}
