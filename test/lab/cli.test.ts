import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');
const run = async (...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
  try {
    const r = await promisify(execFile)(process.execPath, [cli, ...args], { encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
};

describe('drbook lab CLI', () => {
  const dir = tempDir('labcli-');
  afterAll(async () => {
    await run('lab', 'down', '--dir', dir);
  });

  it('no lab running: one line, exit 2', async () => {
    const r = await run('lab', 'status', '--dir', dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`no lab is running in ${dir}: start it with \`drbook lab up --dir ${dir} --detach\`\n`);
  });

  it('up --detach, status --json, backup, tick, disaster, down', async () => {
    const up = await run('lab', 'up', '--dir', dir, '--detach', '--hosts', '2', '--vms', '6', '--jobs', '2');
    expect(up.code).toBe(0);
    expect(existsSync(path.join(dir, 'ready'))).toBe(true);
    expect(readFileSync(path.join(dir, 'lab.pid'), 'utf8')).toMatch(/^\d+\n$/);
    const again = await run('lab', 'up', '--dir', dir, '--detach');
    expect(again.code).toBe(2);
    const s = JSON.parse((await run('lab', 'status', '--dir', dir, '--json')).stdout) as {
      hosts: unknown[];
      jobs: { name: string }[];
      vms: { marker: number }[];
      backups: { job: string }[];
    };
    expect(s.hosts).toHaveLength(2);
    expect(s.jobs.map((j) => j.name)).toEqual(['job1', 'job2']);
    const b = await run('lab', 'backup', '--dir', dir);
    expect(b.stdout).toMatch(/^backup job1: smvi__job1_recent at \S+\nbackup job2: smvi__job2_recent at \S+\n$/);
    expect((await run('lab', 'backup', '--dir', dir, '--job', 'nope')).code).toBe(2);
    const before = JSON.parse((await run('lab', 'status', '--dir', dir, '--json')).stdout) as typeof s;
    expect((await run('lab', 'tick', '--dir', dir)).code).toBe(0);
    const after = JSON.parse((await run('lab', 'status', '--dir', dir, '--json')).stdout) as typeof s;
    expect(after.vms.map((v) => v.marker)).toEqual(before.vms.map((v) => v.marker + 1));
    expect(after.backups.map((x) => x.job)).toEqual(['job1', 'job2']);
    expect((await run('lab', 'disaster', '--dir', dir)).code).toBe(0);
    expect((await run('lab', 'status', '--dir', dir)).stdout).toContain('DISASTER');
    const down = await run('lab', 'down', '--dir', dir);
    expect(down.stdout).toBe('lab stopped\n');
    expect((await run('lab', 'status', '--dir', dir)).code).toBe(2);
  });
});
