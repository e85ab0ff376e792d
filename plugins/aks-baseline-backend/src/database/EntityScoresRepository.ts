/*
 * Entity scores per cluster (`aks_baseline_entity_scores`): what each
 * evaluation found for an entity on one cluster (rewritten only when its
 * content changed), its links to the cluster's finding rows and its score
 * history (a point when a score changes). The over-all-clusters
 * rows are EntitiesRepository's.
 */
import {
  FailingRuleSummary,
  FindingCounts,
  FindingFacets,
  ResourceRef,
  ScoreHistoryPoint,
  ScoreSummary,
  StoredPasses,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { emptyFindingCounts } from '../scoring';
import { clearMarks, markToRefresh } from './entitiesToRefresh';
import { base64urlSha1, emptyFacets, EntityFindingRow } from './findingRows';
import {
  deleteEntityFindings,
  entityFindingsPage,
  PageRequest,
  StoredPage,
} from './findingsTable';
import {
  chunks,
  CLUSTERS,
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
  /** The rules that passed on its objects. */
  passes?: StoredPasses;
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

/** One part's row (see `partRow`). */
export interface PartRow {
  entity_ref: string;
  score: number | null;
  content_hash: string;
  [column: string]: unknown;
}

/** An evaluation's entity parts on a cluster, to store in place of the previous ones. */
export interface EntityPartRows {
  rows: PartRow[];
  links: EntityFindingRow[];
  runId: string;
  at: Date;
}

/** When, and by which run, the entity parts of a cluster were evaluated. */
export interface PartsRun {
  at: Date;
  runId: string;
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
  'stale',
  'stale_reason',
].map(c => `s.${c}`);

/**
 * The parts with their time: the evaluation of the cluster's parts (a part
 * whose content did not change is not written again), or the part's own.
 */
function partsQuery(db: Knex | Knex.Transaction) {
  return db(`${ENTITY_SCORES} as s`)
    .leftJoin(`${CLUSTERS} as k`, 'k.cluster', 's.cluster')
    .select(
      ...PART_COLUMNS,
      db.raw('coalesce(??, ??) as evaluated_at', [
        'k.parts_evaluated_at',
        's.evaluated_at',
      ]),
    );
}

/** The hash of a part's content: all of its row but its time and staleness. */
function partHash(content: Record<string, unknown>): string {
  return base64urlSha1(JSON.stringify(content));
}

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

/** The history row of one entity's part. */
function historyRow(
  cluster: string,
  runId: string,
  at: Date,
  part: { entityRef: string; score: number | null },
): object {
  return {
    entity_ref: part.entityRef,
    cluster,
    run_id: runId,
    score: part.score,
    evaluated_at: at,
  };
}

interface StoredScore {
  entity_ref: string;
  content_hash: string | null;
  score: number | null;
  evaluated_at: unknown;
  stale?: unknown;
  /** The run that evaluated it, when read with the cluster's row. */
  parts_run_id?: string | null;
}

/**
 * The history rows that end these parts' runs of equal scores at their
 * last evaluation (`previous`, else the part's own time), unless their
 * latest point is already that one: with them, the points read as they
 * would if every evaluation had written one, but for the equal points
 * inside a run.
 */
async function closingPoints(
  tx: Knex | Knex.Transaction,
  cluster: string,
  parts: readonly StoredScore[],
  previous: PartsRun | undefined,
): Promise<object[]> {
  const out: object[] = [];
  for (const chunk of chunks(parts)) {
    const latest: { entity_ref: string; at: unknown }[] = await tx(
      ENTITY_HISTORY,
    )
      .where('cluster', cluster)
      .whereIn(
        'entity_ref',
        chunk.map(p => p.entity_ref),
      )
      .groupBy('entity_ref')
      .select('entity_ref')
      .max({ at: 'evaluated_at' });
    const latestAt = new Map(latest.map(r => [r.entity_ref, toIso(r.at)]));
    for (const part of chunk) {
      const at = previous?.at.toISOString() ?? toIso(part.evaluated_at);
      const last = latestAt.get(part.entity_ref);
      if (!at || (last && last >= at)) continue;
      out.push(
        historyRow(
          cluster,
          // Parts stored before the run was recorded: not known.
          previous?.runId ?? part.parts_run_id ?? 'unknown',
          new Date(at),
          { entityRef: part.entity_ref, score: part.score ?? null },
        ),
      );
    }
  }
  return out;
}

/**
 * Before the parts selected by `where` are deleted: their series end with
 * their last evaluation, which the history answers no longer add.
 */
async function endSeries(
  tx: Knex.Transaction,
  where: (query: Knex.QueryBuilder) => void,
): Promise<void> {
  const query = partsQuery(tx).select(
    's.score as score',
    'k.parts_run_id as parts_run_id',
  );
  where(query);
  const parts: (StoredScore & { cluster: string })[] = await query;
  const byCluster = new Map<string, StoredScore[]>();
  for (const part of parts) {
    byCluster.set(part.cluster, [...(byCluster.get(part.cluster) ?? []), part]);
  }
  for (const [cluster, list] of byCluster) {
    const rows = await closingPoints(tx, cluster, list, undefined);
    for (const chunk of chunks(rows)) {
      await tx(ENTITY_HISTORY).insert(chunk);
    }
  }
}

export class EntityScoresRepository {
  constructor(private readonly db: Knex) {}

  /** The columns of one entity's part on a cluster evaluated at `at`. */
  static partRow(cluster: string, at: Date, part: EntityClusterPart): PartRow {
    const content = {
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
      // Absent passes leave the hash of a part stored before they were kept.
      ...(part.passes ? { passes: JSON.stringify(part.passes) } : {}),
    };
    return {
      ...content,
      content_hash: partHash(content),
      evaluated_at: at,
      stale: false,
      stale_reason: null,
    };
  }

  /**
   * Makes the entity parts on a cluster those of `parts` (within the
   * cluster's transaction), writing only the parts that changed, and a
   * history point only for a score that changed (`previous`: when the
   * stored parts were evaluated).
   */
  static async syncOnCluster(
    tx: Knex.Transaction,
    cluster: string,
    parts: EntityPartRows,
    previous: PartsRun | undefined,
  ): Promise<void> {
    const stored: StoredScore[] = await tx(ENTITY_SCORES)
      .where('cluster', cluster)
      .select('entity_ref', 'content_hash', 'score', 'evaluated_at', 'stale');
    const storedByRef = new Map(stored.map(r => [r.entity_ref, r]));
    const wanted = new Set(parts.rows.map(r => r.entity_ref));
    const changed = parts.rows.filter(
      r => storedByRef.get(r.entity_ref)?.content_hash !== r.content_hash,
    );
    const replaced = changed
      .map(r => r.entity_ref)
      .filter(ref => storedByRef.has(ref));
    const removed = stored
      .map(r => r.entity_ref)
      .filter(ref => !wanted.has(ref));
    for (const chunk of chunks([...replaced, ...removed])) {
      await tx(ENTITY_SCORES)
        .where('cluster', cluster)
        .whereIn('entity_ref', chunk)
        .delete();
    }
    for (const chunk of chunks(changed)) {
      await tx(ENTITY_SCORES).insert(chunk);
    }
    // Parts kept as they were are no longer stale after a failed attempt.
    const unstale = stored.filter(r => r.stale).map(r => r.entity_ref);
    if (unstale.length > 0) {
      await tx(ENTITY_SCORES)
        .where({ cluster, stale: true })
        .update({ stale: false, stale_reason: null });
    }
    // Only these entities' combined rows can have changed.
    await markToRefresh(
      tx,
      [...changed.map(r => r.entity_ref), ...removed, ...unstale],
      parts.at,
    );

    const rescored = parts.rows.filter(r => {
      const before = storedByRef.get(r.entity_ref);
      return !before || (before.score ?? null) !== (r.score ?? null);
    });
    // A series whose score changed, or that ended, gets its last point.
    const ended = [...rescored.map(r => r.entity_ref), ...removed].flatMap(
      ref => storedByRef.get(ref) ?? [],
    );
    const history = [
      ...(await closingPoints(tx, cluster, ended, previous)),
      ...rescored.map(r =>
        historyRow(cluster, parts.runId, parts.at, {
          entityRef: r.entity_ref,
          score: r.score,
        }),
      ),
    ];
    for (const chunk of chunks(history)) {
      await tx(ENTITY_HISTORY).insert(chunk);
    }
  }

  /**
   * Marks the parts on a cluster stale with the reason (those already
   * stale for it stay as they are: their entities need no refresh).
   */
  static async markStale(
    tx: Knex.Transaction,
    cluster: string,
    reason: string,
  ): Promise<void> {
    const rows: { entity_ref: string }[] = await tx(ENTITY_SCORES)
      .where('cluster', cluster)
      .andWhere(q =>
        q
          .where('stale', false)
          .orWhereNull('stale_reason')
          .orWhereNot('stale_reason', reason),
      )
      .select('entity_ref');
    const refs = rows.map(r => r.entity_ref);
    for (const chunk of chunks(refs)) {
      await tx(ENTITY_SCORES)
        .where('cluster', cluster)
        .whereIn('entity_ref', chunk)
        .update({ stale: true, stale_reason: reason });
    }
    await markToRefresh(tx, refs);
  }

  static async deleteOnClusters(
    tx: Knex.Transaction,
    clusters: readonly string[],
  ): Promise<void> {
    await endSeries(tx, q => q.whereIn('s.cluster', [...clusters]));
    const rows: { entity_ref: string }[] = await tx(ENTITY_SCORES)
      .whereIn('cluster', clusters)
      .distinct('entity_ref');
    await tx(ENTITY_SCORES).whereIn('cluster', clusters).delete();
    await markToRefresh(
      tx,
      rows.map(r => r.entity_ref),
    );
  }

  /**
   * The stored parts of these entities (at most one chunk of refs), but
   * those on `exceptClusters`, in no particular order.
   */
  async readParts(
    entityRefs: readonly string[],
    exceptClusters: readonly string[] = [],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<StoredEntityPart[]> {
    const query = partsQuery(db).whereIn('s.entity_ref', [...entityRefs]);
    if (exceptClusters.length > 0) {
      query.whereNotIn('s.cluster', [...exceptClusters]);
    }
    return (await query).map(partFromRow);
  }

  /** How many parts each of these entities has (at most one chunk of refs). */
  async countParts(
    entityRefs: readonly string[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<Map<string, number>> {
    const rows: { entity_ref: string; n: unknown }[] = await db(ENTITY_SCORES)
      .whereIn('entity_ref', [...entityRefs])
      .groupBy('entity_ref')
      .select('entity_ref')
      .count({ n: '*' });
    return new Map(rows.map(r => [r.entity_ref, Number(r.n)]));
  }

  /** One entity's parts, by cluster. */
  async partsOf(entityRef: string): Promise<StoredEntityCluster[]> {
    const rows = await partsQuery(this.db)
      .where('s.entity_ref', entityRef)
      .orderBy('s.cluster');
    return rows.map(row => {
      const {
        entityRef: _ref,
        failedRules: _rules,
        ...part
      } = partFromRow(row);
      return part;
    });
  }

  /** One entity's passes by cluster (null: stored before passes were kept). */
  async passesOf(
    entityRef: string,
  ): Promise<{ cluster: string; passes: StoredPasses | null }[]> {
    const rows: { cluster: string; passes: string | null }[] = await this.db(
      ENTITY_SCORES,
    )
      .where('entity_ref', entityRef)
      .select('cluster', 'passes');
    return rows.map(r => ({
      cluster: r.cluster,
      passes: parseJson<StoredPasses | null>(r.passes, null),
    }));
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
    await this.db.transaction(async tx => {
      await endSeries(tx, q => q.whereIn('s.entity_ref', [...entityRefs]));
      await tx(ENTITY_SCORES)
        .whereIn('entity_ref', [...entityRefs])
        .delete();
      await deleteEntityFindings(tx, entityRefs);
      await clearMarks(tx, entityRefs);
    });
  }

  /** One page of an entity's findings over its clusters. */
  findingsPage(entityRef: string, request: PageRequest): Promise<StoredPage> {
    return entityFindingsPage(this.db, entityRef, request);
  }

  /**
   * The entity's score points over its clusters, newest first: the stored
   * ones (written when a score changed) and each part's latest evaluation.
   */
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
    const points: ScoreHistoryPoint[] = rows.map(r => ({
      cluster: r.cluster,
      score: r.score ?? null,
      evaluatedAt: toIso(r.evaluated_at)!,
    }));
    const latest: { cluster: string; at: unknown }[] = await this.db(
      ENTITY_HISTORY,
    )
      .where('entity_ref', entityRef)
      .groupBy('cluster')
      .select('cluster')
      .max({ at: 'evaluated_at' });
    const latestAt = new Map(latest.map(r => [r.cluster, toIso(r.at)]));
    const current = await partsQuery(this.db)
      .where('s.entity_ref', entityRef)
      .select('s.score as score');
    const newer: ScoreHistoryPoint[] = [];
    for (const part of current) {
      const at = toIso(part.evaluated_at)!;
      const last = latestAt.get(part.cluster);
      if (last && last >= at) continue;
      newer.push({
        cluster: part.cluster,
        score: part.score ?? null,
        evaluatedAt: at,
      });
    }
    return [...newer, ...points]
      .sort((a, b) =>
        a.evaluatedAt < b.evaluatedAt
          ? 1
          : Number(a.evaluatedAt > b.evaluatedAt) * -1,
      )
      .slice(0, limit);
  }

  /**
   * Deletes score history older than `before`, but the newest such point
   * of each part still stored: the score it has had since then, written
   * only when it changed.
   */
  async deleteHistoryOlderThan(before: Date): Promise<number> {
    const inEffect = this.db(`${ENTITY_HISTORY} as h`)
      .join(`${ENTITY_SCORES} as s`, function on() {
        this.on('s.entity_ref', 'h.entity_ref').andOn('s.cluster', 'h.cluster');
      })
      .where('h.evaluated_at', '<', before)
      .groupBy('h.entity_ref', 'h.cluster')
      .max('h.id');
    return this.db(ENTITY_HISTORY)
      .where('evaluated_at', '<', before)
      .whereNotIn('id', inEffect)
      .delete();
  }
}
