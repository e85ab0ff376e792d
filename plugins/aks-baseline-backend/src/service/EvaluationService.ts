/*
 * Evaluates clusters: reads each through its source under a timeout, a few
 * at once, runs the engine, scores the catalog entities on it and stores
 * everything. One cluster failing never stops the others; its previous
 * result stays, marked stale with the reason.
 *
 * Replicas sharing the database run each cluster once at a time: a run
 * claims its cluster in the database first (RunClaims), and a request for a
 * cluster that another replica is running joins that run. The CPU-heavy
 * parts (evaluation, entity scoring, preparing what is stored) run in
 * slices, so that the replica keeps answering requests meanwhile.
 */
import { randomUUID } from 'crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EvaluationRun,
  EvaluationTrigger,
  FindingCounts,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AnyRuleDefinition,
  ClusterSnapshot,
  ClusterSource,
  evaluateCooperatively,
  isClusterReadError,
  KindInfo,
  kindsToRead,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from './AksBaselineStore';
import { withAdmission } from './admissionMarks';
import {
  ALL_CLUSTERS_TARGET,
  clusterTarget,
  RunClaims,
} from '../database/RunClaims';
import { EntityTarget } from '../entities/targets';
import { scoreEntitySteps } from '../entities/scoreEntities';
import { unreadableKindsOf } from '../entities/unreadable';
import { countFindings } from '../scoring';
import { assertCoreKindsRead } from '../sources/coreKinds';
import type { ClusterSourceMap } from '../sources/discovery/ClusterFleet';
import { redact, redactingLogger } from '../sources/redact';
import {
  ClusterTimeoutError,
  mapWithConcurrency,
  withTimeout,
} from './limiter';
import { runInSlices, SLICE_MS } from './slices';
import { CoalescedRefresh } from './coalescedRefresh';
import type { EvaluationListener } from '../notifications';
import {
  PolicyReportsRead,
  splitPolicyReports,
  withPolicyReportKinds,
} from '../sources/policyReports';
import type { RunEventsListener } from './runSignals';

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

/** What caused a run. */
export interface RunRequest {
  trigger: EvaluationTrigger;
  /** A manual run: who asked (a user entity ref, or a service). */
  requestedBy?: string;
  /**
   * Leave the entities the run changed marked, for `refreshMarkedEntities`
   * once the pass's clusters are done, instead of recomputing them now.
   */
  deferEntityRefresh?: boolean;
}

/** A run started, or joined: the same run id for everyone who asked. */
export interface StartedRun {
  runId: string;
  /** True when the run was already going on here or on another replica. */
  alreadyRunning: boolean;
  /** Resolves when the run has ended (never rejects). */
  done: Promise<ClusterRunOutcome>;
}

export interface EvaluationServiceOptions {
  store: AksBaselineStore;
  /** A list, or a live map by name (discovery adds and removes clusters). */
  sources: readonly ClusterSource[] | ClusterSourceMap;
  rules: readonly AnyRuleDefinition[];
  /** `aksBaseline.baseline`, validated by the engine. */
  baseline?: unknown;
  /** Reads the annotated catalog entities (paged, service credentials). */
  readTargets: () => Promise<EntityTarget[]>;
  logger: LoggerService;
  clusterTimeoutMs: number;
  concurrency: number;
  now?: () => Date;
  /**
   * Who runs what across the replicas sharing the database. Without it,
   * runs are coordinated within this process only.
   */
  claims?: RunClaims;
  /** How often a replica waiting for another one's run checks on it. Default 1 s. */
  pollMs?: number;
  /** The longest stretch of CPU work between two turns of the event loop. */
  sliceMs?: number;
  /** Told of each cluster evaluation once it is stored (notifications). */
  notifications?: EvaluationListener;
  /** Told when a run starts and ends (signals to open pages). */
  runEvents?: RunEventsListener;
  /**
   * Set to read the Policy Reports other tools left in the clusters
   * (`aksBaseline.policyReports.enabled`): read with the rules' kinds, kept
   * out of the evaluation, and given here once the cluster is stored.
   */
  policyReports?: {
    save(cluster: string, read: PolicyReportsRead, at: Date): Promise<unknown>;
    /** Forgets the reports of clusters that left the fleet. */
    deleteClusters(clusters: readonly string[]): Promise<unknown>;
  };
}

