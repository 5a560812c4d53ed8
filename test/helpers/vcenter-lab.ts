/**
 * The set-up the vCenter suites share (test/lab/vcenter.test.ts, test/lab/drill-folder.test.ts): a
 * lab with govmomi's simulator as vCenter, backed up and captured once into a template, then one
 * copy of it per case. Needs Go and govmomi: `hasGo` says whether the suites can run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { startLab, type Lab, type LabStartOptions } from '../../src/lab/lab.js';
import { buildVcsim, VCENTER_PASSWORD_ENV } from '../../src/lab/vcenter.js';
import { cliEnv, runCli, type CliResult } from './drbook-cli.js';
import { cloneTemplate, startCase } from './lab-fixture.js';

export const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

/** The CLI's environment with the lab vCenter's password where the site file says to find it. */
export const vcenterEnv = (password: string): NodeJS.ProcessEnv => cliEnv({ [VCENTER_PASSWORD_ENV]: password });

/**
 * lab up --vcenter → backup → capture (real CLI) in `template`; `whileUp` reads what the case
 * needs from the lab before it stops. Returns the vCenter password.
 */
export async function prepareVcenterTemplate(
  template: string,
  size: { hosts: number; vms: number },
  whileUp: (lab: Lab, password: string) => Promise<void>,
): Promise<string> {
  // The first build of the simulator compiles govmomi: minutes on a busy machine.
  await buildVcsim();
  const lab = await startLab({ dir: template, ...size, vcenter: true });
  try {
    const password = readFileSync(path.join(template, 'vcenter-password'), 'utf8').trim();
    await lab.backup();
    const r = await runCli(['capture', '--site', lab.siteFile, '--db', path.join(template, 'drbook.db')], {
      env: vcenterEnv(password),
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    await whileUp(lab, password);
    return password;
  } finally {
    await lab.stop();
  }
}

/** One case on its own copy of the template (`root/name`): the lab is started (with `labOptions`) for `body` and stopped after it. */
export async function onCopy(
  template: string,
  root: string,
  name: string,
  body: (c: { lab: Lab; dir: string; db: string }) => Promise<void>,
  labOptions: Omit<LabStartOptions, 'dir'> = {},
): Promise<void> {
  const dir = cloneTemplate(template, path.join(root, name));
  const lab = await startCase(dir, labOptions);
  try {
    await body({ lab, dir, db: path.join(dir, 'drbook.db') });
  } finally {
    await lab.stop();
  }
}

/** The Markdown report a run wrote under `dir`/reports. */
export function markdownReport(dir: string): string {
  const reports = path.join(dir, 'reports');
  return readFileSync(
    path.join(
      reports,
      readdirSync(reports).find((f) => f.endsWith('.md'))!,
    ),
    'utf8',
  );
}

/** Runs drbook and SIGKILLs it at the first output line `killAt` accepts; `onLine` sees every line before. */
export function runKilledAt(
  args: string[],
  env: NodeJS.ProcessEnv,
  killAt: (line: string) => boolean,
  onLine: (line: string) => void = () => {},
): Promise<CliResult> {
  let killed = false;
  return runCli(args, {
    env,
    timeoutMs: 180_000,
    onLine: (line, child) => {
      onLine(line);
      if (!killed && killAt(line)) {
        killed = true;
        child.kill('SIGKILL');
      }
    },
  });
}
