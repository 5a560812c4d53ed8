/**
 * The set-up every `drbook init` test shares: a fresh temp dir to write the site file in, real SSH
 * servers to pin keys of (closed after each test), and a CommandContext on a pretend terminal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { CommandContext } from '../../src/commands/context.js';
import { createRedactor } from '../../src/transport/redact.js';
import { startSshServer, type TestSshServer } from '../helpers/ssh-server.js';
import type { fakeTerminal } from './terminal.js';

/** An interactive context whose stdin, stdout and stderr are the pretend terminal. */
export function contextFor(term: ReturnType<typeof fakeTerminal>, cwd: string, env: NodeJS.ProcessEnv = { LANG: 'C' }): CommandContext {
  return {
    stdin: term.stdin,
    stdout: term.stdout,
    stderr: term.stdout,
    env,
    cwd,
    interactive: true,
    signal: new AbortController().signal,
    redactor: createRedactor(),
  };
}

/** Call inside a `describe`: `dir` is a new temp dir for each test, removed after it with the servers started. */
export function initWorkspace(prefix: string): { readonly dir: string; sshServer: () => Promise<TestSshServer> } {
  let dir = '';
  const servers: TestSshServer[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    /** A real SSH server on 127.0.0.1, closed after the test. */
    sshServer: async () => {
      const server = await startSshServer();
      servers.push(server);
      return server;
    },
  };
}
