import { createHmac } from 'node:crypto';
import { fingerprintOf } from './fingerprint.js';

/** One key that a known_hosts file gives for a host. */
export interface KnownKey {
  keyType: string;
  fingerprint: string;
  revoked: boolean;
}

/** The name OpenSSH stores for a host: `addr` on port 22, `[addr]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(entry: string, name: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
  const parts = entry.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const want = parts[3] ?? '';
  return createHmac('sha1', salt).update(name).digest('base64') === want;
}

function patternsMatch(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatches(field, name);
  let matched = false;
  for (const raw of field.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (globToRegExp(pattern).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/**
 * The keys a known_hosts text holds for `address:port`: plain, wildcard and hashed (`|1|`) host
 * fields, `[addr]:port` names, and `@revoked` markers. `@cert-authority` lines are skipped: drbook
 * pins host keys, not CAs.
 */
export function lookupKnownHosts(text: string, address: string, port: number): KnownKey[] {
  const name = knownHostsName(address, port);
  const out: KnownKey[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) marker = fields.shift();
    if (marker === '@cert-authority') continue;
    const [hosts, keyType, keyData] = fields;
    if (!hosts || !keyType || !keyData) continue;
    if (!patternsMatch(hosts, name)) continue;
    const blob = Buffer.from(keyData, 'base64');
    if (blob.length === 0) continue;
    out.push({ keyType, fingerprint: fingerprintOf(blob), revoked: marker === '@revoked' });
  }
  return out;
}
