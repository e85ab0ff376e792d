/*
 * The config the benchmarks give the backends they start: listening on
 * 127.0.0.1, a static token for the benchmark's own calls, and the plugin
 * evaluating the clusters it is given once at start.
 */
import { randomBytes } from 'node:crypto';

/** A new static token for the benchmark's calls (backend.auth.externalAccess). */
export const newApiToken = () => randomBytes(24).toString('hex');

/** `backend`: where it listens, its database, and the static token. */
export function backendSection({ port, database, apiToken }) {
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    listen: { host: '127.0.0.1', port },
    database,
    auth: {
      externalAccess: [
        {
          type: 'static',
          options: { token: apiToken, subject: 'aks-baseline-bench' },
        },
      ],
    },
  };
}

/**
 * `aksBaseline`: `clusters`, evaluated by the scheduled task `initialDelay`
 * after start and then a day later (not while measuring); `more` settings.
 */
export function pluginSection({
  clusters,
  timeout,
  initialDelay = { seconds: 1 },
  ...more
}) {
  return {
    includeKubernetesPluginClusters: false,
    schedule: { frequency: { hours: 24 }, timeout, initialDelay },
    ...more,
    clusters,
  };
}
