import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { Lab } from '../../src/lab/lab.js';

export function tempDir(prefix = 'lab-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Exec {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run one command over a real SSH connection, as the adapters will. */
export function sshExec(port: number, user: string, keyFile: string, line: string): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client
      .on('ready', () => {
        client.exec(line, (err, stream) => {
          if (err) return reject(err);
          let stdout = '';
          let stderr = '';
          let code: number | null = null;
          stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
          stream.on('exit', (c: number | null) => (code = c));
          stream.on('close', () => {
            client.end();
            resolve({ stdout, stderr, code });
          });
        });
      })
      .on('error', reject)
      .on('close', () => reject(new Error('connection closed before the command ran')))
      .connect({ host: '127.0.0.1', port, username: user, privateKey: readFileSync(keyFile), readyTimeout: 10_000 });
  });
}

export function esxi(lab: Lab, host: string, line: string): Promise<Exec> {
  const h = lab.status().hosts.find((x) => x.name === host)!;
  return sshExec(h.port, 'root', lab.keyFile, line);
}

export function ontap(lab: Lab, line: string): Promise<Exec> {
  return sshExec(lab.status().ontap.port, 'admin', lab.keyFile, line);
}

/** A host that is not in lockdown (or the first one, unlocked through dcui). */
export async function openHost(lab: Lab): Promise<string> {
  const s = lab.status();
  const h = s.hosts.find((x) => !x.lockdown) ?? s.hosts[0]!;
  if (h.lockdown) await esxi(lab, h.name, 'vim-cmd -U dcui vimsvc/auth/lockdown_mode_exit');
  return h.name;
}
