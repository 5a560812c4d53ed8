import { useEffect, useState } from 'react';
import type { ReadableStore } from './types.js';

/**
 * The store's value, re-rendered at most every `intervalMs`: a fast engine emits thousands of
 * events a second and the screen needs about twenty frames.
 */
export function useThrottledStore<T>(store: ReadableStore<T>, intervalMs = 50): T {
  const [value, setValue] = useState(() => store.getSnapshot());
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const flush = () => {
      timer = undefined;
      last = Date.now();
      setValue(store.getSnapshot());
    };
    const unsubscribe = store.subscribe(() => {
      if (timer) return;
      const wait = Math.max(0, intervalMs - (Date.now() - last));
      timer = setTimeout(flush, wait);
    });
    // A change between the first render and the subscription is not lost.
    setValue(store.getSnapshot());
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store, intervalMs]);
  return value;
}
