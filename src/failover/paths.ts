/** Datastore paths as ESXi spells them. */

/** `/vmfs/volumes/DS/DIR/FILE` */
export function vmfsPath(datastore: string, ...parts: string[]): string {
  return ['/vmfs/volumes', datastore, ...parts].join('/');
}
