import ssh2 from 'ssh2';
import { ConnectError } from '../../errors.js';
import { fingerprintOf } from './fingerprint.js';
import { socketFailure } from './socket-errors.js';

const { Client } = ssh2;

export interface ProbeTarget {
  address: string;
  port: number;
  /** Whole budget for TCP connect + SSH handshake up to the host key. */
  timeoutMs: number;
}

export interface ProbedHostKey {
  /** OpenSSH `SHA256:…` fingerprint (base64, no padding), as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The key's own type from its blob, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  keyType: string;
}

/** The first SSH string of a key blob is its type name. */
function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return len > 0 && 4 + len <= blob.length ? blob.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

/**
 * Read the host key a device presents, without logging in: the hostVerifier records the key and
 * refuses it, which ends the handshake before any credentials are sent. The key negotiated is the
 * one ssh2's default algorithm order picks — the same order the pool uses for a pinned host.
 */
export function probeHostKey(target: ProbeTarget): Promise<ProbedHostKey> {
  const where = `${target.address}:${target.port}`;
  const netHint = `check the address and port, that SSH is enabled on the device, and that no firewall blocks port ${target.port}`;
  return new Promise<ProbedHostKey>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const finish = (outcome: { key: ProbedHostKey } | { error: ConnectError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.on('error', () => {
        /* the refused handshake reports an error after we have what we came for */
      });
      client.end();
      if ('key' in outcome) resolve(outcome.key);
      else reject(outcome.error);
    };
    // Our own timer, because readyTimeout does not cover a TCP connect that never completes on every platform.
    const timer = setTimeout(() => {
      finish({
        error: new ConnectError(where, 'timeout', `${where}: no SSH host key within ${Math.round(target.timeoutMs / 1000)} s`, netHint),
      });
      client.destroy();
    }, target.timeoutMs);

    client.on('error', (err: Error & { code?: string; level?: string }) => {
      const { why, reason } = socketFailure(err);
      finish({ error: new ConnectError(where, reason, `${where}: cannot read the SSH host key: ${why}`, netHint, { cause: err }) });
    });
    client.on('close', () => {
      finish({
        error: new ConnectError(
          where,
          'unreachable',
          `${where}: the connection closed before the device showed an SSH host key`,
          'check that this address and port point at an SSH server',
        ),
      });
    });
    client.on('ready', () => {
      // Unreachable in practice: the verifier refuses every key. Never stay logged in.
      finish({
        error: new ConnectError(where, 'unreachable', `${where}: login happened without a host key check`, 'report this as a bug'),
      });
    });
    client.connect({
      host: target.address,
      port: target.port,
      username: 'drbook-probe',
      readyTimeout: target.timeoutMs,
      // Nothing to authenticate with: the handshake stops at the host key.
      authHandler: () => false,
      hostVerifier: (key: Buffer) => {
        finish({ key: { fingerprint: fingerprintOf(key), keyType: keyTypeOf(key) } });
        return false;
      },
    });
  });
}
