import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../commands/context.js';
import type { LabUpOptions } from '../commands/lab.js';
import { EXIT, OperatorError, type ExitCode } from '../errors.js';
import { controlRequest, controlSocketPath, startLab, type LabStatus } from './lab.js';
import type { Backup } from './model.js';
import { VCENTER_PASSWORD_ENV, VCENTER_USER } from './vcenter.js';
import type { HvLabStatus } from './hyperv/lab.js';
import type { HvJobRun } from './hyperv/model.js';

/** `lab up --platform hyperv` in the foreground. */
async function hypervLabUp(ctx: CommandContext, dir: string, o: LabUpOptions): Promise<ExitCode> {
  const { startHypervLab, hvSummary } = await import('./hyperv/lab.js');
  const lab = await startHypervLab({
    dir,
    hosts: o.hosts,
    vms: o.vms,
    seed: o.seed,
    names: o.names,
    faults: o.faults ? path.resolve(ctx.cwd, o.faults) : undefined,
  });
  return serveUntilStopped(ctx, dir, o.dir, lab, hvSummary(lab.status()));
}

/**
 * A lab in the foreground, whatever its platform: marks it ready (pid, `ready`), prints its summary,
 * and serves until Ctrl+C, `drbook lab down` or the lab stopping by itself.
 */
async function serveUntilStopped(
  ctx: CommandContext,
  dir: string,
  dirArg: string,
  lab: { siteFile: string; stopped: Promise<unknown>; stop(): Promise<void> },
  summaryText: string,
): Promise<ExitCode> {
  writeFileSync(path.join(dir, 'lab.pid'), `${process.pid}\n`);
  writeFileSync(path.join(dir, 'ready'), `${new Date().toISOString()}\n`);
  ctx.stdout.write(summaryText);
  ctx.stdout.write(`lab is up: ${lab.siteFile} (Ctrl+C or \`drbook lab down --dir ${dirArg}\` stops it)\n`);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve());
    void lab.stopped.then(() => resolve());
  });
  await lab.stop();
  rmSync(path.join(dir, 'lab.pid'), { force: true });
  ctx.stdout.write('lab stopped\n');
  return EXIT.ok;
}

function noLab(ctx: CommandContext, dir: string): ExitCode {
  ctx.stdout.write(`no lab is running in ${dir}: start it with \`drbook lab up --dir ${dir} --detach\`\n`);
  return EXIT.usage;
}

export async function labUp(ctx: CommandContext, o: LabUpOptions): Promise<ExitCode> {
  const dir = path.resolve(ctx.cwd, o.dir);
  if (await controlRequest(dir, { cmd: 'status' }, 2000)) {
    throw new OperatorError(`a lab is already running in ${dir}`, `stop it with \`drbook lab down --dir ${o.dir}\` first`);
  }
  if (o.detach) return detach(ctx, dir, o);
  if (o.platform === 'hyperv') return hypervLabUp(ctx, dir, o);
  const lab = await startLab({
    dir,
    hosts: o.hosts,
    vms: o.vms,
    jobs: o.jobs,
    seed: o.seed,
    latency: o.latency,
    latencyScale: o.latencyScale,
    names: o.names,
    faults: o.faults ? path.resolve(ctx.cwd, o.faults) : undefined,
    vcenter: o.vcenter,
  });
  return serveUntilStopped(ctx, dir, o.dir, lab, summary(await lab.fullStatus()));
}

