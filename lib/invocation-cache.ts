import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/**
 * Runs one invocation (an HTTP request, an SQS batch) with a cache of its own. Invocations may overlap in
 * one process (the local stack runs them side by side), so the cache follows the async context, not the module.
 */
export function withInvocationCache<T>(run: () => Promise<T>): Promise<T> {
  return scope.run(new Map(), run);
}

/** Loads a value once per invocation under `key` (every call loads outside an invocation). */
export function oncePerInvocation<T>(key: string, load: () => Promise<T>): Promise<T> {
  const cache = scope.getStore();
  if (!cache) return load();
  let value = cache.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    cache.set(key, value);
  }
  return value;
}
