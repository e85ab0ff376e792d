export { SnapshotReadError } from './errors';
export {
  mergeAgentPools,
  normalizeAgentPools,
  normalizeKubernetesVersions,
  normalizeMaintenanceConfigurations,
  normalizeManagedCluster,
  normalizeUpgradeProfile,
  unwrapArmDocument,
} from './arm';
export {
  readKubernetesDocuments,
  readKubernetesText,
  type KubernetesReadResult,
} from './kubernetes';
export { parseDocuments } from './parse';
export {
  inferAbsentKinds,
  readCoverage,
  readSnapshot,
  type NamedDocument,
  type SnapshotInput,
} from './snapshot';
export { readSnapshotDirectory, SNAPSHOT_FILES } from './directory';
