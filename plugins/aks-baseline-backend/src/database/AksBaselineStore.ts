/*
 * The plugin's persistence: evaluation runs, the latest result per cluster,
 * entity scores per cluster and over all clusters, and score history.
 * Everything a route reads is computed at evaluation time, so reads are
 * primary-key lookups; the score route's answers are also cached in memory
 * (answerCache.ts). Findings are rows, read a page at a time
 * (findingsTable.ts). SQLite and PostgreSQL alike: JSON in text columns
 * (the score route's answer gzip-compressed in a binary one), timestamps
 * written as Date and read back through `toIso`.
 */
import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ClusterSummary,
  EvaluationRun,
  FailingRuleSummary,
  FindingFacets,
  EvaluationStatus,
  EvaluationTrigger,
  Finding,
  FindingCounts,
  NeverEvaluatedCluster,
  ResourceRef,
  ResultStatus,
  ScoreHistoryPoint,
  ScoreSummary,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { constants, gzipSync } from 'zlib';
import { entityScoreResponse } from '../entities/response';
import { jsonArraySteps, mapSteps, runInSlices } from '../service/slices';
import {
  ClusterFindingRow,
  clusterFindingRowSteps,
  clusterFindingRows,
  emptyFacets,
  EntityFindingRow,
  entityFindingRows,
  entityLink,
  failingRuleSummaries,
  findingFacets,
  manualRuleIds,
} from './findingRows';
import {
  clusterFindingsPage,
  isLargeChange,
  refreshFindingStatistics,
  deleteClusterFindings,
  ENTITY_FINDINGS,
  deleteEntityFindings,
  entityFindingsPage,
  insertClusterFindings,
  insertEntityFindings,
  PageRequest,
  StoredPage,
} from './findingsTable';
import {
  AnswerCacheOptions,
  answerEtags,
  DEFAULT_ANSWER_CACHE,
  EntityAnswer,
  EntityAnswerCache,
} from './answerCache';
import {
  addCounts,
  addFindingCounts,
  combineSummaries,
  emptyFindingCounts,
  failedRules,
} from '../scoring';

const RUNS = 'aks_baseline_runs';
const CLUSTERS = 'aks_baseline_cluster_results';
const CLUSTER_HISTORY = 'aks_baseline_cluster_history';
const ENTITY_SCORES = 'aks_baseline_entity_scores';
const ENTITIES = 'aks_baseline_entities';
const ENTITY_HISTORY = 'aks_baseline_entity_history';
const VERSIONS = 'aks_baseline_versions';
/** The row of VERSIONS that changes with every write of entity answers. */
const ANSWERS_VERSION = 'entity-answers';
/**
 * The row of VERSIONS that names the shape of the stored answers: answers
 * of an older shape are built again when the store starts.
 */
const ANSWERS_FORMAT = 'entity-answers-format';
/** 2: findings paged, answers carry failing rules and facets instead. */
const CURRENT_ANSWERS_FORMAT = '2';

/** Rows per insert statement: well under SQLite's bound-variable limit. */
const CHUNK = 200;

/** Applies the migrations shipped in the package (`migrations/`). */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@aks-baseline/plugin-aks-baseline-backend',
    'migrations',
  );
  await knex.migrate.latest({
    directory,
    tableName: 'aks_baseline_knex_migrations',
  });
}

/** One entity's score on one cluster, as computed by the evaluation. */
export interface EntityClusterScoreInput {
  entityRef: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failedRules: Record<string, number>;
  findings: Finding[];
  resources: ResourceRef[];
  /** Unreadable kinds of the cluster that checks of this entity needed. */
  unreadableKinds?: UnreadableKind[];
}

/** A successful cluster evaluation, ready to store. */
export interface ClusterSuccessInput {
  cluster: string;
  sourceKind: string;
  runId: string;
  evaluatedAt: Date;
  profile?: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  findings: Finding[];
  /** The engine's subject results (tallies), kept for later re-scoring. */
  subjects: unknown;
  stats: ClusterSummary['stats'];
  /** Kinds the evaluation could not list (their checks are unknown). */
  unreadableKinds?: UnreadableKind[];
  /** Replaces the entity scores on this cluster; undefined leaves them (catalog unavailable). */
  entityScores?: EntityClusterScoreInput[];
}

