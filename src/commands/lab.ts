import { Command, InvalidArgumentError, Option } from 'commander';
import type { ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';

/**
 * `drbook lab up|status|backup|tick|disaster|down --dir DIR`: the simulated site. Only the
 * option definitions live here; the lab itself (ssh2 and all) is imported when a subcommand runs.
 */
export interface LabUpOptions {
  dir: string;
  hosts: number;
  vms: number;
  jobs: number;
  seed: number;
  latency: 'none' | 'demo' | 'real';
  latencyScale: number;
  names: 'plain' | 'hostile';
  faults?: string;
  detach?: boolean;
  vcenter?: boolean;
  /** vsphere (ESXi + ONTAP) or hyperv (a failover cluster and a Backup Exec server). */
  platform?: 'vsphere' | 'hyperv';
}

type Runner = (ctx: CommandContext) => Promise<ExitCode>;

const int =
  (min: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`give a whole number of at least ${min}, not ${v}`);
    return n;
  };

export function registerLab(program: Command, setRunner: (r: Runner) => void): void {
  const lab = program.command('lab').description('a simulated ESXi + ONTAP site behind real SSH on 127.0.0.1');
  const dirOption = (): Option => new Option('--dir <dir>', 'the lab directory').makeOptionMandatory();

  lab
    .command('up')
    .description('start the lab (foreground until Ctrl+C or `lab down`; --detach to run in the background)')
    .addOption(dirOption())
    .option('--hosts <n>', 'ESXi hosts', int(1), 4)
    .option('--vms <n>', 'VMs', int(1), 24)
    .option('--jobs <n>', 'VSC backup jobs', int(1), 1)
    .option('--seed <n>', 'seed: the same seed gives the same site', int(0), 1)
    .addOption(new Option('--latency <profile>', 'per-operation delays').choices(['none', 'demo', 'real']).default('none'))
    .option(
      '--latency-scale <f>',
      'multiply every delay',
      (v) => {
        const f = Number(v);
        if (!Number.isFinite(f) || f < 0) throw new InvalidArgumentError(`give a number of at least 0, not ${v}`);
        return f;
      },
      1,
    )
    .addOption(new Option('--names <kind>', 'VM display names').choices(['plain', 'hostile']).default('plain'))
    .option('--faults <file>', 'a YAML faults file (see src/lab/README.md)')
    .option('--detach', 'run in the background; pid in DIR/lab.pid, log in DIR/lab.log')
    .option('--vcenter', "also a vCenter API (govmomi's simulator, built with Go) with folders and resource pools")
    .addOption(
      new Option('--platform <platform>', 'vsphere: ESXi + ONTAP; hyperv: a failover cluster (--hosts nodes) and a Backup Exec server')
        .choices(['vsphere', 'hyperv'])
        .default('vsphere'),
    )
    .action((opts: LabUpOptions) => {
      setRunner(async (ctx) => (await import('../lab/cli-run.js')).labUp(ctx, opts));
    });

  lab
    .command('status')
    .description('show the running lab (--json: the contract scripts rely on)')
    .addOption(dirOption())
    .option('--json', 'print JSON')
    .action((opts: { dir: string; json?: boolean }) => {
      setRunner(async (ctx) => (await import('../lab/cli-run.js')).labStatus(ctx, opts));
    });

  lab
    .command('backup')
    .description('run a VSC backup job (all jobs in turn without --job)')
    .addOption(dirOption())
    .option('--job <name>', 'the VSC job')
    .action((opts: { dir: string; job?: string }) => {
      setRunner(async (ctx) => (await import('../lab/cli-run.js')).labSimple(ctx, opts.dir, 'backup', opts.job));
    });

  for (const [name, what] of [
    ['tick', 'move the lab time on: running VMs write, SnapMirror transfers move 100 GB'],
    ['disaster', 'lose the primary volume'],
    ['down', 'stop the lab'],
    ['vcenter-down', "hold the lab's vCenter API down (as if vCenter never came back)"],
    ['vcenter-up', "let the lab's vCenter API run again while its VM runs"],
  ] as const) {
    lab
      .command(name)
      .description(what)
      .addOption(dirOption())
      .action((opts: { dir: string }) => {
        setRunner(async (ctx) => (await import('../lab/cli-run.js')).labSimple(ctx, opts.dir, name));
      });
  }

  lab
    .command('repair')
    .description('bring the lost primary volume back as it was at the disaster (the way back starts here)')
    .addOption(dirOption())
    .option('--no-common-snapshot', 'it comes back without any snapshot the mirror also has: only a full baseline can reprotect it')
    .action((opts: { dir: string; commonSnapshot: boolean }) => {
      setRunner(async (ctx) =>
        (await import('../lab/cli-run.js')).labSimple(ctx, opts.dir, 'repair', undefined, { noCommonSnapshot: !opts.commonSnapshot }),
      );
    });
}
