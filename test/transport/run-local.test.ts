import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal } from '../../src/transport/local/run-local.js';

describe('runLocal', () => {
  it('runs argv without a shell and returns exit code, stdout and stderr', async () => {
    const r = await runLocal(
      [process.execPath, '-e', 'process.stdout.write(process.argv[1]); console.error("warn"); process.exit(3)', '$(id); `x` | y'],
      {
        timeoutMs: 10_000,
        env: {},
      },
    );
    expect(r).toMatchObject({ exitCode: 3, stdout: '$(id); `x` | y', stderr: 'warn\n', timedOut: false, signal: null });
  });

  it('passes env and cwd', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drbook-local-'));
    try {
      const r = await runLocal([process.execPath, '-e', 'console.log(process.env.DRBOOK_X, process.cwd())'], {
        timeoutMs: 10_000,
        env: { DRBOOK_X: 'hello' },
        cwd: dir,
      });
      expect(r.stdout).toBe(`hello ${dir}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops a command that outlives its timeout', async () => {
    const r = await runLocal([process.execPath, '-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 200, env: {} });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('reports a command that cannot start instead of throwing', async () => {
    const r = await runLocal(['/nonexistent/drbook-callout'], { timeoutMs: 1000, env: {} });
    expect(r.exitCode).toBeNull();
    expect(r.startError).toMatch(/ENOENT/);
  });
});
