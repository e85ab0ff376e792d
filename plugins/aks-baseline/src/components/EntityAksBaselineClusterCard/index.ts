export { EntityAksBaselineClusterCard } from './EntityAksBaselineClusterCard';
export type { EntityAksBaselineClusterCardProps } from './EntityAksBaselineClusterCard';
