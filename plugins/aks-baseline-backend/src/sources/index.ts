/*
 * Cluster sources: where the snapshots the engine evaluates come from.
 */
export { createClusterSources } from './createClusterSources';
export type { ClusterSourcesOptions } from './createClusterSources';
export type { AzureClientOverrides } from './azure/AzureClusterSource';
export {
  readClusterSpecs,
  readConfiguredClusters,
  readKubernetesPluginClusters,
} from './config';
export type {
  AzureClusterSpec,
  ClusterSourceSpec,
  KubernetesAccessSpec,
  KubernetesAuthProvider,
} from './config';
export { DEFAULT_TUNING } from './tuning';
export type { SourceTuning } from './tuning';
export { AKS_SERVER_SCOPE } from './kubernetes/access';
