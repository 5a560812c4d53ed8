import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which step/target/stage the current async work belongs to. The runner enters a scope around
 * every check/apply/verify, so the transport's audit sink can tag commands without the adapters
 * passing ids around.
 */
export interface EngineScope {
  stepId: string;
  targetId: string;
  stage?: string | undefined;
}

/** One storage per process is how AsyncLocalStorage is meant to be used; it holds a value only
 *  inside runInScope(), so it is not shared mutable state. */
const storage = new AsyncLocalStorage<EngineScope>();

export function currentScope(): EngineScope | undefined {
  return storage.getStore();
}

export function runInScope<T>(scope: EngineScope, fn: () => T): T {
  return storage.run(scope, fn);
}
