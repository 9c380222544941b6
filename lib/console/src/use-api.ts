/** Loading state of an API read, for screens that show a read's result, its progress or its error. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'failed'; error: ApiError | Error };

/**
 * Runs `load` when `key` changes and on `reload()`; with `pollMs`, reloads while `keepPolling(data)` holds
 * (a simulation or report still running). A stale answer never overwrites a newer one.
 */
export function useApi<T>(load: () => Promise<T>, key: string, options: { pollMs?: number; keepPolling?: (data: T) => boolean } = {}) {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const generation = useRef(0);
  const run = useCallback(
    async (quiet: boolean) => {
      const mine = ++generation.current;
      if (!quiet) setLoaded({ state: 'loading' });
      try {
        const data = await load();
        if (mine === generation.current) setLoaded({ state: 'ready', data });
      } catch (error) {
        if (mine === generation.current) setLoaded({ state: 'failed', error: error as Error });
      }
    },
    [key],
  );
  useEffect(() => {
    void run(false);
    return () => {
      generation.current++;
    };
  }, [run]);
  useEffect(() => {
    if (!options.pollMs || loaded.state !== 'ready' || !options.keepPolling?.(loaded.data)) return;
    const timer = setTimeout(() => void run(true), options.pollMs);
    return () => clearTimeout(timer);
  }, [loaded]);
  /** `reload` shows the loading state again; `refresh` keeps what is shown until the new answer arrives. */
  return { loaded, reload: () => void run(false), refresh: () => void run(true) };
}
