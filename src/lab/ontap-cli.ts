import { splitOntapLine, type OntapWord } from '../transport/quote.js';
import type { LatencyProfile } from './latency.js';
import {
  LAB_QUICK_BYTES,
  LAB_VOLUME_USED_BYTES,
  changedBytes,
  cloneVolume,
  commonSnapshot,
  finishTransfer,
  labNow,
  netappSnapshotCreate,
  newRelationship,
  relationshipTo,
  restoreFile,
  snapRestore,
  startTransfer,
  uuidFromRng,
  labRng,
  volumeByName,
  volumeByPath,
  type LabState,
  type Relationship,
  type Volume,
} from './model.js';
import {
  emptyResult,
  SNAPMIRROR_COLS,
  SNAPMIRROR_HEADER,
  SNAPSHOT_HEADER,
  VOLUME_COLS,
  VOLUME_HEADER,
  ctime,
  duration,
  fieldsTable,
  footer,
  instanceBlock,
  ontapError,
  shortStamp,
  wrapRecord,
} from './ontap-format.js';

/** What the lab's ONTAP endpoint can see and do. */
export interface OntapContext {
  state: LabState;
  latency: LatencyProfile;
  now(): number;
  changed(): void;
  action(action: string, target: string): void;
  sleep(ms: number): Promise<void>;
  /** Run later (a queued job finishing). */
  later(ms: number, fn: () => void): void;
}

export interface OntapResult {
  stdout: string;
  /** Each command's words, as the clustershell split them. */
  argvs: string[][];
}

interface Cmd {
  words: string[];
  params: Map<string, string>;
}

class Failure extends Error {}

const COMMANDS = [
  'set',
  'rows',
  'snapmirror show',
  'snapmirror quiesce',
  'snapmirror break',
  'snapmirror update',
  'snapmirror resync',
  'snapmirror resume',
  'snapmirror create',
  'snapmirror initialize',
  'snapmirror delete',
  'snapmirror release',
  'snapmirror list-destinations',
  'volume show',
  'volume create',
  'volume rename',
  'volume offline',
  'volume online',
  'volume unmount',
  'volume mount',
  'volume delete',
  'volume snapshot show',
  'volume snapshot create',
  'volume snapshot delete',
  'volume snapshot rename',
  'volume snapshot restore',
  'volume snapshot restore-file',
  'volume clone create',
  'volume clone show',
];

/** Split on `;` outside double quotes. */
export function splitCommands(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && quoted && i + 1 < line.length) {
      cur += c + line[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Resolve abbreviated command words (`vol snap show`) against the known command tree. */
function resolveCommand(words: string[]): { name: string; used: number } | { error: string } {
  const tree = COMMANDS.map((c) => c.split(' '));
  const chosen: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const prefix = chosen.join(' ');
    const next = [...new Set(tree.filter((c) => c.length > i && c.slice(0, i).join(' ') === prefix).map((c) => c[i]!))];
    if (next.length === 0) break;
    const exact = next.find((n) => n === w);
    const found = exact ? [exact] : next.filter((n) => n.startsWith(w));
    if (found.length === 0) {
      if (COMMANDS.includes(prefix)) break;
      return { error: `"${w}" is not a recognized command` };
    }
    if (found.length > 1) return { error: `Ambiguous command "${words.slice(0, i + 1).join(' ')}"` };
    chosen.push(found[0]!);
  }
  const name = chosen.join(' ');
  if (!COMMANDS.includes(name)) return { error: `"${words.join(' ')}" is not a recognized command` };
  return { name, used: chosen.length };
}

export async function runOntap(ctx: OntapContext, line: string): Promise<OntapResult> {
  const out: string[] = [];
  const argvs: string[][] = [];
  const session = { confirmations: true };
  for (const text of splitCommands(line)) {
    let tokens: OntapWord[];
    try {
      tokens = splitOntapLine(text);
    } catch {
      out.push(...ontapError('Unmatched quote', false));
      argvs.push([text]);
      continue;
    }
    argvs.push(tokens.map((t) => (typeof t === 'string' ? t : t.param)));
    const words: string[] = [];
    let i = 0;
    while (i < tokens.length && typeof tokens[i] === 'string') words.push(tokens[i++] as string);
    const r = resolveCommand(words);
    if ('error' in r) {
      out.push(...ontapError(r.error, false));
      continue;
    }
    const positional = words.slice(r.used);
    const params = new Map<string, string>();
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (typeof t === 'string') {
        positional.push(t);
        continue;
      }
      const next = tokens[i + 1];
      if (next === undefined || typeof next !== 'string') params.set(t.param.slice(1), 'true');
      else {
        params.set(t.param.slice(1), next);
        i++;
      }
    }
    try {
      out.push(...(await runOne(ctx, r.name, { words: positional, params }, session)));
    } catch (err) {
      if (err instanceof Failure) out.push(...ontapError(err.message));
      else throw err;
    }
  }
  return { stdout: out.length ? `${out.join('\n')}\n` : '', argvs };
}

