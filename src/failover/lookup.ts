/**
 * Lookups by key in lists that are made once and then only read (the capture's VMs, the
 * failover's per-VM plan). Every stage of every VM looks its VM up, and a walk of 2,000 VMs per
 * lookup made a large failover quadratic: each list gets one index per key function, built on
 * the first lookup (and again should its length change).
 */
type KeyOf<T> = (item: T) => string;

interface Index<T> {
  length: number;
  byKey: Map<string, T>;
}

const indexes = new WeakMap<readonly unknown[], Map<unknown, Index<unknown>>>();

/** The first item of `list` whose `keyOf` is `key` (as `list.find` would). `keyOf` must be a fixed function, not made per call. */
export function findByKey<T>(list: readonly T[], keyOf: KeyOf<T>, key: string): T | undefined {
  let perKey = indexes.get(list);
  if (!perKey) indexes.set(list, (perKey = new Map<unknown, Index<unknown>>()));
  let ix = perKey.get(keyOf) as Index<T> | undefined;
  if (!ix || ix.length !== list.length) {
    const byKey = new Map<string, T>();
    for (const item of list) {
      const k = keyOf(item);
      if (!byKey.has(k)) byKey.set(k, item);
    }
    ix = { length: list.length, byKey };
    perKey.set(keyOf, ix);
  }
  return ix.byKey.get(key);
}
