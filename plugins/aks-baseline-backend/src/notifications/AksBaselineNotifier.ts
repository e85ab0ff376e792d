/*
 * Notifies the owners of an entity of what changed in its evaluation (score
 * drops, new critical findings, waivers expiring or expired), and the
 * platform team of clusters whose evaluation keeps failing. Each change is
 * claimed in the NotificationLog first, so it is notified once whatever the
 * number of cycles and replicas; a change whose sending fails is released
 * so that the next evaluation tries again.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ClusterSummary } from '@aks-baseline/plugin-aks-baseline-common';
import {
  criticalFindingKeys,
  criticalKeyPrefix,
  decideScore,
  EntityEvaluation,
  NotificationKind,
  waiverChanges,
} from './changes';
import {
  clusterStalePayload,
  criticalFindingsPayload,
  scoreBelowPayload,
  scoreDropPayload,
  waiverPayload,
} from './messages';
import { NotificationLog } from './NotificationLog';
import { NotificationSettings } from './settings';

/** A cluster's evaluation as it was stored. */
export interface EvaluatedCluster {
  cluster: string;
  evaluatedAt: Date;
  /** Undefined when the catalog could not be read (no entity was scored). */
  entityScores?: readonly EntityEvaluation[];
}

/** What EvaluationService calls once a cluster's evaluation is stored. */
export interface EvaluationListener {
  /** Never rejects. */
  evaluated(evaluation: EvaluatedCluster): Promise<void>;
}

export interface AksBaselineNotifierOptions {
  settings: NotificationSettings;
  log: NotificationLog;
  notifications: NotificationService;
  logger: LoggerService;
  /** The clusters' status, for the stale check. */
  listClusters?: () => Promise<ClusterSummary[]>;
  now?: () => Date;
}

const NEVER_SEEN_FAILING = 'never-evaluated: first seen';
const NEVER_NOTIFIED = 'never-evaluated';

export class AksBaselineNotifier implements EvaluationListener {
  private readonly now: () => Date;