function need(c: Cmd, name: string): string {
  const v = c.params.get(name);
  if (v === undefined || v === 'true') throw new Failure(`Missing required parameter -${name}.`);
  return v;
}

function findVolume(ctx: OntapContext, vserver: string | undefined, name: string): Volume {
  const v = volumeByName(ctx.state, vserver, name);
  if (!v) throw new Failure(`Volume "${name}" in Vserver "${vserver ?? '*'}" does not exist.`);
  return v;
}

function confirm(session: { confirmations: boolean }, warning: string[]): string[] | null {
  if (!session.confirmations) return null;
  // An exec channel has no terminal to answer the prompt: the answer is no.
  return ['', ...warning, 'Do you want to continue? {y|n}: '];
}

async function runOne(ctx: OntapContext, name: string, c: Cmd, session: { confirmations: boolean }): Promise<string[]> {
  const s = ctx.state;
  switch (name) {
    case 'set':
      if (c.params.get('confirmations') === 'off') session.confirmations = false;
      if (c.params.get('confirmations') === 'on') session.confirmations = true;
      return [];
    case 'rows':
      return [];
    case 'snapmirror show':
      return snapmirrorShow(ctx, c);
    case 'snapmirror list-destinations':
      return listDestinations(ctx, c);
    case 'snapmirror create':
      return snapmirrorCreate(ctx, c);
    case 'snapmirror release':
      return snapmirrorRelease(ctx, c);
    case 'snapmirror quiesce':
    case 'snapmirror break':
    case 'snapmirror update':
    case 'snapmirror resync':
    case 'snapmirror resume':
    case 'snapmirror initialize':
    case 'snapmirror delete': {
      const dest = c.params.get('destination-path') ?? c.words[0];
      if (!dest) throw new Failure('Missing required parameter -destination-path.');
      const rel = relationshipTo(s, dest);
      if (!rel) throw new Failure(`There are no SnapMirror relationships with destination "${dest}".`);
      await ctx.sleep(ctx.latency.ontapCommand);
      if (name === 'snapmirror quiesce') {
        if (rel.state === 'Broken-off')
          throw new Failure(`Relationship with destination "${dest}" is in the broken-off state; quiesce is not allowed.`);
        rel.status = 'Quiesced';
        ctx.changed();
        return [`Operation succeeded: snapmirror quiesce for destination "${dest}".`];
      }
      if (name === 'snapmirror resume') {
        if (rel.status === 'Quiesced') rel.status = rel.transfer ? 'Transferring' : 'Idle';
        ctx.changed();
        return [`Operation succeeded: snapmirror resume for destination "${dest}".`];
      }
      if (name === 'snapmirror delete') {
        if (rel.transfer)
          throw new Failure(
            `Cannot delete the relationship with destination "${dest}" while a transfer is in progress. Use "snapmirror abort" to stop the transfer first.`,
          );
        rel.deleted = true;
        ctx.action('snapmirror-delete', dest);
        ctx.changed();
        return [`Operation succeeded: snapmirror delete for the relationship with destination "${dest}".`];
      }
      if (name === 'snapmirror break') {
        if (rel.state === 'Broken-off') throw new Failure(`Relationship with destination "${dest}" is already broken-off.`);
        if (rel.state === 'Uninitialized')
          throw new Failure(`Relationship with destination "${dest}" is not initialized; it cannot be broken off.`);
        if (rel.status === 'Transferring')
          throw new Failure(`Transfer in progress for destination "${dest}". Quiesce the relationship first.`);
        await ctx.sleep(ctx.latency.snapmirrorBreak);
        rel.state = 'Broken-off';
        rel.status = 'Idle';
        rel.transfer = null;
        rel.breaks++;
        volumeOf(ctx, dest).type = 'RW';
        ctx.action('break', dest);
        ctx.changed();
        return [`Operation succeeded: snapmirror break for destination "${dest}".`];
      }
      const src = volumeByPath(s, rel.source);
      if (src?.state !== 'online') throw new Failure(`Source volume "${rel.source}" is offline.`);
      const dst = volumeOf(ctx, dest);
      if (name === 'snapmirror update') {
        if (rel.state !== 'Snapmirrored') throw new Failure(`Relationship with destination "${dest}" is not in the snapmirrored state.`);
        if (rel.status === 'Quiesced') throw new Failure(`Relationship with destination "${dest}" is quiesced. Resume it first.`);
        if (rel.transfer) throw new Failure(`Another transfer is in progress for destination "${dest}".`);
        const base = rel.newestSnapshot ? (src.snapshots.find((x) => x.name === rel.newestSnapshot)?.files ?? null) : null;
        begin(ctx, rel, 'update', changedBytes(src.files, base));
        return [`Operation is queued: snapmirror update of destination "${dest}".`];
      }
      if (name === 'snapmirror initialize') {
        if (rel.state !== 'Uninitialized')
          throw new Failure(`Destination "${dest}" is already initialized. Use "snapmirror resync" or "snapmirror update" instead.`);
        if (rel.transfer) throw new Failure(`Another transfer is in progress for destination "${dest}".`);
        if (dst.type !== 'DP') throw new Failure(`Destination volume "${dest}" must be a data-protection (DP) volume to be initialized.`);
        ctx.action('initialize', dest);
        begin(ctx, rel, 'initialize', LAB_VOLUME_USED_BYTES);
        return [`Operation is queued: snapmirror initialize of destination "${dest}".`];
      }
      // resync: the destination goes back to the newest snapshot it shares with the source; what
      // it holds that is newer (data and snapshots) is deleted, then the source's changes follow.
      if (rel.transfer) throw new Failure(`Another transfer is in progress for destination "${dest}".`);
      const common = commonSnapshot(src, dst);
      if (!common) {
        throw new Failure(
          `No common Snapshot copy found between the source volume "${rel.source}" and the destination volume "${dest}". Use "snapmirror initialize" to establish a new baseline.`,
        );
      }
      const prompt = confirm(session, [
        'Warning: All data newer than Snapshot copy',
        `         ${common.name} on volume`,
        `         ${dest} will be deleted.`,
      ]);
      if (prompt) return prompt;
      dst.files = { ...common.files };
      dst.snapshots = dst.snapshots.filter((x) => x.createTime <= common.createTime);
      dst.type = 'DP';
      rel.state = 'Snapmirrored';
      rel.resyncs++;
      ctx.action('resync', dest);
      begin(ctx, rel, 'resync', changedBytes(src.files, common.files));
      return [`Operation is queued: initiate snapmirror resync to destination "${dest}".`];
    }
    case 'volume show':
      return volumeShow(ctx, c);
    case 'volume create': {
      const vserver = need(c, 'vserver');
      const volName = need(c, 'volume');
      if (volumeByName(s, vserver, volName)) throw new Failure(`Duplicate volume name ${volName}.`);
      await ctx.sleep(ctx.latency.ontapCommand);
      s.volumes.push({
        vserver,
        name: volName,
        junction: c.params.get('junction-path') ?? null,
        type: (c.params.get('type') ?? 'RW').toUpperCase() === 'DP' ? 'DP' : 'RW',
        state: 'online',
        aggregate: need(c, 'aggregate'),
        files: {},
        snapshots: [],
      });
      ctx.action('volume-create', `${vserver}:${volName}`);
      ctx.changed();
      return [`[Job ${++s.counters.job}] Job succeeded: Successful`];
    }
    case 'volume rename': {
      const v = findVolume(ctx, need(c, 'vserver'), need(c, 'volume'));
      const to = need(c, 'newname');
      if (volumeByName(s, v.vserver, to)) throw new Failure(`Duplicate volume name ${to}.`);
      const from = `${v.vserver}:${v.name}`;
      if (s.relationships.some((r) => !r.deleted && (r.source === from || r.destination === from)))
        throw new Failure(`Volume "${v.name}" in Vserver "${v.vserver}" is in a SnapMirror relationship and cannot be renamed.`);
      await ctx.sleep(ctx.latency.ontapCommand);
      v.name = to;
      ctx.action('volume-rename', `${from}->${to}`);
      ctx.changed();
      return [`[Job ${++s.counters.job}] Job succeeded: Successful`];
    }
    case 'volume snapshot show':
      return snapshotShow(ctx, c);
    case 'volume clone show': {
      // A query that matches no clone prints ONTAP's sentence, never a header without rows.
      const clones = s.volumes.filter(
        (v) => v.cloneOf && matches(c.params.get('vserver'), v.vserver) && matches(c.params.get('flexclone'), v.name),
      );
      if (clones.length === 0) return [emptyResult(c)];
      return fieldsTable(
        ['vserver', 'flexclone', 'parent-volume', 'parent-snapshot'],
        clones.map((v) => [v.vserver, v.name, v.cloneOf!.volume, v.cloneOf!.snapshot]),
      );
    }
  }
  const vserver = c.params.get('vserver') ?? c.words[0];
  const volName = c.params.get('volume') ?? c.params.get('flexclone') ?? c.words[1];
  switch (name) {
    case 'volume snapshot create':
    case 'volume snapshot delete':
    case 'volume snapshot rename':
    case 'volume snapshot restore':
    case 'volume snapshot restore-file': {
      const v = findVolume(ctx, vserver, volName ?? need(c, 'volume'));
      const snapName = c.params.get('snapshot') ?? c.words[2] ?? need(c, 'snapshot');
      const exists = v.snapshots.find((x) => x.name === snapName);
      if (v.state !== 'online') throw new Failure(`Volume "${v.name}" in Vserver "${v.vserver}" is offline.`);
      if (name === 'volume snapshot create') {
        if (exists) throw new Failure(`Snapshot copy "${snapName}" already exists.`);
        if (v.type === 'DP')
          throw new Failure(
            `Cannot create Snapshot copy on volume "${v.name}" in Vserver "${v.vserver}": the volume is a SnapMirror destination and is read-only.`,
          );
        netappSnapshotCreate(v, snapName, labNow(s));
        ctx.changed();
        return [];
      }
      if (!exists) throw new Failure(`Snapshot copy "${snapName}" does not exist on volume "${v.name}" in Vserver "${v.vserver}".`);
      if (name === 'volume snapshot delete') {
        v.snapshots = v.snapshots.filter((x) => x !== exists);
        ctx.changed();
        return [];
      }
      if (name === 'volume snapshot rename') {
        exists.name = need(c, 'new-name');
        ctx.changed();
        return [];
      }
      if (v.type === 'DP')
        throw new Failure(
          `Volume "${v.name}" in Vserver "${v.vserver}" is the destination of a SnapMirror relationship and is read-only. Break the relationship before restoring a Snapshot copy.`,
        );
      if (name === 'volume snapshot restore') {
        const prompt = confirm(session, [
          `Warning: Restoring Snapshot copy "${snapName}" on volume "${v.name}" in Vserver "${v.vserver}"`,
          `         deletes all data and Snapshot copies newer than "${snapName}".`,
        ]);
        if (prompt) return prompt;
        await ctx.sleep(ctx.latency.snapRestore);
        snapRestore(v, snapName);
        ctx.action('restore', `${v.vserver}:${v.name}@${snapName}`);
        ctx.changed();
        return [];
      }
      const filePath = need(c, 'path');
      const snapFiles = exists.files;
      const relPath = filePath.replace(/^\/+/, '');
      if (snapFiles[relPath] === undefined) {
        if (Object.keys(snapFiles).some((k) => k.startsWith(`${relPath}/`)))
          throw new Failure(`Path "${filePath}" is a directory. Only files and LUNs can be restored with restore-file.`);
        throw new Failure(`Path "${filePath}" does not exist in Snapshot copy "${snapName}".`);
      }
      await ctx.sleep(ctx.latency.restoreFile);
      restoreFile(v, snapName, filePath, c.params.get('restore-path'));
      ctx.action('restore-file', `${v.vserver}:${v.name}@${snapName}:${filePath}`);
      ctx.changed();
      return [];
    }
    case 'volume clone create': {
      const clone = need(c, 'flexclone');
      const parent = findVolume(ctx, c.params.get('parent-vserver') ?? vserver, need(c, 'parent-volume'));
      const snap = need(c, 'parent-snapshot');
      await ctx.sleep(ctx.latency.cloneCreate);
      const made = cloneVolume(s, parent, snap, vserver ?? parent.vserver, clone, c.params.get('junction-path') ?? null);
      if (typeof made === 'string') throw new Failure(made);
      ctx.action('clone-create', `${made.vserver}:${made.name}`);
      ctx.changed();
      return [`[Job ${++s.counters.job}] Job succeeded: Successful`];
    }
    case 'volume offline':
    case 'volume online':
    case 'volume unmount':
    case 'volume mount':
    case 'volume delete': {
      const v = findVolume(ctx, vserver, volName ?? need(c, 'volume'));
      await ctx.sleep(ctx.latency.ontapCommand);
      if (name === 'volume offline') {
        const prompt = v.junction
          ? confirm(session, [
              `Warning: Volume "${v.name}" on Vserver "${v.vserver}" must be unmounted before being taken offline or`,
              '         restricted. Clients will not be able to access the affected volume and related junction paths after',
              '         that.',
            ])
          : null;
        if (prompt) return prompt;
        v.state = 'offline';
        ctx.changed();
        return [`Volume "${v.vserver}:${v.name}" is now offline.`];
      }
      if (name === 'volume online') {
        v.state = 'online';
        ctx.changed();
        return [`Volume "${v.vserver}:${v.name}" is now online.`];
      }
      if (name === 'volume unmount') {
        v.junction = null;
        ctx.changed();
        return [];
      }
      if (name === 'volume mount') {
        const j = need(c, 'junction-path');
        if (s.volumes.some((x) => x !== v && x.junction === j)) throw new Failure(`Junction path "${j}" is already in use.`);
        v.junction = j;
        ctx.changed();
        return [];
      }
      if (v.state !== 'offline') throw new Failure(`Volume "${v.name}" in Vserver "${v.vserver}" must be offline to be deleted.`);
      if (s.relationships.some((r) => !r.deleted && (r.destination === `${v.vserver}:${v.name}` || r.source === `${v.vserver}:${v.name}`)))
        throw new Failure(`Volume "${v.name}" in Vserver "${v.vserver}" is in a SnapMirror relationship and cannot be deleted.`);
      const prompt = confirm(session, [`Warning: Are you sure you want to delete volume "${v.name}" in Vserver "${v.vserver}" ?`]);
      if (prompt) return prompt;
      s.volumes = s.volumes.filter((x) => x !== v);
      ctx.action(v.cloneOf ? 'clone-delete' : 'volume-delete', `${v.vserver}:${v.name}`);
      ctx.changed();
      return [`[Job ${++s.counters.job}] Job succeeded: Successful`];
    }
  }
  throw new Failure(`"${name}" is not supported by the lab.`);
}

