export { EntityAksBaselineClusterContent } from './EntityAksBaselineClusterContent';
export { CLUSTER_SECTIONS } from './ClusterSections';
export type { ClusterSection, ClusterSectionProps } from './ClusterSections';
