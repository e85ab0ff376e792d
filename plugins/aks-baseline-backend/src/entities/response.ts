/*
 * The score route's answer for one entity, built when scores are stored so
 * that serving it is a single primary-key read. It is bounded: its findings
 * are paged by another route, and it carries instead what the card needs
 * (each failing rule with a few objects, the rules of the manual checklist)
 * and the counts of the findings table's filters; each cluster lists at
 * most ENTITY_RESOURCES_MAX of its objects.
 */
import {
  ENTITY_RESOURCES_MAX,
  EntityClusterScore,
  EntityScoreResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import type {
  StoredEntity,
  StoredEntityCluster,
} from '../database/AksBaselineStore';
import { mergeFacets, mergeFailingRules } from '../database/findingRows';

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
    failingRules: mergeFailingRules(clusters.map(c => c.failingRules)),
    manualRuleIds: [...new Set(clusters.flatMap(c => c.manualRuleIds))].sort(),
    facets: mergeFacets(clusters.map(c => c.facets)),
    totalFindings: clusters.reduce((n, c) => n + c.findingCount, 0),
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
        resources: c.resources.slice(0, ENTITY_RESOURCES_MAX),
        resourceCount: c.resources.length,
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
