/*
 * Cluster results (`aks_baseline_cluster_results`): the latest result or
 * failed attempt of each cluster, its score history and its finding rows
 * (findingsTable.ts). A successful evaluation replaces the cluster's row
 * and writes, in the same transaction, only what changed of its findings,
 * its history (a point when the score changes) and its entities' parts
 * (EntityScoresRepository).
 */
import {
  ClusterSummary,
  FailingRuleSummary,
  FindingCounts,
  FindingFacets,
  NeverEvaluatedCluster,
  ScoreHistoryPoint,
  ScoreSummary,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { emptyFindingCounts } from '../scoring';
import {
  ClusterFindingRow,
  emptyFacets,
  entityLink,
  EntityFindingRow,
} from './findingRows';
import {
  clusterFindingsPage,
  deleteClusterFindings,
  ENTITY_FINDINGS,
  isLargeChange,
  PageRequest,
  refreshFindingStatistics,
  StoredPage,
  syncClusterFindings,
  syncEntityFindings,
} from './findingsTable';
import {
  EntityPartRows,
  EntityScoresRepository,
  PartsRun,
} from './EntityScoresRepository';
import {
  chunks,
  CLUSTER_HISTORY,
  CLUSTERS,
  EMPTY_SUMMARY,
  parseJson,
  resultStatus,
  toIso,
} from './tables';

export interface StoredCluster extends ClusterSummary {
  /** Failing findings per rule id (not part of the API answer). */
  failedRules?: Record<string, number>;
}

/** What `GET /clusters/:name` adds to the summary. */
export interface StoredClusterDetail extends StoredCluster {
  failingRules: FailingRuleSummary[];
  facets: FindingFacets;
  totalFindings: number;
}

/** A successful cluster evaluation, its columns computed by the caller. */
export interface ClusterResultRecord {
  cluster: string;
  sourceKind: string;
  runId: string;
  evaluatedAt: Date;
  profile?: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failedRules: Record<string, number>;
  failingRules: FailingRuleSummary[];
  facets: FindingFacets;
  /** The engine's subject results, as JSON. */
  subjectsJson: string;
  stats: ClusterSummary['stats'];
  unreadableKinds?: UnreadableKind[];
  findingRows: readonly ClusterFindingRow[];
  /** Replaces the entity parts on this cluster; undefined keeps them (their findings still there). */
  entityParts?: EntityPartRows;
}

export interface ClusterFailureInput {
  cluster: string;
  sourceKind: string;
  runId: string;
  attemptAt: Date;
  /** Safe to show: never a token or a response body. */
  error: string;
}

/** A cluster as the score route's 404 tells of it. */
export interface ClusterAttempt {
  cluster: string;
  evaluated: boolean;
  neverEvaluated?: NeverEvaluatedCluster;
}

const SUMMARY_COLUMNS = [
  'cluster',
  'source_kind',
  'profile',
  'summary',
  'counts',
  'failed_rules',
  'stats',
  'unreadable_kinds',
  'evaluated_at',
  'last_attempt_at',
  'last_run_id',
  'last_error',
  'stale',
  'stale_reason',
];

function clusterFromRow(row: any): StoredCluster {
  const summary = parseJson<ScoreSummary>(row.summary, EMPTY_SUMMARY);
  const status = resultStatus(row);
  const cluster: StoredCluster = {
    name: row.cluster,
    sourceKind: row.source_kind,
    score: summary.score,
    grade: summary.grade,
    categories: summary.categories,
    totals: summary.totals,
    counts: parseJson<FindingCounts>(row.counts, emptyFindingCounts()),
    status,
    stale: status === 'stale',
  };
  if (row.profile) cluster.profile = row.profile;
  const evaluatedAt = toIso(row.evaluated_at);
  if (evaluatedAt) cluster.evaluatedAt = evaluatedAt;
  const lastAttemptAt = toIso(row.last_attempt_at);
  if (lastAttemptAt) cluster.lastAttemptAt = lastAttemptAt;
  if (row.last_run_id) cluster.lastRunId = row.last_run_id;
  if (row.last_error) cluster.lastError = row.last_error;
  if (row.stale_reason && status === 'stale') {
    cluster.staleReason = row.stale_reason;
  }
  const unreadable = parseJson<UnreadableKind[]>(row.unreadable_kinds, []);
  if (unreadable.length > 0) cluster.unreadableKinds = unreadable;
  const stats = parseJson<ClusterSummary['stats'] | null>(row.stats, null);
  if (stats) cluster.stats = stats;
  const rules = parseJson<Record<string, number> | null>(
    row.failed_rules,
    null,
  );
  if (rules) cluster.failedRules = rules;
  return cluster;
}

/** The entity links of a cluster whose findings are still in `rows`, as they are now. */
async function keptEntityFindings(
  tx: Knex.Transaction,
  cluster: string,
  rows: readonly ClusterFindingRow[],
): Promise<EntityFindingRow[]> {
  const byKey = new Map(rows.map(r => [r.finding_key, r]));
  const links: { entity_ref: string; finding_key: string }[] = await tx(
    ENTITY_FINDINGS,
  )
    .where('cluster', cluster)
    .select('entity_ref', 'finding_key');
  const kept: EntityFindingRow[] = [];
  for (const link of links) {
    const row = byKey.get(link.finding_key);
    if (!row) continue;
    kept.push(entityLink(link.entity_ref, row));
  }
  return kept;
}

/** The cluster's row before a success replaces it. */
interface PreviousResult {
  finding_count?: number | string | null;
  score: number | null;
  grade: string | null;
  evaluated_at: unknown;
  evaluated_run_id: string | null;
  last_run_id: string | null;
  parts_evaluated_at?: unknown;
  parts_run_id?: string | null;
}

/** When and by which run the stored entity parts were evaluated, if known. */
function previousPartsRun(
  previous: PreviousResult | undefined,
): PartsRun | undefined {
  const at = toIso(previous?.parts_evaluated_at);
  return at && previous?.parts_run_id
    ? { at: new Date(at), runId: previous.parts_run_id }
    : undefined;
}

/**
 * Ends the cluster's run of equal scores with its last success, unless
 * that is already its latest point.
 */
async function endRun(
  tx: Knex.Transaction,
  cluster: string,
  previous: PreviousResult,
): Promise<void> {
  const previousAt = toIso(previous.evaluated_at);
  if (!previousAt) return;
  const latest = await tx(CLUSTER_HISTORY)
    .where('cluster', cluster)
    .max({ at: 'evaluated_at' })
    .first();
  const latestAt = toIso(latest?.at);
  if (latestAt && latestAt >= previousAt) return;
  await tx(CLUSTER_HISTORY).insert({
    cluster,
    run_id: previous.evaluated_run_id ?? previous.last_run_id,
    score: previous.score ?? null,
    grade: previous.grade ?? null,
    evaluated_at: new Date(previousAt),
  });
}

/**
 * A history point only when the score changed (or the first success);
 * the previous run of equal scores is closed with its last point first,
 * so that the points read as they would if every run had written one.
 */
async function writeClusterHistory(
  tx: Knex.Transaction,
  record: ClusterResultRecord,
  previous: PreviousResult | undefined,
): Promise<void> {
  const score = record.summary.score;
  if (toIso(previous?.evaluated_at) && (previous!.score ?? null) === score) {
    return;
  }
  if (previous) await endRun(tx, record.cluster, previous);
  await tx(CLUSTER_HISTORY).insert({
    cluster: record.cluster,
    run_id: record.runId,
    score,
    grade: record.summary.grade,
    evaluated_at: record.evaluatedAt,
  });
}

export class ClusterResultsRepository {
  constructor(private readonly db: Knex) {}

  /**
   * Stores a successful evaluation: the cluster's row, and of its findings,
   * history and entity parts only what changed.
   */
  async saveSuccess(record: ClusterResultRecord): Promise<void> {
    const at = record.evaluatedAt;
    let previousCount = 0;
    await this.db.transaction(async tx => {
      const previous: PreviousResult | undefined = await tx(CLUSTERS)
        .where('cluster', record.cluster)
        .first(
          'finding_count',
          'score',
          'grade',
          'evaluated_at',
          'evaluated_run_id',
          'last_run_id',
          'parts_evaluated_at',
          'parts_run_id',
        );
      previousCount = Number(previous?.finding_count ?? 0);
      await tx(CLUSTERS)
        .insert({
          cluster: record.cluster,
          source_kind: record.sourceKind,
          profile: record.profile ?? null,
          score: record.summary.score,
          grade: record.summary.grade,
          summary: JSON.stringify(record.summary),
          counts: JSON.stringify(record.counts),
          // The findings are rows (below); the JSON list is left empty.
          findings: null,
          failed_rules: JSON.stringify(record.failedRules),
          failing_rules: JSON.stringify(record.failingRules),
          facets: JSON.stringify(record.facets),
          finding_count: record.findingRows.length,
          subjects: record.subjectsJson,
          stats: JSON.stringify(record.stats ?? null),
          unreadable_kinds: JSON.stringify(record.unreadableKinds ?? []),
          evaluated_at: at,
          evaluated_run_id: record.runId,
          last_attempt_at: at,
          last_run_id: record.runId,
          last_error: null,
          stale: false,
          stale_reason: null,
          ...(record.entityParts
            ? { parts_evaluated_at: at, parts_run_id: record.runId }
            : {}),
        })
        .onConflict('cluster')
        .merge();
      // Without new entity parts, the entities keep their findings that
      // are still there.
      const links = record.entityParts
        ? record.entityParts.links
        : await keptEntityFindings(tx, record.cluster, record.findingRows);
      const rewritten = await syncClusterFindings(
        tx,
        record.cluster,
        record.findingRows,
      );
      await syncEntityFindings(tx, record.cluster, links, rewritten);
      await writeClusterHistory(tx, record, previous);
      if (record.entityParts) {
        await EntityScoresRepository.syncOnCluster(
          tx,
          record.cluster,
          record.entityParts,
          previousPartsRun(previous),
        );
      }
    });
    if (isLargeChange(previousCount, record.findingRows.length)) {
      await refreshFindingStatistics(this.db);
    }
  }

  /**
   * Records a failed attempt. A previous good result stays and is marked
   * stale with the reason, as are the entity parts on this cluster; a
   * cluster without one stays never evaluated (nothing is stale).
   */
  async saveFailure(input: ClusterFailureInput): Promise<void> {
    await this.db.transaction(async tx => {
      const existing = await tx(CLUSTERS)
        .where('cluster', input.cluster)
        .first('cluster', 'evaluated_at');
      if (existing) {
        const hasResult = resultStatus(existing) !== 'never-evaluated';
        await tx(CLUSTERS)
          .where('cluster', input.cluster)
          .update({
            source_kind: input.sourceKind,
            last_attempt_at: input.attemptAt,
            last_run_id: input.runId,
            last_error: input.error,
            stale: hasResult,
            stale_reason: hasResult ? input.error : null,
          });
      } else {
        await tx(CLUSTERS).insert({
          cluster: input.cluster,
          source_kind: input.sourceKind,
          last_attempt_at: input.attemptAt,
          last_run_id: input.runId,
          last_error: input.error,
          stale: false,
        });
      }
      await EntityScoresRepository.markStale(tx, input.cluster, input.error);
    });
  }

  /** Forgets clusters that are no longer configured, with their findings and entity parts. */
  async removeExcept(keep: readonly string[]): Promise<string[]> {
    const rows: { cluster: string }[] = await this.db(CLUSTERS).select(
      'cluster',
    );
    const gone = rows.map(r => r.cluster).filter(c => !keep.includes(c));
    if (gone.length === 0) return [];
    await this.db.transaction(async tx => {
      // Their history stays (a cluster may come back): it ends with the
      // last success, which the answers no longer add.
      const results: (PreviousResult & { cluster: string })[] = await tx(
        CLUSTERS,
      )
        .whereIn('cluster', gone)
        .select(
          'cluster',
          'score',
          'grade',
          'evaluated_at',
          'evaluated_run_id',
          'last_run_id',
        );
      for (const row of results) await endRun(tx, row.cluster, row);
      // The parts first: their time is read from the cluster's row.
      await EntityScoresRepository.deleteOnClusters(tx, gone);
      await tx(CLUSTERS).whereIn('cluster', gone).delete();
      await deleteClusterFindings(tx, gone);
    });
    return gone;
  }

  /** The clusters, or only those named in `only`. */
  async list(
    options: { only?: ReadonlySet<string> } = {},
  ): Promise<StoredCluster[]> {
    if (options.only && options.only.size === 0) return [];
    const query = this.db(CLUSTERS)
      .select(...SUMMARY_COLUMNS)
      .orderBy('cluster');
    // The clusters are configured ones: a short list.
    if (options.only) query.whereIn('cluster', [...options.only]);
    const rows = await query;
    return rows.map(clusterFromRow);
  }

  async get(name: string): Promise<StoredClusterDetail | undefined> {
    const row = await this.db(CLUSTERS)
      .where('cluster', name)
      .first(...SUMMARY_COLUMNS, 'failing_rules', 'facets', 'finding_count');
    if (!row) return undefined;
    return {
      ...clusterFromRow(row),
      failingRules: parseJson<FailingRuleSummary[]>(row.failing_rules, []),
      facets: parseJson<FindingFacets>(row.facets, emptyFacets()),
      totalFindings: Number(row.finding_count ?? 0),
    };
  }

  /** Whether the cluster has a row (a result, or a failed attempt). */
  async exists(name: string): Promise<boolean> {
    return Boolean(
      await this.db(CLUSTERS).where('cluster', name).first('cluster'),
    );
  }

  /**
   * When each cluster's entity parts were last evaluated (of `only`, else
   * of every cluster): the time their stored answers show, which moves on
   * with every evaluation that stores parts, changed or not.
   */
  async partTimes(only?: readonly string[]): Promise<Map<string, string>> {
    const times = new Map<string, string>();
    for (const names of only ? chunks(only) : [undefined]) {
      const query = this.db(CLUSTERS)
        .whereNotNull('parts_evaluated_at')
        .select('cluster', 'parts_evaluated_at');
      if (names) query.whereIn('cluster', names);
      for (const row of await query) {
        times.set(row.cluster, toIso(row.parts_evaluated_at)!);
      }
    }
    return times;
  }

  /**
   * The clusters (only `cluster` when given), each with whether an attempt
   * ever read it, and if not its last error.
   */
  async attempts(cluster?: string): Promise<ClusterAttempt[]> {
    const query = this.db(CLUSTERS)
      .select('cluster', 'evaluated_at', 'last_error', 'last_attempt_at')
      .orderBy('cluster');
    if (cluster) query.where('cluster', cluster);
    return (await query).map(row => {
      if (resultStatus(row) !== 'never-evaluated') {
        return { cluster: row.cluster, evaluated: true };
      }
      const never: NeverEvaluatedCluster = { name: row.cluster };
      if (row.last_error) never.lastError = row.last_error;
      const at = toIso(row.last_attempt_at);
      if (at) never.lastAttemptAt = at;
      return { cluster: row.cluster, evaluated: false, neverEvaluated: never };
    });
  }

  /** One page of a cluster's findings (the cluster's existence is not checked). */
  findingsPage(cluster: string, request: PageRequest): Promise<StoredPage> {
    return clusterFindingsPage(this.db, cluster, request);
  }

  /**
   * The cluster's score points, newest first: the stored ones (written
   * when the score changed) and the latest success.
   */
  async history(name: string, limit: number): Promise<ScoreHistoryPoint[]> {
    const rows = await this.db(CLUSTER_HISTORY)
      .where('cluster', name)
      .orderBy('evaluated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .select('cluster', 'score', 'evaluated_at');
    const points: ScoreHistoryPoint[] = rows.map(r => ({
      cluster: r.cluster,
      score: r.score ?? null,
      evaluatedAt: toIso(r.evaluated_at)!,
    }));
    const current = await this.db(CLUSTERS)
      .where('cluster', name)
      .first('score', 'evaluated_at');
    const currentAt = toIso(current?.evaluated_at);
    if (
      currentAt &&
      (points.length === 0 || points[0].evaluatedAt < currentAt)
    ) {
      points.unshift({
        cluster: name,
        score: current.score ?? null,
        evaluatedAt: currentAt,
      });
    }
    return points.slice(0, limit);
  }

  /**
   * Deletes score history older than `before`, but the newest such point
   * of each cluster still stored: the score it has had since then, written
   * only when it changed.
   */
  async deleteHistoryOlderThan(before: Date): Promise<number> {
    const inEffect = this.db(`${CLUSTER_HISTORY} as h`)
      .join(`${CLUSTERS} as k`, 'k.cluster', 'h.cluster')
      .where('h.evaluated_at', '<', before)
      .groupBy('h.cluster')
      .max('h.id');
    return this.db(CLUSTER_HISTORY)
      .where('evaluated_at', '<', before)
      .whereNotIn('id', inEffect)
      .delete();
  }
}
