/*
 * Builds one ClusterSource per configured cluster. Configuration mistakes
 * throw at startup with the config path; credentials are created once and
 * shared, so Entra tokens are cached across runs and clusters.
 */
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  AzureClientOverrides,
  AzureClusterSource,
} from './azure/AzureClusterSource';
import {
  AzureClusterSpec,
  ClusterSourceSpec,
  readClusterSpecs,
} from './config';
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
}

function lazy<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= create());
}

export function createClusterSources(
  config: RootConfigService,
  logger: LoggerService,
  options: ClusterSourcesOptions = {},
): ClusterSource[] {
  const tuning: SourceTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const specs = readClusterSpecs(config, logger);
  const injected = options.azureCredential;

  // Workload Identity, managed identity or environment: one instance for all.
  const defaultCredential = lazy<TokenCredential>(
    () => injected ?? new DefaultAzureCredential(),
  );
  const credentials = new Map<string, () => TokenCredential>();
  const credentialFor = (azure?: AzureClusterSpec): (() => TokenCredential) => {
    if (injected || !azure || !(azure.tenantId || azure.clientId)) {
      return defaultCredential;
    }
    const key = `${azure.tenantId ?? ''}|${azure.clientId ?? ''}|${
      azure.clientSecret ? 'secret' : 'default'
    }`;
    let credential = credentials.get(key);
    if (!credential) {
      credential = lazy<TokenCredential>(() =>
        azure.clientSecret
          ? new ClientSecretCredential(
              azure.tenantId!,
              azure.clientId!,
              azure.clientSecret,
            )
          : new DefaultAzureCredential({
              ...(azure.tenantId ? { tenantId: azure.tenantId } : {}),
              ...(azure.clientId
                ? {
                    managedIdentityClientId: azure.clientId,
                    workloadIdentityClientId: azure.clientId,
                  }
                : {}),
            } as ConstructorParameters<typeof DefaultAzureCredential>[0]),
      );
      credentials.set(key, credential);
    }
    return credential;
  };

  const sources = specs.map((spec: ClusterSourceSpec): ClusterSource => {
    switch (spec.kind) {
      case 'snapshot':
        return new SnapshotClusterSource(spec.name, spec.directory);
      case 'azure':
        return new AzureClusterSource(
          spec.name,
          spec.azure,
          spec.kubernetes,
          credentialFor(spec.azure),
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
