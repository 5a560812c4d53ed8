/**
 * `drbook demo` — what `npm start` runs: a lab site in a temporary folder, a VSC backup, the
 * inventory capture, the disaster, then the failover on it (the terminal UI on a terminal, plain
 * lines otherwise). At the end: the report and how to look at the lab.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { OperatorError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';
import { chooseRenderer } from '../session/renderer.js';
import { drbookArgv } from './invocation.js';
import { shellLine } from '../transport/quote.js';
import { langOption } from './options.js';

interface DemoFlags {
  dir?: string | undefined;
  hosts: string;
  vms: string;
  seed: string;
  latency: 'none' | 'demo' | 'real';
  plain?: boolean | undefined;
  lang?: string | undefined;
}

/** A few stale VMs that ignore a soft kill, one that ignores a hard one too: the escalation shows. */
const DEMO_FAULTS = {
  vms: { app01: { stuck: 'soft' as const }, db02: { stuck: 'soft' as const }, erp01: { stuck: 'hard' as const } },
  hosts: {},
};

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new OperatorError(`--${name} must be a whole number from ${min} to ${max}`, `got ${v}`);
  return n;
}

export async function runDemo(ctx: CommandContext, f: DemoFlags): Promise<ExitCode> {
  const { detectLang } = await import('../i18n/lang.js');
  const { demoMessages } = await import('../i18n/demo.js');
  let lang;
  try {
    lang = detectLang(ctx.env, f.lang);
  } catch (err) {
    throw new OperatorError((err as Error).message);
  }
  const m = demoMessages(lang);
  const { lifecycleMessages } = await import('../i18n/lifecycle.js');
  const hosts = int('hosts', f.hosts, 1, 64);
  const vms = int('vms', f.vms, 2, 5000);
  const seed = int('seed', f.seed, 0, 2 ** 31);
  const dir = f.dir ? path.resolve(ctx.cwd, f.dir) : mkdtempSync(path.join(tmpdir(), 'drbook-demo-'));
  const say = (line: string) => ctx.stdout.write(`${line}\n`);

  const [{ startLab }, { loadSite }, { createSitePool }, { collectCapture }, { openDatabase }, { CaptureStore }, { runFailoverSession }] =
    await Promise.all([
      import('../lab/lab.js'),
      import('../runbook/site.js'),
      import('../runbook/site-pool.js'),
      import('../inventory/collect.js'),
      import('../journal/db.js'),
      import('../inventory/store.js'),
      import('../failover/session.js'),
    ]);

  say(m.intro);
  say(m.startingLab({ hosts, vms, dir }));
  const lab = await startLab({ dir, hosts, vms, seed, latency: f.latency, faults: vms >= 24 ? DEMO_FAULTS : undefined });
  try {
    const site = loadSite(lab.siteFile);
    const dbPath = path.join(dir, 'drbook.db');

    say(m.backup);
    const backups = await lab.backup();
    say(m.backupDone({ snapshots: backups.map((b) => b.snapshot).join(', ') }));

    say(m.capture);
    const db = openDatabase(dbPath);
    try {
      const pool = createSitePool(site, ctx.env, { redactor: ctx.redactor });
      try {
        const capture = await collectCapture({ site, pool, drbookVersion: 'demo', signal: ctx.signal });
        new CaptureStore(db).save(capture);
        say(m.captureDone({ vms: capture.vms.length, findings: capture.audit.findings.length }));
      } finally {
        await pool.close();
      }
    } finally {
      db.close();
    }

    say(m.disaster);
    await lab.disaster();
    say(m.disasterDone({ destination: site.relationship.destination }));

    const renderer = chooseRenderer(ctx, { plain: f.plain });
    // Off a terminal nobody can type the confirmations: the demo confirms its own simulated site.
    const auto = renderer === 'plain' ? { confirm: site.relationship.destination, ackManual: true } : {};
    if (renderer === 'plain') say(m.autoConfirm({ destination: site.relationship.destination }));
    const result = await runFailoverSession({
      ctx,
      site,
      dbPath,
      renderer,
      lang,
      ...auto,
      // The lab stops with the demo: say how to start it again before the resume.
      // Off a terminal the resume cannot prompt either: it gets the answers the demo gave.
      resumeHint: (command) =>
        lifecycleMessages(lang).demoResume({
          dir,
          command: renderer === 'plain' ? `${command} --plain --confirm ${site.relationship.destination} --ack-manual` : command,
        }),
      timing: { killVerifyMs: 3000, heartbeatMs: 120_000, pollMs: 300 },
    });
    say('');
    say(m.finished({ dir }));
    const drbook = drbookArgv(ctx.env);
    say(
      m.lookAtLab({
        labUp: shellLine([...drbook, 'lab', 'up', '--dir', dir, '--detach']),
        ssh: shellLine([
          'ssh',
          '-i',
          path.join(dir, 'id_ed25519'),
          '-p',
          String(site.endpoints.esxi[0]!.port),
          'root@127.0.0.1',
          'vim-cmd vmsvc/getallvms',
        ]),
        labDown: shellLine([...drbook, 'lab', 'down', '--dir', dir]),
      }),
    );
    return result.exitCode;
  } finally {
    await lab.stop();
  }
}

export function registerDemo(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('demo')
    .description('the whole failover on a simulated site: lab, VSC backup, capture, disaster, then the runbook (npm start)')
    .option('--dir <dir>', 'keep the lab in this folder (default: a new temporary folder)')
    .option('--hosts <n>', 'ESXi hosts in the lab', '4')
    .option('--vms <n>', 'VMs in the lab', '24')
    .option('--seed <n>', 'the lab seed (the same seed gives the same site)', '1')
    .addOption(new Option('--latency <profile>', 'device delays').choices(['none', 'demo', 'real']).default('demo'))
    .option('--plain', 'plain lines instead of the terminal UI (confirms by itself: it is a simulation)')
    .addOption(langOption())
    .action((opts: DemoFlags) => setRunner((ctx) => runDemo(ctx, opts)));
}
