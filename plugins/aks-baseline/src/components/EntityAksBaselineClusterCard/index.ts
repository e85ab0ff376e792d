export { EntityAksBaselineClusterCard } from './EntityAksBaselineClusterCard';
export { ClusterUpgradeReadinessSection } from './UpgradeReadiness';
export { ClusterExportLinks } from '../shared/AuditExportLinks';
export type { EntityAksBaselineClusterCardProps } from './EntityAksBaselineClusterCard';
