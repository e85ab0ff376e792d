/*
 * Evaluates clusters: reads each through its source under a timeout, a few
 * at once, runs the engine, scores the catalog entities on it and stores
 * everything. One cluster failing never stops the others; its previous
 * result stays, marked stale with the reason.
 */
import { randomUUID } from 'crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EvaluationTrigger,
  FindingCounts,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AnyRuleDefinition,
  ClusterSnapshot,
  evaluate,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from '../database/AksBaselineStore';
import { EntityTarget } from '../entities/targets';
import { scoreEntitiesOnCluster } from '../entities/scoreEntities';
import { unreadableKindsOf } from '../entities/unreadable';
import { countFindings } from '../scoring';
import { assertCoreKindsRead } from '../sources/coreKinds';
import { ClusterSource, isClusterReadError } from '../sources/types';
import {
  ClusterTimeoutError,
  mapWithConcurrency,
  withTimeout,
} from './limiter';

/** How one cluster's evaluation ended. */
export interface ClusterRunOutcome {
  runId: string;
  cluster: string;
  status: 'success' | 'failed';
  error?: string;
  score?: number | null;
  counts?: FindingCounts;
  entities?: number;
}

export interface EvaluationServiceOptions {
  store: AksBaselineStore;
  sources: readonly ClusterSource[];
  rules: readonly AnyRuleDefinition[];
  /** `aksBaseline.baseline`, validated by the engine. */
  baseline?: unknown;
  /** Reads the annotated catalog entities (paged, service credentials). */
  readTargets: () => Promise<EntityTarget[]>;
  logger: LoggerService;
  clusterTimeoutMs: number;
  concurrency: number;
  now?: () => Date;
}

const MAX_ERROR_LENGTH = 1000;

/**
 * The message a run record and a stale badge show. Sources already keep
 * tokens and bodies out of their errors; the text is still cut short.
 */
