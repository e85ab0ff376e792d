/*
 * The fleet the plugin evaluates: the configured clusters (and those modules
 * add) plus, when `aksBaseline.discovery.azure` is set, the managed clusters
 * discovery lists, with one Azure credential per identity for both.
 */
import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { ClusterSource } from '@aks-baseline/plugin-aks-baseline-node';
import { AzureCredentials } from '../azureCredentials';
import { readClusterSpecs } from '../config';
import {
  buildClusterSources,
  type ClusterSourcesOptions,
} from '../createClusterSources';
import { DEFAULT_TUNING } from '../tuning';
import { managedClusterId } from './armId';
import { ClusterFleet } from './ClusterFleet';
import { readAzureDiscovery } from './config';

export interface ClusterFleetCreateOptions extends ClusterSourcesOptions {
  /** Clusters added by modules (aksBaselineClusterSourcesExtensionPoint). */
  extraSources?: readonly ClusterSource[];
}

export function createClusterFleet(
  config: RootConfigService,
  logger: LoggerService,
  options: ClusterFleetCreateOptions = {},
): ClusterFleet {
  const specs = readClusterSpecs(config, logger);
  const discovery = readAzureDiscovery(config);
  const credentials =
    options.credentials ?? new AzureCredentials(options.azureCredential);
  const fixed = [
    ...buildClusterSources(specs, logger, { ...options, credentials }),
    ...(options.extraSources ?? []),
  ];
  const configuredIds = specs.flatMap(spec =>
    spec.kind === 'azure' ? [managedClusterId(spec.azure)] : [],
  );
  if (discovery) {
    logger.info(
      `AKS Baseline cluster discovery in ${
        discovery.subscriptions.length
      } subscription(s)${
        discovery.resourceGroups
          ? `, resource groups ${discovery.resourceGroups.join(', ')}`
          : ''
      }`,
    );
  }
  return new ClusterFleet({
    fixed,
    configuredIds,
    logger,
    ...(discovery
      ? {
          discovery: {
            spec: discovery,
            credential: credentials.for(discovery.identity),
            tuning: { ...DEFAULT_TUNING, ...options.tuning },
            ...(options.arm ? { arm: options.arm } : {}),
          },
        }
      : {}),
  });
}