// ---- show commands ----

type FieldMap = Record<string, (x: never) => string>;

function pickFields(all: string[], keys: string[], requested: string): string[] {
  const out: string[] = [];
  for (const raw of requested
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)) {
    const exact = all.find((f) => f === raw);
    const matches = exact ? [exact] : all.filter((f) => f.startsWith(raw));
    if (matches.length !== 1) throw new Failure(`"${raw}" is not a valid value for the field "fields".`);
    if (!out.includes(matches[0]!) && !keys.includes(matches[0]!)) out.push(matches[0]!);
  }
  // ONTAP prints the key fields first, then the others in its own order.
  return [...keys, ...all.filter((f) => out.includes(f))];
}

function matches(filter: string | undefined, value: string): boolean {
  if (filter === undefined || filter === '*') return true;
  return filter.split('|').some((f) => (f.endsWith('*') ? value.startsWith(f.slice(0, -1)) : f === value));
}

/** What `snapmirror show -fields` can print of one relationship. */
function relationshipValues(r: Relationship, now: number): Record<string, string> {
  return {
    'source-path': r.source,
    'source-vserver': r.source.split(':')[0]!,
    'source-volume': r.source.split(':')[1]!,
    'destination-path': r.destination,
    'destination-vserver': r.destination.split(':')[0]!,
    'destination-volume': r.destination.split(':')[1]!,
    type: 'XDP',
    policy: 'MirrorAllSnapshots',
    schedule: '-',
    state: r.state,
    status: r.status,
    healthy: String(r.healthy),
    'total-progress': r.transfer ? sizeText(r.transfer.bytesDone) : '-',
    'newest-snapshot': r.newestSnapshot ?? '-',
    'newest-snapshot-timestamp': r.newestSnapshotTime ? shortStamp(r.newestSnapshotTime) : '-',
    'last-transfer-end-timestamp': r.lastTransferEnd ? shortStamp(r.lastTransferEnd) : '-',
    'last-transfer-size': r.lastTransfer ? sizeText(r.lastTransfer.bytes) : '-',
    'last-transfer-duration': r.lastTransfer ? hms(r.lastTransfer.seconds) : '-',
    'lag-time': r.newestSnapshotTime ? duration(now - r.newestSnapshotTime) : '-',
    'relationship-id': r.relationshipId,
    'unhealthy-reason': '-',
  };
}

