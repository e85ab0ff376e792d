/*
 * The score route's answer for one entity, built when scores are stored so
 * that serving it is a single primary-key read.
 */
import {
  EntityClusterScore,
  EntityScoreResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import type {
  StoredEntity,
  StoredEntityCluster,
} from '../database/AksBaselineStore';
import { compareFindings } from '../scoring';

export function entityScoreResponse(
  entity: StoredEntity,
  clusters: readonly StoredEntityCluster[],
): EntityScoreResponse {
  const body: EntityScoreResponse = {
    entityRef: entity.entityRef,
    score: entity.summary.score,
    grade: entity.summary.grade,
    categories: entity.summary.categories,
    totals: entity.summary.totals,
    counts: entity.counts,
    resourceCount: entity.resourceCount,
    evaluatedAt: entity.evaluatedAt,
    stale: entity.stale,
    findings: clusters.flatMap(c => c.findings).sort(compareFindings),
    clusters: clusters.map(c => {
      const item: EntityClusterScore = {
        cluster: c.cluster,
        score: c.summary.score,
        grade: c.summary.grade,
        categories: c.summary.categories,
        totals: c.summary.totals,
        counts: c.counts,
        evaluatedAt: c.evaluatedAt,
        stale: c.stale,
        resources: c.resources,
      };
      if (c.staleReason) item.staleReason = c.staleReason;
      if (c.unreadableKinds) item.unreadableKinds = c.unreadableKinds;
      return item;
    }),
  };
  if (entity.owner) body.owner = entity.owner;
  if (entity.staleReason) body.staleReason = entity.staleReason;
  return body;
}