export interface ClusterFailureInput {
  cluster: string;
  sourceKind: string;
  runId: string;
  attemptAt: Date;
  /** Safe to show: never a token or a response body. */
  error: string;
}

/** An annotated catalog entity, whether or not anything matched it. */
export interface EntityTargetRecord {
  entityRef: string;
  owner?: string;
  /** The only cluster it can be on (`backstage.io/kubernetes-cluster`, `aks-baseline.io/cluster`). */
  cluster?: string;
}

/** The clusters an entity without a match can be on, by whether they were ever read. */
export interface EntityClusterCoverage {
  evaluated: string[];
  neverEvaluated: NeverEvaluatedCluster[];
}

export interface StoredEntityCluster {
  cluster: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failingRules: FailingRuleSummary[];
  manualRuleIds: string[];
  facets: FindingFacets;
  findingCount: number;
  resources: ResourceRef[];
  evaluatedAt: string;
  stale: boolean;
  staleReason?: string;
  unreadableKinds?: UnreadableKind[];
}

export interface StoredEntity {
  entityRef: string;
  owner?: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failedRules: Record<string, number>;
  clusters: string[];
  resourceCount: number;
  evaluatedAt: string;
  stale: boolean;
  staleReason?: string;
}

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

export interface RunFinish {
  status: Exclude<EvaluationStatus, 'running'>;
  finishedAt: Date;
  error?: string;
  counts?: {
    score: number | null;
    grade: string | null;
    counts: FindingCounts;
    entities: number;
  };
}

/** Dates come back as Date (pg), number or string (SQLite). */
export function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    // SQLite may hand back digits, or `YYYY-MM-DD HH:MM:SS` (UTC).
    if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString();
    const d = new Date(
      value.includes('T') ? value : `${value.replace(' ', 'T')}Z`,
    );
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return String(value);
}

function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

const EMPTY_SUMMARY: ScoreSummary = {
  score: null,
  grade: null,
  totals: {
    passed: 0,
    failed: 0,
    passedWeight: 0,
    failedWeight: 0,
    unknown: 0,
    waived: 0,
    notApplicable: 0,
  },
  categories: [],
};

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