/** ONTAP's durations: `h:m:s`, unpadded (`0:0:49`, `64:17:2`). */
function hms(seconds: number): string {
  return `${Math.floor(seconds / 3600)}:${Math.floor((seconds % 3600) / 60)}:${seconds % 60}`;
}

/** `87.7GB`, `1.2TB`, `512MB`: ONTAP's sizes (powers of 1024, one decimal place). */
function sizeText(bytes: number): string {
  const units: [number, string][] = [
    [2 ** 40, 'TB'],
    [2 ** 30, 'GB'],
    [2 ** 20, 'MB'],
    [2 ** 10, 'KB'],
  ];
  for (const [n, u] of units) if (bytes >= n) return `${(bytes / n).toFixed(bytes / n >= 100 ? 0 : 1).replace(/\.0$/, '')}${u}`;
  return `${bytes}B`;
}

function snapmirrorShow(ctx: OntapContext, c: Cmd): string[] {
  const now = ctx.now();
  const dest = c.params.get('destination-path') ?? c.words[0];
  const list = ctx.state.relationships.filter(
    (r) => !r.deleted && matches(dest, r.destination) && matches(c.params.get('source-path'), r.source),
  );
  if (list.length === 0) return [emptyResult(c)];
  const fields = c.params.get('fields');
  if (fields) {
    const all = Object.keys(relationshipValues(list[0]!, now));
    const cols = pickFields(all, ['source-path', 'destination-path'], fields);
    return [
      ...fieldsTable(
        cols,
        list.map((r) => cols.map((f) => relationshipValues(r, now)[f]!)),
      ),
      ...footer(list.length),
    ];
  }
  if (c.params.has('instance') || (dest !== undefined && dest !== '*' && list.length === 1)) {
    const rel = list[0]!;
    const values = relationshipValues(rel, now);
    return instanceBlock([
      ['Source Path', rel.source],
      ['Destination Path', rel.destination],
      ['Relationship Type', 'XDP'],
      ['Relationship Group Type', 'none'],
      ['SnapMirror Schedule', '-'],
      ['SnapMirror Policy Type', 'async-mirror'],
      ['SnapMirror Policy', 'MirrorAllSnapshots'],
      ['Tries Limit', '-'],
      ['Throttle (KB/sec)', 'unlimited'],
      ['Mirror State', rel.state],
      ['Relationship Status', rel.status],
      ['File Restore File Count', '-'],
      ['File Restore File List', '-'],
      ['Transfer Snapshot', '-'],
      ['Snapshot Progress', '-'],
      ['Total Progress', values['total-progress']!],
      ['Snapshot Checkpoint', '-'],
      ['Newest Snapshot', values['newest-snapshot']!],
      ['Newest Snapshot Timestamp', values['newest-snapshot-timestamp']!],
      ['Exported Snapshot', values['newest-snapshot']!],
      ['Exported Snapshot Timestamp', values['newest-snapshot-timestamp']!],
      ['Healthy', String(rel.healthy)],
      ['Unhealthy Reason', '-'],
      ['Relationship ID', rel.relationshipId],
      ['Last Transfer Type', rel.updates ? 'update' : '-'],
      ['Last Transfer End Timestamp', values['last-transfer-end-timestamp']!],
      ['Lag Time', values['lag-time']!],
      ['Number of Successful Updates', String(rel.updates)],
      ['Number of Failed Updates', '0'],
      ['Number of Successful Resyncs', String(rel.resyncs)],
      ['Number of Failed Resyncs', '0'],
      ['Number of Successful Breaks', String(rel.breaks)],
      ['Number of Failed Breaks', '0'],
    ]);
  }
  const lines = [...SNAPMIRROR_HEADER];
  for (const r of list)
    lines.push(
      ...wrapRecord(SNAPMIRROR_COLS, [
        r.source,
        'XDP',
        r.destination,
        r.state,
        r.status,
        r.transfer ? sizeText(r.transfer.bytesDone) : '-',
        String(r.healthy),
        // "Progress Last Updated": only while a transfer runs.
        r.status === 'Transferring' ? shortStamp(now) : '-',
      ]),
    );
  return [...lines, ...footer(list.length)];
}

