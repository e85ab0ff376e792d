export {
  AksBaselineTeamsCard,
  AksBaselineTeamsContent,
  TEAMS_CARD_TITLE,
} from './AksBaselineTeamsCard';
export type { AksBaselineTeamsCardProps } from './AksBaselineTeamsCard';
