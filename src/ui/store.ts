import type { ReadableStore } from './types.js';

export interface Store<T> extends ReadableStore<T> {
  set(value: T): void;
}

/**
 * A value plus listeners: the engine side sets (e.g. `store.set(reduce(store.getSnapshot(), e))`
 * in its event sink), the screen subscribes. No Ink here.
 */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => value,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    set(next) {
      if (next === value) return;
      value = next;
      for (const l of [...listeners]) l();
    },
  };
}
