import { DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * Like react-use's useAsyncRetry, but a reload asked for while a load is
 * going on is not dropped: it starts a new load whose answer wins, so that
 * the last refresh (a signal, a poll) always shows the latest state. The
 * previous value stays while reloading.
 */
export function useReloadable<T>(fn: () => Promise<T>, deps: DependencyList) {
  const [version, setVersion] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(fn, [...deps, version]);
  const retry = useCallback(() => setVersion(v => v + 1), []);
  return { ...state, retry };
}
