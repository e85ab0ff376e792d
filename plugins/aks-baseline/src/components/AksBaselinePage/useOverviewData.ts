import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import { aksBaselineApiRef } from '../../api';
import { useRunEvaluation } from './RunEvaluationButton';
import { useLiveRuns } from './useLiveRuns';
import { useReloadable } from './useReloadable';

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
 * URL), the recent runs kept live (useLiveRuns), the clusters being
 * evaluated, the owners seen so far (the filter's choices stay complete
 * while filtered), and "Run evaluation", whose runs are followed to their
 * end, the overview reloaded as each cluster's ends.
 */
export function useOverviewData() {
  const api = useApi(aksBaselineApiRef);
  const [owner, setOwner] = useOwnerParam();
  const [knownOwners, setKnownOwners] = useState<string[]>([]);

  const overview = useReloadable(
    () => api.getOverview({ owner: owner || undefined }),
    [api, owner],
  );
  const { runs, evaluating, follow } = useLiveRuns({
    onResultsChanged: overview.retry,
  });

  useEffect(() => {
    const owners = overview.value?.owners.map(o => o.owner) ?? [];
    if (owner) owners.push(owner);
    setKnownOwners(known => {
      const merged = new Set([...known, ...owners]);
      return merged.size === known.length ? known : [...merged].sort();
    });
  }, [overview.value, owner]);

  const retryRuns = runs.retry;
  const runState = useRunEvaluation(accepted => {
    follow(accepted);
    retryRuns();
  });

  return {
    owner,
    setOwner,
    knownOwners,
    overview,
    runs,
    evaluating,
    runState,
  };
}
