/**
 * Issue 21, item 10: the small things a new user trips over, through the real CLI.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mdText } from '../../src/plan/render-md.js';
import { runCli } from '../helpers/drbook-cli.js';
import { tempDir } from '../helpers/lab-fixture.js';

describe('help pages', () => {
  it('the top-level help never breaks a sentence mid-line', async () => {
    const r = await runCli(['--help']);
    const lines = r.stdout.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    const i = lines.findIndex((l) => l.startsWith('Fail a vSphere'));
    // The description's lines each run on to the next word, none ends after one or two words.
    expect(lines[i + 1]!.split(' ').length).toBeGreaterThan(3);
  });

  it('parse --help fits 80 columns', async () => {
    const r = await runCli(['parse', '--help']);
    expect(r.code).toBe(0);
    for (const l of r.stdout.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain('esxi-getallvms');
  });

  for (const cmd of ['resume', 'runs', 'report', 'plan']) {
    it(`${cmd} --help has an exit-code line`, async () => {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Exit: 0 /m);
    });
  }
});

describe('lab down', () => {
  it('a second lab down exits 0 and says nothing was running', async () => {
    const dir = tempDir('drbook-labdown-');
    try {
      const r = await runCli(['lab', 'down', '--dir', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('no lab was running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Markdown plan escapes only what Markdown would misread', () => {
  it('versions, datastore paths and snapshot names read as they are', () => {
    expect(mdText('drbook 0.1.0')).toBe('drbook 0.1.0');
    expect(mdText('[ds_vm1] app/app.vmx')).toBe('[ds_vm1] app/app.vmx');
    expect(mdText('smvi__daily_recent')).toBe('smvi__daily_recent');
  });
  it('markup stays text', () => {
    expect(mdText('[x](http://evil)')).toBe('\\[x\\](http://evil)');
    expect(mdText('_em_ *b* a|b <i>')).toBe('\\_em\\_ \\*b\\* a\\|b \\<i\\>');
    expect(mdText('1. item')).toBe('1\\. item');
    expect(mdText('# title')).toBe('\\# title');
  });
});