const MAX_ERROR_LENGTH = 1000;

/**
 * The message a run record, a stale badge and a log line show: without
 * anything that looks like a credential, nor any of `secrets`, and short.
 */
export function describeError(
  error: unknown,
  secrets: readonly string[] = [],
): string {
  let message: string;
  if (isClusterReadError(error)) message = error.reason;
  else if (error instanceof Error) message = error.message;
  else message = String(error);
  message = redact(message, secrets, { maxLength: Infinity });
  message = message.replace(/\s+/g, ' ').trim() || 'Unknown error';
  return message.length > MAX_ERROR_LENGTH
    ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`
    : message;
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

const CANCELLED = 'The evaluation was cancelled';

/** A cluster's run as another replica left it. */
function outcomeOfRun(
  cluster: string,
  runId: string,
  run: EvaluationRun | undefined,
): ClusterRunOutcome {
  if (run?.status === 'success') {
    return {
      runId,
      cluster,
      status: 'success',
      score: run.score,
      counts: run.counts,
      entities: run.entities,
    };
  }
  return {
    runId,
    cluster,
    status: 'failed',
    error:
      run?.status === 'failed'
        ? run.error ?? 'Unknown error'
        : 'The replica running it stopped before it finished',
  };
}

export class EvaluationService {
  private readonly sources: ClusterSourceMap;
  /** The catalog's entities as this process's latest run read them. */
  private latestTargets?: EntityTarget[];
  /** Clusters being evaluated (or waited for) by this process. */
  private readonly inFlight = new Map<string, Promise<StartedRun>>();
  private allInFlight?: Promise<{
    alreadyRunning: boolean;
    done: Promise<ClusterRunOutcome[]>;
  }>;
  private readonly now: () => Date;
  /** The evaluation running in slices now; the next one waits for it. */
  private evaluating: Promise<unknown> = Promise.resolve();
  private readonly pollMs: number;
  private readonly sliceMs: number;
  /** What every source reads: the kinds of this service's rules, custom ones too. */
  private readonly kinds: readonly KindInfo[];
  /**
   * The entity refreshes of cluster runs, merged while one goes on: each
   * recomputes the entities that the runs' changes marked (on any replica),
   * with the latest catalog read.
   */
  private readonly clusterRefreshes = new CoalescedRefresh<{
    targets?: EntityTarget[];
  }>(
    async ([latest]) => {
      await this.refreshEntities(latest?.targets, false);
    },
    () => 'catalog',
  );

  constructor(private readonly options: EvaluationServiceOptions) {
    const byName = new Map<string, ClusterSource>();
    for (const source of Array.isArray(options.sources)
      ? options.sources
      : []) {
      if (byName.has(source.name)) {
        throw new Error(
          `Cluster ${source.name} is configured more than once; cluster names must be unique`,
        );
      }
      byName.set(source.name, source);
    }
    this.sources = Array.isArray(options.sources)
      ? byName
      : (options.sources as ClusterSourceMap);
    this.now = options.now ?? (() => new Date());
    this.pollMs = options.pollMs ?? 1000;
    this.sliceMs = options.sliceMs ?? SLICE_MS;
    this.kinds = options.policyReports
      ? withPolicyReportKinds(kindsToRead(options.rules))
      : kindsToRead(options.rules);
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

  /** Whether this process runs (or waits for) an evaluation of every cluster. */
  isEvaluatingAll(): boolean {
    return this.allInFlight !== undefined;
  }

  /**
   * Evaluates every cluster; resolves when all are done (never rejects for a
   * cluster's failure). A pass already going on, here or on another
   * replica, is joined.
   */
  async evaluateAll(
    options: {
      trigger?: EvaluationTrigger;
      requestedBy?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<ClusterRunOutcome[]> {
    return (await this.startAll(options)).done;
  }

  /**
   * Starts an evaluation of every cluster in the background, or joins the
   * one going on here or on another replica. Resolves once that is decided.
   */
  startAll(
    options: {
      trigger?: EvaluationTrigger;
      requestedBy?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<{ alreadyRunning: boolean; done: Promise<ClusterRunOutcome[]> }> {
    if (this.allInFlight) {
      return this.allInFlight.then(s => ({ ...s, alreadyRunning: true }));
    }
    let started:
      | Promise<{
          alreadyRunning: boolean;
          done: Promise<ClusterRunOutcome[]>;
        }>
      | undefined = undefined;
    const clear = () => {
      if (this.allInFlight === started) this.allInFlight = undefined;
    };
    // Cleared before anyone waiting for `done` goes on.
    started = this.claimPass({
      trigger: options.trigger ?? 'schedule',
      ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
      signal: options.signal,
    }).then(
      s => ({ ...s, done: s.done.finally(clear) }),
      error => {
        clear();
        throw error;
      },
    );
    this.allInFlight = started;
    return started;
  }

  /**
   * Starts one cluster's evaluation in the background, or joins its run
   * going on here or on another replica. Resolves once the run is recorded
   * (or found).
   */
  async startCluster(
    name: string,
    request: RunRequest & { signal?: AbortSignal },
  ): Promise<StartedRun> {
    const running = this.inFlight.get(name);
    if (running) return { ...(await running), alreadyRunning: true };
    const source = this.sources.get(name);
    if (!source) throw new Error(`Unknown cluster ${name}`);
    const { signal, deferEntityRefresh, ...cause } = request;
    const started = this.track(
      name,
      this.claimAndBegin(
        source,
        cause,
        () => this.readTargetsSafely(),
        signal,
      ).then(begun => ({
        runId: begun.runId,
        alreadyRunning: begun.alreadyRunning,
        // A run of its own: the entity rows follow; another replica's does that itself.
        done: begun.done.then(async outcome => {
          const targets = await begun.targets;
          if (targets) this.latestTargets = targets;
          // Only the entities whose part on a cluster changed (this run's
          // and the others' that end meanwhile), each once.
          if (!deferEntityRefresh) await this.refreshMarkedEntities();
          return outcome;
        }),
      })),
    );
    return started;
  }

  /**
   * Recomputes the entities marked by clusters' runs (this replica's and
   * the others'), with the catalog as this process last read it; merged
   * with the requests made while one goes on. Never rejects.
   */
  async refreshMarkedEntities(): Promise<void> {
    const targets = this.latestTargets;
    await this.clusterRefreshes.request([targets ? { targets } : {}]);
  }

  /**
   * The scheduled evaluation of one cluster (its own task): nothing for a
   * cluster that has left the fleet, nor for one whose latest finished run
   * (any trigger, any replica) started after `skipIfStartedAfter`, so that a
   * manual run of every cluster is not followed by a second run of each.
   */
  async evaluateOnSchedule(
    name: string,
    options: {
      signal?: AbortSignal;
      skipIfStartedAfter?: Date;
      deferEntityRefresh?: boolean;
    } = {},
  ): Promise<ClusterRunOutcome | { skipped: string }> {
    if (!this.sources.has(name)) {
      return { skipped: 'no longer in the fleet' };
    }
    if (options.skipIfStartedAfter) {
      const [latest] = await this.options.store.listRuns({
        cluster: name,
        limit: 1,
      });
      // A run still open is joined (or, left by a stopped replica, redone).
      if (
        latest &&
        latest.status !== 'running' &&
        Date.parse(latest.startedAt) > options.skipIfStartedAfter.getTime()
      ) {
        return { skipped: `run ${latest.id} started at ${latest.startedAt}` };
      }
    }
    return this.evaluateCluster(name, {
      trigger: 'schedule',
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.deferEntityRefresh ? { deferEntityRefresh: true } : {}),
    });
  }

  /**
   * What a pass over every cluster did besides evaluating, for when each
   * cluster has its own task: closes runs a stopped replica left open,
   * removes the results of clusters no longer in the fleet, drops the
   * scores of entities no longer in the catalog, and recomputes the
   * entities that are new in it, whose owner or cluster changed, or whose
   * parts changed and are not recomputed yet (`refreshed`: how many).
   */
  async sweep(): Promise<{ removedClusters: string[]; refreshed: number }> {
    const { store, logger } = this.options;
    await store
      .failAbandonedRuns(
        new Date(
          this.now().getTime() - 2 * this.options.clusterTimeoutMs - 60_000,
        ),
      )
      .catch(error =>
        logger.warn(`Could not close abandoned runs: ${describeError(error)}`),
      );
    let removedClusters: string[] = [];
    try {
      removedClusters = await store.removeClustersExcept(this.clusterNames());
      if (removedClusters.length > 0) {
        await this.options.policyReports?.deleteClusters(removedClusters);
        logger.info(
          `Removed results of clusters no longer configured: ${removedClusters.join(
            ', ',
          )}`,
        );
      }
    } catch (error) {
      logger.warn(`Could not remove old clusters: ${describeError(error)}`);
    }
    const refreshed = await this.refreshEntities(
      await this.readTargetsSafely(),
      true,
    );
    return { removedClusters, refreshed };
  }

  /** Evaluates one cluster and waits for the outcome. */
  async evaluateCluster(
    name: string,
    request: RunRequest & { signal?: AbortSignal } = { trigger: 'manual' },
  ): Promise<ClusterRunOutcome> {
    const { done } = await this.startCluster(name, request);
    return done;
  }

  /**
   * Runs `fn` once the evaluation before it has ended: clusters are read and
   * stored concurrently, but evaluated one at a time (sliced evaluations
   * interleaving would hold several clusters' intermediate results at once
   * and finish none of them sooner on one thread).
   */
  private oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.evaluating.then(fn, fn);
    this.evaluating = turn.catch(() => undefined);
    return turn;
  }

  /** Keeps `started` in `inFlight` until its run has ended. */
  private track(
    name: string,
    started: Promise<StartedRun>,
  ): Promise<StartedRun> {
    let tracked: Promise<StartedRun> | undefined = undefined;
    const clear = () => {
      if (this.inFlight.get(name) === tracked) this.inFlight.delete(name);
    };
    // Cleared before anyone waiting for `done` goes on.
    tracked = started.then(
      s => ({ ...s, done: s.done.finally(clear) }),
      error => {
        clear();
        throw error;
      },
    );
    this.inFlight.set(name, tracked);
    return tracked;
  }

  private async claimPass(options: {
    trigger: EvaluationTrigger;
    requestedBy?: string;
    signal?: AbortSignal;
  }): Promise<{ alreadyRunning: boolean; done: Promise<ClusterRunOutcome[]> }> {
    const passId = randomUUID();
    const { claims } = this.options;
    if (claims) {
      const claimed = await claims.claim({
        target: ALL_CLUSTERS_TARGET,
        runId: passId,
        trigger: options.trigger,
        ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
      });
      if (!claimed.claimed) {
        this.options.logger.info(
          `An evaluation of every cluster is already running on another replica; waiting for it`,
        );
        return {
          alreadyRunning: true,
          done: this.waitForRemotePass(claimed.claim.runId, options.signal),
        };
      }
    }
    const done = this.runAll(options).finally(() =>
      this.releaseQuietly(ALL_CLUSTERS_TARGET, passId),
    );
    return { alreadyRunning: false, done };
  }

  private async runAll(options: {
    trigger: EvaluationTrigger;
    requestedBy?: string;
    signal?: AbortSignal;
  }): Promise<ClusterRunOutcome[]> {
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
    const request: RunRequest = {
      trigger: options.trigger,
      ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    };
    const sources = [...this.sources.values()];
    const settled = await mapWithConcurrency(
      sources,
      this.options.concurrency,
      async source => {
        const running = this.inFlight.get(source.name);
        if (running) return (await running).done;
        // Run during this pass by a request (here or elsewhere): that counts.
        const recent = await this.runStartedSince(source.name, startedAt);
        if (recent) return recent;
        const started = this.track(
          source.name,
          this.claimAndBegin(source, request, () => targets, options.signal),
        );
        return (await started).done;
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

  /** The outcome of a finished run of `cluster` started at or after `since`. */
  private async runStartedSince(
    cluster: string,
    since: Date,
  ): Promise<ClusterRunOutcome | undefined> {
    const [latest] = await this.options.store.listRuns({ cluster, limit: 1 });
    if (!latest || latest.status === 'running') return undefined;
    if (Date.parse(latest.startedAt) < since.getTime()) return undefined;
    return outcomeOfRun(cluster, latest.id, latest);
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

  /**
   * Recomputes the entities whose parts changed (marked by the clusters'
   * saves, on any replica); with `prune` and the catalog's `targets`, also
   * removes the entities that left it and computes the new or changed
   * ones. Answers how many were recomputed here; a failure is logged.
   */
  private async refreshEntities(
    targets: EntityTarget[] | undefined,
    prune: boolean,
  ): Promise<number> {
    try {
      const refreshed = await this.options.store.refreshChangedEntities(
        targets?.map(t => ({
          entityRef: t.entityRef,
          owner: t.owner,
          cluster: t.workloads ? t.workloads.cluster : t.clusterName,
        })),
        { prune, now: this.now() },
      );
      if (refreshed > 0) this.options.runEvents?.scoresRefreshed();
      return refreshed;
    } catch (error) {
      this.options.logger.error(
        `Could not store entity scores: ${describeError(error)}`,
      );
      return 0;
    }
  }

  private async releaseQuietly(target: string, runId: string): Promise<void> {
    try {
      await this.options.claims?.release(target, runId);
    } catch (error) {
      // It expires on its own.
      this.options.logger.warn(
        `Could not release ${target}: ${describeError(error)}`,
      );
    }
  }

  /**
   * Claims the cluster and records the run, then evaluates in the
   * background; or finds the run that holds the cluster on another replica
   * and waits for it. `done` never rejects; `targets` is set when the run
   * is this process's.
   */
  private async claimAndBegin(
    source: ClusterSource,
    request: RunRequest,
    targets: () => Promise<EntityTarget[] | undefined>,
    signal?: AbortSignal,
  ): Promise<StartedRun & { targets?: Promise<EntityTarget[] | undefined> }> {
    const runId = randomUUID();
    const target = clusterTarget(source.name);
    const { claims, store } = this.options;
    if (claims) {
      const claimed = await claims.claim({ target, runId, ...request });
      if (!claimed.claimed) {
        return {
          runId: claimed.claim.runId,
          alreadyRunning: true,
          done: this.waitForRemoteRun(source.name, claimed.claim.runId, signal),
        };
      }
    }
    try {
      await store.startRun({
        id: runId,
        cluster: source.name,
        trigger: request.trigger,
        ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
        startedAt: this.now(),
      });
    } catch (error) {
      await this.releaseQuietly(target, runId);
      throw error;
    }
    this.options.runEvents?.started(runId);
    const targetsPromise = targets();
    const done = this.run(source, runId, targetsPromise, signal).finally(() =>
      this.releaseQuietly(target, runId),
    );
    return { runId, alreadyRunning: false, done, targets: targetsPromise };
  }

  /** Waits for another replica's run of `cluster` to end; never rejects. */
  private async waitForRemoteRun(
    cluster: string,
    runId: string,
    signal?: AbortSignal,
  ): Promise<ClusterRunOutcome> {
    const claims = this.options.claims!;
    try {
      do {
        await sleep(this.pollMs, signal);
        if (signal?.aborted) {
          return { runId, cluster, status: 'failed', error: CANCELLED };
        }
      } while (await claims.isHeld(clusterTarget(cluster), runId));
      return outcomeOfRun(
        cluster,
        runId,
        await this.options.store.getRun(runId),
      );
    } catch (error) {
      return {
        runId,
        cluster,
        status: 'failed',
        error: `Could not follow the run on another replica: ${describeError(
          error,
        )}`,
      };
    }
  }

  /**
   * Waits for another replica's pass to end; then the latest run of each
   * cluster. Never rejects.
   */
  private async waitForRemotePass(
    passId: string,
    signal?: AbortSignal,
  ): Promise<ClusterRunOutcome[]> {
    const claims = this.options.claims!;
    const failed = (error: string) =>
      this.clusterNames().map(cluster => ({
        runId: '',
        cluster,
        status: 'failed' as const,
        error,
      }));
    try {
      do {
        await sleep(this.pollMs, signal);
        if (signal?.aborted) return failed(CANCELLED);
      } while (await claims.isHeld(ALL_CLUSTERS_TARGET, passId));
      return await Promise.all(
        this.clusterNames().map(async cluster => {
          const [latest] = await this.options.store.listRuns({
            cluster,
            limit: 1,
          });
          return outcomeOfRun(cluster, latest?.id ?? '', latest);
        }),
      );
    } catch (error) {
      return failed(
        `Could not follow the evaluation on another replica: ${describeError(
          error,
        )}`,
      );
    }
  }

  /** Stores a cluster's Policy Reports; a failure is logged, never the run's. */
  private async savePolicyReports(
    cluster: string,
    read: PolicyReportsRead,
    at: Date,
  ): Promise<void> {
    try {
      await this.options.policyReports?.save(cluster, read, at);
    } catch (error) {
      this.options.logger.warn(
        `Could not store the Policy Reports of cluster ${cluster}: ${describeError(
          error,
        )}`,
      );
    }
  }

  private async run(
    source: ClusterSource,
    runId: string,
    targetsPromise: Promise<EntityTarget[] | undefined>,
    signal?: AbortSignal,
  ): Promise<ClusterRunOutcome> {
    const { store, logger, clusterTimeoutMs, rules } = this.options;
    // Whatever the source knows to be secret right now (rotated tokens too).
    const secrets = () => source.secretValues?.() ?? [];
    const clusterLogger = redactingLogger(
      logger.child({ cluster: source.name }),
      secrets,
    );
    const began = Date.now();
    try {
      const snapshot = await withTimeout(clusterTimeoutMs, signal, s =>
        source.read({ signal: s, logger: clusterLogger, kinds: this.kinds }),
      );
      const read: ClusterSnapshot =
        snapshot.name === source.name
          ? snapshot
          : { ...snapshot, name: source.name };
      // Other tools' reports never reach the rules nor the score.
      const { snapshot: named, policyReports } = this.options.policyReports
        ? splitPolicyReports(read)
        : { snapshot: read, policyReports: undefined };
      assertCoreKindsRead(named);
      const targets = await targetsPromise;
      const { evaluatedAt, result, entityScores } = await this.oneAtATime(
        async () => {
          const at = this.now();
          const evaluated = await evaluateCooperatively(named, {
            rules,
            config: this.options.baseline,
            now: at,
            sliceMs: this.sliceMs,
          });
          const scores = targets
            ? await runInSlices(
                scoreEntitySteps(
                  evaluated,
                  named,
                  targets,
                  rules,
                  this.options.baseline,
                ),
                this.sliceMs,
              )
            : undefined;
          return { evaluatedAt: at, result: evaluated, entityScores: scores };
        },
      );
      const counts = countFindings(result.findings);
      await store.saveClusterSuccess({
        cluster: source.name,
        sourceKind: source.kind,
        runId,
        evaluatedAt,
        profile: result.profile,
        summary: result.summary,
        counts,
        findings: withAdmission(
          result.findings,
          named.arm?.deploymentSafeguards,
        ),
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
      this.options.runEvents?.finished(runId);
      if (policyReports) {
        await this.savePolicyReports(source.name, policyReports, evaluatedAt);
      }
      await this.options.notifications?.evaluated({
        cluster: source.name,
        evaluatedAt,
        entityScores,
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
      const message = describeError(error, secrets());
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
        this.options.runEvents?.finished(runId);
      } catch (storeError) {
        clusterLogger.error(
          `Could not record the failure of cluster ${
            source.name
          }: ${describeError(storeError, secrets())}`,
        );
      }
      return { runId, cluster: source.name, status: 'failed', error: message };
    }
  }
}
