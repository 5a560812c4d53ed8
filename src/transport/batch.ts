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

/** Where a byte sequence first occurs in `buf` from `from` on, or -1. */
const find = (buf: Buffer, what: Buffer, from: number): number => buf.indexOf(what, Math.max(0, from));

/**
 * A joined script's output split back into its commands' parts as it arrives: a shell writes as it
 * goes, so command i's part is whole once its end markers have come on stdout and on stderr, while
 * the script runs on. `onPart(i, part)` is called then, in order: a read is answered when its own
 * command ends (not when the last of a joined script's reads does), a change's caller learns its
 * end before the reads after it have run.
 *
 * Bytes are kept raw until a part is whole and decoded per part: the markers are ASCII, so a
 * character is never split at one, and one cut between chunks is decoded whole.
 */
export class ScriptSplitter {
  private readonly outMark: Buffer;
  private readonly errMark: Buffer;
  private out: Buffer = Buffer.alloc(0);
  private err: Buffer = Buffer.alloc(0);
  /** Commands whose stdout marker came, waiting for their stderr marker. */
  private readonly outs: { stdout: Buffer; exitCode: number }[] = [];
  /** Stderr parts whose marker came, waiting for their stdout marker. */
  private readonly errs: Buffer[] = [];
  private readonly parts: (BatchPart | null)[] = [];

  constructor(
    nonce: string,
    private readonly count: number,
    private readonly onPart: (index: number, part: BatchPart) => void = () => {},
  ) {
    this.outMark = Buffer.from(`\n${tagOf(nonce)} `, 'latin1');
    this.errMark = Buffer.from(`\n${tagOf(nonce)}\n`, 'latin1');
  }

  stdout(chunk: Buffer): void {
    const searchFrom = this.out.length - this.outMark.length - 24;
    this.out = this.out.length ? Buffer.concat([this.out, chunk]) : chunk;
    for (let from = searchFrom; ; from = 0) {
      const at = find(this.out, this.outMark, from);
      const eol = at < 0 ? -1 : this.out.indexOf(0x0a, at + this.outMark.length);
      if (eol < 0) break;
      const exitCode = Number(this.out.subarray(at + this.outMark.length, eol).toString('latin1'));
      // The nonce is random: a marker line that does not end in a status is a cut one, never output.
      if (!Number.isInteger(exitCode)) break;
      this.outs.push({ stdout: this.out.subarray(0, at), exitCode });
      this.out = this.out.subarray(eol + 1);
    }
    this.emit();
  }

  stderr(chunk: Buffer): void {
    const searchFrom = this.err.length - this.errMark.length;
    this.err = this.err.length ? Buffer.concat([this.err, chunk]) : chunk;
    for (let from = searchFrom; ; from = 0) {
      const at = find(this.err, this.errMark, from);
      if (at < 0) break;
      this.errs.push(this.err.subarray(0, at));
      this.err = this.err.subarray(at + this.errMark.length);
    }
    this.emit();
  }

  /**
   * Every command's part, in order, once the script has ended: null for a command whose end marker
   * never came (the script was cut short: the output limit, a killed shell), which may not have run
   * and whose answer is unknown. A command whose stdout marker came without its stderr marker gets
   * what stderr had left.
   */
  end(): (BatchPart | null)[] {
    while (this.outs.length > 0 && this.parts.length < this.count) {
      if (this.errs.length === 0) {
        this.errs.push(this.err);
        this.err = Buffer.alloc(0);
      }
      this.emit();
    }
    while (this.parts.length < this.count) this.parts.push(null);
    return this.parts;
  }

  private emit(): void {
    while (this.outs.length > 0 && this.errs.length > 0 && this.parts.length < this.count) {
      const o = this.outs.shift()!;
      const part: BatchPart = { stdout: o.stdout.toString('utf8'), stderr: this.errs.shift()!.toString('utf8'), exitCode: o.exitCode };
      this.parts.push(part);
      this.onPart(this.parts.length - 1, part);
    }
  }
}
