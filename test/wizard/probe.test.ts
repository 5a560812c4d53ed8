import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../src/errors.js';
import { probeHostKey } from '../../src/transport/ssh/probe.js';
import { closedPort, startSilentServer, startSshServer, type TestSshServer } from '../helpers/ssh-server.js';

describe('probeHostKey', () => {
  let server: TestSshServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the host key fingerprint without logging in', async () => {
    server = await startSshServer({ password: 'never-sent' });
    const key = await probeHostKey({ address: '127.0.0.1', port: server.port, timeoutMs: 10_000 });
    expect(key).toEqual({ fingerprint: server.hostKeyFingerprint, keyType: 'ssh-ed25519' });
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(server.commands).toEqual([]);
  });

  it('names address:port and what to do when nothing listens', async () => {
    const port = await closedPort();
    const err = await probeHostKey({ address: '127.0.0.1', port, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).message).toBe(`127.0.0.1:${port}: cannot read the SSH host key: connection refused`);
    expect((err as ConnectError).hint).toMatch(/check the address and port/);
    expect((err as ConnectError).reason).toBe('unreachable');
  });

  it('gives up with a timeout when the port accepts but never speaks SSH', async () => {
    const silent = await startSilentServer();
    try {
      const err = await probeHostKey({ address: '127.0.0.1', port: silent.port, timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).reason).toBe('timeout');
      expect((err as ConnectError).message).toContain(`127.0.0.1:${silent.port}`);
    } finally {
      await silent.close();
    }
  });
});
