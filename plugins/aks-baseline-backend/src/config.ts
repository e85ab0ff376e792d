/*
 * The plugin's own settings under `aksBaseline` (the cluster list is read by
 * src/sources/). Defaults: every 30 minutes, 15-minute task timeout, 2
 * minutes per cluster, 4 clusters at once, 90 days of history.
 */
import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject, durationToMilliseconds } from '@backstage/types';

export const CONFIG_KEY = 'aksBaseline';

export interface AksBaselineSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  clusterTimeoutMs: number;
  concurrency: number;
  retentionDays: number;
  /** `aksBaseline.baseline` as given (validated by the engine at startup). */
  baseline?: unknown;
}

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 10 },
};

const DEFAULT_SCHEDULE_CONFIG: JsonObject = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 10 },
};

export function readSettings(config: RootConfigService): AksBaselineSettings {
  const root = config.getOptionalConfig(CONFIG_KEY);

  let schedule = DEFAULT_SCHEDULE;
  if (root?.has('schedule')) {
    // The reader requires frequency and timeout: missing ones take the defaults.
    const given = root.getConfig('schedule').get<JsonObject>();
    schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
      new ConfigReader({ ...DEFAULT_SCHEDULE_CONFIG, ...given }),
    );
  }

  const clusterTimeoutMs = root?.has('clusterTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(root, { key: 'clusterTimeout' }),
      )
    : 2 * 60_000;

  const concurrency = root?.getOptionalNumber('concurrency') ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError(
      `${CONFIG_KEY}.concurrency must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  const retentionDays = root?.getOptionalNumber('retention.days') ?? 90;
  if (!(retentionDays > 0)) {
    throw new InputError(
      `${CONFIG_KEY}.retention.days must be a positive number, got ${retentionDays}`,
    );
  }
  if (!(clusterTimeoutMs > 0)) {
    throw new InputError(`${CONFIG_KEY}.clusterTimeout must be positive`);
  }

  const baseline = root?.getOptional('baseline');
  return {
    schedule,
    clusterTimeoutMs,
    concurrency,
    retentionDays,
    ...(baseline !== undefined ? { baseline } : {}),
  };
}
