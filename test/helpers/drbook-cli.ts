/**
 * Spawn the built CLI (dist/cli.js, built by the global setup) the way an operator or a cron job
 * does: real process, real exit code, real stdout/stderr. `watch` lets a test act on output as it
 * arrives (the crash tests SIGKILL drbook after its N-th NDJSON event).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** DRBOOK_TEST_CLI runs the tests against another build (e.g. a clean checkout while the tree is mid-edit). */
export const CLI = process.env['DRBOOK_TEST_CLI'] || path.join(ROOT, 'dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each complete stdout line; the child is in `child`. */
  onLine?: (line: string, child: ChildProcess) => void;
  /** Called once the process is spawned (e.g. to read /proc/PID/cmdline). */
  onSpawn?: (child: ChildProcess) => void;
  /** Kill the child (SIGKILL) after this long: a hung drbook fails the test instead of the run. */
  timeoutMs?: number;
  stdin?: string;
}

/** A clean environment: no colours, English, no agent, no inherited DRBOOK_* settings. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'USER']) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, NO_COLOR: '1', LANG: 'C.UTF-8', ...extra };
}

export function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: o.cwd ?? ROOT,
      env: o.env ?? cliEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : undefined;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
      if (!o.onLine) return;
      partial += d;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        o.onLine(line, child);
      }
    });
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.stdin ?? '');
    o.onSpawn?.(child);
  });
}