/**
 * `snapmirror list-destinations`: the source side's records, which `snapmirror delete` on the
 * destination leaves until `snapmirror release`. Printed with `-fields` (the layout drbook asks for).
 */
function listDestinations(ctx: OntapContext, c: Cmd): string[] {
  const dest = c.params.get('destination-path') ?? c.words[0];
  const list = ctx.state.relationships.filter((r) => matches(dest, r.destination) && matches(c.params.get('source-path'), r.source));
  if (list.length === 0) return [emptyResult(c)];
  const values = (r: Relationship): Record<string, string> => ({
    'source-path': r.source,
    'destination-path': r.destination,
    type: 'XDP',
    status: r.status,
    'relationship-id': r.relationshipId,
  });
  const all = Object.keys(values(list[0]!));
  const cols = pickFields(all, ['source-path', 'destination-path'], c.params.get('fields') ?? 'type,status,relationship-id');
  return [
    ...fieldsTable(
      cols,
      list.map((r) => cols.map((f) => values(r)[f]!)),
    ),
    ...footer(list.length),
  ];
}

async function snapmirrorCreate(ctx: OntapContext, c: Cmd): Promise<string[]> {
  const s = ctx.state;
  const source = need(c, 'source-path');
  const dest = need(c, 'destination-path');
  if (relationshipTo(s, dest)) throw new Failure(`Relationship with destination "${dest}" already exists.`);
  const src = volumeByPath(s, source);
  if (!src) throw new Failure(`Volume "${source}" does not exist.`);
  const dst = volumeOf(ctx, dest);
  await ctx.sleep(ctx.latency.ontapCommand);
  // A new record replaces the source side's stale one (deleted, never released).
  s.relationships = s.relationships.filter((r) => !(r.deleted && r.destination === dest));
  // A read-write destination makes a broken-off relationship (resync makes it a mirror); an empty
  // data-protection one an uninitialized relationship (initialize makes it a mirror).
  const state: Relationship['state'] = dst.type === 'RW' ? 'Broken-off' : dst.snapshots.length === 0 ? 'Uninitialized' : 'Snapmirrored';
  s.relationships.push(newRelationship(source, dest, state, uuidFromRng(labRng(s))));
  ctx.action('snapmirror-create', `${source}->${dest}`);
  ctx.changed();
  return [`Operation succeeded: snapmirror create for the relationship with destination "${dest}".`];
}

