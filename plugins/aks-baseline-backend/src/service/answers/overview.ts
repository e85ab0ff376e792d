/*
 * The overview's answer: the clusters, each owner's entities taken
 * together, the rules failed most and the lowest-scored entities, over what
 * the caller may see.
 */
import {
  ClusterSummary,
  EntityScoreSummary,
  OVERVIEW_ENTITIES_MAX,
  OVERVIEW_OWNERS_MAX,
  OverviewResponse,
  OwnerScore,
  RuleFailureCount,
  RuleInfo,
  compareSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { StoredCluster } from '../../database/ClusterResultsRepository';
import type { StoredEntity } from '../../database/EntitiesRepository';
import {
  addCounts,
  addFindingCounts,
  combineSummaries,
  emptyFindingCounts,
} from '../../scoring';

/** A cluster as the API shows it (without its per-rule counts). */
export function publicCluster(cluster: StoredCluster): ClusterSummary {
  const { failedRules: _rules, ...summary } = cluster;
  return summary;
}

/** Lowest score first; entities without a score last. */
export function compareScoreAscending(
  a: { score: number | null },
  b: { score: number | null },
): number {
  if (a.score === null && b.score === null) return 0;
  if (a.score === null) return 1;
  if (b.score === null) return -1;
  return a.score - b.score;
}

/** An entity's overview row; names only `visibleClusters` when given. */
export function toEntitySummary(
  entity: StoredEntity,
  visibleClusters?: ReadonlySet<string>,
): EntityScoreSummary {
  const summary: EntityScoreSummary = {
    entityRef: entity.entityRef,
    score: entity.summary.score,
    grade: entity.summary.grade,
    counts: entity.counts,
    unknown: entity.summary.totals.unknown,
    clusters: visibleClusters
      ? entity.clusters.filter(c => visibleClusters.has(c))
      : entity.clusters,
    evaluatedAt: entity.evaluatedAt,
    stale: entity.stale,
  };
  if (entity.owner) summary.owner = entity.owner;
  return summary;
}

/**
 * The overview over these clusters and entities; with `owner`, of that
 * owner's entities (the rules failed most then count theirs only). Entities
 * name only `visibleClusters` when given.
 */
export function overviewAnswer(
  clusters: readonly StoredCluster[],
  entities: readonly StoredEntity[],
  rulesById: ReadonlyMap<string, RuleInfo>,
  options: { owner?: string; visibleClusters?: ReadonlySet<string> } = {},
): OverviewResponse {
  const { owner, visibleClusters } = options;
  const scored = entities.filter(e => e.resourceCount > 0);
  const owners = rankOwners(entities);
  const body: OverviewResponse = {
    clusters: clusters.map(publicCluster),
    owners: owners.slice(0, OVERVIEW_OWNERS_MAX),
    ownerTotal: owners.length,
    topFailingRules: topFailingRules(
      owner || clusters.length === 0 ? undefined : clusters,
      entities,
      rulesById,
    ),
    entities: scored
      .map(e => toEntitySummary(e, visibleClusters))
      .sort(
        (a, b) =>
          compareScoreAscending(a, b) || a.entityRef.localeCompare(b.entityRef),
      )
      .slice(0, OVERVIEW_ENTITIES_MAX),
    entityTotal: scored.length,
  };
  if (owner) body.owner = owner;
  return body;
}

/** Each owner's entities taken together; best score first. */
export function rankOwners(entities: readonly StoredEntity[]): OwnerScore[] {
  const byOwner = new Map<string, StoredEntity[]>();
  for (const entity of entities) {
    if (!entity.owner || entity.resourceCount === 0) continue;
    const list = byOwner.get(entity.owner) ?? [];
    list.push(entity);
    byOwner.set(entity.owner, list);
  }
  const owners: OwnerScore[] = [];
  for (const [owner, list] of byOwner) {
    const summary = combineSummaries(list.map(e => e.summary));
    const counts = emptyFindingCounts();
    for (const e of list) addFindingCounts(counts, e.counts);
    owners.push({
      owner,
      score: summary.score,
      grade: summary.grade,
      categories: summary.categories,
      totals: summary.totals,
      counts,
      entities: list.filter(e => e.summary.score !== null).length,
      stale: list.some(e => e.stale),
    });
  }
  return owners.sort((a, b) => {
    if (a.score === null && b.score === null)
      return a.owner.localeCompare(b.owner);
    if (a.score === null) return 1;
    if (b.score === null) return -1;
    return b.score - a.score || a.owner.localeCompare(b.owner);
  });
}

/** The rules failed most, over clusters (organisation) or entities (owner). */
export function topFailingRules(
  clusters: readonly StoredCluster[] | undefined,
  entities: readonly StoredEntity[],
  rulesById: ReadonlyMap<string, RuleInfo>,
  limit = 10,
): RuleFailureCount[] {
  const failures: Record<string, number> = {};
  const clusterCounts: Record<string, number> = {};
  if (clusters) {
    for (const cluster of clusters) {
      const rules = cluster.failedRules ?? {};
      addCounts(failures, rules);
      for (const id of Object.keys(rules)) {
        clusterCounts[id] = (clusterCounts[id] ?? 0) + 1;
      }
    }
  } else {
    for (const entity of entities) addCounts(failures, entity.failedRules);
  }
  const entityCounts: Record<string, number> = {};
  for (const entity of entities) {
    for (const id of Object.keys(entity.failedRules)) {
      entityCounts[id] = (entityCounts[id] ?? 0) + 1;
    }
  }
  const rows: RuleFailureCount[] = [];
  for (const [ruleId, count] of Object.entries(failures)) {
    const rule = rulesById.get(ruleId);
    if (!rule || count === 0) continue;
    const row: RuleFailureCount = {
      ruleId,
      baselineRef: rule.baselineRef,
      title: rule.title,
      category: rule.category,
      severity: rule.severity,
      failures: count,
      entities: entityCounts[ruleId] ?? 0,
    };
    if (clusters) row.clusters = clusterCounts[ruleId] ?? 0;
    rows.push(row);
  }
  return rows
    .sort(
      (a, b) =>
        b.failures - a.failures ||
        compareSeverity(a.severity, b.severity) ||
        a.ruleId.localeCompare(b.ruleId),
    )
    .slice(0, limit);
}
