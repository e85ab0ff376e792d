/*
 * Evaluation spread over the replicas sharing a database. One global
 * scheduled task (`aksBaseline.schedule`, once across replicas per cycle)
 * queues every cluster in the shared work table (ClusterWork); each replica
 * takes a queued cluster whenever it has a free evaluation slot
 * (`aksBaseline.concurrency`), so that the fleet is shared by load: a busy
 * replica takes nothing more, an idle one takes the next. A manual
 * "evaluate all" queues the fleet the same way.
 *
 * Per-cluster scheduler tasks were measured first and left: the scheduler
 * gives a due task to the replica that polls first, busy or not, and two
 * replicas started together left one of them every cluster
 * (bench/README.md, "Evaluation spread over replicas").
 *
 * A replica that dies holds only the clusters it was evaluating; another
 * takes each once its hold expires (ClusterWork's ttl). A replica that shuts
 * down gives its clusters back to the queue at once.
 */
import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import type {
  ClusterWork,
  QueueRequest,
  TakenCluster,
} from '../database/ClusterWork';
import type { AksBaselineStore } from './AksBaselineStore';
import { describeError, EvaluationService } from './EvaluationService';

/** How often an idle replica looks for queued clusters. */
export const DEFAULT_POLL_MS = 2000;

export interface ClusterTasksOptions {
  scheduler: SchedulerService;
  service: EvaluationService;
  work: ClusterWork;
  /** Where a manual pass reads how its clusters' runs ended. */
  store: Pick<AksBaselineStore, 'listRuns'>;
  logger: LoggerService;
  /** The id of the scheduled task that queues the fleet each cycle. */
  taskId: string;
  /** `aksBaseline.schedule`: how often the fleet is queued. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Clusters this replica evaluates at once (`aksBaseline.concurrency`). */
  concurrency: number;
  pollMs?: number;
}

/** Milliseconds of a fixed frequency; undefined for cron or manual ones. */
export function frequencyMs(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): number | undefined {
  if (isLuxonDuration(frequency)) return frequency.toMillis();
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  return durationToMilliseconds(frequency as HumanDuration);
}

export class ClusterTasks {
  private running = 0;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly evaluations = new Set<Promise<void>>();
  /** Before this, new clusters wait for the first pass (the initial delay). */
  private firstPassAt = Infinity;

  constructor(private readonly options: ClusterTasksOptions) {}

  /**
   * Registers the cycle's task and starts taking clusters. The first pass
   * comes at the task's first run (after `schedule.initialDelay` on a first
   * start); clusters discovered after the initial delay are queued at once.
   */
  async start(): Promise<void> {
    const { scheduler, taskId, schedule, service, work } = this.options;
    this.firstPassAt =
      Date.now() +
      (schedule.initialDelay
        ? durationToMilliseconds(toHuman(schedule.initialDelay))
        : 0);
    await scheduler.scheduleTask({
      id: taskId,
      ...schedule,
      scope: 'global',
      fn: async () => {
        await this.enqueueAll({ trigger: 'schedule' });
        await work.removeIdleExcept(service.clusterNames());
      },
    });
    await this.sync();
    this.loop ??= this.takeWhileRunning();
  }

  /** Queues the clusters of the fleet never queued yet (after discovery). */
  async sync(): Promise<void> {
    if (Date.now() < this.firstPassAt) return;
    await this.options.work.enqueueNew(this.options.service.clusterNames());
    this.wake();
  }

  /**
   * Queues every cluster of the fleet: the pass of the schedule, or a manual
   * "evaluate all" (which every replica then shares). `alreadyRunning` when
   * every cluster was queued or being evaluated already.
   */
  async enqueueAll(
    request: QueueRequest,
  ): Promise<{ queued: number; alreadyRunning: boolean }> {
    const clusters = this.options.service.clusterNames();
    const { queued } = await this.options.work.enqueue(clusters, request);
    this.wake();
    return { queued, alreadyRunning: clusters.length > 0 && queued === 0 };
  }

  /**
   * A manual "evaluate all": queues the fleet for every replica to share,
   * then (in the background, `done`) waits until each cluster has been
   * evaluated, does what a pass does after the clusters (EvaluationService
   * sweep: abandoned runs, clusters and entities that went away) and logs
   * how it went. `alreadyRunning` when the whole fleet was queued already.
   */
  async evaluateAll(
    request: QueueRequest,
  ): Promise<{ alreadyRunning: boolean; done: Promise<void> }> {
    const startedAt = Date.now();
    const clusters = this.options.service.clusterNames();
    const { queued, alreadyRunning } = await this.enqueueAll(request);
    if (queued === 0) return { alreadyRunning, done: Promise.resolve() };
    return { alreadyRunning, done: this.finishPass(clusters, startedAt) };
  }

