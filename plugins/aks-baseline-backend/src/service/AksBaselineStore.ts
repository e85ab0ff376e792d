/*
 * The plugin's persistence as the evaluation and the routes use it: the
 * repositories (database/: runs, cluster results, entity scores, finding
 * rows; SQL only) and the entity answers built from them (answers/). What
 * is stored is prepared here, in slices (slices.ts), before the write.
 */
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterSummary,
  EvaluationRun,
  EvaluationTrigger,
  Finding,
  FindingCounts,
  NeverEvaluatedCluster,
  ScoreHistoryPoint,
  ScoreSummary,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import {
  ClusterFailureInput,
  ClusterResultsRepository,
  StoredClusterDetail,
  StoredCluster,
} from '../database/ClusterResultsRepository';
import {
  EntitiesRepository,
  EntityTargetRecord,
  StoredEntity,
} from '../database/EntitiesRepository';
import {
  EntityClusterPart,
  EntityScoresRepository,
  StoredEntityCluster,
} from '../database/EntityScoresRepository';
import {
  clusterFindingRowSteps,
  entityFindingRows,
  failingRuleSummaries,
  findingFacets,
  manualRuleIds,
} from '../database/findingRows';
import { PageRequest, StoredPage } from '../database/findingsTable';
import {
  clustersWithLegacyFindings,
  moveLegacyFindings,
} from '../database/legacyFindings';
import { RunFinish, RunsRepository } from '../database/RunsRepository';
import { applyDatabaseMigrations } from '../database/tables';
import type { EntityClusterScoreInput } from '../entities/scoreEntities';
import { failedRules } from '../scoring';
import { EntityAnswer } from './answers/answerCache';
import { EntityAnswers, EntityAnswersOptions } from './answers/EntityAnswers';
import { jsonArraySteps, mapSteps, runInSlices } from './slices';

export type { ClusterFailureInput, StoredCluster, StoredClusterDetail };
export type { EntityTargetRecord, StoredEntity, StoredEntityCluster };
export type { EntityClusterScoreInput, RunFinish };

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

/** The clusters an entity without a match can be on, by whether they were ever read. */
export interface EntityClusterCoverage {
  evaluated: string[];
  neverEvaluated: NeverEvaluatedCluster[];
}

