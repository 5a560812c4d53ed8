/**
 * Typed ONTAP operations over a RemoteHost. Every call is one SSH exec of
 * `set -confirmations off; rows 0; <command>`, built by ./commands.ts (the same builders
 * `drbook plan` prints; the reasons for the prefix are there).
 *
 * ONTAP's SSH exit status does not tell failure from success, so every output is searched for an
 * ONTAP error (`Error: …`, a failed job) and that becomes a RemoteCommandError carrying ONTAP's text.
 *
 * Show commands ask for `-fields` (one line per record, never wrapped). `set -showseparator` would
 * be easier still, but no real sample of its output was found (the `set` man page documents the
 * parameter, not the exact layout), so the plain `-fields` layout, which we have real samples of, is used.
 */
import { DrbookError, RemoteCommandError } from '../../errors.js';
import { ontapLine, type OntapToken } from '../../transport/quote.js';
import { ONTAP_SESSION_PREFIX, SNAPMIRROR_FIELDS, ontapSessionLine, ontapTokens as t } from './commands.js';
import type { CommandIntent } from '../../transport/intent.js';
import type { ExecOptions, RemoteHost } from '../../transport/types.js';
import { findOntapError, parseOntapMessage, type OntapMessage } from './messages.js';
import {
  parseSnapmirrorShow,
  parseSnapshotShow,
  parseVolumeCloneShow,
  parseVolumeShow,
  type OntapSnapshot,
  type SnapmirrorRelationship,
} from './parsers.js';

export interface OntapOpsOptions {
  /** Per-command timeout handed to RemoteHost.exec. */
  timeoutMs?: number;
}

export interface OntapVolumeState {
  /** `online`, `offline`, `restricted`… as printed; null when ONTAP shows `-`. */
  state: string | null;
  /** `RW`, `DP`, `LS`… */
  type: string | null;
  junctionPath: string | null;
}

/** The result of a command that changes something: ONTAP's words, read with the message grammar. */
export interface OntapCommandOutcome {
  /** The ONTAP command (without the session prefix). */
  command: string;
  /** The whole line sent. */
  line: string;
  output: string;
  message: OntapMessage;
}

export { ONTAP_SESSION_PREFIX, SNAPMIRROR_FIELDS, ontapSessionLine };

export class OntapOps {
  constructor(
    readonly host: RemoteHost,
    private readonly opts: OntapOpsOptions = {},
  ) {}

  /** Run one command; an ONTAP error in the output (whatever the exit status) throws RemoteCommandError. */
  /** `mark`: the intent of a command that changes something, or 'shared' for a `show` a shared read may answer. */
  async run(tokens: readonly OntapToken[], purpose?: string, mark?: CommandIntent | 'shared'): Promise<OntapCommandOutcome> {
    const command = ontapLine(tokens);
    const line = ontapSessionLine(tokens);
    const options: ExecOptions = {};
    if (this.opts.timeoutMs !== undefined) options.timeoutMs = this.opts.timeoutMs;
    if (purpose !== undefined) options.purpose = purpose;
    // A `show` changes nothing: a shared read may answer it (src/transport/shared-reads.ts).
    if (mark === 'shared') options.read = 'shared';
    else if (mark !== undefined) options.intent = mark;
    const result = await this.host.exec(line, options);
    const output = result.stderr.trim() === '' ? result.stdout : `${result.stdout}\n${result.stderr}`;
    const error = findOntapError(output);
    if (error !== null) throw new RemoteCommandError(this.host.endpoint.name, command, error);
    if (result.exitCode !== 0 && result.exitCode !== null) {
      // No ONTAP error text but a failed exit: say so rather than read the output as success.
      const said = result.stderr.trim() || result.stdout.trim();
      throw new RemoteCommandError(
        this.host.endpoint.name,
        command,
        said === '' ? `exit status ${result.exitCode} and no output` : said.split('\n')[0]!,
      );
    }
    return { command, line, output, message: parseOntapMessage(output) };
  }

