export { AksBaselineTeamsCard } from './AksBaselineTeamsCard';
export type { AksBaselineTeamsCardProps } from './AksBaselineTeamsCard';