async function detach(ctx: CommandContext, dir: string, o: LabUpOptions): Promise<ExitCode> {
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const args = [cli, 'lab', 'up', '--dir', dir, '--hosts', String(o.hosts), '--vms', String(o.vms), '--jobs', String(o.jobs)];
  args.push('--seed', String(o.seed), '--latency', o.latency, '--latency-scale', String(o.latencyScale), '--names', o.names);
  if (o.faults) args.push('--faults', path.resolve(ctx.cwd, o.faults));
  if (o.vcenter) args.push('--vcenter');
  if (o.platform === 'hyperv') args.push('--platform', 'hyperv');
  const ready = path.join(dir, 'ready');
  rmSync(ready, { force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const log = openSync(path.join(dir, 'lab.log'), 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], cwd: ctx.cwd, env: ctx.env });
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  child.unref();
  // A first --vcenter start builds the simulator with Go: that can take minutes on a busy machine.
  const deadline = Date.now() + (o.vcenter ? 600_000 : 60_000);
  while (!existsSync(ready)) {
    if (exited !== null || Date.now() > deadline) {
      const tail = existsSync(path.join(dir, 'lab.log'))
        ? readFileSync(path.join(dir, 'lab.log'), 'utf8').trim().split('\n').slice(-3).join('\n')
        : '';
      ctx.stderr.write(`drbook: the lab did not start (see ${path.join(dir, 'lab.log')})\n${tail}\n`);
      return EXIT.failed;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  writeFileSync(path.join(dir, 'lab.pid'), `${child.pid}\n`);
  ctx.stdout.write(`lab is up in the background (pid ${child.pid}): ${path.join(dir, 'site.yaml')}\n`);
  return EXIT.ok;
}

export async function labStatus(ctx: CommandContext, o: { dir: string; json?: boolean }): Promise<ExitCode> {
  const dir = path.resolve(ctx.cwd, o.dir);
  const r = await controlRequest(dir, { cmd: 'status' });
  if (!r) return noLab(ctx, o.dir);
  if (!r.ok) throw new Error(r.error);
  const s = r.result as LabStatus;
  if (!o.json && (r.result as { platform?: string }).platform === 'hyperv') {
    ctx.stdout.write((await import('./hyperv/lab.js')).hvSummary(r.result as HvLabStatus));
    return EXIT.ok;
  }
  ctx.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : summary(s));
  return EXIT.ok;
}

export async function labSimple(
  ctx: CommandContext,
  dirArg: string,
  cmd: 'backup' | 'tick' | 'disaster' | 'repair' | 'down' | 'vcenter-down' | 'vcenter-up',
  job?: string,
  o: { noCommonSnapshot?: boolean } = {},
): Promise<ExitCode> {
  const dir = path.resolve(ctx.cwd, dirArg);
  const r = await controlRequest(dir, { cmd, job, noCommonSnapshot: o.noCommonSnapshot });
  // Stopping what is not running is done already: a second `lab down` (or one after a crash) is fine.
  if (!r && cmd === 'down') {
    ctx.stdout.write(`no lab was running in ${dirArg}: nothing to stop\n`);
    return EXIT.ok;
  }
  if (!r) return noLab(ctx, dirArg);
  if (!r.ok) throw new OperatorError(r.error ?? 'the lab refused', 'check `drbook lab status` and try again');
  if (cmd === 'backup' && (r.result as { status?: string }[]).some((b) => b.status !== undefined)) {
    // The Hyper-V lab: one Backup Exec run per job.
    for (const b of r.result as HvJobRun[])
      ctx.stdout.write(`backup ${b.job}: ${b.status}${b.errorMessage ? ` (${b.errorMessage})` : ''}\n`);
  } else if (cmd === 'backup') {
    for (const b of r.result as Backup[]) {
      const none = Object.entries(b.quiesced)
        .filter(([, m]) => m === null)
        .map(([n]) => n);
      ctx.stdout.write(`backup ${b.job}: ${b.snapshot} at ${b.time}${none.length ? ` (no quiesce point: ${none.join(', ')})` : ''}\n`);
    }
  } else if (cmd === 'down') {
    const deadline = Date.now() + 10_000;
    while (existsSync(controlSocketPath(dir)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    ctx.stdout.write('lab stopped\n');
  } else ctx.stdout.write(`${cmd}: done\n`);
  return EXIT.ok;
}

export function summary(s: LabStatus): string {
  const lines = [`lab in ${s.dir}`];
  for (const h of s.hosts) {
    const vms = s.vms.filter((v) => v.host === h.name);
    const on = vms.filter((v) => v.power === 'on').length;
    lines.push(
      `  ${h.name}  127.0.0.1:${h.port}  ${h.lockdown ? 'lockdown' : 'open    '}  ${vms.length} VMs (${on} on${vms.some((v) => v.stale) ? `, ${vms.filter((v) => v.stale).length} stale` : ''})`,
    );
  }
  lines.push(`  cluster1  127.0.0.1:${s.ontap.port}  ${s.mirror.source} -> ${s.mirror.destination}  ${s.mirror.state} ${s.mirror.status}`);
  // Every other relationship (the way back: mirror -> original), as the cluster lists them.
  for (const r of s.relationships ?? []) {
    if (r.source === s.mirror.source && r.destination === s.mirror.destination && !r.deleted) continue;
    const progress = r.transfer
      ? ` ${Math.floor((100 * r.transfer.bytesDone) / r.transfer.bytesTotal)}% of ${(r.transfer.bytesTotal / 2 ** 30).toFixed(1)}GB (${r.transfer.kind})`
      : '';
    lines.push(
      `            ${r.source} -> ${r.destination}  ${r.deleted ? 'deleted (not released)' : `${r.state} ${r.status}`}${progress}`,
    );
  }
  lines.push(`  jobs: ${s.jobs.map((j) => `${j.name} (${j.vms.length} VMs)`).join(', ')}; vCenter: ${s.vcenter}`);
  lines.push(
    `  backups: ${s.backups.length ? s.backups.map((b) => b.snapshot).join(', ') : 'none'}${s.disaster && !s.repaired ? '; DISASTER: the primary volume is lost' : s.repaired ? '; the primary volume is repaired' : ''}`,
  );
  if (s.vcenterApi) {
    const v = s.vcenterApi;
    lines.push(
      `  vCenter API: ${v.url} ${v.up ? `up, ${v.vms.length} VMs` : 'down'} (user ${VCENTER_USER}; export ${VCENTER_PASSWORD_ENV}="$(cat ${path.join(s.dir, 'vcenter-password')})")`,
    );
  }
  lines.push(`  ssh -i ${s.keyFile} -p ${s.hosts[0]?.port ?? 0} root@127.0.0.1 'vim-cmd vmsvc/getallvms'`);
  return `${lines.join('\n')}\n`;
}
