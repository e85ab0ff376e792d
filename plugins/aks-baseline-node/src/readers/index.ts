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
  exampleApiVersion,
  normalizeBackupInstances,
  normalizeDeploymentSafeguards,
  normalizeMeshRevisions,
} from './arm-reads';
export {
  readKubernetesDocuments,
  readKubernetesText,
  type KubernetesReadResult,
} from './kubernetes';
export { parseDocuments } from './parse';
export {
  parseSourceDocuments,
  type ParseOptions,
  type SourceDocument,
} from './source-documents';
export { MAX_NESTING_DEPTH, SourceTextError } from './source-errors';
export { decodeSourceBytes, looksLikeJson, stripBom } from './source-text';
export { UnrenderedTemplateError, type TemplateKind } from './templates';
export {
  inferAbsentKinds,
  readCoverage,
  readSnapshot,
  type NamedDocument,
  type SnapshotInput,
} from './snapshot';
export { readSnapshotDirectory, SNAPSHOT_FILES } from './directory';
export {
  describeSpecialFile,
  listSnapshotFiles,
  type SnapshotFiles,
  type UnreadableEntry,
} from './snapshot-files';