  private async finishPass(clusters: string[], startedAt: number) {
    const { work, service, store, logger } = this.options;
    const signal = this.stopping.signal;
    while (!signal.aborted && (await work.pending(clusters)) > 0) {
      await sleep(Math.min(500, this.options.pollMs ?? DEFAULT_POLL_MS));
    }
    if (signal.aborted) return;
    await service.sweep();
    const runs = (
      await store.listRuns({
        limit: clusters.length * 2,
        only: new Set(clusters),
      })
    ).filter(run => Date.parse(run.startedAt) >= startedAt);
    const failed = runs.filter(run => run.status === 'failed');
    logger.info(
      `Evaluated ${clusters.length} cluster(s) in ${
        Date.now() - startedAt
      } ms over the replicas; ${failed.length} failed${
        failed.length ? `: ${failed.map(f => f.cluster).join(', ')}` : ''
      }`,
    );
  }

  /**
   * Stops taking clusters and cancels this replica's evaluations (their
   * clusters go back to the queue for the other replicas); resolves when
   * they have ended.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.loop;
    await Promise.all([...this.evaluations]);
    this.options.work.close();
  }

  /** Resolves when this replica evaluates nothing. */
  async idle(): Promise<void> {
    while (this.evaluations.size > 0) {
      await Promise.all([...this.evaluations]);
    }
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private async takeWhileRunning(): Promise<void> {
    const { work, service, logger } = this.options;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        while (!signal.aborted && this.running < this.options.concurrency) {
          const taken = await work.take(service.clusterNames());
          if (!taken) break;
          this.begin(taken);
        }
      } catch (error) {
        logger.warn(
          `Could not take a cluster to evaluate: ${describeError(error)}`,
        );
      }
      await this.nap();
    }
  }

  /** Waits for the next poll, a freed slot or newly queued clusters. */
  private nap(): Promise<void> {
    return new Promise(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      timer = setTimeout(done, this.options.pollMs ?? DEFAULT_POLL_MS);
      this.wakeUp = done;
      if (this.stopping.signal.aborted) done();
    });
  }

  private begin(taken: TakenCluster): void {
    this.running++;
    const evaluation = this.evaluate(taken).finally(() => {
      this.running--;
      this.evaluations.delete(evaluation);
      this.wake();
    });
    this.evaluations.add(evaluation);
  }

  private async evaluate(taken: TakenCluster): Promise<void> {
    const { service, logger, work, schedule } = this.options;
    const { cluster } = taken;
    const signal = this.stopping.signal;
    try {
      if (taken.trigger === 'manual') {
        if (!service.hasCluster(cluster)) return;
        await service.evaluateCluster(cluster, {
          trigger: 'manual',
          ...(taken.requestedBy ? { requestedBy: taken.requestedBy } : {}),
          signal,
          deferEntityRefresh: true,
        });
      } else {
        const cycleMs = frequencyMs(schedule.frequency);
        const outcome = await service.evaluateOnSchedule(cluster, {
          signal,
          deferEntityRefresh: true,
          // A run started in the last half cycle (a manual one) counts;
          // not the one a stopped replica cancelled before giving it back.
          ...(cycleMs && !taken.givenBack
            ? { skipIfStartedAfter: new Date(Date.now() - cycleMs / 2) }
            : {}),
        });
        if ('skipped' in outcome) {
          logger.info(
            `Scheduled evaluation of cluster ${cluster} skipped: ${outcome.skipped}`,
          );
        }
      }
    } catch (error) {
      logger.error(
        `Evaluation of cluster ${cluster} failed: ${describeError(error)}`,
      );
    } finally {
      // Stopped mid-run: another replica evaluates it instead.
      await work
        .finish(cluster, { requeue: signal.aborted })
        .catch(error =>
          logger.warn(
            `Could not mark cluster ${cluster} evaluated: ${describeError(
              error,
            )}`,
          ),
        );
      // Stopping: the replicas that go on do it.
      if (!signal.aborted) await this.refreshAtPassEnd();
    }
  }

  /**
   * Once no cluster is queued or being evaluated (by any replica), recomputes
   * the entities the pass's runs marked: the replica that finishes the
   * pass's last cluster does it (replicas finishing together share the
   * marks), so a changed entity is recomputed once per pass rather than
   * after each of its clusters. Until then an entity's answer is its last.
   */
  private async refreshAtPassEnd(): Promise<void> {
    const { work, service, logger } = this.options;
    try {
      if ((await work.pending(service.clusterNames())) > 0) return;
    } catch (error) {
      logger.warn(
        `Could not read the queue of clusters: ${describeError(error)}`,
      );
    }
    await service.refreshMarkedEntities();
  }
}

function toHuman(
  duration: NonNullable<SchedulerServiceTaskScheduleDefinition['initialDelay']>,
): HumanDuration {
  return isLuxonDuration(duration)
    ? { milliseconds: duration.toMillis() }
    : (duration as HumanDuration);
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A luxon Duration (the scheduler accepts them), told apart without luxon. */
function isLuxonDuration(value: unknown): value is { toMillis(): number } {
  return typeof (value as { toMillis?: unknown }).toMillis === 'function';
}
