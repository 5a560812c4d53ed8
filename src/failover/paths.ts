/** Datastore paths as ESXi spells them. */

/** `/vmfs/volumes/DS/DIR/FILE` */
export function vmfsPath(datastore: string, ...parts: string[]): string {
  return ['/vmfs/volumes', datastore, ...parts].join('/');
}

/** `[DS] DIR/FILE`, the form getallvms prints. */
export function datastorePath(datastore: string, dir: string, file: string): string {
  return `[${datastore}] ${dir}/${file}`;
}

/** Split `[DS] DIR/FILE.vmx` into its parts; null when it is not that shape. */
export function splitDatastorePath(p: string): { datastore: string; dir: string; file: string } | null {
  const m = /^\[([^\]]+)\] (.*)\/([^/]+)$/.exec(p);
  return m ? { datastore: m[1]!, dir: m[2]!, file: m[3]! } : null;
}

/** The datastore name of a `/vmfs/volumes/DS/…` path; null otherwise. */
export function datastoreOfVmfsPath(p: string): string | null {
  const m = /^\/vmfs\/volumes\/([^/]+)\//.exec(p);
  return m ? m[1]! : null;
}
