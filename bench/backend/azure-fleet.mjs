/*
 * What a measured process needs to read the fake fleet through the plugin's
 * real Azure sources (cycle.mjs, replicas.mjs): the fake ARM's certificate
 * trusted in this process only, `aksBaseline` config naming each cluster as
 * an `azure` cluster whose API server is the fake, an injected credential,
 * the catalog's service credentials and a counting logger.
 */
import tls from 'node:tls';

const SUBSCRIPTION = '6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21';

/** Trusts the fake ARM's certificate (PEM) in this process only. */
export function trustFakeArm(caPem) {
  if (typeof tls.setDefaultCACertificates !== 'function') {
    throw new Error(
      'tls.setDefaultCACertificates is missing: use Node.js 22.19 or later (scripts/env.sh)',
    );
  }
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);
}

/** `aksBaseline` for the fake fleet's clusters, read through ARM and the fake API server. */
export function azureFleetConfig({ clusters, k8sPort, concurrency }) {
  return {
    includeKubernetesPluginClusters: false,
    ...(concurrency ? { concurrency } : {}),
    clusters: clusters.map(name => ({
      name,
      azure: {
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-aks-fleet',
        clusterName: name,
      },
      // The fake's API server; the Entra token of the credential below.
      kubernetes: {
        url: `http://127.0.0.1:${k8sPort}/c/${name}`,
        skipTLSVerify: true,
      },
    })),
  };
}

/** The Azure credential the sources get (`options.azureCredential`). */
export function fakeAzureCredential(token) {
  return {
    async getToken() {
      return { token, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

/** The plugin's service credentials, as readEntityTargets asks for them. */
export const pluginAuth = {
  getOwnServiceCredentials: async () => ({
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject: 'plugin:aks-baseline' },
  }),
  getPluginRequestToken: async () => ({ token: 'bench' }),
};

/**
 * A logger counting warnings and errors (`counts`), writing errors, and
 * every line when `verbose`; `onInfo` sees each info line.
 */
export function countingLogger(counts, { verbose, onInfo } = {}, meta = {}) {
  const write = level => message => {
    if (level === 'warn' || level === 'error') counts[level]++;
    if (level === 'info') onInfo?.(message);
    if (verbose || level === 'error') {
      process.stderr.write(
        `  ${level} ${meta.cluster ? `[${meta.cluster}] ` : ''}${message}\n`,
      );
    }
  };
  return {
    debug: () => {},
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: m => countingLogger(counts, { verbose, onInfo }, { ...meta, ...m }),
  };
}
