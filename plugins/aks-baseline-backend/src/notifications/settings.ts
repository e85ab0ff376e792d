/*
 * `aksBaseline.notifications`: off unless `enabled`; the score rules off
 * unless their numbers are given.
 */
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

export interface NotificationSettings {
  /** Notify when an entity's score on a cluster falls this many points or more. */
  scoreDropPoints?: number;
  /** Notify when an entity's score on a cluster falls below this. */
  scoreThreshold?: number;
  /** Notify when a critical finding appears. Default true. */
  criticalFindings: boolean;
  /** Notify when a waiver expires within this many days, and when it has expired; 0 for never. Default 14. */
  waiverExpiryDays: number;
  /** Notify the platform team when a cluster's result has been stale this long. */
  staleCluster?: { afterMs: number; platformTeam: string };
  /** The entity page tab the findings links open. Default `aks-baseline`. */
  entityTab: string;
}

const KEY = 'aksBaseline.notifications';

function points(config: Config, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0 || value > 100) {
    throw new InputError(
      `${KEY}.${key} must be a number of points between 1 and 100, got ${value}`,
    );
  }
  return value;
}

/** The settings, or undefined when notifications are off. */
export function readNotificationSettings(
  root: Config,
): NotificationSettings | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config?.getOptionalBoolean('enabled')) return undefined;
  const days = config.getOptionalNumber('waiverExpiryDays') ?? 14;
  if (!Number.isInteger(days) || days < 0) {
    throw new InputError(
      `${KEY}.waiverExpiryDays must be a whole number of days (0 to turn off), got ${days}`,
    );
  }
  const settings: NotificationSettings = {
    criticalFindings: config.getOptionalBoolean('criticalFindings') ?? true,
    waiverExpiryDays: days,
    entityTab: config.getOptionalString('entityTab') ?? 'aks-baseline',
  };
  const drop = points(config, 'scoreDrop');
  if (drop !== undefined) settings.scoreDropPoints = drop;
  const threshold = points(config, 'scoreBelow');
  if (threshold !== undefined) settings.scoreThreshold = threshold;
  const stale = config.getOptionalConfig('staleCluster');
  if (stale) {
    const team = stale.getString('platformTeam');
    let platformTeam: string;
    try {
      platformTeam = stringifyEntityRef(
        parseEntityRef(team, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError(
        `${KEY}.staleCluster.platformTeam must be an entity ref (group:default/platform-team), got "${team}"`,
      );
    }
    const after = stale.has('after')
      ? durationToMilliseconds(readDurationFromConfig(stale, { key: 'after' }))
      : 6 * 60 * 60 * 1000;
    settings.staleCluster = { afterMs: after, platformTeam };
  }
  return settings;
}
