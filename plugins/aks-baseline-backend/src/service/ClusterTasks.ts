/*
 * One scheduled task per cluster, so that replicas sharing a database share
 * the fleet: the scheduler's global tasks run each cluster once per cycle on
 * whichever replica claims it first, and a replica that dies holds only the
 * cluster it was evaluating, until the task's timeout frees it for another.
 *
 * The scheduler cannot unschedule a task: the task of a cluster that left the
 * fleet stays registered (in this process and in the shared table) and does
 * nothing when it comes due; it evaluates again if the cluster comes back.
 */
import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { describeError, EvaluationService } from './EvaluationService';

/** The task that evaluates one cluster. */
export function clusterTaskId(prefix: string, cluster: string): string {
  return `${prefix}:${cluster}`;
}

/** Time beyond the cluster's own timeout for storing it and its entities. */
export const CLUSTER_TASK_MARGIN_MS = 2 * 60_000;

export interface ClusterTasksOptions {
  scheduler: SchedulerService;
  service: EvaluationService;
  logger: LoggerService;
  /** Task ids are `<prefix>:<cluster>`. */
  prefix: string;
  /** `aksBaseline.schedule`: each cluster's frequency and initial delay. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  clusterTimeoutMs: number;
  /** Clusters this replica evaluates at once (`aksBaseline.concurrency`). */
  concurrency: number;
  /** Added to `clusterTimeoutMs` for the task's timeout; default CLUSTER_TASK_MARGIN_MS. */
  marginMs?: number;
  /** The due times spread over this much per cluster, up to a cycle; default SPREAD_PER_CLUSTER_MS. */
  spreadPerClusterMs?: number;
}

/**
 * Due times are spread over 2 s per cluster (at most a cycle): enough for
 * each replica's poll (every 5 s) to find a few clusters due, while a small
 * fleet (the demo's) is still evaluated within seconds of the first start.
 */
export const SPREAD_PER_CLUSTER_MS = 2000;

/** Milliseconds of a fixed frequency; undefined for cron or manual ones. */
export function frequencyMs(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): number | undefined {
  if (isLuxonDuration(frequency)) return frequency.toMillis();
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  return durationToMilliseconds(frequency as HumanDuration);
}

/**
 * Where in the spread a cluster's task comes due, the same on every replica
 * and restart: spread so that replicas polling at different moments each
 * find some clusters due, instead of the first poll after a common due time
 * claiming every cluster on one replica.
 */
export function cycleOffsetMs(cluster: string, cycleMs: number): number {
  // FNV-1a: stable across processes and Node versions.
  let hash = 0x811c9dc5;
  for (let i = 0; i < cluster.length; i++) {
    hash ^= cluster.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, Math.floor(cycleMs));
}

export class ClusterTasks {
  /** Clusters whose task this process has registered. */
  private readonly scheduled = new Set<string>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ClusterTasksOptions) {}

  /** Registers the task of every cluster in the fleet that has none here yet. */
  async sync(): Promise<string[]> {
    const added: string[] = [];
    const names = this.options.service.clusterNames();
    const spreadMs =
      Math.max(1, names.length) *
      (this.options.spreadPerClusterMs ?? SPREAD_PER_CLUSTER_MS);
    for (const cluster of names) {
      if (this.scheduled.has(cluster)) continue;
      await this.schedule(cluster, spreadMs);
      this.scheduled.add(cluster);
      added.push(cluster);
    }
    return added;
  }

  private async schedule(cluster: string, spreadMs: number): Promise<void> {
    const { schedule, scheduler, clusterTimeoutMs, prefix } = this.options;
    const cycleMs = frequencyMs(schedule.frequency);
    // The first registration (on any replica) fixes the due time; later
    // ones keep it, so the offset holds across restarts.
    const delayMs =
      (schedule.initialDelay
        ? durationToMilliseconds(toHuman(schedule.initialDelay))
        : 0) +
      (cycleMs ? cycleOffsetMs(cluster, Math.min(cycleMs, spreadMs)) : 0);
    await scheduler.scheduleTask({
      id: clusterTaskId(prefix, cluster),
      frequency: schedule.frequency,
      timeout: {
        milliseconds:
          clusterTimeoutMs + (this.options.marginMs ?? CLUSTER_TASK_MARGIN_MS),
      },
      ...(delayMs > 0 ? { initialDelay: { milliseconds: delayMs } } : {}),
      scope: 'global',
      fn: signal => this.run(cluster, cycleMs, signal),
    });
  }

  private async run(
    cluster: string,
    cycleMs: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const { service, logger } = this.options;
    await this.slot(signal);
    try {
      if (signal.aborted) return;
      const outcome = await service.evaluateOnSchedule(cluster, {
        signal,
        // A run started in the second half of the cycle (a manual one) counts.
        ...(cycleMs
          ? { skipIfStartedAfter: new Date(Date.now() - cycleMs / 2) }
          : {}),
      });
      if ('skipped' in outcome) {
        logger.info(
          `Scheduled evaluation of cluster ${cluster} skipped: ${outcome.skipped}`,
        );
      }
    } catch (error) {
      logger.error(
        `Scheduled evaluation of cluster ${cluster} failed: ${describeError(
          error,
        )}`,
      );
    } finally {
      this.release();
    }
  }

  /** Waits until fewer than `concurrency` of this replica's tasks run. */
  private slot(signal: AbortSignal): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise(resolve => {
      // Granted a slot, or aborted (the task then ends without evaluating):
      // either way it counts as running until release().
      const waiter = () => {
        signal.removeEventListener('abort', waiter);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        this.running++;
        resolve();
      };
      signal.addEventListener('abort', waiter, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

function toHuman(
  duration: NonNullable<SchedulerServiceTaskScheduleDefinition['initialDelay']>,
): HumanDuration {
  return isLuxonDuration(duration)
    ? { milliseconds: duration.toMillis() }
    : (duration as HumanDuration);
}

/** A luxon Duration (the scheduler accepts them), told apart without luxon. */
function isLuxonDuration(value: unknown): value is { toMillis(): number } {
  return typeof (value as { toMillis?: unknown }).toMillis === 'function';
}