async function snapmirrorRelease(ctx: OntapContext, c: Cmd): Promise<string[]> {
  const s = ctx.state;
  const dest = need(c, 'destination-path');
  const rel = s.relationships.find((r) => r.destination === dest && r.deleted) ?? s.relationships.find((r) => r.destination === dest);
  if (!rel) throw new Failure('No releasable destination found that matches those parameters.');
  await ctx.sleep(ctx.latency.ontapCommand);
  s.relationships = s.relationships.filter((r) => r !== rel);
  // Without -relationship-info-only the source's snapmirror.* snapshots go too (the common ones).
  if (c.params.get('relationship-info-only') !== 'true') {
    const src = volumeByPath(s, rel.source);
    if (src) src.snapshots = src.snapshots.filter((x) => !x.name.startsWith('snapmirror.'));
  }
  ctx.action('snapmirror-release', dest);
  ctx.changed();
  return [`[Job ${++s.counters.job}] Job succeeded: SnapMirror Release Succeeded`];
}

/** Start a transfer; one no larger than LAB_QUICK_BYTES finishes by itself, a larger one by lab ticks. */
function begin(ctx: OntapContext, rel: Relationship, kind: 'initialize' | 'resync' | 'update', bytes: number): void {
  startTransfer(rel, kind, bytes);
  ctx.changed();
  if (bytes <= LAB_QUICK_BYTES) {
    ctx.later(ctx.latency.ontapCommand * 5, () => {
      if (rel.transfer) finishTransfer(ctx.state, rel);
      ctx.changed();
    });
  }
}