  constructor(private readonly options: AksBaselineNotifierOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async evaluated(evaluation: EvaluatedCluster): Promise<void> {
    for (const entity of evaluation.entityScores ?? []) {
      try {
        await this.entityEvaluated(
          evaluation.cluster,
          evaluation.evaluatedAt,
          entity,
        );
      } catch (error) {
        this.options.logger.warn(
          `Could not notify about ${entity.entityRef} on ${
            evaluation.cluster
          }: ${(error as Error).message}`,
        );
      }
    }
  }

  /** Forgets what can no longer come back (retention). */
  prune(before: Date): Promise<number> {
    return this.options.log.pruneScoreDrops(before);
  }

  /** Notifies the platform team of clusters stale for longer than configured. */
  async checkStaleClusters(): Promise<void> {
    const stale = this.options.settings.staleCluster;
    if (!stale || !this.options.listClusters) return;
    const { log } = this.options;
    const now = this.now().getTime();
    for (const c of await this.options.listClusters()) {
      const subject = `cluster:${c.name}`;
      if (c.status === 'ok') {
        // Evaluated again: a later failure starts a new episode.
        await log.forget(subject, 'cluster-stale', [
          NEVER_SEEN_FAILING,
          NEVER_NOTIFIED,
        ]);
        continue;
      }
      let since: number;
      let key: string;
      if (c.status === 'stale' && c.evaluatedAt) {
        since = Date.parse(c.evaluatedAt);
        key = `since ${c.evaluatedAt}`;
      } else {
        // Never evaluated: how long is counted from when this check first saw it.
        await log.claim(subject, 'cluster-stale', [NEVER_SEEN_FAILING], {
          sent: false,
        });
        const seen = await log.known(subject, 'cluster-stale');
        const first = seen.find(s => s.change === NEVER_SEEN_FAILING);
        since = first ? first.createdAt.getTime() : now;
        key = NEVER_NOTIFIED;
      }
      if (now - since < stale.afterMs) continue;
      await this.notifyOnce(
        subject,
        'cluster-stale',
        [key],
        stale.platformTeam,
        () =>
          clusterStalePayload({
            cluster: c.name,
            since: key === NEVER_NOTIFIED ? undefined : c.evaluatedAt,
            lastError: c.lastError,
            key,
          }),
      );
    }
  }

  private async entityEvaluated(
    cluster: string,
    evaluatedAt: Date,
    entity: EntityEvaluation,
  ): Promise<void> {
    const { settings, log } = this.options;
    const ref = entity.entityRef;
    const tab = settings.entityTab;
    const previous = await log.scoreReference(ref, cluster);
    // The first evaluation seen is where changes start, not a change.
    const first = previous === undefined;
    const score = entity.summary.score;

    if (score !== null) {
      const decision = decideScore(score, previous, {
        dropPoints: settings.scoreDropPoints,
        threshold: settings.scoreThreshold,
      });
      if (decision.drop) {
        const { from, to } = decision.drop;
        const key = `${cluster}@${evaluatedAt.toISOString()}`;
        await this.notifyOnce(ref, 'score-drop', [key], ref, () =>
          scoreDropPayload({ entityRef: ref, cluster, from, to, key, tab }),
        );
      }
      if (decision.below !== undefined) {
        const threshold = settings.scoreThreshold!;
        const key = `${cluster}|below ${threshold}`;
        if (!decision.below) {
          await log.forget(ref, 'score-below', [key]);
        } else if (first) {
          await log.claim(ref, 'score-below', [key], { sent: false });
        } else {
          await this.notifyOnce(ref, 'score-below', [key], ref, () =>
            scoreBelowPayload({
              entityRef: ref,
              cluster,
              score,
              threshold,
              key,
              tab,
            }),
          );
        }
      }
      await log.setScoreReference(
        ref,
        cluster,
        decision.nextReference,
        evaluatedAt,
      );
    }

    if (settings.criticalFindings) {
      const current = criticalFindingKeys(cluster, entity.findings);
      const known = await log.known(
        ref,
        'critical-finding',
        criticalKeyPrefix(cluster),
      );
      const knownKeys = new Set(known.map(k => k.change));
      // Fixed: forgotten, so that it is new again if it comes back.
      await log.forget(
        ref,
        'critical-finding',
        [...knownKeys].filter(k => !current.has(k)),
      );
      const fresh = [...current.keys()].filter(k => !knownKeys.has(k));
      if (first || score === null) {
        await log.claim(ref, 'critical-finding', fresh, { sent: false });
      } else if (fresh.length > 0) {
        await this.notifyOnce(ref, 'critical-finding', fresh, ref, keys =>
          criticalFindingsPayload({
            entityRef: ref,
            cluster,
            findings: keys.map(k => current.get(k)!),
            key: keys.join(','),
            tab,
          }),
        );
      }
    }

    const { expiring, expired } = waiverChanges(
      entity.findings,
      this.now(),
      settings.waiverExpiryDays,
    );
    for (const [kind, changes] of [
      ['waiver-expiring', expiring],
      ['waiver-expired', expired],
    ] as const) {
      if (changes.size === 0) continue;
      await this.notifyOnce(ref, kind, [...changes.keys()], ref, keys =>
        waiverPayload({
          entityRef: ref,
          kind,
          findings: keys.map(k => changes.get(k)!),
          key: keys.join(','),
          tab,
        }),
      );
    }
  }

  /**
   * Claims the changes; sends one notification for those this replica
   * claimed; releases them if it could not be sent.
   */
  private async notifyOnce(
    subject: string,
    kind: NotificationKind,
    changes: readonly string[],
    recipient: string,
    payload: (claimed: string[]) => NotificationPayload,
  ): Promise<void> {
    const { log, notifications, logger } = this.options;
    const claimed = await log.claim(subject, kind, changes);
    if (claimed.length === 0) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipient },
        payload: payload(claimed),
      });
    } catch (error) {
      await log.forget(subject, kind, claimed);
      logger.warn(
        `Could not send the ${kind} notification about ${subject}: ${
          (error as Error).message
        }`,
      );
    }
  }
}
