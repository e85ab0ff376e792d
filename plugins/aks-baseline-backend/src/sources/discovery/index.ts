/*
 * Clusters found in Azure, merged with the configured ones.
 */
export { createClusterFleet } from './createClusterFleet';
export type { ClusterFleetCreateOptions } from './createClusterFleet';
export { ClusterFleet } from './ClusterFleet';
export type { ClusterSourceMap, DiscoveryRefresh } from './ClusterFleet';
export { readAzureDiscovery } from './config';
export type { AzureDiscoverySpec } from './config';