function volumeOf(ctx: OntapContext, p: string): Volume {
  const [v, n] = p.split(':') as [string, string];
  return findVolume(ctx, v, n);
}

function snapshotSize(files: Record<string, string>, name: string): string {
  let n = name.length * 4;
  for (const f of Object.values(files)) n += f.length;
  return `${Math.max(1, Math.round(n / 1024)) * 4}KB`;
}

function snapshotShow(ctx: OntapContext, c: Cmd): string[] {
  const rows: { v: Volume; snap: Volume['snapshots'][number] }[] = [];
  for (const v of ctx.state.volumes) {
    if (!matches(c.params.get('vserver'), v.vserver) || !matches(c.params.get('volume'), v.name)) continue;
    if (v.state !== 'online') continue;
    for (const snap of v.snapshots) if (matches(c.params.get('snapshot'), snap.name)) rows.push({ v, snap });
  }
  if (rows.length === 0) return [emptyResult(c)];
  const fields = c.params.get('fields');
  if (fields) {
    const values = (r: (typeof rows)[number]): Record<string, string> => ({
      vserver: r.v.vserver,
      volume: r.v.name,
      snapshot: r.snap.name,
      'create-time': ctime(r.snap.createTime),
      size: snapshotSize(r.snap.files, r.snap.name),
      state: 'valid',
      comment: '-',
      'snapmirror-label': r.snap.name.startsWith('smvi_') ? 'daily' : '-',
    });
    const all = Object.keys(values(rows[0]!));
    const cols = pickFields(all, ['vserver', 'volume', 'snapshot'], fields);
    return [
      ...fieldsTable(
        cols,
        rows.map((r) => cols.map((f) => values(r)[f]!)),
      ),
      ...footer(rows.length),
    ];
  }
  const lines = [...SNAPSHOT_HEADER];
  let group: Volume | null = null;
  for (const r of rows) {
    if (group !== r.v) {
      group = r.v;
      lines.push(
        ...wrapRecord(
          [
            { start: 0, width: 8 },
            { start: 9, width: 8 },
          ],
          [r.v.vserver, r.v.name],
        ),
      );
    }
    lines.push(
      ...wrapRecord(
        [
          { start: 18, width: 37 },
          { start: 56, width: 8, right: true },
          { start: 65, width: 6, right: true },
          { start: 72, width: 5, right: true },
        ],
        [r.snap.name, snapshotSize(r.snap.files, r.snap.name), '0%', '0%'],
      ),
    );
  }
  return [...lines, ...footer(rows.length)];
}