function clusterScoreFromRow(r: any): StoredEntityCluster {
  const c: StoredEntityCluster = {
    cluster: r.cluster,
    summary: parseJson<ScoreSummary>(r.summary, EMPTY_SUMMARY),
    counts: parseJson<FindingCounts>(r.counts, emptyFindingCounts()),
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

function runFromRow(row: any): EvaluationRun {
  const run: EvaluationRun = {
    id: row.id,
    cluster: row.cluster,
    trigger: row.trigger,
    status: row.status,
    startedAt: toIso(row.started_at)!,
  };
  if (row.requested_by) run.requestedBy = row.requested_by;
  const finishedAt = toIso(row.finished_at);
  if (finishedAt) {
    run.finishedAt = finishedAt;
    run.durationMs = Date.parse(finishedAt) - Date.parse(run.startedAt);
  }
  if (row.error) run.error = row.error;
  const counts = parseJson<RunFinish['counts'] | undefined>(
    row.counts,
    undefined,
  );
  if (counts) {
    run.score = counts.score;
    run.grade = counts.grade as EvaluationRun['grade'];
    run.counts = counts.counts;
    run.entities = counts.entities;
  }
  return run;
}

/** The result's status from its row: a row without a result is never stale. */
export function resultStatus(row: {
  evaluated_at?: unknown;
  stale?: unknown;
}): ResultStatus {
  if (row.evaluated_at === null || row.evaluated_at === undefined) {
    return 'never-evaluated';
  }
  return row.stale ? 'stale' : 'ok';
}

export interface AksBaselineStoreOptions {
  /**
   * The in-process cache of the score route's answers; false turns it off.
   * Default: 32 MiB, the version read at most once a second.
   */
  answerCache?:
    | Partial<Pick<AnswerCacheOptions, 'maxBytes' | 'maxAgeMs' | 'now'>>
    | false;
}

export class AksBaselineStore {
  static async create(
    options: {
      database: DatabaseService;
      logger?: LoggerService;
    } & AksBaselineStoreOptions,
  ): Promise<AksBaselineStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyDatabaseMigrations(knex);
    }
    const store = new AksBaselineStore(knex, options);
    await store.upgradeStoredData(options.logger);
    return store;
  }

  private readonly answers?: EntityAnswerCache;

  constructor(
    private readonly db: Knex,
    options: AksBaselineStoreOptions = {},
  ) {
    if (options.answerCache !== false) {
      this.answers = new EntityAnswerCache({
        ...DEFAULT_ANSWER_CACHE,
        ...options.answerCache,
        readVersion: () => this.readAnswersVersion(),
      });
    }
  }

  // -------------------------------------------------------------- upgrade

  /**
   * Brings data written by an earlier version up to date, once, when the
   * store starts: findings still held as JSON lists move into rows, and
   * score answers of an older shape are built again. Replicas starting
   * together may both try; a conflict leaves the other's work, logged.
   */
  private async upgradeStoredData(logger?: LoggerService): Promise<void> {
    // Tables managed elsewhere (migrations skipped) may not be there yet.
    if (!(await this.db.schema.hasColumn(CLUSTERS, 'finding_count'))) return;
    const legacy: { cluster: string }[] = await this.db(CLUSTERS)
      .whereNull('finding_count')
      .whereNotNull('findings')
      .select('cluster');
    for (const { cluster } of legacy) {
      try {
        await this.moveLegacyFindings(cluster);
      } catch (error) {
        logger?.warn(
          `Could not move the stored findings of ${cluster} into rows (the next evaluation writes them): ${error}`,
        );
      }
    }
    const format = await this.db(VERSIONS)
      .where('name', ANSWERS_FORMAT)
      .first('version');
    if (format?.version === CURRENT_ANSWERS_FORMAT) return;
    const entities: {
      entity_ref: string;
      owner: string | null;
      cluster_filter: string | null;
    }[] = await this.db(ENTITIES).select(
      'entity_ref',
      'owner',
      'cluster_filter',
    );
    if (entities.length > 0) {
      logger?.info(
        `Building the score answers of ${entities.length} entities again in the current shape`,
      );
    }
    await this.refreshEntities(
      entities.map(e => ({
        entityRef: e.entity_ref,
        ...(e.owner ? { owner: e.owner } : {}),
        ...(e.cluster_filter ? { cluster: e.cluster_filter } : {}),
      })),
      { prune: false },
    );
    await this.db(VERSIONS)
      .insert({
        name: ANSWERS_FORMAT,
        version: CURRENT_ANSWERS_FORMAT,
        updated_at: new Date(),
      })
      .onConflict('name')
      .merge();
  }

  /** One cluster's JSON findings, and its entities', into rows. */
  private async moveLegacyFindings(cluster: string): Promise<void> {
    await this.db.transaction(async tx => {
      const row = await tx(CLUSTERS)
        .where('cluster', cluster)
        .whereNull('finding_count')
        .first('findings');
      if (!row) return;
      const findings = parseJson<Finding[]>(row.findings, []);
      const { rows } = clusterFindingRows(cluster, findings);
      const keys = new Set(rows.map(r => r.finding_key));
      await deleteClusterFindings(tx, [cluster]);
      await insertClusterFindings(tx, rows);
      await tx(CLUSTERS)
        .where('cluster', cluster)
        .update({
          findings: null,
          failing_rules: JSON.stringify(failingRuleSummaries(findings)),
          facets: JSON.stringify(findingFacets(findings)),
          finding_count: rows.length,
        });
      const scores: { entity_ref: string; findings: string }[] = await tx(
        ENTITY_SCORES,
      )
        .where('cluster', cluster)
        .whereNull('finding_count')
        .select('entity_ref', 'findings');
      for (const score of scores) {
        const own = parseJson<Finding[]>(score.findings, []);
        // Keys come from rule, object and rank: the same in the cluster's list.
        const links = clusterFindingRows(cluster, own)
          .rows.filter(r => keys.has(r.finding_key))
          .map(r => entityLink(score.entity_ref, r));
        await insertEntityFindings(tx, links);
        await tx(ENTITY_SCORES)
          .where({ entity_ref: score.entity_ref, cluster })
          .update({
            findings: '[]',
            failing_rules: JSON.stringify(failingRuleSummaries(own)),
            manual_rule_ids: JSON.stringify(manualRuleIds(own)),
            facets: JSON.stringify(findingFacets(own)),
            finding_count: links.length,
          });
      }
    });
  }

  // ------------------------------------------------------------------ runs

  async startRun(run: {
    id: string;
    cluster: string;
    trigger: EvaluationTrigger;
    /** A manual run: who asked for it. */
    requestedBy?: string;
    startedAt: Date;
  }): Promise<void> {
    await this.db(RUNS).insert({
      id: run.id,
      cluster: run.cluster,
      trigger: run.trigger,
      requested_by: run.requestedBy ?? null,
      status: 'running',
      started_at: run.startedAt,
    });
  }

  async getRun(id: string): Promise<EvaluationRun | undefined> {
    const row = await this.db(RUNS).where({ id }).first();
    return row ? runFromRow(row) : undefined;
  }

  async finishRun(id: string, finish: RunFinish): Promise<void> {
    await this.db(RUNS)
      .where({ id })
      .update({
        status: finish.status,
        finished_at: finish.finishedAt,
        error: finish.error ?? null,
        counts: finish.counts ? JSON.stringify(finish.counts) : null,
      });
  }

  /**
   * Runs left `running` by a process that stopped, older than `before`,
   * become failed so that they do not look in progress forever.
   */
  async failAbandonedRuns(before: Date): Promise<number> {
    return this.db(RUNS)
      .where('status', 'running')
      .andWhere('started_at', '<', before)
      .update({
        status: 'failed',
        finished_at: new Date(),
        error: 'Interrupted: the backend stopped before the run finished',
      });
  }

  /** The latest runs (of one cluster, or of the clusters in `only`). */
  async listRuns(options: {
    limit: number;
    cluster?: string;
    only?: ReadonlySet<string>;
  }): Promise<EvaluationRun[]> {
    if (options.only && options.only.size === 0) return [];
    const query = this.db(RUNS)
      .select('*')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.cluster) query.where('cluster', options.cluster);
    if (options.only) query.whereIn('cluster', [...options.only]);
    const rows = await query;
    return rows.map(runFromRow);
  }

  // -------------------------------------------------------------- clusters

  /**
   * Stores a successful evaluation: the cluster's result and history, and
   * the entity scores on this cluster (replacing the previous ones).
   */
  async saveClusterSuccess(input: ClusterSuccessInput): Promise<void> {
    const at = input.evaluatedAt;
    // Prepared before the transaction, in slices (see service/slices.ts).
    const { rows: findingRows, rowOf } = await runInSlices(
      clusterFindingRowSteps(input.cluster, input.findings),
    );
    const subjects = Array.isArray(input.subjects)
      ? await runInSlices(jsonArraySteps(input.subjects))
      : JSON.stringify(input.subjects);
    const entityParts = input.entityScores
      ? await runInSlices(
          mapSteps(input.entityScores, e => {
            const links = entityFindingRows(e.entityRef, e.findings, rowOf);
            const row = {
              entity_ref: e.entityRef,
              cluster: input.cluster,
              score: e.summary.score,
              grade: e.summary.grade,
              summary: JSON.stringify(e.summary),
              counts: JSON.stringify(e.counts),
              failed_rules: JSON.stringify(e.failedRules),
              findings: '[]',
              failing_rules: JSON.stringify(failingRuleSummaries(e.findings)),
              manual_rule_ids: JSON.stringify(manualRuleIds(e.findings)),
              facets: JSON.stringify(findingFacets(e.findings)),
              finding_count: links.length,
              resources: JSON.stringify(e.resources),
              unreadable_kinds: JSON.stringify(e.unreadableKinds ?? []),
              evaluated_at: at,
              stale: false,
              stale_reason: null,
            };
            return { links, row };
          }),
        )
      : undefined;
    let previousCount = 0;
    await this.db.transaction(async tx => {
      previousCount = Number(
        (
          await tx(CLUSTERS)
            .where('cluster', input.cluster)
            .first('finding_count')
        )?.finding_count ?? 0,
      );
      const row = {
        cluster: input.cluster,
        source_kind: input.sourceKind,
        profile: input.profile ?? null,
        score: input.summary.score,
        grade: input.summary.grade,
        summary: JSON.stringify(input.summary),
        counts: JSON.stringify(input.counts),
        // The findings are rows (below); the JSON list is left empty.
        findings: null,
        failed_rules: JSON.stringify(failedRules(input.findings)),
        failing_rules: JSON.stringify(failingRuleSummaries(input.findings)),
        facets: JSON.stringify(findingFacets(input.findings)),
        finding_count: findingRows.length,
        subjects,
        stats: JSON.stringify(input.stats ?? null),
        unreadable_kinds: JSON.stringify(input.unreadableKinds ?? []),
        evaluated_at: at,
        last_attempt_at: at,
        last_run_id: input.runId,
        last_error: null,
        stale: false,
        stale_reason: null,
      };
      await tx(CLUSTERS).insert(row).onConflict('cluster').merge();
      // Without new entity scores, the entities keep their findings that
      // are still there.
      const kept = input.entityScores
        ? []
        : await keptEntityFindings(tx, input.cluster, findingRows);
      await deleteClusterFindings(tx, [input.cluster]);
      await insertClusterFindings(tx, findingRows);
      await tx(CLUSTER_HISTORY).insert({
        cluster: input.cluster,
        run_id: input.runId,
        score: input.summary.score,
        grade: input.summary.grade,
        evaluated_at: at,
      });

      if (!input.entityScores || !entityParts) {
        await insertEntityFindings(tx, kept);
        return;
      }
      await tx(ENTITY_SCORES).where('cluster', input.cluster).delete();
      const rows = entityParts.map(p => p.row);
      for (const chunk of chunks(rows)) await tx(ENTITY_SCORES).insert(chunk);
      await insertEntityFindings(
        tx,
        entityParts.flatMap(p => p.links),
      );
      const history = input.entityScores.map(e => ({
        entity_ref: e.entityRef,
        cluster: input.cluster,
        run_id: input.runId,
        score: e.summary.score,
        evaluated_at: at,
      }));
      for (const chunk of chunks(history)) {
        await tx(ENTITY_HISTORY).insert(chunk);
      }
    });
    if (isLargeChange(previousCount, findingRows.length)) {
      await refreshFindingStatistics(this.db);
    }
  }

  /**
   * Records a failed attempt. A previous good result stays and is marked
   * stale with the reason, as are the entity scores on this cluster; a
   * cluster without one stays never evaluated (nothing is stale).
   */
  async saveClusterFailure(input: ClusterFailureInput): Promise<void> {
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
      await tx(ENTITY_SCORES)
        .where('cluster', input.cluster)
        .update({ stale: true, stale_reason: input.error });
    });
  }

  /** Forgets clusters that are no longer configured. */
  async removeClustersExcept(keep: readonly string[]): Promise<string[]> {
    const rows: { cluster: string }[] = await this.db(CLUSTERS).select(
      'cluster',
    );
    const gone = rows.map(r => r.cluster).filter(c => !keep.includes(c));
    if (gone.length === 0) return [];
    await this.db.transaction(async tx => {
      await tx(CLUSTERS).whereIn('cluster', gone).delete();
      await tx(ENTITY_SCORES).whereIn('cluster', gone).delete();
      await deleteClusterFindings(tx, gone);
    });
    return gone;
  }

  /** The clusters, or only those named in `only`. */
  async listClusters(
    options: { only?: ReadonlySet<string> } = {},
  ): Promise<StoredCluster[]> {
    if (options.only && options.only.size === 0) return [];
    const query = this.db(CLUSTERS)
      .select(
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
      )
      .orderBy('cluster');
    // The clusters are configured ones: a short list.
    if (options.only) query.whereIn('cluster', [...options.only]);
    const rows = await query;
    return rows.map(row => this.clusterFromRow(row));
  }

  async getCluster(name: string): Promise<StoredClusterDetail | undefined> {
    const row = await this.db(CLUSTERS)
      .where('cluster', name)
      .first(
        'cluster',
        'source_kind',
        'profile',
        'summary',
        'counts',
        'failed_rules',
        'failing_rules',
        'facets',
        'finding_count',
        'stats',
        'unreadable_kinds',
        'evaluated_at',
        'last_attempt_at',
        'last_run_id',
        'last_error',
        'stale',
        'stale_reason',
      );
    if (!row) return undefined;
    return {
      ...this.clusterFromRow(row),
      failingRules: parseJson<FailingRuleSummary[]>(row.failing_rules, []),
      facets: parseJson<FindingFacets>(row.facets, emptyFacets()),
      totalFindings: Number(row.finding_count ?? 0),
    };
  }

  /** Whether the cluster has a row (a result, or a failed attempt). */
  async clusterExists(name: string): Promise<boolean> {
    return Boolean(
      await this.db(CLUSTERS).where('cluster', name).first('cluster'),
    );
  }

  /** One page of a cluster's findings (the cluster's existence is not checked). */
  clusterFindingsPage(
    cluster: string,
    request: PageRequest,
  ): Promise<StoredPage> {
    return clusterFindingsPage(this.db, cluster, request);
  }

  /** One page of an entity's findings over its clusters. */
  entityFindingsPage(
    entityRef: string,
    request: PageRequest,
  ): Promise<StoredPage> {
    return entityFindingsPage(this.db, entityRef, request);
  }

  async getClusterHistory(
    name: string,
    limit: number,
  ): Promise<ScoreHistoryPoint[]> {
    const rows = await this.db(CLUSTER_HISTORY)
      .where('cluster', name)
      .orderBy('evaluated_at', 'desc')
      .limit(limit)
      .select('cluster', 'score', 'evaluated_at');
    return rows.map(r => ({
      cluster: r.cluster,
      score: r.score ?? null,
      evaluatedAt: toIso(r.evaluated_at)!,
    }));
  }

  private clusterFromRow(row: any): StoredCluster {
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

  // -------------------------------------------------------------- entities

  /**
   * Recomputes the over-all-clusters rows of the given entities from their
   * per-cluster rows. With `prune`, the targets are the whole set of
   * annotated entities: any other stored entity is removed.
   */
  async refreshEntities(
    targets: readonly EntityTargetRecord[],
    options: { prune: boolean; now?: Date },
  ): Promise<void> {
    try {
      await this.writeEntities(targets, options);
    } finally {
      // Even after a partial write: no cache may keep the older answers.
      // Other replicas see the new version within their cache's maxAge.
      try {
        await this.db(VERSIONS)
          .insert({
            name: ANSWERS_VERSION,
            version: randomUUID(),
            updated_at: new Date(),
          })
          .onConflict('name')
          .merge();
      } finally {
        this.answers?.clear();
      }
    }
  }

  /** The version of the score route's answers (changed by every write). */
  private async readAnswersVersion(): Promise<string | undefined> {
    const row = await this.db(VERSIONS)
      .where('name', ANSWERS_VERSION)
      .first('version');
    return row?.version;
  }

  private async writeEntities(
    targets: readonly EntityTargetRecord[],
    options: { prune: boolean; now?: Date },
  ): Promise<void> {
    const now = options.now ?? new Date();
    if (options.prune) {
      const keep = new Set(targets.map(t => t.entityRef));
      const stored: { entity_ref: string }[] = await this.db(ENTITIES).select(
        'entity_ref',
      );
      const scored: { entity_ref: string }[] = await this.db(
        ENTITY_SCORES,
      ).distinct('entity_ref');
      const gone = [
        ...new Set(
          [...stored, ...scored]
            .map(r => r.entity_ref)
            .filter(ref => !keep.has(ref)),
        ),
      ];
      for (const chunk of chunks(gone)) {
        await this.db(ENTITIES).whereIn('entity_ref', chunk).delete();
        await this.db(ENTITY_SCORES).whereIn('entity_ref', chunk).delete();
        await deleteEntityFindings(this.db, chunk);
      }
    }

    const parts = chunks(targets);
    const readScores = (chunk: readonly EntityTargetRecord[]) => {
      const read = Promise.resolve(
        this.db(ENTITY_SCORES)
          .whereIn(
            'entity_ref',
            chunk.map(t => t.entityRef),
          )
          .select(
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
          ),
      );
      // Awaited below; this only keeps a failure from being unhandled meanwhile.
      read.catch(() => {});
      return read;
    };
    let nextRead = parts.length > 0 ? readScores(parts[0]) : undefined;
    for (let i = 0; i < parts.length; i++) {
      const chunk = parts[i];
      const rows: any[] = await nextRead!;
      // The next chunk is read while this one is computed and written.
      nextRead = i + 1 < parts.length ? readScores(parts[i + 1]) : undefined;
      const byRef = new Map<string, any[]>();
      for (const row of rows) {
        const list = byRef.get(row.entity_ref) ?? [];
        list.push(row);
        byRef.set(row.entity_ref, list);
      }
      const prepared = chunk.map(target => {
        const list = (byRef.get(target.entityRef) ?? []).sort((a, b) =>
          a.cluster.localeCompare(b.cluster),
        );
        const summary = combineSummaries(
          list.map(r => parseJson<ScoreSummary>(r.summary, EMPTY_SUMMARY)),
        );
        const counts = emptyFindingCounts();
        const rules: Record<string, number> = {};
        let resourceCount = 0;
        let evaluatedAt: string | undefined;
        const staleReasons: string[] = [];
        for (const r of list) {
          addFindingCounts(counts, parseJson(r.counts, emptyFindingCounts()));
          addCounts(rules, parseJson(r.failed_rules, {}));
          resourceCount += parseJson<unknown[]>(r.resources, []).length;
          const at = toIso(r.evaluated_at);
          if (at && (!evaluatedAt || at > evaluatedAt)) evaluatedAt = at;
          if (r.stale) {
            staleReasons.push(`${r.cluster}: ${r.stale_reason ?? 'stale'}`);
          }
        }
        const entity: StoredEntity = {
          entityRef: target.entityRef,
          summary,
          counts,
          failedRules: rules,
          clusters: list.map(r => r.cluster),
          resourceCount,
          evaluatedAt: evaluatedAt ?? now.toISOString(),
          stale: staleReasons.length > 0,
        };
        if (target.owner) entity.owner = target.owner;
        if (staleReasons.length > 0) {
          entity.staleReason = staleReasons.join('; ');
        }
        // The score route's answer, ready to send: one primary-key read per request.
        const response =
          resourceCount > 0 && list.length > 0
            ? JSON.stringify(
                entityScoreResponse(entity, list.map(clusterScoreFromRow)),
              )
            : undefined;
        const row = {
          entity_ref: target.entityRef,
          owner: target.owner ?? null,
          cluster_filter: target.cluster ?? null,
          score: summary.score,
          grade: summary.grade,
          summary: JSON.stringify(summary),
          counts: JSON.stringify(counts),
          failed_rules: JSON.stringify(rules),
          clusters: JSON.stringify(entity.clusters),
          resource_count: resourceCount,
          evaluated_at: new Date(entity.evaluatedAt),
          stale: entity.stale,
          stale_reason: entity.staleReason ?? null,
        };
        return { row, response };
      });
      // Compressed once here, sent as is per request. Synchronously: zlib's
      // thread pool costs more than twice the CPU for answers this small.
      const upserts = prepared.map(({ row, response }) => ({
        ...row,
        response_gzip:
          response === undefined
            ? null
            : gzipSync(response, { level: constants.Z_BEST_SPEED }),
      }));
      if (upserts.length > 0) {
        await this.db(ENTITIES)
          .insert(upserts)
          .onConflict('entity_ref')
          .merge();
      }
    }
  }

  async getEntity(entityRef: string): Promise<
    | {
        entity: StoredEntity;
        clusters: StoredEntityCluster[];
      }
    | undefined
  > {
    const row = await this.db(ENTITIES).where('entity_ref', entityRef).first();
    if (!row) return undefined;
    const rows = await this.db(ENTITY_SCORES)
      .where('entity_ref', entityRef)
      .orderBy('cluster')
      .select(
        'cluster',
        'summary',
        'counts',
        'failing_rules',
        'manual_rule_ids',
        'facets',
        'finding_count',
        'resources',
        'unreadable_kinds',
        'evaluated_at',
        'stale',
        'stale_reason',
      );
    return {
      entity: this.entityFromRow(row),
      clusters: rows.map(clusterScoreFromRow),
    };
  }

  /**
   * The stored answer of the score route, gzip-compressed JSON
   * (`responseGzip` is undefined when no object matched), or undefined for
   * an entity never evaluated.
   */
  async getEntityScoreResponse(
    entityRef: string,
  ): Promise<EntityAnswer | undefined> {
    return this.answers
      ? this.answers.get(entityRef, ref => this.readEntityAnswer(ref))
      : this.readEntityAnswer(entityRef);
  }

  /**
   * The clusters an entity can be on (the one it is limited to, or all),
   * split by whether any attempt ever read them: for the score route's 404.
   */
  async entityClusterCoverage(
    entityRef: string,
  ): Promise<EntityClusterCoverage> {
    const entity = await this.db(ENTITIES)
      .where('entity_ref', entityRef)
      .first('cluster_filter');
    const query = this.db(CLUSTERS)
      .select('cluster', 'evaluated_at', 'last_error', 'last_attempt_at')
      .orderBy('cluster');
    if (entity?.cluster_filter) query.where('cluster', entity.cluster_filter);
    const coverage: EntityClusterCoverage = {
      evaluated: [],
      neverEvaluated: [],
    };
    for (const row of await query) {
      if (resultStatus(row) !== 'never-evaluated') {
        coverage.evaluated.push(row.cluster);
        continue;
      }
      const cluster: NeverEvaluatedCluster = { name: row.cluster };
      if (row.last_error) cluster.lastError = row.last_error;
      const at = toIso(row.last_attempt_at);
      if (at) cluster.lastAttemptAt = at;
      coverage.neverEvaluated.push(cluster);
    }
    return coverage;
  }

  private async readEntityAnswer(
    entityRef: string,
  ): Promise<EntityAnswer | undefined> {
    const row = await this.db(ENTITIES)
      .where('entity_ref', entityRef)
      .first('response_gzip', 'resource_count');
    if (!row) return undefined;
    const resourceCount = Number(row.resource_count ?? 0);
    const gzipped = row.response_gzip;
    if (!gzipped) return { resourceCount };
    const responseGzip = Buffer.isBuffer(gzipped)
      ? gzipped
      : Buffer.from(gzipped);
    return { responseGzip, ...answerEtags(responseGzip), resourceCount };
  }

  /**
   * The stored entities (one owner's with `owner`), or only those named in
   * `only`, by entity ref.
   */
  async listEntities(
    options: { owner?: string; only?: ReadonlySet<string> } = {},
  ): Promise<StoredEntity[]> {
    if (options.only) {
      const out: StoredEntity[] = [];
      for (const chunk of chunks([...options.only])) {
        out.push(
          ...(await this.listEntitiesWhere(options.owner, q =>
            q.whereIn('entity_ref', chunk),
          )),
        );
      }
      return out.sort((a, b) =>
        a.entityRef < b.entityRef ? -1 : Number(a.entityRef > b.entityRef),
      );
    }
    return this.listEntitiesWhere(options.owner);
  }

  private async listEntitiesWhere(
    owner: string | undefined,
    where?: (query: Knex.QueryBuilder) => void,
  ): Promise<StoredEntity[]> {
    const query = this.db(ENTITIES).select(
      'entity_ref',
      'owner',
      'summary',
      'counts',
      'failed_rules',
      'clusters',
      'resource_count',
      'evaluated_at',
      'stale',
      'stale_reason',
    );
    if (owner) query.where('owner', owner);
    where?.(query);
    const rows = await query.orderBy('entity_ref');
    return rows.map(r => this.entityFromRow(r));
  }

  async getEntityHistory(
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

  private entityFromRow(row: any): StoredEntity {
    const entity: StoredEntity = {
      entityRef: row.entity_ref,
      summary: parseJson<ScoreSummary>(row.summary, EMPTY_SUMMARY),
      counts: parseJson<FindingCounts>(row.counts, emptyFindingCounts()),
      failedRules: parseJson<Record<string, number>>(row.failed_rules, {}),
      clusters: parseJson<string[]>(row.clusters, []),
      resourceCount: Number(row.resource_count ?? 0),
      evaluatedAt: toIso(row.evaluated_at)!,
      stale: Boolean(row.stale),
    };
    if (row.owner) entity.owner = row.owner;
    if (row.stale_reason) entity.staleReason = row.stale_reason;
    return entity;
  }

  // ------------------------------------------------------------- retention

  /** Deletes runs and history older than `before`. */
  async deleteOlderThan(before: Date): Promise<{
    runs: number;
    clusterHistory: number;
    entityHistory: number;
  }> {
    const runs = await this.db(RUNS)
      .where('started_at', '<', before)
      .whereNot('status', 'running')
      .delete();
    const clusterHistory = await this.db(CLUSTER_HISTORY)
      .where('evaluated_at', '<', before)
      .delete();
    const entityHistory = await this.db(ENTITY_HISTORY)
      .where('evaluated_at', '<', before)
      .delete();
    return { runs, clusterHistory, entityHistory };
  }
}
