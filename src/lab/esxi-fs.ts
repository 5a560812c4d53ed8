import path from 'node:path';
import type { Files, Host, LabState, Volume } from './model.js';
import { locate } from './model.js';

/**
 * The part of an ESXi host's filesystem the lab models: /vmfs/volumes/<datastore name or uuid>/…
 * backed by the mounted volume's files (with the read-only `.snapshot/<name>/…` view of NFS),
 * a scratch /tmp per host, and /dev/null.
 */
export type Resolved =
  | { kind: 'volumes-root' }
  | { kind: 'dev-null' }
  | { kind: 'tmp'; rel: string }
  | { kind: 'volume'; volume: Volume; files: Files; rel: string; writable: boolean; snapshotDir: boolean }
  | { kind: 'none' };

export class EsxiFs {
  constructor(
    private readonly state: LabState,
    private readonly host: Host,
    private readonly tmp: Map<string, string>,
  ) {}

  resolve(p: string): Resolved {
    const norm = path.posix.normalize(p.startsWith('/') ? p : `/${p}`).replace(/\/+$/, '') || '/';
    if (norm === '/dev/null') return { kind: 'dev-null' };
    if (norm === '/tmp' || norm.startsWith('/tmp/')) return { kind: 'tmp', rel: norm.slice(5) };
    if (norm === '/vmfs/volumes') return { kind: 'volumes-root' };
    const m = /^\/vmfs\/volumes\/([^/]+)(?:\/(.*))?$/.exec(norm);
    if (!m) return { kind: 'none' };
    const loc = locate(this.state, this.host, m[1]!);
    if (!loc?.accessible || !loc.volume) return { kind: 'none' };
    const rel = m[2] ?? '';
    if (rel === '.snapshot' || rel.startsWith('.snapshot/')) {
      const parts = rel.split('/');
      if (parts.length === 1) return { kind: 'volume', volume: loc.volume, files: {}, rel: '', writable: false, snapshotDir: true };
      const snap = loc.volume.snapshots.find((s) => s.name === parts[1]);
      if (!snap) return { kind: 'none' };
      return { kind: 'volume', volume: loc.volume, files: snap.files, rel: parts.slice(2).join('/'), writable: false, snapshotDir: false };
    }
    return { kind: 'volume', volume: loc.volume, files: loc.volume.files, rel, writable: loc.writable, snapshotDir: false };
  }

  read(p: string): string | null {
    const r = this.resolve(p);
    if (r.kind === 'dev-null') return '';
    if (r.kind === 'tmp') return this.tmp.get(r.rel) ?? null;
    if (r.kind === 'volume') return r.files[r.rel] ?? null;
    return null;
  }

  /** Names in a directory, or null when it is not one. */
  list(p: string): string[] | null {
    const r = this.resolve(p);
    if (r.kind === 'volumes-root') {
      const out: string[] = [];
      for (const m of this.host.nfs) {
        const loc = locate(this.state, this.host, m.name);
        if (loc?.accessible) out.push(m.name, m.uuid);
      }
      return out.sort();
    }
    if (r.kind === 'tmp') return r.rel === '' ? [...this.tmp.keys()].sort() : null;
    if (r.kind !== 'volume') return null;
    if (r.snapshotDir) return r.volume.snapshots.map((s) => s.name);
    const prefix = r.rel === '' ? '' : `${r.rel}/`;
    const names = new Set<string>();
    for (const k of Object.keys(r.files)) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    if (r.rel === '') names.add('.snapshot');
    if (names.size === 0 && r.rel !== '') return null;
    return [...names].sort();
  }

  isDir(p: string): boolean {
    const r = this.resolve(p);
    if (r.kind === 'volumes-root') return true;
    if (r.kind === 'tmp') return r.rel === '';
    if (r.kind !== 'volume') return false;
    if (r.snapshotDir || r.rel === '') return true;
    return r.files[r.rel] === undefined && Object.keys(r.files).some((k) => k.startsWith(`${r.rel}/`));
  }

  /** Write a file; returns an error reason or null. */
  write(p: string, text: string, append: boolean): string | null {
    const r = this.resolve(p);
    if (r.kind === 'dev-null') return null;
    if (r.kind === 'tmp') {
      this.tmp.set(r.rel, (append ? (this.tmp.get(r.rel) ?? '') : '') + text);
      return null;
    }
    if (r.kind !== 'volume' || r.rel === '') return 'nonexistent directory';
    if (!r.writable) return 'Read-only file system';
    const dir = path.posix.dirname(r.rel);
    if (dir !== '.' && !Object.keys(r.files).some((k) => k.startsWith(`${dir}/`))) return 'nonexistent directory';
    r.files[r.rel] = (append ? (r.files[r.rel] ?? '') : '') + text;
    return null;
  }

  remove(p: string): string | null {
    const r = this.resolve(p);
    if (r.kind === 'tmp') return this.tmp.delete(r.rel) ? null : 'No such file or directory';
    if (r.kind !== 'volume' || r.files[r.rel] === undefined) return 'No such file or directory';
    if (!r.writable) return 'Read-only file system';
    delete r.files[r.rel];
    return null;
  }
}
