/*
 * The recent evaluation runs, kept live: the clusters being evaluated
 * (a run `running`, or one "Run evaluation" asked for and not recorded
 * yet), refreshed on the backend's signals (aks-baseline:evaluations) and,
 * where the app has no signals, by polling while something is running.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  AKS_BASELINE_EVALUATIONS_CHANNEL,
  EvaluationAccepted,
  EvaluationRun,
  EvaluationSignal,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { useReloadable } from './useReloadable';

/** Runs listed under "Recent evaluations". */
const RUNS_SHOWN = 20;
/** Polling without signals, while a cluster is being evaluated. */
export const POLL_MS = 3000;
/** With signals, a slow poll in case one is missed; also after FOLLOW_MAX_MS. */
export const SAFETY_POLL_MS = 30_000;
/** How long a requested run that never shows up is waited for. */
const FOLLOW_MAX_MS = 5 * 60_000;

/** A cluster "Run evaluation" asked for, followed until its run has ended. */
interface Followed {
  cluster: string;
  /** The run the backend answered with (one cluster). */
  runId?: string;
  /** The cluster's latest finished run when asked: a new one is awaited. */
  before?: string;
  until: number;
}

function latestByCluster(runs: EvaluationRun[]): Map<string, EvaluationRun> {
  const latest = new Map<string, EvaluationRun>();
  // Newest first: the first run of each cluster is its latest.
  for (const run of runs)
    if (!latest.has(run.cluster)) latest.set(run.cluster, run);
  return latest;
}

function isPending(
  followed: Followed,
  runs: EvaluationRun[],
  latest: Map<string, EvaluationRun>,
): boolean {
  if (followed.runId) {
    const run = runs.find(r => r.id === followed.runId);
    return !run || run.status === 'running';
  }
  const run = latest.get(followed.cluster);
  return !run || run.status === 'running' || run.id === followed.before;
}

export function useLiveRuns(options: {
  /** Called when a cluster's evaluation has ended, or scores were stored again. */
  onResultsChanged: () => void;
}) {
  const api = useApi(aksBaselineApiRef);
  const runs = useReloadable(
    () => api.getEvaluations({ limit: RUNS_SHOWN }),
    [api],
  );
  const { lastSignal, isSignalsAvailable } = useSignal<EvaluationSignal>(
    AKS_BASELINE_EVALUATIONS_CHANNEL,
  );
  const [followed, setFollowed] = useState<Followed[]>([]);

  const items = useMemo(() => runs.value?.items ?? [], [runs.value]);
  const latest = useMemo(() => latestByCluster(items), [items]);

  const evaluating = useMemo(() => {
    const clusters = new Set<string>();
    for (const [cluster, run] of latest) {
      if (run.status === 'running') clusters.add(cluster);
    }
    for (const f of followed) {
      if (isPending(f, items, latest)) clusters.add(f.cluster);
    }
    return clusters;
  }, [followed, items, latest]);

  /** Follows what an accepted request started. */
  const follow = useCallback(
    (accepted: EvaluationAccepted) => {
      const until = Date.now() + FOLLOW_MAX_MS;
      setFollowed(current => [
        ...current.filter(f => !accepted.clusters.includes(f.cluster)),
        ...accepted.clusters.map(cluster => {
          const known = latest.get(cluster);
          return accepted.runId
            ? { cluster, runId: accepted.runId, until }
            : {
                cluster,
                // A run going on when asked is the one joined.
                ...(known && known.status !== 'running'
                  ? { before: known.id }
                  : {}),
                until,
              };
        }),
      ]);
    },
    [latest],
  );

  // Forget what has ended or was waited for long enough.
  useEffect(() => {
    const now = Date.now();
    setFollowed(current => {
      const kept = current.filter(
        f => f.until > now && isPending(f, items, latest),
      );
      return kept.length === current.length ? current : kept;
    });
  }, [items, latest]);

  // Called from effects without re-running them when it changes.
  const onResultsChanged = useRef(options.onResultsChanged);
  onResultsChanged.current = options.onResultsChanged;

  // A cluster that leaves the set has finished: its results changed.
  const previous = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const ended = [...previous.current].some(c => !evaluating.has(c));
    previous.current = evaluating;
    if (ended) onResultsChanged.current();
  }, [evaluating]);

  const retryRuns = runs.retry;
  useEffect(() => {
    if (!lastSignal) return;
    retryRuns();
    if (lastSignal.type === 'scores-refreshed') onResultsChanged.current();
  }, [lastSignal, retryRuns]);

  const evaluatingSomething = evaluating.size > 0;
  useEffect(() => {
    if (!evaluatingSomething) return undefined;
    const since = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const slow = isSignalsAvailable || Date.now() - since > FOLLOW_MAX_MS;
      timer = setTimeout(
        () => {
          retryRuns();
          schedule();
        },
        slow ? SAFETY_POLL_MS : POLL_MS,
      );
    };
    schedule();
    return () => clearTimeout(timer);
  }, [evaluatingSomething, isSignalsAvailable, retryRuns]);

  return { runs, evaluating, follow };
}