export function describeError(error: unknown): string {
  let message: string;
  if (isClusterReadError(error)) message = error.reason;
  else if (error instanceof Error) message = error.message;
  else message = String(error);
  message = message.replace(/\s+/g, ' ').trim() || 'Unknown error';
  return message.length > MAX_ERROR_LENGTH
    ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`
    : message;
}

export class EvaluationService {
  private readonly sources: ReadonlyMap<string, ClusterSource>;
  /** Clusters being evaluated in this process, with their run. */
  private readonly inFlight = new Map<
    string,
    { runId: string; done: Promise<ClusterRunOutcome> }
  >();
  private allInFlight?: Promise<ClusterRunOutcome[]>;
  private readonly now: () => Date;

  constructor(private readonly options: EvaluationServiceOptions) {
    const byName = new Map<string, ClusterSource>();
    for (const source of options.sources) {
      if (byName.has(source.name)) {
        throw new Error(
          `Cluster ${source.name} is configured more than once; cluster names must be unique`,
        );
      }
      byName.set(source.name, source);
    }
    this.sources = byName;
    this.now = options.now ?? (() => new Date());
  }

  clusterNames(): string[] {
    return [...this.sources.keys()];
  }

  hasCluster(name: string): boolean {
    return this.sources.has(name);
  }

  sourceKind(name: string): string | undefined {
    return this.sources.get(name)?.kind;
  }

  /** Whether an evaluation of every cluster is running in this process. */
  isEvaluatingAll(): boolean {
    return this.allInFlight !== undefined;
  }

  /**
   * Evaluates every cluster; resolves when all are done (never rejects for a
   * cluster's failure). Concurrent calls share the run in progress.
   */
  evaluateAll(
    options: { trigger?: EvaluationTrigger; signal?: AbortSignal } = {},
  ): Promise<ClusterRunOutcome[]> {
    if (!this.allInFlight) {
      this.allInFlight = this.runAll(
        options.trigger ?? 'schedule',
        options.signal,
      ).finally(() => {
        this.allInFlight = undefined;
      });
    }
    return this.allInFlight;
  }

  /**
   * Starts one cluster's evaluation in the background, or joins the one in
   * progress in this process. Resolves once the run is recorded.
   */
  async startCluster(
    name: string,
    trigger: EvaluationTrigger,
  ): Promise<{
    runId: string;
    alreadyRunning: boolean;
    done: Promise<ClusterRunOutcome>;
  }> {
    const running = this.inFlight.get(name);
    if (running) return { ...running, alreadyRunning: true };
    const source = this.sources.get(name);
    if (!source) throw new Error(`Unknown cluster ${name}`);
    const started = this.begin(source, trigger, async () => {
      const targets = await this.readTargetsSafely();
      return targets;
    });
    const { runId, done } = await started;
    const finished = done.then(async outcome => {
      await this.refreshEntities(await outcome.targets, false);
      return outcome.outcome;
    });
    return { runId, alreadyRunning: false, done: finished };
  }

  /** Evaluates one cluster and waits for the outcome. */
  async evaluateCluster(
    name: string,
    trigger: EvaluationTrigger = 'manual',
  ): Promise<ClusterRunOutcome> {
    const { done } = await this.startCluster(name, trigger);
    return done;
  }

  private async runAll(
    trigger: EvaluationTrigger,
    signal?: AbortSignal,
  ): Promise<ClusterRunOutcome[]> {
    const { store, logger } = this.options;
    const startedAt = this.now();
    await store
      .failAbandonedRuns(
        new Date(
          startedAt.getTime() - 2 * this.options.clusterTimeoutMs - 60_000,
        ),
      )
      .catch(error =>
        logger.warn(`Could not close abandoned runs: ${describeError(error)}`),
      );
    const targets = this.readTargetsSafely();
    const sources = [...this.sources.values()];
    const settled = await mapWithConcurrency(
      sources,
      this.options.concurrency,
      async source => {
        const existing = this.inFlight.get(source.name);
        if (existing) return existing.done;
        const { done } = await this.begin(
          source,
          trigger,
          () => targets,
          signal,
        );
        return (await done).outcome;
      },
    );
    const outcomes = settled.map((s, i) =>
      s.status === 'fulfilled'
        ? s.value
        : {
            runId: '',
            cluster: sources[i].name,
            status: 'failed' as const,
            error: describeError(s.reason),
          },
    );
    try {
      const removed = await store.removeClustersExcept(this.clusterNames());
      if (removed.length > 0) {
        logger.info(
          `Removed results of clusters no longer configured: ${removed.join(
            ', ',
          )}`,
        );
      }
    } catch (error) {
      logger.warn(`Could not remove old clusters: ${describeError(error)}`);
    }
    // After removing old clusters, so that their scores leave the totals.
    await this.refreshEntities(await targets, true);
    const failed = outcomes.filter(o => o.status === 'failed');
    logger.info(
      `Evaluated ${outcomes.length} cluster(s) in ${
        this.now().getTime() - startedAt.getTime()
      } ms; ${failed.length} failed${
        failed.length ? `: ${failed.map(f => f.cluster).join(', ')}` : ''
      }`,
    );
    return outcomes;
  }

  private async readTargetsSafely(): Promise<EntityTarget[] | undefined> {
    try {
      return await this.options.readTargets();
    } catch (error) {
      this.options.logger.warn(
        `Could not read the catalog; entity scores are left as they were: ${describeError(
          error,
        )}`,
      );
      return undefined;
    }
  }

  private async refreshEntities(
    targets: EntityTarget[] | undefined,
    prune: boolean,
  ): Promise<void> {
    if (!targets) return;
    try {
      await this.options.store.refreshEntities(
        targets.map(t => ({
          entityRef: t.entityRef,
          owner: t.owner,
          cluster: t.workloads ? t.workloads.cluster : t.clusterName,
        })),
        { prune, now: this.now() },
      );
    } catch (error) {
      this.options.logger.error(
        `Could not store entity scores: ${describeError(error)}`,
      );
    }
  }

  /**
   * Records the run, then evaluates in the background. The returned `done`
   * never rejects.
   */
  private async begin(
    source: ClusterSource,
    trigger: EvaluationTrigger,
    targets: () => Promise<EntityTarget[] | undefined>,
    signal?: AbortSignal,
  ): Promise<{
    runId: string;
    done: Promise<{
      outcome: ClusterRunOutcome;
      targets: Promise<EntityTarget[] | undefined>;
    }>;
  }> {
    const runId = randomUUID();
    const startedAt = this.now();
    let release: (outcome: ClusterRunOutcome) => void = () => {};
    const outcomePromise = new Promise<ClusterRunOutcome>(r => {
      release = r;
    });
    // Claimed before any await so that a second caller joins this run.
    this.inFlight.set(source.name, { runId, done: outcomePromise });
    try {
      await this.options.store.startRun({
        id: runId,
        cluster: source.name,
        trigger,
        startedAt,
      });
    } catch (error) {
      this.inFlight.delete(source.name);
      release({
        runId,
        cluster: source.name,
        status: 'failed',
        error: describeError(error),
      });
      throw error;
    }
    const targetsPromise = targets();
    const done = this.run(source, runId, targetsPromise, signal).then(
      outcome => {
        this.inFlight.delete(source.name);
        release(outcome);
        return { outcome, targets: targetsPromise };
      },
    );
    return { runId, done };
  }

  private async run(
    source: ClusterSource,
    runId: string,
    targetsPromise: Promise<EntityTarget[] | undefined>,
    signal?: AbortSignal,
  ): Promise<ClusterRunOutcome> {
    const { store, logger, clusterTimeoutMs } = this.options;
    const clusterLogger = logger.child({ cluster: source.name });
    const began = Date.now();
    try {
      const snapshot = await withTimeout(clusterTimeoutMs, signal, s =>
        source.read({ signal: s, logger: clusterLogger }),
      );
      const named: ClusterSnapshot =
        snapshot.name === source.name
          ? snapshot
          : { ...snapshot, name: source.name };
      assertCoreKindsRead(named);
      const evaluatedAt = this.now();
      const result = evaluate(named, {
        rules: this.options.rules,
        config: this.options.baseline,
        now: evaluatedAt,
      });
      const targets = await targetsPromise;
      const entityScores = targets
        ? scoreEntitiesOnCluster(result, named, targets, this.options.rules)
        : undefined;
      const counts = countFindings(result.findings);
      await store.saveClusterSuccess({
        cluster: source.name,
        sourceKind: source.kind,
        runId,
        evaluatedAt,
        profile: result.profile,
        summary: result.summary,
        counts,
        findings: result.findings,
        subjects: result.subjects,
        stats: {
          objects: result.stats.objects,
          rules: result.stats.rules,
          checks: result.stats.checks,
          ignoredKinds: result.stats.ignoredKinds,
        },
        unreadableKinds: unreadableKindsOf(named),
        entityScores,
      });
      await store.finishRun(runId, {
        status: 'success',
        finishedAt: this.now(),
        counts: {
          score: result.summary.score,
          grade: result.summary.grade,
          counts,
          entities: entityScores?.length ?? 0,
        },
      });
      clusterLogger.info(
        `Evaluated cluster ${source.name}: score ${
          result.summary.score ?? 'n/a'
        }, ${result.findings.length} findings, ${
          entityScores?.length ?? 0
        } entities, ${Date.now() - began} ms`,
      );
      return {
        runId,
        cluster: source.name,
        status: 'success',
        score: result.summary.score,
        counts,
        entities: entityScores?.length ?? 0,
      };
    } catch (error) {
      const message = describeError(error);
      const timedOut = error instanceof ClusterTimeoutError;
      clusterLogger.warn(
        `Evaluation of cluster ${source.name} failed${
          timedOut ? ' (timeout)' : ''
        }: ${message}`,
      );
      try {
        await store.saveClusterFailure({
          cluster: source.name,
          sourceKind: source.kind,
          runId,
          attemptAt: this.now(),
          error: message,
        });
        await store.finishRun(runId, {
          status: 'failed',
          finishedAt: this.now(),
          error: message,
        });
      } catch (storeError) {
        clusterLogger.error(
          `Could not record the failure of cluster ${
            source.name
          }: ${describeError(storeError)}`,
        );
      }
      return { runId, cluster: source.name, status: 'failed', error: message };
    }
  }
}
