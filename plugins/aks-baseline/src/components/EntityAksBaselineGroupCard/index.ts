export { EntityAksBaselineGroupCard } from './EntityAksBaselineGroupCard';
export type { EntityAksBaselineGroupCardProps } from './EntityAksBaselineGroupCard';