export type AksBaselineStoreOptions = EntityAnswersOptions;

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

  private readonly runs: RunsRepository;
  private readonly clusters: ClusterResultsRepository;
  private readonly scores: EntityScoresRepository;
  private readonly entities: EntitiesRepository;
  private readonly answers: EntityAnswers;

  constructor(
    private readonly db: Knex,
    options: AksBaselineStoreOptions = {},
  ) {
    this.runs = new RunsRepository(db);
    this.clusters = new ClusterResultsRepository(db);
    this.scores = new EntityScoresRepository(db);
    this.entities = new EntitiesRepository(db);
    this.answers = new EntityAnswers(
      {
        db,
        entities: this.entities,
        scores: this.scores,
        partTimes: only => this.clusters.partTimes(only),
      },
      options,
    );
  }

  /**
   * Brings data written by an earlier version up to date, once, when the
   * store starts: findings still held as JSON lists move into rows, and
   * score answers of an older shape are built again. Replicas starting
   * together may both try; a conflict leaves the other's work, logged.
   */
  private async upgradeStoredData(logger?: LoggerService): Promise<void> {
    const legacy = await clustersWithLegacyFindings(this.db);
    if (!legacy) return;
    for (const cluster of legacy) {
      try {
        await moveLegacyFindings(this.db, cluster);
      } catch (error) {
        logger?.warn(
          `Could not move the stored findings of ${cluster} into rows (the next evaluation writes them): ${error}`,
        );
      }
    }
    await this.answers.upgradeFormat(message => logger?.info(message));
  }

  // ------------------------------------------------------------------ runs

  startRun(run: {
    id: string;
    cluster: string;
    trigger: EvaluationTrigger;
    /** A manual run: who asked for it. */
    requestedBy?: string;
    startedAt: Date;
  }): Promise<void> {
    return this.runs.start(run);
  }

  getRun(id: string): Promise<EvaluationRun | undefined> {
    return this.runs.get(id);
  }

  finishRun(id: string, finish: RunFinish): Promise<void> {
    return this.runs.finish(id, finish);
  }

  /**
   * Runs left `running` by a process that stopped, older than `before`,
   * become failed so that they do not look in progress forever.
   */
  failAbandonedRuns(before: Date): Promise<number> {
    return this.runs.failAbandoned(before);
  }

  /** The latest runs (of one cluster, or of the clusters in `only`). */
  listRuns(options: {
    limit: number;
    cluster?: string;
    only?: ReadonlySet<string>;
  }): Promise<EvaluationRun[]> {
    return this.runs.list(options);
  }

  // -------------------------------------------------------------- clusters

  /**
   * Stores a successful evaluation: the cluster's result and history, and
   * the entity scores on this cluster (replacing the previous ones; only
   * changed rows are written). Each finding is serialised once, into its
   * row; entities link to the rows.
   */
  async saveClusterSuccess(input: ClusterSuccessInput): Promise<void> {
    const at = input.evaluatedAt;
    // Prepared before the transaction, in slices (see slices.ts).
    const { rows: findingRows, rowOf } = await runInSlices(
      clusterFindingRowSteps(input.cluster, input.findings),
    );
    const subjectsJson = Array.isArray(input.subjects)
      ? await runInSlices(jsonArraySteps(input.subjects))
      : JSON.stringify(input.subjects);
    const parts = input.entityScores
      ? await runInSlices(
          mapSteps(input.entityScores, (e): EntityClusterPart => {
            const part: EntityClusterPart = {
              entityRef: e.entityRef,
              summary: e.summary,
              counts: e.counts,
              failedRules: e.failedRules,
              failingRules: failingRuleSummaries(e.findings),
              manualRuleIds: manualRuleIds(e.findings),
              facets: findingFacets(e.findings),
              resources: e.resources,
              passes: e.passes,
              links: entityFindingRows(e.entityRef, e.findings, rowOf),
            };
            if (e.unreadableKinds) part.unreadableKinds = e.unreadableKinds;
            return part;
          }),
        )
      : undefined;
    const entityParts = parts
      ? {
          rows: await runInSlices(
            mapSteps(parts, p =>
              EntityScoresRepository.partRow(input.cluster, at, p),
            ),
          ),
          links: parts.flatMap(p => p.links),
          runId: input.runId,
          at,
        }
      : undefined;
    await this.clusters.saveSuccess({
      cluster: input.cluster,
      sourceKind: input.sourceKind,
      runId: input.runId,
      evaluatedAt: at,
      ...(input.profile ? { profile: input.profile } : {}),
      summary: input.summary,
      counts: input.counts,
      failedRules: failedRules(input.findings),
      failingRules: failingRuleSummaries(input.findings),
      facets: findingFacets(input.findings),
      subjectsJson,
      stats: input.stats,
      ...(input.unreadableKinds
        ? { unreadableKinds: input.unreadableKinds }
        : {}),
      findingRows,
      ...(entityParts ? { entityParts } : {}),
    });
    // The answers on this cluster show a new evaluation time.
    if (parts) await this.answers.touch();
  }

  /**
   * Records a failed attempt. A previous good result stays and is marked
   * stale with the reason, as are the entity scores on this cluster; a
   * cluster without one stays never evaluated (nothing is stale).
   */
  saveClusterFailure(input: ClusterFailureInput): Promise<void> {
    return this.clusters.saveFailure(input);
  }

  /** Forgets clusters that are no longer configured. */
  removeClustersExcept(keep: readonly string[]): Promise<string[]> {
    return this.clusters.removeExcept(keep);
  }

  /** The clusters, or only those named in `only`. */
  listClusters(
    options: { only?: ReadonlySet<string> } = {},
  ): Promise<StoredCluster[]> {
    return this.clusters.list(options);
  }

  getCluster(name: string): Promise<StoredClusterDetail | undefined> {
    return this.clusters.get(name);
  }

  /** Whether the cluster has a row (a result, or a failed attempt). */
  clusterExists(name: string): Promise<boolean> {
    return this.clusters.exists(name);
  }

  /** One page of a cluster's findings (the cluster's existence is not checked). */
  clusterFindingsPage(
    cluster: string,
    request: PageRequest,
  ): Promise<StoredPage> {
    return this.clusters.findingsPage(cluster, request);
  }

  getClusterHistory(name: string, limit: number): Promise<ScoreHistoryPoint[]> {
    return this.clusters.history(name, limit);
  }

  // -------------------------------------------------------------- entities

  /**
   * Recomputes the over-all-clusters rows of the given entities from their
   * per-cluster rows, all of them (a full recompute). With `prune`, the
   * targets are the whole set of annotated entities: any other stored
   * entity is removed.
   */
  refreshEntities(
    targets: readonly EntityTargetRecord[],
    options: { prune: boolean; now?: Date },
  ): Promise<void> {
    return this.answers.refresh(targets, options);
  }

  /**
   * Recomputes only the entities whose parts changed since they were last
   * computed (marked by the clusters' saves, on any replica), each once,
   * shared with the replicas refreshing at the same time, and with
   * `targets` (the whole set of annotated entities) those that are new or
   * whose owner or cluster changed; with `prune`, also removes the
   * entities no longer among them. Answers how many were recomputed here.
   */
  refreshChangedEntities(
    targets: readonly EntityTargetRecord[] | undefined,
    options: { prune: boolean; now?: Date },
  ): Promise<number> {
    return this.answers.refreshChanged(targets, options);
  }

  async getEntity(entityRef: string): Promise<
    | {
        entity: StoredEntity;
        clusters: StoredEntityCluster[];
      }
    | undefined
  > {
    const entity = await this.entities.get(entityRef);
    if (!entity) return undefined;
    const clusters = await this.scores.partsOf(entityRef);
    if ((await this.entities.pending([entityRef])).size > 0) {
      return { entity, clusters };
    }
    // Its parts' times as they are now (moved on by unchanged evaluations).
    const evaluatedAt = clusters.reduce(
      (latest, c) => (c.evaluatedAt > latest ? c.evaluatedAt : latest),
      entity.evaluatedAt,
    );
    return { entity: { ...entity, evaluatedAt }, clusters };
  }

  /** The rules that passed on an entity's objects, by cluster. */
  getEntityPasses(entityRef: string) {
    return this.scores.passesOf(entityRef);
  }

  /**
   * The stored answer of the score route, gzip-compressed JSON
   * (`responseGzip` is undefined when no object matched), or undefined for
   * an entity never evaluated.
   */
  getEntityScoreResponse(entityRef: string): Promise<EntityAnswer | undefined> {
    return this.answers.get(entityRef);
  }

  /**
   * The clusters an entity can be on (the one it is limited to, or all),
   * split by whether any attempt ever read them: for the score route's 404.
   */
  async entityClusterCoverage(
    entityRef: string,
  ): Promise<EntityClusterCoverage> {
    const filter = await this.entities.clusterFilter(entityRef);
    const coverage: EntityClusterCoverage = {
      evaluated: [],
      neverEvaluated: [],
    };
    for (const attempt of await this.clusters.attempts(filter)) {
      if (attempt.neverEvaluated) {
        coverage.neverEvaluated.push(attempt.neverEvaluated);
      } else coverage.evaluated.push(attempt.cluster);
    }
    return coverage;
  }

  /**
   * The stored entities (one owner's with `owner`), or only those named in
   * `only`, by entity ref.
   */
  async listEntities(
    options: { owner?: string; only?: ReadonlySet<string> } = {},
  ): Promise<StoredEntity[]> {
    return this.answers.currentEvaluatedAt(await this.entities.list(options));
  }

  /** One page of an entity's findings over its clusters. */
  entityFindingsPage(
    entityRef: string,
    request: PageRequest,
  ): Promise<StoredPage> {
    return this.scores.findingsPage(entityRef, request);
  }

  getEntityHistory(
    entityRef: string,
    limit: number,
  ): Promise<ScoreHistoryPoint[]> {
    return this.scores.history(entityRef, limit);
  }

  // ------------------------------------------------------------- retention

  /** Deletes runs and history older than `before`. */
  async deleteOlderThan(before: Date): Promise<{
    runs: number;
    clusterHistory: number;
    entityHistory: number;
  }> {
    const runs = await this.runs.deleteOlderThan(before);
    const clusterHistory = await this.clusters.deleteHistoryOlderThan(before);
    const entityHistory = await this.scores.deleteHistoryOlderThan(before);
    return { runs, clusterHistory, entityHistory };
  }
}
