import { describe, expect, it } from 'vitest';
import { calloutEnvironment } from '../../src/transport/local/callout-env.js';
import { runLocal } from '../../src/transport/local/run-local.js';
import { createRedactor, learnSecrets, secretVariables } from '../../src/transport/redact.js';

describe('the redaction rule', () => {
  it('blanks a secret of 4 characters or more wherever it occurs, also inside a word', () => {
    const r = createRedactor();
    r.add('Idle');
    expect(r.redact('svm1:vm_vol1 XDP svm2:m Snapmirrored Idle - true -')).toBe('svm1:vm_vol1 XDP svm2:m Snapmirrored *** - true -');
    expect(r.redact('notIdleNow')).toBe('not***Now');
  });

  it('blanks a short secret only where it stands as a word: numbers, versions, times and paths stay', () => {
    const r = createRedactor();
    r.add('0');
    // Left alone: part of a number, a version, a time, a path, a name.
    for (const kept of ['10 VMs', '7.0.3', 'lag 0:05:12', '/vmfs/volumes/ds0/web', 'world 1000', 'web0', '-0-', '2026-12-03'])
      expect(r.redact(kept)).toBe(kept);
    // Blanked: on its own, quoted, in brackets, after = or |, closing a sentence.
    expect(r.redact('0')).toBe('***');
    expect(r.redact('exit 0')).toBe('exit ***');
    expect(r.redact('password=0;')).toBe('password=***;');
    expect(r.redact('said "0" and \'0\' (0) [0] {0} <0> |0|')).toBe('said "***" and \'***\' (***) [***] {***} <***> |***|');
    expect(r.redact('the password is 0.')).toBe('the password is ***.');
    expect(r.redact('0\n0\t0')).toBe('***\n***\t***');
  });

  it('treats a secret as text, not as a pattern', () => {
    const r = createRedactor();
    r.add('a.c');
    r.add('(x)+$');
    expect(r.redact('abc a.c')).toBe('abc ***');
    expect(r.redact('p=(x)+$ (x)')).toBe('p=*** (x)');
  });

  it('blanks the longest secret first, and ignores an empty one', () => {
    const r = createRedactor();
    r.add('');
    r.add('pass');
    r.add('password-1');
    expect(r.redact('password-1 pass')).toBe('*** ***');
    expect(r.redact('nothing here')).toBe('nothing here');
  });

  it('learns the secrets the site names from the environment', () => {
    const endpoints = [
      { auth: { method: 'password', passwordEnv: 'ESX_PW' } },
      { auth: { method: 'key', passphraseEnv: 'KEY_PP' } },
      { auth: { method: 'agent' } },
      { auth: { method: 'password', passwordEnv: 'UNSET_PW' } },
    ];
    expect(secretVariables(endpoints)).toEqual(['ESX_PW', 'KEY_PP', 'UNSET_PW']);
    const r = createRedactor();
    learnSecrets(r, endpoints, { ESX_PW: 'hunter22', KEY_PP: 'Idle', OTHER: 'visible' });
    expect(r.redact('hunter22 Idle visible')).toBe('*** *** visible');
  });
});

describe('the environment of a callout', () => {
  const from = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/op',
    LANG: 'ja_JP.UTF-8',
    ESX_PW: 'secret-pw',
    CHAT_WEBHOOK_URL: 'https://chat.example/x',
    SSH_AUTH_SOCK: '/tmp/agent',
    AWS_SECRET_ACCESS_KEY: 'k',
  };

  it('is the base variables, the allowed ones and the DRBOOK_ facts: nothing else', () => {
    const env = calloutEnvironment({
      from,
      allow: ['CHAT_WEBHOOK_URL', 'NOT_SET'],
      secrets: ['ESX_PW'],
      facts: { SITE: 'lab', POINT: 'end', RUN_ID: undefined },
    });
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/op',
      LANG: 'ja_JP.UTF-8',
      CHAT_WEBHOOK_URL: 'https://chat.example/x',
      DRBOOK_SITE: 'lab',
      DRBOOK_POINT: 'end',
    });
  });

  it('never holds a secret variable, even when allowed by name', () => {
    const env = calloutEnvironment({ from, allow: ['ESX_PW'], secrets: ['ESX_PW'], facts: {} });
    expect(env).not.toHaveProperty('ESX_PW');
  });

  it('is all a real process sees', async () => {
    const env = calloutEnvironment({
      from: { ...process.env, ESX_PW: 'secret-pw' },
      allow: [],
      secrets: ['ESX_PW'],
      facts: { SITE: 'lab' },
    });
    const r = await runLocal([process.execPath, '-e', 'console.log(JSON.stringify(Object.keys(process.env).sort()))'], {
      timeoutMs: 10_000,
      env,
    });
    const seen = JSON.parse(r.stdout) as string[];
    expect(seen).toContain('DRBOOK_SITE');
    expect(seen).not.toContain('ESX_PW');
    expect(seen.every((k) => ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'DRBOOK_SITE'].includes(k))).toBe(true);
  });
});
