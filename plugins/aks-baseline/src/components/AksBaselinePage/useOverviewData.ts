import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { aksBaselineApiRef } from '../../api';
import { useRunEvaluation } from './RunEvaluationButton';

/** How often, and how long, the runs are followed after "Run evaluation". */
const POLL_INTERVAL_MS = 3000;
const POLL_MAX_MS = 5 * 60_000;

/**
 * The owner filter, kept in the page's URL (`?owner=`) so that a filtered
 * view can be shared; other query parameters are kept.
 */
export function useOwnerParam(): [string, (owner: string) => void] {
  const [params, setParams] = useSearchParams();
  const owner = params.get('owner') ?? '';
  const setOwner = useCallback(
    (value: string) =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          if (value) next.set('owner', value);
          else next.delete('owner');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [owner, setOwner];
}

/**
 * Everything the overview page shows: the overview (for the owner in the
 * URL), the recent runs, the owners seen so far (the filter's choices stay
 * complete while filtered), and "Run evaluation" with the runs it started
 * followed until none is running, then the overview reloaded.
 */
export function useOverviewData() {
  const api = useApi(aksBaselineApiRef);
  const [owner, setOwner] = useOwnerParam();
  const [knownOwners, setKnownOwners] = useState<string[]>([]);
  const [polling, setPolling] = useState(false);

  const overview = useAsyncRetry(
    () => api.getOverview({ owner: owner || undefined }),
    [api, owner],
  );
  const runs = useAsyncRetry(() => api.getEvaluations({ limit: 20 }), [api]);

  useEffect(() => {
    const owners = overview.value?.owners.map(o => o.owner) ?? [];
    if (owner) owners.push(owner);
    setKnownOwners(known => {
      const merged = new Set([...known, ...owners]);
      return merged.size === known.length ? known : [...merged].sort();
    });
  }, [overview.value, owner]);

  const retryRuns = runs.retry;
  const retryOverview = overview.retry;
  useEffect(() => {
    if (!polling) return undefined;
    const started = Date.now();
    const timer = setInterval(() => {
      retryRuns();
      if (Date.now() - started > POLL_MAX_MS) setPolling(false);
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [polling, retryRuns]);
  useEffect(() => {
    if (!polling || runs.loading || !runs.value) return;
    if (!runs.value.items.some(r => r.status === 'running')) {
      setPolling(false);
      retryOverview();
    }
  }, [polling, runs.loading, runs.value, retryOverview]);

  const runState = useRunEvaluation(() => {
    retryRuns();
    setPolling(true);
  });

  return {
    owner,
    setOwner,
    knownOwners,
    overview,
    runs,
    polling,
    runState,
  };
}
