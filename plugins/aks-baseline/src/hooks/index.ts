export { useEntityBaseline, loadRules } from './useEntityBaseline';
export type { EntityBaselineData, RuleIndex } from './useEntityBaseline';
export { useEntityLink } from './useEntityLink';
export type { EntityLinkFn } from './useEntityLink';
export { useClusterEntities } from './useClusterEntities';
