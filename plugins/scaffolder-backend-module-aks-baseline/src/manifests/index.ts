/**
 * Pure manifest generation shared by the create, render and evaluate
 * actions: no I/O, no configuration reads.
 */
export * from './types';
export * from './defaults';
export * from './quantity';
export * from './validation';
export { resolveNamespaceSpec, BUILT_IN_DEFAULTS } from './resolve';
export type { NamespaceInput, NamespaceDefaults } from './resolve';
export {
  buildNamespaceManifests,
  describeManifest,
  manifestFileName,
  NAMESPACE_MANIFEST_KINDS,
  ownerLabelValue,
  toMultiDocumentYaml,
} from './build';
export { buildNamespaceEntity, namespaceEntityName } from './entity';
export type { NamespaceEntity } from './entity';
