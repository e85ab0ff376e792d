import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  CategoryScore,
  FindingCounts,
  Grade,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { ScoreBadge } from './ScoreBadge';
import { CategoryBars } from './CategoryBars';
import { SeverityCounts } from './Chips';
import { Sparkline } from './Sparkline';
import { EvaluatedAt } from './Evaluated';
import { ScoringHelp } from './ScoringHelp';

/**
 * The two cards at the top of a tab (an entity's, a cluster's): the score
 * with what it covers, the failing checks and the trend, then the score by
 * category. Two grid items, for the tab's grid.
 */
export function ScoreCards(props: {
  title: string;
  score: number | null;
  grade: Grade | null;
  evaluatedAt?: string;
  /** What the score covers, in one line. */
  summary: ReactNode;
  failing: FindingCounts['failing'];
  /** Below the failing checks (what could not be checked). */
  afterFailing?: ReactNode;
  trendTitle: string;
  history: ScoreHistoryPoint[];
  /** At the foot of the score card (exports). */
  footer?: ReactNode;
  categories: CategoryScore[];
}) {
  return (
    <>
      <Grid item xs={12} md={5}>
        <InfoCard
          title={props.title}
          titleTypographyProps={{ component: 'h2' }}
          variant="gridItem"
        >
          <ScoreBadge score={props.score} grade={props.grade} />
          <Box mt={1} mb={2}>
            <EvaluatedAt at={props.evaluatedAt} />
            <Typography variant="body2" color="textSecondary">
              {props.summary}
            </Typography>
          </Box>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Failing checks
          </Typography>
          <SeverityCounts counts={props.failing} />
          {props.afterFailing}
          <Box mt={2}>
            <Typography variant="subtitle2" component="h3" gutterBottom>
              {props.trendTitle}
            </Typography>
            <Sparkline items={props.history} width={240} height={48} />
          </Box>
          <ScoringHelp />
          {props.footer}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="By category"
          titleTypographyProps={{ component: 'h2' }}
          variant="gridItem"
        >
          <CategoryBars categories={props.categories} overall={props.score} />
        </InfoCard>
      </Grid>
    </>
  );
}
