/**
 * Several reads of one host in one exec. When many VMs of a host poll at the same moment (their
 * waits land on the same clock ticks: src/failover/wait.ts), each poll is a read of its own VM that
 * no other caller shares; sent one per exec they cost the device a session, a shell and a login
 * record each. Joined into one POSIX sh script they cost one, and each read still gets its own
 * output, exit status and journal entry: after every read the script prints a marker line with
 * the read's exit status on stdout and a marker line on stderr, and the output is split back at
 * the markers. The marker carries a random nonce, so nothing a device prints can forge one.
 *
 * Only reads are joined (a read changes nothing, so running several in one script is the same as
 * running them one after another), and only for devices whose shell is POSIX sh (ESXi's busybox
 * ash); the adapter says so per command (ExecOptions.batch). The one change a script may hold comes
 * first, with the reads its caller asked to take right after it (ExecOptions.readsAfter).
 */

/** The shells a batch can be written for. */
export type BatchShell = 'posix-sh';

export interface BatchPart {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const MARK = '@drbook-read-end';

const tagOf = (nonce: string): string => `${MARK}-${nonce}`;

/** The script that runs `lines` one after another, each followed by its markers. */
export function batchScript(lines: readonly string[], nonce: string): string {
  const tag = tagOf(nonce);
  return lines.map((line) => `${line}; printf '\\n%s %d\\n' ${tag} "$?"; printf '\\n%s\\n' ${tag} >&2`).join('; ');
}

/**
 * The first whole end marker line in stdout from `from` on: where it starts, the exit status it
 * carries and where the text after it starts; null when none has come whole yet.
 */
function endMarker(stdout: string, from: number, nonce: string): { at: number; code: number; next: number } | null {
  const outMark = `\n${tagOf(nonce)} `;
  const at = stdout.indexOf(outMark, from);
  const eol = at < 0 ? -1 : stdout.indexOf('\n', at + outMark.length);
  const code = eol < 0 ? NaN : Number(stdout.slice(at + outMark.length, eol));
  return Number.isInteger(code) ? { at, code, next: eol + 1 } : null;
}

/**
 * A watcher of the script's stdout as it arrives: `onEnd(i)` is called when command i's end marker
 * comes (a shell writes as it goes, so a change's marker arrives before the reads after it ran).
 * Bytes are read as latin1: the markers are ASCII, and a character split between chunks is no
 * marker either way.
 */
export function endWatcher(nonce: string, onEnd: (index: number) => void): (chunk: Buffer) => void {
  let pending = '';
  let ended = 0;
  return (chunk) => {
    pending += chunk.toString('latin1');
    for (let m = endMarker(pending, 0, nonce); m; m = endMarker(pending, 0, nonce)) {
      pending = pending.slice(m.next);
      onEnd(ended++);
    }
    // Keep what may be the start of a marker cut by the chunk's end.
    const start = pending.lastIndexOf('\n');
    pending = start < 0 ? '' : pending.slice(start);
  };
}

/**
 * Each read's output and exit status, in order; null for a read whose end marker never came (the
 * script was cut short: the output limit, a killed shell): it may not have run, and nothing is
 * known of its answer.
 */
export function splitBatch(stdout: string, stderr: string, count: number, nonce: string): (BatchPart | null)[] {
  const errMark = `\n${tagOf(nonce)}\n`;
  const parts: (BatchPart | null)[] = [];
  let out = 0;
  let err = 0;
  for (let i = 0; i < count; i++) {
    const m = endMarker(stdout, out, nonce);
    if (!m) {
      while (parts.length < count) parts.push(null);
      break;
    }
    const errAt = stderr.indexOf(errMark, err);
    parts.push({
      stdout: stdout.slice(out, m.at),
      stderr: errAt < 0 ? stderr.slice(err) : stderr.slice(err, errAt),
      exitCode: m.code,
    });
    out = m.next;
    err = errAt < 0 ? stderr.length : errAt + errMark.length;
  }
  return parts;
}
