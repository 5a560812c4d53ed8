import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { OperatorError, exitCodeOf } from '../../src/errors.js';
import { parseSite } from '../../src/runbook/site.js';

const EXAMPLE = readFileSync(path.join(__dirname, '../../inventory/site.example.yaml'), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'drbook-site-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edited(edit: (site: Record<string, unknown>) => void): string {
  const site = parse(EXAMPLE) as Record<string, unknown>;
  edit(site);
  return stringify(site);
}

function refusal(text: string): OperatorError {
  try {
    parseSite(text, path.join(dir, 'site.yaml'));
  } catch (err) {
    expect(exitCodeOf(err)).toBe(2);
    return err as OperatorError;
  }
  throw new Error('expected the site file to be refused');
}

describe('site file limits: one clear line, exit 2', () => {
  it('caps timeouts below what a timer can hold (9999999 s would fire after 1 ms)', () => {
    const err = refusal(edited((s) => (s['timeouts'] = { commandSeconds: 9_999_999 })));
    expect(err.message).toMatch(/site field timeouts\.commandSeconds: must be a number of seconds above 0 and at most 86400$/);
    expect(refusal(edited((s) => (s['timeouts'] = { connectSeconds: 0 }))).message).toMatch(
      /timeouts\.connectSeconds: must be a number of seconds above 0 and at most 3600/,
    );
    const c = parse(EXAMPLE) as { callouts: Record<string, unknown>[] };
    expect(refusal(edited((s) => (s['callouts'] = [{ ...c.callouts[0], timeoutSeconds: 1e9 }]))).message).toMatch(
      /callouts\.0\.timeoutSeconds: .*at most 86400/,
    );
  });

  it('refuses a port outside 1..65535 in words, not as a safe-integer bound', () => {
    for (const port of [1e20, 70_000, 0, 22.5]) {
      const err = refusal(edited((s) => ((s['ontap'] as Record<string, unknown>)['port'] = port)));
      expect(err.message).toMatch(/site field ontap\.port: must be a whole number from 1 to 65535$/);
    }
  });

  it('refuses a YAML alias bomb as bad input, without expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`),
    ].join('\n');
    const err = refusal(bomb);
    expect(err.message).toMatch(/site\.yaml: not accepted: its YAML aliases \(\*name\) expand too many times/);
    expect(err.hint).toMatch(/write the values out/);
  });

  it('a callout env: may name variables, never one that holds a device secret', () => {
    const c = parse(EXAMPLE) as { callouts: Record<string, unknown>[] };
    const ok = parseSite(
      edited((s) => (s['callouts'] = [{ ...c.callouts[0], env: ['CHAT_WEBHOOK_URL'] }])),
      path.join(dir, 'ok.yaml'),
    );
    expect(ok.callouts[0]?.env).toEqual(['CHAT_WEBHOOK_URL']);
    const err = refusal(
      edited((s) => {
        (s['ontap'] as Record<string, unknown>)['auth'] = { method: 'password', passwordEnv: 'NETAPP_PW' };
        s['callouts'] = [{ ...c.callouts[0], env: ['CHAT_WEBHOOK_URL', 'NETAPP_PW'] }];
      }),
    );
    expect(err.message).toMatch(/callouts\.0\.env\.1: NETAPP_PW holds a device secret/);
    expect(refusal(edited((s) => (s['callouts'] = [{ ...c.callouts[0], env: ['not a name'] }]))).message).toMatch(
      /callouts\.0\.env\.0: must be an environment variable name/,
    );
  });
});

it('the example site file parses as shipped', () => {
  writeFileSync(path.join(dir, 'example.yaml'), EXAMPLE);
  expect(parseSite(EXAMPLE, path.join(dir, 'example.yaml')).callouts.map((c) => c.env)).toEqual([['CHAT_WEBHOOK_URL'], []]);
});
