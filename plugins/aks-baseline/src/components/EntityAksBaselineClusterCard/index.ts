export { EntityAksBaselineClusterCard } from './EntityAksBaselineClusterCard';
export { ClusterUpgradeReadinessSection } from './UpgradeReadiness';
export { ClusterExportLinks } from './ExportLinks';
export type { EntityAksBaselineClusterCardProps } from './EntityAksBaselineClusterCard';
