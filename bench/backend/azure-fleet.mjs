/*
 * What a measured process needs to read the fake fleet through the plugin's
 * real Azure sources (cycle.mjs, replicas.mjs): the fake ARM's certificate
 * trusted in this process only, `aksBaseline` config naming each cluster as
 * an `azure` cluster whose API server is the fake, an injected credential,
 * the catalog's service credentials, a counting logger, and all of that
 * built into the plugin's sources and catalog reads (pluginOnFakeFleet).
 */
import { createRequire } from 'node:module';
import tls from 'node:tls';
import { fakeCatalog } from './fake-catalog.mjs';

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

/** The token the fake fleet expects, and the fake credential gives. */
export const FLEET_TOKEN = 'bench-entra-token';

/**
 * What a measured process builds of the plugin to evaluate the fake fleet
 * (`fake`: its clusters, ports and catalog entities): the settings, the
 * clusters' real Azure sources, the rules, and the catalog's entity
 * targets as the plugin reads them.
 */
export function pluginOnFakeFleet({ fake, concurrency, logger }) {
  const require = createRequire(import.meta.url);
  const { ConfigReader } = require('@backstage/config');
  const { CATALOG_FILTER_EXISTS } = require('@backstage/catalog-client');
  const { RULE_CATALOG } = require('@aks-baseline/plugin-aks-baseline-node');
  const src = '@aks-baseline/plugin-aks-baseline-backend/src';
  const { createClusterSources } = require(`${src}/sources`);
  const { readSettings } = require(`${src}/config`);
  const { readEntityTargets } = require(`${src}/entities/targets`);
  const config = new ConfigReader({
    aksBaseline: azureFleetConfig({
      clusters: fake.clusters,
      k8sPort: fake.k8sPort,
      concurrency,
    }),
  });
  const catalog = fakeCatalog(fake.entities, CATALOG_FILTER_EXISTS);
  return {
    settings: readSettings(config),
    sources: createClusterSources(config, logger, {
      azureCredential: fakeAzureCredential(FLEET_TOKEN),
      arm: { endpoint: `https://127.0.0.1:${fake.armPort}` },
    }),
    rules: RULE_CATALOG,
    readTargets: () => readEntityTargets({ catalog, auth: pluginAuth, logger }),
  };
}
