/*
 * Entity scores per cluster (`aks_baseline_entity_scores`): what each
 * evaluation found for an entity on one cluster, its links to the
 * cluster's finding rows and its score history. The over-all-clusters
 * rows are EntitiesRepository's.
 */
import {
  FailingRuleSummary,
  FindingCounts,
  FindingFacets,
  ResourceRef,
  ScoreHistoryPoint,
  ScoreSummary,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { emptyFindingCounts } from '../scoring';
import { emptyFacets, EntityFindingRow } from './findingRows';
import {
  deleteEntityFindings,
  entityFindingsPage,
  insertEntityFindings,
  PageRequest,
  StoredPage,
} from './findingsTable';
import {
  chunks,
  EMPTY_SUMMARY,
  ENTITY_HISTORY,
  ENTITY_SCORES,
  parseJson,
  toIso,
} from './tables';

/** One entity's part on one cluster, as an evaluation computed it. */
export interface EntityClusterPart {
  entityRef: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failedRules: Record<string, number>;
  failingRules: FailingRuleSummary[];
  manualRuleIds: string[];
  facets: FindingFacets;
  resources: ResourceRef[];
  /** Unreadable kinds of the cluster that checks of this entity needed. */
  unreadableKinds?: UnreadableKind[];
  /** Its findings: links to the cluster's finding rows. */
  links: EntityFindingRow[];
}

/** One entity's stored part on one cluster. */
export interface StoredEntityCluster {
  cluster: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failingRules: FailingRuleSummary[];
  manualRuleIds: string[];
  facets: FindingFacets;
  findingCount: number;
  /** Its objects, or the first of them when `resourceCount` is set. */
  resources: ResourceRef[];
  /** How many objects it has, when `resources` holds only the first. */
  resourceCount?: number;
  evaluatedAt: string;
  stale: boolean;
  staleReason?: string;
  unreadableKinds?: UnreadableKind[];
}

/** A stored part with what the over-all-clusters row adds up. */
export interface StoredEntityPart extends StoredEntityCluster {
  entityRef: string;
  failedRules: Record<string, number>;
}

/** The rows replacing an evaluated cluster's entity parts (see `partRows`). */
export interface EntityPartRows {
  rows: object[];
  links: EntityFindingRow[];
  history: object[];
}

const PART_COLUMNS = [
  'entity_ref',
  'cluster',
  'summary',
  'counts',
  'failed_rules',
  'failing_rules',
  'manual_rule_ids',
  'facets',
  'finding_count',
  'resources',
  'unreadable_kinds',
  'evaluated_at',
  'stale',
  'stale_reason',
];

function partFromRow(r: any): StoredEntityPart {
  const c: StoredEntityPart = {
    entityRef: r.entity_ref,
    cluster: r.cluster,
    summary: parseJson<ScoreSummary>(r.summary, EMPTY_SUMMARY),
    counts: parseJson<FindingCounts>(r.counts, emptyFindingCounts()),
    failedRules: parseJson<Record<string, number>>(r.failed_rules, {}),
    failingRules: parseJson<FailingRuleSummary[]>(r.failing_rules, []),
    manualRuleIds: parseJson<string[]>(r.manual_rule_ids, []),
    facets: parseJson<FindingFacets>(r.facets, emptyFacets()),
    findingCount: Number(r.finding_count ?? 0),
    resources: parseJson<ResourceRef[]>(r.resources, []),
    evaluatedAt: toIso(r.evaluated_at)!,
    stale: Boolean(r.stale),
  };
  if (r.stale_reason) c.staleReason = r.stale_reason;
  const unreadable = parseJson<UnreadableKind[]>(r.unreadable_kinds, []);
  if (unreadable.length > 0) c.unreadableKinds = unreadable;
  return c;
}

export class EntityScoresRepository {
  constructor(private readonly db: Knex) {}

  /** The columns of one entity's part on a cluster evaluated at `at`. */
  static partRow(cluster: string, at: Date, part: EntityClusterPart): object {
    return {
      entity_ref: part.entityRef,
      cluster,
      score: part.summary.score,
      grade: part.summary.grade,
      summary: JSON.stringify(part.summary),
      counts: JSON.stringify(part.counts),
      failed_rules: JSON.stringify(part.failedRules),
      findings: '[]',
      failing_rules: JSON.stringify(part.failingRules),
      manual_rule_ids: JSON.stringify(part.manualRuleIds),
      facets: JSON.stringify(part.facets),
      finding_count: part.links.length,
      resources: JSON.stringify(part.resources),
      unreadable_kinds: JSON.stringify(part.unreadableKinds ?? []),
      evaluated_at: at,
      stale: false,
      stale_reason: null,
    };
  }

  /** The history row of one entity's part. */
  static historyRow(
    cluster: string,
    runId: string,
    at: Date,
    part: Pick<EntityClusterPart, 'entityRef' | 'summary'>,
  ): object {
    return {
      entity_ref: part.entityRef,
      cluster,
      run_id: runId,
      score: part.summary.score,
      evaluated_at: at,
    };
  }

  /** Replaces the entity parts on a cluster (within the cluster's transaction). */
  static async replaceOnCluster(
    tx: Knex.Transaction,
    cluster: string,
    parts: EntityPartRows,
  ): Promise<void> {
    await tx(ENTITY_SCORES).where('cluster', cluster).delete();
    for (const chunk of chunks(parts.rows)) {
      await tx(ENTITY_SCORES).insert(chunk);
    }
    await insertEntityFindings(tx, parts.links);
    for (const chunk of chunks(parts.history)) {
      await tx(ENTITY_HISTORY).insert(chunk);
    }
  }

  /** Marks the parts on a cluster stale with the reason. */
  static async markStale(
    tx: Knex.Transaction,
    cluster: string,
    reason: string,
  ): Promise<void> {
    await tx(ENTITY_SCORES)
      .where('cluster', cluster)
      .update({ stale: true, stale_reason: reason });
  }

  static async deleteOnClusters(
    tx: Knex.Transaction,
    clusters: readonly string[],
  ): Promise<void> {
    await tx(ENTITY_SCORES).whereIn('cluster', clusters).delete();
  }

  /**
   * The stored parts of these entities (at most one chunk of refs), but
   * those on `exceptClusters`, in no particular order.
   */
  async readParts(
    entityRefs: readonly string[],
    exceptClusters: readonly string[] = [],
  ): Promise<StoredEntityPart[]> {
    const query = this.db(ENTITY_SCORES)
      .whereIn('entity_ref', [...entityRefs])
      .select(...PART_COLUMNS);
    if (exceptClusters.length > 0) {
      query.whereNotIn('cluster', [...exceptClusters]);
    }
    return (await query).map(partFromRow);
  }

  /** One entity's parts, by cluster. */
  async partsOf(entityRef: string): Promise<StoredEntityCluster[]> {
    const rows = await this.db(ENTITY_SCORES)
      .where('entity_ref', entityRef)
      .orderBy('cluster')
      .select(...PART_COLUMNS);
    return rows.map(row => {
      const {
        entityRef: _ref,
        failedRules: _rules,
        ...part
      } = partFromRow(row);
      return part;
    });
  }

  /** The entities that have a part on some cluster. */
  async scoredEntityRefs(): Promise<string[]> {
    const rows: { entity_ref: string }[] = await this.db(
      ENTITY_SCORES,
    ).distinct('entity_ref');
    return rows.map(r => r.entity_ref);
  }

  /** Forgets the parts and finding links of these entities. */
  async deleteEntities(entityRefs: readonly string[]): Promise<void> {
    await this.db(ENTITY_SCORES)
      .whereIn('entity_ref', [...entityRefs])
      .delete();
    await deleteEntityFindings(this.db, entityRefs);
  }

  /** One page of an entity's findings over its clusters. */
  findingsPage(entityRef: string, request: PageRequest): Promise<StoredPage> {
    return entityFindingsPage(this.db, entityRef, request);
  }

  async history(
    entityRef: string,
    limit: number,
  ): Promise<ScoreHistoryPoint[]> {
    const rows = await this.db(ENTITY_HISTORY)
      .where('entity_ref', entityRef)
      .orderBy('evaluated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .select('cluster', 'score', 'evaluated_at');
    return rows.map(r => ({
      cluster: r.cluster,
      score: r.score ?? null,
      evaluatedAt: toIso(r.evaluated_at)!,
    }));
  }

  /** Deletes score history older than `before`. */
  async deleteHistoryOlderThan(before: Date): Promise<number> {
    return this.db(ENTITY_HISTORY).where('evaluated_at', '<', before).delete();
  }
}
