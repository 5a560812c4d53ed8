import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/cli.js');

describe('drbook init from the command line', () => {
  it('without a terminal, refuses in one line that names the example site file (exit 2)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drbook-cli-init-'));
    try {
      const r = spawnSync(process.execPath, [cli, 'init', '--out', 'x.yaml'], {
        cwd: dir,
        input: '',
        encoding: 'utf8',
        env: { ...process.env, LANG: 'C', LC_ALL: '' },
      });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^drbook: drbook init asks questions and needs a terminal.* — run it in an interactive shell, or copy the example site file .*inventory\/site\.example\.yaml and edit it$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the init options in --help', () => {
    const r = spawnSync(process.execPath, [cli, 'init', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--out <file>');
    expect(r.stdout).toContain('--force');
  });
});
