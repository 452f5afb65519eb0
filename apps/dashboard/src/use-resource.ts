import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  readonly data?: T | undefined;
  readonly error?: Error | undefined;
  readonly loading: boolean;
  /** Loads again now (after an action changed what is shown). */
  readonly reload: () => void;
}

/**
 * Loads `load()` whenever it changes (callers memoise it with useCallback on what it depends on) and, when
 * `refreshMs` is given, again every `refreshMs` while the tab is visible. A load still running when the inputs
 * change is aborted, so a slow answer never overwrites a newer one.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, refreshMs?: number): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => controller.signal.aborted || setState({ data, loading: false }),
      (error: unknown) =>
        controller.signal.aborted || setState((previous) => ({ ...previous, error: asError(error), loading: false })),
    );
    return () => controller.abort();
  }, [load, generation]);

  useEffect(() => {
    if (refreshMs === undefined) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);

  return { ...state, reload };
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
