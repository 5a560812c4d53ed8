/**
 * `drbook --version [--verbose]`. Plain, it prints the package version and loads nothing. With
 * --verbose it prints what a bug report needs, asked of what is actually loaded: Node, SQLite and
 * better-sqlite3 (the native module, the one part of drbook built for a machine), the platform.
 */
import os from 'node:os';
import { EXIT, type ExitCode } from '../errors.js';
import { writeLine, type CommandContext } from './context.js';

export async function runVersion(ctx: CommandContext, version: string, verbose: boolean): Promise<ExitCode> {
  if (!verbose) {
    writeLine(ctx.stdout, version);
    return EXIT.ok;
  }
  writeLine(ctx.stdout, `drbook ${version}`);
  writeLine(ctx.stdout, `node ${process.version} (modules ABI ${process.versions.modules}, ${process.execPath})`);
  writeLine(ctx.stdout, `platform ${process.platform} ${process.arch} (${os.type()} ${os.release()})`);
  try {
    const { sqliteVersions } = await import('../journal/db.js');
    const v = sqliteVersions();
    writeLine(ctx.stdout, `sqlite ${v.sqlite} (better-sqlite3 ${v.betterSqlite3}${v.binary ? `, ${v.binary}` : ''})`);
    return EXIT.ok;
  } catch (err) {
    // The native module did not load: what the report is for, so the reason goes on stdout with
    // the rest, and what to do on stderr.
    const [{ detectLang }, { versionMessages }] = await Promise.all([import('../i18n/lang.js'), import('../i18n/version.js')]);
    const m = versionMessages(detectLang(ctx.env));
    writeLine(ctx.stdout, m.sqliteUnavailable({ error: String((err as Error).message ?? err).replace(/\s*\n\s*/g, ' ') }));
    writeLine(ctx.stderr, m.nativeModuleHint);
    return EXIT.failed;
  }
}
