/**
 * A journal written by drbook before its events carried intents (test/fixtures/journal-v1, see
 * its README): a lab failover killed right after the host answered a soft kill of web01, whose
 * world does not die of a soft kill, with esx01's lockdown already exited. `drbook resume` on it
 * must escalate to the hard kill (never send soft twice), finish the failover, and put esx01 back
 * in lockdown: facts that today's drbook reads from intents, and the migration from the old text.
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabStatus } from '../../src/lab/lab.js';
import { Journal } from '../../src/journal/journal.js';
import { cliEnv, runCli, type CliResult } from '../helpers/drbook-cli.js';
import { MIRROR_PATH, appliedTwice, killEscalationProblems, startCase, tempDir } from '../helpers/lab-fixture.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/journal-v1');
const RUN_ID = '20261203-1236-68b8';
/** web01's world on esx01 in the fixture's lab state. */
const WEB01_WORLD = 2966004;

let dir: string;
let result: CliResult;
let status: LabStatus;

beforeAll(async () => {
  dir = tempDir('drbook-journal-v1-');
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.endsWith('.md') && !src.endsWith('.txt') });
  const lab = await startCase(dir);
  try {
    result = await runCli(
      ['resume', RUN_ID, '--site', lab.siteFile, '--db', path.join(dir, 'drbook.db'), '--json', '--confirm', MIRROR_PATH, '--ack-manual'],
      {
        env: cliEnv(),
        timeoutMs: 120_000,
      },
    );
    status = lab.status();
  } finally {
    await lab.stop();
  }
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a journal from before typed intents resumes to the right end', () => {
  it('the resumed run finishes', () => {
    expect(result.code, result.stderr).toBe(0);
    const j = Journal.open(path.join(dir, 'drbook.db'), { forReading: true });
    try {
      expect(j.getRun(RUN_ID)?.status).toBe('done');
    } finally {
      j.close();
    }
  });

  it('escalates web01 to the hard kill: the soft kill it journaled as answered is not sent again', () => {
    const kills = status.actions.filter((a) => a.action === 'kill' && a.target.startsWith(`${WEB01_WORLD}/`));
    expect(kills.map((a) => `${a.target} ×${a.count}`).sort()).toEqual([`${WEB01_WORLD}/hard ×1`, `${WEB01_WORLD}/soft ×1`]);
    expect(killEscalationProblems(status.actions)).toEqual([]);
    expect(appliedTwice(status.actions)).toEqual([]);
  });

  it('every VM runs from the mirror and lockdown is back where it was (esx01 in, esx02 out)', () => {
    expect(status.vms.filter((v) => v.stale)).toEqual([]);
    for (const v of status.vms) {
      expect(v.datastore, v.name).toBe('ds_vm1_mirror');
      expect(v.power, v.name).toBe('on');
    }
    expect(status.lockdown).toEqual({ esx01: true, esx02: false });
  });
});
