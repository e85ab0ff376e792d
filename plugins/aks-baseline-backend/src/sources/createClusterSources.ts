/*
 * Builds one ClusterSource per configured cluster. Configuration mistakes
 * throw at startup with the config path; credentials are created once and
 * shared, so Entra tokens are cached across runs and clusters.
 */
import type { TokenCredential } from '@azure/identity';
import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  AzureClientOverrides,
  AzureClusterSource,
} from './azure/AzureClusterSource';
import { AzureCredentials } from './azureCredentials';
import { ClusterSourceSpec, readClusterSpecs } from './config';
import { KubernetesClusterSource } from './kubernetes/KubernetesClusterSource';
import { SnapshotClusterSource } from './snapshot/SnapshotClusterSource';
import { DEFAULT_TUNING, SourceTuning } from './tuning';
import { ClusterSource } from '@aks-baseline/plugin-aks-baseline-node';

export interface ClusterSourcesOptions {
  /** Request limits; tests shorten the delays. */
  tuning?: Partial<SourceTuning>;
  /**
   * Programmatic only (benchmarks, tests against a local fake): the Azure
   * credential for every `azure` cluster and Entra-authenticated Kubernetes
   * API, instead of the configured or default one.
   */
  azureCredential?: TokenCredential;
  /** Programmatic only: another ARM endpoint (a sovereign cloud, a local fake). */
  arm?: AzureClientOverrides;
  /** Shared with discovery, so both use one instance per identity. */
  credentials?: AzureCredentials;
}

export function createClusterSources(
  config: RootConfigService,
  logger: LoggerService,
  options: ClusterSourcesOptions = {},
): ClusterSource[] {
  return buildClusterSources(readClusterSpecs(config, logger), logger, options);
}

/** The sources of cluster specs already read. */
export function buildClusterSources(
  specs: readonly ClusterSourceSpec[],
  logger: LoggerService,
  options: ClusterSourcesOptions = {},
): ClusterSource[] {
  const tuning: SourceTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const credentials =
    options.credentials ?? new AzureCredentials(options.azureCredential);
  const defaultCredential = credentials.defaultCredential;

  const sources = specs.map((spec: ClusterSourceSpec): ClusterSource => {
    switch (spec.kind) {
      case 'snapshot':
        return new SnapshotClusterSource(spec.name, spec.directory);
      case 'azure':
        return new AzureClusterSource(
          spec.name,
          spec.azure,
          spec.kubernetes,
          credentials.for(spec.azure),
          tuning,
          options.arm,
        );
      case 'kubernetes':
      default:
        return new KubernetesClusterSource(
          spec.name,
          spec.kubernetes,
          defaultCredential,
          tuning,
        );
    }
  });
  logger.info(
    `AKS Baseline clusters: ${
      specs.length
        ? specs.map(s => `${s.name} (${s.kind}, ${s.origin})`).join(', ')
        : 'none configured'
    }`,
  );
  return sources;
}
