/**
 * The install path an operator takes: `npm pack`, then `npm install -g ./drbook-*.tgz` into a
 * fresh prefix, then the `drbook` command from that prefix's bin/ — `--version`, `--version
 * --verbose` (the native module loads: no compiler, no download) and the whole demo, whose closing
 * lines are run exactly as printed. And the same closing lines from the checkout, where `drbook`
 * is not on PATH.
 *
 * Dependencies come from the local npm cache when it has them (--prefer-offline), else from the
 * registry, as for any user.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, cliEnv } from '../helpers/drbook-cli.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The Node running the tests comes first on every PATH here, so npm and `drbook` run on it. */
const NODE_BIN = path.dirname(process.execPath);

let tmp: string;
let tarball: string;
let packed: string[];

function run(command: string, args: string[], o: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd: o.cwd ?? tmp, env: o.env, encoding: 'utf8', timeout: o.timeoutMs ?? 240_000 });
  if (r.error) throw r.error;
  return r;
}

function envWith(pathDirs: string[]): NodeJS.ProcessEnv {
  const base = cliEnv();
  return { ...base, PATH: [...pathDirs, base.PATH ?? ''].join(path.delimiter) };
}

/**
 * npm keeps the whole environment: the machine's way to the registry (NODE_EXTRA_CA_CERTS, a
 * proxy, npm_config_* such as the cache and the global config a Node from elsewhere would not read).
 */
function npmEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: [NODE_BIN, process.env.PATH ?? ''].join(path.delimiter) };
}

/** The three commands the demo prints at the end (lab up, ssh, lab down), exactly as printed. */
function closingCommands(stdout: string): { labUp: string; ssh: string; labDown: string } {
  const lines = stdout
    .trimEnd()
    .split('\n')
    .slice(-3)
    .map((l) => l.trim());
  expect(lines, stdout).toHaveLength(3);
  return { labUp: lines[0]!, ssh: lines[1]!, labDown: lines[2]! };
}

/** Runs the demo's closing `lab up` and `lab down` through a shell, as an operator pastes them. */
function runAsPrinted(printed: { labUp: string; labDown: string }, dir: string, env: NodeJS.ProcessEnv): void {
  const up = run('sh', ['-c', printed.labUp], { env, cwd: tmpdir() });
  expect(up.status, up.stderr).toBe(0);
  expect(up.stdout).toContain(path.join(dir, 'site.yaml'));
  const down = run('sh', ['-c', printed.labDown], { env, cwd: tmpdir() });
  expect(down.status, down.stderr).toBe(0);
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'drbook-install-'));
  // `prepare` builds dist/ first (nothing to do after the test run's own build).
  const r = run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, env: npmEnv() });
  expect(r.status, r.stderr).toBe(0);
  const [info] = JSON.parse(r.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(tmp, info.filename);
  packed = info.files.map((f) => f.path);
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built CLI, the runbooks and the example site file, and no TypeScript sources', () => {
    expect(existsSync(tarball)).toBe(true);
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/cli.js',
        'runbooks/vsc-snapmirror-failover.yaml',
        'runbooks/drill.yaml',
        'inventory/site.example.yaml',
        'runbooks/hyperv-recovery.yaml',
        'runbooks/reprotect.yaml',
        'runbooks/failback.yaml',
        // The lab's vCenter: a Go program `drbook lab up --vcenter` builds where it runs.
        'src/lab/vcsim/main.go',
      ]),
    );
    expect(packed.filter((f) => /^(src|test|bench|node_modules)\/|\.tsbuildinfo$/.test(f) && f !== 'src/lab/vcsim/main.go')).toEqual([]);
  });

  it('installs globally into a fresh prefix as a working `drbook`: version, native module, the demo', () => {
    const prefix = path.join(tmp, 'prefix');
    const install = run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
      { env: npmEnv(), timeoutMs: 600_000 },
    );
    expect(install.status, install.stderr).toBe(0);
    const bin = path.join(prefix, 'bin');
    expect(existsSync(path.join(bin, 'drbook'))).toBe(true);
    const env = envWith([bin, NODE_BIN]);

    const version = run('drbook', ['--version'], { env });
    expect(version.stderr).toBe('');
    expect(version.stdout).toBe(`${VERSION}\n`);

    const verbose = run('drbook', ['--version', '--verbose'], { env });
    expect(verbose.stderr).toBe('');
    expect(verbose.status).toBe(0);
    expect(verbose.stdout).toContain(`drbook ${VERSION}\nnode ${process.version} `);
    if (Number(process.versions.node.split('.')[0]) >= 22) {
      // better-sqlite3 13, from the package's own prebuilt binary: nothing downloaded.
      expect(verbose.stdout).toMatch(/^sqlite \d+\.\d+\.\d+ \(better-sqlite3 13\.\d+\.\d+, prebuilds\/[\w-]+\.node\)$/m);
    } else {
      // Node 20: better-sqlite3 12 (src/journal/sqlite.ts), built here at install time.
      expect(verbose.stdout).toMatch(/^sqlite \d+\.\d+\.\d+ \(better-sqlite3 12\.\d+\.\d+, build\/Release\/better_sqlite3\.node\)$/m);
    }
    expect(verbose.stdout).toMatch(new RegExp(`^platform ${process.platform} ${process.arch} `, 'm'));

    const dir = path.join(tmp, 'demo-installed');
    const demo = run('drbook', ['demo', '--plain', '--latency', 'none', '--dir', dir], { env });
    expect(demo.status, demo.stdout + demo.stderr).toBe(0);
    const printed = closingCommands(demo.stdout);
    expect(printed.labUp).toBe(`drbook lab up --dir ${dir} --detach`);
    expect(printed.labDown).toBe(`drbook lab down --dir ${dir}`);
    runAsPrinted(printed, dir, env);
  }, 900_000);
});

describe('the demo run from the checkout', () => {
  it('prints closing commands that work as printed although `drbook` is not on PATH', () => {
    const env = envWith([NODE_BIN]);
    const dir = path.join(tmp, 'demo-checkout');
    const demo = run(process.execPath, [CLI, 'demo', '--plain', '--latency', 'none', '--hosts', '2', '--vms', '4', '--dir', dir], { env });
    expect(demo.status, demo.stdout + demo.stderr).toBe(0);
    const printed = closingCommands(demo.stdout);
    expect(printed.labUp).toBe(`node ${realpathSync(CLI)} lab up --dir ${dir} --detach`);
    runAsPrinted(printed, dir, env);
  }, 300_000);
});