function volumeShow(ctx: OntapContext, c: Cmd): string[] {
  const vols = ctx.state.volumes.filter(
    (v) =>
      matches(c.params.get('vserver') ?? (c.params.has('volume') ? undefined : c.words[0]), v.vserver) &&
      matches(c.params.get('volume') ?? c.words[1], v.name),
  );
  if (vols.length === 0) return [emptyResult(c)];
  const values = (v: Volume): Record<string, string> => ({
    vserver: v.vserver,
    volume: v.name,
    aggregate: v.aggregate,
    size: '500GB',
    state: v.state,
    type: v.type,
    'junction-path': v.junction ?? '-',
    available: v.state === 'online' ? '412.3GB' : '-',
    'percent-used': v.state === 'online' ? '17%' : '-',
    used: v.state === 'online' ? sizeText(v.snapshots.length || Object.keys(v.files).length ? LAB_VOLUME_USED_BYTES : 0) : '-',
  });
  const fields = c.params.get('fields');
  if (fields) {
    const all = Object.keys(values(vols[0]!));
    const cols = pickFields(all, ['vserver', 'volume'], fields);
    return [
      ...fieldsTable(
        cols,
        vols.map((v) => cols.map((f) => values(v)[f]!)),
      ),
      ...footer(vols.length),
    ];
  }
  const lines = [...VOLUME_HEADER];
  for (const v of vols) {
    const x = values(v);
    lines.push(
      ...wrapRecord(VOLUME_COLS, [x.vserver!, x.volume!, x.aggregate!, x.state!, x.type!, x.size!, x.available!, x['percent-used']!]),
    );
  }
  return [...lines, ...footer(vols.length)];
}

export type { FieldMap };
