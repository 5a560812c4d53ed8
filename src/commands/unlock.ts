/**
 * `drbook unlock --site F [--confirm NAME]`: show who holds the site lock and break it when its
 * holder is gone (or cannot be checked from here), after the site name is typed. Never while the
 * holder's process runs on this machine. Exit 0 unlocked (or was not locked); 2 refused.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { dbOption, langOption, siteOption } from './options.js';

interface UnlockFlags {
  site: string;
  db?: string | undefined;
  confirm?: string | undefined;
  lang?: string | undefined;
}

export async function runUnlock(ctx: CommandContext, f: UnlockFlags): Promise<ExitCode> {
  const { commandLang } = await import('../i18n/lang.js');
  const lang = await commandLang(ctx.env, f.lang);
  const { lifecycleMessages } = await import('../i18n/lifecycle.js');
  const { loadAnySite } = await import('../runbook/site.js');
  const { readSiteArg } = await import('./site-arg.js');
  const { breakSiteLock, formatUtc, holderState, lockFileOf, readSiteLock } = await import('../session/site-lock.js');
  const { resumeCommandLine } = await import('../session/locate.js');
  const m = lifecycleMessages(lang);
  const where = readSiteArg(ctx, f, true, lang);
  // Either platform: the lock is the file beside the site file.
  const site = loadAnySite(where.file!).site;
  const file = lockFileOf(site.file);
  const say = (line: string) => ctx.stdout.write(`${line}\n`);

  const lock = readSiteLock(site.file);
  if (lock.kind === 'none') {
    say(m.unlockNone({ site: site.site, file }));
    return EXIT.ok;
  }
  say(m.unlockHolder({ file }));
  let runId: string | undefined;
  if (lock.kind === 'held') {
    const h = lock.holder;
    runId = h.runId;
    const rows: [string, string | undefined][] = [
      [m.unlockField.run, h.runId],
      [m.unlockField.kind, h.kind],
      [m.unlockField.pid, String(h.pid)],
      [m.unlockField.host, h.hostname],
      [m.unlockField.user, h.user],
      [m.unlockField.since, formatUtc(h.startedAt)],
      [m.unlockField.command, h.command],
      [m.unlockField.bootId, h.bootId],
    ];
    for (const [k, v] of rows) if (v !== undefined) say(`  ${k}: ${v}`);
    const state = holderState(h);
    if (state.state === 'alive') throw new OperatorError(m.unlockAlive({ pid: String(h.pid) }), m.unlockAliveHint({ pid: String(h.pid) }));
    say(state.state === 'stale' ? m.unlockState({ why: m.staleWhy[state.why] }) : m.unlockUnknown({ why: m.unknownWhy[state.why] }));
  } else {
    for (const l of lock.raw.split('\n').slice(0, 10)) say(`  ${l}`);
    say(m.unlockUnknown({ why: m.unknownWhy.unreadable }));
  }

  // The typed confirmation: the site name, as the failover's confirmations are the destination path.
  let typed = f.confirm;
  if (typed === undefined) {
    if (!ctx.interactive) throw new OperatorError(m.unlockNeedsConfirm({ site: site.site }), m.unlockNeedsConfirmHint({ site: site.site }));
    const rl = createInterface({ input: ctx.stdin, output: ctx.stdout });
    try {
      typed = (await rl.question(m.unlockAsk({ site: site.site }), { signal: ctx.signal })).trim();
    } finally {
      rl.close();
    }
  }
  if (typed !== site.site) throw new OperatorError(m.unlockMismatch({ typed, site: site.site }));
  if (!breakSiteLock(site.file, lock.raw)) throw new OperatorError(m.unlockChanged);

  // The journal's record of the holder goes too, where there is a database (never created here).
  if (runId && existsSync(where.db.file)) {
    const { Journal } = await import('../journal/journal.js');
    const j = Journal.open(where.db.file);
    try {
      j.releaseLock(site.site, runId);
    } finally {
      j.close();
    }
  }
  if (runId) {
    say(m.unlockDone({ runId }));
    say(`  ${resumeCommandLine(runId, site.file, where.db.file)}`);
  }
  return EXIT.ok;
}

export function registerUnlock(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('unlock')
    .description("show who holds the site's lock, and break it when its holder is gone (after you type the site name)")
    .addOption(siteOption({ required: true }))
    .addOption(dbOption())
    .option('--confirm <site>', 'non-interactive: the site name, to confirm breaking the lock')
    .addOption(langOption())
    .addHelpText(
      'after',
      '\nThe lock is the file SITEFILE.lock beside the site file. A holder whose process runs on this\n' +
        'machine is never unlocked: stop it instead. A holder on another host cannot be checked from here:\n' +
        'make sure it is gone before you confirm.\n' +
        'Exit: 0 unlocked, or not locked; 2 refused (live holder, no or wrong confirmation).',
    )
    .action((opts: UnlockFlags) => setRunner((ctx) => runUnlock(ctx, opts)));
}
