/**
 * `drbook init`: the setup wizard that writes a site file and pins host keys. The wizard (enquirer,
 * ssh2) is imported only when the command runs, so registering it costs nothing.
 */
import { Option, type Command } from 'commander';
import type { ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { langOption } from './options.js';

export function registerInit(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('init')
    .description(
      'ask for the site (vSphere: hosts, ONTAP, relationship; Hyper-V: cluster nodes, Backup Exec); pin host keys; write a commented site file',
    )
    .option('-o, --out <file>', 'where to write the site file', 'site.yaml')
    .option('--force', 'replace the file if it exists')
    .addOption(langOption({ what: 'language of the questions and comments: en or ja (default from LANG)' }))
    .addOption(
      new Option('--platform <platform>', 'vsphere (ESXi + ONTAP) or hyperv (a failover cluster); without it, asked').choices([
        'vsphere',
        'hyperv',
      ]),
    )
    .addHelpText(
      'after',
      '\nNeeds a terminal. Without one, start from inventory/site.example.yaml.\n' +
        'Exit: 0 written; 2 bad usage, no terminal or the file exists; 4 stopped before writing.',
    )
    .action((opts: { out: string; force?: boolean; lang?: string; platform?: 'vsphere' | 'hyperv' }) => {
      setRunner(async (ctx) => {
        const { runInit } = await import('../wizard/init-command.js');
        return runInit(ctx, { out: opts.out, force: opts.force, lang: opts.lang, platform: opts.platform });
      });
    });
}
