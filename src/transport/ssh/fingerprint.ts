import { createHash } from 'node:crypto';

/**
 * The OpenSSH fingerprint of a host key: `SHA256:` + base64 of the SHA-256 of the key blob (the
 * wire-format public key), without `=` padding — what `ssh-keygen -lf` and `ssh` print.
 */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}
