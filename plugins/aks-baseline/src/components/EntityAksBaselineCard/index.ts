export { EntityAksBaselineCard } from './EntityAksBaselineCard';
export type { EntityAksBaselineCardProps } from './EntityAksBaselineCard';
