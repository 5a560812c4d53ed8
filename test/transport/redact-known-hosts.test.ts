import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/transport/redact.js';
import { fingerprintOf } from '../../src/transport/ssh/fingerprint.js';
import { knownHostsName, lookupKnownHosts } from '../../src/transport/ssh/known-hosts.js';

const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIBbT5ygvwzTLNtDqIrKJ7MFcnEi4EJ1A2j0fTY3Hf2Z1';
const fpA = fingerprintOf(Buffer.from(KEY_A, 'base64'));
const fpB = fingerprintOf(Buffer.from(KEY_B, 'base64'));

describe('createRedactor', () => {
  it('blanks every known secret, longest first, and ignores empty ones', () => {
    const r = createRedactor();
    r.add('');
    r.add('abc');
    r.add('abcdef');
    expect(r.redact('x abcdef y abc z')).toBe('x *** y *** z');
    expect(r.redact('nothing')).toBe('nothing');
  });
});

describe('fingerprintOf', () => {
  it('is SHA256: + unpadded base64', () => {
    expect(fpA).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('lookupKnownHosts', () => {
  it('names non-22 ports in brackets', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('finds plain, listed, wildcard and hashed entries, and skips negated and CA lines', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('10.0.0.7').digest('base64')}`;
    const text = [
      '# comment',
      `esx01,10.0.0.5 ssh-ed25519 ${KEY_A}`,
      `[10.0.0.5]:2222 ssh-ed25519 ${KEY_B}`,
      `10.0.1.* ssh-ed25519 ${KEY_B}`,
      `10.0.2.*,!10.0.2.9 ssh-ed25519 ${KEY_B}`,
      `${hashed} ssh-ed25519 ${KEY_A}`,
      `@cert-authority * ssh-ed25519 ${KEY_B}`,
      `@revoked 10.0.0.8 ssh-ed25519 ${KEY_A}`,
    ].join('\n');
    expect(lookupKnownHosts(text, '10.0.0.5', 22)).toEqual([{ keyType: 'ssh-ed25519', fingerprint: fpA, revoked: false }]);
    expect(lookupKnownHosts(text, '10.0.0.5', 2222).map((k) => k.fingerprint)).toEqual([fpB]);
    expect(lookupKnownHosts(text, '10.0.1.3', 22).map((k) => k.fingerprint)).toEqual([fpB]);
    expect(lookupKnownHosts(text, '10.0.2.9', 22)).toEqual([]);
    expect(lookupKnownHosts(text, '10.0.0.7', 22).map((k) => k.fingerprint)).toEqual([fpA]);
    expect(lookupKnownHosts(text, '10.0.0.8', 22)).toEqual([{ keyType: 'ssh-ed25519', fingerprint: fpA, revoked: true }]);
    expect(lookupKnownHosts(text, '10.9.9.9', 22)).toEqual([]);
  });
});
