/*
 * A stored answer is rewritten only when one of the entity's parts changed
 * (answers/EntityAnswers.ts). What moves on with every evaluation, changed
 * or not, is each cluster's evaluation time: it is brought up to date here
 * when the answer is read, so that the answer served is the one a full
 * recompute would store, byte for byte.
 */
import { constants, gunzipSync, gzipSync } from 'zlib';
import type { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';

/** Compressed once when stored, sent as is per request. */
export function gzipAnswer(json: string): Buffer {
  // Synchronously: zlib's thread pool costs more than twice the CPU for answers this small.
  return gzipSync(json, { level: constants.Z_BEST_SPEED });
}

/**
 * The stored answer with each cluster's time from `times` (by cluster; a
 * cluster missing there keeps its stored time) and the entity's time the
 * latest of them; the same bytes when no time moved.
 */
export function withCurrentTimes(
  answerGzip: Buffer,
  times: ReadonlyMap<string, string>,
): Buffer {
  const body = JSON.parse(
    gunzipSync(answerGzip).toString('utf8'),
  ) as EntityScoreResponse;
  let moved = false;
  let latest: string | undefined;
  for (const cluster of body.clusters) {
    const at = times.get(cluster.cluster);
    if (at && at !== cluster.evaluatedAt) {
      cluster.evaluatedAt = at;
      moved = true;
    }
    if (!latest || cluster.evaluatedAt > latest) latest = cluster.evaluatedAt;
  }
  if (!moved) return answerGzip;
  if (latest) body.evaluatedAt = latest;
  return gzipAnswer(JSON.stringify(body));
}

/** The latest of the clusters' times (`times`, else `fallback`). */
export function latestTime(
  clusters: readonly string[],
  times: ReadonlyMap<string, string>,
  fallback: string,
): string {
  let latest: string | undefined;
  for (const cluster of clusters) {
    const at = times.get(cluster);
    if (at && (!latest || at > latest)) latest = at;
  }
  return latest && latest > fallback ? latest : fallback;
}