  /** `snapmirror show [-destination-path X] -fields …`: every relationship, or the one into X. */
  async relationships(filter: { destination?: string } = {}): Promise<SnapmirrorRelationship[]> {
    const out = await this.run(t.relationships(filter), 'read snapmirror relationships', 'shared');
    return parseSnapmirrorShow(out.output).relationships;
  }

  quiesce(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.quiesce(destination), `quiesce ${destination}`, { op: 'snapmirror-quiesce', destination });
  }

  break(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.break(destination), `break ${destination}`, { op: 'snapmirror-break', destination });
  }

  update(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.update(destination), `update ${destination}`, { op: 'snapmirror-update', destination });
  }

  resync(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.resync(destination), `resync ${destination}`, { op: 'snapmirror-resync', destination });
  }

  /** The snapshots of one volume with their create times (`[]` when it has none). */
  async snapshots(vserver: string, volume: string): Promise<OntapSnapshot[]> {
    const out = await this.run(t.snapshots(vserver, volume), `list snapshots of ${vserver}:${volume}`, 'shared');
    return parseSnapshotShow(out.output).snapshots;
  }

  createSnapshot(vserver: string, volume: string, snapshot: string): Promise<OntapCommandOutcome> {
    return this.run(t.createSnapshot(vserver, volume, snapshot), `create snapshot ${snapshot} of ${vserver}:${volume}`, {
      op: 'snapshot-create',
      volume: `${vserver}:${volume}`,
      snapshot,
    });
  }

  deleteSnapshot(vserver: string, volume: string, snapshot: string): Promise<OntapCommandOutcome> {
    return this.run(t.deleteSnapshot(vserver, volume, snapshot), `delete snapshot ${snapshot} of ${vserver}:${volume}`, {
      op: 'snapshot-delete',
      volume: `${vserver}:${volume}`,
      snapshot,
    });
  }

  /** SnapRestore: the whole volume back to the snapshot; everything newer is lost. */
  restoreVolume(vserver: string, volume: string, snapshot: string): Promise<OntapCommandOutcome> {
    return this.run(t.restoreVolume(vserver, volume, snapshot), `restore ${vserver}:${volume} to ${snapshot}`, {
      op: 'restore',
      volume: `${vserver}:${volume}`,
      snapshot,
    });
  }

  /** Single-file SnapRestore of `path` (volume-relative), optionally to `restorePath`. */
  restoreFile(vserver: string, volume: string, snapshot: string, path: string, restorePath?: string): Promise<OntapCommandOutcome> {
    for (const p of [path, ...(restorePath === undefined ? [] : [restorePath])]) {
      const bad = restoreFilePathProblem(p);
      if (bad)
        throw new DrbookError(
          `restore-file: ${JSON.stringify(p)} is not sent to the clustershell: ${bad}`,
          `only letters, digits, spaces and ${RESTORE_PATH_PUNCTUATION} are sent`,
        );
    }
    return this.run(
      t.restoreFile(vserver, volume, snapshot, path, restorePath),
      `restore file ${path} of ${vserver}:${volume} from ${snapshot}`,
      {
        op: 'restore-file',
        volume: `${vserver}:${volume}`,
        snapshot,
        path,
        restorePath,
      },
    );
  }

  cloneCreate(
    vserver: string,
    clone: string,
    parentVolume: string,
    parentSnapshot: string,
    junctionPath: string,
  ): Promise<OntapCommandOutcome> {
    return this.run(
      t.cloneCreate(vserver, clone, parentVolume, parentSnapshot, junctionPath),
      `clone ${vserver}:${parentVolume}@${parentSnapshot} as ${clone}`,
      { op: 'clone-create', clone: `${vserver}:${clone}`, parent: `${vserver}:${parentVolume}`, snapshot: parentSnapshot, junctionPath },
    );
  }

  /**
   * Unmount, offline and delete a FlexClone: three commands, each one exec, stopping at the first
   * error. `already` names what an interrupted delete did before, so it finishes from there.
   */
  async cloneDelete(
    vserver: string,
    clone: string,
    already: { unmounted?: boolean; offline?: boolean } = {},
  ): Promise<OntapCommandOutcome[]> {
    const out: OntapCommandOutcome[] = [];
    for (const verb of ['unmount', 'offline', 'delete'] as const) {
      if ((verb === 'unmount' && already.unmounted) || (verb === 'offline' && already.offline)) continue;
      out.push(
        await this.run(t.volumeVerb(verb, vserver, clone), `${verb} clone ${vserver}:${clone}`, {
          op: `volume-${verb}`,
          volume: `${vserver}:${clone}`,
        }),
      );
    }
    return out;
  }

  /** State, type and junction path of a volume; null when no such volume. */
  async volumeState(vserver: string, volume: string): Promise<OntapVolumeState | null> {
    const out = await this.run(t.volumeState(vserver, volume), `read state of ${vserver}:${volume}`, 'shared');
    const row = parseVolumeShow(out.output).volumes.find((v) => v.vserver === vserver && v.volume === volume);
    return row ? { state: row.state, type: row.type, junctionPath: row.junctionPath } : null;
  }

  /** The parent volume and snapshot of a FlexClone; null when VOLUME is not a clone (or does not exist). */
  async cloneOrigin(vserver: string, clone: string): Promise<{ parentVolume: string | null; parentSnapshot: string | null } | null> {
    const out = await this.run(t.cloneShow(vserver, clone), `is ${vserver}:${clone} a clone`, 'shared');
    const row = parseVolumeCloneShow(out.output).clones.find((c) => c.vserver === vserver && c.flexclone === clone);
    return row ? { parentVolume: row.parentVolume, parentSnapshot: row.parentSnapshot } : null;
  }

  mount(vserver: string, volume: string, junctionPath: string): Promise<OntapCommandOutcome> {
    return this.run(t.mount(vserver, volume, junctionPath), `mount ${vserver}:${volume} at ${junctionPath}`, {
      op: 'volume-mount',
      volume: `${vserver}:${volume}`,
      junctionPath,
    });
  }

  unmount(vserver: string, volume: string): Promise<OntapCommandOutcome> {
    return this.run(t.unmount(vserver, volume), `unmount ${vserver}:${volume}`, { op: 'volume-unmount', volume: `${vserver}:${volume}` });
  }

  // ---- the way back (reprotect, failback) ----

  createRelationship(source: string, destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.create(source, destination), `create relationship ${source} -> ${destination}`, {
      op: 'snapmirror-create',
      source,
      destination,
    });
  }

  /**
   * The size (bytes) and duration (seconds) of the last transfer into `destination`; null when
   * ONTAP shows no such relationship or no transfer (`-`), or a duration of 0.
   */
  async lastTransfer(destination: string): Promise<{ bytes: number; seconds: number } | null> {
    const out = await this.run(t.lastTransfer(destination), `last transfer of ${destination}`, 'shared');
    const r = parseSnapmirrorShow(out.output).relationships.find((x) => x.destination === destination);
    const bytes = parseOntapSize(r?.fields.lastTransferSize ?? null);
    const seconds = parseOntapDuration(r?.fields.lastTransferDuration ?? null);
    return bytes !== null && seconds !== null && seconds > 0 ? { bytes, seconds } : null;
  }

  initialize(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.initialize(destination), `initialize ${destination}`, { op: 'snapmirror-initialize', destination });
  }

  deleteRelationship(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.deleteRelationship(destination), `delete relationship into ${destination}`, { op: 'snapmirror-delete', destination });
  }

  /** The source side's record only (`-relationship-info-only true`): its snapshots stay. */
  release(destination: string): Promise<OntapCommandOutcome> {
    return this.run(t.release(destination), `release ${destination} (relationship info only)`, { op: 'snapmirror-release', destination });
  }

  /** The source side's records of relationships into `destination` (sources and destinations only). */
  async listDestinations(destination: string): Promise<{ source: string; destination: string }[]> {
    const out = await this.run(t.listDestinations(destination), `list destinations ${destination}`);
    return parseSnapmirrorShow(out.output).relationships.map((r) => ({ source: r.source, destination: r.destination }));
  }

  /** State, type, junction path and used space (bytes; null when not shown) of a volume; null when no such volume. */
  async volumeUsage(
    vserver: string,
    volume: string,
  ): Promise<(OntapVolumeState & { usedBytes: number | null; aggregate: string | null; size: string | null }) | null> {
    const out = await this.run(t.volumeUsed(vserver, volume), `read state and used space of ${vserver}:${volume}`);
    const row = parseVolumeShow(out.output).volumes.find((v) => v.vserver === vserver && v.volume === volume);
    return row
      ? {
          state: row.state,
          type: row.type,
          junctionPath: row.junctionPath,
          usedBytes: parseOntapSize(row.fields.used ?? null),
          aggregate: row.fields.aggregate ?? null,
          size: row.fields.size ?? null,
        }
      : null;
  }

  renameVolume(vserver: string, volume: string, newName: string): Promise<OntapCommandOutcome> {
    return this.run(t.volumeRename(vserver, volume, newName), `rename ${vserver}:${volume} to ${newName}`, {
      op: 'volume-rename',
      volume: `${vserver}:${volume}`,
      newName,
    });
  }

  createDpVolume(vserver: string, volume: string, aggregate: string, size: string): Promise<OntapCommandOutcome> {
    return this.run(t.volumeCreateDp(vserver, volume, aggregate, size), `create DP volume ${vserver}:${volume}`, {
      op: 'volume-create-dp',
      volume: `${vserver}:${volume}`,
      aggregate,
      size,
    });
  }
}

