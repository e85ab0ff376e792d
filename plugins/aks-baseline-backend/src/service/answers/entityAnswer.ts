/*
 * An entity's score over all its clusters, combined from its parts on each
 * cluster, and the score route's answer built from them when scores are
 * stored, so that serving it is a single primary-key read. The answer is
 * bounded: its findings are paged by another route, and it carries instead
 * what the card needs (each failing rule with a few objects, the rules of
 * the manual checklist) and the counts of the findings table's filters;
 * each cluster lists at most ENTITY_RESOURCES_MAX of its objects.
 */
import {
  ENTITY_RESOURCES_MAX,
  EntityClusterScore,
  EntityScoreResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import type {
  EntityTargetRecord,
  StoredEntity,
} from '../../database/EntitiesRepository';
import type {
  StoredEntityCluster,
  StoredEntityPart,
} from '../../database/EntityScoresRepository';
import { mergeFacets, mergeFailingRules } from '../../database/findingRows';
import {
  addCounts,
  addFindingCounts,
  combineSummaries,
  emptyFindingCounts,
} from '../../scoring';

/**
 * The entity's row over its parts (any order), and the parts sorted by
 * cluster; `now` stands for the time of an entity with no part.
 */
export function combineEntity(
  target: EntityTargetRecord,
  parts: readonly StoredEntityPart[],
  now: Date,
): { entity: StoredEntity; clusters: StoredEntityPart[] } {
  const clusters = [...parts].sort((a, b) =>
    a.cluster.localeCompare(b.cluster),
  );
  const counts = emptyFindingCounts();
  const rules: Record<string, number> = {};
  let resourceCount = 0;
  let evaluatedAt: string | undefined;
  const staleReasons: string[] = [];
  for (const part of clusters) {
    addFindingCounts(counts, part.counts);
    addCounts(rules, part.failedRules);
    resourceCount += part.resourceCount ?? part.resources.length;
    if (!evaluatedAt || part.evaluatedAt > evaluatedAt) {
      evaluatedAt = part.evaluatedAt;
    }
    if (part.stale) {
      staleReasons.push(`${part.cluster}: ${part.staleReason ?? 'stale'}`);
    }
  }
  const entity: StoredEntity = {
    entityRef: target.entityRef,
    summary: combineSummaries(clusters.map(c => c.summary)),
    counts,
    failedRules: rules,
    clusters: clusters.map(c => c.cluster),
    resourceCount,
    evaluatedAt: evaluatedAt ?? now.toISOString(),
    stale: staleReasons.length > 0,
  };
  if (target.owner) entity.owner = target.owner;
  if (staleReasons.length > 0) entity.staleReason = staleReasons.join('; ');
  return { entity, clusters };
}

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
        resourceCount: c.resourceCount ?? c.resources.length,
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

/**
 * The answer as a caller sees it who may see only `visible` of its
 * clusters: the others are named nowhere (their per-cluster scores, the
 * clusters of each failing rule, the cluster facet, stale reasons); the
 * entity's own score and counts stay whole. Nothing says a part was left
 * out (docs/access.md: what a caller may not see answers as absent).
 */
export function answerForClusters(
  answer: EntityScoreResponse,
  visible: ReadonlySet<string>,
): EntityScoreResponse {
  const clusters = answer.clusters.filter(c => visible.has(c.cluster));
  const staleReasons = clusters
    .filter(c => c.stale)
    .map(c => `${c.cluster}: ${c.staleReason ?? 'stale'}`);
  const body: EntityScoreResponse = {
    ...answer,
    failingRules: answer.failingRules.map(rule => ({
      ...rule,
      clusters: rule.clusters.filter(c => visible.has(c)),
    })),
    facets: {
      ...answer.facets,
      cluster: Object.fromEntries(
        Object.entries(answer.facets.cluster).filter(([c]) => visible.has(c)),
      ),
    },
    clusters,
  };
  if (staleReasons.length > 0) body.staleReason = staleReasons.join('; ');
  else delete body.staleReason;
  return body;
}