/** ONTAP's printed sizes (`87.7GB`, `500GB`, `1.2TB`, `340KB`, `0B`) in bytes; null when not one. ONTAP's units are powers of 1024. */
export function parseOntapSize(text: string | null): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTP]?)B$/i.exec(text?.trim() ?? '');
  if (!m) return null;
  const unit = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 }[
    m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G' | 'T' | 'P'
  ];
  return Math.round(Number(m[1]) * unit);
}

/** ONTAP's `h:m:s` durations (`0:0:49`, `64:17:2`: hours unbounded, parts unpadded) in seconds; null when not one. */
export function parseOntapDuration(text: string | null): number | null {
  const m = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(text?.trim() ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

/** Punctuation a `restore-file` path may hold (inside double quotes, none of it has a meaning). */
export const RESTORE_PATH_PUNCTUATION = "_ . - + = @ % ~ ( ) [ ] ' , & $";
const RESTORE_PATH = /^\/(?:[\p{L}\p{M}\p{N} _.\-+=@%~()[\]',&$]+\/?)*$/u;

/**
 * Why `path` cannot be given to `volume snapshot restore-file -path`, or null when it can: an
 * absolute, volume-relative path of letters (any script), digits, spaces and the punctuation
 * above, without `.` or `..` components. Anything else (`"` and `\` have no documented escape;
 * `* ! | < > { } ? #` are clustershell syntax) is refused rather than guessed at.
 */
export function restoreFilePathProblem(path: string): string | null {
  if (!RESTORE_PATH.test(path)) {
    const odd = [...new Set([...path].filter((c) => !/[\p{L}\p{M}\p{N} _.\-+=@%~()[\]',&$/]/u.test(c)))];
    if (!path.startsWith('/')) return 'it must start with /';
    return odd.length > 0 ? `it holds ${odd.map((c) => JSON.stringify(c)).join(' ')}` : 'it has an empty component (//)';
  }
  if (path.split('/').some((c) => c === '.' || c === '..')) return 'it has a . or .. component';
  return null;
}
